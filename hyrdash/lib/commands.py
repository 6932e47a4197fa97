"""Shared plumbing for the import commands of every subject: read the file, report
problems in Swedish, print the new import's number.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- eller XLSX-fil")

    def read_file(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc

    def user(self, username: str | None):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Användaren {username} finns inte.") from exc

    def run_service(self, call):
        """Run a service; problems become a non-zero exit with every problem listed."""
        try:
            return call()
        except ExtractError as exc:
            for line in exc.lines():
                self.stderr.write(line)
            raise CommandError(
                f"Filen importerades inte: {len(exc.problems)} fel. Inget har sparats."
            ) from exc
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc


class BatchImportCommand(ImportCommand):
    """An import that stores the file as a batch (ImportBatch, SurveyBatch) registered on
    --user: `store` calls the import service, `report` says what it did."""

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_own_arguments(parser)
        parser.add_argument("--user", help="användarnamn som importen registreras på")

    def add_own_arguments(self, parser):
        """The command's own options (listed before --user)."""

    def handle(self, *args, **options):
        path = options["file"]
        data = self.read_file(path)
        user = self.user(options["user"])
        batch, check = self.run_service(
            lambda: self.store(data=data, file_name=Path(path).name, user=user, options=options)
        )
        self.report(batch, check)

    def store(self, *, data: bytes, file_name: str, user, options: dict):
        """(batch, check) from the import service; batch None for a file already in use."""
        raise NotImplementedError

    def report(self, batch, check) -> None:
        raise NotImplementedError

    def write_identical(self, other, *, year: int | None = None) -> None:
        """The file is the one of import `other`, in use (for `year`): nothing changed."""
        used_for = f" som används för {year}" if year is not None else ""
        self.stdout.write(
            f"Filen är identisk med import {other.id} ({other.file_name}, "
            f"{timezone.localtime(other.created_at):%Y-%m-%d %H:%M}){used_for}; inget har ändrats."
        )

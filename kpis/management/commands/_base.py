"""Shared plumbing for the import commands: read the file, report problems in Swedish."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kpis.extracts import ExtractError
from kpis.services import ServiceError


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

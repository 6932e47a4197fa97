"""Shared plumbing for the import commands of every subject: read the file, report
problems in Swedish, print the new import's number and how to undo it; for the imports
that may replace whole months or only the units in the file (ReplacingImportCommand),
what the file covers and the uploader's choice.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hyrdash.lib.coverage import PartialFileError, is_year, listed
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.formatting import format_number
from hyrdash.lib.tabular import ExtractError

MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month_option(text: str | None, option: str) -> pd.Period | None:
    """A command's month option, 'YYYY-MM', as a Period; None stays None; anything else
    is a CommandError naming the option."""
    if text is None:
        return None
    if not MONTH_RE.fullmatch(text.strip()):
        raise CommandError(
            f"{option}: ”{text}” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03."
        )
    return pd.Period(text.strip(), freq="M")


def user_named(username: str | None):
    """The user a command's --user names, None without one; an unknown name is a
    CommandError."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"Användaren {username} finns inte.") from exc


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- eller XLSX-fil")

    def read_file(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc

    # What a refused partial file (hyrdash.lib.coverage) tells the user to add; and when
    # its partial periods have nothing stored (compared with an earlier period), what
    # imports it anyway.
    partial_hint = ""
    new_period_hint = ""

    def run_service(self, call):
        """Run a service; problems become a non-zero exit with every problem listed, and
        a partial file's warning with what to add to import it all the same."""
        try:
            return call()
        except PartialFileError as exc:
            for line in exc.lines():
                self.stderr.write(line)
            hint = (exc.new_periods_only and self.new_period_hint) or self.partial_hint
            raise CommandError(f"Filen importerades inte. {hint} Inget har sparats.") from exc
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
        user = user_named(options["user"])
        batch, check = self.run_service(
            lambda: self.store(data=data, file_name=Path(path).name, user=user, options=options)
        )
        self.report(batch, check)

    def store(self, *, data: bytes, file_name: str, user, options: dict):
        """(batch, check) from the import service; batch None for a file already in use."""
        raise NotImplementedError

    def report(self, batch, check) -> None:
        raise NotImplementedError

    # What names an import of this command's kind to undo_import besides its number.
    undo_option = ""

    def write_undo_hint(self, batch) -> None:
        """The new import's number, as undo_import takes it."""
        self.stdout.write(
            f"Ångra importen med: python manage.py undo_import {batch.id}{self.undo_option}"
        )

    def write_identical(self, other, *, year: int | None = None) -> None:
        """The file is the one of import `other`, in use (for `year`): nothing changed."""
        used_for = f" som används för {year}" if year is not None else ""
        self.stdout.write(
            f"Filen är identisk med import {other.id} ({other.file_name}, "
            f"{timezone.localtime(other.created_at):%Y-%m-%d %H:%M}){used_for}; inget har ändrats."
        )


class ReplacingImportCommand(BatchImportCommand):
    """An import whose file replaces whole months or only its units in them (the ledger,
    sick leave): the choice is --replace-months or --only-units; without one a complete
    file replaces whole months and a partial one is refused with the warning. `check`
    reads the file, then `write_coverage` says what it covers before it is stored."""

    partial_hint = (
        "Ange --replace-months för att ersätta hela månaderna (ett fullständigt nytt uttag) "
        "eller --only-units för att bara uppdatera filens enheter (en rättelse)."
    )
    # Months with nothing stored: both choices import the file's units as all the month
    # has; --replace-months is the one named.
    new_period_hint = (
        "Ange --replace-months för att ändå importera filen: dess enheter blir allt som "
        "finns för månaderna utan sparade värden (--only-units gör detsamma för dem)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--replace-months",
            action="store_const",
            const="months",
            dest="replaces",
            help="ersätt filens hela månader: enheter som saknas i filen får inga värden",
        )
        choice.add_argument(
            "--only-units",
            action="store_const",
            const="units",
            dest="replaces",
            help="uppdatera bara filens enheter i månaderna; andra enheter behåller sina värden",
        )

    def write_coverage(self, check, labels: dict) -> None:
        """Per month with data now: the units (and accounts) the file lacks and each
        figure that changes, stored → new; a month with nothing stored that covers clearly
        less than the previous month with data, its units against that month's; the other
        months with nothing stored on one line."""
        summary = check.summary()
        fresh = []
        for coverage in check.coverage():
            if coverage.compared_with and coverage.partial:
                self.stdout.write(coverage_line(coverage))
                continue
            if not coverage.units_stored or coverage.compared_with:
                fresh.append(coverage.period)
                continue
            self.stdout.write(coverage_line(coverage))
            month = summary[(summary["period"] == coverage.period) & (summary["difference"] != 0)]
            for row in month.itertuples(index=False):
                label, decimals = labels.get(row.category, (row.category, 2))
                self.stdout.write(
                    f"  {label}: {format_number(row.stored, decimals)} → "
                    f"{format_number(row.new, decimals)} "
                    f"({'+' if row.difference > 0 else ''}{format_number(row.difference, decimals)})"
                )
        if fresh:
            span = fresh[0] if len(fresh) == 1 else f"{fresh[0]}–{fresh[-1]}"
            self.stdout.write(f"Månader utan sparade värden: {span} ({len(fresh)} st).")

    def write_closed_warning(self, warning: str) -> None:
        """A file that changes closed (final) months is imported all the same (controllers
        correct closed months), with this said first, on stderr."""
        if warning:
            self.stderr.write(f"Varning: {warning}")

    def write_replaced(self, batch, check) -> None:
        if batch.replaces == "units":
            units = int(check.rows["unit_id"].nunique())
            self.stdout.write(
                f"Bara filens enheter ({units} st) ersattes; andra enheter behöll sina värden."
            )
        else:
            self.stdout.write("Hela månaderna ersattes.")
        if batch.closed_months:
            self.stdout.write(f"Stängda månader ändrades: {', '.join(batch.closed_months)}.")


def coverage_line(coverage) -> str:
    """'2024-04: 2 enheter i filen, 3 med värden nu; 1 av dem saknas i filen: 0102 …';
    for a month with nothing stored, '… inga sparade värden; 3 med värden för 2024-03,
    senaste månaden med data; …'."""
    if coverage.compared_with:
        latest = "senaste året" if is_year(coverage.period) else "senaste månaden"
        line = (
            f"{coverage.period}: {coverage.units_in_file} enheter i filen, inga sparade "
            f"värden; {coverage.units_stored} med värden för {coverage.compared_with}, "
            f"{latest} med data"
        )
    else:
        line = (
            f"{coverage.period}: {coverage.units_in_file} enheter i filen, "
            f"{coverage.units_stored} med värden nu"
        )
    if coverage.missing_units:
        line += (
            f"; {len(coverage.missing_units)} av dem saknas i filen: "
            f"{listed(coverage.missing_units)}"
        )
    if coverage.missing_accounts:
        having = f"för {coverage.compared_with}" if coverage.compared_with else "nu"
        line += (
            f"; {len(coverage.missing_accounts)} konton med värden {having} saknas i filen: "
            f"{listed(coverage.missing_accounts)}"
        )
    return line + "."

"""Print one KPI series as CSV (machine format) on standard output.

    python manage.py export_kpi SERIES --scope SCOPE [--month YYYY-MM] [--from YYYY-MM --to YYYY-MM]
    python manage.py export_kpi sick-leave --scope SCOPE [--by gender|age|area] [months]
    python manage.py export_kpi survey --year YYYY --scope SCOPE
    python manage.py export_kpi placements-12a --on YYYY-MM-DD [--scope hsf|area:<område>]
    python manage.py export_kpi skr-target-path --scope SCOPE --month YYYY-MM

The numbers come from the same selectors and series functions as the pages
(each subject's selectors and series); this command only reads the arguments, loads
the data once, calls the series function and writes hyrdash.lib.exports.to_csv. A new
series is one entry in kpis.registry.SERIES_EXPORTS (its loader, its function, its
columns and which months it takes). The employee survey adds its entry when its app
is ready (survey.apps), with its own loader, scope and columns, taking --year. Section
12 a's list (placements-12a) is taken on a date, --on, and its export is logged.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from hyrdash.lib.commands import month_option
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.exports import to_csv
from kpis.organisation import selectors as org_selectors
from kpis.registry import DATE, MONTH, RANGE, SERIES_EXPORTS, YEAR, SeriesExport

EXPORTS = SERIES_EXPORTS

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str, option: str) -> dt.date:
    """'YYYY-MM-DD' -> date; anything else is a CommandError."""
    try:
        if not DATE_RE.fullmatch(text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"{option}: ”{text}” är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, till exempel 2026-03-15."
        ) from None


def period_for(name: str, export: SeriesExport, options: dict) -> dict:
    """What the series is built for: {"year"}, {"on"} or {"start", "end"}, checked."""
    if export.months != DATE and options["on"] is not None:
        raise CommandError(f"Serien {name} tar inte --on.")
    if export.months == YEAR:
        return {"year": _instead_of_months(name, options, "year", "ÅÅÅÅ")}
    if options["year"] is not None:
        raise CommandError(f"Serien {name} tar inte --year.")
    if export.months == DATE:
        return {"on": parse_date(_instead_of_months(name, options, "on", "ÅÅÅÅ-MM-DD"), "--on")}
    start, end = months_for(name, export.months, options)
    return {"start": start, "end": end}


def _instead_of_months(name: str, options: dict, key: str, form: str):
    """The option a series takes instead of months (--year, --on), which it requires."""
    if any(options[month] is not None for month in ("month", "start", "end")):
        raise CommandError(f"Serien {name} tar --{key}, inte --month, --from eller --to.")
    if options[key] is None:
        raise CommandError(f"Serien {name} kräver --{key} {form}.")
    return options[key]


def months_for(name: str, kind: str, options: dict) -> tuple[pd.Period | None, pd.Period | None]:
    """The (start, end) months the arguments ask for, checked for this series."""
    month = month_option(options["month"], "--month")
    start = month_option(options["start"], "--from")
    end = month_option(options["end"], "--to")
    ranged = start is not None or end is not None
    if kind == MONTH:
        if ranged:
            raise CommandError(f"Serien {name} tar --month, inte --from/--to.")
        if month is None:
            raise CommandError(f"Serien {name} kräver --month ÅÅÅÅ-MM.")
        return month, month
    if kind == RANGE:
        if month is not None:
            raise CommandError(f"Serien {name} tar --from och --to, inte --month.")
        if start is None or end is None:
            raise CommandError(f"Serien {name} kräver --from ÅÅÅÅ-MM och --to ÅÅÅÅ-MM.")
    if month is not None and ranged:
        raise CommandError("Ange antingen --month eller --from/--to, inte båda.")
    if start is not None and end is not None and start > end:
        raise CommandError(f"--from ({start}) ligger efter --to ({end}).")
    if month is not None:
        return month, month
    return start, end


class Command(BaseCommand):
    help = (
        "Skriv en KPI-serie som CSV (komma, decimalpunkt, belopp i kronor med två decimaler, "
        "procent med tre, saknade värden tomma). Serier: " + ", ".join(EXPORTS) + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("series", metavar="SERIES", help="serien: " + ", ".join(EXPORTS))
        parser.add_argument(
            "--scope",
            default=org_selectors.HSF,
            help="hsf (standard), care:<vårdtyp>, area:<område>, department:<verksamhet> "
            "eller för kostnadsserierna unit:<ansvar>"
            + "".join(
                f"; för {name}: {export.scope_help}"
                for name, export in EXPORTS.items()
                if export.scope_help
            ),
        )
        parser.add_argument("--year", type=int, help="undersökningsåret (krävs för survey)")
        parser.add_argument(
            "--on", help="dagen listan gäller, ÅÅÅÅ-MM-DD (krävs för placements-12a)"
        )
        parser.add_argument(
            "--month", help="en månad, ÅÅÅÅ-MM (krävs för agency-ytd och skr-target-path)"
        )
        parser.add_argument(
            "--from",
            dest="start",
            help="första månad, ÅÅÅÅ-MM (krävs för agency-by-department och agency-by-unit)",
        )
        parser.add_argument(
            "--to",
            dest="end",
            help="sista månad, ÅÅÅÅ-MM (krävs för agency-by-department och agency-by-unit)",
        )
        parser.add_argument(
            "--by",
            help="för sick-leave: gender (kön), age (åldersgrupp) eller area (urvalets "
            "områden eller verksamheter) under urvalets totala rad",
        )

    def handle(self, *args, **options):
        name = options["series"]
        if name not in EXPORTS:
            raise CommandError(
                f"Okänd serie ”{name}”; välj en av: {', '.join(n for n in EXPORTS)}."
            )
        export = EXPORTS[name]
        extra = by_option(name, export, options)
        period = period_for(name, export, options)
        try:
            scope = export.parse_scope(options["scope"])
            table = export.build(export.load(), scope=scope, **extra, **period)
        except (org_selectors.ScopeError, ServiceError) as exc:
            raise CommandError(str(exc)) from exc
        columns = list(export.columns)
        self.stdout.write(to_csv(table[columns]), ending="")
        if export.audit is not None:
            export.audit(scope=scope, **period)


def by_option(name: str, export: SeriesExport, options: dict) -> dict:
    """`by=` for a series that takes --by; --by for one that does not is refused."""
    by = options["by"]
    if not export.by:
        if by is not None:
            raise CommandError(f"Serien {name} tar inte --by.")
        return {}
    if by is not None and by not in export.by:
        raise CommandError(f"--by: ”{by}” finns inte; välj {', '.join(export.by)}.")
    return {"by": by}

"""What a steering pack was built from, for its last slide and its document properties:
the import batches in use, each month's status, the build time and the app version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style
from hyrdash.lib.coverage import listed
from hyrdash.lib.periods import consecutive_runs
from kpis.costs.selection import national_quarter
from kpis.models import ImportBatch
from kpis.pack import selectors
from kpis.pack.figures import PackInput, is_preliminary
from kpis.pack.slides import sick_leave_month

# Months back from the pack's month whose data its charts read (R12 over four years).
WINDOW = 47


def month_ranges(months: Iterable[pd.Period]) -> str:
    """'2021-01 – 2024-09, 2024-11': consecutive months as one range; '–' for none."""
    texts = [
        f"{run[0]:%Y-%m}" if len(run) == 1 else f"{run[0]:%Y-%m} – {run[-1]:%Y-%m}"
        for run in consecutive_runs(months)
    ]
    return ", ".join(texts) or "–"


def _status_rows(label: str, data, months: Sequence[pd.Period]) -> list[tuple[str, str]]:
    closed = [m for m in months if not is_preliminary(data, m)]
    open_ = [m for m in months if is_preliminary(data, m)]
    return [
        (_("%(data)s: stängda månader") % {"data": label}, month_ranges(closed)),
        (_("%(data)s: preliminära månader") % {"data": label}, month_ranges(open_)),
    ]


def batch_row(batch) -> tuple[str, str]:
    """(kind and months, 'file · who · when · SHA-256 start') of an import in use; an
    import of only some units says so, with its units in use ('Utfall 2026-11, endast
    filens enheter: 0101')."""
    months = [pd.Period(m.period, freq="M") for m in batch.current_months]
    who = batch.created_by.get_username() if batch.created_by else "–"
    label = f"{batch.get_kind_display()} {month_ranges(months)}"
    if getattr(batch, "units_in_use", None):
        label = _("%(data)s, endast filens enheter: %(units)s") % {
            "data": label,
            "units": listed(batch.units_in_use),
        }
    return (
        label,
        f"{batch.file_name} · {who} · {selectors.local_time(batch.created_at)} · "
        f"SHA-256 {batch.checksum[:12]}",
    )


def provenance_rows(
    p: PackInput,
    *,
    built: dt.datetime,
    sick_leave: bool,
    extra: Sequence[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """Every row of the provenance slide, in order; `extra` are the other apps' rows."""
    month = p.month
    rows = [
        (_("Byggt"), selectors.local_time(built)),
        (_("Version"), f"hyrdash {selectors.app_version()}"),
        (_("Urval"), f"{p.scope.label} ({p.scope.key})"),
        (_("Månad"), chart_style.month_label(month)),
    ]
    costs = p.costs
    cost_months = [m for m in costs.months_actuals if month - WINDOW <= m <= month]
    rows += _status_rows(_("Utfall"), costs, cost_months)
    windows = {
        ImportBatch.Kind.ACTUALS: (month - WINDOW, month),
        ImportBatch.Kind.BUDGET: (month - WINDOW, pd.Period(year=month.year, month=12, freq="M")),
    }
    sick_end = sick_leave_month(p) if sick_leave else None
    if sick_end is not None:
        data = p.data("sick-leave")
        sick_months = [m for m in data.months if sick_end - WINDOW <= m <= sick_end]
        rows += _status_rows(_("Sjukfrånvaro"), data, sick_months)
        windows[ImportBatch.Kind.SICK_LEAVE] = (sick_end - WINDOW, sick_end)
    elif sick_leave:
        rows.append((_("Sjukfrånvaro"), _("ingen importerad till och med månaden")))
    for kind, (first, last) in windows.items():
        rows += [batch_row(b) for b in selectors.batches_in_use(kind=kind, first=first, last=last)]
    quarter = national_quarter(p.national, month=month)
    rows.append(
        (
            _("Nationell jämförelse"),
            _("SKR, %(quarter)s") % {"quarter": quarter} if quarter else _("ingen uppladdad"),
        )
    )
    return rows + list(extra)

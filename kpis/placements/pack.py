"""The placements' slide in the steering pack (kpis.pack), registered in kpis.registry.

Consultants per area and status under 12 a § on the last day of the pack's month:
counts only (the steering group sees no names), the numbers of the cost dashboard's
table beside the purchased hours (selectors.status_counts: the same rule and counting,
each consultant once per operating unit). The administration's and a care type's pack
show every area with placements in the scope; an area's pack that area only.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrdash.lib.deck import WHOLE, ChartSlide, ChartSpec, Series
from hyrdash.lib.formatting import format_number
from kpis.organisation.selectors import Scope
from kpis.placements import rules, series
from kpis.placements.models import PlacementBatch
from kpis.placements.selectors import placements_frame

LABEL = "placements-12a"


def reference_date(month: pd.Period) -> dt.date:
    """The day the pack's counts are for: the last day of its month."""
    return month.end_time.date()


def scope_counts(scope: Scope, *, on: dt.date) -> pd.DataFrame:
    """series.status_counts of the placements in the scope (the administration, a care
    type's units or an area) on `on`; empty without any."""
    placements = placements_frame()
    if scope.kind == "area":
        placements = placements[placements["area"] == scope.value]
    elif scope.kind == "care":
        placements = placements[placements["care_type"] == scope.value]
    if placements.empty:
        return pd.DataFrame(columns=["area", *series.STATUSES, "total"])
    return series.status_counts(series.limit_table(placements, on=on))


def counts_slide(counts: pd.DataFrame, *, on: dt.date, title: str) -> ChartSlide:
    """Clustered bars: one cluster per area, one bar per status."""
    chart = ChartSpec(
        "clustered_bar",
        [str(area) for area in counts["area"]],
        [
            Series(str(series.STATUS_LABELS[status]), [int(v) for v in counts[status]])
            for status in series.STATUSES
        ],
        number_format=WHOLE,
        unit_label=_("Konsulter"),
    )
    headline = _(
        "%(passed)s har passerat dag 721 · %(soon)s når dag 721 inom 90 dagar · "
        "%(total)s konsulter per driftsenhet"
    ) % {
        "passed": format_number(int(counts[rules.PASSED].sum())),
        "soon": format_number(int(counts[rules.WITHIN_90_DAYS].sum())),
        "total": format_number(int(counts["total"].sum())),
    }
    note = _(
        "Kvalificeringstid enligt 12 a § lagen om uthyrning av arbetstagare: dagar på samma "
        "driftsenhet inom 36 månader till och med %(date)s, som bokat i bemanningssystemet. "
        "Antal, inga namn."
    ) % {"date": on.isoformat()}
    return ChartSlide(title, headline, chart, note=note)


def _provenance() -> list[tuple[str, str]]:
    """One row per import whose placements are in use."""
    batches = (
        PlacementBatch.objects.filter(placements__is_current=True)
        .distinct()
        .select_related("created_by")
        .order_by("created_at", "id")
    )
    rows = []
    for batch in batches:
        who = batch.created_by.get_username() if batch.created_by else "–"
        rows.append(
            (
                _("Placeringar"),
                f"{batch.file_name} · {who} · "
                f"{timezone.localtime(batch.created_at):%Y-%m-%d %H:%M} · "
                f"SHA-256 {batch.checksum[:12]}",
            )
        )
    return rows


def pack_section(*, scope: str, month: pd.Period, comment, user=None):
    """(slides, provenance rows) of the placements for the pack of `scope` and `month`:
    nothing when the scope has no placements."""
    on = reference_date(month)
    counts = scope_counts(Scope.parse(scope), on=on)
    if counts.empty or not counts["total"].sum():
        return [], []
    title = _("Inhyrda konsulter och 12 a §, %(date)s") % {"date": on.isoformat()}
    return [counts_slide(counts, on=on, title=title)], _provenance()

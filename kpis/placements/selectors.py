"""Reads of the consultant placements: the placements in use with their place in the
organisation, the actions per consultant, and the ledger's hours to compare with."""

from __future__ import annotations

import pandas as pd

from kpis.costs import selectors as cost_selectors
from kpis.costs import series as cost_series
from kpis.models import Area, ImportBatch
from kpis.organisation.selectors import Scope
from kpis.placements import metrics, series
from kpis.placements.models import Placement, PlacementAction, PlacementBatch

PLACEMENT_COLUMNS = [
    "consultant_id",
    "consultant_name",
    "agency",
    "profession",
    "ansvar",
    "unit_name",
    "department",
    "area",
    "care_type",
    "units_separate",
    "start",
    "end",
    "hours",
]


def placements_frame(*, consultant_id: str | None = None) -> pd.DataFrame:
    """The placements in use (PLACEMENT_COLUMNS): start and end as datetime.date (end None
    while ongoing), hours a float (NaN when not given); the unit's department, area and
    care type as the register has them now. One consultant's, or everyone's."""
    found = Placement.objects.filter(is_current=True)
    if consultant_id is not None:
        found = found.filter(consultant_id=consultant_id)
    rows = found.values_list(
        "consultant_id",
        "consultant_name",
        "agency",
        "profession",
        "unit__ansvar",
        "unit__name",
        "unit__department__name",
        "unit__department__area__name",
        "unit__care_type",
        "unit__department__units_separate",
        "start",
        "end",
        "hours",
    ).order_by("consultant_id", "start", "unit__ansvar")
    frame = pd.DataFrame.from_records(list(rows), columns=PLACEMENT_COLUMNS)
    frame["hours"] = pd.to_numeric(frame["hours"], errors="coerce").astype("float64")
    frame["end"] = frame["end"].astype(object).where(frame["end"].notna(), None)
    frame["units_separate"] = frame["units_separate"].astype(bool)
    return frame


def area_names() -> list[str]:
    return list(Area.objects.values_list("name", flat=True))


def actions(*, consultant_id: str | None = None) -> list[PlacementAction]:
    """The actions recorded, oldest first; one consultant's or everyone's."""
    found = PlacementAction.objects.select_related("recorded_by")
    if consultant_id is not None:
        found = found.filter(consultant_id=consultant_id)
    return list(found)


def latest_actions() -> dict[str, PlacementAction]:
    """Each consultant's latest action (by date, then by when it was recorded)."""
    return {action.consultant_id: action for action in actions()}


def ledger_hours(*, area: str | None = None) -> pd.Series:
    """Purchased agency hours per month from the ledger (kpis.costs.series.agency_hours,
    summed over professions), for the administration or one area; Period[M] index."""
    data = cost_selectors.cost_data()
    scope = Scope("area", area) if area else Scope()
    table = cost_series.agency_hours(data, scope=scope)
    if table.empty:
        return pd.Series(dtype="float64", index=pd.PeriodIndex([], freq="M"))
    sums = table.groupby("month")["hours"].sum(min_count=1)
    sums.index = pd.PeriodIndex(sums.index, freq="M")
    return sums.astype("float64")


def placement_batches():
    return PlacementBatch.objects.select_related("created_by", "undone_by")


def status_counts(*, on) -> pd.DataFrame:
    """Consultants per area and status on `on` (series.status_counts); empty without
    placements."""
    placements = placements_frame()
    if placements.empty:
        return pd.DataFrame(columns=["area", *series.STATUSES, "total"])
    return series.status_counts(series.limit_table(placements, on=on))


def hours_comparison(*, area: str = "", on=None) -> tuple[pd.DataFrame, int]:
    """(metrics.hours_comparison for the administration or an area up to the month of
    `on`, the placements left out of the hours)."""
    last = None if on is None else pd.Period(on, freq="M")
    placements = placements_frame()
    if area:
        placements = placements[placements["area"] == area]
    booked, left_out = metrics.hours_per_month(placements)
    return metrics.hours_comparison(booked, ledger_hours(area=area), last=last), left_out


def latest_imports() -> tuple[PlacementBatch | None, ImportBatch | None]:
    """The newest placements import and the newest ledger (actuals) import not undone:
    the hours chart's sources ("Om måttet")."""
    return (
        PlacementBatch.objects.filter(undone_at=None).order_by("-created_at", "-id").first(),
        ImportBatch.objects.filter(kind=ImportBatch.Kind.ACTUALS, undone_at=None)
        .order_by("-created_at", "-id")
        .first(),
    )

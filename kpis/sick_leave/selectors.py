"""Reads for the sick-leave page: the current batches' rows, with the organisation of
each month, and the targets."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.db import connection

from kpis.batches import closed_months, months_with_data
from kpis.models import Area, BatchMonth, Department, ImportBatch, SickLeaveRow, Target
from kpis.organisation.selectors import placement_history, placements_as_of
from kpis.sick_leave.extracts import SICK_LEAVE_HOURS

# --- sick leave -----------------------------------------------------------------------


SICK_LEAVE_COLUMNS = [
    "period",
    "unit_id",
    "gender",
    "age_band",
    "employees",
    *SICK_LEAVE_HOURS,
    "department_id",
    "department",
    "area_id",
    "area",
    "care_type",
]


@dataclass
class SickLeaveData:
    """Everything the sick-leave page and exports need, read in a few queries."""

    # The current batches' rows, one per month x unit x gender x age band (the
    # microcells every figure is a sum of), by period, unit_id, gender and age band,
    # each with its unit's department, area and care type *of that month*
    # (placements_as_of): period (Period[M]), unit_id, gender, age_band, employees,
    # ordinary_hours, sick_hours_1_14, sick_hours_15_59, sick_hours_60, department_id,
    # department, area_id, area, care_type.
    rows: pd.DataFrame
    months: pd.PeriodIndex  # months a current sick-leave import covers
    threshold: int  # the smallest group shown (settings.SICK_LEAVE_MIN_GROUP)
    targets: dict[tuple[int, str], float] = field(default_factory=dict)
    closed: set[pd.Period] = field(default_factory=set)
    areas: list[str] = field(default_factory=list)
    # department -> its area in the newest month with data (the register's, and the
    # history's departments too: one emptied by a move keeps its earlier months).
    departments: dict[str, str] = field(default_factory=dict)
    # The cells with their suppression, computed once (kpis.series.sick_leave_cells).
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def last_month(self) -> pd.Period | None:
        return self.months[-1] if len(self.months) else None

    def is_preliminary(self, month: pd.Period) -> bool:
        """Only the newest month is preliminary, until it is closed: payroll's corrections
        of a month come with the next month's extract."""
        return month == self.last_month and month not in self.closed


def sick_leave_frame(*, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The current sick-leave rows (SickLeaveData.rows), read in one SQL query, with the
    organisation of each row's month: `history` as for placements_as_of (by default
    the stored one), so a unit that moves keeps its earlier months where they were."""
    sql = f"""
        SELECT CAST(r.period AS VARCHAR(10)), r.unit_id, r.gender, r.age_band, r.employees,
               CAST(r.ordinary_hours AS DOUBLE PRECISION),
               CAST(r.sick_hours_1_14 AS DOUBLE PRECISION),
               CAST(r.sick_hours_15_59 AS DOUBLE PRECISION),
               CAST(r.sick_hours_60 AS DOUBLE PRECISION)
        FROM {SickLeaveRow._meta.db_table} r
        JOIN {BatchMonth._meta.db_table} bm ON bm.batch_id = r.batch_id AND bm.period = r.period
        WHERE bm.is_current = %s
        ORDER BY r.period, r.unit_id, r.gender, r.age_band
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [True])
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=SICK_LEAVE_COLUMNS[:9])
    dates = pd.to_datetime(frame["period"].astype("str"), format="%Y-%m-%d")
    frame["period"] = pd.PeriodIndex(dates, freq="M")
    frame["unit_id"] = frame["unit_id"].astype("int64")
    frame["employees"] = frame["employees"].astype("int64")
    for column in SICK_LEAVE_HOURS:
        frame[column] = frame[column].astype("float64")
    return placements_as_of(frame, history=history)


def sick_leave_targets() -> dict[tuple[int, str], float]:
    """Sick-leave targets as {(year, scope key): pct}."""
    return {
        (t.year, t.scope_key): float(t.pct)
        for t in Target.objects.filter(measure=Target.Measure.SICK_LEAVE).select_related("area")
    }


def sick_leave_data(*, history: pd.DataFrame | None = None) -> SickLeaveData:
    """The sick-leave data with the organisation of each month (`history` as for
    sick_leave_frame). The areas are the register's; the departments are the
    register's and the history's, each in its area of the newest month with data."""
    history = placement_history() if history is None else history
    months = months_with_data(kind=ImportBatch.Kind.SICK_LEAVE)
    areas = list(Area.objects.values_list("name", flat=True))
    areas += sorted(set(history["area"]) - set(areas))
    return SickLeaveData(
        rows=sick_leave_frame(history=history),
        months=months,
        threshold=settings.SICK_LEAVE_MIN_GROUP,
        targets=sick_leave_targets(),
        closed=closed_months(kind=ImportBatch.Kind.SICK_LEAVE),
        areas=areas,
        departments=_department_areas(history, months[-1] if len(months) else None),
    )


def _department_areas(history: pd.DataFrame, month: pd.Period | None) -> dict[str, str]:
    """Each department's area in `month` (the newest with data): that of its units'
    placements then; a department without units then keeps the area of its last
    placement, or the register's. A department moved to another area after the newest
    month stays where the figures shown so far put it."""
    areas = dict(Department.objects.values_list("name", "area__name"))
    ordered = history.sort_values("valid_from", kind="stable")
    last = ordered.drop_duplicates("department", keep="last")
    areas.update(zip(last["department"], last["area"], strict=True))
    if month is not None:
        then = ordered[ordered["valid_from"] <= month].drop_duplicates("unit_id", keep="last")
        areas.update(zip(then["department"], then["area"], strict=True))
    return areas

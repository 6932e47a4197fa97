"""Reads for the sick-leave page: the current batches' rows and the targets."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.db import connection

from hyrdash.lib import periods
from kpis.batches import closed_through, current_rows_sql, months_with_data
from kpis.models import Area, Department, ImportBatch, SickLeaveRow, Target, Unit
from kpis.organisation.selectors import targets
from kpis.sick_leave.extracts import SICK_LEAVE_HOURS

# --- sick leave -----------------------------------------------------------------------


SICK_LEAVE_COLUMNS = [
    "period",
    "area",
    "department",
    "care_type",
    "gender",
    "age_band",
    "employees",
    *SICK_LEAVE_HOURS,
]


@dataclass
class SickLeaveData:
    """Everything the sick-leave page and exports need, read in a few queries."""

    # Sums of the current batches per month x department x care type x gender x age
    # band: period (Period[M]), area, department, care_type, gender, age_band,
    # employees, ordinary_hours, sick_hours_1_14, sick_hours_15_59, sick_hours_60.
    rows: pd.DataFrame
    months: pd.PeriodIndex  # months a current sick-leave import covers
    max_hidden: int  # the largest group never shown (settings.SICK_LEAVE_MAX_HIDDEN_GROUP)
    # {(year, scope key): pct, or "hsf" for a scope that follows the administration's}
    targets: dict[tuple[int, str], float | str] = field(default_factory=dict)
    closed_through: pd.Period | None = None  # the last closed month (kpis.batches)
    areas: list[str] = field(default_factory=list)
    departments: dict[str, str] = field(default_factory=dict)  # department -> its area
    # The cells with their suppression, computed once (kpis.series.sick_leave_cells).
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def last_month(self) -> pd.Period | None:
        return self.months[-1] if len(self.months) else None

    def is_preliminary(self, month: pd.Period) -> bool:
        """After the last closed month (hyrdash.lib.periods.is_preliminary): payroll's
        corrections of a month come with the next month's extract, so HR closes a month
        once they are in."""
        return periods.is_preliminary(month, closed_through=self.closed_through)


def sick_leave_frame() -> pd.DataFrame:
    """The current sick-leave rows summed per month, department, care type, gender and
    age band (SickLeaveData.rows), in one SQL query: the rows in use (current_rows_sql),
    so a unit an import of only some units replaced counts with its newest rows.

    The rows are summed per department id and the names joined afterwards: sorting
    hundreds of thousands of rows by two names (in the database's collation) took most
    of the query's time (bench/pack.py).
    """
    join, condition = current_rows_sql("r")
    sql = f"""
        SELECT CAST(s.period AS VARCHAR(10)), a.name, d.name, s.care_type, s.gender,
               s.age_band, s.employees, s.ordinary_hours, s.sick_hours_1_14,
               s.sick_hours_15_59, s.sick_hours_60
        FROM (
            SELECT r.period, u.department_id, u.care_type, r.gender, r.age_band,
                   SUM(r.employees) AS employees,
                   CAST(SUM(r.ordinary_hours) AS DOUBLE PRECISION) AS ordinary_hours,
                   CAST(SUM(r.sick_hours_1_14) AS DOUBLE PRECISION) AS sick_hours_1_14,
                   CAST(SUM(r.sick_hours_15_59) AS DOUBLE PRECISION) AS sick_hours_15_59,
                   CAST(SUM(r.sick_hours_60) AS DOUBLE PRECISION) AS sick_hours_60
            FROM {SickLeaveRow._meta.db_table} r
            {join}
            JOIN {Unit._meta.db_table} u ON u.id = r.unit_id
            WHERE {condition}
            GROUP BY r.period, u.department_id, u.care_type, r.gender, r.age_band
        ) s
        JOIN {Department._meta.db_table} d ON d.id = s.department_id
        JOIN {Area._meta.db_table} a ON a.id = d.area_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=SICK_LEAVE_COLUMNS)
    dates = pd.to_datetime(frame["period"].astype("str"), format="%Y-%m-%d")
    frame["period"] = pd.PeriodIndex(dates, freq="M")
    frame["employees"] = frame["employees"].astype("int64")
    for column in SICK_LEAVE_HOURS:
        frame[column] = frame[column].astype("float64")
    return frame


def sick_leave_targets() -> dict[tuple[int, str], float | str]:
    """Sick-leave targets as {(year, scope key): pct, or "hsf" where the scope follows the
    administration's}."""
    return targets(measure=Target.Measure.SICK_LEAVE)


def sick_leave_data() -> SickLeaveData:
    return SickLeaveData(
        rows=sick_leave_frame(),
        months=months_with_data(kind=ImportBatch.Kind.SICK_LEAVE),
        max_hidden=settings.SICK_LEAVE_MAX_HIDDEN_GROUP,
        targets=sick_leave_targets(),
        closed_through=closed_through(kind=ImportBatch.Kind.SICK_LEAVE),
        areas=list(Area.objects.values_list("name", flat=True)),
        departments=dict(Department.objects.values_list("name", "area__name")),
    )

"""Reads for the sick-leave page: the current batches' rows, with the organisation of
each month, and the targets."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.db import connection

from hyrdash.lib import digest, periods
from kpis.batches import closed_through, current_rows_sql, months_with_data
from kpis.models import (
    Area,
    Department,
    ImportBatch,
    SickLeaveRow,
    Target,
    Unit,
    UnitPlacement,
    WithheldFigure,
)
from kpis.organisation.selectors import (
    department_areas_by_month,
    placement_history,
    placements_as_of,
    targets,
)
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

# The current batches' rows as stored, one per month x unit x gender x age band (the
# microcells every figure is a sum of), without the organisation.
UNIT_ROW_COLUMNS = ["period", "unit_id", "gender", "age_band", "employees", *SICK_LEAVE_HOURS]


@dataclass
class SickLeaveData:
    """Everything the sick-leave page and exports need, read in a few queries."""

    # Sums of the current batches per month x department x care type x gender x age
    # band, each unit counted where it stood *that month* (kpis.models.UnitPlacement):
    # period (Period[M]), area, department, care_type, gender, age_band, employees,
    # ordinary_hours, sick_hours_1_14, sick_hours_15_59, sick_hours_60.
    rows: pd.DataFrame
    months: pd.PeriodIndex  # months a current sick-leave import covers
    max_hidden: int  # the largest group never shown (settings.SICK_LEAVE_MAX_HIDDEN_GROUP)
    # {(year, scope key): pct, or "hsf" for a scope that follows the administration's}
    targets: dict[tuple[int, str], float | str] = field(default_factory=dict)
    closed_through: pd.Period | None = None  # the last closed month (kpis.batches)
    # The register's areas, and the history's (an area emptied by a move keeps its
    # earlier months).
    areas: list[str] = field(default_factory=list)
    # department -> its area in the newest month with data (the register's, and the
    # history's departments too: one emptied by a move keeps its earlier months).
    departments: dict[str, str] = field(default_factory=dict)
    # month -> {department: its area that month}: an area's departments month by month
    # (kpis.organisation.selectors.department_areas_by_month).
    department_areas: dict[pd.Period, dict[str, str]] = field(default_factory=dict)
    # month -> the (node, group) figures withheld because a move restated the month
    # (kpis.WithheldFigure): the month's decision withholds them as it does small groups.
    withheld: dict[pd.Period, frozenset] = field(default_factory=dict)
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

    def area_of(self, department: str, month: pd.Period) -> str | None:
        """The area `department` belonged to in `month`."""
        return self.department_areas.get(month, self.departments).get(department)


def sick_leave_frame() -> pd.DataFrame:
    """The current sick-leave rows summed per month, department, care type, gender and
    age band (SickLeaveData.rows), each unit where its placement of the row's month puts
    it (kpis.models.UnitPlacement): the rows in use (current_rows_sql), so a unit an
    import of only some units replaced counts with its newest rows.

    A unit placed nowhere but where the register puts it today (every unit that never
    moved, and one without any placement) is summed in SQL by its register department
    as before the history, the rows summed per department id and the names joined
    afterwards (sorting hundreds of thousands of rows by two names in the database's
    collation took most of the query's time, bench/pack.py). The units placed elsewhere
    in some month (_moved_units_sql: few) are read row by row and placed month by month
    (placed_frame); a join of every row with the placements took the query from 2 to
    4-6 s on bench/pack.py's 576,000 rows.
    """
    moved = _moved_units_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS ({moved})")
        any_moved = bool(cursor.fetchone()[0])
    frame = _register_sums(f"r.unit_id NOT IN ({moved})" if any_moved else None)
    if not any_moved:
        return frame
    rows = sick_leave_unit_frame(only=f"r.unit_id IN ({moved})")
    parts = [frame, placed_frame(rows, placement_history())]
    keys = SICK_LEAVE_COLUMNS[:6]
    both = pd.concat(parts, ignore_index=True).groupby(keys, sort=False, observed=True)
    return _typed(both[SICK_LEAVE_COLUMNS[6:]].sum().reset_index()[SICK_LEAVE_COLUMNS])


def register_state() -> str:
    """A digest of what `sick_leave_frame` reads of the register: each unit's department
    and care type, each department's name and area, each area's name, and every unit's
    placements. With sick leave's own data version (the rows in use change only with a
    sick-leave import or its undo) it names the frame (kpis.sick_leave.cached), so a
    change of anything else (a comment, a target, a mapping) does not sum the rows again.
    """
    return digest.of(
        list(Unit.objects.order_by("id").values_list("id", "department_id", "care_type")),
        list(Department.objects.order_by("id").values_list("id", "name", "area_id")),
        list(Area.objects.order_by("id").values_list("id", "name")),
        list(
            UnitPlacement.objects.order_by("id").values_list(
                "id", "unit_id", "valid_from", "department_id", "area_id", "care_type"
            )
        ),
    )


def _moved_units_sql() -> str:
    """SQL for the ids of the units with a placement other than where the register puts
    them today (a unit's newest placement is the register's, so: the units that moved)."""
    return f"""
        SELECT p.unit_id FROM {UnitPlacement._meta.db_table} p
        JOIN {Unit._meta.db_table} u ON u.id = p.unit_id
        JOIN {Department._meta.db_table} ud ON ud.id = u.department_id
        WHERE p.department_id <> u.department_id OR p.area_id <> ud.area_id
           OR p.care_type <> u.care_type
    """


def _register_sums(only: str | None) -> pd.DataFrame:
    """The rows in use (of the units `only` selects, an SQL condition on r) summed per
    month and the register's department, care type, gender and age band."""
    join, condition = current_rows_sql("r")
    if only:
        condition = f"{condition} AND {only}"
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
    return _typed(frame)


def sick_leave_unit_frame(*, only: str | None = None) -> pd.DataFrame:
    """The current sick-leave rows as stored (UNIT_ROW_COLUMNS), one per month x unit x
    gender x age band, by period, unit_id, gender and age band: the microcells (the rows
    in use, as for sick_leave_frame), in an order that does not depend on the
    organisation. `only`: an SQL condition on r, the rows of some units."""
    join, condition = current_rows_sql("r")
    if only:
        condition = f"{condition} AND {only}"
    sql = f"""
        SELECT CAST(r.period AS VARCHAR(10)), r.unit_id, r.gender, r.age_band, r.employees,
               CAST(r.ordinary_hours AS DOUBLE PRECISION),
               CAST(r.sick_hours_1_14 AS DOUBLE PRECISION),
               CAST(r.sick_hours_15_59 AS DOUBLE PRECISION),
               CAST(r.sick_hours_60 AS DOUBLE PRECISION)
        FROM {SickLeaveRow._meta.db_table} r
        {join}
        WHERE {condition}
        ORDER BY r.period, r.unit_id, r.gender, r.age_band
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=UNIT_ROW_COLUMNS)
    frame = _typed(frame)
    frame["unit_id"] = frame["unit_id"].astype("int64")
    return frame


def placed_frame(unit_rows: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """`unit_rows` (sick_leave_unit_frame) summed as sick_leave_frame sums them, with the
    placement history `history` instead of the stored one: the figures a planned move
    would give (kpis.sick_leave.releases)."""
    placed = placements_as_of(unit_rows, history=history)
    keys = SICK_LEAVE_COLUMNS[:6]
    frame = placed.groupby(keys, sort=False, observed=True)[SICK_LEAVE_COLUMNS[6:]].sum()
    return _typed(frame.reset_index()[SICK_LEAVE_COLUMNS])


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame["period"].dtype, pd.PeriodDtype):
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


def sick_leave_data(
    *,
    history: pd.DataFrame | None = None,
    unit_rows: pd.DataFrame | None = None,
    frame: pd.DataFrame | None = None,
) -> SickLeaveData:
    """The sick-leave data with the organisation of each month: the stored placements
    (sick_leave_frame, or `frame`, what it gave, kpis.sick_leave.cached), or the
    placement history `history` (placed_frame, over `unit_rows` or the stored rows). The
    areas are the register's and the history's; the departments are the register's and
    the history's, each in its area of the newest month with data, and month by month in
    department_areas."""
    if history is None:
        history = placement_history()
        rows = sick_leave_frame() if frame is None else frame.copy()
    else:
        rows = placed_frame(sick_leave_unit_frame() if unit_rows is None else unit_rows, history)
    months = months_with_data(kind=ImportBatch.Kind.SICK_LEAVE)
    register = dict(Department.objects.values_list("name", "area__name"))
    by_month = department_areas_by_month(history, months, register=register)
    areas = list(Area.objects.values_list("name", flat=True))
    areas += sorted(set(history["area"]) - set(areas))
    return SickLeaveData(
        rows=rows,
        withheld=withheld_figures(),
        months=months,
        max_hidden=settings.SICK_LEAVE_MAX_HIDDEN_GROUP,
        targets=sick_leave_targets(),
        closed_through=closed_through(kind=ImportBatch.Kind.SICK_LEAVE),
        areas=areas,
        departments=by_month[months[-1]] if len(months) else _newest(history, register),
        department_areas=by_month,
    )


def withheld_figures() -> dict[pd.Period, frozenset]:
    """The figures withheld after moves (kpis.WithheldFigure), month by month."""
    found: dict[pd.Period, set] = {}
    for month, node, group in WithheldFigure.objects.values_list("month", "node", "group"):
        found.setdefault(pd.Period(month, freq="M"), set()).add((node, group))
    return {month: frozenset(keys) for month, keys in found.items()}


def _newest(history: pd.DataFrame, register: dict[str, str]) -> dict[str, str]:
    """Each department's area in its newest placement, else the register's."""
    areas = dict(register)
    last = history.sort_values("valid_from", kind="stable").drop_duplicates(
        "department", keep="last"
    )
    areas.update(zip(last["department"], last["area"], strict=True))
    return areas


def latest_import() -> ImportBatch | None:
    """The newest sick-leave import not undone (the "Om måttet" panels' latest import)."""
    return (
        ImportBatch.objects.filter(kind=ImportBatch.Kind.SICK_LEAVE, undone_at=None)
        .order_by("-created_at", "-id")
        .first()
    )

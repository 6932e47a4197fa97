"""Reads for the cost dashboard: the current ledger sums per department and category
(`cost_data`, one query per kind), the targets, the last closed month and the month's
comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db import connection

from hyrdash.lib import periods
from hyrdash.lib.pgcopy import copy_frame
from kpis.batches import closed_through, months_with_data
from kpis.models import Area, Commentary, Department, DepartmentMonthlyCost, ImportBatch, Target
from kpis.organisation import selectors as org_selectors
from kpis.organisation.scopes import HSF


@dataclass
class CostData:
    """Everything a cost dashboard page needs, read in a few queries."""

    actuals: (
        pd.DataFrame
    )  # period (Period[M]), area, department, care_type, category, amount, hours
    budget: pd.DataFrame
    months_actuals: pd.PeriodIndex  # months an actuals import covers
    months_budget: pd.PeriodIndex
    # {(year, scope key): pct, or "hsf" for a scope that follows the administration's}
    targets: dict[tuple[int, str], float | str] = field(default_factory=dict)
    closed_through: pd.Period | None = None  # the last closed month (kpis.batches)
    areas: list[str] = field(default_factory=list)
    departments: dict[str, str] = field(default_factory=dict)  # department -> its area
    # Sums per month x category, per (kind, scope key, value): computed once per page.
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def last_month(self) -> pd.Period | None:
        return self.months_actuals[-1] if len(self.months_actuals) else None

    def is_preliminary(self, month: pd.Period) -> bool:
        """After the last closed month (hyrdash.lib.periods.is_preliminary)."""
        return periods.is_preliminary(month, closed_through=self.closed_through)


COST_COLUMNS = ["period", "area", "department", "care_type", "category", "amount", "hours"]


def cost_frame(*, kind: str) -> pd.DataFrame:
    """Monthly sums per department, care type and category (SEK, hours) for one kind.

    One SQL query whose values arrive as plain text and floats: converting
    every row to date and Decimal objects cost more than the rest of the page.
    On PostgreSQL the rows come through COPY as CSV, read by pandas' C parser:
    making a Python tuple of every row cost twice as much, and was most of
    what made the page slower on a large organisation (bench/dashboard.py).
    Text columns become categoricals so scope filters are cheap.
    """
    sql = f"""
        SELECT CAST(c.period AS VARCHAR(10)), a.name, d.name, c.care_type, c.category,
               CAST(c.amount AS DOUBLE PRECISION), CAST(c.hours AS DOUBLE PRECISION)
        FROM {DepartmentMonthlyCost._meta.db_table} c
        JOIN {Department._meta.db_table} d ON d.id = c.department_id
        JOIN {Area._meta.db_table} a ON a.id = d.area_id
        WHERE c.kind = %s
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            frame = copy_frame(
                cursor,
                sql,
                [kind],
                columns=COST_COLUMNS,
                dtype={
                    **dict.fromkeys(COST_COLUMNS[:5], "str"),
                    "amount": "float64",
                    "hours": "float64",
                },
                na_values={"hours": [""]},
            )
        else:
            cursor.execute(sql, [kind])
            frame = pd.DataFrame.from_records(cursor.fetchall(), columns=COST_COLUMNS)
    dates = pd.to_datetime(frame["period"].astype("str"), format="%Y-%m-%d")
    frame["period"] = pd.PeriodIndex(dates, freq="M")
    for column in ("area", "department", "care_type", "category"):
        frame[column] = frame[column].astype("category")
    frame["amount"] = frame["amount"].astype("float64")
    frame["hours"] = frame["hours"].astype("float64")
    return frame


def targets() -> dict[tuple[int, str], float | str]:
    """SKR targets as {(year, scope key): pct, or "hsf" where the scope follows the
    administration's} (kpis.organisation.selectors.targets)."""
    return org_selectors.targets(measure=Target.Measure.SKR)


def cost_data() -> CostData:
    return CostData(
        actuals=cost_frame(kind=ImportBatch.Kind.ACTUALS),
        budget=cost_frame(kind=ImportBatch.Kind.BUDGET),
        months_actuals=months_with_data(kind=ImportBatch.Kind.ACTUALS),
        months_budget=months_with_data(kind=ImportBatch.Kind.BUDGET),
        targets=targets(),
        closed_through=closed_through(kind=ImportBatch.Kind.ACTUALS),
        areas=list(Area.objects.values_list("name", flat=True)),
        departments=dict(Department.objects.values_list("name", "area__name")),
    )


@dataclass(frozen=True)
class ChartComments:
    """A chart's comments for a month: the scope's own, and the administration's when the
    scope is another (shown apart, marked as the administration's)."""

    own: Commentary | None = None
    hsf: Commentary | None = None


def commentaries(*, month: pd.Period, scope: str = HSF) -> dict[str, ChartComments]:
    """The month's comments per chart code, for the scope (its key) and the
    administration's."""
    found = Commentary.objects.filter(
        period=month.to_timestamp().date(), scope__in={scope, HSF}
    ).select_related("author")
    own = {c.chart: c for c in found if c.scope == scope}
    hsf = {c.chart: c for c in found if c.scope == HSF and scope != HSF}
    return {chart: ChartComments(own.get(chart), hsf.get(chart)) for chart in {*own, *hsf}}

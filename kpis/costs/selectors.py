"""Reads for the cost dashboard: the current ledger sums per department and category
(`cost_data`, one query per kind), the targets and the month's comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db import connection

from hyrdash.lib.pgcopy import copy_frame
from kpis.batches import closed_months, months_with_data
from kpis.models import Area, Commentary, Department, DepartmentMonthlyCost, ImportBatch, Target


@dataclass
class CostData:
    """Everything a cost dashboard page needs, read in a few queries."""

    actuals: (
        pd.DataFrame
    )  # period (Period[M]), area, department, care_type, category, amount, hours
    budget: pd.DataFrame
    months_actuals: pd.PeriodIndex  # months an actuals import covers
    months_budget: pd.PeriodIndex
    targets: dict[tuple[int, str], float] = field(default_factory=dict)
    closed: set[pd.Period] = field(default_factory=set)
    areas: list[str] = field(default_factory=list)
    # Sums per month x category, per (kind, scope key, value): computed once per page.
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def last_month(self) -> pd.Period | None:
        return self.months_actuals[-1] if len(self.months_actuals) else None

    def is_preliminary(self, month: pd.Period) -> bool:
        return month not in self.closed


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


def targets() -> dict[tuple[int, str], float]:
    """SKR targets as {(year, scope key): pct}."""
    return {
        (t.year, t.scope_key): float(t.pct)
        for t in Target.objects.filter(measure=Target.Measure.SKR).select_related("area")
    }


def cost_data() -> CostData:
    return CostData(
        actuals=cost_frame(kind=ImportBatch.Kind.ACTUALS),
        budget=cost_frame(kind=ImportBatch.Kind.BUDGET),
        months_actuals=months_with_data(kind=ImportBatch.Kind.ACTUALS),
        months_budget=months_with_data(kind=ImportBatch.Kind.BUDGET),
        targets=targets(),
        closed=closed_months(kind=ImportBatch.Kind.ACTUALS),
        areas=list(Area.objects.values_list("name", flat=True)),
    )


def commentaries(*, month: pd.Period) -> dict[str, Commentary]:
    """The month's comments per chart code."""
    found = Commentary.objects.filter(period=month.to_timestamp().date()).select_related("author")
    return {comment.chart: comment for comment in found}

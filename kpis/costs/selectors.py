"""Reads for the cost dashboard: the current ledger sums per department and category
(`cost_data`, one query per kind), a department's or a unit's sums per unit when a page
asks for them (`unit_cost_frames`), the targets, the last closed month, the month's
comments, and what "Om måttet" says about the data (`measure_sources`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db import connection

from hyrdash.lib import periods
from hyrdash.lib.pgcopy import copy_frame
from kpis.batches import closed_through, months_with_data
from kpis.models import (
    Account,
    Area,
    Category,
    Commentary,
    Department,
    DepartmentMonthlyCost,
    ImportBatch,
    MonthlyCost,
    NationalShare,
    Target,
    Unit,
)
from kpis.organisation import selectors as org_selectors
from kpis.organisation.scopes import HSF, UNIT


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

    def frame(self, kind: str, scope) -> pd.DataFrame:
        """The monthly sums of `kind` ("actuals" or "budget") in `scope`: the department
        sums, or for a unit its own (`unit_frame`)."""
        if scope.kind == UNIT:
            return scope.filter(self.unit_frame(kind, department=scope.parent))
        return scope.filter(getattr(self, kind))

    def unit_frame(self, kind: str, *, department: str) -> pd.DataFrame:
        """A department's sums per unit (`unit_cost_frames`), read once per page."""
        key = ("units", department)
        if key not in self.cache:
            self.cache[key] = unit_cost_frames(department=department)
        return self.cache[key][kind]

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


UNIT_COLUMNS = [*COST_COLUMNS[:3], "unit", "unit_name", *COST_COLUMNS[3:]]


def unit_cost_frames(*, department: str) -> dict[str, pd.DataFrame]:
    """Monthly sums per unit of one department and category (SEK, hours), actuals and
    budget ({kind: frame}), from the MonthlyCost view (the current ledger rows' sums):
    the columns of `cost_frame` and the unit's `unit` (ansvar) and `unit_name`.

    Only a department's or a unit's page reads them. The view sums the ledger, which has
    no index on the unit: the units' ids go into the query as values, so PostgreSQL
    filters the ledger's rows before it sums them (a join on the department's name made
    it sum the whole ledger first: 0,70 s instead of 0,10 s on the demo's 283 559 rows).
    """
    units = {
        pk: (ansvar, name, care_type, area)
        for pk, ansvar, name, care_type, area in Unit.objects.filter(
            department__name=department
        ).values_list("pk", "ansvar", "name", "care_type", "department__area__name")
    }
    kinds = (ImportBatch.Kind.ACTUALS, ImportBatch.Kind.BUDGET)
    rows = []
    if units:
        marks = ", ".join(["%s"] * len(units))
        sql = f"""
            SELECT c.kind, CAST(c.period AS VARCHAR(10)), c.unit_id, c.category,
                   CAST(c.amount AS DOUBLE PRECISION), CAST(c.hours AS DOUBLE PRECISION)
            FROM {MonthlyCost._meta.db_table} c
            WHERE c.kind IN (%s, %s) AND c.unit_id IN ({marks})
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*kinds, *units])
            rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(
        [
            (
                kind,
                period,
                units[pk][3],
                department,
                units[pk][0],
                units[pk][1],
                units[pk][2],
                category,
                amount,
                hours,
            )
            for kind, period, pk, category, amount, hours in rows
        ],
        columns=["kind", *UNIT_COLUMNS],
    )
    dates = pd.to_datetime(frame["period"].astype("str"), format="%Y-%m-%d")
    frame["period"] = pd.PeriodIndex(dates, freq="M")
    for column in ("area", "department", "unit", "unit_name", "care_type", "category"):
        frame[column] = frame[column].astype("str").astype("category")
    frame["amount"] = frame["amount"].astype("float64")
    frame["hours"] = frame["hours"].astype("float64")
    return {
        str(kind): frame[frame["kind"] == kind].drop(columns="kind").reset_index(drop=True)
        for kind in kinds
    }


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


@dataclass(frozen=True)
class MeasureSources:
    """What the "Om måttet" panels say about the data: the accounts of each category as
    the mapping is now ({category: ["4601 Inhyrd personal läkare", ...]}), the newest
    import of actuals and of budget that is not undone (None when there is none), and
    the national comparison's quarters."""

    accounts: dict[str, list[str]]
    latest: dict[str, ImportBatch | None]
    national_quarters: list[str]


def measure_sources(*, national: pd.DataFrame | None = None) -> MeasureSources:
    """Three reads (accounts, the two newest imports); the national quarters come from
    the table the page has read already when given."""
    accounts: dict[str, list[str]] = {}
    for konto, name, category in Account.objects.exclude(category=Category.IGNORERA).values_list(
        "konto", "name", "category"
    ):
        accounts.setdefault(category, []).append(f"{konto} {name}")
    latest = {
        kind: ImportBatch.objects.filter(kind=kind, undone_at=None)
        .order_by("-created_at", "-id")
        .first()
        for kind in (ImportBatch.Kind.ACTUALS, ImportBatch.Kind.BUDGET)
    }
    if national is None:
        quarters = NationalShare.objects.values_list("quarter", flat=True).distinct()
    else:
        quarters = national["quarter"]
    return MeasureSources(accounts, latest, sorted(set(quarters)))

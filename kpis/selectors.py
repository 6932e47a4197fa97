"""Reads: what the dashboards and exports need from the database, as pandas frames.

The dashboards read the per-department monthly sums (DepartmentMonthlyCost),
never the ledger rows, so their time does not grow with the ledger. One page
loads `cost_data()` once and derives every series from it (kpis.series).
"""

from __future__ import annotations

import io
from contextlib import nullcontext
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from .models import (
    Area,
    BatchMonth,
    CareType,
    Commentary,
    Department,
    DepartmentMonthlyCost,
    ImportBatch,
    MonthStatus,
    NationalShare,
    SickLeaveRow,
    Target,
    Unit,
)

HSF = "hsf"
SCOPE_KINDS = ("hsf", "care", "area", "department")
DASHBOARD_CARE_TYPES = (CareType.SJUKHUSVARD, CareType.PRIMARVARD, CareType.TANDVARD)


class ScopeError(ValueError):
    """An unknown scope; the message is for the user."""


@dataclass(frozen=True)
class Scope:
    """What part of the organisation a figure covers.

    `hsf` (the whole administration), `care:<vårdtyp>`, `area:<område>` or
    `department:<verksamhet>`, the same strings the command line takes.
    """

    kind: str = HSF
    value: str = ""

    @classmethod
    def parse(cls, text: str | None) -> Scope:
        text = (text or HSF).strip()
        if text == HSF:
            return cls()
        kind, sep, value = text.partition(":")
        value = value.strip()
        if not sep or kind not in SCOPE_KINDS[1:] or not value:
            raise ScopeError(
                _(
                    "Okänt urval %(scope)s: använd hsf, care:<vårdtyp>, area:<område> "
                    "eller department:<verksamhet>."
                )
                % {"scope": text}
            )
        if kind == "care":
            value = value.lower()
            if value not in CareType.values:
                raise ScopeError(
                    _("Okänd vårdtyp %(value)s (tillåtna: %(allowed)s).")
                    % {"value": value, "allowed": ", ".join(CareType.values)}
                )
        elif kind == "area" and not Area.objects.filter(name=value).exists():
            raise ScopeError(_("Området %(value)s finns inte.") % {"value": value})
        elif kind == "department" and not Department.objects.filter(name=value).exists():
            raise ScopeError(_("Verksamheten %(value)s finns inte.") % {"value": value})
        return cls(kind, value)

    @property
    def key(self) -> str:
        return HSF if self.kind == HSF else f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        if self.kind == HSF:
            return _("Hela förvaltningen")
        if self.kind == "care":
            return str(CareType(self.value).label)
        return self.value

    def filter(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a cost frame (columns area, department, care_type) in this scope."""
        if self.kind == HSF:
            return frame
        column = {"care": "care_type", "area": "area", "department": "department"}[self.kind]
        return frame[frame[column] == self.value]


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
            frame = _copy_frame(cursor, sql, [kind])
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


def _copy_frame(cursor, sql: str, params: list) -> pd.DataFrame:
    """The rows of `sql` (COST_COLUMNS) through PostgreSQL's COPY TO STDOUT as CSV.

    The same frame as DataFrame.from_records on the fetched rows: text as str,
    amounts and hours as floats, NULL hours as NaN. Recorded in
    connection.queries like any other query.
    """
    copy = f"COPY ({connection.ops.compose_sql(sql, params)}) TO STDOUT WITH (FORMAT csv)"
    buffer = io.StringIO()
    debug_sql = getattr(cursor, "debug_sql", None)  # Django's debug cursor (DEBUG, tests)
    with debug_sql(sql=copy) if debug_sql else nullcontext():
        cursor.cursor.copy_expert(copy, buffer)
    if not buffer.tell():
        return pd.DataFrame.from_records([], columns=COST_COLUMNS)
    buffer.seek(0)
    text = dict.fromkeys(COST_COLUMNS[:5], "str")
    return pd.read_csv(
        buffer,
        header=None,
        names=COST_COLUMNS,
        dtype={**text, "amount": "float64", "hours": "float64"},
        keep_default_na=False,  # a name such as "NA" stays a name
        na_values={"hours": [""]},  # COPY writes NULL as an empty, unquoted field
    )


def months_with_data(*, kind: str) -> pd.PeriodIndex:
    """The months a current (not undone) import of this kind covers."""
    periods = (
        BatchMonth.objects.filter(is_current=True, batch__kind=kind)
        .values_list("period", flat=True)
        .distinct()
    )
    return pd.PeriodIndex(sorted({pd.Period(p, freq="M") for p in periods}), freq="M")


def targets() -> dict[tuple[int, str], float]:
    """SKR targets as {(year, scope key): pct}."""
    return {
        (t.year, t.scope_key): float(t.pct)
        for t in Target.objects.filter(measure=Target.Measure.SKR).select_related("area")
    }


def closed_months(*, kind: str = ImportBatch.Kind.ACTUALS) -> set[pd.Period]:
    """The months of this kind of data that are closed (final)."""
    return {
        pd.Period(p, freq="M")
        for p in MonthStatus.objects.filter(kind=kind, closed=True).values_list("period", flat=True)
    }


def cost_data() -> CostData:
    return CostData(
        actuals=cost_frame(kind=ImportBatch.Kind.ACTUALS),
        budget=cost_frame(kind=ImportBatch.Kind.BUDGET),
        months_actuals=months_with_data(kind=ImportBatch.Kind.ACTUALS),
        months_budget=months_with_data(kind=ImportBatch.Kind.BUDGET),
        targets=targets(),
        closed=closed_months(),
        areas=list(Area.objects.values_list("name", flat=True)),
    )


def commentaries(*, month: pd.Period) -> dict[str, Commentary]:
    """The month's comments per chart code."""
    found = Commentary.objects.filter(period=month.to_timestamp().date()).select_related("author")
    return {comment.chart: comment for comment in found}


def national_shares() -> pd.DataFrame:
    """The national comparison table: quarter, region, share_pct, is_average."""
    rows = NationalShare.objects.values_list("quarter", "region", "share_pct", "is_average")
    frame = pd.DataFrame.from_records(
        list(rows), columns=["quarter", "region", "share_pct", "is_average"]
    )
    frame["share_pct"] = frame["share_pct"].astype("float64")
    return frame


# --- sick leave -----------------------------------------------------------------------

SICK_LEAVE_HOURS = ["ordinary_hours", "sick_hours_1_14", "sick_hours_15_59", "sick_hours_60"]
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
    threshold: int  # the smallest group shown (settings.SICK_LEAVE_MIN_GROUP)
    targets: dict[tuple[int, str], float] = field(default_factory=dict)
    closed: set[pd.Period] = field(default_factory=set)
    areas: list[str] = field(default_factory=list)
    departments: dict[str, str] = field(default_factory=dict)  # department -> its area
    # The cells with their suppression, computed once (kpis.series.sick_leave_cells).
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def last_month(self) -> pd.Period | None:
        return self.months[-1] if len(self.months) else None

    def is_preliminary(self, month: pd.Period) -> bool:
        """Only the newest month is preliminary, until it is closed: payroll's corrections
        of a month come with the next month's extract."""
        return month == self.last_month and month not in self.closed


def sick_leave_frame() -> pd.DataFrame:
    """The current sick-leave rows summed per month, department, care type, gender and
    age band (SickLeaveData.rows), in one SQL query."""
    sql = f"""
        SELECT CAST(r.period AS VARCHAR(10)), a.name, d.name, u.care_type, r.gender,
               r.age_band, SUM(r.employees),
               CAST(SUM(r.ordinary_hours) AS DOUBLE PRECISION),
               CAST(SUM(r.sick_hours_1_14) AS DOUBLE PRECISION),
               CAST(SUM(r.sick_hours_15_59) AS DOUBLE PRECISION),
               CAST(SUM(r.sick_hours_60) AS DOUBLE PRECISION)
        FROM {SickLeaveRow._meta.db_table} r
        JOIN {BatchMonth._meta.db_table} bm ON bm.batch_id = r.batch_id AND bm.period = r.period
        JOIN {Unit._meta.db_table} u ON u.id = r.unit_id
        JOIN {Department._meta.db_table} d ON d.id = u.department_id
        JOIN {Area._meta.db_table} a ON a.id = d.area_id
        WHERE bm.is_current = %s
        GROUP BY r.period, a.name, d.name, u.care_type, r.gender, r.age_band
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [True])
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=SICK_LEAVE_COLUMNS)
    dates = pd.to_datetime(frame["period"].astype("str"), format="%Y-%m-%d")
    frame["period"] = pd.PeriodIndex(dates, freq="M")
    frame["employees"] = frame["employees"].astype("int64")
    for column in SICK_LEAVE_HOURS:
        frame[column] = frame[column].astype("float64")
    return frame


def sick_leave_targets() -> dict[tuple[int, str], float]:
    """Sick-leave targets as {(year, scope key): pct}."""
    return {
        (t.year, t.scope_key): float(t.pct)
        for t in Target.objects.filter(measure=Target.Measure.SICK_LEAVE).select_related("area")
    }


def sick_leave_data() -> SickLeaveData:
    return SickLeaveData(
        rows=sick_leave_frame(),
        months=months_with_data(kind=ImportBatch.Kind.SICK_LEAVE),
        threshold=settings.SICK_LEAVE_MIN_GROUP,
        targets=sick_leave_targets(),
        closed=closed_months(kind=ImportBatch.Kind.SICK_LEAVE),
        areas=list(Area.objects.values_list("name", flat=True)),
        departments=dict(Department.objects.values_list("name", "area__name")),
    )

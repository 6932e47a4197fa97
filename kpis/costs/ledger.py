"""The ledger's rows and the department sums the dashboards read: checked rows written
as ledger rows (binary COPY on PostgreSQL), their sums per month x department x care
type x category (DepartmentMonthlyCost), summed in memory as the rows pass or again
from the ledger after an undo, a move or a change of an account's category. Called by
kpis.costs.services inside an import's transaction."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.db import connection
from django.utils.translation import gettext as _

from hyrdash.lib import pgcopy
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.periods import first_days
from hyrdash.lib.pgcopy import write_rows
from kpis.batches import current_rows_sql
from kpis.models import (
    Account,
    BatchMonth,
    Category,
    DepartmentMonthlyCost,
    ImportBatch,
    LedgerRow,
    ReplacedUnit,
    Unit,
)

LEDGER_COLUMNS = ["batch_id", "period", "unit_id", "account_id", "amount", "hours"]


def ledger_columns(batch_id: int, rows: pd.DataFrame) -> list[tuple[str, str, object]]:
    """Checked rows as the ledger's columns (write_rows)."""
    return [
        ("batch_id", "bigint", np.full(len(rows), batch_id)),
        ("period", "date", first_days(rows["period"])),
        ("unit_id", "bigint", rows["unit_id"].to_numpy()),
        ("account_id", "bigint", rows["account_id"].to_numpy()),
        ("amount", "cents", pgcopy.cents(rows["amount"])),
        ("hours", "cents", pgcopy.cents(rows["hours"])),
    ]


def unit_places() -> pd.DataFrame:
    """Each unit's department and care type (index: unit id), for department_month_sums."""
    return pd.DataFrame.from_records(
        list(Unit.objects.values_list("id", "department_id", "care_type")),
        columns=["id", "department_id", "care_type"],
        index="id",
    )


def insert_ledger_rows(batch_id: int, rows: pd.DataFrame) -> None:
    write_rows(LedgerRow._meta.db_table, ledger_columns(batch_id, rows))


def department_month_sums(rows: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows -> their sums per month x department x care type x category, with
    each unit's department and care type from `units` (index: unit id; department_id,
    care_type): what DepartmentMonthlyCost holds.

    `rows` as CostCheck.rows: period ('YYYY-MM'), unit_id, category, amount (SEK,
    rounded to öre) and hours (NaN when none). Returns period, department_id,
    care_type, category, amount_cents and hours_cents (int64, hundredths: exact
    sums, no float rounding) and no_hours (true where no row of the group has
    hours: SUM is NULL in SQL).
    """
    sums = DepartmentSums(units)
    sums.add(rows)
    return sums.frame()


class DepartmentSums:
    """department_month_sums of rows given part by part (a file read in parts): each
    part is summed as it passes, the parts' sums are added up at the end.

    The rows are grouped by one integer per (month, department and care type,
    category): for 1,000,000 rows that takes a fifth of the time of grouping by the
    text and id columns themselves. The sums come in the order of DepartmentMonthlyCost's
    key (but for how PostgreSQL orders text), so that its index is written nearly in
    order.
    """

    def __init__(self, units: pd.DataFrame):
        codes, self._places = pd.factorize(
            pd.MultiIndex.from_arrays([units["department_id"].astype("int64"), units["care_type"]]),
            sort=True,
        )
        self._place_of = pd.Series(codes, index=units.index)
        self._categories = sorted(Category.values)
        self._parts: list[pd.DataFrame] = []

    def add(self, rows: pd.DataFrame) -> None:
        period_codes, months = pd.factorize(rows["period"])
        month_numbers = np.array([int(m[:4]) * 12 + int(m[5:7]) - 1 for m in months], np.int64)
        unit_codes, unit_ids = pd.factorize(rows["unit_id"])
        place = self._place_of.reindex(unit_ids)
        if place.isna().any():
            raise ServiceError(_("En enhet i filen finns inte längre i organisationsregistret."))
        category_codes = pd.Categorical(rows["category"], categories=self._categories).codes
        if (category_codes < 0).any():
            raise ValueError("DepartmentSums: a category outside Category")
        key = month_numbers[period_codes] * len(self._places)
        key += place.to_numpy(dtype=np.int64)[unit_codes]
        key *= len(self._categories)
        key += category_codes
        amount, _no_amount = pgcopy.cents(rows["amount"])
        hours, null = pgcopy.cents(rows["hours"])
        with_hours = np.ones(len(rows), np.int64) if null is None else (~null).astype(np.int64)
        frame = pd.DataFrame(
            {"amount_cents": amount, "hours_cents": hours, "with_hours": with_hours}
        )
        self._parts.append(frame.groupby(key, sort=True).sum())

    def frame(self) -> pd.DataFrame:
        """The sums of every row added, as department_month_sums returns them."""
        if not self._parts:
            sums = pd.DataFrame(
                {"amount_cents": [], "hours_cents": [], "with_hours": []}, dtype=np.int64
            )
        elif len(self._parts) == 1:
            sums = self._parts[0]
        else:
            sums = pd.concat(self._parts).groupby(level=0, sort=True).sum()
        key = sums.index.to_numpy(dtype=np.int64)
        place, category = np.divmod(key, len(self._categories))
        month, place = np.divmod(place, len(self._places))
        numbers, month_codes = np.unique(month, return_inverse=True)
        labels = np.array([f"{n // 12:04d}-{n % 12 + 1:02d}" for n in numbers], dtype=object)
        return pd.DataFrame(
            {
                "period": labels[month_codes],
                "department_id": self._places.get_level_values(0).to_numpy()[place],
                "care_type": self._places.get_level_values(1).to_numpy()[place],
                "category": np.asarray(self._categories, dtype=object)[category],
                "amount_cents": sums["amount_cents"].to_numpy(),
                "hours_cents": sums["hours_cents"].to_numpy(),
                "no_hours": sums["with_hours"].to_numpy() == 0,
            }
        )


def replace_monthly_sums(
    *, kind: str, periods: list[dt.date], rows: pd.DataFrame, sums: pd.DataFrame | None = None
) -> None:
    """Make DepartmentMonthlyCost of these months the sums of `rows`, the rows of the
    batch that is now current for each of them (MonthlyCost, a view, follows by itself);
    `sums`: their department_month_sums, when computed already."""
    stale = DepartmentMonthlyCost.objects.filter(kind=kind, period__in=periods)
    stale._raw_delete(stale.db)
    if sums is None:
        sums = department_month_sums(rows, unit_places())
    write_rows(
        DepartmentMonthlyCost._meta.db_table,
        [
            ("kind", "text", (np.zeros(len(sums), dtype=np.int64), [kind])),
            ("period", "date", first_days(sums["period"])),
            ("department_id", "bigint", sums["department_id"].to_numpy()),
            ("care_type", "text", pd.factorize(sums["care_type"])),
            ("category", "text", pd.factorize(sums["category"])),
            ("amount", "cents", (sums["amount_cents"].to_numpy(), None)),
            ("hours", "cents", (sums["hours_cents"].to_numpy(), sums["no_hours"].to_numpy())),
        ],
    )


def monthly_costs_rebuild(*, kind: str | None = None, periods: list[dt.date] | None = None):
    """Recompute DepartmentMonthlyCost from the current ledger rows and the current
    organisation: the MonthlyCost view's sums, summed per department and care type.

    The ledger rows are summed per department in one pass rather than through the
    view's per-unit sums, which took three times as long (1,000,000 rows: 4.8 s
    against 1.5 s). With no arguments everything is rebuilt (after an account
    changes category or units move).
    """
    join, condition = current_rows_sql()
    where, params = [condition], []
    delete = DepartmentMonthlyCost.objects.all()
    if kind is not None:
        where.append("b.kind = %s")
        params.append(kind)
        delete = delete.filter(kind=kind)
    if periods is not None:
        if not periods:
            return
        where.append(f"l.period IN ({', '.join(['%s'] * len(periods))})")
        params.extend(periods)
        delete = delete.filter(period__in=periods)
    delete._raw_delete(delete.db)
    sql = f"""
        INSERT INTO {DepartmentMonthlyCost._meta.db_table}
            (kind, period, department_id, care_type, category, amount, hours)
        SELECT b.kind, l.period, u.department_id, u.care_type, a.category,
               SUM(l.amount), SUM(l.hours)
        FROM {LedgerRow._meta.db_table} l
        {join}
        JOIN {ImportBatch._meta.db_table} b ON b.id = l.batch_id
        JOIN {Account._meta.db_table} a ON a.id = l.account_id
        JOIN {Unit._meta.db_table} u ON u.id = l.unit_id
        WHERE {" AND ".join(where)}
        GROUP BY b.kind, l.period, u.department_id, u.care_type, a.category
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Statistics that know the newest rows: without them the planner may take a
            # batch for a handful of rows and look up the account of every ledger row
            # one at a time. ANALYZE reads a sample of at most 30,000 rows. The batch
            # months and replaced units are small; with stale statistics of theirs the
            # planner probed an index per ledger row (200,000 rows: 0.6-0.8 s, not 0.3).
            for model in (LedgerRow, BatchMonth, ReplacedUnit):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        _sum_in_memory(cursor)
        cursor.execute(sql, params)


def _sum_in_memory(cursor) -> None:
    """Let the rest of this transaction sort and hash in memory, not in temporary files:
    the monthly sums of 1,000,000 ledger rows need about 110 MB (the default is 4 MB)."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL work_mem = '256MB'")

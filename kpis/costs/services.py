"""Writes of the ledger: checking and importing cost extracts (actuals and budget), the
department sums the dashboards read, closing months and the month's comments.

Every import checks the whole file first (kpis.costs.extracts), then writes once,
inside one transaction: a failure half-way leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Sum
from django.dispatch import receiver
from django.utils.translation import gettext as _

from hyrdash.lib import pgcopy
from hyrdash.lib.coverage import Coverage, period_coverage, warning_lines
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.periods import first_days, period_date
from hyrdash.lib.pgcopy import write_rows
from hyrdash.lib.tabular import ExtractError, Problem
from hyrdash.lib.uploads import checksum
from kpis.batches import (
    MONTHS,
    UNITS,
    batch_create,
    batch_units_create,
    chosen_replaces,
    current_rows_sql,
    identical_batch,
    make_newest_current,
    nearest_earlier_months,
    refresh_months,
    units_per_month,
)
from kpis.costs.extracts import CostLayout, parse_cost_extract
from kpis.models import (
    Account,
    BatchMonth,
    Category,
    Commentary,
    DepartmentMonthlyCost,
    ImportBatch,
    LedgerRow,
    ReplacedUnit,
    Unit,
)
from kpis.organisation.scopes import HSF
from kpis.signals import registers_changed

# The kinds of import whose rows are ledger rows with monthly sums (MonthlyCost).
COST_KINDS = (ImportBatch.Kind.ACTUALS, ImportBatch.Kind.BUDGET)


# --- cost extracts --------------------------------------------------------------------


@dataclass
class CostCheck:
    """What an extract would store, checked against the registers but not yet written."""

    kind: str
    checksum: str
    rows: pd.DataFrame  # period, unit_id, account_id, category, amount, hours
    months: list[str]
    skipped: list[dict] = field(default_factory=list)  # konto, rows, amount
    identical_to: ImportBatch | None = None
    layout: CostLayout = field(default_factory=CostLayout)
    _coverage: list[Coverage] | None = field(default=None, repr=False)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def identical_for(self, replaces: str) -> ImportBatch | None:
        """The import in use this file repeats, for this choice: a file imported as whole
        months is in use for either choice; imported as only its units, it is not the
        data of whole months."""
        same = self.identical_to
        if same is None or (same.replaces == UNITS and replaces == MONTHS):
            return None
        return same

    def coverage(self) -> list[Coverage]:
        """Per month, the file against what is stored now (hyrdash.lib.coverage): units and
        accounts with data now that the file lacks, the categories (but `ignorera`) that
        fall by more than half. Read once, on first use."""
        if self._coverage is None:
            self._coverage = _cost_coverage(self)
        return self._coverage

    @property
    def partial(self) -> bool:
        # Only months with data now or an earlier month with data can be partial: the
        # rest need not be counted.
        months = self._coverage if self._coverage is not None else _cost_coverage(self, False)
        return any(month.partial for month in months)

    def warning(self) -> list[str]:
        return warning_lines(self.coverage(), cost_figure_labels())

    def details(self) -> dict:
        """What the confirmation page shows besides the sums: coverage per month, whether
        the file is partial, how it was written (kept on the pending upload as JSON)."""
        return {
            "coverage": [month.as_dict() for month in self.coverage()],
            "partial": self.partial,
            "accounts": True,
            "header_row": self.layout.header_row,
            "total_row": self.layout.total_row,
            "debit_credit": self.layout.debit_credit,
        }

    def totals(self) -> dict[str, float]:
        sums = self.rows.groupby("category")["amount"].sum()
        return {category: round(float(amount), 2) for category, amount in sums.items()}

    def summary(self) -> pd.DataFrame:
        """Per month and category: the new total, what is stored now, the difference (SEK),
        and for a partial file `only_units`, the month's total if only the file's units
        are replaced: stored − what the file's units have now + new (None otherwise)."""
        new = self.rows.groupby(["period", "category"])["amount"].sum().rename("new").reset_index()
        stored = stored_totals(kind=self.kind, months=self.months)
        merged = new.merge(stored, on=["period", "category"], how="outer")
        merged["new"] = merged["new"].fillna(0.0).round(2)
        merged["stored"] = merged["stored"].fillna(0.0).round(2)
        merged["difference"] = (merged["new"] - merged["stored"]).round(2)
        merged["only_units"] = None
        if self.partial:
            held = _held_now(self).reindex(pd.MultiIndex.from_frame(merged[["period", "category"]]))
            only_units = merged["stored"] - held.fillna(0.0).to_numpy() + merged["new"]
            merged["only_units"] = only_units.round(2).astype(object)
        order = {code: i for i, code in enumerate(Category.values)}
        merged["order"] = merged["category"].map(order)
        merged = merged.sort_values(["period", "order"]).drop(columns="order")
        return merged.reset_index(drop=True)


def _held_now(check: CostCheck) -> pd.Series:
    """What the units in the file have now, per (period, category) (SEK): each unit in
    the months the file holds it."""
    pairs = check.rows[["period", "unit_id"]].drop_duplicates()
    join, condition = current_rows_sql()
    dates = [period_date(m) for m in check.months]
    units = sorted(int(u) for u in pairs["unit_id"].unique())
    sql = f"""
        SELECT l.period, l.unit_id, a.category, SUM(l.amount)
        FROM {LedgerRow._meta.db_table} l
        {join}
        JOIN {Account._meta.db_table} a ON a.id = l.account_id
        WHERE bm.batch_id IN (SELECT id FROM {ImportBatch._meta.db_table} WHERE kind = %s)
          AND l.period IN ({", ".join(["%s"] * len(dates))})
          AND l.unit_id IN ({", ".join(["%s"] * len(units))})
          AND {condition}
        GROUP BY l.period, l.unit_id, a.category
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [check.kind, *dates, *units])
        held = pd.DataFrame.from_records(
            cursor.fetchall(), columns=["period", "unit_id", "category", "amount"]
        )
    held["period"] = held["period"].map(_month_text)
    held["amount"] = held["amount"].astype("float64")
    held = held.merge(pairs, on=["period", "unit_id"])  # each unit in its own months
    return held.groupby(["period", "category"])["amount"].sum()


def cost_figure_labels() -> dict:
    """The categories as the confirmation page and warnings name them: code -> (label,
    decimals)."""
    return {code: (label, 2) for code, label in Category.choices}


# The categories a partial file is judged by (hyrdash.lib.coverage): all but `ignorera`,
# which counts towards no KPI.
COVERAGE_CATEGORIES = [code for code in Category.values if code != Category.IGNORERA]


def _cost_coverage(check: CostCheck, fresh: bool = True) -> list[Coverage]:
    """The coverage of every month of the file; without `fresh`, only of the months that
    can be partial. A month with data now is compared with what it has; a month with
    none, with the nearest earlier month with data (Coverage.compared_with), when there
    is one."""
    earlier = nearest_earlier_months(kind=check.kind, months=check.months)
    read = sorted(set(check.months) | set(earlier.values()))
    units, accounts = stored_units_and_accounts(kind=check.kind, months=read)
    stored = stored_totals(kind=check.kind, months=read)
    stored = stored.set_index(["period", "category"])["stored"]
    with_data = {m for m in read if units[m] or m in stored.index.get_level_values(0)}
    reference = {}  # the month each month of the file is compared with
    for month in check.months:
        if month in with_data:
            reference[month] = month
        elif earlier.get(month) in with_data:
            reference[month] = earlier[month]
    coverages = {}
    if fresh and len(reference) < len(check.months):
        # Nothing to compare with: only the file's units are counted (a first full
        # extract costs little).
        in_file = units_in_file(check.rows)
        coverages = {
            month: Coverage(period=month, units_stored=0, units_in_file=in_file[month])
            for month in check.months
            if month not in reference
        }
    if reference:
        rows = check.rows[check.rows["period"].isin(list(reference))]
        new = rows.groupby(["period", "category"])["amount"].sum()
        in_file = {
            month: (set(group["unit_id"]), set(group["account_id"]))
            for month, group in rows.groupby("period")
        }
        missing = set().union(*(units[reference[m]] - in_file[m][0] for m in reference))
        labels = {
            unit_id: f"{ansvar} {name}"
            for unit_id, ansvar, name in Unit.objects.filter(id__in=missing).values_list(
                "id", "ansvar", "name"
            )
        }
        konto = dict(Account.objects.values_list("id", "konto"))
        for month, compared in reference.items():
            file_units, file_accounts = in_file[month]
            coverages[month] = period_coverage(
                period=month,
                stored_units=units[compared],
                file_units=file_units,
                unit_labels=labels,
                stored=_of_month(stored, compared),
                new=_of_month(new, month),
                # A new month is judged by its units alone: month-on-month the sums
                # swing with the season (holiday pay in June-July and January moved
                # egen_ovrigt by more than half in 3 months a year of the demo).
                figures=COVERAGE_CATEGORIES if compared == month else (),
                stored_accounts={konto[a] for a in accounts[compared]},
                file_accounts={konto[a] for a in file_accounts},
                compared_with="" if compared == month else compared,
            )
    return [coverages[month] for month in check.months if month in coverages]


def units_in_file(rows: pd.DataFrame) -> dict[str, int]:
    """How many units have rows in each month ('YYYY-MM') of checked rows: one integer
    per (month, unit), counted once (200,000 rows: about 13 ms)."""
    codes, months = pd.factorize(rows["period"])
    unit_ids = rows["unit_id"].to_numpy(dtype=np.int64)
    span = int(unit_ids.max()) + 1 if len(unit_ids) else 1
    pairs = codes.astype(np.int64) * span + unit_ids
    if len(months) * span <= 50_000_000:
        # A count per possible pair: no sorting (np.unique took 45 ms of 200,000 rows).
        present = np.bincount(pairs, minlength=len(months) * span) > 0
        counts = present.reshape(len(months), span).sum(axis=1)
    else:
        counts = np.bincount(np.unique(pairs) // span, minlength=len(months))
    return {str(month): int(count) for month, count in zip(months, counts, strict=True)}


def _of_month(sums: pd.Series, month: str) -> dict[str, float]:
    """{category: sum} of one month of sums indexed by (period, category)."""
    if month not in sums.index.get_level_values(0):
        return {}
    return {category: float(value) for category, value in sums.loc[month].items()}


def stored_units_and_accounts(
    *, kind: str, months: list[str]
) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """The units and the accounts with rows in use now, per month ('YYYY-MM'): two
    grouped reads of those months' ledger rows."""
    units: dict[str, set[int]] = {month: set() for month in months}
    accounts: dict[str, set[int]] = {month: set() for month in months}
    join, condition = current_rows_sql()
    dates = [period_date(m) for m in months]
    where = (
        f"bm.batch_id IN (SELECT id FROM {ImportBatch._meta.db_table} WHERE kind = %s) "
        f"AND l.period IN ({', '.join(['%s'] * len(dates))}) AND {condition}"
    )
    with connection.cursor() as cursor:
        for column, found in (("unit_id", units), ("account_id", accounts)):
            cursor.execute(
                f"SELECT l.period, l.{column} FROM {LedgerRow._meta.db_table} l {join} "
                f"WHERE {where} GROUP BY l.period, l.{column}",
                [kind, *dates],
            )
            for period, value in cursor.fetchall():
                found[_month_text(period)].add(value)
    return units, accounts


def _month_text(period) -> str:
    """A period as the database returns it (a date; text on SQLite) as 'YYYY-MM'."""
    return str(period)[:7]


def stored_totals(*, kind: str, months: list[str]) -> pd.DataFrame:
    """What is stored now per month and category (SEK): columns period, category, stored."""
    rows = (
        DepartmentMonthlyCost.objects.filter(kind=kind, period__in=[period_date(m) for m in months])
        .values("period", "category")
        .annotate(stored=Sum("amount"))
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["period", "category", "stored"])
    frame["period"] = frame["period"].map(lambda d: d.strftime("%Y-%m"))
    frame["stored"] = frame["stored"].astype("float64")
    return frame


def costs_check(*, data: bytes, kind: str) -> CostCheck:
    """Parse and check a cost extract against the registers; raise ExtractError if wrong.

    Rows on accounts outside the mapping are skipped and reported (count and sum
    per account). Rows on mapped accounts must name a known unit (ansvar).
    """
    if kind not in COST_KINDS:
        raise ServiceError(_("Okänd typ av underlag: %(kind)s.") % {"kind": kind})
    digest = checksum(data)
    identical = identical_batch(kind=kind, digest=digest)
    accounts = {a.konto: (a.id, a.category) for a in Account.objects.all()}
    units = dict(Unit.objects.values_list("ansvar", "id"))
    # Unknown units on mapped accounts are reported with every other problem of the file.
    frame = parse_cost_extract(data, units=units.keys(), accounts=accounts.keys())

    # Each distinct account and unit is looked up once, not once per row.
    konto_codes, kontos = pd.factorize(frame["konto"])
    found = [accounts.get(konto) for konto in kontos]
    mapped = np.array([info is not None for info in found], dtype=bool)[konto_codes]
    skipped_frame = frame[~mapped]
    skipped = [
        {"konto": konto, "rows": int(len(group)), "amount": round(float(group["amount"].sum()), 2)}
        for konto, group in skipped_frame.groupby("konto", sort=True)
    ]
    frame, konto_codes = frame[mapped], konto_codes[mapped]
    account_ids = np.array([info[0] if info else -1 for info in found], dtype=np.int64)
    categories = np.array([info[1] if info else "" for info in found], dtype=object)
    unit_codes, ansvars = pd.factorize(frame["ansvar"])
    unit_ids = np.array([units[ansvar] for ansvar in ansvars], dtype=np.int64)
    rows = pd.DataFrame(
        {
            "period": frame["period"],
            "unit_id": unit_ids[unit_codes],
            "account_id": account_ids[konto_codes],
            "category": pd.Series(categories[konto_codes], index=frame.index, dtype="str"),
            "amount": frame["amount"],
            "hours": frame["hours"],
        },
        index=frame.index,
    )
    months = _refuse_sums_too_large(rows)
    if not months:
        raise ExtractError(
            [
                Problem(
                    None,
                    "Konto",
                    _("ingen rad har ett konto som finns i kontomappningen; inget att importera."),
                )
            ]
        )
    return CostCheck(
        kind=kind,
        checksum=digest,
        rows=rows,
        months=months,
        skipped=skipped,
        identical_to=identical,
        layout=frame.attrs["layout"],
    )


# The monthly sums are stored with 14 digits before the decimal comma (amounts) and 12
# (hours). A month's sum of absolute values bounds every sum of its rows.
MAX_MONTH_SUMS = {"amount": (10**14, "Belopp"), "hours": (10**12, "Timmar")}


def _refuse_sums_too_large(rows: pd.DataFrame) -> list[str]:
    """Refuse a file whose monthly sums could not be stored (a clear error, not a
    database error half-way through the import). Returns the file's months, sorted:
    the rows are grouped by month here anyway."""
    magnitude = rows[list(MAX_MONTH_SUMS)].abs().groupby(rows["period"], sort=True).sum()
    problems = []
    for column, (limit, name) in MAX_MONTH_SUMS.items():
        for period in magnitude.index[magnitude[column] >= limit]:
            problems.append(
                Problem(
                    None,
                    name,
                    _("summan för %(month)s är orimligt stor för att lagras.") % {"month": period},
                )
            )
    if problems:
        raise ExtractError(problems)
    return magnitude.index.tolist()


def costs_import(
    *,
    data: bytes,
    file_name: str,
    kind: str,
    user=None,
    check: CostCheck | None = None,
    replaces: str | None = None,
) -> tuple[ImportBatch | None, CostCheck]:
    """Import a cost extract, replacing its whole months or only its units in them.

    `replaces` is the uploader's choice (ImportBatch.Replaces): whole months, the
    newest extract of a month replacing that month's data; or only the units in the
    file, each replacing its own rows of the file's months while every other unit
    keeps its rows. Without a choice a complete file replaces whole months and a
    partial one (hyrdash.lib.coverage) is refused with PartialFileError, its warning.

    Returns (batch, check); batch is None when the file is identical to an import
    already in use (nothing changes then).
    """
    check = check or costs_check(data=data, kind=kind)
    replaces = chosen_replaces(check, replaces)
    if check.identical_for(replaces) is not None:
        return None, check
    with transaction.atomic():
        batch, periods = batch_create(
            kind=kind,
            check=check,
            file_name=file_name,
            user=user,
            replaces=replaces,
            skipped=check.skipped,
        )
        _insert_ledger_rows(batch.id, check.rows)
        if replaces == MONTHS:
            make_newest_current(batch=batch, periods=periods)
            # The new batch is each of its months' data now: the months' sums are its
            # rows' sums, computed from the checked rows in memory instead of read back
            # from the ledger (which took 9 of the 17 s of a 1,000,000-row import).
            _replace_monthly_sums(kind=kind, periods=periods, rows=check.rows)
        else:
            # Other units keep their rows: the months' sums are summed again from the
            # ledger (a correction is small; the months' rows are read once).
            batch_units_create(batch=batch, units=units_per_month(check.rows))
            refresh_months(kind=kind, periods=periods)
            monthly_costs_rebuild(kind=kind, periods=periods)
    return batch, check


def _insert_ledger_rows(batch_id: int, rows: pd.DataFrame) -> None:
    amount = pgcopy.cents(rows["amount"])
    hours = pgcopy.cents(rows["hours"])
    write_rows(
        LedgerRow._meta.db_table,
        [
            ("batch_id", "bigint", np.full(len(rows), batch_id)),
            ("period", "date", first_days(rows["period"])),
            ("unit_id", "bigint", rows["unit_id"].to_numpy()),
            ("account_id", "bigint", rows["account_id"].to_numpy()),
            ("amount", "cents", amount),
            ("hours", "cents", hours),
        ],
    )


def department_month_sums(rows: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows -> their sums per month x department x care type x category, with
    each unit's department and care type from `units` (index: unit id; department_id,
    care_type): what DepartmentMonthlyCost holds.

    `rows` as CostCheck.rows: period ('YYYY-MM'), unit_id, category, amount (SEK,
    rounded to öre) and hours (NaN when none). Returns period, department_id,
    care_type, category, amount_cents and hours_cents (int64, hundredths: exact
    sums, no float rounding) and no_hours (true where no row of the group has
    hours: SUM is NULL in SQL).

    The rows are grouped by one integer per (month, department and care type,
    category), built from the few distinct values of each: for 1,000,000 rows that
    takes a fifth of the time of grouping by the text and id columns themselves.
    """
    period_codes, months = pd.factorize(rows["period"])
    category_codes, categories = pd.factorize(rows["category"])
    unit_codes, unit_ids = pd.factorize(rows["unit_id"])
    placed = units.reindex(unit_ids)
    if placed["department_id"].isna().any():
        raise ServiceError(_("En enhet i filen finns inte längre i organisationsregistret."))
    place_codes, places = pd.factorize(
        pd.MultiIndex.from_arrays([placed["department_id"].astype("int64"), placed["care_type"]])
    )
    key = (period_codes * len(places) + place_codes[unit_codes]) * len(categories)
    key += category_codes
    amount, _no_amount = pgcopy.cents(rows["amount"])
    hours, null = pgcopy.cents(rows["hours"])
    with_hours = np.ones(len(rows), dtype=np.int64) if null is None else (~null).astype(np.int64)
    sums = (
        pd.DataFrame({"amount_cents": amount, "hours_cents": hours, "with_hours": with_hours})
        .groupby(key, sort=True)
        .sum()
    )
    key = sums.index.to_numpy()
    place, category = np.divmod(key, len(categories))
    period, place = np.divmod(place, len(places))
    return pd.DataFrame(
        {
            "period": np.asarray(months, dtype=object)[period],
            "department_id": places.get_level_values(0).to_numpy()[place],
            "care_type": places.get_level_values(1).to_numpy()[place],
            "category": np.asarray(categories, dtype=object)[category],
            "amount_cents": sums["amount_cents"].to_numpy(),
            "hours_cents": sums["hours_cents"].to_numpy(),
            "no_hours": sums["with_hours"].to_numpy() == 0,
        }
    )


def _replace_monthly_sums(*, kind: str, periods: list[dt.date], rows: pd.DataFrame) -> None:
    """Make DepartmentMonthlyCost of these months the sums of `rows`, the rows of the
    batch that is now current for each of them (MonthlyCost, a view, follows by itself)."""
    stale = DepartmentMonthlyCost.objects.filter(kind=kind, period__in=periods)
    stale._raw_delete(stale.db)
    units = pd.DataFrame.from_records(
        list(Unit.objects.values_list("id", "department_id", "care_type")),
        columns=["id", "department_id", "care_type"],
        index="id",
    )
    sums = department_month_sums(rows, units)
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


def commentary_save(
    *, period: dt.date, chart: str, text: str, scope: str = HSF, user=None
) -> Commentary | None:
    """Save the month's comment on a chart for a scope (its key: "hsf", "area:<område>",
    ...); an empty text removes it. Other scopes' comments are left as they are."""
    period = period.replace(day=1)
    text = text.strip()
    if not text:
        Commentary.objects.filter(period=period, chart=chart, scope=scope).delete()
        return None
    comment, _ = Commentary.objects.update_or_create(
        period=period, chart=chart, scope=scope, defaults={"text": text, "author": user}
    )
    return comment


@receiver(registers_changed)
def _rebuild_after_register_change(**kwargs) -> None:
    """Units moved or an account changed category: every department sum follows."""
    monthly_costs_rebuild()

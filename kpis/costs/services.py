"""Writes of the ledger: checking and importing cost extracts (actuals and budget), the
department sums the dashboards read, closing months and the month's comments.

Every import checks the whole file (kpis.costs.extracts) and writes it inside one
transaction: a failure half-way leaves the database as it was. On PostgreSQL a CSV is
checked part by part while the parts already checked are copied in (_piped_import);
a file with any problem is read again whole and refused with all its problems.
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
from hyrdash.lib.periods import period_date
from hyrdash.lib.tabular import ExtractError, PartsDeclined, Problem, read_table_parts
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
from kpis.costs.extracts import (
    AMOUNT_COLUMNS,
    COST_COLUMNS,
    CostLayout,
    cost_frame,
    numbers_too_large,
    parse_cost_extract,
)
from kpis.costs.ledger import (  # noqa: F401 (monthly_costs_rebuild: the registry's undo)
    LEDGER_COLUMNS,
    DepartmentSums,
    department_month_sums,
    insert_ledger_rows,
    ledger_columns,
    monthly_costs_rebuild,
    replace_monthly_sums,
    unit_places,
)
from kpis.models import (
    Account,
    Category,
    Commentary,
    DepartmentMonthlyCost,
    ImportBatch,
    LedgerRow,
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
    _totals: dict[str, float] | None = field(default=None, repr=False)

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
        """The file's sum per category (SEK), summed in öre: exact."""
        if self._totals is None:
            ore = pd.Series(pgcopy.cents(self.rows["amount"])[0], index=self.rows.index)
            self._totals = _category_totals(ore.groupby(self.rows["category"]).sum())
        return self._totals

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


def _category_totals(ore: pd.Series) -> dict[str, float]:
    """Sums in öre per category -> CostCheck.totals(), in the categories' order."""
    return {category: round(int(ore[category]) / 100, 2) for category in sorted(ore.index)}


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
    rows, skipped = _checked_rows(frame, accounts=accounts, units=units)
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
        skipped=_skipped_list(skipped),
        identical_to=identical,
        layout=frame.attrs["layout"],
    )


def _checked_rows(
    frame: pd.DataFrame, *, accounts: dict, units: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parsed rows (parse_cost_extract) -> (the rows on mapped accounts as CostCheck.rows
    holds them, the others' count and sum in öre per konto: rows, ore)."""
    # Each distinct account and unit is looked up once, not once per row.
    konto_codes, kontos = pd.factorize(frame["konto"])
    found = [accounts.get(konto) for konto in kontos]
    mapped = np.array([info is not None for info in found], dtype=bool)[konto_codes]
    skipped_frame = frame[~mapped]
    skipped = (
        pd.DataFrame(
            {"konto": skipped_frame["konto"], "ore": pgcopy.cents(skipped_frame["amount"])[0]}
        )
        .groupby("konto", sort=True)["ore"]
        .agg(rows="size", ore="sum")
    )
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
    return rows, skipped


def _skipped_list(skipped: pd.DataFrame) -> list[dict]:
    """CostCheck.skipped of _checked_rows' counts (summed in öre, exactly)."""
    return [
        {"konto": konto, "rows": int(count), "amount": round(int(ore) / 100, 2)}
        for konto, count, ore in zip(skipped.index, skipped["rows"], skipped["ore"], strict=True)
    ]


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
    if check is None:
        piped = _piped_import(
            data=data, file_name=file_name, kind=kind, user=user, replaces=replaces
        )
        if piped is not None:
            return piped
    check = check or costs_check(data=data, kind=kind)
    replaces = chosen_replaces(check, replaces)
    if check.identical_for(replaces) is not None:
        return None, check
    with transaction.atomic():
        batch = _batch_create(check, file_name=file_name, user=user, replaces=replaces)
        insert_ledger_rows(batch.id, check.rows)
        _rows_in_use(batch, check)
    return batch, check


def _batch_create(check: CostCheck, *, file_name: str, user, replaces: str, **fields):
    """The import's record and its months (kpis.batches.batch_create; `fields`: its id,
    when taken beforehand)."""
    batch, _periods = batch_create(
        kind=check.kind,
        check=check,
        file_name=file_name,
        user=user,
        replaces=replaces,
        skipped=check.skipped,
        **fields,
    )
    return batch


def _rows_in_use(batch: ImportBatch, check: CostCheck, sums: pd.DataFrame | None = None) -> None:
    """The stored rows of a new batch put in use, and the department sums made theirs
    (`sums`: department_month_sums of its rows, when computed beforehand)."""
    periods = [period_date(m) for m in check.months]
    if batch.replaces == MONTHS:
        make_newest_current(batch=batch, periods=periods)
        # The new batch is each of its months' data now: the months' sums are its
        # rows' sums, computed from the checked rows in memory instead of read back
        # from the ledger (which took 9 of the 17 s of a 1,000,000-row import).
        replace_monthly_sums(kind=batch.kind, periods=periods, rows=check.rows, sums=sums)
    else:
        # Other units keep their rows: the months' sums are summed again from the
        # ledger (a correction is small; the months' rows are read once).
        batch_units_create(batch=batch, units=units_per_month(check.rows))
        refresh_months(kind=batch.kind, periods=periods)
        monthly_costs_rebuild(kind=batch.kind, periods=periods)


class _Declined(Exception):
    """The file is not imported part by part: costs_import reads it whole (and, when it
    has problems, reports every one of them as it always has)."""


def _piped_import(
    *, data: bytes, file_name: str, kind: str, user, replaces: str | None
) -> tuple[ImportBatch, CostCheck] | None:
    """costs_import of a CSV read, checked and stored part by part (PostgreSQL): while
    PostgreSQL stores one part of the ledger rows (pgcopy.CopyIn, a thread of its own),
    the next part of the file is read and checked; the department sums are computed
    while it stores the last ones. One transaction, as ever. The same rows, sums,
    batch and check as reading the file whole.

    None when the file is better read whole: not PostgreSQL, not a CSV read so
    (tabular.read_table_parts), identical to an import, or a file with any problem:
    costs_import then reads it again whole and reports its problems, every one with
    its row and column, exactly as before (a file in error takes longer to refuse).
    """
    if connection.vendor != "postgresql" or kind not in COST_KINDS:
        return None
    if replaces is not None and replaces not in ImportBatch.Replaces.values:
        return None
    digest = checksum(data)
    if identical_batch(kind=kind, digest=digest) is not None:
        return None
    try:
        parts = read_table_parts(data, COST_COLUMNS, numbers=AMOUNT_COLUMNS)
    except ExtractError:
        return None
    if parts is None:
        return None
    try:
        with transaction.atomic():
            return _piped_store(
                parts, kind=kind, digest=digest, file_name=file_name, user=user, replaces=replaces
            )
    except (_Declined, PartsDeclined):
        return None


def _piped_store(parts, *, kind, digest, file_name, user, replaces):
    accounts = {a.konto: (a.id, a.category) for a in Account.objects.all()}
    units = dict(Unit.objects.values_list("ansvar", "id"))
    sums = None if replaces == UNITS else DepartmentSums(unit_places())
    checked, skipped, attrs = [], [], None
    with connection.cursor() as cursor:
        # The batch's id is taken now: the ledger rows name it before it is written.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [ImportBatch._meta.db_table]
        )
        (batch_id,) = cursor.fetchone()
        copy = pgcopy.CopyIn(cursor, LedgerRow._meta.db_table, LEDGER_COLUMNS)
        try:
            for table in parts:
                if table.empty:
                    continue
                attrs = table.attrs
                if numbers_too_large(table):
                    raise _Declined
                frame = cost_frame(table, units=units.keys(), accounts=accounts.keys())
                rows, skipped_rows = _checked_rows(frame, accounts=accounts, units=units)
                if len(rows):
                    copy.send(ledger_columns(batch_id, rows))
                    checked.append(rows)
                    if sums is not None:
                        sums.add(rows)
                skipped.append(skipped_rows)
            if not checked:
                raise _Declined  # no rows, or none on a mapped account
            # While PostgreSQL stores the last parts: the rows, months and sums.
            rows = pd.concat(checked) if len(checked) > 1 else checked[0]
            del checked
            months = _refuse_sums_too_large(rows)
            if sums is not None:
                sums = sums.frame()
        except ExtractError as exc:
            copy.abort()
            raise _Declined from exc
        except BaseException:
            copy.abort()
            raise
        copy.finish()
    check = CostCheck(
        kind=kind,
        checksum=digest,
        rows=rows,
        months=months,
        skipped=_skipped_list(pd.concat(skipped).groupby(level=0, sort=True).sum()),
        layout=CostLayout(header_row=attrs["header_row"], debit_credit="Belopp" in attrs["absent"]),
    )
    replaces = chosen_replaces(check, replaces)
    batch = _batch_create(check, file_name=file_name, user=user, replaces=replaces, id=batch_id)
    _rows_in_use(batch, check, sums if replaces == MONTHS else None)
    return batch, check


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

"""Writes of sick leave: checking and importing the payroll system's extract.
The whole file is checked first, then written once in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils.translation import gettext_lazy

from hyrdash.lib import pgcopy
from hyrdash.lib.coverage import Coverage, period_coverage, warning_lines
from hyrdash.lib.periods import first_days, period_date
from hyrdash.lib.pgcopy import write_rows
from hyrdash.lib.uploads import checksum
from kpis import data_version
from kpis.batches import (
    MONTHS,
    UNITS,
    batch_create,
    batch_units_create,
    chosen_replaces,
    current_rows_sql,
    identical_batch,
    nearest_earlier_months,
    refresh_months,
    units_per_month,
)
from kpis.models import ImportBatch, SickLeaveRow, Unit
from kpis.sick_leave import cached
from kpis.sick_leave.extracts import SICK_HOURS, SICK_LEAVE_HOURS, parse_sick_leave

logger = logging.getLogger(__name__)

# --- sick leave -----------------------------------------------------------------------

# What an upload's confirmation page compares per month, in this order.
SICK_LEAVE_SUMMARY = ("employees", "ordinary_hours", "sick_hours")


@dataclass
class SickLeaveCheck:
    """What a sick-leave extract would store, checked against the register, not yet written."""

    checksum: str
    # period, unit_id, gender, age_band, employees, ordinary_hours and the three sick hours
    rows: pd.DataFrame
    months: list[str]
    identical_to: ImportBatch | None = None
    kind: str = ImportBatch.Kind.SICK_LEAVE
    skipped: list[dict] = field(default_factory=list)  # nothing is skipped; as CostCheck
    header_row: int = 1
    total_row: int | None = None
    _coverage: list[Coverage] | None = field(default=None, repr=False)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def identical_for(self, replaces: str) -> ImportBatch | None:
        """As CostCheck.identical_for."""
        same = self.identical_to
        if same is None or (same.replaces == UNITS and replaces == MONTHS):
            return None
        return same

    def coverage(self) -> list[Coverage]:
        """Per month, the file against what is in use now (hyrdash.lib.coverage): units
        with rows now that the file lacks, and employees, ordinary and sick hours falling
        by more than half. Read once, on first use."""
        if self._coverage is None:
            self._coverage = _sick_leave_coverage(self)
        return self._coverage

    @property
    def partial(self) -> bool:
        return any(month.partial for month in self.coverage())

    def warning(self) -> list[str]:
        return warning_lines(self.coverage(), sick_leave_figure_labels())

    def details(self) -> dict:
        """As CostCheck.details (no accounts, no Debet and Kredit)."""
        return {
            "coverage": [month.as_dict() for month in self.coverage()],
            "partial": self.partial,
            "accounts": False,
            "header_row": self.header_row,
            "total_row": self.total_row,
            "debit_credit": False,
        }

    def totals(self) -> dict[str, float]:
        """Hours over the whole file (kept on the batch, like the cost totals)."""
        sums = self.rows[["ordinary_hours", *SICK_HOURS]].sum()
        return {column: round(float(value), 2) for column, value in sums.items()}

    def summary(self) -> pd.DataFrame:
        """Per month: employees, ordinary hours and sick hours, new, stored now and the
        difference; columns period, category (the figure), new, stored, difference, and
        for a partial file only_units (as CostCheck.summary; None otherwise)."""
        new = _sick_leave_month_sums(self.rows)
        by_unit = _stored_unit_sums(months=self.months)
        stored = by_unit.groupby("period")[list(SICK_LEAVE_SUMMARY)].sum()
        # For a partial file, what the file's units have now (each in its own months).
        held = None
        if self.partial:
            pairs = self.rows[["period", "unit_id"]].drop_duplicates()
            held = by_unit.merge(pairs, on=["period", "unit_id"]).groupby("period").sum()
        records = []
        for month in self.months:
            for figure in SICK_LEAVE_SUMMARY:
                now = float(new.at[month, figure])
                before = float(stored.at[month, figure]) if month in stored.index else 0.0
                record = {
                    "period": month,
                    "category": figure,
                    "new": round(now, 2),
                    "stored": round(before, 2),
                    "difference": round(now - before, 2),
                    "only_units": None,
                }
                if held is not None:
                    theirs = float(held.at[month, figure]) if month in held.index else 0.0
                    record["only_units"] = round(before - theirs + now, 2)
                records.append(record)
        return pd.DataFrame.from_records(
            records, columns=["period", "category", "new", "stored", "difference", "only_units"]
        )


def _sick_leave_month_sums(rows: pd.DataFrame) -> pd.DataFrame:
    """Employees, ordinary hours and all sick hours per month ('YYYY-MM' index)."""
    sums = rows.groupby("period")[["employees", "ordinary_hours", *SICK_HOURS]].sum()
    sums["sick_hours"] = sums[list(SICK_HOURS)].sum(axis=1)
    return sums[list(SICK_LEAVE_SUMMARY)].astype("float64")


def sick_leave_figure_labels() -> dict:
    """The confirmation page's figures, as warnings name them: code -> (label, decimals)."""
    return {
        "employees": (gettext_lazy("Anställda"), 0),
        "ordinary_hours": (gettext_lazy("Ordinarie arbetstid (timmar)"), 2),
        "sick_hours": (gettext_lazy("Sjuktimmar"), 2),
    }


def _stored_unit_sums(*, months: list[str]) -> pd.DataFrame:
    """The rows in use now for these months summed per month and unit: period
    ('YYYY-MM'), unit_id and the SICK_LEAVE_SUMMARY figures."""
    join, condition = current_rows_sql("r")
    dates = [period_date(m) for m in months]
    sql = f"""
        SELECT r.period, r.unit_id, SUM(r.employees),
               CAST(SUM(r.ordinary_hours) AS DOUBLE PRECISION),
               CAST(SUM(r.sick_hours_1_14 + r.sick_hours_15_59 + r.sick_hours_60)
                    AS DOUBLE PRECISION)
        FROM {SickLeaveRow._meta.db_table} r
        {join}
        WHERE r.period IN ({", ".join(["%s"] * len(dates))}) AND {condition}
        GROUP BY r.period, r.unit_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, dates)
        frame = pd.DataFrame.from_records(
            cursor.fetchall(), columns=["period", "unit_id", *SICK_LEAVE_SUMMARY]
        )
    frame["period"] = frame["period"].map(lambda p: str(p)[:7])
    for column in SICK_LEAVE_SUMMARY:
        frame[column] = frame[column].astype("float64")
    return frame


def sick_leave_stored_totals(*, months: list[str]) -> pd.DataFrame:
    """What is in use now for these months: the current rows' sums per month."""
    return _stored_unit_sums(months=months).groupby("period")[list(SICK_LEAVE_SUMMARY)].sum()


def _sick_leave_coverage(check: SickLeaveCheck) -> list[Coverage]:
    """Each month of the file against what it has now; a month with nothing stored
    against the nearest earlier month with data (Coverage.compared_with), if any."""
    earlier = nearest_earlier_months(kind=check.kind, months=check.months)
    stored = _stored_unit_sums(months=sorted(set(check.months) | set(earlier.values())))
    new = _sick_leave_month_sums(check.rows)
    stored_sums = stored.groupby("period")[list(SICK_LEAVE_SUMMARY)].sum()
    stored_units = stored.groupby("period")["unit_id"].agg(set)
    file_units = check.rows.groupby("period")["unit_id"].agg(set)
    compared = {
        month: month if month in stored_units.index else earlier.get(month, month)
        for month in check.months
    }
    missing = set().union(
        *(stored_units.get(compared[m], set()) - file_units[m] for m in check.months)
    )
    labels = {
        unit_id: f"{ansvar} {name}"
        for unit_id, ansvar, name in Unit.objects.filter(id__in=missing).values_list(
            "id", "ansvar", "name"
        )
    }
    return [
        period_coverage(
            period=month,
            stored_units=stored_units.get(compared[month], set()),
            file_units=file_units[month],
            unit_labels=labels,
            stored=stored_sums.loc[compared[month]].to_dict()
            if compared[month] in stored_sums.index
            else {},
            new=new.loc[month].to_dict(),
            figures=SICK_LEAVE_SUMMARY,
            compared_with="" if compared[month] == month else compared[month],
        )
        for month in check.months
    ]


def sick_leave_check(*, data: bytes) -> SickLeaveCheck:
    """Parse and check a sick-leave extract against the register; raise ExtractError if
    anything is wrong (every row must name a known unit)."""
    digest = checksum(data)
    identical = identical_batch(kind=ImportBatch.Kind.SICK_LEAVE, digest=digest)
    units = dict(Unit.objects.values_list("ansvar", "id"))
    frame = parse_sick_leave(data, units=units.keys())
    rows = frame.drop(columns="ansvar").assign(unit_id=frame["ansvar"].map(units).astype("int64"))
    return SickLeaveCheck(
        checksum=digest,
        rows=rows,
        months=sorted(rows["period"].unique().tolist()),
        identical_to=identical,
        header_row=frame.attrs["header_row"],
        total_row=frame.attrs["total_row"],
    )


def sick_leave_import(
    *,
    data: bytes,
    file_name: str,
    user=None,
    check: SickLeaveCheck | None = None,
    replaces: str | None = None,
) -> tuple[ImportBatch | None, SickLeaveCheck]:
    """Import a sick-leave extract, replacing its whole months or only its units in them
    (`replaces`, as kpis.costs.services.costs_import: without a choice a partial file is
    refused with PartialFileError).

    Returns (batch, check); batch is None when the file is identical to an import
    already in use (nothing changes then). Undo is `batch_undo`, as for costs.
    """
    check = check or sick_leave_check(data=data)
    replaces = chosen_replaces(check, replaces)
    if check.identical_for(replaces) is not None:
        return None, check
    kind = ImportBatch.Kind.SICK_LEAVE
    with transaction.atomic():
        batch, periods = batch_create(
            kind=kind, check=check, file_name=file_name, user=user, replaces=replaces
        )
        _insert_sick_leave_rows(batch.id, check.rows)
        if replaces == UNITS:
            batch_units_create(batch=batch, units=units_per_month(check.rows))
        refresh_months(kind=kind, periods=periods)
    transaction.on_commit(decide_disclosure)
    return batch, check


def _insert_sick_leave_rows(batch_id: int, rows: pd.DataFrame) -> None:
    """Insert a batch's rows in one statement (PostgreSQL: binary COPY), as the ledger's
    are: bulk_create spent 10 of 11 s of a year's extract (17 500 rows) making objects."""
    write_rows(
        SickLeaveRow._meta.db_table,
        [
            ("batch_id", "bigint", np.full(len(rows), batch_id)),
            ("period", "date", first_days(rows["period"])),
            ("unit_id", "bigint", rows["unit_id"].to_numpy()),
            ("gender", "text", pd.factorize(rows["gender"])),
            ("age_band", "text", pd.factorize(rows["age_band"])),
            ("employees", "integer", rows["employees"].to_numpy()),
            *[(column, "cents", pgcopy.cents(rows[column])) for column in SICK_LEAVE_HOURS],
        ],
    )


def sick_leave_after_undo(periods) -> None:
    """After an undo (the page's or undo_import's), decide the months' disclosure as an
    import does (`decide_disclosure`, on commit): the months' rows are now an earlier
    import's, or, once imports of only some units are undone, a mix of imports that
    was perhaps never decided."""
    transaction.on_commit(decide_disclosure)


def decide_disclosure() -> None:
    """Decide what to withhold in every month now (kpis.sick_leave.disclosure, about a
    second a new month), so the first page after an import does not wait: the decisions
    are kept in the shared cache, and the data with them in the page cache
    (kpis.sick_leave.cached) under the new data version. Run after the import's commit;
    a failure here loses nothing (the page decides then) and is logged."""
    try:
        cached.sick_leave_data(data_version.current(*data_version.SICK_LEAVE_PAGES))
    except Exception:
        logger.exception("Sick leave: the disclosure decisions could not be made now.")

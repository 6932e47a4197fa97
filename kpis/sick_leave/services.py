"""Writes of sick leave: checking and importing the payroll system's extract.
The whole file is checked first, then written once in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import transaction

from hyrdash.lib import pgcopy
from hyrdash.lib.periods import first_days, period_date
from hyrdash.lib.pgcopy import write_rows
from hyrdash.lib.uploads import checksum
from kpis.batches import identical_batch, refresh_months
from kpis.models import BatchMonth, ImportBatch, SickLeaveRow, Unit
from kpis.sick_leave import selectors, series
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

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def totals(self) -> dict[str, float]:
        """Hours over the whole file (kept on the batch, like the cost totals)."""
        sums = self.rows[["ordinary_hours", *SICK_HOURS]].sum()
        return {column: round(float(value), 2) for column, value in sums.items()}

    def summary(self) -> pd.DataFrame:
        """Per month: employees, ordinary hours and sick hours, new, stored now and the
        difference; columns period, category (the figure), new, stored, difference."""
        new = _sick_leave_month_sums(self.rows)
        stored = sick_leave_stored_totals(months=self.months)
        records = []
        for month in self.months:
            for figure in SICK_LEAVE_SUMMARY:
                now = float(new.at[month, figure])
                before = float(stored.at[month, figure]) if month in stored.index else 0.0
                records.append(
                    {
                        "period": month,
                        "category": figure,
                        "new": round(now, 2),
                        "stored": round(before, 2),
                        "difference": round(now - before, 2),
                    }
                )
        return pd.DataFrame.from_records(
            records, columns=["period", "category", "new", "stored", "difference"]
        )


def _sick_leave_month_sums(rows: pd.DataFrame) -> pd.DataFrame:
    """Employees, ordinary hours and all sick hours per month ('YYYY-MM' index)."""
    sums = rows.groupby("period")[["employees", "ordinary_hours", *SICK_HOURS]].sum()
    sums["sick_hours"] = sums[list(SICK_HOURS)].sum(axis=1)
    return sums[list(SICK_LEAVE_SUMMARY)].astype("float64")


def sick_leave_stored_totals(*, months: list[str]) -> pd.DataFrame:
    """What is in use now for these months: the current batches' sums per month."""
    current = BatchMonth.objects.filter(
        batch__kind=ImportBatch.Kind.SICK_LEAVE,
        is_current=True,
        period__in=[period_date(m) for m in months],
    ).values_list("batch_id", "period")
    rows = SickLeaveRow.objects.none()
    for batch_id, period in current:
        rows = rows | SickLeaveRow.objects.filter(batch_id=batch_id, period=period)
    rows = rows.values("period", "employees", "ordinary_hours", *SICK_HOURS)
    frame = pd.DataFrame.from_records(
        list(rows), columns=["period", "employees", "ordinary_hours", *SICK_HOURS]
    )
    frame["period"] = frame["period"].map(lambda d: d.strftime("%Y-%m"))
    for column in ["employees", "ordinary_hours", *SICK_HOURS]:
        frame[column] = frame[column].astype("float64")
    return _sick_leave_month_sums(frame)


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
    )


def sick_leave_import(
    *, data: bytes, file_name: str, user=None, check: SickLeaveCheck | None = None
) -> tuple[ImportBatch | None, SickLeaveCheck]:
    """Import a sick-leave extract; the newest extract of a month replaces that month's.

    Returns (batch, check); batch is None when the file is identical to an import
    already in use (nothing changes then). Undo is `batch_undo`, as for costs.
    """
    check = check or sick_leave_check(data=data)
    if check.identical_to is not None:
        return None, check
    kind = ImportBatch.Kind.SICK_LEAVE
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            file_name=file_name[:255],
            checksum=check.checksum,
            created_by=user,
            row_count=check.row_count,
            totals=check.totals(),
        )
        periods = [period_date(m) for m in check.months]
        BatchMonth.objects.bulk_create(BatchMonth(batch=batch, period=p) for p in periods)
        _insert_sick_leave_rows(batch.id, check.rows)
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


def decide_disclosure() -> None:
    """Decide what to withhold in every month now (kpis.sick_leave.disclosure, about a
    second a new month), so the first page after an import does not wait: the decisions
    are kept in the shared cache. Run after the import's commit; a failure here loses
    nothing (the page decides then) and is logged."""
    try:
        series.sick_leave_cells(selectors.sick_leave_data())
    except Exception:
        logger.exception("Sick leave: the disclosure decisions could not be made now.")

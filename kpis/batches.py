"""The life of an import batch, whatever its kind: which batches hold each month's data,
which months have data, and which are closed: every month up to the kind's
`ClosedThrough`.

A month's data is, unit by unit, the rows of the newest import not undone that covers
the unit in that month: the newest import of the whole month (ImportBatch.Replaces.MONTHS),
unless a newer import of only some units (Replaces.UNITS, its units per month in
BatchMonthUnit) holds the unit. `refresh_months` marks them: BatchMonth.is_current for
every batch whose rows of the month are in use, ReplacedUnit for the units a newer
import holds instead. `current_rows_sql` is how every read of the rows in use
(the MonthlyCost view, the department sums, sick leave) applies that.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

import pandas as pd
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _

from hyrdash.lib.coverage import PartialFileError, new_periods_only
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.periods import period_date
from kpis.models import BatchMonth, BatchMonthUnit, ClosedThrough, ImportBatch, ReplacedUnit

MONTHS = ImportBatch.Replaces.MONTHS
UNITS = ImportBatch.Replaces.UNITS


def current_rows_sql(rows: str = "l", month: str = "bm") -> tuple[str, str]:
    """SQL for the rows in use of a table of imported rows (batch_id, period, unit_id:
    LedgerRow, SickLeaveRow) aliased `rows`: a JOIN to their batch month, aliased
    `month`, and the condition for the WHERE clause (the month is current and no newer
    import of only some units replaced the row's unit).

    The condition looks for replaced units only when there are any: after imports of
    whole months only (the usual state) an anti-join against the empty ReplacedUnit
    still cost a rebuild of 200,000 ledger rows 13 % of its time on PostgreSQL. The
    MonthlyCost view (migration 0017) always has the anti-join."""
    join = (
        f"JOIN {BatchMonth._meta.db_table} {month} "
        f"ON {month}.batch_id = {rows}.batch_id AND {month}.period = {rows}.period"
    )
    condition = f"{month}.is_current"
    if ReplacedUnit.objects.exists():
        condition += (
            f" AND NOT EXISTS (SELECT 1 FROM {ReplacedUnit._meta.db_table} x "
            f"WHERE x.month_id = {month}.id AND x.unit_id = {rows}.unit_id)"
        )
    return join, condition


def identical_batch(*, kind: str, digest: str) -> ImportBatch | None:
    """An active batch of the same file whose data is all still in use (its months
    current, none of its units replaced by a newer import)."""
    for batch in ImportBatch.objects.filter(kind=kind, checksum=digest, undone_at=None):
        months = batch.months.all()
        if months.filter(is_current=False).exists():
            continue
        if not ReplacedUnit.objects.filter(month__in=months).exists():
            return batch
    return None


def make_newest_current(*, batch: ImportBatch, periods: list[dt.date]) -> None:
    """A new import of whole months is the newest of its months: it alone is their data
    from now on (no unit of theirs is replaced, nothing older is in use)."""
    months = BatchMonth.objects.filter(batch__kind=batch.kind, period__in=periods)
    months.exclude(batch=batch).update(is_current=False)
    months.filter(batch=batch).update(is_current=True)
    # Only imports of some units leave replaced units: usually there are none at all.
    if ReplacedUnit.objects.exists():
        ReplacedUnit.objects.filter(month__in=months).delete()


def batch_create(
    *, kind: str, check, file_name: str, user, replaces: str, **fields
) -> tuple[ImportBatch, list[dt.date]]:
    """An import's batch and its months (BatchMonth), inside the import's transaction,
    from its check (checksum, rows, totals, months): (the batch, its months' first days).
    `fields` are the kind's own (the ledger's skipped accounts)."""
    batch = ImportBatch.objects.create(
        kind=kind,
        file_name=file_name[:255],
        checksum=check.checksum,
        created_by=user,
        row_count=check.row_count,
        totals=check.totals(),
        replaces=replaces,
        closed_months=closed_months(kind=kind, months=check.months),
        **fields,
    )
    periods = [period_date(m) for m in check.months]
    BatchMonth.objects.bulk_create(BatchMonth(batch=batch, period=p) for p in periods)
    return batch, periods


def batch_units_create(*, batch: ImportBatch, units: Iterable[tuple[dt.date, int]]) -> None:
    """Record the units an import of only some units holds: (month, unit id) pairs."""
    month_ids = dict(BatchMonth.objects.filter(batch=batch).values_list("period", "id"))
    BatchMonthUnit.objects.bulk_create(
        BatchMonthUnit(month_id=month_ids[period], unit_id=unit) for period, unit in units
    )


def chosen_replaces(check, replaces: str | None) -> str:
    """The uploader's choice for a checked file (CostCheck, SickLeaveCheck): as given,
    whole months for a complete file given none, and for a partial file given none a
    PartialFileError with the warning. For a month with nothing stored (a partial file
    judged against the previous month with data) either choice imports the file's units
    as all the month has."""
    if replaces is not None:
        if replaces not in ImportBatch.Replaces.values:
            raise ServiceError(_("Okänt val: %(value)s.") % {"value": replaces})
        return replaces
    if check.partial:
        raise PartialFileError(check.warning(), new_periods_only=new_periods_only(check.coverage()))
    return MONTHS


def units_per_month(rows: pd.DataFrame) -> list[tuple[dt.date, int]]:
    """(month, unit id) of every unit with rows in a checked file, per month."""
    pairs = rows[["period", "unit_id"]].drop_duplicates()
    return [(period_date(p), int(u)) for p, u in pairs.itertuples(index=False)]


def refresh_months(*, kind: str, periods: list[dt.date]) -> None:
    """Mark what holds each month's data (see the module): the batches in use
    (BatchMonth.is_current) and the units of theirs a newer import holds (ReplacedUnit).

    What a kind keeps besides (the cost sums) is the registry's to refresh."""
    months = BatchMonth.objects.filter(batch__kind=kind, period__in=periods)
    live = list(
        months.filter(batch__undone_at=None)
        .order_by("-batch_id")
        .values_list("id", "period", "batch__replaces")
    )
    held: dict[int, set[int]] = {}
    for month_id, unit_id in BatchMonthUnit.objects.filter(
        month_id__in=[m for m, _period, replaces in live if replaces == UNITS]
    ).values_list("month_id", "unit_id"):
        held.setdefault(month_id, set()).add(unit_id)
    current: list[int] = []
    replaced: list[ReplacedUnit] = []
    newer: dict[dt.date, set[int] | None] = {}  # units held by newer imports; None: all
    for month_id, period, replaces in live:  # newest first
        above = newer.setdefault(period, set())
        if above is None:  # a newer import of the whole month holds everything
            continue
        current.append(month_id)
        # Of an import of only some units, only the units it holds can be replaced.
        own = above if replaces == MONTHS else above & held.get(month_id, set())
        replaced += [ReplacedUnit(month_id=month_id, unit_id=unit) for unit in sorted(own)]
        if replaces == MONTHS:
            newer[period] = None
        else:
            above |= held.get(month_id, set())
    months.update(is_current=Case(When(id__in=current, then=Value(True)), default=Value(False)))
    ReplacedUnit.objects.filter(month__in=months).delete()
    ReplacedUnit.objects.bulk_create(replaced)


def months_in_use(
    *, kind: str, rows_model, first: dt.date, last: dt.date
) -> dict[int, set[int] | None]:
    """The batch months of this kind from `first` to `last` that have rows in use, by
    BatchMonth id: for an import of only some units, the units whose rows are in use; for
    an import of whole months, None. `rows_model` holds the kind's rows (LedgerRow,
    SickLeaveRow).

    A month marked current (BatchMonth.is_current) may have none in use: an import of
    only some units whose every unit a newer one holds, or an import of the whole month
    whose every unit corrections hold (its rows of other units are read in the
    database, only for months with replaced units)."""
    current = list(
        BatchMonth.objects.filter(
            batch__kind=kind, is_current=True, period__range=(first, last)
        ).values_list("id", "batch_id", "period", "batch__replaces")
    )
    ids = [month_id for month_id, *_rest in current]
    replaced: dict[int, set[int]] = {}
    for month_id, unit_id in ReplacedUnit.objects.filter(month_id__in=ids).values_list(
        "month_id", "unit_id"
    ):
        replaced.setdefault(month_id, set()).add(unit_id)
    held: dict[int, set[int]] = {}
    for month_id, unit_id in BatchMonthUnit.objects.filter(
        month_id__in=[m for m, _b, _p, replaces in current if replaces == UNITS]
    ).values_list("month_id", "unit_id"):
        held.setdefault(month_id, set()).add(unit_id)
    found: dict[int, set[int] | None] = {}
    for month_id, batch_id, period, replaces in current:
        gone = replaced.get(month_id, set())
        if replaces == UNITS:
            if units := held.get(month_id, set()) - gone:
                found[month_id] = units
        elif not gone or (
            rows_model.objects.filter(batch_id=batch_id, period=period)
            .exclude(unit_id__in=gone)
            .exists()
        ):
            found[month_id] = None
    return found


def months_with_data(*, kind: str) -> pd.PeriodIndex:
    """The months a current (not undone) import of this kind covers."""
    periods = (
        BatchMonth.objects.filter(is_current=True, batch__kind=kind)
        .values_list("period", flat=True)
        .distinct()
    )
    return pd.PeriodIndex(sorted({pd.Period(p, freq="M") for p in periods}), freq="M")


def nearest_earlier_months(*, kind: str, months: Iterable[str]) -> dict[str, str]:
    """For each month ('YYYY-MM') that has no data of this kind now, the nearest earlier
    month with data, when there is one: what a file's new month is compared with
    (hyrdash.lib.coverage)."""
    with_data = [f"{p:%Y-%m}" for p in months_with_data(kind=kind)]
    found = {}
    for month in months:
        index = bisect.bisect_left(with_data, month)
        if (index == len(with_data) or with_data[index] != month) and index > 0:
            found[month] = with_data[index - 1]
    return found


def closed_through(*, kind: str) -> pd.Period | None:
    """The last closed month of this kind of data (every month up to it is closed), or
    None when nothing is closed. hyrdash.lib.periods.is_preliminary takes it."""
    period = ClosedThrough.objects.filter(kind=kind).values_list("period", flat=True).first()
    return None if period is None else pd.Period(period, freq="M")


def closed_months(*, kind: str, months: Iterable[str]) -> list[str]:
    """The months ('YYYY-MM') of `months` that are closed (final) for this kind of data:
    an import of them changes figures the steering group has seen as final. The
    confirmation page and the commands warn of them; the import keeps them
    (ImportBatch.closed_months)."""
    through = closed_through(kind=kind)
    if through is None:
        return []
    last = _month_text(through)
    return sorted(month for month in set(months) if month <= last)


def _month_text(period: pd.Period) -> str:
    return period.strftime("%Y-%m")


def months_close(*, kind: str, through: dt.date, user=None) -> pd.Period:
    """Close every month of this kind up to and including `through`; returns the last
    closed month. Months closed already stay closed (closing an earlier month changes
    nothing: reopening is `months_reopen`). A month after the newest with data cannot be
    closed: its figures do not exist yet."""
    month = pd.Period(through, freq="M")
    current = closed_through(kind=kind)
    if current is not None and month <= current:
        return current
    with_data = months_with_data(kind=kind)
    if not len(with_data) or month > with_data[-1]:
        raise ServiceError(
            _("%(month)s kan inte stängas: det finns inga uppgifter för månaden ännu.")
            % {"month": _month_text(month)}
        )
    ClosedThrough.objects.update_or_create(
        kind=kind, defaults={"period": month.to_timestamp().date(), "changed_by": user}
    )
    return month


def months_reopen(*, kind: str, start: dt.date, user=None) -> pd.Period | None:
    """Reopen `start` and every later month of this kind (they are preliminary again);
    returns the last month that stays closed, None when none does."""
    month = pd.Period(start, freq="M")
    current = closed_through(kind=kind)
    if current is None or month > current:
        return current
    ClosedThrough.objects.update_or_create(
        kind=kind, defaults={"period": (month - 1).to_timestamp().date(), "changed_by": user}
    )
    return month - 1


def month_status_set(
    *, period: dt.date, closed: bool, user=None, kind: str = ImportBatch.Kind.ACTUALS
) -> pd.Period | None:
    """Close every month of one kind of data through `period`, or reopen it and the
    months after it (the page's one button); returns the last closed month."""
    if closed:
        return months_close(kind=kind, through=period, user=user)
    return months_reopen(kind=kind, start=period, user=user)


def month_status_text(*, period, closed: bool, through) -> str:
    """What closing through `period` or reopening from it did (`through`: the last closed
    month now), as the page and close_months say it."""
    month = f"{period:%Y-%m}"
    if closed and through is not None and through.strftime("%Y-%m") > month:
        return _("%(month)s är redan stängd: månaderna till och med %(through)s är stängda.") % {
            "month": month,
            "through": through.strftime("%Y-%m"),
        }
    if closed:
        return _("Månaderna till och med %(month)s är stängda.") % {"month": month}
    return _("%(month)s och månaderna efter är öppna och visas som preliminära.") % {"month": month}

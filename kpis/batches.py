"""The life of an import batch, whatever its kind: which batch holds each month's data
(the newest not undone), which months have data, which are closed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.db.models import Case, Max, Value, When

from kpis.models import BatchMonth, ImportBatch, MonthStatus


def identical_batch(*, kind: str, digest: str) -> ImportBatch | None:
    """An active batch of the same file whose months are all still in use."""
    for batch in ImportBatch.objects.filter(kind=kind, checksum=digest, undone_at=None):
        if not batch.months.filter(is_current=False).exists():
            return batch
    return None


def make_newest_current(*, batch: ImportBatch, periods: list[dt.date]) -> None:
    """A new batch is the newest of its months: it is their data from now on."""
    months = BatchMonth.objects.filter(batch__kind=batch.kind, period__in=periods)
    months.exclude(batch=batch).update(is_current=False)
    months.filter(batch=batch).update(is_current=True)


def refresh_months(*, kind: str, periods: list[dt.date]) -> None:
    """Mark the current batch of each month: the newest that is not undone (or none).

    What a kind keeps besides (the cost sums) is the registry's to refresh."""
    for period in periods:
        current = BatchMonth.objects.filter(
            batch__kind=kind, batch__undone_at=None, period=period
        ).aggregate(current=Max("batch_id"))["current"]
        BatchMonth.objects.filter(batch__kind=kind, period=period).update(
            is_current=Case(When(batch_id=current, then=Value(True)), default=Value(False))
        )


def months_with_data(*, kind: str) -> pd.PeriodIndex:
    """The months a current (not undone) import of this kind covers."""
    periods = (
        BatchMonth.objects.filter(is_current=True, batch__kind=kind)
        .values_list("period", flat=True)
        .distinct()
    )
    return pd.PeriodIndex(sorted({pd.Period(p, freq="M") for p in periods}), freq="M")


def closed_months(*, kind: str) -> set[pd.Period]:
    """The months of this kind of data that are closed (final)."""
    return {
        pd.Period(p, freq="M")
        for p in MonthStatus.objects.filter(kind=kind, closed=True).values_list("period", flat=True)
    }


def month_status_set(
    *, period: dt.date, closed: bool, user=None, kind: str = ImportBatch.Kind.ACTUALS
) -> MonthStatus:
    """Close a month of one kind of data (its figures are final) or reopen it."""
    status, _ = MonthStatus.objects.update_or_create(
        kind=kind, period=period.replace(day=1), defaults={"closed": closed, "changed_by": user}
    )
    return status

"""The life of an import batch, whatever its kind: which batch holds each month's data
(the newest not undone), which months have data, and which are closed: every month up
to the kind's `ClosedThrough`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.db.models import Case, Max, Value, When
from django.utils.translation import gettext as _

from hyrdash.lib.errors import ServiceError
from kpis.models import BatchMonth, ClosedThrough, ImportBatch


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


def closed_through(*, kind: str) -> pd.Period | None:
    """The last closed month of this kind of data (every month up to it is closed), or
    None when nothing is closed. hyrdash.lib.periods.is_preliminary takes it."""
    period = ClosedThrough.objects.filter(kind=kind).values_list("period", flat=True).first()
    return None if period is None else pd.Period(period, freq="M")


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

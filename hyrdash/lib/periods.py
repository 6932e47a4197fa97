"""Pure maths over monthly series: R12, year to date, ranges, change, ratio of sums,
months as dates and texts, SEK as tkr and mkr. The subjects' own formulas (the SKR
measure, sick-leave rates, survey indices) live in their `metrics` modules and build on
these.

Everything here works on plain values and pandas objects and knows nothing
about Django, so it can be unit-tested without a database and called from
selectors, charts and management commands alike.

Conventions used throughout:

- A *monthly series* is a ``pandas.Series`` indexed by a sorted
  ``pandas.PeriodIndex`` of freq ``"M"``; values are floats in SEK (or hours).
  A month without data is either absent from the index or NaN. Zero is a
  real value ("no cost this month"), never a stand-in for missing.
- ``months_with_data`` is a sorted ``PeriodIndex`` of the months an actuals
  import covered. A scope without ledger rows in such a month has 0 there
  (see ``complete_series``); months outside it are missing.
- Functions returning a single figure return a Python ``float`` or ``None``
  when it cannot be computed; functions returning series use NaN for that.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from numbers import Real

import numpy as np
import pandas as pd


def period_date(period: str) -> dt.date:
    """'YYYY-MM' -> the first day of that month."""
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def first_days(periods: pd.Series) -> np.ndarray:
    """'YYYY-MM' texts -> the first day of each month as numpy datetime64[D], what
    _write_rows takes for a date; each distinct month is converted once."""
    codes, months = pd.factorize(periods)
    return np.array([f"{m}-01" for m in months], dtype="datetime64[D]")[codes]


# --- helpers -----------------------------------------------------------------


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(value)  # type: ignore[arg-type]
    except TypeError:
        return False


def as_monthly(series: pd.Series) -> pd.Series:
    """Check the monthly-series convention and return the series as float."""
    if len(series) == 0:
        return pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype="float64", name=series.name)
    index = series.index
    if not isinstance(index, pd.PeriodIndex) or index.freqstr != "M":
        raise TypeError("expected a Series indexed by a monthly PeriodIndex (freq 'M')")
    if index.has_duplicates:
        raise ValueError("a monthly series must have at most one value per month")
    return series.sort_index().astype("float64")


def _contiguous(series: pd.Series) -> pd.Series:
    """Reindex onto every month from the first to the last; gaps become NaN."""
    series = as_monthly(series)
    if len(series) == 0:
        return series
    months = pd.period_range(series.index[0], series.index[-1], freq="M")
    return series.reindex(months)


def _sum_months(series: pd.Series, months: pd.PeriodIndex) -> float | None:
    values = as_monthly(series).reindex(months)
    if values.isna().any():
        return None
    return float(values.sum())


# --- series preparation ------------------------------------------------------


def complete_series(values: pd.Series, *, months_with_data: pd.PeriodIndex) -> pd.Series:
    """Put a scope's monthly values onto the full range of months with data.

    The result covers every month from ``months_with_data.min()`` to
    ``.max()``. A month in ``months_with_data`` without a value (the scope
    had no ledger rows) gets 0.0; a month not in ``months_with_data`` (no
    import covered it) is NaN, even if ``values`` has something there.
    Values outside the range are dropped. Several values for the same month
    are summed (ledger rows, corrections). Units are those of ``values``.
    An empty ``months_with_data`` gives an empty series.
    """
    if len(months_with_data) == 0:
        return pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype="float64", name=values.name)
    months_with_data = pd.PeriodIndex(months_with_data, freq="M")
    months = pd.period_range(months_with_data.min(), months_with_data.max(), freq="M")
    if len(values):
        if not isinstance(values.index, pd.PeriodIndex) or values.index.freqstr != "M":
            raise TypeError("expected a Series indexed by a monthly PeriodIndex (freq 'M')")
        values = values.astype("float64").groupby(level=0).sum(min_count=1)
    result = values.reindex(months).astype("float64").fillna(0.0)
    covered = pd.Series(months.isin(months_with_data), index=months)
    return result.where(covered, axis=0)


# --- rolling and cumulative sums ---------------------------------------------


def rolling_12(series: pd.Series) -> pd.Series:
    """R12: the sum of the 12 months ending with each month.

    R12(m) = x(m-11) + ... + x(m), in the units of ``series``. The series is
    first reindexed onto every month from its first to its last, and the
    result has that index. R12 is NaN where any of the 12 months is NaN or
    missing, including the first 11 months of the range.

    Each window is summed on its own rather than with a running
    add/subtract, so a window of zeros is exactly 0.0 (``skr_measure``
    relies on that) and no rounding residue carries over between months.
    """
    series = _contiguous(series)
    values = series.to_numpy(dtype="float64")
    r12 = np.full(len(values), np.nan)
    if len(values) >= 12:
        windows = np.lib.stride_tricks.sliding_window_view(values, 12)
        r12[11:] = windows.sum(axis=1)  # NaN anywhere in a window gives NaN
    return pd.Series(r12, index=series.index, name=series.name)


def year_to_date(series: pd.Series, *, month: pd.Period) -> float | None:
    """Ack (year to date): the sum from January to ``month`` of that year.

    Units are those of ``series``. ``None`` if any of those months is
    missing or NaN.
    """
    month = pd.Period(month, freq="M")
    start = pd.Period(year=month.year, month=1, freq="M")
    return _sum_months(series, pd.period_range(start, month, freq="M"))


def same_period_last_year(series: pd.Series, *, month: pd.Period) -> float | None:
    """Year to date for the same month a year earlier ("jmf samma period föregående år").

    That is ``year_to_date(series, month=month - 12)``; ``None`` if any of
    those months is missing.
    """
    return year_to_date(series, month=pd.Period(month, freq="M") - 12)


def range_sum(series: pd.Series, *, start: pd.Period, end: pd.Period) -> float | None:
    """Sum over the months ``start`` to ``end``, both included (KPI 6).

    Units are those of ``series``. ``None`` if any month in the range is
    missing or NaN. Raises ``ValueError`` when ``start`` is after ``end``.
    """
    start = pd.Period(start, freq="M")
    end = pd.Period(end, freq="M")
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    return _sum_months(series, pd.period_range(start, end, freq="M"))


def range_sums(frame: pd.DataFrame, *, start: pd.Period, end: pd.Period) -> pd.Series:
    """``range_sum`` for every column of a frame of monthly series (one call, not one per column).

    Sum over ``start`` to ``end``, both included, per column, in the units of
    the frame; NaN for a column where any month of the range is missing or NaN.
    """
    start = pd.Period(start, freq="M")
    end = pd.Period(end, freq="M")
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    months = pd.period_range(start, end, freq="M")
    return frame.astype("float64").reindex(months).sum(min_count=len(months))


def range_sum_previous_year(series: pd.Series, *, start: pd.Period, end: pd.Period) -> float | None:
    """``range_sum`` over the same months a year earlier (both ends shifted by 12 months)."""
    return range_sum(
        series,
        start=pd.Period(start, freq="M") - 12,
        end=pd.Period(end, freq="M") - 12,
    )


# --- comparisons and ratios --------------------------------------------------


def change(current: float | None, previous: float | None) -> tuple[float | None, float | None]:
    """Change from ``previous`` to ``current``: (absolute, percent).

    absolute = current - previous (units of the inputs);
    percent = (current - previous) / previous * 100 (%).
    Percent is ``None`` when ``previous`` is 0; both are ``None`` when
    either input is ``None`` or NaN. A negative ``previous`` is used as is,
    so the percent then has the opposite sign of the absolute change.
    """
    if is_missing(current) or is_missing(previous):
        return None, None
    difference = float(current) - float(previous)  # type: ignore[arg-type]
    if previous == 0:
        return difference, None
    return difference, difference / float(previous) * 100  # type: ignore[arg-type]


def ratio_pct(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator * 100 (%).

    ``None`` when either is ``None`` or NaN, or when the denominator is 0.
    """
    if is_missing(numerator) or is_missing(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator) * 100  # type: ignore[arg-type]


def ratio_pct_series(num: pd.Series, den: pd.Series) -> pd.Series:
    """Element-wise numerator / denominator * 100 (%), aligned on the index.

    NaN where either side is NaN or missing, or where the denominator is 0
    (never ±inf).
    """
    num, den = num.astype("float64").align(den.astype("float64"), join="outer")
    return (num / den.where(den != 0)) * 100


# --- closed and preliminary months --------------------------------------------


def is_preliminary(month: pd.Period | str, *, closed_through: pd.Period | None) -> bool:
    """Whether a month's figures are preliminary: it is after the last closed month.

    Months are closed *through* a month (every month up to ``closed_through`` is
    final, every later one preliminary); ``None`` means nothing is closed yet, so every
    month is preliminary. The one rule the pages, their tables and charts, the CSV
    downloads and export_kpi share (via the subjects' ``is_preliminary``).
    """
    if closed_through is None:
        return True
    return _monthly(month) > _monthly(closed_through)


def _monthly(month: pd.Period | str) -> pd.Period:
    """`month` as a monthly Period (one already is returned as it is: constructing one
    costs 70 µs, and a page asks for every month of six years in each of its series)."""
    if isinstance(month, pd.Period) and month.freqstr == "M":
        return month
    return pd.Period(month, freq="M")


def preliminary_column(months, *, closed_through: pd.Period | None) -> list[int]:
    """``is_preliminary`` of each month as 1 (preliminary) or 0: a series' ``preliminary``
    column. Each distinct month is decided once (a long table repeats its months)."""
    decided: dict = {}
    column = []
    for month in months:
        if month not in decided:
            decided[month] = int(is_preliminary(month, closed_through=closed_through))
        column.append(decided[month])
    return column


# --- units -------------------------------------------------------------------


def mkr(x: float | pd.Series | None) -> float | pd.Series | None:
    """SEK to Mkr (million SEK): x / 1 000 000. ``None`` stays ``None``; works on Series."""
    if x is None:
        return None
    if isinstance(x, Real) and not isinstance(x, bool):
        return float(x) / 1_000_000
    return x / 1_000_000


def tkr(x: float | pd.Series | None) -> float | pd.Series | None:
    """SEK to Tkr (thousand SEK): x / 1 000. ``None`` stays ``None``; works on Series."""
    if x is None:
        return None
    if isinstance(x, Real) and not isinstance(x, bool):
        return float(x) / 1_000
    return x / 1_000


def month_text(periods) -> list[str]:
    """Periods as 'YYYY-MM' texts (the exports' month column)."""
    return [p.strftime("%Y-%m") for p in periods]


def consecutive_runs(months: Iterable[pd.Period]) -> list[list[pd.Period]]:
    """The months in order, in runs of consecutive months: 2024-01, 2024-02, 2024-04 ->
    [[2024-01, 2024-02], [2024-04]]."""
    runs: list[list[pd.Period]] = []
    for month in sorted(months):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs

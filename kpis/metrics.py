"""Pure KPI maths: R12, year to date, the SKR measure, sick leave, targets.

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

import math
from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "change",
    "complete_series",
    "cost_per_hour",
    "mkr",
    "range_sum",
    "range_sum_previous_year",
    "range_sums",
    "ratio_pct",
    "ratio_pct_series",
    "rolling_12",
    "same_period_last_year",
    "sick_leave_measures",
    "skr_measure",
    "target_for",
    "tkr",
    "year_lines",
    "year_to_date",
]

HSF_SCOPE = "hsf"


# --- helpers -----------------------------------------------------------------


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(value)  # type: ignore[arg-type]
    except TypeError:
        return False


def _monthly(series: pd.Series) -> pd.Series:
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
    series = _monthly(series)
    if len(series) == 0:
        return series
    months = pd.period_range(series.index[0], series.index[-1], freq="M")
    return series.reindex(months)


def _sum_months(series: pd.Series, months: pd.PeriodIndex) -> float | None:
    values = _monthly(series).reindex(months)
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
    if _is_missing(current) or _is_missing(previous):
        return None, None
    difference = float(current) - float(previous)  # type: ignore[arg-type]
    if previous == 0:
        return difference, None
    return difference, difference / float(previous) * 100  # type: ignore[arg-type]


def ratio_pct(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator * 100 (%).

    ``None`` when either is ``None`` or NaN, or when the denominator is 0.
    """
    if _is_missing(numerator) or _is_missing(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator) * 100  # type: ignore[arg-type]


def ratio_pct_series(num: pd.Series, den: pd.Series) -> pd.Series:
    """Element-wise numerator / denominator * 100 (%), aligned on the index.

    NaN where either side is NaN or missing, or where the denominator is 0
    (never ±inf).
    """
    num, den = num.astype("float64").align(den.astype("float64"), join="outer")
    return (num / den.where(den != 0)) * 100


def skr_measure(agency: pd.Series, own_staff: pd.Series) -> pd.DataFrame:
    """The SKR measure (KPI 4): agency cost R12 / own-staff cost R12 * 100, monthly.

    ratio_pct(m) = R12(agency)(m) / R12(own_staff)(m) * 100, in %. A ratio of
    sums, never an average of monthly ratios. Inputs are monthly SEK series
    (pass them through ``complete_series`` so months without rows are 0).

    Returns a DataFrame indexed by every month from the first to the last of
    both inputs, with columns ``agency_r12`` and ``own_staff_r12`` (SEK) and
    ``ratio_pct`` (%). ``ratio_pct`` is NaN where either R12 is missing or
    ``own_staff_r12`` is 0.
    """
    agency = _monthly(agency)
    own_staff = _monthly(own_staff)
    starts = [s.index[0] for s in (agency, own_staff) if len(s)]
    ends = [s.index[-1] for s in (agency, own_staff) if len(s)]
    if starts:
        months = pd.period_range(min(starts), max(ends), freq="M")
    else:
        months = pd.PeriodIndex([], freq="M")
    agency_r12 = rolling_12(agency.reindex(months))
    own_staff_r12 = rolling_12(own_staff.reindex(months))
    return pd.DataFrame(
        {
            "agency_r12": agency_r12.to_numpy(),
            "own_staff_r12": own_staff_r12.to_numpy(),
            "ratio_pct": ratio_pct_series(agency_r12, own_staff_r12).to_numpy(),
        },
        index=months,
    )


def sick_leave_measures(
    *,
    ordinary: pd.Series,
    sick_1_14: pd.Series,
    sick_15_59: pd.Series,
    sick_60: pd.Series,
) -> pd.DataFrame:
    """Sick leave (KPI 9) for one group, per month and R12, from its monthly hours.

    Inputs are monthly series of hours (pass them through ``complete_series`` so
    a month with data but no rows is 0): ``ordinary`` = O, the ordinary
    (scheduled) working hours; ``sick_1_14``, ``sick_15_59``, ``sick_60`` = the
    sick hours that fell on day 1-14, 15-59 and 60 or later of a sick period.
    With S = sick_1_14 + sick_15_59 + sick_60 (all sick hours) and R12(x)(m) =
    x(m-11) + ... + x(m):

    - ``rate_pct``(m) = S(m) / O(m) * 100, the month's sick-leave rate, in %;
    - ``rate_r12_pct``(m) = R12(S)(m) / R12(O)(m) * 100, in %: a ratio of
      12-month sums, never an average of the monthly rates;
    - ``short_term_rate_pct``(m) = sick_1_14(m) / O(m) * 100, and
      ``short_term_rate_r12_pct`` the same with R12 sums, in %;
    - ``long_term_share_r12_pct``(m) = R12(sick_60)(m) / R12(S)(m) * 100: the
      share of all sick hours that were day 60 or later, in %.

    Returns a DataFrame indexed by every month from the first to the last of the
    inputs, with those columns and ``ordinary_hours`` and ``sick_hours`` (O and
    S, hours). A value is NaN where a month it needs is missing (R12: any of the
    12) or its denominator is 0.
    """
    series = [_monthly(s) for s in (ordinary, sick_1_14, sick_15_59, sick_60)]
    starts = [s.index[0] for s in series if len(s)]
    ends = [s.index[-1] for s in series if len(s)]
    if starts:
        months = pd.period_range(min(starts), max(ends), freq="M")
    else:
        months = pd.PeriodIndex([], freq="M")
    ordinary, short, middle, long = (s.reindex(months) for s in series)
    sick = short + middle + long
    ordinary_r12, sick_r12 = rolling_12(ordinary), rolling_12(sick)
    return pd.DataFrame(
        {
            "ordinary_hours": ordinary.to_numpy(),
            "sick_hours": sick.to_numpy(),
            "rate_pct": ratio_pct_series(sick, ordinary).to_numpy(),
            "rate_r12_pct": ratio_pct_series(sick_r12, ordinary_r12).to_numpy(),
            "short_term_rate_pct": ratio_pct_series(short, ordinary).to_numpy(),
            "short_term_rate_r12_pct": ratio_pct_series(rolling_12(short), ordinary_r12).to_numpy(),
            "long_term_share_r12_pct": ratio_pct_series(rolling_12(long), sick_r12).to_numpy(),
        },
        index=months,
    )


def cost_per_hour(cost: pd.Series, hours: pd.Series) -> pd.Series:
    """Cost per purchased hour (KPI 7): cost / hours, in SEK per hour.

    Aligned on the index; NaN where either side is NaN or missing, or where
    hours is 0.
    """
    cost, hours = cost.astype("float64").align(hours.astype("float64"), join="outer")
    return cost / hours.where(hours != 0)


# --- targets and chart shapes ------------------------------------------------


def target_for(
    targets: Mapping[tuple[int, str], float | None], *, year: int, scope: str
) -> float | None:
    """The target agency share (%) for a scope and year.

    ``targets`` maps ``(year, scope)`` to a percentage; scopes are ``"hsf"``
    (the whole administration), ``"care:<vårdtyp>"`` or ``"area:<name>"``.
    A scope without its own target falls back to ``(year, "hsf")``; if that
    is missing too, ``None``.
    """
    for key in ((year, scope), (year, HSF_SCOPE)):
        value = targets.get(key)
        if not _is_missing(value):
            return float(value)  # type: ignore[arg-type]
    return None


def year_lines(series: pd.Series, *, year: int, years_back: int = 2) -> dict[int, pd.Series]:
    """One line per year for KPI 2 (cost per month, one line per year).

    For each year from ``year - years_back`` to ``year`` (ascending), a
    12-element series indexed by month number 1..12 holding that year's
    monthly values (units of ``series``), NaN where there is no data.
    """
    series = _monthly(series)
    lines: dict[int, pd.Series] = {}
    for line_year in range(year - years_back, year + 1):
        months = pd.period_range(f"{line_year}-01", f"{line_year}-12", freq="M")
        values = series.reindex(months).to_numpy(dtype="float64")
        lines[line_year] = pd.Series(
            values, index=pd.Index(range(1, 13), name="month"), name=line_year
        )
    return lines


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

"""The cost KPIs' formulas (pure, no Django): the SKR measure as a ratio of R12 sums,
cost per purchased hour, the target in force, a year's monthly lines.
Generic period maths (R12, year to date) is hyrdash.lib.periods.
"""

from __future__ import annotations

import pandas as pd

from hyrdash.lib.periods import as_monthly, ratio_pct_series, rolling_12


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
    agency = as_monthly(agency)
    own_staff = as_monthly(own_staff)
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


def cost_per_hour(cost: pd.Series, hours: pd.Series) -> pd.Series:
    """Cost per purchased hour (KPI 7): cost / hours, in SEK per hour.

    Aligned on the index; NaN where either side is NaN or missing, or where
    hours is 0.
    """
    cost, hours = cost.astype("float64").align(hours.astype("float64"), join="outer")
    return cost / hours.where(hours != 0)


def year_lines(series: pd.Series, *, year: int, years_back: int = 2) -> dict[int, pd.Series]:
    """One line per year for KPI 2 (cost per month, one line per year).

    For each year from ``year - years_back`` to ``year`` (ascending), a
    12-element series indexed by month number 1..12 holding that year's
    monthly values (units of ``series``), NaN where there is no data.
    """
    series = as_monthly(series)
    lines: dict[int, pd.Series] = {}
    for line_year in range(year - years_back, year + 1):
        months = pd.period_range(f"{line_year}-01", f"{line_year}-12", freq="M")
        values = series.reindex(months).to_numpy(dtype="float64")
        lines[line_year] = pd.Series(
            values, index=pd.Index(range(1, 13), name="month"), name=line_year
        )
    return lines

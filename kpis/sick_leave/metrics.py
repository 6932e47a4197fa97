"""The sick-leave measures (KPI 9, pure, no Django): sick hours over ordinary hours,
monthly and R12, and the long-term share, as ratios of sums.
"""

from __future__ import annotations

import pandas as pd

from hyrdash.lib.periods import as_monthly, ratio_pct_series, rolling_12


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
    series = [as_monthly(s) for s in (ordinary, sick_1_14, sick_15_59, sick_60)]
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

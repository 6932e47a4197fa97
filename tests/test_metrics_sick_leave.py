"""Sick-leave measures (kpis.metrics.sick_leave_measures), worked out by hand.

The group: 13 months, 2024-01 .. 2025-01, hours

    month      ordinary   day 1-14   day 15-59   day 60-   all sick
    2024-01    1 000      50         10          20        80
    2024-07      600      30         10          20        60
    others     1 000      30         10          20        60
    2025-01    1 000      50         10          40       100

R12 2024-12 (jan-dec 2024): ordinary 11 x 1 000 + 600 = 11 600; sick 80 + 11 x 60 =
740; rate 740 / 11 600 = 6,3793 %. The average of the monthly rates would be
(8 + 10 + 10 x 6) / 12 = 6,5 %: not what R12 means.
R12 2025-01 (feb 2024-jan 2025): sick 11 x 60 + 100 = 760; 760 / 11 600 = 6,5517 %.
Long-term share R12: 2024-12 12 x 20 / 740 = 32,432 %; 2025-01 (11 x 20 + 40) / 760
= 34,211 %. Short-term rate R12 2024-12: (50 + 11 x 30) / 11 600 = 3,2759 %.
"""

import math

import pandas as pd
import pytest

from kpis.sick_leave.metrics import sick_leave_measures

MONTHS = pd.period_range("2024-01", "2025-01", freq="M")


def series(values: dict[str, float], default: float) -> pd.Series:
    data = [values.get(str(m), default) for m in MONTHS]
    return pd.Series(data, index=MONTHS, dtype="float64")


def hours(**changes):
    base = {
        "ordinary": series({"2024-07": 600}, 1000),
        "sick_1_14": series({"2024-01": 50, "2025-01": 50}, 30),
        "sick_15_59": series({}, 10),
        "sick_60": series({"2025-01": 40}, 20),
    }
    return base | changes


def test_r12_is_a_ratio_of_twelve_month_sums():
    measures = sick_leave_measures(**hours())

    assert measures.loc[pd.Period("2024-12", "M"), "rate_r12_pct"] == pytest.approx(
        740 / 11_600 * 100
    )
    assert measures.loc[pd.Period("2025-01", "M"), "rate_r12_pct"] == pytest.approx(
        760 / 11_600 * 100
    )
    monthly_average = measures.loc["2024-01":"2024-12", "rate_pct"].mean()
    assert monthly_average == pytest.approx(6.5)  # what R12 is not
    assert round(measures.loc[pd.Period("2024-12", "M"), "rate_r12_pct"], 4) == 6.3793


def test_the_monthly_rate_and_hours():
    measures = sick_leave_measures(**hours())

    assert measures.loc[pd.Period("2024-01", "M"), "rate_pct"] == pytest.approx(8.0)  # 80/1 000
    assert measures.loc[pd.Period("2024-07", "M"), "rate_pct"] == pytest.approx(10.0)  # 60/600
    assert measures.loc[pd.Period("2025-01", "M"), "sick_hours"] == 100.0
    assert measures.loc[pd.Period("2024-07", "M"), "ordinary_hours"] == 600.0
    assert measures.loc[pd.Period("2024-07", "M"), "short_term_rate_pct"] == pytest.approx(5.0)


def test_long_term_share_is_day_60_hours_of_all_sick_hours_over_twelve_months():
    measures = sick_leave_measures(**hours())

    assert measures.loc[pd.Period("2024-12", "M"), "long_term_share_r12_pct"] == pytest.approx(
        240 / 740 * 100
    )
    assert measures.loc[pd.Period("2025-01", "M"), "long_term_share_r12_pct"] == pytest.approx(
        260 / 760 * 100
    )
    assert round(measures.loc[pd.Period("2025-01", "M"), "long_term_share_r12_pct"], 3) == 34.211


def test_short_term_rate_r12_is_day_1_14_hours_of_ordinary_hours():
    measures = sick_leave_measures(**hours())

    assert measures.loc[pd.Period("2024-12", "M"), "short_term_rate_r12_pct"] == pytest.approx(
        380 / 11_600 * 100
    )


def test_r12_needs_twelve_months():
    measures = sick_leave_measures(**hours())

    assert measures.loc[:"2024-11", "rate_r12_pct"].isna().all()
    assert measures.loc[:"2024-11", "long_term_share_r12_pct"].isna().all()
    assert measures["rate_pct"].notna().all()


def test_a_missing_month_leaves_every_r12_window_holding_it_empty():
    ordinary = hours()["ordinary"].drop(pd.Period("2024-05", "M"))

    measures = sick_leave_measures(**hours(ordinary=ordinary))

    assert list(measures.index) == list(MONTHS)  # the gap is a month without data
    assert math.isnan(measures.loc[pd.Period("2024-05", "M"), "rate_pct"])
    assert measures.loc["2024-12":, "rate_r12_pct"].isna().all()


def test_no_ordinary_hours_or_no_sick_hours_give_no_ratio():
    zero = series({}, 0)

    measures = sick_leave_measures(**hours(ordinary=zero))
    assert measures["rate_pct"].isna().all() and measures["rate_r12_pct"].isna().all()

    measures = sick_leave_measures(**hours(sick_1_14=zero, sick_15_59=zero, sick_60=zero))
    assert (measures["rate_pct"] == 0).all()
    assert measures["long_term_share_r12_pct"].isna().all()  # no sick hours: no share


def test_empty_input_gives_an_empty_frame():
    empty = pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype="float64")

    measures = sick_leave_measures(ordinary=empty, sick_1_14=empty, sick_15_59=empty, sick_60=empty)

    assert measures.empty
    assert list(measures.columns) == [
        "ordinary_hours",
        "sick_hours",
        "rate_pct",
        "rate_r12_pct",
        "short_term_rate_pct",
        "short_term_rate_r12_pct",
        "long_term_share_r12_pct",
    ]

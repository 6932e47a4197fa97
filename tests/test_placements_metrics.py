"""Purchased hours per month from the placements (kpis.placements.metrics): pure, hand-worked."""

import datetime as dt
import math

import pandas as pd

from kpis.placements.metrics import hours_comparison, hours_per_month

D = dt.date


def frame(*rows):
    return pd.DataFrame(rows, columns=["start", "end", "hours"])


def as_dict(series: pd.Series) -> dict[str, float]:
    return {month.strftime("%Y-%m"): round(value, 6) for month, value in series.items()}


def test_hours_are_spread_evenly_over_the_placements_calendar_days():
    """100 hours over 2025-01-20..2025-02-08, 20 days: 5 a day, 12 in January, 8 in
    February."""
    hours, left_out = hours_per_month(frame((D(2025, 1, 20), D(2025, 2, 8), 100.0)))
    assert as_dict(hours) == {"2025-01": 60.0, "2025-02": 40.0}
    assert left_out == 0


def test_placements_of_one_month_add_up_and_a_leap_february_has_29_days():
    """2024-02-01..2024-03-01 is 30 days, 3 hours a day: February 29 x 3 = 87, March 3;
    plus 10 hours in February from a one-day placement."""
    hours, _left_out = hours_per_month(
        frame(
            (D(2024, 2, 1), D(2024, 3, 1), 90.0),
            (D(2024, 2, 14), D(2024, 2, 14), 10.0),
        )
    )
    assert as_dict(hours) == {"2024-02": 97.0, "2024-03": 3.0}


def test_placements_without_an_end_or_hours_are_left_out_and_counted():
    hours, left_out = hours_per_month(
        frame(
            (D(2025, 1, 1), None, 100.0),
            (D(2025, 1, 1), D(2025, 1, 31), math.nan),
            (D(2025, 3, 1), D(2025, 3, 31), 31.0),
        )
    )
    assert as_dict(hours) == {"2025-03": 31.0}
    assert left_out == 2


def test_the_comparison_sets_both_systems_side_by_side_up_to_a_month():
    """From the first month with placement hours, a month without any has 0; before it
    and where the ledger has nothing, the difference is missing."""
    booked = pd.Series([60.0, 40.0], index=pd.PeriodIndex(["2025-02", "2025-04"], freq="M"))
    ledger = pd.Series(
        [10.0, 55.0, 42.0, 30.0, 7.0],
        index=pd.PeriodIndex(["2025-01", "2025-02", "2025-03", "2025-04", "2025-06"], freq="M"),
    )
    table = hours_comparison(booked, ledger, last=pd.Period("2025-05", freq="M"))
    assert table["month"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert table["placement_hours"].tolist()[1:] == [60.0, 0.0, 40.0]
    assert math.isnan(table["placement_hours"].iloc[0])
    assert table["ledger_hours"].tolist() == [10.0, 55.0, 42.0, 30.0]
    assert table["difference_hours"].tolist()[1:] == [5.0, -42.0, 10.0]
    assert math.isnan(table["difference_hours"].iloc[0])


def test_without_any_hours_the_comparison_has_the_ledgers_alone():
    hours, left_out = hours_per_month(frame((D(2025, 1, 1), None, 10.0)))
    assert (len(hours), left_out) == (0, 1)
    ledger = pd.Series([55.0], index=pd.PeriodIndex(["2025-01"], freq="M"))
    table = hours_comparison(hours, ledger)
    assert table["month"].tolist() == ["2025-01"]
    assert table["ledger_hours"].tolist() == [55.0]
    assert table["placement_hours"].isna().all()
    empty = hours_comparison(hours, pd.Series(dtype="float64", index=pd.PeriodIndex([], freq="M")))
    assert empty.empty

"""KPI maths, checked against sums worked out by hand (no database)."""

import math

import numpy as np
import pandas as pd
import pytest

from hyrdash.lib import periods
from kpis.costs import metrics as cost_metrics
from kpis.organisation.scopes import target_follows_hsf, target_for

NaN = float("nan")


def monthly(start: str, values: list[float]) -> pd.Series:
    """A monthly series with consecutive months from ``start``."""
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series(values, index=index, dtype="float64")


def months(*labels: str) -> pd.PeriodIndex:
    return pd.PeriodIndex(list(labels), freq="M")


def period(label: str) -> pd.Period:
    return pd.Period(label, freq="M")


def as_list(series: pd.Series) -> list[float]:
    return series.tolist()


def assert_same(actual: list[float], expected: list[float]) -> None:
    """Equal element by element, where NaN equals NaN."""
    assert len(actual) == len(expected), (actual, expected)
    for a, e in zip(actual, expected, strict=True):
        if math.isnan(e):
            assert math.isnan(a), (actual, expected)
        else:
            assert a == pytest.approx(e), (actual, expected)


# --- complete_series ---------------------------------------------------------


def test_it_fills_covered_months_without_rows_with_zero():
    values = pd.Series([100.0, 50.0], index=months("2024-01", "2024-03"))

    result = periods.complete_series(
        values, months_with_data=months("2024-01", "2024-02", "2024-03", "2024-04")
    )

    assert list(result.index) == list(months("2024-01", "2024-02", "2024-03", "2024-04"))
    assert as_list(result) == [100.0, 0.0, 50.0, 0.0]


def test_it_leaves_months_no_import_covered_missing():
    # March was never imported: missing, even though a stray value is there.
    # June is after the last imported month: dropped.
    values = pd.Series([10.0, 7.0, 99.0], index=months("2024-01", "2024-03", "2024-06"))

    result = periods.complete_series(
        values, months_with_data=months("2024-01", "2024-02", "2024-04")
    )

    assert list(result.index) == list(months("2024-01", "2024-02", "2024-03", "2024-04"))
    assert_same(as_list(result), [10.0, 0.0, NaN, 0.0])


def test_it_nets_corrections_booked_in_the_same_month():
    # 1 000 booked, then corrected by -300: 1 000 - 300 = 700
    values = pd.Series([1000.0, -300.0], index=months("2024-01", "2024-01"))

    result = periods.complete_series(values, months_with_data=months("2024-01"))

    assert as_list(result) == [700.0]


def test_it_gives_zeros_for_a_scope_without_any_rows():
    result = periods.complete_series(
        pd.Series(dtype="float64"), months_with_data=months("2023-12", "2024-01")
    )

    assert as_list(result) == [0.0, 0.0]
    assert list(result.index) == list(months("2023-12", "2024-01"))


def test_it_gives_an_empty_series_before_any_import():
    values = pd.Series([5.0], index=months("2024-01"))

    result = periods.complete_series(values, months_with_data=pd.PeriodIndex([], freq="M"))

    assert result.empty


# --- rolling_12 ---------------------------------------------------------------


def test_it_sums_twelve_months_across_the_year_boundary():
    # Jan 2023 .. Mar 2024 hold 1, 2, ..., 15
    series = monthly("2023-01", [float(n) for n in range(1, 16)])

    r12 = periods.rolling_12(series)

    # the first 11 months have no full window
    assert r12.loc[period("2023-01") : period("2023-11")].isna().all()
    assert r12[period("2023-12")] == 78.0  # 1 + 2 + ... + 12
    assert r12[period("2024-01")] == 90.0  # 2 + ... + 13  (Feb 2023 - Jan 2024)
    assert r12[period("2024-02")] == 102.0  # 3 + ... + 14
    assert r12[period("2024-03")] == 114.0  # 4 + ... + 15


def test_it_has_no_r12_while_a_month_inside_the_window_is_absent():
    # Jan 2023 .. Jun 2024, 10 a month, but Jun 2023 is not in the index at all
    series = monthly("2023-01", [10.0] * 18).drop(period("2023-06"))

    r12 = periods.rolling_12(series)

    # the index is made contiguous again
    assert list(r12.index) == list(pd.period_range("2023-01", "2024-06", freq="M"))
    assert np.isnan(r12[period("2023-06")])
    # every window ending Dec 2023 .. May 2024 contains Jun 2023
    assert r12.loc[period("2023-12") : period("2024-05")].isna().all()
    assert r12[period("2024-06")] == 120.0  # Jul 2023 .. Jun 2024: 12 x 10


def test_it_has_no_r12_while_a_month_inside_the_window_is_nan():
    values = [10.0] * 13
    values[5] = NaN  # Jun 2023
    series = monthly("2023-01", values)

    r12 = periods.rolling_12(series)

    assert np.isnan(r12[period("2023-12")])
    assert np.isnan(r12[period("2024-01")])


def test_it_keeps_negative_corrections_in_r12():
    # 100 a month in 2024, but in May a correction brings the month to -250
    values = [100.0] * 12
    values[4] = -250.0
    series = monthly("2024-01", values)

    r12 = periods.rolling_12(series)

    assert r12[period("2024-12")] == 850.0  # 11 x 100 - 250


def test_it_gives_exactly_zero_r12_for_twelve_months_of_zero():
    # large, awkward values first; the zero window must still be exactly 0.0,
    # because the SKR measure tests own_staff_r12 == 0
    series = monthly("2023-01", [1e9 + 0.1, 3.3, 7e8 + 0.7] + [0.0] * 12)

    r12 = periods.rolling_12(series)

    assert r12[period("2024-03")] == 0.0


def test_it_rejects_a_series_not_indexed_by_months():
    series = pd.Series([1.0], index=pd.DatetimeIndex(["2024-01-31"]))

    with pytest.raises(TypeError):
        periods.rolling_12(series)


# --- year to date ----------------------------------------------------------------


def test_it_sums_year_to_date_from_january_only():
    # Nov 2023: 5, Dec 2023: 7, Jan 2024: 100, Feb: 200, Mar: 300
    series = monthly("2023-11", [5.0, 7.0, 100.0, 200.0, 300.0])

    assert periods.year_to_date(series, month=period("2024-03")) == 600.0  # 100+200+300
    assert periods.year_to_date(series, month=period("2024-01")) == 100.0
    assert periods.year_to_date(series, month=period("2023-12")) is None  # no Jan-Oct 2023


def test_it_has_no_year_to_date_when_a_month_is_missing():
    series = monthly("2024-01", [100.0, NaN, 300.0])

    assert periods.year_to_date(series, month=period("2024-03")) is None
    assert periods.year_to_date(series, month=period("2024-01")) == 100.0


def test_it_compares_with_the_same_months_last_year():
    # 2023: Jan 10, Feb 20, Mar 30, Apr 1000; 2024: Jan 15, Feb 25, Mar -5 (corrections)
    series = monthly("2023-01", [10.0, 20.0, 30.0, 1000.0] + [0.0] * 8 + [15.0, 25.0, -5.0])

    assert periods.year_to_date(series, month=period("2024-03")) == 35.0  # 15 + 25 - 5
    assert periods.same_period_last_year(series, month=period("2024-03")) == 60.0  # 10+20+30
    assert periods.same_period_last_year(series, month=period("2023-03")) is None


# --- change and ratios -------------------------------------------------------------


def test_it_computes_change_in_amount_and_percent():
    assert periods.change(110.0, 100.0) == (10.0, 10.0)
    assert periods.change(90.0, 100.0) == (-10.0, -10.0)
    # seed: nurses YTD Oct 2024 48,2 mkr vs 54,1 mkr: -5,9 mkr, -5,9/54,1 = -10,906 %
    amount, pct = periods.change(48.2, 54.1)
    assert amount == pytest.approx(-5.9)
    assert pct == pytest.approx(-10.906, abs=0.001)


def test_it_has_no_change_percent_when_last_year_was_zero():
    assert periods.change(5.0, 0.0) == (5.0, None)
    assert periods.change(0.0, 0.0) == (0.0, None)


def test_it_has_no_change_when_either_side_is_missing():
    assert periods.change(None, 100.0) == (None, None)
    assert periods.change(100.0, None) == (None, None)
    assert periods.change(NaN, 100.0) == (None, None)


def test_it_computes_a_percentage_ratio():
    assert periods.ratio_pct(344.0, 10_000.0) == pytest.approx(3.44)
    assert periods.ratio_pct(0.0, 10.0) == 0.0
    assert periods.ratio_pct(1.0, 0.0) is None
    assert periods.ratio_pct(None, 10.0) is None
    assert periods.ratio_pct(1.0, NaN) is None


def test_it_computes_percentage_ratios_per_month():
    num = monthly("2024-01", [5.0, 5.0, NaN, 5.0])
    den = monthly("2024-01", [200.0, 0.0, 100.0, NaN])

    result = periods.ratio_pct_series(num, den)

    assert_same(as_list(result), [2.5, NaN, NaN, NaN])  # 5 / 200 * 100 = 2,5


# --- the SKR measure ---------------------------------------------------------------


def test_it_computes_the_skr_measure_as_ratio_of_r12_sums():
    # own staff 1 000 every month; agency 40 a month in 2023, 30 a month in 2024
    own_staff = monthly("2023-01", [1000.0] * 24)
    agency = monthly("2023-01", [40.0] * 12 + [30.0] * 12)

    skr = cost_metrics.skr_measure(agency, own_staff)

    assert list(skr.columns) == ["agency_r12", "own_staff_r12", "ratio_pct"]
    assert skr.loc[period("2023-11")].isna().all()
    assert skr.loc[period("2023-12")].tolist() == pytest.approx([480.0, 12_000.0, 4.0])
    # Jul 2023 .. Jun 2024: 6 x 40 + 6 x 30 = 420; 420 / 12 000 = 3,5 %
    assert skr.loc[period("2024-06")].tolist() == pytest.approx([420.0, 12_000.0, 3.5])
    assert skr.loc[period("2024-12"), "ratio_pct"] == pytest.approx(3.0)  # 360 / 12 000


def test_it_never_averages_monthly_ratios_in_the_skr_measure():
    # one month: agency 50 of own staff 100 (50 %); eleven months: 10 of 1 000 (1 %)
    # ratio of sums: (50 + 11 x 10) / (100 + 11 x 1 000) = 160 / 11 100 = 1,4414 %
    # (the average of monthly ratios would be (50 + 11 x 1) / 12 = 5,08 %)
    agency = monthly("2024-01", [50.0] + [10.0] * 11)
    own_staff = monthly("2024-01", [100.0] + [1000.0] * 11)

    skr = cost_metrics.skr_measure(agency, own_staff)

    assert skr.loc[period("2024-12"), "ratio_pct"] == pytest.approx(1.441441, abs=1e-6)


def test_it_gives_real_zero_r12_but_no_ratio_for_a_scope_without_rows():
    covered = pd.period_range("2024-01", "2024-12", freq="M")
    agency = periods.complete_series(pd.Series(dtype="float64"), months_with_data=covered)
    own_staff = periods.complete_series(pd.Series(dtype="float64"), months_with_data=covered)

    skr = cost_metrics.skr_measure(agency, own_staff)

    assert skr.loc[period("2024-12"), "agency_r12"] == 0.0
    assert skr.loc[period("2024-12"), "own_staff_r12"] == 0.0
    assert np.isnan(skr.loc[period("2024-12"), "ratio_pct"])  # 0 / 0


def test_it_gives_a_zero_skr_measure_without_agency_costs():
    covered = pd.period_range("2024-01", "2024-12", freq="M")
    agency = periods.complete_series(pd.Series(dtype="float64"), months_with_data=covered)
    own_staff = monthly("2024-01", [500.0] * 12)

    skr = cost_metrics.skr_measure(agency, own_staff)

    assert skr.loc[period("2024-12"), "ratio_pct"] == 0.0  # 0 / 6 000


def test_it_has_no_skr_measure_while_own_staff_cost_is_missing():
    agency = monthly("2024-01", [10.0] * 12)
    own_staff = monthly("2024-01", [1000.0] * 12)
    own_staff[period("2024-04")] = NaN

    skr = cost_metrics.skr_measure(agency, own_staff)

    assert skr.loc[period("2024-12"), "agency_r12"] == 120.0
    assert np.isnan(skr.loc[period("2024-12"), "own_staff_r12"])
    assert np.isnan(skr.loc[period("2024-12"), "ratio_pct"])


# --- period vs same period last year -------------------------------------------------


def test_it_sums_a_chosen_period_and_the_same_period_last_year():
    # Jul-Sep 2023: 10, 20, 30; Jul-Sep 2024: 12, 18, 25; other months 1
    values = [1.0] * 24
    values[6:9] = [10.0, 20.0, 30.0]
    values[18:21] = [12.0, 18.0, 25.0]
    series = monthly("2023-01", values)

    start, end = period("2024-07"), period("2024-09")
    assert periods.range_sum(series, start=start, end=end) == 55.0  # 12 + 18 + 25
    assert periods.range_sum_previous_year(series, start=start, end=end) == 60.0  # 10+20+30


def test_it_sums_a_period_across_the_year_boundary():
    # Nov 2023: 4, Dec 2023: -1 (correction), Jan 2024: 6, Feb 2024: 8
    series = monthly("2023-11", [4.0, -1.0, 6.0, 8.0])

    assert periods.range_sum(series, start=period("2023-11"), end=period("2024-02")) == 17.0
    assert (
        periods.range_sum_previous_year(series, start=period("2023-11"), end=period("2024-02"))
        is None
    )


def test_it_has_no_period_sum_when_a_month_is_missing():
    series = monthly("2024-01", [1.0, 2.0, 3.0]).drop(period("2024-02"))

    assert periods.range_sum(series, start=period("2024-01"), end=period("2024-03")) is None


def test_it_rejects_a_period_that_ends_before_it_starts():
    series = monthly("2024-01", [1.0, 2.0, 3.0])

    with pytest.raises(ValueError):
        periods.range_sum(series, start=period("2024-03"), end=period("2024-01"))


# --- hours -----------------------------------------------------------------------------


def test_it_computes_cost_per_purchased_hour():
    cost = monthly("2024-01", [120_000.0, 50_000.0, 0.0, 10.0])
    hours = monthly("2024-01", [100.0, 0.0, 0.0, NaN])

    result = cost_metrics.cost_per_hour(cost, hours)

    assert_same(as_list(result), [1200.0, NaN, NaN, NaN])  # 120 000 / 100 = 1 200 kr/h


# --- targets ----------------------------------------------------------------------------

TARGETS = {
    (2025, "hsf"): 3.7,
    (2026, "hsf"): 3.44,
    (2026, "care:sjukhusvård"): 2.0,
    (2026, "care:primärvård"): 13.0,
    # A controller marked this area to follow the administration's targets.
    (2025, "area:Länssjukvårdsområde 2"): "hsf",
    (2026, "area:Länssjukvårdsområde 2"): "hsf",
    (2027, "area:Länssjukvårdsområde 2"): "hsf",
}


def test_it_finds_the_target_of_a_scope():
    assert target_for(TARGETS, year=2026, scope="care:primärvård") == 13.0
    assert target_for(TARGETS, year=2026, scope="hsf") == 3.44
    assert not target_follows_hsf(TARGETS, year=2026, scope="care:primärvård")
    assert not target_follows_hsf(TARGETS, year=2026, scope="hsf")


def test_a_scope_without_its_own_target_has_none():
    # Nobody decided a target for this area, nor primärvård's for 2025.
    assert target_for(TARGETS, year=2026, scope="area:Länssjukvårdsområde 1") is None
    assert target_for(TARGETS, year=2025, scope="care:primärvård") is None
    assert target_for(TARGETS, year=2026, scope="department:Akutcentrum") is None
    assert not target_follows_hsf(TARGETS, year=2026, scope="area:Länssjukvårdsområde 1")


def test_a_scope_marked_to_follow_has_the_administrations_target():
    assert target_for(TARGETS, year=2025, scope="area:Länssjukvårdsområde 2") == 3.7
    assert target_for(TARGETS, year=2026, scope="area:Länssjukvårdsområde 2") == 3.44
    assert target_follows_hsf(TARGETS, year=2026, scope="area:Länssjukvårdsområde 2")
    # Following an administration without a target for the year: still none.
    assert target_for(TARGETS, year=2027, scope="area:Länssjukvårdsområde 2") is None
    assert not target_follows_hsf(TARGETS, year=2027, scope="area:Länssjukvårdsområde 2")


def test_it_has_no_target_for_a_year_without_one():
    assert target_for(TARGETS, year=2027, scope="care:primärvård") is None
    assert target_for(TARGETS, year=2027, scope="hsf") is None
    assert target_for({}, year=2026, scope="hsf") is None


# --- one line per year -----------------------------------------------------------------


def test_it_gives_one_line_per_year_indexed_by_month_number():
    # Jan 2022 .. Oct 2024: month n of year y holds y - 2000 + n / 100
    index = pd.period_range("2022-01", "2024-10", freq="M")
    series = pd.Series([p.year - 2000 + p.month / 100 for p in index], index=index)

    lines = cost_metrics.year_lines(series, year=2024)

    assert list(lines) == [2022, 2023, 2024]
    assert list(lines[2024].index) == list(range(1, 13))
    assert lines[2022][1] == pytest.approx(22.01)
    assert lines[2023][12] == pytest.approx(23.12)
    assert lines[2024][10] == pytest.approx(24.10)
    assert np.isnan(lines[2024][11]) and np.isnan(lines[2024][12])  # after October


def test_it_gives_empty_lines_for_years_without_data():
    series = monthly("2024-01", [1.0, 2.0])

    lines = cost_metrics.year_lines(series, year=2024, years_back=1)

    assert list(lines) == [2023, 2024]
    assert lines[2023].isna().all()
    assert_same(as_list(lines[2024]), [1.0, 2.0] + [NaN] * 10)


# --- units ---------------------------------------------------------------------------------


def test_it_converts_sek_to_mkr_and_tkr():
    assert periods.mkr(2_100_000) == 2.1
    assert periods.mkr(-5_900_000.0) == -5.9
    assert periods.tkr(300_000) == 300.0
    assert periods.mkr(None) is None
    assert periods.tkr(None) is None
    assert as_list(periods.tkr(monthly("2024-01", [1500.0, -250.0]))) == [1.5, -0.25]


def test_range_sums_sums_each_column_and_leaves_a_column_with_a_gap_empty():
    months = pd.period_range("2024-01", "2024-04", freq="M")
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [10.0, np.nan, 30.0, 40.0]}, index=months)

    sums = periods.range_sums(frame, start=pd.Period("2024-02", "M"), end=pd.Period("2024-04", "M"))

    assert sums["a"] == 9.0  # 2 + 3 + 4
    assert np.isnan(sums["b"])  # February is missing
    before = periods.range_sums(
        frame, start=pd.Period("2023-12", "M"), end=pd.Period("2024-01", "M")
    )
    assert np.isnan(before["a"])  # December 2023 is not in the frame


def test_complete_series_completes_every_column_of_a_frame():
    months_with_data = pd.PeriodIndex(["2024-01", "2024-02", "2024-04"], freq="M")
    frame = pd.DataFrame({"x": [5.0]}, index=pd.PeriodIndex(["2024-02"], freq="M"))

    completed = periods.complete_series(frame, months_with_data=months_with_data)

    # January and April had data but no rows: 0; March had no import: missing.
    assert completed["x"].tolist()[:2] == [0.0, 5.0]
    assert np.isnan(completed["x"].tolist()[2])
    assert completed["x"].tolist()[3] == 0.0


def test_it_groups_months_into_runs_of_consecutive_months():
    months = [pd.Period(m, freq="M") for m in ("2024-04", "2023-12", "2024-01", "2024-02")]
    runs = periods.consecutive_runs(months)
    assert [[str(m) for m in run] for run in runs] == [
        ["2023-12", "2024-01", "2024-02"],
        ["2024-04"],
    ]
    assert periods.consecutive_runs([]) == []

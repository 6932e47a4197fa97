"""The target path (KPI 12), checked against sums worked out by hand (no database).

Amounts are written in Mkr (MKR = 1 000 000 SEK) so the arithmetic in the comments
stays short; the function itself works in SEK.
"""

import math

import pandas as pd
import pytest

from kpis.costs.target_path import COLUMNS, TargetPath, projection_points, target_path

MKR = 1_000_000
NaN = float("nan")


def monthly(start: str, values: list[float]) -> pd.Series:
    """A monthly series in SEK from values in Mkr, consecutive months from ``start``."""
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series([v * MKR for v in values], index=index, dtype="float64")


def period(label: str) -> pd.Period:
    return pd.Period(label, freq="M")


def mkr(value: float | None) -> float | None:
    return None if value is None else value / MKR


# The brief's year: September 2026, own staff 600 a month January-September,
# budget 620 a month October-December, target 3.44 %.
OWN_2026 = monthly("2026-01", [600] * 9)
BUDGET_2026 = monthly("2026-01", [620] * 12)  # only October-December is used


def path_2026(agency: pd.Series, **changes) -> TargetPath:
    arguments = {
        "agency": agency,
        "own_staff_actual": OWN_2026,
        "own_staff_budget": BUDGET_2026,
        "month": period("2026-09"),
        "target_pct": 3.44,
    } | changes
    return target_path(**arguments)


# --- a year with budget --------------------------------------------------------------


def test_a_year_with_budget_within_reach():
    result = path_2026(monthly("2026-01", [20] * 9))

    assert result.year == 2026
    assert result.target_pct == 3.44
    assert result.months_left == 3  # October, November, December
    # 9 x 20 = 180
    assert mkr(result.agency_ytd_sek) == pytest.approx(180)
    # 9 x 600 + 3 x 620 = 5 400 + 1 860 = 7 260
    assert mkr(result.own_staff_r12_dec_sek) == pytest.approx(7260)
    # 3.44 / 100 x 7 260 = 249.744; (249.744 - 180) / 3 = 69.744 / 3 = 23.248
    assert mkr(result.agency_allowed_per_month_sek) == pytest.approx(23.248)
    # (20 + 20 + 20) / 3 = 20
    assert mkr(result.agency_run_rate_per_month_sek) == pytest.approx(20)
    # (180 + 20 x 3) / 7 260 x 100 = 240 / 7 260 x 100 = 3.30579 %
    assert result.projected_pct == pytest.approx(3.305785, abs=1e-6)
    assert result.reachable is True
    assert result.gap_sek is None
    assert result.reason is None


def test_a_target_already_out_of_reach_gives_a_negative_allowance_and_the_gap():
    result = path_2026(monthly("2026-01", [30] * 9))

    # 9 x 30 = 270, more than the 249.744 the target allows for the whole year.
    assert mkr(result.agency_ytd_sek) == pytest.approx(270)
    # (249.744 - 270) / 3 = -20.256 / 3 = -6.752
    assert mkr(result.agency_allowed_per_month_sek) == pytest.approx(-6.752)
    assert result.reachable is False
    # 270 - 249.744 = 20.256
    assert mkr(result.gap_sek) == pytest.approx(20.256)
    # (270 + 30 x 3) / 7 260 x 100 = 360 / 7 260 x 100 = 4.95868 %
    assert result.projected_pct == pytest.approx(4.958678, abs=1e-6)
    assert result.reason == (
        "Målet kan inte längre nås i år: kostnaden för hyrpersonal är redan "
        "20,3\u00a0mkr över vad målet tillåter för hela året."
    )


def test_the_row_follows_the_export_columns():
    result = path_2026(monthly("2026-01", [20] * 9))

    assert COLUMNS == (
        "year",
        "target_pct",
        "months_left",
        "agency_ytd_sek",
        "own_staff_r12_dec_sek",
        "agency_allowed_per_month_sek",
        "agency_run_rate_per_month_sek",
        "projected_pct",
    )
    row = result.as_row()
    assert row[:3] == (2026, 3.44, 3)
    assert row[3:] == (
        result.agency_ytd_sek,
        result.own_staff_r12_dec_sek,
        result.agency_allowed_per_month_sek,
        result.agency_run_rate_per_month_sek,
        result.projected_pct,
    )


def test_the_result_is_frozen():
    result = path_2026(monthly("2026-01", [20] * 9))
    with pytest.raises(AttributeError):
        result.months_left = 2  # type: ignore[misc]


# --- missing data ----------------------------------------------------------------------


def test_a_missing_budget_month_empties_the_fields_that_need_it_and_names_it():
    # Budget for October only: November and December are missing.
    result = path_2026(monthly("2026-01", [20] * 9), own_staff_budget=monthly("2026-10", [620]))

    assert result.own_staff_r12_dec_sek is None
    assert result.agency_allowed_per_month_sek is None
    assert result.projected_pct is None
    assert result.reachable is None
    assert result.gap_sek is None
    # What does not need the budget is still there.
    assert mkr(result.agency_ytd_sek) == pytest.approx(180)
    assert mkr(result.agency_run_rate_per_month_sek) == pytest.approx(20)
    assert result.reason == "Budget saknas för nov 2026, dec 2026."


def test_a_nan_budget_month_is_missing_too():
    budget = monthly("2026-10", [620, NaN, 620])
    result = path_2026(monthly("2026-01", [20] * 9), own_staff_budget=budget)

    assert result.own_staff_r12_dec_sek is None
    assert result.reason == "Budget saknas för nov 2026."


def test_a_missing_agency_month_this_year_empties_the_year_to_date():
    agency = monthly("2026-01", [20, 20, NaN, 20, 20, 20, 20, 20, 20])  # March missing
    result = path_2026(agency)

    assert result.agency_ytd_sek is None
    assert result.agency_allowed_per_month_sek is None
    assert result.projected_pct is None
    assert result.reachable is None
    # The run rate (July-September) does not need March.
    assert mkr(result.agency_run_rate_per_month_sek) == pytest.approx(20)
    assert mkr(result.own_staff_r12_dec_sek) == pytest.approx(7260)
    assert result.reason == "Utfall för hyrpersonal saknas för mar 2026."


def test_a_missing_own_staff_month_empties_r12_at_december():
    own = OWN_2026.drop(period("2026-02"))  # February absent
    result = path_2026(monthly("2026-01", [20] * 9), own_staff_actual=own)

    assert result.own_staff_r12_dec_sek is None
    assert result.agency_allowed_per_month_sek is None
    assert result.projected_pct is None
    assert mkr(result.agency_ytd_sek) == pytest.approx(180)
    assert result.reason == "Utfall för egen personal saknas för feb 2026."


def test_no_target_leaves_the_allowance_empty_but_still_projects():
    result = path_2026(monthly("2026-01", [20] * 9), target_pct=None)

    assert result.target_pct is None
    assert result.agency_allowed_per_month_sek is None
    assert result.reachable is None
    assert result.gap_sek is None
    assert result.projected_pct == pytest.approx(3.305785, abs=1e-6)  # as with a target
    assert result.reason == "Inget mål är satt för 2026."
    assert result.as_row()[1] is None


def test_a_nan_target_is_no_target():
    result = path_2026(monthly("2026-01", [20] * 9), target_pct=NaN)

    assert result.target_pct is None
    assert result.agency_allowed_per_month_sek is None


def test_a_missing_month_among_the_last_three_leaves_no_run_rate():
    # February 2026: the run rate needs December 2025, January and February 2026;
    # the data start in January.
    result = target_path(
        agency=monthly("2026-01", [20, 20]),
        own_staff_actual=monthly("2026-01", [600, 600]),
        own_staff_budget=BUDGET_2026,
        month=period("2026-02"),
        target_pct=3.44,
    )

    assert result.agency_run_rate_per_month_sek is None
    assert result.projected_pct is None
    # The rest needs only this year: 2 x 600 + 10 x 620 = 1 200 + 6 200 = 7 400;
    # (3.44 / 100 x 7 400 - 40) / 10 = (254.56 - 40) / 10 = 21.456
    assert mkr(result.agency_allowed_per_month_sek) == pytest.approx(21.456)
    assert result.reachable is True
    assert result.reason == (
        "Takten (snittet av de tre senaste månaderna) kräver utfall för hyrpersonal för dec 2025."
    )


def test_several_reasons_are_given_together():
    result = path_2026(
        monthly("2026-02", [20] * 8),  # January missing
        own_staff_budget=monthly("2026-10", [620, 620]),  # December missing
        target_pct=None,
    )

    assert result.reason == (
        "Inget mål är satt för 2026. Utfall för hyrpersonal saknas för jan 2026. "
        "Budget saknas för dec 2026."
    )


# --- across a year boundary and in December ------------------------------------------


def test_the_run_rate_reaches_into_last_year_but_months_left_counts_to_december():
    # February 2026: the run rate is the mean of December 2025, January, February 2026.
    result = target_path(
        agency=monthly("2025-12", [35, 20, 20]),
        own_staff_actual=monthly("2026-01", [600, 600]),
        own_staff_budget=BUDGET_2026,
        month=period("2026-02"),
        target_pct=3.44,
    )

    assert result.months_left == 10  # March to December 2026
    # (35 + 20 + 20) / 3 = 75 / 3 = 25
    assert mkr(result.agency_run_rate_per_month_sek) == pytest.approx(25)
    # Year to date is 2026 only: 20 + 20 = 40 (December 2025 not counted)
    assert mkr(result.agency_ytd_sek) == pytest.approx(40)
    # 2 x 600 + 10 x 620 = 7 400
    assert mkr(result.own_staff_r12_dec_sek) == pytest.approx(7400)
    # (40 + 25 x 10) / 7 400 x 100 = 290 / 7 400 x 100 = 3.91892 %
    assert result.projected_pct == pytest.approx(3.918919, abs=1e-6)
    assert mkr(result.agency_allowed_per_month_sek) == pytest.approx(21.456)
    assert result.reason is None


def test_january_uses_november_and_december_of_last_year():
    result = target_path(
        agency=monthly("2025-11", [30, 36, 24]),
        own_staff_actual=monthly("2026-01", [600]),
        own_staff_budget=BUDGET_2026,
        month=period("2026-01"),
        target_pct=3.44,
    )

    assert result.months_left == 11
    # (30 + 36 + 24) / 3 = 30
    assert mkr(result.agency_run_rate_per_month_sek) == pytest.approx(30)
    # 600 + 11 x 620 = 600 + 6 820 = 7 420
    assert mkr(result.own_staff_r12_dec_sek) == pytest.approx(7420)
    # (24 + 30 x 11) / 7 420 x 100 = 354 / 7 420 x 100 = 4.77089 %
    assert result.projected_pct == pytest.approx(4.770889, abs=1e-6)


def test_december_has_nothing_left_to_allow_and_projects_the_actual_measure():
    result = target_path(
        agency=monthly("2026-01", [20] * 12),
        own_staff_actual=monthly("2026-01", [600] * 12),
        own_staff_budget=pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype="float64"),
        month=period("2026-12"),
        target_pct=3.44,
    )

    assert result.months_left == 0
    assert result.agency_allowed_per_month_sek is None
    # 12 x 20 = 240; 12 x 600 = 7 200 (no budget needed)
    assert mkr(result.agency_ytd_sek) == pytest.approx(240)
    assert mkr(result.own_staff_r12_dec_sek) == pytest.approx(7200)
    # The actual measure: 240 / 7 200 x 100 = 3.33333 %
    assert result.projected_pct == pytest.approx(3.333333, abs=1e-6)
    assert mkr(result.agency_run_rate_per_month_sek) == pytest.approx(20)
    # 3.33 % <= 3.44 %: the year met its target.
    assert result.reachable is True
    assert result.gap_sek is None
    assert result.reason == "Året är slut: inga månader kvar att fördela kostnad på."


def test_december_over_the_target_reports_the_gap():
    result = target_path(
        agency=monthly("2026-01", [30] * 12),
        own_staff_actual=monthly("2026-01", [600] * 12),
        own_staff_budget=BUDGET_2026,
        month=period("2026-12"),
        target_pct=3.44,
    )

    # 360 / 7 200 x 100 = 5 %
    assert result.projected_pct == pytest.approx(5.0)
    assert result.reachable is False
    # 360 - 3.44 / 100 x 7 200 = 360 - 247.68 = 112.32
    assert mkr(result.gap_sek) == pytest.approx(112.32)
    assert result.agency_allowed_per_month_sek is None
    assert result.reason == (
        "Året är slut: inga månader kvar att fördela kostnad på. "
        "Målet nåddes inte: kostnaden för hyrpersonal blev 112,3\u00a0mkr över målet."
    )


def test_december_needs_no_run_rate_for_its_measure():
    # October missing: no run rate, and no year to date either.
    agency = monthly("2026-01", [20] * 9 + [NaN, 20, 20])
    result = target_path(
        agency=agency,
        own_staff_actual=monthly("2026-01", [600] * 12),
        own_staff_budget=BUDGET_2026,
        month=period("2026-12"),
        target_pct=3.44,
    )
    assert result.agency_run_rate_per_month_sek is None
    assert result.projected_pct is None  # the year to date is missing

    # Only November 2025 missing (outside the year, outside the run rate): all there.
    agency = pd.concat([monthly("2025-12", [99]), monthly("2026-01", [20] * 12)])
    result = target_path(
        agency=agency,
        own_staff_actual=monthly("2026-01", [600] * 12),
        own_staff_budget=BUDGET_2026,
        month=period("2026-12"),
        target_pct=3.44,
    )
    assert result.projected_pct == pytest.approx(3.333333, abs=1e-6)


def test_zero_own_staff_cost_gives_no_measure():
    result = target_path(
        agency=monthly("2026-01", [0] * 12),
        own_staff_actual=monthly("2026-01", [0] * 12),
        own_staff_budget=BUDGET_2026,
        month=period("2026-12"),
        target_pct=3.44,
    )

    assert result.own_staff_r12_dec_sek == 0
    assert result.projected_pct is None
    assert "Kostnaden för egen personal under året är 0" in result.reason


def test_a_series_without_a_monthly_index_is_refused():
    with pytest.raises(TypeError):
        path_2026(pd.Series([20.0] * 9))


# --- the projection points -----------------------------------------------------------


def test_projection_points_continue_r12_with_run_rate_and_budget():
    # Agency 20 a month October 2025 - June 2026, then 24, 27, 30 (July-September);
    # own staff 600 a month October 2025 - September 2026, budget 620 afterwards.
    agency = monthly("2025-10", [20] * 9 + [24, 27, 30])
    own = monthly("2025-10", [600] * 12)
    points = projection_points(
        agency=agency, own_staff_actual=own, own_staff_budget=BUDGET_2026, month=period("2026-09")
    )

    assert list(points.index) == [period("2026-10"), period("2026-11"), period("2026-12")]
    # Run rate (24 + 27 + 30) / 3 = 27.
    # October 2026, R12 = November 2025 - October 2026:
    #   agency 8 x 20 (Nov-Jun) + 24 + 27 + 30 + 27 = 160 + 81 + 27 = 268
    #   own    11 x 600 + 620 = 7 220;  268 / 7 220 x 100 = 3.71191 %
    # November 2026, R12 = December 2025 - November 2026:
    #   agency 7 x 20 + 81 + 2 x 27 = 140 + 81 + 54 = 275
    #   own    10 x 600 + 2 x 620 = 7 240;  275 / 7 240 x 100 = 3.79834 %
    # December 2026, R12 = January - December 2026:
    #   agency 6 x 20 + 81 + 3 x 27 = 120 + 81 + 81 = 282
    #   own    9 x 600 + 3 x 620 = 7 260;  282 / 7 260 x 100 = 3.88430 %
    assert points.tolist() == pytest.approx([3.711911, 3.798343, 3.884298], abs=1e-6)

    # The December point is the target path's projected measure.
    result = target_path(
        agency=agency,
        own_staff_actual=own,
        own_staff_budget=BUDGET_2026,
        month=period("2026-09"),
        target_pct=3.44,
    )
    assert result.projected_pct == pytest.approx(points.iloc[-1])


def test_projection_points_are_nan_where_a_month_is_missing():
    # Without last year's actuals the windows of October and November are incomplete;
    # December's (January - December 2026) is not.
    points = projection_points(
        agency=monthly("2026-01", [20] * 9),
        own_staff_actual=OWN_2026,
        own_staff_budget=BUDGET_2026,
        month=period("2026-09"),
    )
    assert math.isnan(points.iloc[0]) and math.isnan(points.iloc[1])
    # (180 + 3 x 20) / 7 260 x 100 = 3.30579 %
    assert points.iloc[2] == pytest.approx(3.305785, abs=1e-6)

    # No run rate: nothing to project.
    points = projection_points(
        agency=monthly("2026-01", [20] * 7 + [NaN, 20]),
        own_staff_actual=OWN_2026,
        own_staff_budget=BUDGET_2026,
        month=period("2026-09"),
    )
    assert points.isna().all()


def test_projection_points_in_december_are_empty():
    points = projection_points(
        agency=monthly("2026-01", [20] * 12),
        own_staff_actual=monthly("2026-01", [600] * 12),
        own_staff_budget=BUDGET_2026,
        month=period("2026-12"),
    )
    assert len(points) == 0
    assert isinstance(points.index, pd.PeriodIndex)

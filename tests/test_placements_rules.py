"""Section 12 a (kpis.placements.rules): hand-worked cases, no database.

Every expected figure is worked out by hand in a comment next to it. Day counts are
inclusive of both ends: 2025-01-01..2025-01-31 is 31 days. Month lengths used: a common
year has 365 days, a leap year (2024, 2028) 366, February 28 or 29 days.
"""

import calendar
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.placements.rules import (
    CLEAR,
    PASSED,
    ROW_COLUMNS,
    WITHIN_90_DAYS,
    day_721_date,
    limit_rows,
    offer_deadline,
    operating_unit,
    qualifying_days,
    shift_months,
    status,
    window_start,
)

D = dt.date


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- months and the window ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 3, 15), 1, D(2026, 4, 15)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),  # over the year end
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # February 2026 has 28 days
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # 2028 is a leap year
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2028, 2, 29), -36, D(2025, 2, 28)),  # 2025 has no 29 February
        (D(2025, 2, 28), 36, D(2028, 2, 28)),  # the 28th stays the 28th
    ],
)
def test_shift_months_keeps_the_day_or_takes_the_month_end(day, months, expected):
    assert shift_months(day, months) == expected


@pytest.mark.parametrize(
    ("on", "start", "length"),
    [
        # 2026-03-15 - 36 months = 2023-03-15, + 1 day. 2023-03-16..2024-03-15 is 366
        # days (29 Feb 2024 in it), then 365 + 365: 1096.
        (D(2026, 3, 15), D(2023, 3, 16), 1096),
        # 2028-02-29 - 36 months = 2025-02-28 (no 29th), + 1 day = 2025-03-01.
        # 2025-03-01..2028-02-29: 365 + 365 + 366 (2027-03-01..2028-02-29) = 1096.
        (D(2028, 2, 29), D(2025, 3, 1), 1096),
        # The day before starts on the same day: 365 + 365 + 365, no leap day in it.
        (D(2028, 2, 28), D(2025, 3, 1), 1095),
        # The window starts on a leap day: 2027-02-28 - 36 months = 2024-02-28, + 1.
        # 2024-02-29..2027-02-28: 366 + 365 + 365 = 1096.
        (D(2027, 2, 28), D(2024, 2, 29), 1096),
        # The next day it starts on 2024-03-02: 29 Feb and 1 March both leave.
        (D(2027, 3, 1), D(2024, 3, 2), 1095),
    ],
)
def test_the_window_is_36_calendar_months_ending_on_the_reference_date(on, start, length):
    assert window_start(on) == start
    assert (on - start).days + 1 == length
    # A placement covering the whole window counts every day of it, no more.
    assert qualifying_days([(D(2020, 1, 1), D(2030, 12, 31))], on) == length


# --- qualifying days ------------------------------------------------------------------------


def test_overlapping_placements_count_once():
    placements = [(D(2025, 1, 1), D(2025, 3, 31)), (D(2025, 3, 1), D(2025, 4, 30))]
    # Apart 90 + 61 = 151 days; together 2025-01-01..2025-04-30 = 31 + 28 + 31 + 30 = 120.
    assert qualifying_days(placements, D(2025, 12, 31)) == 120
    # The same placement twice, or one inside another, adds nothing.
    assert qualifying_days([*placements, placements[0]], D(2025, 12, 31)) == 120
    assert qualifying_days([*placements, (D(2025, 2, 1), D(2025, 2, 10))], D(2025, 12, 31)) == 120


def test_placements_end_to_end_count_every_day_once():
    # January (31) and February (28) 2025, one placement after the other: 59.
    placements = [(D(2025, 1, 1), D(2025, 1, 31)), (D(2025, 2, 1), D(2025, 2, 28))]
    assert qualifying_days(placements, D(2025, 12, 31)) == 59


def test_a_placement_straddling_the_window_start_counts_from_the_window_start():
    on = D(2026, 3, 15)  # window from 2023-03-16
    # 2023-03-01..2023-03-31: only 16..31 March are in the window, 16 days.
    assert qualifying_days([(D(2023, 3, 1), D(2023, 3, 31))], on) == 16
    # Ending the day before the window starts: nothing; starting on it: one day.
    assert qualifying_days([(D(2023, 3, 1), D(2023, 3, 15))], on) == 0
    assert qualifying_days([(D(2023, 3, 16), D(2023, 3, 16))], on) == 1


def test_days_after_the_reference_date_do_not_count_and_an_open_end_counts_through_it():
    on = D(2026, 3, 15)
    # Booked to 2026-12-31: only 1..15 March so far, 15 days.
    assert qualifying_days([(D(2026, 3, 1), D(2026, 12, 31))], on) == 15
    # No end: January 31 + February 28 + 15 = 74.
    assert qualifying_days([(D(2026, 1, 1), None)], on) == 74


def test_a_placement_ending_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="before it starts"):
        qualifying_days([(D(2025, 2, 1), D(2025, 1, 31))], D(2025, 12, 31))
    with pytest.raises(ValueError, match="before it starts"):
        day_721_date([(D(2025, 2, 1), D(2025, 1, 31))], D(2025, 12, 31))


def test_leap_day_counts_and_leaves_the_window_with_the_first_of_march():
    placement = [(D(2024, 2, 1), D(2024, 3, 31))]
    # February 2024 has 29 days: 29 + 31 = 60.
    assert qualifying_days(placement, D(2024, 12, 31)) == 60
    # Window from 2024-02-29 (on 2027-02-28): 29 February + 31 days of March = 32.
    assert qualifying_days(placement, D(2027, 2, 28)) == 32
    # Window from 2024-03-02 (on 2027-03-01): 2..31 March = 30, two days fewer at once.
    assert qualifying_days(placement, D(2027, 3, 1)) == 30


# --- day 721 ------------------------------------------------------------------------------


def test_day_720_is_not_the_limit_day_721_is():
    # From 2024-01-01: 2024 has 366 days, so 2024-12-31 is day 366 and day 721 is
    # 355 days later, 2025-12-21.
    ongoing = [(D(2024, 1, 1), None)]
    assert qualifying_days(ongoing, D(2025, 12, 20)) == 720
    assert qualifying_days(ongoing, D(2025, 12, 21)) == 721
    assert day_721_date(ongoing, D(2025, 12, 20)) == D(2025, 12, 21)
    assert status(D(2025, 12, 21), D(2025, 12, 20)) == WITHIN_90_DAYS
    assert status(D(2025, 12, 21), D(2025, 12, 21)) == PASSED
    # Booked to end on day 720: the limit is never passed.
    ends_on_720 = [(D(2024, 1, 1), D(2025, 12, 20))]
    assert qualifying_days(ends_on_720, D(2025, 12, 20)) == 720
    assert day_721_date(ends_on_720, D(2025, 12, 20)) is None
    assert day_721_date([(D(2024, 1, 1), D(2025, 12, 21))], D(2025, 1, 1)) == D(2025, 12, 21)


def test_placements_booked_in_the_future_give_a_future_day_721():
    booked = [(D(2024, 1, 1), D(2026, 6, 30))]
    # On 2025-10-01: 366 (2024) + 274 (2025-01-01..10-01: 31+28+31+30+31+30+31+31+30+1).
    assert qualifying_days(booked, D(2025, 10, 1)) == 640
    # 81 more days: 2025-10-01 + 81 = 2025-12-21 (as in the test above).
    assert day_721_date(booked, D(2025, 10, 1)) == D(2025, 12, 21)
    # 2025-10-01 + 90 days = 2025-12-30: within 90 days. From 2025-09-01 + 90 days =
    # 2025-11-30 the date is further away: clear, still with its date.
    assert status(D(2025, 12, 21), D(2025, 10, 1)) == WITHIN_90_DAYS
    assert day_721_date(booked, D(2025, 9, 1)) == D(2025, 12, 21)
    assert status(D(2025, 12, 21), D(2025, 9, 1)) == CLEAR


def test_a_reference_date_before_any_placement():
    booked = [(D(2026, 5, 1), D(2028, 5, 1))]
    on = D(2025, 1, 1)
    assert qualifying_days(booked, on) == 0
    # 2026-05-01..2027-04-30 is 365 days; 2027-05-01 is day 366; 355 days later,
    # 2028-04-20 (29 Feb 2028 in between), is day 721.
    assert day_721_date(booked, on) == D(2028, 4, 20)
    assert offer_deadline(D(2028, 4, 20)) == D(2028, 5, 20)
    assert status(D(2028, 4, 20), on) == CLEAR
    assert day_721_date([], on) is None


def test_a_gap_longer_than_the_window_starts_the_count_again():
    # 365 days in 2019, then 365 days 2023-02-01..2024-01-31: 730 together, but 36
    # months after 2019-12-31 end on 2022-12-31, before the second one starts.
    placements = [(D(2019, 1, 1), D(2019, 12, 31)), (D(2023, 2, 1), D(2024, 1, 31))]
    assert qualifying_days(placements, D(2024, 1, 31)) == 365
    assert day_721_date(placements, D(2024, 1, 31)) is None
    assert day_721_date(placements, D(2020, 1, 1)) is None


def test_placements_within_36_months_add_up_across_a_gap():
    # 2021-03-01..2022-02-28 (365 days) and from 2023-01-01 on. Through 2024-02-29 the
    # window (from 2021-03-01) still holds the whole first placement: 365 + 356 = 721
    # on 2023-01-01 + 355 days = 2023-12-22.
    placements = [(D(2021, 3, 1), D(2022, 2, 28)), (D(2023, 1, 1), None)]
    assert day_721_date(placements, D(2023, 6, 1)) == D(2023, 12, 22)
    assert qualifying_days(placements, D(2023, 12, 22)) == 721


def test_a_limit_passed_long_ago_by_a_placement_still_running_is_its_first_passing():
    # Placed without a break since 2020-01-01: 366 (2020) + 355 = day 721 on 2021-12-21,
    # once, though every later day has 721 or more too.
    assert day_721_date([(D(2020, 1, 1), None)], D(2026, 3, 1)) == D(2021, 12, 21)


def test_a_limit_passed_within_the_window_stays_passed_after_the_count_falls():
    # 2021-01-01..2022-12-31 (730 days): day 721 on 2021-01-01 + 720 = 2022-12-22.
    # From 2024-06-01 on again. On 2024-12-01 the window starts 2021-12-02: 30 + 365 =
    # 395 days of the first placement, 184 of the second (June to November 183, + 1):
    # 579. The limit was passed within the window: passed, with its date.
    placements = [(D(2021, 1, 1), D(2022, 12, 31)), (D(2024, 6, 1), None)]
    on = D(2024, 12, 1)
    assert qualifying_days(placements, on) == 579
    assert day_721_date(placements, on) == D(2022, 12, 22)
    assert status(day_721_date(placements, on), on) == PASSED


def test_a_limit_passed_before_the_window_in_a_run_that_has_ended_is_history():
    # 2020-01-01..2022-12-31: day 721 on 2021-12-21. Its run of 721+ days lasts while
    # the window holds 721 of those days, through 2024-01-09 (window from 2021-01-10:
    # 2021-01-10..2022-12-31 = 356 + 365 = 721).
    placement = [(D(2020, 1, 1), D(2022, 12, 31))]
    # On 2024-06-01 (window from 2021-06-02) it passed within the window: 213 days of
    # 2021 (June 29, July to December 184) + 365 = 578 now, passed on 2021-12-21.
    assert qualifying_days(placement, D(2024, 6, 1)) == 578
    assert day_721_date(placement, D(2024, 6, 1)) == D(2021, 12, 21)
    # On 2026-07-01 the window starts 2023-07-02, after both the passing and its run.
    assert qualifying_days(placement, D(2026, 7, 1)) == 0
    assert day_721_date(placement, D(2026, 7, 1)) is None


def test_an_open_end_far_away_or_missing_is_scanned_quickly():
    # A placement "to 9999-12-31" since 2000 passed on 2000-01-01 + 720 = 2001-12-21
    # (2000 is a leap year: 366 + 355).
    assert day_721_date([(D(2000, 1, 1), D(9999, 12, 31))], D(2026, 3, 1)) == D(2001, 12, 21)
    assert day_721_date([(D(2000, 1, 1), None)], D(2026, 3, 1)) == D(2001, 12, 21)


# --- offer deadline and status -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day721", "deadline"),
    [
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 1, 31), D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 2, 28), D(2026, 3, 28)),  # a month end that is no 31st stays the 28th
        (D(2026, 12, 15), D(2027, 1, 15)),
        (None, None),
    ],
)
def test_the_offer_deadline_is_one_calendar_month_after_day_721(day721, deadline):
    assert offer_deadline(day721) == deadline


@pytest.mark.parametrize(
    ("day721", "expected"),
    [
        (D(2025, 6, 1), PASSED),
        (D(2026, 1, 1), PASSED),  # day 721 is today
        (D(2026, 1, 2), WITHIN_90_DAYS),
        # 2026-01-01 + 90 days: 30 to 31 January, 28 to 28 February, 31 to 31 March, 1.
        (D(2026, 4, 1), WITHIN_90_DAYS),
        (D(2026, 4, 2), CLEAR),
        (None, CLEAR),
    ],
)
def test_status_edges(day721, expected):
    assert status(day721, D(2026, 1, 1)) == expected


# --- operating units and the rows ------------------------------------------------------------


def test_the_operating_unit_is_the_department_unless_its_units_are_separate():
    assert operating_unit("2001", "Kirurgiskt centrum", False) == "Kirurgiskt centrum"
    assert operating_unit("2001", "Kirurgiskt centrum", True) == "2001"


def placements(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["consultant_id", "unit", "department", "units_separate", "start", "end"]
    )


# 2024-01-01..2025-06-30 = 366 + 181 = 547 days; 2025-07-01..2026-06-30 = 365 days.
FIRST = (D(2024, 1, 1), D(2025, 6, 30))
SECOND = (D(2025, 7, 1), D(2026, 6, 30))
ON = D(2026, 6, 30)


def test_two_operating_units_never_add_up():
    rows = limit_rows(
        placements(
            ("K1", "0101", "Primärvård Skellefteå", False, *FIRST),
            ("K1", "2001", "Kirurgiskt centrum", False, *SECOND),
        ),
        ON,
    )
    assert list(rows.columns) == ROW_COLUMNS
    # 547 + 365 = 912 would be past 721; apart neither is.
    assert rows.to_dict("records") == [
        {
            "consultant_id": "K1",
            "operating_unit": "Primärvård Skellefteå",
            "qualifying_days": 547,
            "day_721_date": None,
            "offer_deadline": None,
            "status": CLEAR,
        },
        {
            "consultant_id": "K1",
            "operating_unit": "Kirurgiskt centrum",
            "qualifying_days": 365,
            "day_721_date": None,
            "offer_deadline": None,
            "status": CLEAR,
        },
    ]


def test_moving_between_units_of_one_department_adds_up():
    rows = limit_rows(
        placements(
            ("K1", "2001", "Kirurgiskt centrum", False, *FIRST),
            ("K1", "2002", "Kirurgiskt centrum", False, *SECOND),
        ),
        ON,
    )
    # One operating unit: 547 + 365 = 912 days, without a break from 2024-01-01, so
    # day 721 on 2025-12-21 (366 + 355); deadline 2026-01-21.
    assert rows.to_dict("records") == [
        {
            "consultant_id": "K1",
            "operating_unit": "Kirurgiskt centrum",
            "qualifying_days": 912,
            "day_721_date": D(2025, 12, 21),
            "offer_deadline": D(2026, 1, 21),
            "status": PASSED,
        }
    ]


def test_a_department_whose_units_are_separate_does_not_add_up():
    rows = limit_rows(
        placements(
            ("K1", "2001", "Kirurgiskt centrum", True, *FIRST),
            ("K1", "2002", "Kirurgiskt centrum", True, *SECOND),
        ),
        ON,
    )
    assert rows[["operating_unit", "qualifying_days", "status"]].values.tolist() == [
        ["2001", 547, CLEAR],
        ["2002", 365, CLEAR],
    ]


def test_rows_are_sorted_by_urgency():
    on = D(2026, 1, 1)
    rows = limit_rows(
        placements(
            # 300 days (2025-03-08..2026-01-01), nothing more booked: clear.
            ("A", "0101", "V1", False, D(2025, 3, 8), D(2026, 1, 31)),
            # Passed on 2025-12-21 (from 2024-01-01, as above).
            ("B", "0101", "V1", False, D(2024, 1, 1), None),
            # Passed earlier: from 2023-06-01, day 721 on 2023-06-01 + 720 = 2025-05-21
            # (2023-06-01..2024-05-31 is 366 days with 29 Feb; 355 days after it).
            ("C", "0101", "V1", False, D(2023, 6, 1), None),
            # Day 721 on 2026-02-10, 40 days ahead: from 2024-02-21 (2024-02-21..
            # 2025-02-20 = 366, + 355 = 2026-02-10).
            ("D", "0101", "V1", False, D(2024, 2, 21), None),
            # 500 days on 2026-01-01 (2024-08-20..2026-01-01: 134 + 365 + 1), then booked
            # through 2026-12-31: day 721 on 2026-01-01 + 221 = 2026-08-10, clear.
            ("E", "0101", "V1", False, D(2024, 8, 20), D(2026, 12, 31)),
            # Day 721 on 2026-03-01, 59 days ahead: 2024-03-11 + 720.
            ("F", "0101", "V1", False, D(2024, 3, 11), None),
        ),
        on,
    )
    assert rows[["consultant_id", "qualifying_days", "day_721_date", "status"]].values.tolist() == [
        ["C", 721 + 225, D(2025, 5, 21), PASSED],  # 2025-05-21 + 225 days = 2026-01-01
        ["B", 732, D(2025, 12, 21), PASSED],
        ["D", 721 - 40, D(2026, 2, 10), WITHIN_90_DAYS],
        ["F", 721 - 59, D(2026, 3, 1), WITHIN_90_DAYS],
        ["E", 500, D(2026, 8, 10), CLEAR],
        ["A", 300, None, CLEAR],
    ]


def test_no_placements_give_no_rows():
    rows = limit_rows(placements(), D(2026, 1, 1))
    assert list(rows.columns) == ROW_COLUMNS
    assert rows.empty


def test_timestamps_and_missing_ends_from_pandas_are_read_as_dates():
    frame = placements(("K1", "0101", "V1", False, D(2024, 1, 1), None))
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])  # NaT
    row = limit_rows(frame, D(2025, 12, 21)).iloc[0]
    assert (row.qualifying_days, row.day_721_date, row.status) == (721, D(2025, 12, 21), PASSED)


# --- against a slow reference --------------------------------------------------------------


def reference_window_start(on: dt.date) -> dt.date:
    """(on - 36 months) + 1 day with the calendar module, not numpy."""
    year = on.year - 3
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    return dt.date(year, on.month, day) + days(1)


def test_window_start_agrees_with_the_calendar_module_every_day_2019_to_2031():
    day = D(2019, 1, 1)
    while day <= D(2031, 12, 31):
        assert window_start(day) == reference_window_start(day), day
        day += days(1)


def reference_day_721(intervals, on):
    """day_721_date's definition counted day by day, from each day's own count."""
    first = min(start for start, _ in intervals)
    last = max([on] + [end or start + days(2000) for start, end in intervals]) + days(1)
    counts = {}
    day = first - days(1)
    while day <= last:
        counts[day] = qualifying_days(intervals, day)
        day += days(1)
    reached = {day for day, count in counts.items() if count >= 721}
    starts = sorted(day for day in reached if day - days(1) not in reached)
    candidates = [s for s in starts if s >= reference_window_start(on)][:1]
    if on in reached:
        candidates.append(max(s for s in starts if s <= on))
    return min(candidates, default=None)


span = st.tuples(
    st.dates(D(2019, 1, 1), D(2025, 12, 31)),
    st.one_of(st.none(), st.integers(0, 900)),
)


@settings(max_examples=40, deadline=None)
@given(
    spans=st.lists(span, min_size=1, max_size=4),
    on=st.dates(D(2018, 6, 1), D(2029, 12, 31)),
)
def test_day_721_agrees_with_counting_every_day(spans, on):
    intervals = [(start, None if n is None else start + days(n)) for start, n in spans]
    expected = reference_day_721(intervals, on)
    assert day_721_date(intervals, on) == expected
    if expected is not None:
        assert qualifying_days(intervals, expected) == 721
        assert qualifying_days(intervals, expected - days(1)) == 720

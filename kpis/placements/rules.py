"""Section 12 a of the Temporary Agency Work Act (lag 2012:854): pure rules, no database.

An agency worker placed at the same operating unit (*driftsenhet*) for more than 24
months within 36 months must be offered permanent employment within one month of
passing the limit, or be paid two monthly salaries. The region counts "more than 24
months" as day 721 of placement within the 36 months.

Definitions used throughout (all dates are calendar dates, both ends inclusive):

- **Shifting by months** (`shift_months`): the same day of the month, `months`
  calendar months away; a day the target month lacks becomes its last day
  (2026-01-31 + 1 month = 2026-02-28, 2028-02-29 - 36 months = 2025-02-28).
- **The 36-month window ending on d** (`window_start`): from (d - 36 months) + 1 day
  through d. For d = 2026-03-15 that is 2023-03-16 to 2026-03-15 (1096 days). Around a
  leap day: d = 2028-02-29 and d = 2028-02-28 both start on 2025-03-01 (both go back to
  2025-02-28), and d = 2027-02-28 starts on 2024-02-29 while d = 2027-03-01 starts on
  2024-03-02. So the window start never moves back and a new day adds at most one day
  to the count: the count rises by at most 1 a day, and the first day it is 721 or more
  it is exactly 721.
- **Qualifying days on d** (`qualifying_days`): the calendar days within the window
  ending on d covered by at least one placement (overlaps count once).
- **Open end**: a placement without an end date (None) is ongoing. For the count on d
  it covers every day from its start through d; for the projection of day 721 it runs
  indefinitely.
- **Day 721** (`day_721_date`): see its docstring.
- **Offer deadline** (`offer_deadline`): day 721 + 1 month, shifted as above.

Placements at different operating units never add up: callers count each operating
unit separately (`operating_unit`, `limit_rows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

LIMIT_DAYS = 721
WINDOW_MONTHS = 36
WARNING_DAYS = 90
PASSED = "passed"
WITHIN_90_DAYS = "within_90_days"
CLEAR = "clear"
ROW_COLUMNS = [
    "consultant_id",
    "operating_unit",
    "qualifying_days",
    "day_721_date",
    "offer_deadline",
    "status",
]

Interval = tuple[dt.date, dt.date | None]


# --- calendar months -------------------------------------------------------------------


def _shift_days(days: np.ndarray, months: int) -> np.ndarray:
    """`shift_months` of an array of datetime64[D]."""
    month = days.astype("M8[M]")
    day_of_month = (days - month.astype("M8[D]")).astype("int64")  # 0 for the 1st
    target = month + months
    length = ((target + 1).astype("M8[D]") - target.astype("M8[D]")).astype("int64")
    return target.astype("M8[D]") + np.minimum(day_of_month, length - 1)


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` calendar months later (earlier if negative);
    a day the target month lacks becomes its last day: 2026-01-31 + 1 = 2026-02-28,
    2028-02-29 - 36 = 2025-02-28, 2025-02-28 + 36 = 2028-02-28."""
    return _to_date(_shift_days(np.array([day], dtype="M8[D]"), months)[0])


def _window_starts(days: np.ndarray) -> np.ndarray:
    return _shift_days(days, -WINDOW_MONTHS) + np.timedelta64(1, "D")


def window_start(on: dt.date) -> dt.date:
    """The first day of the 36-month window ending on `on`: (on - 36 months) + 1 day.

    2026-03-15 -> 2023-03-16; 2028-02-29 -> 2025-03-01 (2028-02-29 - 36 months is
    2025-02-28); 2027-02-28 -> 2024-02-29."""
    return _to_date(_window_starts(np.array([on], dtype="M8[D]"))[0])


def _to_date(day: np.datetime64) -> dt.date:
    return day.astype("M8[D]").astype(dt.date)


# --- counting -----------------------------------------------------------------------


def _checked(intervals: Iterable[Interval]) -> list[Interval]:
    checked = list(intervals)
    for start, end in checked:
        if end is not None and end < start:
            raise ValueError(f"a placement ends ({end}) before it starts ({start})")
    return checked


def qualifying_days(intervals: Iterable[Interval], on: dt.date) -> int:
    """Days of the 36-month window ending on `on` covered by the union of the
    placements [start, end] (both inclusive; end None = still placed, covered through
    `on`). Overlapping placements count once; days after `on` never count."""
    first = window_start(on)
    clipped = sorted(
        (max(start, first), on if end is None else min(end, on))
        for start, end in _checked(intervals)
    )
    total, covered_to = 0, first - dt.timedelta(days=1)
    for start, end in clipped:
        start = max(start, covered_to + dt.timedelta(days=1))
        if end >= start:
            total += (end - start).days + 1
            covered_to = end
    return total


def _scan_end(intervals: Sequence[Interval], on: dt.date) -> dt.date:
    """The last day `day_721_date` needs to count: `on`, or the last day on which a run
    of days with 721 or more can begin if that is later.

    Such a run begins on a day the count rises, a covered day, so not after the last end
    E. After the last start L every covered day lies in one run of days from L to E
    (each placement is one run of days, and all have started), so from L + 720 through E
    the count is 721 or more: no run begins after min(E, L + 720)."""
    last_start = max(start for start, _ in intervals)
    ends = [end for _, end in intervals]
    begins_by = last_start + dt.timedelta(days=LIMIT_DAYS - 1)
    if None not in ends:
        begins_by = min(max(ends), begins_by)
    return max(begins_by, on)


def _daily_counts(intervals: Sequence[Interval], first: dt.date, last: dt.date) -> np.ndarray:
    """The qualifying days on every day from `first` to `last` (open ends run on),
    given that no placement starts before `first`."""
    size = (last - first).days + 1
    change = np.zeros(size + 1, dtype="int64")
    for start, end in intervals:
        begin = (start - first).days
        if begin >= size:
            continue
        stop = size if end is None else min((end - first).days + 1, size)
        change[begin] += 1
        change[stop] -= 1
    covered = np.cumsum(change[:size]) > 0
    total = np.concatenate([[0], np.cumsum(covered)])  # total[k]: covered days before day k
    days = np.datetime64(first, "D") + np.arange(size)
    window_first = (_window_starts(days) - np.datetime64(first, "D")).astype("int64")
    return total[1:] - total[np.clip(window_first, 0, size)]


def day_721_date(intervals: Iterable[Interval], on: dt.date) -> dt.date | None:
    """The date day 721 is or will be reached, counting the placements as booked (an
    open end runs indefinitely); None if never. On that date the qualifying days are
    exactly 721 (they rise by at most one a day) and the day before fewer.

    The count can reach 721 more than once (it falls when placed days leave the window),
    so which time counts: the earliest of
    - if on `on` the qualifying days are 721 or more, the day the unbroken run of such
      days that includes `on` began, even before the 36-month window ending on `on` (a
      consultant placed without a break since 2020 passed the limit once, in 2021);
    - the first day on or after the start of the 36-month window ending on `on` on which
      the count reaches 721: a limit passed within the window stays passed (the duty to
      offer employment arose) even if the count has fallen below 721 since, and
      otherwise this is the first day in the future it will be reached.
    A limit passed only in a run of days that ended before `on` and began before the
    window is history: not reported.

    Placements count only at the operating unit the caller passes them for.
    """
    intervals = _checked(intervals)
    if not intervals:
        return None
    first = min(start for start, _ in intervals)
    reached = _daily_counts(intervals, first, _scan_end(intervals, on)) >= LIMIT_DAYS
    run_starts = np.flatnonzero(reached & ~np.concatenate([[False], reached[:-1]]))
    candidates = []
    today = (on - first).days
    if today >= 0 and reached[today]:
        candidates.append(run_starts[run_starts <= today][-1])
    in_window = run_starts[run_starts >= (window_start(on) - first).days]
    if in_window.size:
        candidates.append(in_window[0])
    if not candidates:
        return None
    return first + dt.timedelta(days=int(min(candidates)))


def offer_deadline(day721: dt.date | None) -> dt.date | None:
    """One calendar month after day 721 (the same day of the month; the last day of a
    shorter month): 2026-01-31 -> 2026-02-28, 2028-01-31 -> 2028-02-29,
    2026-03-15 -> 2026-04-15. None when there is no day 721."""
    return None if day721 is None else shift_months(day721, 1)


def status(day721: dt.date | None, on: dt.date) -> str:
    """'passed' if day 721 is on or before `on`; 'within_90_days' if it is after `on`
    and at most 90 days after (on + 90 days included); else, or without a day 721,
    'clear'."""
    if day721 is None:
        return CLEAR
    if day721 <= on:
        return PASSED
    if day721 <= on + dt.timedelta(days=WARNING_DAYS):
        return WITHIN_90_DAYS
    return CLEAR


# --- per consultant and operating unit ----------------------------------------------------


def operating_unit(unit_code: str, department: str, department_units_separate: bool) -> str:
    """The operating unit a placement at unit `unit_code` counts for: its department
    (by name), unless the department is marked so that each of its units is its own
    operating unit, then the unit's ansvar code. Ansvar codes and department names are
    taken to be distinct (codes are digits, names are words)."""
    return str(unit_code) if department_units_separate else str(department)


def _date_or_none(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def limit_row(
    consultant_id: str, unit: str, intervals: Sequence[Interval], on: dt.date
) -> dict[str, object]:
    """One consultant's figures at one operating unit on `on` (a row of `limit_rows`)."""
    day721 = day_721_date(intervals, on)
    return {
        "consultant_id": consultant_id,
        "operating_unit": unit,
        "qualifying_days": qualifying_days(intervals, on),
        "day_721_date": day721,
        "offer_deadline": offer_deadline(day721),
        "status": status(day721, on),
    }


def limit_rows(placements: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Per consultant and operating unit: qualifying days on `on`, day 721, the offer
    deadline and the status, most urgent first.

    `placements` has columns consultant_id, unit (ansvar code), department,
    units_separate (bool: the department's units are operating units of their own),
    start and end (dates or timestamps; end None/NaT for an ongoing placement).

    Returns columns consultant_id, operating_unit, qualifying_days (int), day_721_date
    and offer_deadline (datetime.date or None) and status, one row per consultant and
    operating unit they were ever placed at, sorted: 'passed' first (oldest day 721
    first), then 'within_90_days' (soonest first), then 'clear' by qualifying days
    (most first), then by day 721 (soonest first, none last); ties by consultant and
    operating unit.
    """
    groups: dict[tuple[str, str], list[Interval]] = {}
    for row in placements.itertuples(index=False):
        key = (
            str(row.consultant_id),
            operating_unit(row.unit, row.department, bool(row.units_separate)),
        )
        groups.setdefault(key, []).append((_date_or_none(row.start), _date_or_none(row.end)))
    rows = [limit_row(consultant, unit, spans, on) for (consultant, unit), spans in groups.items()]
    return sort_by_urgency(pd.DataFrame(rows, columns=ROW_COLUMNS))


def sort_by_urgency(rows: pd.DataFrame) -> pd.DataFrame:
    """`limit_rows`' order: passed (oldest day 721 first), within 90 days (soonest
    first), clear (most qualifying days first, then soonest day 721, none last); ties
    by consultant and operating unit."""
    rank = rows["status"].map({PASSED: 0, WITHIN_90_DAYS: 1, CLEAR: 2})
    keys = pd.DataFrame(
        {
            "rank": rank,
            "days": (-rows["qualifying_days"]).where(rank == 2, 0),
            "no_date": rows["day_721_date"].isna(),
            "date": rows["day_721_date"].map(lambda day: "" if day is None else day.isoformat()),
            "consultant": rows["consultant_id"],
            "unit": rows["operating_unit"],
        },
        index=rows.index,
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return rows.loc[order].reset_index(drop=True)

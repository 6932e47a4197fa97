"""Purchased hours per month from the placements: pure, no database.

The staffing system books hours per placement, not per month. To set them beside the
ledger's monthly hours, each placement's hours are spread evenly over its calendar days
(start and end inclusive) and summed per month:

    hours in month m = sum over placements p of hours(p) x days of p in m / days of p

(hours, per calendar month). A placement without an end date (ongoing: its length is
not known) or without hours adds nothing; `hours_per_month` says how many were left out.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


def _days_per_month(start: dt.date, end: dt.date) -> dict[pd.Period, int]:
    """Calendar days of [start, end] in each month it touches."""
    days: dict[pd.Period, int] = {}
    month = pd.Period(start, freq="M")
    last = pd.Period(end, freq="M")
    while month <= last:
        first_day = max(start, month.start_time.date())
        last_day = min(end, month.end_time.date())
        days[month] = (last_day - first_day).days + 1
        month += 1
    return days


def hours_per_month(placements: pd.DataFrame) -> tuple[pd.Series, int]:
    """(hours per month, placements left out) from placements with columns start, end
    (datetime.date; None while ongoing) and hours (float; NaN when not given).

    A placement of 100 hours from 2025-01-20 to 2025-02-08 (20 days, 5 hours a day)
    gives January 12 days x 5 = 60 hours and February 8 x 5 = 40. The series has a
    Period[M] index, sorted, months without hours left out.
    """
    totals: dict[pd.Period, float] = {}
    left_out = 0
    for start, end, hours in placements[["start", "end", "hours"]].itertuples(index=False):
        if end is None or pd.isna(end) or pd.isna(hours):
            left_out += 1
            continue
        per_day = float(hours) / ((end - start).days + 1)
        for month, days in _days_per_month(start, end).items():
            totals[month] = totals.get(month, 0.0) + per_day * days
    months = sorted(totals)
    series = pd.Series(
        [totals[month] for month in months],
        index=pd.PeriodIndex(months, freq="M"),
        dtype="float64",
    )
    return series, left_out


def hours_comparison(
    placements: pd.Series, ledger: pd.Series, *, last: pd.Period | None = None
) -> pd.DataFrame:
    """Hours per month from the staffing system beside the ledger's: columns month
    ('YYYY-MM'), placement_hours, ledger_hours and difference_hours (placements minus
    ledger; NaN where either is missing). Every month either has, up to `last`; from the
    first month with placement hours on, a month without any has 0 of them."""
    months = placements.index.union(ledger.index)
    if last is not None:
        months = months[months <= last]
    booked = placements.reindex(months)
    if len(placements):
        booked = booked.where(booked.notna() | (months < placements.index.min()), 0.0)
    table = pd.DataFrame(
        {
            "placement_hours": booked,
            "ledger_hours": ledger.reindex(months),
        },
        index=months,
    )
    table["difference_hours"] = table["placement_hours"] - table["ledger_hours"]
    table.insert(0, "month", [m.strftime("%Y-%m") for m in months])
    return table.reset_index(drop=True)

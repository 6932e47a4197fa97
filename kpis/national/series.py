"""The national comparison's tables (KPI 8), which the cost dashboard shows and its CSV
downloads return: the regions in one quarter, and our region beside the national average
quarter by quarter.

Both start from the stored table (selectors.national_shares: quarter '2024-Q3', region,
share_pct in %, is_average). Nothing here reads the database.
"""

from __future__ import annotations

import re

import pandas as pd
from django.conf import settings

from hyrdash.lib.chart_style import is_region

# The series' names: the cost dashboard's chart codes and the CSV downloads' names.
TREND = "national-trend"

REGIONS = "national"

QUARTER_COLUMNS = ["quarter", "region", "share_pct", "is_average"]

TREND_COLUMNS = ["quarter", "region", "region_share_pct", "national_share_pct"]

_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


def our_region() -> str:
    """The region the site is for, as SKR's table names it or without 'Region'."""
    return getattr(settings, "HYRDASH_REGION", "Västerbotten")


def quarter_key(quarter: str) -> tuple[int, int]:
    """'2024-Q3' -> (2024, 3), for sorting; (0, 0) for anything else."""
    match = _QUARTER_RE.match(quarter)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def chosen_quarter(national: pd.DataFrame | None, *, month: pd.Period) -> str | None:
    """The latest quarter of the national table up to the month's quarter: the state as
    of that month. If every stored quarter is later than the month, the earliest one."""
    if national is None or national.empty:
        return None
    quarters = sorted(set(national["quarter"]), key=quarter_key)
    current = (month.year, month.quarter)
    earlier = [q for q in quarters if quarter_key(q) <= current]
    return earlier[-1] if earlier else quarters[0]


def regions(national: pd.DataFrame | None, *, month: pd.Period) -> pd.DataFrame:
    """Every region's share (and the national average's) in the chosen quarter, the
    highest first."""
    quarter = chosen_quarter(national, month=month)
    if quarter is None:
        return pd.DataFrame(columns=QUARTER_COLUMNS)
    table = national[national["quarter"] == quarter]
    return table.sort_values("share_pct", ascending=False, kind="stable")[
        QUARTER_COLUMNS
    ].reset_index(drop=True)


def trend(national: pd.DataFrame | None, *, region: str, month: pd.Period) -> pd.DataFrame:
    """Our region's share and the national average's, in %, per quarter, oldest first,
    up to the chosen quarter; NaN where SKR's table for a quarter lacks it.

    `region` is the name we go by ('Västerbotten'; 'Region Västerbotten' in SKR's table
    is the same region: chart_style.is_region)."""
    quarter = chosen_quarter(national, month=month)
    if quarter is None:
        return pd.DataFrame(columns=TREND_COLUMNS)
    shown = national[[quarter_key(q) <= quarter_key(quarter) for q in national["quarter"]]]
    ours = shown[[is_region(name, region) for name in shown["region"]]]
    average = shown[shown["is_average"].astype(bool)]
    quarters = sorted(set(shown["quarter"]), key=quarter_key)
    return pd.DataFrame(
        {
            "quarter": quarters,
            "region": region,
            "region_share_pct": ours.groupby("quarter")["share_pct"].first().reindex(quarters),
            "national_share_pct": average.groupby("quarter")["share_pct"].first().reindex(quarters),
        }
    ).reset_index(drop=True)[TREND_COLUMNS]

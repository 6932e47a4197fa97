"""Reads of the national comparison."""

from __future__ import annotations

import pandas as pd

from kpis.models import NationalShare


def national_shares() -> pd.DataFrame:
    """The national comparison table: quarter, region, share_pct, is_average."""
    rows = NationalShare.objects.values_list("quarter", "region", "share_pct", "is_average")
    frame = pd.DataFrame.from_records(
        list(rows), columns=["quarter", "region", "share_pct", "is_average"]
    )
    frame["share_pct"] = frame["share_pct"].astype("float64")
    return frame

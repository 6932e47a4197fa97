"""Writes of the national comparison: SKR's quarterly agency shares per region."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db import transaction

from hyrdash.lib.uploads import checksum
from kpis.data_version import COSTS, data_changed
from kpis.models import NationalShare
from kpis.national.extracts import parse_national

# --- the dashboard's supporting data --------------------------------------------------

# Region names that stand for the national average in SKR's table.
NATIONAL_AVERAGE_NAMES = {"riket", "alla regioner", "samtliga regioner", "riksgenomsnitt"}


@dataclass(frozen=True)
class NationalCheck:
    """A checked table (quarter, region, share_pct) and the shares stored now for its
    quarters, which it replaces."""

    frame: pd.DataFrame
    checksum: str
    stored: dict[tuple[str, str], float]

    @property
    def quarters(self) -> list[str]:
        return sorted(self.frame["quarter"].unique())

    @property
    def row_count(self) -> int:
        return len(self.frame)

    def summary(self) -> list[dict]:
        """What the confirmation page lists: per quarter (latest first) each region with
        its new share and the one stored now (None where there is none), highest new
        share first; a stored region the file lacks last (it goes)."""
        new = {(row.quarter, row.region): row.share_pct for row in self.frame.itertuples()}
        stored_regions = {key[0]: {} for key in self.stored}
        for (quarter, region), share in self.stored.items():
            stored_regions[quarter][region.lower()] = (region, share)
        rows = []
        for quarter in reversed(self.quarters):
            in_file = sorted(
                ((region, share) for (q, region), share in new.items() if q == quarter),
                key=lambda item: -item[1],
            )
            stored = stored_regions.get(quarter, {})
            for region, share in in_file:
                _name, before = stored.pop(region.lower(), (region, None))
                rows.append(_row(quarter, region, share, before))
            for region, before in stored.values():
                rows.append(_row(quarter, region, None, before))
        return rows


def _row(quarter: str, region: str, share: float | None, stored: float | None) -> dict:
    return {"quarter": quarter, "region": region, "share_pct": share, "stored_pct": stored}


def national_check(*, data: bytes) -> NationalCheck:
    """Read and check SKR's table without writing: every problem with its row and column
    (ExtractError)."""
    frame = parse_national(data)
    stored = NationalShare.objects.filter(quarter__in=frame["quarter"].unique())
    return NationalCheck(
        frame=frame,
        checksum=checksum(data),
        stored={
            (quarter, region): float(share)
            for quarter, region, share in stored.values_list("quarter", "region", "share_pct")
        },
    )


def national_import(*, data: bytes, check: NationalCheck | None = None) -> list[str]:
    """Store SKR's agency share per region; the quarters in the file replace stored ones."""
    check = check or national_check(data=data)
    quarters = check.quarters
    with transaction.atomic():
        NationalShare.objects.filter(quarter__in=quarters).delete()
        NationalShare.objects.bulk_create(
            NationalShare(
                quarter=row.quarter,
                region=row.region,
                share_pct=round(row.share_pct, 2),
                is_average=row.region.lower() in NATIONAL_AVERAGE_NAMES,
            )
            for row in check.frame.itertuples(index=False)
        )
        data_changed(COSTS)  # bulk_create sends no signal
    return quarters

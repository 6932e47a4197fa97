"""Writes of the national comparison: SKR's quarterly agency shares per region."""

from __future__ import annotations

from django.db import transaction

from kpis.data_version import data_changed
from kpis.models import NationalShare
from kpis.national.extracts import parse_national

# --- the dashboard's supporting data --------------------------------------------------

# Region names that stand for the national average in SKR's table.
NATIONAL_AVERAGE_NAMES = {"riket", "alla regioner", "samtliga regioner", "riksgenomsnitt"}


def national_import(*, data: bytes) -> list[str]:
    """Store SKR's agency share per region; the quarters in the file replace stored ones."""
    frame = parse_national(data)
    quarters = sorted(frame["quarter"].unique())
    with transaction.atomic():
        NationalShare.objects.filter(quarter__in=quarters).delete()
        NationalShare.objects.bulk_create(
            NationalShare(
                quarter=row.quarter,
                region=row.region,
                share_pct=round(row.share_pct, 2),
                is_average=row.region.lower() in NATIONAL_AVERAGE_NAMES,
            )
            for row in frame.itertuples(index=False)
        )
        data_changed()  # bulk_create sends no signal
    return quarters

"""The national comparison file: Period (a quarter), Region, Andel (%)."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.tabular import (
    Column,
    ExtractError,
    Problem,
    blank_problems,
    invalid_problems,
    parse_amounts,
    read_table,
)

NATIONAL_COLUMNS = (Column("Period"), Column("Region"), Column("Andel"))

QUARTER_RE = r"(\d{4})\s*[-\s]?\s*[QqKk]([1-4])"


def parse_national(data: bytes) -> pd.DataFrame:
    """SKR's agency share per region -> frame with quarter ('2024-Q3'), region, share_pct.

    Period as 2024-Q3, 2024 K3 or 2024K3; Andel in % ("3,1" or "3,1 %").
    """
    table = read_table(data, NATIONAL_COLUMNS)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    problems = blank_problems(table, [c.name for c in NATIONAL_COLUMNS])
    parts = table["Period"].str.extract(f"^{QUARTER_RE}$")
    bad_period = parts[0].isna() & (table["Period"] != "")
    problems += invalid_problems(
        table,
        "Period",
        bad_period,
        _("är inget kvartal (skriv till exempel 2024-Q3 eller 2024 K3)."),
    )
    shares = parse_amounts(table["Andel"].str.replace("%", "", regex=False))
    bad_share = (shares.isna() | (shares < 0) | (shares > 100)) & (table["Andel"] != "")
    problems += invalid_problems(table, "Andel", bad_share, _("är ingen andel i procent (0–100)."))
    quarter = parts[0] + "-Q" + parts[1]
    keys = quarter.fillna("") + "|" + table["Region"].str.lower()
    duplicated = keys.duplicated() & ~bad_period
    problems += invalid_problems(
        table, "Region", duplicated, _("förekommer flera gånger för samma kvartal.")
    )
    if problems:
        raise ExtractError(problems)
    return pd.DataFrame(
        {"quarter": quarter, "region": table["Region"], "share_pct": shares.round(2)},
        index=table.index,
    )

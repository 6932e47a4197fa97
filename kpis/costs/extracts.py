"""The ledger extract (actuals or budget): Period, Ansvar, Konto, Belopp and optional
Timmar, read into a clean frame with every problem's row and column.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.tabular import (
    AMOUNT_EXPLANATION,
    MAX_AMOUNT,
    PERIOD_EXPLANATION,
    TOO_LARGE_EXPLANATION,
    Column,
    ExtractError,
    Problem,
    as_amounts,
    blank_problems,
    filled,
    in_column_order,
    invalid_problems,
    parse_periods,
    read_table,
)
from kpis.organisation.extracts import UNKNOWN_ANSVAR_EXPLANATION

# --- the extracts ---------------------------------------------------------------------

COST_COLUMNS = (
    Column("Period"),
    Column("Ansvar"),
    Column("Konto"),
    Column("Belopp"),
    Column("Timmar", required=False),
)

# The cost extract's columns of amounts (read as numbers where they can be, see read_table).
AMOUNT_COLUMNS = ("Belopp", "Timmar")


def parse_cost_extract(
    data: bytes,
    *,
    units: Collection[str] | None = None,
    accounts: Collection[str] | None = None,
) -> pd.DataFrame:
    """A ledger extract -> frame indexed by file row with columns
    period ('YYYY-MM'), ansvar, konto (strings), amount (SEK, float, rounded to
    öre) and hours (float, NaN when blank).

    Given the known `units` (ansvar codes) and mapped `accounts` (konto), rows on a
    mapped account must name a known unit; rows on other accounts are not checked,
    they are skipped by the import.

    Raises ExtractError listing every blank, malformed or unknown cell.
    """
    table = read_table(data, COST_COLUMNS, numbers=AMOUNT_COLUMNS)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    if any(
        table[column].dtype == "float64" and (table[column].round(2).abs() >= MAX_AMOUNT).any()
        for column in AMOUNT_COLUMNS
    ):
        # Amounts read as numbers, and one is too large: its message quotes the cell as
        # written, so read the file as text after all (only files in error pay this).
        table = read_table(data, COST_COLUMNS)
    # Where each column has a value, found once (1M rows: 15 ms a column of text).
    given = {column: filled(table[column]) for column in table.columns}
    problems = blank_problems(table, ["Period", "Ansvar", "Konto", "Belopp"], given)
    periods = parse_periods(table["Period"])
    amounts = as_amounts(table["Belopp"])
    hours = as_amounts(table["Timmar"])
    problems += invalid_problems(
        table, "Period", periods.isna() & given["Period"], PERIOD_EXPLANATION
    )
    problems += invalid_problems(
        table, "Belopp", amounts.isna() & given["Belopp"], AMOUNT_EXPLANATION
    )
    problems += invalid_problems(
        table, "Timmar", hours.isna() & given["Timmar"], AMOUNT_EXPLANATION
    )
    amounts, hours = amounts.round(2), hours.round(2)
    problems += invalid_problems(
        table, "Belopp", amounts.abs() >= MAX_AMOUNT, TOO_LARGE_EXPLANATION
    )
    problems += invalid_problems(table, "Timmar", hours.abs() >= MAX_AMOUNT, TOO_LARGE_EXPLANATION)
    if units is not None and accounts is not None:
        unknown = (
            table["Konto"].isin(list(accounts))
            & ~table["Ansvar"].isin(list(units))
            & given["Ansvar"]
        )
        problems += invalid_problems(table, "Ansvar", unknown, UNKNOWN_ANSVAR_EXPLANATION)
    if problems:
        raise ExtractError(in_column_order(problems, COST_COLUMNS))
    return pd.DataFrame(
        {
            "period": periods.astype("str"),
            "ansvar": table["Ansvar"],
            "konto": table["Konto"],
            "amount": amounts,
            "hours": hours,
        },
        index=table.index,
    )

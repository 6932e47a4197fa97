"""The ledger extract (actuals or budget): Period, Ansvar, Konto, Belopp and optional
Timmar, read into a clean frame with every problem's row and column.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
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
    total_row_problems,
)
from kpis.organisation.extracts import UNKNOWN_ANSVAR_EXPLANATION

# --- the extracts ---------------------------------------------------------------------

COST_COLUMNS = (
    Column("Period"),
    Column("Ansvar"),
    Column("Konto"),
    # Ledger exports (Raindance, Unit4, SAP) may have Debet and Kredit instead.
    Column("Belopp", instead=("Debet", "Kredit")),
    Column("Timmar", required=False),
    Column("Debet", required=False),
    Column("Kredit", required=False),
)

# The cost extract's columns of amounts (read as numbers where they can be, see read_table).
AMOUNT_COLUMNS = ("Belopp", "Timmar", "Debet", "Kredit")


@dataclass(frozen=True)
class CostLayout:
    """How a ledger extract was written, for the summary: the header's row (title rows
    above it), whether Belopp was Debet − Kredit, and the closing total row checked
    against the file (its row, or None)."""

    header_row: int = 1
    debit_credit: bool = False
    total_row: int | None = None


def parse_cost_extract(
    data: bytes,
    *,
    units: Collection[str] | None = None,
    accounts: Collection[str] | None = None,
) -> pd.DataFrame:
    """A ledger extract -> frame indexed by file row with columns
    period ('YYYY-MM'), ansvar, konto (strings), amount (SEK, float, rounded to
    öre) and hours (float, NaN when blank); `attrs["layout"]` is its CostLayout.

    As finance systems write them: title rows above the header, negative amounts with
    a trailing minus or in parentheses, a closing total row ("Summa", "Totalt"), whose
    amounts must be the file's sums, and Debet and Kredit columns instead of Belopp
    (Belopp = Debet − Kredit, a blank cell as 0).

    Given the known `units` (ansvar codes) and mapped `accounts` (konto), rows on a
    mapped account must name a known unit; rows on other accounts are not checked,
    they are skipped by the import.

    Raises ExtractError listing every blank, malformed or unknown cell.
    """
    table = read_table(data, COST_COLUMNS, numbers=AMOUNT_COLUMNS, total_row=True)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    if numbers_too_large(table):
        # Amounts read as numbers, and one is too large: its message quotes the cell as
        # written, so read the file as text after all (only files in error pay this).
        table = read_table(data, COST_COLUMNS, total_row=True)
    return cost_frame(table, units=units, accounts=accounts)


# Rounding a number near the largest float to the öre overflows to infinity, which is
# too large too (MAX_AMOUNT): numpy's warning about it is expected, not shown
# (tests/test_properties.py's hypothesis found 1.8e306 in a workbook's hours).
def _rounding(function):
    """`function` with numpy's overflow warnings off (a new errstate each call: one
    instance shared by the threads of a worker would restore another thread's state)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore"):
            return function(*args, **kwargs)

    return wrapper


@_rounding
def numbers_too_large(table: pd.DataFrame) -> bool:
    """Whether an amount read as a number is too large (MAX_AMOUNT)."""
    return any(
        table[column].dtype == "float64" and (table[column].round(2).abs() >= MAX_AMOUNT).any()
        for column in AMOUNT_COLUMNS
        if column in table
    )


@_rounding
def cost_frame(
    table: pd.DataFrame,
    *,
    units: Collection[str] | None = None,
    accounts: Collection[str] | None = None,
) -> pd.DataFrame:
    """The rows of a table `read_table` (or one part of `read_table_parts`) read, as
    parse_cost_extract returns them; ExtractError with every problem of its rows."""
    debit_credit = "Belopp" in table.attrs["absent"]
    read = [
        "Period",
        "Ansvar",
        "Konto",
        "Timmar",
        *(["Debet", "Kredit"] if debit_credit else ["Belopp"]),
    ]
    # Where each column has a value, found once (1M rows: 15 ms a column of text).
    given = {column: filled(table[column]) for column in read}
    problems = blank_problems(table, ["Period", "Ansvar", "Konto"], given)
    periods = parse_periods(table["Period"])
    problems += invalid_problems(
        table, "Period", periods.isna() & given["Period"], PERIOD_EXPLANATION
    )
    amounts = {}
    for column in ("Debet", "Kredit", "Timmar") if debit_credit else ("Belopp", "Timmar"):
        values = as_amounts(table[column])
        invalid = values.isna() & given[column]
        problems += invalid_problems(table, column, invalid, AMOUNT_EXPLANATION)
        values = values.round(2)
        too_large = values.abs() >= MAX_AMOUNT
        problems += invalid_problems(table, column, too_large, TOO_LARGE_EXPLANATION)
        if not (invalid.any() or too_large.any()):
            amounts[column] = values
    if debit_credit:
        both_blank = ~given["Debet"] & ~given["Kredit"]
        for row in table.index[both_blank]:
            problems.append(Problem(int(row), "Debet", _("värde saknas i både Debet och Kredit.")))
        amount = as_amounts(table["Debet"]).fillna(0.0) - as_amounts(table["Kredit"]).fillna(0.0)
        amount = amount.round(2).mask(both_blank)
    else:
        problems += blank_problems(table, ["Belopp"], given)
        amount = as_amounts(table["Belopp"]).round(2)
    hours = as_amounts(table["Timmar"]).round(2)
    problems += total_row_problems(table.attrs["total_row"], amounts)
    if units is not None and accounts is not None:
        unknown = (
            table["Konto"].isin(list(accounts))
            & ~table["Ansvar"].isin(list(units))
            & given["Ansvar"]
        )
        problems += invalid_problems(table, "Ansvar", unknown, UNKNOWN_ANSVAR_EXPLANATION)
    if problems:
        raise ExtractError(in_column_order(problems, COST_COLUMNS))
    frame = pd.DataFrame(
        {
            "period": periods.astype("str"),
            "ansvar": table["Ansvar"],
            "konto": table["Konto"],
            "amount": amount,
            "hours": hours,
        },
        index=table.index,
    )
    total = table.attrs["total_row"]
    frame.attrs["layout"] = CostLayout(
        header_row=table.attrs["header_row"],
        debit_credit=debit_credit,
        total_row=total.row if total is not None else None,
    )
    return frame

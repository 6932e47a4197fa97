"""The payroll system's sick-leave extract: per month, unit, gender and age band the
employees, ordinary hours and sick hours (day 1-14, 15-59, 60-).
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.formatting import digit_separators
from hyrdash.lib.tabular import (
    AMOUNT_EXPLANATION,
    MAX_AMOUNT,
    NEGATIVE_EXPLANATION,
    PERIOD_EXPLANATION,
    TOO_LARGE_EXPLANATION,
    Column,
    ExtractError,
    Problem,
    blank_problems,
    in_column_order,
    invalid_problems,
    parse_amounts,
    parse_periods,
    quote,
    read_table,
    total_row_problems,
)
from kpis.organisation.extracts import UNKNOWN_ANSVAR_EXPLANATION

# --- sick leave -----------------------------------------------------------------------

SICK_LEAVE_COLUMNS = (
    Column("Period"),
    Column("Ansvar"),
    Column("Kön"),
    Column("Åldersgrupp"),
    Column("Antal anställda"),
    Column("Ordinarie arbetstid"),
    Column("Sjuktimmar dag 1-14"),
    Column("Sjuktimmar dag 15-59"),
    Column("Sjuktimmar dag 60-"),
)

GENDERS = ("K", "M")

AGE_BANDS = ("-29", "30-49", "50-")

SICK_HOURS_COLUMNS = ("Sjuktimmar dag 1-14", "Sjuktimmar dag 15-59", "Sjuktimmar dag 60-")

HOURS_COLUMNS = ("Ordinarie arbetstid", *SICK_HOURS_COLUMNS)
# The fields (SickLeaveRow) the hour columns are stored as, in the same order: lists, so
# they index pandas frames as they are.
SICK_HOURS = ["sick_hours_1_14", "sick_hours_15_59", "sick_hours_60"]
SICK_LEAVE_HOURS = ["ordinary_hours", *SICK_HOURS]

# A row is one unit's employees of one gender and age band: a million is a mistake.
MAX_EMPLOYEES = 1_000_000


def _hours_text(value: float) -> str:
    """Hours as a message shows them: 182, 170,5, 1 234,25 (no trailing 0; in English
    the decimal point and comma thousands)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.translate(digit_separators())


def parse_sick_leave(data: bytes, *, units: Collection[str] | None = None) -> pd.DataFrame:
    """A sick-leave extract from the payroll system -> frame indexed by file row with
    columns period ('YYYY-MM'), ansvar, gender ('K'/'M'), age_band ('-29', '30-49',
    '50-'), employees (int), ordinary_hours, sick_hours_1_14, sick_hours_15_59 and
    sick_hours_60 (hours, float, rounded to 2 decimals).

    Kön may be written in lower case; Åldersgrupp with an en dash or spaces
    ("30 – 49"). Title rows above the header are passed over and a closing total row
    ("Summa", "Totalt") is checked against the file's sums, not read as a row;
    `attrs` has `header_row` and `total_row` (its row, or None). A row's sick hours together may not exceed its ordinary hours; no
    value may be negative; one period, ansvar, gender and age band per row. Given
    the known `units` (ansvar codes), every row must name one of them.

    Raises ExtractError listing every blank, malformed, unknown or impossible cell.
    """
    table = read_table(data, SICK_LEAVE_COLUMNS, total_row=True)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    problems = blank_problems(table, [c.name for c in SICK_LEAVE_COLUMNS])
    periods = parse_periods(table["Period"])
    problems += invalid_problems(
        table, "Period", periods.isna() & (table["Period"] != ""), PERIOD_EXPLANATION
    )
    if units is not None:
        unknown = ~table["Ansvar"].isin(list(units)) & (table["Ansvar"] != "")
        problems += invalid_problems(table, "Ansvar", unknown, UNKNOWN_ANSVAR_EXPLANATION)

    gender = table["Kön"].str.upper()
    problems += invalid_problems(
        table,
        "Kön",
        ~gender.isin(GENDERS) & (gender != ""),
        _("är inget kön (tillåtna: %(allowed)s).") % {"allowed": ", ".join(GENDERS)},
    )
    age_band = table["Åldersgrupp"].str.replace(r"[\s\u00a0]", "", regex=True)
    age_band = age_band.str.replace(r"[\u2013\u2014\u2212]", "-", regex=True)
    problems += invalid_problems(
        table,
        "Åldersgrupp",
        ~age_band.isin(AGE_BANDS) & (age_band != ""),
        _("är ingen åldersgrupp (tillåtna: %(allowed)s).") % {"allowed": ", ".join(AGE_BANDS)},
    )

    numbers, totalled = {}, {}
    for column in ("Antal anställda", *HOURS_COLUMNS):
        values = parse_amounts(table[column])
        given = table[column] != ""
        invalid = values.isna() & given
        problems += invalid_problems(table, column, invalid, AMOUNT_EXPLANATION)
        problems += invalid_problems(table, column, values < 0, NEGATIVE_EXPLANATION)
        numbers[column] = values
        if not invalid.any():
            totalled[column] = values.round(2)
    problems += total_row_problems(table.attrs["total_row"], totalled, whole=["Antal anställda"])
    employees = numbers["Antal anställda"]
    problems += invalid_problems(
        table,
        "Antal anställda",
        (employees >= 0) & (employees != employees.round()),
        _("är inget heltal."),
    )
    problems += invalid_problems(
        table,
        "Antal anställda",
        employees >= MAX_EMPLOYEES,
        _("är orimligt många anställda för en rad (högst 999 999)."),
    )
    for column in HOURS_COLUMNS:
        numbers[column] = numbers[column].round(2)
        problems += invalid_problems(
            table, column, numbers[column] >= MAX_AMOUNT, TOO_LARGE_EXPLANATION
        )

    sick = sum(numbers[column] for column in SICK_HOURS_COLUMNS)
    ordinary = numbers["Ordinarie arbetstid"]
    too_many = (sick > ordinary + 0.005) & (ordinary >= 0)
    for row in table.index[too_many.to_numpy()]:
        problems.append(
            Problem(
                int(row),
                "Ordinarie arbetstid",
                _(
                    "%(value)s är färre timmar än sjuktimmarna (dag 1-14, 15-59 och 60- "
                    "sammanlagt %(sick)s)."
                )
                % {
                    "value": quote(table.at[row, "Ordinarie arbetstid"]),
                    "sick": _hours_text(sick[row]),
                },
            )
        )

    keys = periods.fillna("") + "|" + table["Ansvar"] + "|" + gender + "|" + age_band
    complete = periods.notna() & (table["Ansvar"] != "") & gender.isin(GENDERS)
    complete &= age_band.isin(AGE_BANDS)
    first_row = pd.Series(table.index, index=table.index).groupby(keys.to_numpy()).transform("min")
    repeated = keys.duplicated(keep="first") & complete
    for row in table.index[repeated.to_numpy()]:
        problems.append(
            Problem(
                int(row),
                "Ansvar",
                _(
                    "%(value)s förekommer flera gånger för samma period, kön och åldersgrupp "
                    "(första gången på rad %(first)s)."
                )
                % {"value": quote(table.at[row, "Ansvar"]), "first": first_row[row]},
            )
        )

    if problems:
        raise ExtractError(in_column_order(problems, SICK_LEAVE_COLUMNS))
    frame = pd.DataFrame(
        {
            "period": periods.astype("str"),
            "ansvar": table["Ansvar"],
            "gender": gender,
            "age_band": age_band,
            "employees": employees.astype("int64"),
            "ordinary_hours": ordinary,
            "sick_hours_1_14": numbers["Sjuktimmar dag 1-14"],
            "sick_hours_15_59": numbers["Sjuktimmar dag 15-59"],
            "sick_hours_60": numbers["Sjuktimmar dag 60-"],
        },
        index=table.index,
    )
    total = table.attrs["total_row"]
    frame.attrs["header_row"] = table.attrs["header_row"]
    frame.attrs["total_row"] = total.row if total is not None else None
    return frame

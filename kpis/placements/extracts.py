"""Reading the placements export of the staffing system (CSV or XLSX) into a clean frame.

Nothing here touches the database. As in `kpis.extracts`, every problem is collected
with its row (the file's own: the header is row 1) and column, in Swedish, and raised
together as one `ExtractError`: a file with any problem is refused as a whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.tabular import (
    AMOUNT_EXPLANATION,
    MAX_AMOUNT,
    NEGATIVE_EXPLANATION,
    TOO_LARGE_EXPLANATION,
    Column,
    ExtractError,
    Problem,
    blank_problems,
    filled,
    in_column_order,
    invalid_problems,
    parse_amounts,
    quote,
    read_table,
)
from kpis.organisation.extracts import UNKNOWN_ANSVAR_EXPLANATION

PLACEMENT_COLUMNS = (
    Column("KonsultID"),
    Column("Konsult"),
    Column("Bemanningsföretag"),
    Column("Yrkesgrupp"),
    Column("Ansvar"),
    Column("Startdatum"),
    Column("Slutdatum"),
    Column("Timmar", required=False),
)
# Cells that must have a value; Slutdatum is blank for an ongoing placement, and the
# name, agency and profession are kept as written, blank or not.
REQUIRED_VALUES = ("KonsultID", "Ansvar", "Startdatum")
# ÅÅÅÅ-MM-DD, perhaps with a midnight time as Excel writes a date cell into a CSV.
DATE_RE = r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?"
DATE_EXPLANATION = gettext_lazy("är inget giltigt datum (skriv ÅÅÅÅ-MM-DD).")


def parse_dates(values: pd.Series) -> pd.Series:
    """Date text (ÅÅÅÅ-MM-DD; an Excel date cell reads so) -> datetime.date, or None
    where blank or not a real date (2025-02-30) between the years 1900 and 2200."""
    codes, distinct = pd.factorize(values)
    parsed = [_parse_date(text) for text in distinct]
    return pd.Series(
        [None if code < 0 else parsed[code] for code in codes], index=values.index, dtype=object
    )


def _parse_date(text: str) -> dt.date | None:
    match = re.fullmatch(DATE_RE, text)
    if match is None:
        return None
    try:
        day = dt.date(*map(int, match.groups()))
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2200 else None


def _date_problems(table: pd.DataFrame, column: str, dates: pd.Series) -> list[Problem]:
    return invalid_problems(table, column, dates.isna() & filled(table[column]), DATE_EXPLANATION)


def _end_before_start_problems(
    table: pd.DataFrame, starts: pd.Series, ends: pd.Series
) -> list[Problem]:
    """A problem in Slutdatum for every row that ends before it starts."""
    problems = []
    for row in table.index:
        start, end = starts[row], ends[row]
        if start is not None and end is not None and end < start:
            problems.append(
                Problem(
                    int(row),
                    "Slutdatum",
                    _("%(end)s är före startdatumet %(start)s.")
                    % {
                        "end": quote(table.at[row, "Slutdatum"]),
                        "start": quote(table.at[row, "Startdatum"]),
                    },
                )
            )
    return problems


def _hours_problems(table: pd.DataFrame, hours: pd.Series) -> list[Problem]:
    given = filled(table["Timmar"])
    problems = invalid_problems(table, "Timmar", hours.isna() & given, AMOUNT_EXPLANATION)
    problems += invalid_problems(table, "Timmar", hours < 0, NEGATIVE_EXPLANATION)
    problems += invalid_problems(
        table, "Timmar", hours.round(2) >= MAX_AMOUNT, TOO_LARGE_EXPLANATION
    )
    return problems


def parse_placements(data: bytes, *, units: Collection[str] | None = None) -> pd.DataFrame:
    """A placements export -> frame indexed by file row with columns consultant_id,
    consultant_name, agency, profession, ansvar (strings as written), start (a
    datetime.date), end (a datetime.date, None while the placement is ongoing) and
    hours (float rounded to 2 decimals, NaN when blank).

    Columns KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum
    and optionally Timmar. Dates as ÅÅÅÅ-MM-DD or Excel date cells; hours with a
    decimal comma or point. Given the known `units` (ansvar codes), every row must
    name one of them.

    Raises ExtractError listing every blank KonsultID, Ansvar or Startdatum, every
    malformed date or hours, every unknown ansvar and every placement that ends
    before it starts; nothing is returned then.
    """
    table = read_table(data, PLACEMENT_COLUMNS)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    problems = blank_problems(table, REQUIRED_VALUES)
    starts = parse_dates(table["Startdatum"])
    ends = parse_dates(table["Slutdatum"])
    problems += _date_problems(table, "Startdatum", starts)
    problems += _date_problems(table, "Slutdatum", ends)
    problems += _end_before_start_problems(table, starts, ends)
    if units is not None:
        unknown = ~table["Ansvar"].isin(list(units)) & filled(table["Ansvar"])
        problems += invalid_problems(table, "Ansvar", unknown, UNKNOWN_ANSVAR_EXPLANATION)
    hours = parse_amounts(table["Timmar"])
    problems += _hours_problems(table, hours)
    if problems:
        raise ExtractError(in_column_order(problems, PLACEMENT_COLUMNS))
    return pd.DataFrame(
        {
            "consultant_id": table["KonsultID"],
            "consultant_name": table["Konsult"],
            "agency": table["Bemanningsföretag"],
            "profession": table["Yrkesgrupp"],
            "ansvar": table["Ansvar"],
            "start": starts,
            "end": ends,
            "hours": hours.round(2),
        },
        index=table.index,
    )

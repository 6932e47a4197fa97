"""The organisation register file: Ansvar, Enhet, Verksamhet, Område, Vårdtyp."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.tabular import (
    Column,
    ExtractError,
    Problem,
    choice_problems,
    duplicate_problems,
    in_column_order,
    quote,
    read_rows,
)

ORG_COLUMNS = (
    Column("Ansvar"),
    Column("Enhet"),
    Column("Verksamhet"),
    Column("Område"),
    Column("Vårdtyp"),
)

UNKNOWN_ANSVAR_EXPLANATION = gettext_lazy(
    "är ett okänt ansvar (finns inte i organisationsregistret)."
)


def parse_org(data: bytes, care_types: Sequence[str]) -> pd.DataFrame:
    """The organisation register -> frame with ansvar, unit, department, area, care_type.

    `care_types` are the allowed codes (lower case); the file may use any case.
    A department must belong to one area only.
    """
    table, problems = read_rows(data, ORG_COLUMNS)
    care = table["Vårdtyp"].str.lower()
    problems += choice_problems(
        table, "Vårdtyp", care, care_types, _("är ingen vårdtyp (tillåtna: %(allowed)s).")
    )
    problems += duplicate_problems(table, "Ansvar", _("varje ansvar får bara finnas på en rad"))
    areas_per_department = table.groupby("Verksamhet")["Område"].nunique()
    for department in areas_per_department[areas_per_department > 1].index:
        rows = table.index[table["Verksamhet"] == department]
        areas = ", ".join(quote(a) for a in sorted(table.loc[rows, "Område"].unique()))
        problems.append(
            Problem(
                int(rows[0]),
                "Område",
                _("verksamheten %(department)s står under flera områden (%(areas)s).")
                % {"department": quote(department), "areas": areas},
            )
        )
    if problems:
        raise ExtractError(in_column_order(problems, ORG_COLUMNS))
    return pd.DataFrame(
        {
            "ansvar": table["Ansvar"],
            "unit": table["Enhet"],
            "department": table["Verksamhet"],
            "area": table["Område"],
            "care_type": care,
        },
        index=table.index,
    )

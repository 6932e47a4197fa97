"""The account mapping file: Konto, Benämning, Kategori."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.tabular import (
    Column,
    ExtractError,
    Problem,
    blank_problems,
    duplicate_problems,
    in_column_order,
    invalid_problems,
    read_table,
)

ACCOUNT_COLUMNS = (Column("Konto"), Column("Benämning"), Column("Kategori"))


def parse_accounts(data: bytes, categories: Sequence[str]) -> pd.DataFrame:
    """The account mapping -> frame with konto, name, category (lower case code)."""
    table = read_table(data, ACCOUNT_COLUMNS)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    problems = blank_problems(table, [c.name for c in ACCOUNT_COLUMNS])
    category = table["Kategori"].str.lower()
    allowed = ", ".join(categories)
    problems += invalid_problems(
        table,
        "Kategori",
        ~category.isin(list(categories)) & (category != ""),
        _("är ingen kategori (tillåtna: %(allowed)s).") % {"allowed": allowed},
    )
    problems += duplicate_problems(table, "Konto", _("varje konto får bara finnas på en rad"))
    if problems:
        raise ExtractError(in_column_order(problems, ACCOUNT_COLUMNS))
    return pd.DataFrame(
        {"konto": table["Konto"], "name": table["Benämning"], "category": category},
        index=table.index,
    )

"""The account mapping file: Konto, Benämning, Kategori."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.tabular import (
    Column,
    ExtractError,
    choice_problems,
    duplicate_problems,
    in_column_order,
    read_rows,
)

ACCOUNT_COLUMNS = (Column("Konto"), Column("Benämning"), Column("Kategori"))


def parse_accounts(data: bytes, categories: Sequence[str]) -> pd.DataFrame:
    """The account mapping -> frame with konto, name, category (lower case code)."""
    table, problems = read_rows(data, ACCOUNT_COLUMNS)
    category = table["Kategori"].str.lower()
    problems += choice_problems(
        table, "Kategori", category, categories, _("är ingen kategori (tillåtna: %(allowed)s).")
    )
    problems += duplicate_problems(table, "Konto", _("varje konto får bara finnas på en rad"))
    if problems:
        raise ExtractError(in_column_order(problems, ACCOUNT_COLUMNS))
    return pd.DataFrame(
        {"konto": table["Konto"], "name": table["Benämning"], "category": category},
        index=table.index,
    )

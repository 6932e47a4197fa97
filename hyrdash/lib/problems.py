"""What is wrong with an uploaded file: each problem with its row and column, in Swedish,
raised together as one `ExtractError`, and the helpers that find the usual ones (a blank
cell, a cell that is no number, a value given twice). Re-exported by hyrdash.lib.tabular.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from hyrdash.lib.cells import filled

# How many problems a report lists before it says "and N more".
MAX_LISTED_PROBLEMS = 200


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an uploaded file. `row` is the file's row number."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        values = {"row": self.row, "column": self.column, "message": self.message}
        if self.row is not None and self.column:
            return _("Rad %(row)s, kolumn %(column)s: %(message)s") % values
        if self.row is not None:
            return _("Rad %(row)s: %(message)s") % values
        if self.column:
            return _("Kolumn %(column)s: %(message)s") % values
        return str(self.message)


class ExtractError(Exception):
    """The file cannot be imported; `problems` says why, row by row."""

    def __init__(self, problems: Sequence[Problem]):
        # Stable: problems of one row keep the order they were found in (column order).
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        listed = [str(p) for p in self.problems[:MAX_LISTED_PROBLEMS]]
        rest = len(self.problems) - len(listed)
        if rest > 0:
            listed.append(_("… och %(count)s fel till.") % {"count": rest})
        return listed


def quote(value: object) -> str:
    """A value as messages quote it: ”value” (Swedish quotation marks; English “value”)."""
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return pgettext("a value quoted in a message", "”%(value)s”") % {"value": text}


def in_column_order(problems: list[Problem], columns: Sequence) -> list[Problem]:
    """Problems sorted by column as the file declares them; ExtractError then sorts by
    row, stably, so each row's problems read left to right."""
    order = {column.name: i for i, column in enumerate(columns)}
    return sorted(problems, key=lambda p: order.get(p.column or "", -1))


def blank_problems(
    table: pd.DataFrame, columns: Iterable[str], given: Mapping[str, np.ndarray] | None = None
) -> list[Problem]:
    """A problem for every blank cell of `columns`; `given` may hold their `filled`."""
    problems = []
    for column in columns:
        present = given[column] if given is not None else filled(table[column])
        for row in table.index[~present]:
            problems.append(Problem(int(row), column, _("värde saknas.")))
    return problems


def invalid_problems(
    table: pd.DataFrame, column: str, invalid: pd.Series, explanation: str
) -> list[Problem]:
    """Problems for the rows where `invalid` is true, quoting the cell."""
    rows = table.index[invalid.to_numpy()]
    cells = table.loc[rows, column]
    return [
        Problem(int(row), column, f"{quote(cell)} {explanation}")
        for row, cell in zip(rows, cells, strict=True)
    ]


def duplicate_problems(table: pd.DataFrame, column: str, what: str) -> list[Problem]:
    dup = table[column].duplicated(keep="first") & (table[column] != "")
    return invalid_problems(
        table, column, dup, _("förekommer flera gånger (%(what)s).") % {"what": what}
    )


# What follows a quoted cell in a message (lazy: translated when the message is made).
PERIOD_EXPLANATION = gettext_lazy("är ingen giltig månad (skriv ÅÅÅÅ-MM, ÅÅÅÅMM eller ÅÅÅÅ-MM-DD).")

AMOUNT_EXPLANATION = gettext_lazy("är inget tal.")

# Amounts and hours are stored as decimals with 14 and 12 digits before the comma: a
# larger value is a mistake in the file (an ansvar or a date in the amount column).
MAX_AMOUNT = 10**12
NEGATIVE_EXPLANATION = gettext_lazy("är negativt; antal och timmar kan inte vara mindre än 0.")

TOO_LARGE_EXPLANATION = gettext_lazy("är orimligt stort (högst 999 999 999 999,99).")

"""Reading the survey vendor's answers file and HR's employee counts (no database).

Answers: RespondentID;Ansvar;<one column per question code>. A blank cell is a
question not answered; a question column left out of the file counts as
unanswered by everyone in it. Employee counts: Ansvar;Antal medarbetare.

Every problem is collected with its row and column (kpis.extracts) and raised
together as one ExtractError.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.formatting import format_number
from hyrdash.lib.tabular import (
    Column,
    ExtractError,
    Problem,
    blank_problems,
    duplicate_problems,
    invalid_problems,
    parse_amounts,
    read_table,
    read_wide_table,
)
from kpis.organisation.extracts import UNKNOWN_ANSVAR_EXPLANATION

from .questionnaires import QuestionSpec

ANSWER_COLUMNS = (Column("RespondentID"), Column("Ansvar"))
POPULATION_COLUMNS = (Column("Ansvar"), Column("Antal medarbetare"))
MAX_EMPLOYEES = 100_000


def parse_answers(
    data: bytes,
    *,
    questions: Mapping[str, QuestionSpec],
    units: Collection[str],
    year: int,
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """An answers file -> (answers, respondent ids, ansvar), all on the file's row numbers.

    `answers` has one float column per question code the file has (NaN where
    blank), in the questionnaire's order. Question columns are matched
    case-insensitively. Raises ExtractError for an unknown column, an unknown
    unit, a blank or repeated respondent, or an answer outside the question's scale.
    """
    table, others = read_wide_table(data, ANSWER_COLUMNS)
    by_lower = {code.lower(): code for code in questions}
    problems = []
    for name in others.columns:
        if name.lower() not in by_lower:
            problems.append(
                Problem(
                    None,
                    name,
                    _(
                        "är ingen fråga i enkäten för %(year)s "
                        "(frågekoderna finns under Enkäter i administrationen)."
                    )
                    % {"year": year},
                )
            )
    if problems:
        raise ExtractError(problems)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    problems += blank_problems(table, ["RespondentID", "Ansvar"])
    problems += duplicate_problems(
        table, "RespondentID", _("varje respondent får bara finnas på en rad")
    )
    unknown = ~table["Ansvar"].isin(list(units)) & (table["Ansvar"] != "")
    problems += invalid_problems(table, "Ansvar", unknown, UNKNOWN_ANSVAR_EXPLANATION)

    present = {by_lower[name.lower()]: name for name in others.columns}
    columns = {}
    for code in questions:  # questionnaire order
        if code not in present:
            continue
        header = present[code]
        cells = others[header]
        question = questions[code]
        low, high = question.bounds
        # The answers are whole numbers written plainly ("3"): a lookup, no number parsing.
        allowed = {str(v): float(v) for v in range(low, high + 1)}
        numbers = cells.map(allowed).astype("float64")
        given = cells != ""
        bad = given & numbers.isna()
        if bad.any():
            problems += [
                Problem(p.row, header, p.message)
                for p in invalid_problems(
                    others,
                    header,
                    bad,
                    _(
                        "är inget svar på frågans skala %(low)s–%(high)s (ett heltal, tomt om "
                        "obesvarad)."
                    )
                    % {"low": low, "high": high},
                )
            ]
        columns[code] = numbers.where(given & ~bad).astype("float64")
    if problems:
        raise ExtractError(_column_order(problems, ["RespondentID", "Ansvar", *present.values()]))
    answers = pd.DataFrame(columns, index=table.index, dtype="float64")
    return answers, table["RespondentID"], table["Ansvar"]


def parse_population(data: bytes, *, units: Collection[str]) -> pd.DataFrame:
    """Employee counts -> frame with ansvar and employees (int), on the file's rows."""
    table = read_table(data, POPULATION_COLUMNS)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    problems = blank_problems(table, ["Ansvar", "Antal medarbetare"])
    problems += duplicate_problems(table, "Ansvar", _("varje ansvar får bara finnas på en rad"))
    unknown = ~table["Ansvar"].isin(list(units)) & (table["Ansvar"] != "")
    problems += invalid_problems(table, "Ansvar", unknown, UNKNOWN_ANSVAR_EXPLANATION)
    counts = parse_amounts(table["Antal medarbetare"])
    given = table["Antal medarbetare"] != ""
    bad = given & (counts.isna() | (counts % 1 != 0) | ~counts.between(0, MAX_EMPLOYEES))
    problems += invalid_problems(
        table,
        "Antal medarbetare",
        bad,
        _("är inget antal medarbetare (ett heltal 0–%(max)s).")
        % {"max": format_number(MAX_EMPLOYEES)},
    )
    if problems:
        raise ExtractError(_column_order(problems, ["Ansvar", "Antal medarbetare"]))
    return pd.DataFrame(
        {"ansvar": table["Ansvar"], "employees": counts.astype(np.int64)}, index=table.index
    )


def _column_order(problems: list[Problem], columns: list[str]) -> list[Problem]:
    """Each row's problems left to right (ExtractError sorts by row, stably)."""
    order = {name: i for i, name in enumerate(columns)}
    return sorted(problems, key=lambda p: order.get(p.column or "", -1))

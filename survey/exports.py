"""The survey for `export_kpi survey --year YYYY --scope SCOPE` (kpis export_kpi's EXPORTS).

Columns index,value,respondents,suppressed: one row per index code of the year's
questionnaire (README, "Employee survey"), the same values the page shows.
A hidden value has no value and no respondents and suppressed 1; a group in
which nobody answered an index has no value, 0 respondents and suppressed 0.
"""

from __future__ import annotations

import pandas as pd

from hyrdash.lib.errors import ServiceError
from kpis.organisation.selectors import ScopeError

from . import results
from .selectors import SurveyData, survey_data

COLUMNS = ["index", "value", "respondents", "suppressed"]
SCOPE_HELP = "hsf, area:<område>, department:<verksamhet> eller unit:<ansvar>"

load = survey_data


def parse_scope(text: str | None) -> str:
    """'hsf', 'area:<name>', 'department:<name>' or 'unit:<ansvar>' -> the group key.

    Which groups exist is checked against the organisation by `build`."""
    text = (text or results.HSF).strip()
    kind, sep, value = text.partition(":")
    if text != results.HSF and (
        not sep or kind not in ("area", "department", "unit") or not value.strip()
    ):
        raise ScopeError(f"Okänt urval {text}: använd {SCOPE_HELP}.")
    return text if text == results.HSF else f"{kind}:{value.strip()}"


def build(data: SurveyData, *, scope: str, year: int) -> pd.DataFrame:
    year_data = data.year(year)
    if year_data is None:
        raise ServiceError(f"Det finns ingen medarbetarundersökning för {year}.")
    if scope != results.HSF and scope not in year_data.tree.parent:
        kind, _sep, value = scope.partition(":")
        what = {"area": "Området", "department": "Verksamheten", "unit": "Enheten"}[kind]
        raise ServiceError(f"{what} {value} finns inte.")
    rows = []
    for code in year_data.spec.export_codes():
        value, respondents, status = year_data.row(scope, code)
        rows.append(
            {
                "index": code,
                "value": value if status == results.SHOWN else float("nan"),
                "respondents": None if status == results.HIDDEN else int(respondents),
                "suppressed": int(status == results.HIDDEN),
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["respondents"] = table["respondents"].astype("Int64")
    return table

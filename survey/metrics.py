"""The survey's measures, as pure functions over pandas objects (no Django).

Scores (SKR's HME and HSE, the psychosocial dimensions and themes):

    score(x)          = (x - 1) x 25        a 1-5 answer on 0-100
    score_reversed(x) = (5 - x) x 25        a question where a high answer is negative
    index             = sum of the scores of all answers to the index's questions
                        / number of those answers                          (0-100)

An index is answer-weighted: a respondent who answered three of its questions
weighs three times one who answered one. HME is taken over its nine
questions, each sub-index over its three, HSE over questions 1-9; the outcome
questions HSE_10 and HSE_11, each dimension and each theme the same way.

eNPS (0-10 answers): promoters 9-10, passives 7-8, critics 0-6;

    eNPS = % promoters - % critics       among those who answered (-100..100)

Response rate = respondents / employees x 100 (%).

A question of an index (HME, HSE 1-9, a psychosocial theme's) is also a measure
of its own, kind "question" (survey.questionnaires.Spec.items): its value is the
mean of its scores, the index formula over one question (0-100), and its
respondents are those who answered it, that is its answers.

Every value travels with its respondents: the number of people who answered
at least one of its questions. Sums, answer counts and respondent counts add
up over units (each respondent belongs to one unit), so a department's values
come from its units' sums (`unit_sums`, then `values`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

RESPONSE_RATE = "response_rate"
ENPS = "enps"
QUESTION = "question"  # a question of an index, measured on its own
ENPS_SHARES = ("enps_promoters_pct", "enps_passives_pct", "enps_critics_pct")
SUM_COLUMNS = ["respondents", "answers", "score_sum", "promoters", "passives", "critics"]


@dataclass(frozen=True)
class Measure:
    """A measure of the questionnaire: an index over questions, eNPS or the response rate."""

    code: str  # export code: hme, hme_motivation, hse_10, dim_krav, tema_stress, enps, ...
    label: str
    kind: str  # "index", "question", "enps" or "response_rate"
    questions: tuple[str, ...] = ()
    section: str = ""  # hme, hse, psykosocial, enps, response
    parent: str = ""  # a sub-index's index, a theme's dimension, a question's index


def score(values: pd.Series | np.ndarray, *, reversed: bool = False) -> pd.Series | np.ndarray:
    """1-5 answers -> 0-100: (x - 1) x 25, or (5 - x) x 25 when reversed. NaN stays NaN."""
    return (5 - values) * 25 if reversed else (values - 1) * 25


def scores(answers: pd.DataFrame, reversed_codes: Iterable[str]) -> pd.DataFrame:
    """Every 1-5 answer of a respondents x questions frame as its 0-100 score."""
    reversed_codes = set(reversed_codes)
    return pd.DataFrame(
        {code: score(answers[code], reversed=code in reversed_codes) for code in answers.columns},
        index=answers.index,
    )


def _scalar_or_array(values: np.ndarray):
    """A 0-d result as a Python float, else the array (the formulas take either)."""
    return float(values) if values.ndim == 0 else values


def index_value(score_sum, answers):
    """Answer-weighted index: sum of scores / number of answers, 0-100 (NaN without
    answers). Scalars or arrays (one value per group)."""
    score_sum = np.asarray(score_sum, dtype="float64")
    answers = np.asarray(answers, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _scalar_or_array(np.where(answers > 0, score_sum / answers, np.nan))


def enps_parts(promoters, passives, critics) -> dict[str, float | np.ndarray]:
    """eNPS and the three shares in % of those who answered; NaN without answers.
    Scalars or arrays (one value per group).

    Seed 001: 882 promoters, 2 300 passives, 3 683 critics of 6 865 answers
    -> 12,8 %, 33,5 %, 53,6 % and eNPS 12,85 - 53,65 = -40,8.
    """
    counts = [np.asarray(c, dtype="float64") for c in (promoters, passives, critics)]
    total = counts[0] + counts[1] + counts[2]
    with np.errstate(divide="ignore", invalid="ignore"):
        promoters_pct, passives_pct, critics_pct = (
            np.where(total > 0, c / total * 100, np.nan) for c in counts
        )
    return {
        ENPS: _scalar_or_array(promoters_pct - critics_pct),
        "enps_promoters_pct": _scalar_or_array(promoters_pct),
        "enps_passives_pct": _scalar_or_array(passives_pct),
        "enps_critics_pct": _scalar_or_array(critics_pct),
    }


def response_rate(respondents, employees):
    """Respondents / employees x 100 (%); NaN without employees (None, NaN or 0).
    Scalars or arrays (one value per group)."""
    employees = np.asarray(np.nan if employees is None else employees, dtype="float64")
    respondents = np.asarray(respondents, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _scalar_or_array(np.where(employees > 0, respondents / employees * 100, np.nan))


def unit_sums(
    answers: pd.DataFrame,
    units: pd.Series,
    measures: Sequence[Measure],
    reversed_codes: Iterable[str] = (),
) -> pd.DataFrame:
    """Sums per unit and measure, from respondents' answers.

    `answers`: one row per respondent, one float column per question code
    (NaN: not answered; a question absent from the frame: unanswered by all).
    `units`: each respondent's unit, same index.

    Returns one row per unit x measure with columns unit, measure and
    SUM_COLUMNS; a unit appears for a measure only when someone there answered it
    (response_rate: everyone in the file).
    """
    units = pd.Series(units.to_numpy(), index=answers.index, name="unit")
    reversed_codes = set(reversed_codes)
    parts = []
    for measure in measures:
        if measure.kind == RESPONSE_RATE:
            counts = units.value_counts(sort=False)
            parts.append(pd.DataFrame({"unit": counts.index, "respondents": counts.to_numpy()}))
            continue
        codes = [code for code in measure.questions if code in answers.columns]
        if not codes:
            continue
        if measure.kind == ENPS:
            value = answers[codes[0]]
            answered = value.notna()
            frame = pd.DataFrame(
                {
                    "unit": units[answered],
                    "respondents": 1,
                    "answers": 1,
                    "promoters": (value[answered] >= 9).astype(int),
                    "passives": value[answered].between(7, 8).astype(int),
                    "critics": (value[answered] <= 6).astype(int),
                }
            )
        else:
            block = scores(answers[codes], reversed_codes)
            counted = block.notna().sum(axis=1)
            answered = counted > 0
            frame = pd.DataFrame(
                {
                    "unit": units[answered],
                    "respondents": 1,
                    "answers": counted[answered],
                    "score_sum": block[answered].sum(axis=1),
                }
            )
        summed = frame.groupby("unit", sort=False).sum().reset_index()
        parts.append(summed)
    if not parts:
        return pd.DataFrame(columns=["unit", "measure", *SUM_COLUMNS])
    codes_used = [
        m.code
        for m in measures
        if m.kind == RESPONSE_RATE or any(c in answers.columns for c in m.questions)
    ]
    result = pd.concat(
        [part.assign(measure=code) for part, code in zip(parts, codes_used, strict=True)],
        ignore_index=True,
    )
    for column in SUM_COLUMNS:
        if column not in result:
            result[column] = 0
    result[SUM_COLUMNS] = result[SUM_COLUMNS].fillna(0)
    for column in ("respondents", "answers", "promoters", "passives", "critics"):
        result[column] = result[column].astype("int64")
    result["score_sum"] = result["score_sum"].astype("float64")
    return result[["unit", "measure", *SUM_COLUMNS]]


def values(sums: pd.DataFrame, employees: Mapping | pd.Series | None = None) -> pd.DataFrame:
    """Each group's measures from its summed sums.

    `sums`: rows indexed by (group, measure) with SUM_COLUMNS (units' sums
    added up per group). `employees`: employees per group (for the response rate).

    Returns rows (group, measure) with value and respondents; eNPS adds the
    three share rows (enps_promoters_pct, ...), each with eNPS's respondents.
    """
    if sums.empty:
        return pd.DataFrame(
            {"value": pd.Series(dtype="float64"), "respondents": pd.Series(dtype="int64")},
            index=pd.MultiIndex.from_tuples([], names=["group", "measure"]),
        )
    sums = sums.copy()
    measure = sums.index.get_level_values("measure")
    value = pd.Series(
        index_value(sums["score_sum"].to_numpy(), sums["answers"].to_numpy()),
        index=sums.index,
        dtype="float64",
    )
    is_rate = measure == RESPONSE_RATE
    if is_rate.any():
        groups = sums.index.get_level_values("group")[is_rate]
        staff = pd.Series(employees if employees is not None else {}, dtype="float64")
        counts = staff.reindex(groups).to_numpy()
        value[is_rate] = response_rate(sums.loc[is_rate, "respondents"].to_numpy(), counts)
    is_enps = measure == ENPS
    rows = [pd.DataFrame({"value": value, "respondents": sums["respondents"]})]
    if is_enps.any():
        enps_rows = sums[is_enps]
        parts = enps_parts(*(enps_rows[c].to_numpy() for c in ("promoters", "passives", "critics")))
        rows[0].loc[is_enps, "value"] = parts.pop(ENPS)
        groups = enps_rows.index.get_level_values("group")
        for code, share in parts.items():
            rows.append(
                pd.DataFrame(
                    {"value": share, "respondents": enps_rows["respondents"].to_numpy()},
                    index=pd.MultiIndex.from_arrays(
                        [groups, [code] * len(groups)], names=["group", "measure"]
                    ),
                )
            )
    result = pd.concat(rows)
    result["respondents"] = result["respondents"].astype("int64")
    return result

"""The survey's measures, worked out by hand (survey.metrics; no database)."""

import math

import pandas as pd
import pytest

from survey import metrics
from survey.metrics import Measure

NAN = float("nan")


def test_a_1_to_5_answer_maps_to_0_100_and_reversed_questions_turn_around():
    answers = pd.Series([1, 2, 3, 4, 5, NAN])
    assert metrics.score(answers).tolist()[:5] == [0, 25, 50, 75, 100]
    assert metrics.score(answers, reversed=True).tolist()[:5] == [100, 75, 50, 25, 0]
    assert math.isnan(metrics.score(answers).iloc[5])


def test_enps_is_promoters_minus_critics_with_the_seeds_figures():
    # Seed 001: 3 683 critics, 2 300 passives, 882 promoters of 6 865 answers.
    parts = metrics.enps_parts(882, 2300, 3683)
    assert round(parts["enps_critics_pct"], 1) == 53.6
    assert round(parts["enps_passives_pct"], 1) == 33.5
    assert round(parts["enps_promoters_pct"], 1) == 12.8
    assert round(parts["enps"], 1) == -40.8
    assert all(math.isnan(v) for v in metrics.enps_parts(0, 0, 0).values())


def test_response_rate_is_respondents_over_employees():
    assert round(metrics.response_rate(6917, 9415), 1) == 73.5
    assert math.isnan(metrics.response_rate(5, 0))
    assert math.isnan(metrics.response_rate(5, None))


HME = Measure("hme", "HME", "index", ("M1", "M2", "L1"))
MOTIVATION = Measure("hme_motivation", "Motivation", "index", ("M1", "M2"))
REVERSED = Measure("tema_krav", "Krav", "index", ("K1",))
ENPS = Measure("enps", "eNPS", "enps", ("ENPS",))
RATE = Measure("response_rate", "Svarsfrekvens", "response_rate")


@pytest.fixture
def answers():
    # Three respondents in unit 1, two in unit 2. Blank = not answered.
    return pd.DataFrame(
        {
            "M1": [5, 4, NAN, 2, 3],
            "M2": [4, NAN, NAN, 2, 5],
            "L1": [3, 3, NAN, NAN, 1],
            "K1": [5, 1, NAN, 2, NAN],
            "ENPS": [10, 6, NAN, 8, 9],
        }
    )


@pytest.fixture
def units():
    return pd.Series([1, 1, 1, 2, 2])


def sums_of(answers, units, measures, reversed_codes=()):
    sums = metrics.unit_sums(answers, units, measures, reversed_codes)
    return sums.set_index(["unit", "measure"])


def test_an_index_is_the_mean_of_all_answers_scores_weighted_by_answers(answers, units):
    sums = sums_of(answers, units, [HME, MOTIVATION])
    # Unit 1: respondent 1 answered 5, 4, 3 -> 100 + 75 + 50; respondent 2: 4, 3 -> 75 + 50;
    # respondent 3 answered nothing and is no respondent of the index.
    assert sums.loc[(1, "hme")].to_dict() == {
        "respondents": 2,
        "answers": 5,
        "score_sum": 350.0,
        "promoters": 0,
        "passives": 0,
        "critics": 0,
    }
    # HME = 350 / 5 = 70 (not the mean of the respondents' means, (75 + 62.5) / 2).
    frame = sums.rename_axis(["group", "measure"])
    values = metrics.values(frame)
    assert values.loc[(1, "hme"), "value"] == 70.0
    # Unit 2: 2, 2 and 3, 5, 1 -> 25 + 25 + 50 + 100 + 0 = 200 over 5 answers = 40.
    assert values.loc[(2, "hme"), "value"] == 40.0
    # Motivation, unit 1: 100, 75, 75 -> 83.33...
    assert values.loc[(1, "hme_motivation"), "value"] == pytest.approx(250 / 3)
    assert values.loc[(1, "hme_motivation"), "respondents"] == 2


def test_a_reversed_question_scores_5_as_0(answers, units):
    sums = sums_of(answers, units, [REVERSED], reversed_codes={"K1"})
    # Unit 1: answers 5 and 1 -> (5-5)·25 + (5-1)·25 = 100 over 2 = 50.
    assert sums.loc[(1, "tema_krav"), "score_sum"] == 100.0
    # Unit 2: 2 -> 75.
    assert sums.loc[(2, "tema_krav"), "score_sum"] == 75.0


def test_enps_sums_count_promoters_passives_and_critics(answers, units):
    sums = sums_of(answers, units, [ENPS])
    assert sums.loc[(1, "enps"), ["respondents", "promoters", "passives", "critics"]].tolist() == [
        2,
        1,
        0,
        1,
    ]
    values = metrics.values(sums.rename_axis(["group", "measure"]))
    # Unit 2: one passive (8), one promoter (9): 50 % - 0 % = 50.
    assert values.loc[(2, "enps"), "value"] == 50.0
    assert values.loc[(2, "enps_promoters_pct"), "value"] == 50.0
    assert values.loc[(2, "enps_passives_pct"), "value"] == 50.0
    assert values.loc[(2, "enps_critics_pct"), "value"] == 0.0
    assert values.loc[(2, "enps_critics_pct"), "respondents"] == 2


def test_the_response_rate_counts_everyone_in_the_file(answers, units):
    sums = sums_of(answers, units, [RATE])
    assert sums.loc[(1, "response_rate"), "respondents"] == 3  # respondent 3 answered nothing
    values = metrics.values(sums.rename_axis(["group", "measure"]), {1: 4, 2: 0})
    assert values.loc[(1, "response_rate"), "value"] == 75.0
    assert math.isnan(values.loc[(2, "response_rate"), "value"])


def test_a_question_left_out_of_the_file_is_unanswered_by_everyone(answers, units):
    sums = sums_of(answers.drop(columns=["M2"]), units, [MOTIVATION])
    # Motivation from M1 alone: unit 1 -> 100, 75.
    assert sums.loc[(1, "hme_motivation"), ["answers", "score_sum"]].tolist() == [2, 175.0]
    # A measure none of whose questions is in the file has no rows at all.
    assert sums_of(answers.drop(columns=["K1"]), units, [REVERSED]).empty


def test_sums_add_up_so_a_parent_is_computed_from_its_units(answers, units):
    sums = metrics.unit_sums(answers, units, [HME])
    total = sums.assign(group="hsf").groupby(["group", "measure"])[metrics.SUM_COLUMNS].sum()
    values = metrics.values(total)
    # (350 + 200) / (5 + 5) = 55: the mean of all ten answers.
    assert values.loc[("hsf", "hme"), "value"] == 55.0
    assert values.loc[("hsf", "hme"), "respondents"] == 4

"""The demo survey years (survey.demo, no database beyond the installed questionnaire)."""

import numpy as np
import pandas as pd
import pytest

from kpis import demo as cost_demo
from kpis.organisation import demo as org_demo
from survey import demo, metrics
from survey.models import Questionnaire
from survey.questionnaires import spec_for


@pytest.fixture(scope="module")
def units():
    return org_demo._build_units(np.random.default_rng(cost_demo.DEFAULT_SEED))


def totals(year_data, spec) -> dict[str, float]:
    answers = year_data.answers
    codes = list(answers.columns[2:])
    sums = metrics.unit_sums(answers[codes], answers["Ansvar"], spec.measures, spec.reversed_codes)
    total = sums.groupby("measure")[metrics.SUM_COLUMNS].sum()
    total.index = pd.MultiIndex.from_product([["hsf"], total.index], names=["group", "measure"])
    employees = {"hsf": year_data.population["Antal medarbetare"].sum()}
    return metrics.values(total, employees)["value"].droplevel("group").to_dict()


def test_the_demo_years_look_like_the_regions_survey(db, units):
    spec = spec_for(Questionnaire.objects.get(year=2024))
    years = demo.generate(units, demo.questions_of(spec))
    assert [y.year for y in years] == [2023, 2024]
    for year_data in years:
        employees = year_data.population["Antal medarbetare"].sum()
        assert 9_200 <= employees <= 9_600
        values = totals(year_data, spec)
        assert 70 <= values["response_rate"] <= 76
        assert 76 <= values["hme"] <= 80
        assert -40 <= values["enps"] <= -20
        # HSE only from staff with patient contact: fewer answers than respondents.
        answered_hse = year_data.answers["HSE_1"].notna().sum()
        assert answered_hse < 0.95 * len(year_data.answers)
        # Emotional demands are the weak spot, colleagues a strength (seed 001).
        assert values["tema_emotionella_krav"] < values["tema_samarbete"] - 20
    # Some units are so small they must be suppressed.
    per_unit = years[-1].answers["Ansvar"].value_counts()
    assert 1 <= (per_unit < 5).sum() <= 30
    # Every answer is on its question's scale.
    answers = years[-1].answers
    assert answers["ENPS"].dropna().between(0, 10).all()
    assert answers["HME_M1"].dropna().between(1, 5).all()

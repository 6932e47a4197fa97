"""Issue 12's attacks on the demo region's survey, tried again after the change.

The full demo organisation (288 units) and the demo survey years 2023 and 2024 are
imported as HR would (survey.services); the pages' results are then read through
survey.selectors, as the page, its CSV downloads and export_kpi read them.

- Unit 3901 (Områdesledning Länssjukvårdsområde 2), 2023: "Stress" has 4
  respondents (one of the unit's 5 skipped it) and was hidden, while
  "Arbetssituation och hälsa" and "Arbete och privatliv" were shown:
  (450 - 325) / (14 - 10) = 31,25, exactly the hidden value.
- Unit 5802 (Utvecklingsenhet Närsjukvårdsområde Skellefteå, 2 respondents) moved to
  another department: the old department's figures before minus after gave the
  unit's own.
"""

import numpy as np
import pytest
from django.core.cache import cache

from kpis import demo as cost_demo
from kpis.models import Unit
from kpis.organisation import demo as org_demo
from kpis.organisation.services import org_import
from survey import demo as survey_demo
from survey import results, selectors, services
from survey.models import Questionnaire
from survey.questionnaires import spec_for
from tests import survey_audit

HIDDEN, SHOWN = results.HIDDEN, results.SHOWN


@pytest.fixture(scope="module")
def units():
    return org_demo._build_units(np.random.default_rng(cost_demo.DEFAULT_SEED))


def import_demo(units, directory, years=survey_demo.YEARS) -> None:
    """The demo organisation and survey years (all as CSV), imported; nothing cached."""
    org_import(data=org_demo.org_frame(units).to_csv(sep=";", index=False).encode("utf-8"))
    spec = spec_for(Questionnaire.objects.get(year=2024))
    generated = survey_demo.generate(units, survey_demo.questions_of(spec))
    for data in generated:
        if data.year in years:
            survey_demo.write_files([data], directory)
            answers = directory / f"mu_svar_{data.year}.csv"
            services.answers_import(
                data=answers.read_bytes(), file_name=answers.name, year=data.year
            )
    cache.clear()


@pytest.fixture
def demo_2023(db, tmp_path, units):
    import_demo(units, tmp_path, years=(2023,))
    yield
    cache.clear()


@pytest.fixture
def demo_survey(db, tmp_path, units):
    import_demo(units, tmp_path)
    yield
    cache.clear()


def test_unit_3901s_stress_no_longer_follows_from_its_dimension_and_other_theme(demo_2023):
    year = selectors.survey_data().year(2023)
    unit = Unit.objects.get(ansvar="3901").id
    sums = selectors.unit_sums(year.batch).set_index(["unit", "measure"])
    # The data of the attack: 14 answers, 450 points; 10 and 325; 4 respondents, 4 and 125.
    assert sums.loc[(unit, "dim_halsa"), ["answers", "score_sum"]].tolist() == [14, 450]
    assert sums.loc[(unit, "tema_arbete_privatliv"), ["answers", "score_sum"]].tolist() == [
        10,
        325,
    ]
    assert sums.loc[(unit, "tema_stress"), ["respondents", "answers", "score_sum"]].tolist() == [
        4,
        4,
        125,
    ]
    status = {m: year.row("unit:3901", m)[2] for m in year.spec.export_codes()}
    assert status["tema_stress"] == HIDDEN
    # The route is closed: the dimension or its other theme is hidden too.
    assert HIDDEN in (status["dim_halsa"], status["tema_arbete_privatliv"])
    # And every other route. The audit, over tables built from the stored answers
    # (values and respondents), of every published figure of the unit and its
    # department, area and the administration, every measure; and of the attack's
    # index tree for every group of the year: nothing disclosed or nearly disclosed.
    answers, _ids, unit_ids = services.stored_answers(year.batch)
    published = survey_audit.union(
        answers, unit_ids, year.tree, year.spec.measures, year.spec.reversed_codes
    )
    ancestors = {"unit:3901", *year.tree.ancestors("unit:3901")}
    assert ancestors == {
        "unit:3901",
        "department:Ledning Länssjukvårdsområde 2",
        "area:Länssjukvårdsområde 2",
        "hsf",
    }
    assert survey_audit.exposed(published.only(groups=ancestors), year.results) == {}
    tree = {"dim_halsa", "tema_arbete_privatliv", "tema_stress"}
    assert survey_audit.exposed(published.only(measures=tree), year.results) == {}


def test_the_demos_questions_give_no_hidden_value_away(demo_2023):
    """The per-question results (issue 16): every question of the 2023 demo is published
    on its own too. Its questions are hidden where unit 3901's Stress is, and the
    attacker's audit of the index trees with their questions, every group (Arbetssituation
    och hälsa: the stress attack's; HME: nine questions), finds nothing."""
    year = selectors.survey_data().year(2023)
    assert year.row("unit:3901", "PS_STRESS1")[2] == HIDDEN
    assert {year.row("unit:3901", q)[2] for q in ("PS_PRIV1", "PS_PRIV2")} <= {HIDDEN}
    shown = year.results[year.results["status"] == SHOWN]
    questions = shown[shown.index.get_level_values("measure").str.isupper()]
    assert (questions["respondents"] >= year.threshold).all()
    assert len(questions) > 1000  # most groups' questions are shown
    answers, _ids, unit_ids = services.stored_answers(year.batch)
    published = survey_audit.union(
        answers, unit_ids, year.tree, year.spec.all_measures, year.spec.reversed_codes
    )
    for index in ("dim_halsa", "hme"):
        codes = {index} | {m.code for m in year.spec.measures if m.parent == index}
        items = {i.code for i in year.spec.items if i.parent in codes}
        found = survey_audit.exposed(published.only(measures=codes | items), year.results)
        assert found == {}, index


def published(data) -> dict:
    """Every (year, group, measure) -> (value, respondents, status) the pages can show."""
    found = {}
    for number in data.years:
        table = data.year(number).results
        for (group, measure), row in table.iterrows():
            found[(number, group, measure)] = (
                None if np.isnan(row["value"]) else round(float(row["value"]), 9),
                None
                if row["respondents"] is None or row["respondents"] != row["respondents"]
                else int(row["respondents"]),
                row["status"],
            )
    return found


def test_moving_unit_5802_changes_no_survey_figure_already_shown(demo_survey, units):
    before = published(selectors.survey_data())
    old = "department:Ledning Närsjukvårdsområde Skellefteå"
    assert before[(2023, "unit:5802", "response_rate")][2] == HIDDEN  # 2 respondents
    assert before[(2023, old, "response_rate")][2] == SHOWN
    # The move through import_org's service: the register with 5802 in another
    # department (the admin changes the same field).
    org = org_demo.org_frame(units)
    org.loc[org["Ansvar"] == "5802", "Verksamhet"] = "Primärvård Skellefteå stad"
    org_import(data=org.to_csv(sep=";", index=False).encode("utf-8"))
    assert Unit.objects.get(ansvar="5802").department.name == "Primärvård Skellefteå stad"
    cache.clear()
    data = selectors.survey_data()
    after = published(data)
    assert after == before
    assert data.tree(2023).parent["unit:5802"] == old
    # Today's organisation is the new one; an import from now on reads it.
    assert selectors.tree_of_batch(data.batches[2024]).parent["unit:5802"] == old
    assert results.tree_of(selectors.org_frame()).parent["unit:5802"] == (
        "department:Primärvård Skellefteå stad"
    )

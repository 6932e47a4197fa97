"""Survey anonymity under arithmetic: what survey.protection hides, audited as an attacker
would audit the published tables (tests/survey_audit.py builds them from the answers).

No database: organisations, questionnaires and answers are made here.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hyrdash.lib.disclosure import audit
from survey import metrics, protection, results
from tests import survey_audit

# A small questionnaire with the survey's shapes: HME with three sub-indices, HSE
# without, a dimension with two themes, eNPS and the response rate.
MEASURES = [
    metrics.Measure("response_rate", "Svarsfrekvens", metrics.RESPONSE_RATE, section="response"),
    metrics.Measure("hme", "HME", "index", ("M1", "M2", "L1", "S1"), "hme"),
    metrics.Measure("hme_motivation", "Motivation", "index", ("M1", "M2"), "hme", "hme"),
    metrics.Measure("hme_ledarskap", "Ledarskap", "index", ("L1",), "hme", "hme"),
    metrics.Measure("hme_styrning", "Styrning", "index", ("S1",), "hme", "hme"),
    metrics.Measure("hse", "HSE", "index", ("H1", "H2"), "hse"),
    metrics.Measure("enps", "eNPS", metrics.ENPS, ("E",), "enps"),
    metrics.Measure("dim_halsa", "Hälsa", "index", ("P1", "P2", "S1X"), "psykosocial"),
    metrics.Measure(
        "tema_arbete_privatliv", "Privatliv", "index", ("P1", "P2"), "psykosocial", "dim_halsa"
    ),
    metrics.Measure("tema_stress", "Stress", "index", ("S1X",), "psykosocial", "dim_halsa"),
]
QUESTIONS = ["M1", "M2", "L1", "S1", "H1", "H2", "E", "P1", "P2", "S1X"]
# The same questionnaire with its questions published on their own (survey.questionnaires
# Spec.items): each under the index it is a question of.
ITEMS = [
    metrics.Measure(code, code, metrics.QUESTION, (code,), section, parent)
    for code, section, parent in [
        ("M1", "hme", "hme_motivation"),
        ("M2", "hme", "hme_motivation"),
        ("L1", "hme", "hme_ledarskap"),
        ("S1", "hme", "hme_styrning"),
        ("H1", "hse", "hse"),
        ("H2", "hse", "hse"),
        ("P1", "psykosocial", "tema_arbete_privatliv"),
        ("P2", "psykosocial", "tema_arbete_privatliv"),
        ("S1X", "psykosocial", "tema_stress"),
    ]
]
WITH_ITEMS = MEASURES + ITEMS


def org_frame(rows) -> pd.DataFrame:
    """rows: (unit id, ansvar, department, area)."""
    return pd.DataFrame(
        [(uid, ansvar, f"Enhet {ansvar}", dep, area) for uid, ansvar, dep, area in rows],
        columns=["unit_id", "ansvar", "unit_name", "department", "area"],
    )


def year(
    answers: pd.DataFrame, units: pd.Series, org: pd.DataFrame, *, threshold=5, measures=MEASURES
):
    tree = results.tree_of(org)
    sums = metrics.unit_sums(answers, units, measures)
    table = results.year_results(sums, tree, threshold=threshold, measures=measures)
    return tree, sums, table


def assert_nothing_exposed(answers, units, tree, table, measures=MEASURES):
    published = survey_audit.union(answers, units, tree, measures)
    found = survey_audit.exposed(published, table)
    assert found == {}, {
        key: (sorted(map(str, r.disclosed)), sorted(map(str, r.nearly_disclosed)))
        for key, (r, _h) in found.items()
    }


# --- the attacks of issue 12, by hand ---------------------------------------------------

# One department, two units: U with 5 respondents of whom one skipped the stress
# question (so "Stress" has 4), W with 20 who answered everything.
STRESS_ORG = org_frame([(1, "0001", "D", "A"), (2, "0002", "D", "A")])


def stress_answers() -> tuple[pd.DataFrame, pd.Series]:
    rows = []
    # U: P1, P2 answered 3, 4, 3, 2, 4 and 3, 4, 4, 3, 3; stress 2, 2, 3, 1 and a blank.
    p1, p2, stress = [3, 4, 3, 2, 4], [3, 4, 4, 3, 3], [2, 2, 3, 1, np.nan]
    for i in range(5):
        rows.append({"P1": p1[i], "P2": p2[i], "S1X": stress[i]})
    units = [1] * 5 + [2] * 20
    rows += [{"P1": 4, "P2": 4, "S1X": 3}] * 20
    answers = pd.DataFrame(rows, columns=QUESTIONS).astype("float64")
    return answers, pd.Series(units, index=answers.index)


def test_a_hidden_theme_follows_from_its_dimension_and_its_other_theme():
    """U's stress: 4 answers, (1 + 1 + 2 + 0) x 25 = 100 points: 25,00. Its other theme:
    10 answers, (2 + 3 + 2 + 1 + 3 + 2 + 3 + 3 + 2 + 2) x 25 = 575 points; its dimension
    14 answers, 675 points. Both have 5 respondents and are shown by the threshold
    alone, and (675 - 575) / (14 - 10) = 25,00 gives the stress theme away, item
    non-response or not. Hiding W's stress too (the old rule, per index) does not help."""
    answers, units = stress_answers()
    tree, sums, _table = year(answers, units, STRESS_ORG)
    unit = sums[sums["unit"] == 1].set_index("measure")
    assert unit.loc["tema_stress", ["respondents", "answers", "score_sum"]].tolist() == [4, 4, 100]
    assert unit.loc["dim_halsa", ["answers", "score_sum"]].tolist() == [14, 675]
    assert unit.loc["tema_arbete_privatliv", ["answers", "score_sum"]].tolist() == [10, 575]
    published = protection.publication(sums, tree, MEASURES)
    block = next(
        b for b in published.blocks if b.kind == protection.VALUE and b.name == "dim_halsa"
    )
    per_index_rule = {
        ("value", "unit:0001", "tema_stress"),
        ("value", "unit:0002", "tema_stress"),
    }
    assert ("value", "unit:0001", "tema_stress") in protection.exposed(block, per_index_rule)
    # The library's audit over the whole block says the same.
    keys = set(block.figure_keys())
    result = audit(block.figures(), keys - per_index_rule, block.values)
    assert ("value", "unit:0001", "tema_stress") in result.disclosed


def test_the_theme_is_protected_across_its_index_and_the_organisation():
    """Hiding U's and W's stress and other theme (a rectangle: no sum gives one of them)
    is not enough. W's other theme: 40 answers of 4, 3 000 points; the department's
    other theme (3 575) minus U's dimension (675) puts it at 2 900 at least, and the
    department's other theme caps it at 3 575: within 20 % of 3 000 (2 400-3 600). So
    the two units' dimensions go too; the department's, area's and administration's
    values stay."""
    answers, units = stress_answers()
    tree, sums, table = year(answers, units, STRESS_ORG)
    hidden = set(table.index[table["status"] == results.HIDDEN])
    values = ("dim_halsa", "tema_arbete_privatliv", "tema_stress")
    assert hidden == {(unit, value) for unit in ("unit:0001", "unit:0002") for value in values}
    block = next(
        b
        for b in protection.publication(sums, tree, MEASURES).blocks
        if b.kind == protection.VALUE and b.name == "dim_halsa"
    )
    rectangle = {
        ("value", unit, value)
        for unit in ("unit:0001", "unit:0002")
        for value in ("tema_arbete_privatliv", "tema_stress")
    }
    result = audit(block.figures(), set(block.figure_keys()) - rectangle, block.values)
    bound = result.intervals[("value", "unit:0002", "tema_arbete_privatliv")]
    assert (bound.measure, bound.value, bound.low, bound.high) == ("score_sum", 3000, 2900, 3575)
    assert_nothing_exposed(answers, units, tree, table)


def test_an_enps_class_of_a_small_unit_is_not_the_department_minus_the_rest():
    """U: 3 respondents, all critics (0-6). W: 10, none a critic. The department's
    critics (3) minus W's (0) would be U's, so the department goes too: its area is the
    same people, so it goes as well, and the administration's critics minus the other
    area's would give it: the other area goes, with its one unit (all of them 9-10)."""
    org = org_frame([(1, "0001", "D", "A"), (2, "0002", "D", "A"), (3, "0003", "E", "B")])
    rows = [{"E": 3}] * 3 + [{"E": 9}] * 10 + [{"E": 10}] * 6 + [{"E": 2}] * 2
    units = [1] * 3 + [2] * 10 + [3] * 8
    answers = pd.DataFrame(rows, columns=QUESTIONS).astype("float64")
    units = pd.Series(units, index=answers.index)
    tree, _sums, table = year(answers, units, org)
    status = table.xs("enps", level="measure")["status"].to_dict()
    assert status["unit:0001"] == results.HIDDEN  # 3 respondents
    assert status["department:D"] == results.HIDDEN
    assert status["area:A"] == results.HIDDEN
    assert status["hsf"] == results.SHOWN
    assert_nothing_exposed(answers, units, tree, table)


# --- the audit of a block as protection computes it ------------------------------------


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_the_reduced_audit_finds_what_the_whole_audit_finds(data):
    answers, units, org = data.draw(surveys())
    tree = results.tree_of(org)
    sums = metrics.unit_sums(answers, units, MEASURES)
    published = protection.publication(sums, tree, MEASURES)
    assume(published.blocks)
    block = data.draw(st.sampled_from(published.blocks))
    keys = block.figure_keys()
    hidden = set(data.draw(st.lists(st.sampled_from(keys), max_size=8)))
    whole = audit(block.figures(), set(keys) - hidden, block.values).exposed
    assert protection.exposed(block, hidden) == whole


# --- random organisations ---------------------------------------------------------------


@st.composite
def surveys(draw):
    """(answers, each respondent's unit id, organisation): 2-3 areas of 1-2 departments of
    1-3 units, 0-9 respondents a unit (around 5), each question skipped with a chance
    of 0-40 % (item non-response), answers anywhere on the scale."""
    org, units = [], []
    uid = 0
    for a in range(draw(st.integers(2, 3))):
        for d in range(draw(st.integers(1, 2))):
            for _u in range(draw(st.integers(1, 3))):
                uid += 1
                org.append((uid, f"{uid:04d}", f"A{a}D{d}", f"A{a}"))
                units += [uid] * draw(st.integers(0, 9))
    skip = draw(st.sampled_from([0.0, 0.1, 0.25, 0.4]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = len(units)
    columns = {}
    for code in QUESTIONS:
        values = rng.integers(0, 11, n) if code == "E" else rng.integers(1, 6, n)
        columns[code] = np.where(rng.random(n) < skip, np.nan, values.astype("float64"))
    answers = pd.DataFrame(columns, columns=QUESTIONS)
    return answers, pd.Series(units, index=answers.index, dtype="int64"), org_frame(org)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(surveys())
def test_no_hidden_value_can_be_worked_out_from_every_published_table(survey):
    """Every group x every measure, values and respondent counts: after suppression the
    audit of the union finds nothing disclosed or nearly disclosed (within 20 %)."""
    answers, units, org = survey
    tree, sums, table = year(answers, units, org)
    shown = table["status"] == results.SHOWN
    # Small groups never shown; the administration never hidden when it is not small.
    assert (table.loc[shown, "respondents"] >= 5).all()
    everyone = sums.groupby("measure")["respondents"].sum()
    total = table.xs("hsf", level="group")["status"] if len(table) else {}
    for measure, count in everyone.items():
        if count >= 5:
            assert total[measure] == results.SHOWN, measure
    assert_nothing_exposed(answers, units, tree, table)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(surveys())
def test_no_hidden_value_follows_from_the_tables_with_every_question_on_its_own(survey):
    """As above, with every question of an index published on its own too (the
    per-question results: a question's answers and score sum per group)."""
    answers, units, org = survey
    tree, sums, table = year(answers, units, org, measures=WITH_ITEMS)
    shown = table["status"] == results.SHOWN
    assert (table.loc[shown, "respondents"] >= 5).all()
    statuses = table["status"].to_dict()
    for item in ITEMS:
        # Where a question's index or an index above it is hidden, so is the question;
        # but the only question of its index anyone in the group answered is that
        # index's value, shown with it (L1 is Ledarskap).
        siblings = [i.code for i in ITEMS if i.parent == item.parent]
        for (group, measure), status in statuses.items():
            if measure != item.code or status == results.NONE:
                continue
            alone = all(
                statuses.get((group, s), results.NONE) == results.NONE
                for s in siblings
                if s != item.code
            )
            if statuses[(group, item.parent)] == results.HIDDEN or not alone:
                above = [m.parent for m in MEASURES if m.code == item.parent and m.parent]
                if any(
                    statuses.get((group, index)) == results.HIDDEN
                    for index in [item.parent, *above]
                ):
                    assert status == results.HIDDEN, (group, item.code)
            else:
                assert status == statuses[(group, item.parent)], (group, item.code)
    assert_nothing_exposed(answers, units, tree, table, WITH_ITEMS)


def test_independent_problems_go_together_only_while_their_matrix_stays_small(monkeypatch):
    """protection._chunks: problems in their order, a group's figures x cells within
    JOINT_ENTRIES (here 100): 5x5 + 5x5 is 10x10 = 100, a third would be 15x15; a
    problem larger than the limit stands alone. A region of 300 units once came to one
    25,777 x 30,000 matrix (5.8 GiB) and the import was killed."""
    monkeypatch.setattr(protection, "JOINT_ENTRIES", 100)
    sizes = {"a": (5, 5), "b": (5, 5), "c": (5, 5), "big": (20, 20), "d": (1, 1), "e": (2, 3)}
    groups = protection._chunks(sizes, lambda size: size)
    assert [list(group) for group in groups] == [["a", "b"], ["c"], ["big"], ["d", "e"]]


# --- the last resort: a tree still exposed after every question is hidden ---------------

LAST_RESORT_ORG = org_frame(
    [(1, "0001", "D1", "A"), (2, "0002", "D1", "A"), (3, "0003", "D2", "A"),
     (4, "0004", "D3", "B")]
)  # fmt: skip


def last_resort_answers() -> tuple[pd.DataFrame, pd.Series]:
    """Every question answered, 1 to 5; units of 6, 7, 8 and 9 respondents."""
    rng = np.random.default_rng(12)
    units = [u for u, n in ((1, 6), (2, 7), (3, 8), (4, 9)) for _ in range(n)]
    answers = pd.DataFrame(
        rng.integers(1, 6, size=(len(units), len(QUESTIONS))), columns=QUESTIONS
    ).astype("float64")
    answers["E"] = rng.integers(0, 11, size=len(units)).astype("float64")
    return answers, pd.Series(units, index=answers.index)


def lying_audit(monkeypatch, *, lies: int | None) -> None:
    """Make survey.protection's audit of the index trees with their questions
    (`_joint_exposures`, over `Publication.joint`) report a unit's figure of the first
    tree exposed in its first `lies` calls (None: every call): every repair of
    `_verified` fails, whatever it hides."""
    honest = protection._joint_exposures
    calls = []

    def audit_trees(pub, hidden, level):
        found = [set(f) for f in honest(pub, hidden, level)]
        if lies is None or len(calls) < lies:
            calls.append(1)
            block = pub.joint[0]
            found[0].add(next(k for k in block.figure_keys() if k[1].startswith("unit:")))
        return found

    monkeypatch.setattr(protection, "_joint_exposures", audit_trees)


def test_a_tree_still_exposed_after_every_question_withholds_all_but_the_administration(
    monkeypatch,
):
    answers, units = last_resort_answers()
    tree, sums, honest = year(answers, units, LAST_RESORT_ORG, measures=WITH_ITEMS)
    pub = protection.publication(results.within(sums, tree), tree, WITH_ITEMS)
    first = pub.joint[0]
    total = first.groups.total
    every = {pub.value_of[k] for k in first.figure_keys() if k[1] != total}
    shown = {cell for cell, status in honest["status"].items() if status == results.SHOWN}
    assert every & shown  # shown by the rule: its repairs find nothing to hide

    # The repairs (REPAIRS rounds, then every question) never satisfy the audit.
    lying_audit(monkeypatch, lies=protection.REPAIRS + 2)
    table = results.year_results(sums, tree, threshold=5, measures=WITH_ITEMS)
    monkeypatch.undo()

    # Every value of the tree's groups but the administration's is withheld (or has
    # no respondents); of the administration's only the questions are (the repairs hid
    # every question of the tree), its measures are as the rule decides them; and the
    # independent audit of every published table (tests/survey_audit.py) finds nothing.
    statuses = table["status"].to_dict()
    assert {statuses[cell] for cell in every} <= {results.HIDDEN, results.NONE}
    changed = table.loc[total, "status"] != honest.loc[total, "status"]
    assert set(changed[changed].index) <= set(QUESTIONS)
    assert (table.loc[total, "status"][changed] == results.HIDDEN).all()
    assert_nothing_exposed(answers, units, tree, table, WITH_ITEMS)


def test_a_tree_exposed_whatever_is_withheld_is_refused(monkeypatch):
    answers, units = last_resort_answers()
    tree = results.tree_of(LAST_RESORT_ORG)
    sums = metrics.unit_sums(answers, units, WITH_ITEMS)
    pub = protection.publication(results.within(sums, tree), tree, WITH_ITEMS)
    lying_audit(monkeypatch, lies=None)

    with pytest.raises(protection.StillExposedError) as refused:
        protection.hidden_values(pub, threshold=5)
    assert refused.value.trees == [pub.joint[0].name]

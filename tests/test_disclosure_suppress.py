"""Complementary suppression: what protect() hides, checked by the audit itself."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hyrdash.lib.disclosure import Figure, ProtectionError, audit, protect


def keys(figures):
    return {figure.key for figure in figures}


def test_one_complement_is_enough_under_a_shown_total():
    # total = a + b + c = 3 + 20 + 30; a is small. Hiding b, the smallest other
    # child, leaves a anywhere in [0, 23] and b in [0, 23].
    figures = [Figure("total", {0, 1, 2}), Figure("a", {0}), Figure("b", {1}), Figure("c", {2})]
    values = np.array([3.0, 20.0, 30.0])
    hidden = protect(figures, values, {"a"}, never_hide={"total"})
    assert hidden == {"a", "b"}
    assert audit(figures, keys(figures) - hidden, values).exposed == set()


def test_nothing_more_is_hidden_when_nothing_can_be_worked_out():
    figures = [Figure("total", {0, 1}), Figure("a", {0}), Figure("b", {1})]
    assert protect(figures, np.array([3.0, 20.0]), set(), never_hide={"total"}) == set()


def test_it_never_hides_the_figures_it_must_not():
    # Costs make the total the cheapest complement; it must stay shown, so b goes.
    figures = [Figure("total", {0, 1}), Figure("a", {0}), Figure("b", {1})]
    values = np.array([3.0, 50.0])
    cost = {"total": 1.0, "a": 3.0, "b": 100.0}
    assert protect(figures, values, {"a"}, cost=cost) == {"a", "total"}
    assert protect(figures, values, {"a"}, never_hide={"total"}, cost=cost) == {"a", "b"}


def test_ties_go_to_the_earlier_figure():
    figures = [Figure("total", {0, 1, 2}), Figure("a", {0}), Figure("c", {2}), Figure("b", {1})]
    values = np.array([3.0, 20.0, 20.0])
    assert protect(figures, values, {"a"}, never_hide={"total"}) == {"a", "c"}


def test_a_nearly_disclosed_figure_gets_a_complement_too():
    # H = x0 + x1 = 9 (small) hidden; T = x0 + x1 + x2 = 10 and G = x2 + x3 = 1.5
    # shown: H is in [8.5, 10]. The bound rests on T (never hidden) and G: G goes.
    figures = [Figure("T", {0, 1, 2}), Figure("G", {2, 3}), Figure("H", {0, 1})]
    values = np.array([5.0, 4.0, 1.0, 0.5])
    assert audit(figures, {"T", "G"}, values).nearly_disclosed == {"H"}
    hidden = protect(figures, values, {"H"}, never_hide={"T"})
    assert hidden == {"H", "G"}
    assert audit(figures, {"T"}, values).exposed == set()


def test_complements_are_protected_too():
    # Area = d1 + d2 + d3 and d1 = u1 + u2; u1 small. Hiding u2 exposes nothing
    # in d1, but the complement must hold in every table it belongs to.
    figures = [
        Figure("area", range(4)),
        Figure("d1", {0, 1}),
        Figure("d2", {2}),
        Figure("d3", {3}),
        Figure("u1", {0}),
        Figure("u2", {1}),
        Figure("u2 again", {1}),  # the same unit in a second table
    ]
    values = np.array([4.0, 30.0, 40.0, 50.0])
    hidden = protect(figures, values, {"u1"}, never_hide={"area"})
    # u2 (30) is the cheapest complement, and its twin would give it away.
    assert hidden == {"u1", "u2", "u2 again"}
    assert audit(figures, keys(figures) - hidden, values).exposed == set()


def test_it_refuses_a_primary_figure_that_must_stay_shown():
    figures = [Figure("total", {0, 1}), Figure("a", {0})]
    with pytest.raises(ValueError, match="must stay shown"):
        protect(figures, np.array([3.0, 1.0]), {"total"}, never_hide={"total"})


def test_it_says_so_when_no_choice_can_protect_a_figure():
    # The only area is the whole administration: its figure is the total's.
    figures = [Figure("total", {0, 1}), Figure("area", {0, 1}), Figure("unit", {0})]
    with pytest.raises(ProtectionError, match="'area'"):
        protect(figures, np.array([3.0, 4.0]), {"area"}, never_hide={"total"})


def test_what_was_shown_before_makes_the_new_tables_hide_more():
    # Before a re-organisation department D had units u1, u2, u3 and its figure
    # was published. Now u1 (small) moved to department E: D = u2 + u3 and
    # E = u1 + u4 + u5. Alone, hiding u4 protects u1. But old D - new D = u1:
    # new D goes, then u2 (else D = u2 + u3), then E (else D = total - E).
    figures = [
        Figure("total", range(5)),
        Figure("D", {1, 2}),
        Figure("E", {0, 3, 4}),
        *(Figure(f"u{i + 1}", {i}) for i in range(5)),
    ]
    old_d = Figure("D before", {0, 1, 2})
    values = np.array([4.0, 20.0, 25.0, 30.0, 35.0])
    now = protect(figures, values, {"u1"}, never_hide={"total"})
    assert now == {"u1", "u4"}
    with_history = protect(figures, values, {"u1"}, never_hide={"total"}, previously_shown=[old_d])
    assert with_history == {"u1", "u2", "D", "E"}
    assert "D before" not in with_history
    shown = keys(figures) - with_history | {"D before"}
    assert audit([*figures, old_d], shown, values).exposed == set()
    assert audit([*figures, old_d], keys(figures) - now | {"D before"}, values).exposed


def test_without_values_the_figure_with_fewest_microcells_is_the_complement():
    # a = total - b - c; b sums three microcells, c one.
    figures = [
        Figure("total", range(5)),
        Figure("a", {0}),
        Figure("b", {1, 2, 3}),
        Figure("c", {4}),
    ]
    hidden = protect(figures, None, {"a"}, never_hide={"total"})
    assert hidden == {"a", "c"}
    assert audit(figures, keys(figures) - hidden).exposed == set()


# Random organisations: administration -> areas -> departments -> units, care
# types that are unions of departments. Microcell = unit x gender x age band.

GENDERS = ("K", "M")
AGES = ("-29", "30-49", "50-")


@st.composite
def organisations(draw, *, cell_size):
    """(figures, {"employees", "hours"} per microcell). Each group of the tree and
    each care type is published as a total, by gender and by age band."""
    groups: dict[str, list[int]] = {"hsf": []}
    care_types: dict[str, list[int]] = {}
    unit = 0
    for a in range(draw(st.integers(2, 3))):
        for d in range(draw(st.integers(1, 3))):
            care_type = draw(st.sampled_from(("sjukhusvård", "primärvård", "övrigt")))
            department = f"A{a}D{d}"
            for _ in range(draw(st.integers(1, 2))):
                for group in ("hsf", f"A{a}", department, f"{department}U{unit}"):
                    groups.setdefault(group, []).append(unit)
                care_types.setdefault(care_type, []).append(unit)
                unit += 1
    groups.update(care_types)  # a care type of one department is that department
    figures = []
    for group, units in groups.items():
        figures.append(Figure((group, "all"), {6 * u + c for u in units for c in range(6)}))
        for g, gender in enumerate(GENDERS):
            cells = {6 * u + 3 * g + a for u in units for a in range(3)}
            figures.append(Figure((group, gender), cells))
        for a, age in enumerate(AGES):
            figures.append(Figure((group, age), {6 * u + 3 * g + a for u in units for g in (0, 1)}))
    employees = np.array(draw(st.lists(cell_size, min_size=6 * unit, max_size=6 * unit)), float)
    rates = draw(st.lists(st.integers(20, 160), min_size=6 * unit, max_size=6 * unit))
    return figures, {"employees": employees, "hours": employees * np.array(rates)}


def check_protection(figures, values, *, threshold):
    sizes = {figure.key: values["employees"][list(figure.cells)].sum() for figure in figures}
    assume(sizes["hsf", "all"] > threshold)
    primary = {key for key, size in sizes.items() if 0 < size <= threshold}
    hidden = protect(figures, values, primary, never_hide={("hsf", "all")})
    assert primary <= hidden
    assert ("hsf", "all") not in hidden
    result = audit(figures, keys(figures) - hidden, values)
    assert result.disclosed == set()
    assert result.nearly_disclosed == set()


@settings(max_examples=50, deadline=None)
@given(organisations(cell_size=st.integers(0, 4)))
def test_sick_leave_groups_of_at_most_ten_stay_hidden(organisation):
    # Units of about 12, unit x gender about 6, unit x age band about 4.
    figures, values = organisation
    check_protection(figures, values, threshold=10)


@settings(max_examples=50, deadline=None)
@given(organisations(cell_size=st.integers(0, 2)))
def test_survey_groups_under_five_stay_hidden(organisation):
    # Units of about 6, unit x gender about 3: "fewer than 5" is "at most 4".
    figures, values = organisation
    check_protection(figures, values, threshold=4)

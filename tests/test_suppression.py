"""Small-group suppression: hand-worked breakdowns, including the derivation attack."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hyrdash.lib.suppression import disclosed, is_hidden, suppress, suppress_linked


def test_a_group_below_the_threshold_is_hidden():
    assert is_hidden(9, threshold=10)
    assert not is_hidden(10, threshold=10)
    assert is_hidden(None, threshold=10)
    assert is_hidden(float("nan"), threshold=10)


def test_nothing_is_hidden_when_every_group_is_large_enough():
    assert suppress({"K": 40, "M": 12}, threshold=10) == set()


def test_the_one_hidden_group_takes_the_next_smallest_with_it():
    # Total 60 is shown; M (7) is hidden. Shown K = 53 would give M = 60 - 53:
    # so K is hidden as well.
    assert suppress({"K": 53, "M": 7}, threshold=10) == {"K", "M"}


def test_complementary_suppression_picks_the_smallest_other_group():
    # -29 has 4: hidden. Of the others, 50- (15) is smaller than 30-49 (80).
    sizes = {"-29": 4, "30-49": 80, "50-": 15}

    assert suppress(sizes, threshold=10) == {"-29", "50-"}


def test_two_hidden_groups_need_no_more():
    # 3 + 5 could only be worked out together (total minus 30-49), not one by one.
    assert suppress({"-29": 3, "30-49": 80, "50-": 5}, threshold=10) == {"-29", "50-"}


def test_no_complement_when_the_parent_is_hidden_itself():
    assert suppress({"K": 6, "M": 2}, threshold=10, parent_shown=False) == {"K", "M"}
    assert suppress({"K": 30, "M": 2}, threshold=10, parent_shown=False) == {"M"}


def test_an_empty_group_reveals_nothing_and_is_not_the_one_hidden_group():
    # No men at all: hiding "M" protects nobody, K = total is no secret of M's.
    assert suppress({"K": 25, "M": 0}, threshold=10) == {"M"}


def test_ties_are_broken_by_key_so_the_result_is_stable():
    assert suppress({"a": 3, "b": 20, "c": 20}, threshold=10) == {"a", "b"}


# --- several breakdowns sharing cells (suppress_linked) -------------------------------


def test_a_group_hidden_elsewhere_counts_as_hidden():
    # M is hidden by another breakdown it belongs to: K = total - M is no secret of
    # K's, but with M hidden K would give M away, so K goes too.
    assert suppress({"K": 40, "M": 30}, threshold=10, hidden={"M"}) == {"K", "M"}
    assert suppress({"K": 40, "M": 30}, threshold=10, hidden={"X"}) == set()


def two_departments(d1_k, d1_m, d2_k, d2_m):
    """An area of two departments split by gender: sizes and the five breakdowns."""
    sizes = {
        ("D1", "K"): d1_k,
        ("D1", "M"): d1_m,
        ("D2", "K"): d2_k,
        ("D2", "M"): d2_m,
        ("D1", "total"): d1_k + d1_m,
        ("D2", "total"): d2_k + d2_m,
        ("A", "K"): d1_k + d2_k,
        ("A", "M"): d1_m + d2_m,
        ("A", "total"): d1_k + d1_m + d2_k + d2_m,
    }
    breakdowns = [
        (("A", "total"), [("A", "K"), ("A", "M")]),
        (("D1", "total"), [("D1", "K"), ("D1", "M")]),
        (("D2", "total"), [("D2", "K"), ("D2", "M")]),
        (("A", "total"), [("D1", "total"), ("D2", "total")]),
        (("A", "K"), [("D1", "K"), ("D2", "K")]),
        (("A", "M"), [("D1", "M"), ("D2", "M")]),
    ]
    return sizes, breakdowns


def test_a_hidden_group_is_protected_in_every_breakdown_it_belongs_to():
    # D1 has 4 men: hidden. D1's women (30) would give them away (34 - 30): hidden.
    # The area's men (24) minus D2's men would give D1's men: D2's men hidden; the
    # area's women likewise: D2's women hidden. D2's total (70) stays: K + M of D2
    # is all that can be worked out.
    sizes, breakdowns = two_departments(30, 4, 50, 20)

    hidden = suppress_linked(sizes, breakdowns, threshold=10)

    assert hidden == {("D1", "K"), ("D1", "M"), ("D2", "K"), ("D2", "M")}
    assert disclosed(sizes, breakdowns, hidden) == set()
    assert not derivable(sizes, breakdowns, hidden)


def test_a_parent_hidden_for_a_sibling_hides_one_of_its_own_parts():
    # Area 1 (8 people) is hidden, so area 2 (117) is hidden as its complement. Area
    # 2's departments (83 and 34) would add up to it: the smaller one is hidden too.
    # Then 125 = A1 + A2 and A2 = 83 + A2D2 leave one unknown free.
    sizes = {"hsf": 125, "A1": 8, "A2": 117, "A2D1": 83, "A2D2": 34, "A1D1": 8}
    breakdowns = [("hsf", ["A1", "A2"]), ("A2", ["A2D1", "A2D2"]), ("A1", ["A1D1"])]

    hidden = suppress_linked(sizes, breakdowns, threshold=10)

    assert hidden == {"A1", "A1D1", "A2", "A2D2"}
    assert not derivable(sizes, breakdowns, hidden)


def test_nothing_is_hidden_when_every_cell_is_large_enough():
    sizes, breakdowns = two_departments(30, 14, 50, 20)

    assert suppress_linked(sizes, breakdowns, threshold=10) == set()


def test_disclosed_finds_a_value_that_several_breakdowns_give_away():
    # D1's men hidden alone: area men minus D2 men gives them.
    sizes, breakdowns = two_departments(30, 4, 50, 20)

    assert disclosed(sizes, breakdowns, {("D1", "M")}) == {("D1", "M")}
    # Hidden with D1's women and D2's men, D1's men still follow from the area's women:
    # D1 K = A K - D2 K, then D1 M = D1 total - D1 K.
    hidden = {("D1", "M"), ("D1", "K"), ("D2", "M")}
    assert disclosed(sizes, breakdowns, hidden) == hidden


def test_an_empty_group_hides_nothing_else():
    # D2 has no men: its hidden (empty) cell is known to be 0, so it cannot stand
    # beside D1's 4 men in the area's breakdown: D1 M = A M - 0.
    sizes, breakdowns = two_departments(30, 4, 50, 0)

    assert disclosed(sizes, breakdowns, {("D1", "M"), ("D2", "M")}) == {("D1", "M")}
    hidden = suppress_linked(sizes, breakdowns, threshold=10)
    assert ("D1", "M") in hidden and ("D1", "M") not in derivable(sizes, breakdowns, hidden)


def derivable(sizes, breakdowns, hidden) -> set:
    """The derivation attack, done another way than `disclosed`: a hidden cell is known
    when adding its unit vector to the equations does not raise their rank. Cells
    without members are known to be 0."""
    cells = sorted((key for key in hidden if sizes.get(key)), key=str)
    index = {key: i for i, key in enumerate(cells)}
    rows = []
    for parent, children in breakdowns:
        row = np.zeros(len(cells))
        if parent in index:
            row[index[parent]] = 1
        for child in children:
            if child in index:
                row[index[child]] -= 1
        rows.append(row)
    equations = np.array(rows) if rows else np.zeros((0, len(cells)))
    rank = np.linalg.matrix_rank(equations) if len(rows) else 0
    known = set()
    for key, i in index.items():
        unit = np.zeros((1, len(cells)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([equations, unit])) == rank:
            known.add(key)
    return known


@st.composite
def organisations(draw):
    """Areas of departments, each split by gender and by three age bands, and care types
    across the areas: the shape of the sick-leave tables."""
    groups = ["K", "M", "a", "b", "c"]
    n_areas = draw(st.integers(1, 3))
    units = []
    for area in range(n_areas):
        for department in range(draw(st.integers(1, 3))):
            care = draw(st.sampled_from(["c1", "c2"]))
            counts = {
                (g, x): draw(st.sampled_from([0, 1, 3, 6, 9, 12, 25, 60]))
                for g in "KM"
                for x in "abc"
            }
            units.append((f"A{area}", f"A{area}D{department}", care, counts))
    nodes = {"hsf": units}
    for index in (0, 1, 2):
        for unit in units:
            nodes.setdefault(unit[index], []).append(unit)

    def size(members, group):
        return sum(
            n
            for unit in members
            for (gender, band), n in unit[3].items()
            if group == "total" or group in (gender, band)
        )

    sizes = {(n, g): size(m, g) for n, m in nodes.items() for g in ["total", *groups]}
    breakdowns = []
    for node in nodes:
        breakdowns.append(((node, "total"), [(node, "K"), (node, "M")]))
        breakdowns.append(((node, "total"), [(node, "a"), (node, "b"), (node, "c")]))
    areas = sorted({u[0] for u in units})
    for group in ["total", *groups]:
        breakdowns.append((("hsf", group), [(a, group) for a in areas]))
        breakdowns.append((("hsf", group), [(c, group) for c in ("c1", "c2") if c in nodes]))
        for area in areas:
            departments = sorted({u[1] for u in units if u[0] == area})
            breakdowns.append(((area, group), [(d, group) for d in departments]))
    return sizes, breakdowns


@settings(max_examples=300, deadline=None)
@given(organisations())
def test_no_hidden_value_can_be_worked_out_from_the_shown_ones(organisation):
    sizes, breakdowns = organisation

    hidden = suppress_linked(sizes, breakdowns, threshold=10)

    small = {key for key, size in sizes.items() if 0 < size < 10}
    assert small <= hidden
    assert not derivable(sizes, breakdowns, hidden) & small

"""The disclosure audit: hand-worked derivations, bounds, and checks against plain linear algebra."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from hyrdash.lib.disclosure import Figure, Tables, audit, blocks, in_row_space


def keys(figures):
    return {figure.key for figure in figures}


def test_a_hidden_child_follows_from_the_total_and_its_sibling():
    figures = [Figure("total", {0, 1}), Figure("K", {0}), Figure("M", {1})]
    result = audit(figures, shown={"total", "K"}, values=np.array([40.0, 3.0]))
    assert result.disclosed == {"M"}
    assert result.nearly_disclosed == set()


def test_two_hidden_children_under_a_shown_total_stay_hidden():
    # 3 + 20 = 23 is shown: each child lies anywhere in [0, 23].
    figures = [Figure("total", {0, 1}), Figure("K", {0}), Figure("M", {1})]
    result = audit(figures, shown={"total"}, values=np.array([3.0, 20.0]))
    assert result.exposed == set()
    assert result.safe == {"K", "M"}
    assert audit(figures, shown={"total"}).exposed == set()


def test_a_hidden_figure_with_the_same_microcells_as_a_shown_one_is_disclosed():
    # A department with a single unit: the unit's figure is the department's.
    figures = [Figure("department", {0, 1}), Figure("unit", {0, 1})]
    assert audit(figures, shown={"department"}).disclosed == {"unit"}


def care_type_tables(with_care_types=("P", "S")):
    """Area A = departments d1, d2, d3; area B = d4, d5; care type P (primärvård)
    = d1, d4, d5 and S (sjukhusvård) = d2, d3. Microcell 2(d - 1) + g: department d,
    gender g (0 women, 1 men). Every group has a total, women (K) and men (M)."""
    groups = {
        "A": [1, 2, 3],
        "B": [4, 5],
        "P": [1, 4, 5],
        "S": [2, 3],
        **{f"d{d}": [d] for d in range(1, 6)},
    }
    figures = []
    for name, departments in groups.items():
        if name in {"P", "S"} - set(with_care_types):
            continue
        figures.append(Figure(name, {2 * (d - 1) + g for d in departments for g in (0, 1)}))
        for g, gender in enumerate("KM"):
            figures.append(Figure(f"{name}{gender}", {2 * (d - 1) + g for d in departments}))
    return figures


def test_the_care_type_gives_away_a_department_hidden_in_its_area():
    # d1 (small) and d2 (its complement) hidden: area A alone gives only d1 + d2.
    # But primärvård = d1 + d4 + d5 is shown: d1 = P - d4 - d5, then d2 = A - d1 - d3.
    figures = care_type_tables()
    hidden = {"d1", "d2"}
    result = audit(figures, shown=keys(figures) - hidden)
    assert result.disclosed == {"d1", "d2"}


def test_the_care_type_gives_away_a_departments_men():
    # d1's men hidden with their complements: d1's women (d1 is shown) and d2's
    # men and women (area A by gender is shown). Without care types no cell
    # follows: 4 unknowns, 4 equations of rank 3. With them every one does.
    hidden = {"d1K", "d1M", "d2K", "d2M"}
    without = care_type_tables(with_care_types=())
    assert audit(without, shown=keys(without) - hidden).exposed == set()
    figures = care_type_tables()
    assert audit(figures, shown=keys(figures) - hidden).disclosed == hidden
    only_p = care_type_tables(with_care_types=("P",))
    # PM - d4M - d5M = d1M, then AM - d1M - d3M = d2M, and the same for women.
    assert audit(only_p, shown=keys(only_p) - hidden).disclosed == hidden


def survey_unit():
    """One unit's six questions: themes T1 = q0 + q1, T2 = q2 + q3, T3 = q4 + q5 and
    the index I over all six. Measures: answer count (people skip questions) and
    score sum."""
    figures = [
        Figure("I", range(6)),
        Figure("T1", {0, 1}),
        Figure("T2", {2, 3}),
        Figure("T3", {4, 5}),
    ]
    values = {
        "answers": np.array([6.0, 6.0, 4.0, 3.0, 7.0, 7.0]),
        "score_sum": np.array([400.0, 350.0, 200.0, 150.0, 500.0, 450.0]),
    }
    return figures, values


def test_a_hidden_theme_follows_from_its_index_and_the_shown_themes():
    figures, values = survey_unit()
    result = audit(figures, shown={"I", "T1", "T3"}, values=values)
    assert result.disclosed == {"T2"}


def test_two_hidden_themes_share_the_index_minus_the_shown_one():
    # T2 + T3 = I - T1: 21 answers, 1300 points. T2 (7 answers) lies in [0, 21].
    figures, values = survey_unit()
    result = audit(figures, shown={"I", "T1"}, values=values)
    assert result.exposed == set()


def r12_tables():
    """24 months of one group (microcell = month) with the monthly figures M0..M23
    and the rolling twelve-month sums W11..W23 (W_j = months j-11..j)."""
    months = [Figure(f"M{m}", {m}) for m in range(24)]
    windows = [Figure(f"W{j}", range(j - 11, j + 1)) for j in range(11, 24)]
    return months, windows


def test_r12_windows_and_one_month_a_year_earlier_give_a_month_away():
    # W23 - W22 = M23 - M11: with M11 shown, M23 follows, and no other month does.
    months, windows = r12_tables()
    result = audit(months + windows, shown=keys(windows) | {"M11"})
    assert result.disclosed == {"M23"}


def test_r12_windows_alone_give_no_month_away():
    months, windows = r12_tables()
    values = np.arange(24, dtype=float) + 5
    assert audit(months + windows, shown=keys(windows), values=values).exposed == set()


def bounded_tables():
    """T = x0 + x1 + x2 shown, G = x2 + x3 shown, H = x0 + x1 and X = x2 hidden."""
    return [
        Figure("T", {0, 1, 2}),
        Figure("G", {2, 3}),
        Figure("H", {0, 1}),
        Figure("X", {2}),
    ]


def test_non_negativity_pins_a_hidden_figure_within_20_percent():
    # x = 90, 5, 5, 1: T = 100, G = 6, so x2 is in [0, 6] and H = T - x2 in
    # [94, 100], within 20 % of its 95. Not exact: x2 is not determined.
    values = np.array([90.0, 5.0, 5.0, 1.0])
    result = audit(bounded_tables(), shown={"T", "G"}, values=values)
    assert result.disclosed == set()
    assert result.nearly_disclosed == {"H"}
    assert result.safe == {"X"}
    interval = result.intervals["H"]
    assert (interval.low, interval.high, interval.value) == pytest.approx((94.0, 100.0, 95.0))
    assert interval.binding == {"T", "G"}


def test_a_loose_bound_is_no_disclosure():
    # G = 55 now: H is in [45, 100], far more than 20 % below 95.
    values = np.array([90.0, 5.0, 5.0, 50.0])
    assert audit(bounded_tables(), shown={"T", "G"}, values=values).exposed == set()


def test_a_bound_more_than_20_percent_away_is_enough():
    # G = 30: H is in [70, 100]; 70 < 95 * 0.8 = 76, so H is protected.
    values = np.array([90.0, 5.0, 5.0, 25.0])
    assert audit(bounded_tables(), shown={"T", "G"}, values=values).exposed == set()


def test_a_bound_exactly_20_percent_away_is_not_enough():
    # H = 100, T = 102, G = 22: x2 is in [0, 22], H in [80, 102], and 80 = 100 * 0.8.
    values = np.array([95.0, 5.0, 2.0, 20.0])
    result = audit(bounded_tables(), shown={"T", "G"}, values=values)
    assert result.nearly_disclosed == {"H"}
    values = np.array([95.0, 5.0, 2.0, 21.0])  # [79, 102]: protected
    assert audit(bounded_tables(), shown={"T", "G"}, values=values).exposed == set()


def test_the_protection_level_sets_how_narrow_is_too_narrow():
    # H in [94, 100] with 95 true: 94 < 95 * 0.99, so 1 % protection is met.
    values = np.array([90.0, 5.0, 5.0, 1.0])
    result = audit(bounded_tables(), shown={"T", "G"}, values=values, protection=0.01)
    assert result.exposed == set()


def test_non_negativity_can_pin_a_figure_exactly():
    # T = x0 + x1 = 5 and G = x1 + x2 = 0 shown: x1 = 0, so x0 = 5. Not in the row
    # space (G is not a figure of x1 alone), found by the bounds: disclosed.
    figures = [Figure("T", {0, 1}), Figure("G", {1, 2}), Figure("H", {0})]
    values = np.array([5.0, 0.0, 0.0])
    result = audit(figures, shown={"T", "G"}, values=values)
    assert result.disclosed == {"H"}
    assert result.intervals["H"].low == pytest.approx(5.0)
    assert audit(figures, shown={"T", "G"}).disclosed == set()


def test_one_measure_is_enough_to_expose_a_figure():
    # Employees leave H loose (x2 up to 60 of 100), hours pin it (x2 up to 6 of 1000).
    values = {
        "employees": np.array([30.0, 10.0, 50.0, 10.0]),
        "hours": np.array([900.0, 50.0, 5.0, 1.0]),
    }
    result = audit(bounded_tables(), shown={"T", "G"}, values=values)
    assert result.nearly_disclosed == {"H"}
    assert result.intervals["H"].measure == "hours"


def test_a_large_measure_does_not_loosen_the_rule_for_a_small_one():
    """Answers 13, 4, 4, 4: T = 21, G = 8, so H (17) lies in [13, 21]; 13 < 17 * 0.8
    = 13,6: protected, if only just. Score sums in the millions beside them (the
    survey's) once widened the solver's tolerance for every measure to 1e-7 of the
    largest figure of all (about 2 here) and H counted as nearly disclosed."""
    answers = np.array([13.0, 4.0, 4.0, 4.0])
    result = audit(bounded_tables(), shown={"T", "G"}, values={"answers": answers})
    assert result.exposed == set()
    scores = answers * 1e6  # H in [1,3e7; 2,1e7] of 1,7e7: protected as well
    result = audit(
        bounded_tables(), shown={"T", "G"}, values={"answers": answers, "score_sum": scores}
    )
    assert result.exposed == set()
    # The score sums alone still expose H when they pin it: x2 = 4e5 of 1,7e7.
    tight = np.array([1.3e7, 4e6, 4e5, 1.0])
    result = audit(
        bounded_tables(), shown={"T", "G"}, values={"answers": answers, "score_sum": tight}
    )
    assert result.nearly_disclosed == {"H"} and result.intervals["H"].measure == "score_sum"


def test_a_hidden_empty_figure_is_never_reported():
    # M has nobody: it follows from the total and K, but reveals nothing.
    figures = [Figure("total", {0, 1}), Figure("K", {0}), Figure("M", {1}), Figure("none", ())]
    result = audit(figures, shown={"total", "K"}, values=np.array([12.0, 0.0]))
    assert result.exposed == set()
    assert result.safe == set()


def test_an_empty_figure_counts_as_known():
    # total = a + b + c with b empty: hiding b does not protect a.
    figures = [Figure("total", {0, 1, 2}), Figure("a", {0}), Figure("b", {1}), Figure("c", {2})]
    result = audit(figures, shown={"total", "c"}, values=np.array([4.0, 0.0, 30.0]))
    assert result.disclosed == {"a"}


def test_blocks_split_figures_that_share_no_microcell():
    months, windows = r12_tables()
    other = [Figure("other", {100, 101}), Figure("other part", {101})]
    lone = Figure("lone", {50})
    found = blocks([*months, lone, *windows, *other])
    assert [keys(block) for block in found] == [
        keys(months) | keys(windows),
        {"lone"},
        {"other", "other part"},
    ]


def test_each_block_can_be_audited_on_its_own():
    months, windows = r12_tables()
    figures, _ = survey_unit()
    survey = [Figure(f.key, {cell + 100 for cell in f.cells}) for f in figures]
    everything = [*months, *windows, *survey]
    shown = keys(windows) | {"M11", "I", "T1", "T3"}
    values = np.arange(110, dtype=float) + 1
    whole = audit(everything, shown, values)
    assert whole.disclosed == {"M23", "T2"}
    parts = [audit(block, shown & keys(block), values) for block in blocks(everything)]
    assert len(parts) == 2
    assert whole.disclosed == parts[0].disclosed | parts[1].disclosed
    assert whole.safe == parts[0].safe | parts[1].safe


def test_it_refuses_bad_input():
    with pytest.raises(ValueError, match="unique"):
        audit([Figure("a", {0}), Figure("a", {1})], shown=set())
    with pytest.raises(ValueError, match="not in the tables"):
        audit([Figure("a", {0})], shown={"b"})
    with pytest.raises(ValueError, match=">= 0"):
        audit([Figure("a", {0})], shown=set(), values=np.array([-1.0]))
    with pytest.raises(ValueError, match="1 values for 2 microcells"):
        audit([Figure("a", {0, 1})], shown=set(), values=np.array([1.0]))
    with pytest.raises(ValueError, match="indices must be >= 0"):
        Figure("a", {-1})
    with pytest.raises(ValueError, match="fraction"):
        audit([Figure("a", {0})], shown=set(), protection=20)


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda width: st.lists(
            st.lists(st.booleans(), min_size=width, max_size=width), min_size=2, max_size=14
        )
    ),
    st.data(),
)
def test_the_rank_audit_agrees_with_matrix_rank(rows, data):
    matrix = np.array(rows, dtype=float)
    split = data.draw(st.integers(1, len(matrix) - 1))
    known, targets = matrix[:split], matrix[split:]
    rank = np.linalg.matrix_rank(known)
    expected = [np.linalg.matrix_rank(np.vstack([known, t])) == rank for t in targets]
    assert list(in_row_space(known, targets)) == expected


def reference_intervals(figures, shown, values):
    """One linear programme per hidden figure, bound and measure, no shortcuts:
    {(key, measure): (low, high, true value)} for the bounded ones."""
    tables = Tables(figures, values)
    known = tables.known(shown)
    found = {}
    for i, key in enumerate(tables.keys):
        if i in known:
            continue
        for name in values:
            b = tables.figure_values[name][known]
            target = tables.matrix[i]
            high = linprog(-target, A_eq=tables.matrix[known], b_eq=b, bounds=(0, None))
            if high.status != 3:  # 3: unbounded
                low = linprog(target, A_eq=tables.matrix[known], b_eq=b, bounds=(0, None))
                found[key, name] = (low.fun, -high.fun, target @ tables.values[name])
    return found


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_the_interval_audit_agrees_with_one_linear_programme_per_figure(data):
    width = data.draw(st.integers(2, 8))
    cell_sets = data.draw(
        st.lists(st.sets(st.integers(0, width - 1), min_size=1), min_size=2, max_size=10)
    )
    figures = [Figure(f"f{i}", cells) for i, cells in enumerate(cell_sets)]
    shown = {f.key for f in figures if data.draw(st.booleans())}
    values = {
        name: np.array(data.draw(st.lists(st.integers(0, 30), min_size=width, max_size=width)))
        for name in ("employees", "hours")
    }
    intervals = reference_intervals(figures, shown, values)
    empty = {f.key for f in figures if all(v[list(f.cells)].sum() == 0 for v in values.values())}
    for p in (0.05, 0.20, 0.50):
        exposed = {
            key
            for (key, _), (low, high, v) in intervals.items()
            if low >= v * (1 - p) - 1e-6 and high <= v * (1 + p) + 1e-6
        }
        result = audit(figures, shown, values, protection=p)
        assert result.exposed == exposed - empty
        for key, interval in result.intervals.items():
            low, high, _ = intervals[key, interval.measure]
            assert (interval.low, interval.high) == pytest.approx((low, high), abs=1e-6)


def test_in_span_of_few_agrees_with_the_elimination_on_random_tables():
    """The survey's "known from the totals" check (in_span_of_few, sparse targets, an
    SVD of a few rows) decides as in_row_space does, on random 0/1 tables with totals
    of each other's unions; and by hand: a total of two cells and one of them."""
    import scipy.sparse as sp  # noqa: PLC0415

    from hyrdash.lib.disclosure import in_span_of_few  # noqa: PLC0415

    known = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    targets = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    assert in_span_of_few(known, sp.csr_matrix(targets)).tolist() == [True, False, True, True]
    assert in_span_of_few(np.zeros((0, 3)), sp.csr_matrix(targets)).tolist() == [
        False,
        False,
        True,
        False,
    ]
    rng = np.random.default_rng(7)
    agreed = 0
    for _ in range(200):
        cells = int(rng.integers(2, 12))
        base = (rng.random((int(rng.integers(1, 5)), cells)) < 0.4).astype(float)
        known = np.vstack(
            [base, base[: int(rng.integers(0, len(base) + 1))].sum(axis=0, keepdims=True)]
        )
        combos = rng.integers(-1, 2, (6, len(known))) @ known
        noise = (rng.random((6, cells)) < 0.3).astype(float)
        targets = np.vstack([combos, noise, np.abs(combos) + noise])
        expected = in_row_space(known, targets)
        assert in_span_of_few(known, sp.csr_matrix(targets)).tolist() == expected.tolist()
        agreed += int(expected.sum())
    assert agreed > 200  # many targets in the span, not only outside it

"""The organisation's history without a database: where a planned move puts units
(history_moved), and whether a move from a month already shown reveals anything
(move_exposures), and what the restated figures must withhold more so that it reveals
nothing (move_withholding), on a hand-made sick-leave-like publication."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from hyrdash.lib.disclosure import Figure, ProtectionError, audit, protect
from kpis.organisation.history import Release, history_moved, move_exposures, move_withholding
from kpis.organisation.selectors import HISTORY_COLUMNS

START = pd.Period("1900-01", freq="M")
MONTH = pd.Period("2024-05", freq="M")

# unit -> (department, area, women, men). Area A: D0 = u5 (14 people), D1 = u1 + u2
# (3 + 9 = 12), D2 = u3 (20); area B: D3 = u4 (30).
UNITS = {
    1: ("D1", "A", 2, 1),
    2: ("D1", "A", 7, 2),
    3: ("D2", "A", 15, 5),
    4: ("D3", "B", 22, 8),
    5: ("D0", "A", 10, 4),
}
DEPARTMENT_AREA = {"D0": "A", "D1": "A", "D2": "A", "D3": "B", "D4": "B"}
LARGEST_HIDDEN = 10  # sick leave: no figure for a group of at most ten


def history(**moves) -> pd.DataFrame:
    """Every unit where UNITS puts it from the beginning; moves: u<id>=(department,
    from month)."""
    rows = [(u, START, 0, d, 0, a, "vård") for u, (d, a, *_sizes) in UNITS.items()]
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    for name, (department, month) in moves.items():
        placed = pd.DataFrame(
            [(int(name[1:]), 0, department, 0, DEPARTMENT_AREA[department], "vård")],
            columns=["unit_id", "department_id", "department", "area_id", "area", "care_type"],
        )
        frame = history_moved(frame, placed, pd.Period(month, freq="M"))
    return frame


def published(placements: pd.DataFrame, since: pd.Period) -> dict:
    """Sick leave in miniature for MONTH: microcells unit x gender (2u: women, 2u+1:
    men, values the employees), figures the administration, each area and department
    by total, women and men; groups of at most ten hidden, complements chosen by
    protect(); private: each unit's groups of at most ten."""
    if since > MONTH:
        return {}
    place = placements[placements["valid_from"] <= MONTH].groupby("unit_id").last()
    values = np.zeros(2 * max(UNITS) + 2)
    for unit, (_d, _a, women, men) in UNITS.items():
        values[2 * unit], values[2 * unit + 1] = women, men

    def cells(units, group):
        genders = {"total": (0, 1), "K": (0,), "M": (1,)}[group]
        return {2 * u + g for u in units for g in genders}

    nodes = {"hsf": list(UNITS)}
    for level in ("area", "department"):
        for unit in UNITS:
            nodes.setdefault(place.loc[unit, level], []).append(unit)
    figures = [Figure((node, g), cells(units, g)) for node, units in nodes.items()
               for g in ("total", "K", "M")]  # fmt: skip
    small = {f.key for f in figures if 0 < values[list(f.cells)].sum() <= LARGEST_HIDDEN}
    hidden = protect(figures, values, small, never_hide={("hsf", "total")})
    private = [Figure((f"u{u}", g), cells([u], g)) for u in UNITS for g in ("total", "K", "M")]
    private = [f for f in private if values[list(f.cells)].sum() <= LARGEST_HIDDEN]
    labels = {f.key: f"{f.key[0]} {f.key[1]}" for f in figures + private}
    shown = {f.key for f in figures} - hidden
    return {MONTH: Release(figures, values, shown, private, labels, sensitive=small)}


def test_a_move_starts_from_its_month_and_earlier_months_stay():
    moved = history(u1=("D2", "2024-05"))
    unit1 = moved[moved["unit_id"] == 1]
    assert unit1[["valid_from", "department"]].values.tolist() == [
        [START, "D1"],
        [MONTH, "D2"],
    ]
    assert len(moved) == len(UNITS) + 1


def test_a_second_move_from_an_earlier_month_replaces_the_later_ones():
    moved = history(u1=("D2", "2024-05"))
    again = history_moved(
        moved,
        pd.DataFrame(
            [(1, 0, "D3", 0, "B", "vård")], columns=HISTORY_COLUMNS[:1] + HISTORY_COLUMNS[2:]
        ),
        pd.Period("2024-03", freq="M"),
    )
    unit1 = again[again["unit_id"] == 1]
    assert unit1[["valid_from", "department"]].values.tolist() == [
        [START, "D1"],
        [pd.Period("2024-03", freq="M"), "D3"],
    ]


def test_a_move_back_to_where_the_unit_was_leaves_no_placement():
    moved = history(u1=("D2", "2024-05"))
    back = history_moved(
        moved,
        pd.DataFrame(
            [(1, 0, "D1", 0, "A", "vård")], columns=HISTORY_COLUMNS[:1] + HISTORY_COLUMNS[2:]
        ),
        MONTH,
    )
    assert len(back) == len(UNITS)
    assert back.loc[back["unit_id"] == 1, "department"].tolist() == ["D1"]


def test_a_new_unit_is_placed_from_the_beginning():
    new = pd.DataFrame(
        [(9, 0, "D4", 0, "B", "vård")], columns=HISTORY_COLUMNS[:1] + HISTORY_COLUMNS[2:]
    )
    placed = history_moved(history(), new, MONTH)
    assert placed.loc[placed["unit_id"] == 9, "valid_from"].tolist() == [START]


def test_moving_a_unit_of_3_out_of_a_department_of_12_in_a_shown_month_reveals_it():
    before = published(history(), MONTH)
    # Shown before: D1 (12) and D2 (20), so D1 after (9, hidden) = D1 before - u1 and
    # u1 (3) = D2 after - D2 before.
    assert ("D1", "total") in before[MONTH].shown and ("D2", "total") in before[MONTH].shown
    after = published(history(u1=("D2", "2024-05")), MONTH)
    assert ("D1", "total") not in after[MONTH].shown
    found = move_exposures(before, after)
    labels = {e.label for e in found}
    assert {e.month for e in found} == {MONTH}
    # u1's and D1's gender groups stay hidden: the gender splits were never shown.
    assert labels == {"u1 total", "D1 total"}


def test_the_same_move_from_a_month_not_yet_shown_has_nothing_to_audit():
    later = pd.Period("2024-06", freq="M")
    before = published(history(), later)
    after = published(history(u1=("D2", "2024-06")), later)
    assert before == after == {}
    assert move_exposures(before, after) == []


def test_moving_a_departments_only_unit_to_a_new_department_reveals_nothing():
    # D4 after is D3 before under another name: nothing new can be worked out.
    before = published(history(), MONTH)
    after = published(history(u4=("D4", "2024-05")), MONTH)
    assert after[MONTH].figures != before[MONTH].figures
    assert move_exposures(before, after) == []


def test_a_month_without_a_moved_microcell_is_not_audited(monkeypatch):
    from kpis.organisation import history as module

    def no_audit(*args, **kwargs):
        raise AssertionError("audited a month the move leaves unchanged")

    monkeypatch.setattr(module, "Tables", no_audit)
    release = published(history(), MONTH)
    assert move_exposures(release, published(history(), MONTH)) == []


@pytest.mark.parametrize("unit", [1, 2])
def test_a_small_unit_moved_to_another_area_is_refused_too(unit):
    before = published(history(), MONTH)
    after = published(history(**{f"u{unit}": ("D3", "2024-05")}), MONTH)
    assert f"u{unit} total" in {e.label for e in move_exposures(before, after)}


def test_a_unit_of_20_whose_small_group_stays_hidden_may_move():
    # u3 (15 women, 5 men) is D2 before and inside D3 after: its total of 20 may be
    # worked out (a group of more than ten), its 5 men may not, and cannot.
    before = published(history(), MONTH)
    after = published(history(u3=("D3", "2024-05")), MONTH)
    assert move_exposures(before, after) == []


def complement_releases(*, sensitive: frozenset = frozenset()) -> tuple[dict, dict]:
    """Unit a (100 employees) and b (6) are D1, c (6) is D2; b moves to D2. K (a care
    type: a alone) is a hidden complement. Shown before: D1 (106); after: D2 (12), D1
    (100) hidden. Together: a = 106 - b with 0 <= b <= 12, so a and K lie in [94, 106],
    within 20 % of 100, though no sum of shown figures gives them."""
    values = np.array([100.0, 6.0, 6.0])
    private = [Figure("ub", {1}), Figure("uc", {2})]
    labels = {"K": "K", "D1": "D1", "D2": "D2", "ub": "ub", "uc": "uc"}
    before = Release(
        [Figure("D1", {0, 1}), Figure("D2", {2}), Figure("K", {0})],
        values, {"D1"}, private, labels, sensitive={"D2"} | sensitive,
    )  # fmt: skip
    after = Release(
        [Figure("D1", {0}), Figure("D2", {1, 2}), Figure("K", {0})],
        values, {"D2"}, private, labels, sensitive=sensitive,
    )  # fmt: skip
    return {MONTH: before}, {MONTH: after}


def test_a_complement_narrowed_within_the_protection_level_is_no_exposure():
    # As protect() treats a complement (a large group): only its exact derivation would
    # give a small group away; the small groups (D2 before, b, c) keep [0, 12].
    assert move_exposures(*complement_releases()) == []


def test_a_sensitive_figure_narrowed_within_the_protection_level_is_an_exposure():
    found = move_exposures(*complement_releases(sensitive=frozenset({"K"})))
    assert {e.label for e in found} == {"K"}


# --- a move from a month shown: the restated figures hide more (move_withholding) --------


def joint_exposures(before: Release, after: Release) -> frozenset:
    """The independent audit (hyrdash.lib.disclosure.audit) over both releases and the
    units' small groups: every figure of both, shown where its release shows it. What
    it exposes (a complement only when it follows exactly) that the figures shown
    before expose on their own neither, nor a hidden figure over the same people as a
    shown one (a hidden after figure equal to one shown before is known)."""
    figures = [Figure(("före", f.key), f.cells) for f in before.figures]
    figures += [Figure(("efter", f.key), f.cells) for f in after.figures]
    figures += [Figure(("enhet", f.key), f.cells) for f in before.private]
    shown_before = {("före", k) for k in before.shown}
    shown = shown_before | {("efter", k) for k in after.shown}
    sensitive = {("före", k) for k in before.sensitive} | {("efter", k) for k in after.sensitive}
    sensitive |= {("enhet", f.key) for f in before.private}

    def exposed(shown: set) -> frozenset:
        result = audit(figures, shown, before.values)
        return result.disclosed | (result.nearly_disclosed & sensitive)

    cells = {f.key: f.cells for f in figures}
    known = {cells[key] for key in shown}
    new = exposed(shown) - exposed(shown_before)
    return frozenset(key for key in new if cells[key] not in known)


def value(release: Release, key) -> float:
    cells = next(f.cells for f in release.figures if f.key == key)
    return float(release.values[list(cells)].sum())


def test_a_move_that_would_reveal_a_unit_of_3_withholds_the_department_it_joins():
    before = published(history(), MONTH)[MONTH]
    after = published(history(u1=("D2", "2024-05")), MONTH)[MONTH]
    # Refused until now: D2 after (u1 + u3 = 23, shown) - D2 before (20) = u1 (3).
    assert {e.label for e in move_exposures({MONTH: before}, {MONTH: after})} == {
        "u1 total",
        "D1 total",
    }
    # The independent audit also names u2 (9), which is D1 after: D1 before (12) - u1.
    assert joint_exposures(before, after) == {
        ("enhet", ("u1", "total")),
        ("enhet", ("u2", "total")),
        ("efter", ("D1", "total")),
    }

    extra = move_withholding(before, after)

    # D2 after withheld: D1 after (9) + D2 after (23) = D1 + D2 before (32) is all that
    # is known of them, which splits u1 from nobody.
    assert extra == {("D2", "total")}
    published_after = dataclasses.replace(after, shown=set(after.shown) - extra)
    assert move_exposures({MONTH: before}, {MONTH: published_after}) == []
    assert joint_exposures(before, published_after) == frozenset()
    # Every figure still shown after the move is one shown before, with its value.
    assert {k: value(published_after, k) for k in published_after.shown} == {
        ("hsf", "total"): 76, ("hsf", "K"): 56, ("hsf", "M"): 20,
        ("A", "total"): 46, ("B", "total"): 30, ("D3", "total"): 30,
    }  # fmt: skip
    assert all(value(before, k) == value(published_after, k) for k in published_after.shown)
    assert published_after.shown <= before.shown


def test_nothing_more_is_withheld_when_the_move_reveals_nothing():
    before = published(history(), MONTH)[MONTH]
    after = published(history(u4=("D4", "2024-05")), MONTH)[MONTH]
    assert move_withholding(before, after) == frozenset()


def test_a_move_only_hiding_the_administrations_total_could_protect_is_impossible():
    # Made up (a move never changes the administration's total): a (3 people) leaves
    # the total, which was a + b (23) before and is b (20) after; the administration's
    # total is never withheld, so a = 23 - 20 cannot be protected.
    values = np.array([3.0, 20.0])
    labels = {("hsf", "total"): "total", ("b", "total"): "b", ("unit:a", "total"): "a"}
    before = Release(
        [Figure(("hsf", "total"), {0, 1}), Figure(("b", "total"), {1})],
        values, {("hsf", "total")}, [Figure(("unit:a", "total"), {0})], labels,
    )  # fmt: skip
    after = Release(
        [Figure(("hsf", "total"), {1}), Figure(("b", "total"), {1})],
        values, {("hsf", "total")}, [Figure(("unit:a", "total"), {0})], labels,
    )  # fmt: skip
    assert [e.label for e in move_exposures({MONTH: before}, {MONTH: after})] == ["a", "b"]
    with pytest.raises(ProtectionError):
        move_withholding(before, after)

"""hyrdash.suppression_tree: suppression over an organisation tree, including the derivation attacks.

The tree in most tests: hsf -> areas A, B -> departments -> units, sizes given per unit.
"""

from hyrdash.lib.suppression_tree import suppress_tree


def tree(units: dict[str, tuple[str, str, int]]):
    """sizes and children from {unit: (department, area, size)}."""
    sizes, children = {}, {"hsf": []}
    for unit, (department, area, size) in units.items():
        sizes[unit] = size
        for child, parent in ((area, "hsf"), (department, area), (unit, department)):
            if child not in children.setdefault(parent, []):
                children[parent].append(child)
            sizes[child] = sizes.get(child, 0) + (size if child != unit else 0)
    sizes["hsf"] = sum(size for _d, _a, size in units.values())
    return sizes, children


def derivable(sizes, children, hidden, threshold):
    """Every hidden group (or set of hidden groups) whose total an attacker can work out
    as a shown parent minus shown groups below it, and which has fewer than `threshold`
    members: the attack the rule must stop."""
    leaks = []

    def uncovered(key):
        if key not in hidden:
            return 0
        kids = children.get(key, [])
        if not kids:
            return sizes[key]
        return sizes[key] - sum(sizes[k] - uncovered(k) for k in kids)

    for parent, kids in children.items():
        if parent in hidden:
            continue
        open_kids = [k for k in kids if k in hidden and uncovered(k) > 0]
        total = sum(uncovered(k) for k in open_kids)
        if len(open_kids) == 1 or 0 < total < threshold:
            leaks.append((parent, open_kids, total))
    # A hidden group that equals the sum of shown children.
    for key in hidden:
        kids = [k for k in children.get(key, []) if sizes[k] > 0]
        if kids and sizes[key] > 0 and not any(k in hidden for k in kids):
            leaks.append((key, kids, sizes[key]))
    return leaks


def test_nothing_is_hidden_when_every_group_is_large_enough():
    sizes, children = tree({"u1": ("D1", "A", 10), "u2": ("D1", "A", 12), "u3": ("D2", "B", 9)})
    assert suppress_tree(sizes, children, threshold=5) == set()


def test_a_small_unit_takes_its_smallest_sibling_with_it():
    sizes, children = tree(
        {"u1": ("D1", "A", 3), "u2": ("D1", "A", 40), "u3": ("D1", "A", 20), "u4": ("D2", "A", 50)}
    )
    hidden = suppress_tree(sizes, children, threshold=5)
    # D1 (63) is shown: u1 alone would be D1 - u2 - u3; u3 (the smallest other) goes too.
    assert hidden == {"u1", "u3"}
    assert not derivable(sizes, children, hidden, 5)


def test_the_derivation_attack_parent_minus_the_shown_children_gets_nothing():
    # Index values are means; an attacker with the shown means and respondent counts
    # works out the hidden unit's sum as parent sum - shown sums. With the complement
    # hidden too, only the two units together can be worked out (23 people).
    sizes, children = tree({"u1": ("D1", "A", 3), "u2": ("D1", "A", 20), "u3": ("D1", "A", 30)})
    hidden = suppress_tree(sizes, children, threshold=5)
    assert hidden == {"u1", "u2"}
    shown_units = [u for u in ("u1", "u2", "u3") if u not in hidden]
    remainder = sizes["D1"] - sum(sizes[u] for u in shown_units)
    assert remainder == 23 and remainder >= 5


def test_two_hidden_children_must_together_reach_the_threshold():
    # u1 (2) and u2 (2) are both small: together 4 people, still fewer than 5.
    sizes, children = tree(
        {"u1": ("D1", "A", 2), "u2": ("D1", "A", 2), "u3": ("D1", "A", 30), "u4": ("D1", "A", 40)}
    )
    hidden = suppress_tree(sizes, children, threshold=5)
    assert hidden == {"u1", "u2", "u3"}
    assert not derivable(sizes, children, hidden, 5)


def test_a_departments_only_unit_is_hidden_with_its_department():
    # Area A: D1 has one unit of 3 (hidden), D2 has 40; the area (43) is shown, so D2 is
    # hidden to protect D1. D2's only unit u2 is the same 40 people: hidden too.
    sizes, children = tree({"u1": ("D1", "A", 3), "u2": ("D2", "A", 40), "u3": ("D3", "B", 50)})
    hidden = suppress_tree(sizes, children, threshold=5)
    assert {"D1", "u1", "D2", "u2"} <= hidden
    assert not derivable(sizes, children, hidden, 5)


def test_a_hidden_department_cannot_be_added_up_from_its_units():
    # Area A (shown): D1 (3) hidden; D2 (60 = u2 30 + u3 30) hidden as its complement.
    # Were u2 and u3 both shown, D2 = u2 + u3 and D1 = A - D2. One of them goes too.
    sizes, children = tree(
        {"u1": ("D1", "A", 3), "u2": ("D2", "A", 30), "u3": ("D2", "A", 31), "u4": ("D3", "B", 9)}
    )
    hidden = suppress_tree(sizes, children, threshold=5)
    assert {"D1", "u1", "D2", "u2"} <= hidden
    assert "u3" not in hidden
    assert not derivable(sizes, children, hidden, 5)


def test_uncovered_people_under_hidden_children_count_not_their_size():
    # Area A shown (D1 2, D2 52). D2 is hidden for D1; inside it u2 (2) is hidden, u3 (50)
    # shown. A - u3 = D1 + u2 = 4 people < 5: more must go.
    sizes, children = tree(
        {"u1": ("D1", "A", 2), "u2": ("D2", "A", 2), "u3": ("D2", "A", 50), "u4": ("D3", "B", 70)}
    )
    hidden = suppress_tree(sizes, children, threshold=5)
    assert not derivable(sizes, children, hidden, 5)
    assert "u3" in hidden


def test_a_unit_without_respondents_is_not_the_one_hidden_child():
    sizes, children = tree({"u1": ("D1", "A", 0), "u2": ("D1", "A", 12), "u3": ("D2", "A", 8)})
    hidden = suppress_tree(sizes, children, threshold=5)
    # u1 has nobody: nothing to protect, u2 is shown. D1 = u2 (same 12 people): shown alike.
    assert "u2" not in hidden and "D1" not in hidden
    assert "u1" in hidden  # no value (fewer than 5: none), but reveals nothing


def test_everything_is_hidden_under_a_small_administration():
    sizes, children = tree({"u1": ("D1", "A", 2), "u2": ("D2", "B", 2)})
    assert suppress_tree(sizes, children, threshold=5) == set(sizes)


def test_a_random_organisation_never_leaks():
    import random

    rng = random.Random(7)
    for _ in range(200):
        units = {}
        for i in range(rng.randint(1, 12)):
            area = f"A{rng.randint(1, 3)}"
            department = f"{area}-D{rng.randint(1, 3)}"
            units[f"u{i}"] = (department, area, rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 15, 40]))
        sizes, children = tree(units)
        hidden = suppress_tree(sizes, children, threshold=5)
        assert not derivable(sizes, children, hidden, 5), (units, hidden)
        assert all(sizes[k] >= 5 for k in sizes if k not in hidden and sizes[k] > 0)

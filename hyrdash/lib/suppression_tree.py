"""Suppression over a tree of nested groups (an organisation), for the employee survey.

The tree form of hyrdash.lib.suppression's breakdown rule: a survey value exists
for the administration, every area, department and unit at once, and an
attacker may subtract any shown group from any shown group above it. Kept in
a module of its own: the walk over the tree (what is *uncovered* below a
hidden group) is what this adds to the one-breakdown rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from hyrdash.lib.suppression import is_hidden


def suppress_tree(  # noqa: C901 (the tree walk's rules in one place; replaced by hyrdash.lib.disclosure)
    sizes: Mapping[Hashable, int | float | None],
    children: Mapping[Hashable, Sequence[Hashable]],
    *,
    threshold: int,
) -> set[Hashable]:
    """The groups to hide in a tree of nested groups, such as an organisation.

    `sizes` gives every group's number of members (a parent's is the sum of its
    children's); `children` maps each parent to its children. `suppress`'s rule
    on every parent of the tree at once, made safe for what lies below hidden
    children (the employee survey: hsf, areas, departments, units):

    - every group with fewer than `threshold` members is hidden;
    - a hidden group's *uncovered* members are those in no shown group under it:
      a shown ancestor minus the shown groups below it gives their total;
    - under a shown parent, the hidden children with uncovered members must be
      at least two and have at least `threshold` uncovered members together,
      else the smallest shown child with members is hidden too, again and
      again (ties broken by key); with no shown child left, the smallest shown
      group under the hidden children;
    - a hidden group none of whose children with members is hidden could be
      added up from them: its smallest child is hidden too. So a hidden group
      stays hidden wherever it appears again, such as a department's only unit.

    Groups only ever become hidden, so this ends. Each survey year is
    suppressed with its own tree (the units that had respondents that year).
    """

    def size(key) -> float:
        value = sizes.get(key)
        return 0.0 if value is None or value != value else float(value)

    def smallest(keys) -> Hashable:
        return min(keys, key=lambda key: (size(key), str(key)))

    hidden = {key for key in sizes if is_hidden(sizes[key], threshold=threshold)}
    order = _top_down(sizes, children)
    while True:
        uncovered: dict[Hashable, float] = {}
        for key in reversed(order):  # children before parents
            kids = children.get(key, ())
            covered = sum(size(k) if k not in hidden else size(k) - uncovered[k] for k in kids)
            uncovered[key] = size(key) - covered if kids else size(key)
        changed = False
        for key in order:
            kids = [child for child in children.get(key, ()) if size(child) > 0]
            if not kids:
                continue
            if key in hidden:
                if size(key) > 0 and not any(k in hidden for k in kids):
                    hidden.add(smallest(kids))
                    changed = True
                continue
            open_kids = [k for k in kids if k in hidden and uncovered[k] > 0]
            if open_kids and (
                len(open_kids) == 1 or sum(uncovered[k] for k in open_kids) < threshold
            ):
                shown = [k for k in kids if k not in hidden] or _shown_below(
                    open_kids, children, hidden, size
                )
                if shown:
                    hidden.add(smallest(shown))
                    changed = True
        if not changed:
            return hidden


def _shown_below(keys, children, hidden, size) -> list:
    """The shown groups with members right under hidden ones, below `keys` (all hidden)."""
    found, stack = [], list(keys)
    while stack:
        for child in children.get(stack.pop(), ()):
            if size(child) <= 0:
                continue
            if child in hidden:
                stack.append(child)
            else:
                found.append(child)
    return found


def _top_down(
    sizes: Mapping[Hashable, object], children: Mapping[Hashable, Sequence[Hashable]]
) -> list[Hashable]:
    """Every group of the tree, each parent before its children."""
    below = {child for kids in children.values() for child in kids}
    roots = [key for key in list(sizes) + list(children) if key not in below]
    order, seen = [], set()
    stack = list(reversed(list(dict.fromkeys(roots))))
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        order.append(key)
        stack.extend(reversed(list(children.get(key, ()))))
    return order

"""Small-group suppression, shared by sick leave (health data) and the employee survey.

Pure functions (numpy), no Django. A *breakdown* is a parent group (a total) split into
child groups (women/men, age bands, the units of a department). A child is
hidden when it has fewer members than the threshold (primary suppression).
When the parent is shown and exactly one child is hidden, that child could be
worked out as parent minus the shown children, so the smallest other child
with members is hidden too (complementary suppression).

Published tables often share cells: a department's total is a part of its
area and is itself split by gender and by age. `suppress_linked` applies the
rule to every breakdown of such a set of tables until no breakdown has a
single hidden cell, then checks with `disclosed` (linear algebra over all the
breakdowns at once) that no hidden value can be worked out by combining them.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence

import numpy as np


def is_hidden(size: int | float | None, *, threshold: int) -> bool:
    """A group is hidden when it has fewer than `threshold` members (unknown counts as 0)."""
    return size is None or size != size or size < threshold  # size != size: NaN


def suppress(
    sizes: Mapping[Hashable, int | float | None],
    *,
    threshold: int,
    parent_shown: bool = True,
    hidden: Collection[Hashable] = (),
) -> set[Hashable]:
    """The children of a breakdown to hide, given each child's number of members.

    - every child with fewer than `threshold` members is hidden;
    - if the parent is shown and exactly one child with members is hidden, the
      smallest other child with members is hidden too (ties broken by key
      order), so no hidden value equals parent minus the shown ones;
    - children with no members at all carry no value and never count as the
      one hidden child (there is nothing to reveal);
    - children in `hidden` are hidden already (by another breakdown they belong
      to) and count as hidden here too.
    """
    hidden = {key for key, size in sizes.items() if is_hidden(size, threshold=threshold)} | {
        key for key in hidden if key in sizes
    }
    with_members = {key for key, size in sizes.items() if size and size == size and size > 0}
    hidden_with_members = hidden & with_members
    if parent_shown and len(hidden_with_members) == 1:
        candidates = sorted(
            (key for key in with_members if key not in hidden),
            key=lambda key: (sizes[key], str(key)),
        )
        if candidates:
            hidden.add(candidates[0])
    return hidden


def suppress_linked(
    sizes: Mapping[Hashable, int | float | None],
    breakdowns: Iterable[tuple[Hashable, Sequence[Hashable]]],
    *,
    threshold: int,
) -> set[Hashable]:
    """The cells to hide in a set of tables that share cells.

    `sizes` gives each cell's number of members; each breakdown is
    (parent, children), the parent being the sum of its children (a total and
    its genders; the same total and its age bands; an area and its
    departments). Every cell with fewer than `threshold` members is hidden;
    then, until nothing changes, no breakdown may have exactly one hidden cell
    with members among its parent and children, since that one is the parent
    minus the others, or the sum of them:

    - a shown parent with one hidden child: `suppress` hides another child;
    - a parent hidden for another breakdown's sake while all its children are
      shown: the smallest child with members is hidden too.

    A cell hidden to protect one breakdown is hidden in every breakdown it
    belongs to, and protected there in turn. Last, `disclosed` checks the
    whole set of tables at once: a hidden cell that could still be worked out
    by combining several breakdowns gets the smallest shown child of one of
    its breakdowns hidden with it, and the rounds start again. Cells only grow
    hidden, so this ends; it may hide more than strictly needed.
    """
    pairs = [(parent, tuple(children)) for parent, children in breakdowns]
    hidden = {key for key, size in sizes.items() if is_hidden(size, threshold=threshold)}
    while True:
        _complete(sizes, pairs, hidden, threshold=threshold)
        extra = set()
        for cell in sorted(disclosed(sizes, pairs, hidden), key=str):
            extra |= _one_more(sizes, pairs, hidden | extra, cell)
        if not extra:
            return hidden
        hidden |= extra


def _complete(sizes, pairs, hidden: set, *, threshold: int) -> None:
    """Hide cells (in place) until no breakdown has a single hidden cell with members."""
    changed = True
    while changed:
        changed = False
        for parent, children in pairs:
            if parent not in hidden:
                if not any(child in hidden for child in children):
                    continue
                found = suppress(
                    {child: sizes.get(child) for child in children},
                    threshold=threshold,
                    hidden=hidden,
                )
            elif _has_members(sizes.get(parent)) and not any(
                child in hidden and _has_members(sizes.get(child)) for child in children
            ):
                found = _smallest(sizes, children, hidden)
            else:
                continue
            if not found <= hidden:
                hidden |= found
                changed = True


def _one_more(sizes, pairs, hidden: set, cell: Hashable) -> set:
    """One more cell to hide because `cell` can still be worked out: the smallest shown
    child with members of a breakdown `cell` belongs to (its own children first); else
    the parent of one; else the smallest shown cell of any breakdown with a hidden cell."""
    for parent, children in sorted(pairs, key=lambda pair: pair[0] != cell):
        if cell == parent or cell in children:
            found = _smallest(sizes, children, hidden)
            if found:
                return found
    parents = [parent for parent, children in pairs if cell in children]
    found = _smallest(sizes, parents, hidden)
    if found:
        return found
    touching = {
        key
        for parent, children in pairs
        if parent in hidden or any(child in hidden for child in children)
        for key in (parent, *children)
    }
    return _smallest(sizes, sorted(touching, key=str), hidden)


def _smallest(sizes, children, hidden) -> set:
    shown = [c for c in children if c not in hidden and _has_members(sizes.get(c))]
    return {min(shown, key=lambda key: (sizes[key], str(key)))} if shown else set()


def _has_members(size: int | float | None) -> bool:
    return bool(size) and size == size and size > 0  # size == size: not NaN


def disclosed(
    sizes: Mapping[Hashable, int | float | None],
    breakdowns: Iterable[tuple[Hashable, Sequence[Hashable]]],
    hidden: Collection[Hashable],
) -> set[Hashable]:
    """The hidden cells with members whose value follows from the shown ones.

    Every breakdown is an equation, parent − Σ children = 0, and the same
    equations hold for every figure of the cells (counts, hours). With the
    shown cells known, a hidden cell's value is determined exactly when its
    unit vector lies in the row space of the equations restricted to the
    hidden cells, that is when every vector of their null space is 0 there.
    (Bounds, such as a value being at least 0, are not considered.)
    """
    cells = sorted(set(hidden), key=str)
    if not cells:
        return set()
    column = {key: i for i, key in enumerate(cells)}
    rows = []
    for parent, children in breakdowns:
        row = np.zeros(len(cells))
        if parent in column:
            row[column[parent]] += 1.0
        for child in children:
            if child in column:
                row[column[child]] -= 1.0
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    _u, singular, vt = np.linalg.svd(np.array(rows))
    rank = int((singular > 1e-9 * max(1.0, singular[0])).sum())
    null = vt[rank:]
    fixed = np.abs(null).max(axis=0) < 1e-9 if len(null) else np.ones(len(cells), dtype=bool)
    return {key for key, i in column.items() if fixed[i] and _has_members(sizes.get(key))}

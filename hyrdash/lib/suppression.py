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
    """The cells to hide in a set of tables that share cells (see `LinkedBreakdowns`,
    which does the work and can be kept for many sets of sizes)."""
    return LinkedBreakdowns(breakdowns).suppress(sizes, threshold=threshold)


class LinkedBreakdowns:
    """Breakdowns that share cells, ready to suppress many sets of sizes (one per month).

    Each breakdown is (parent, children), the parent being the sum of its children
    (a total and its genders; the same total and its age bands; an area and its
    departments). `suppress` hides every cell with fewer than `threshold` members;
    then, until nothing changes, no breakdown may have exactly one hidden cell with
    members among its parent and children, since that one is the parent minus the
    others, or the sum of them:

    - a shown parent with one hidden child: `suppress` hides another child;
    - a parent hidden for another breakdown's sake while all its children are
      shown: the smallest child with members is hidden too.

    A cell hidden to protect one breakdown is hidden in every breakdown it belongs
    to, and protected there in turn. Then `disclosed` checks the whole set of
    tables at once: a small group (under the threshold, with members) that could
    still be worked out by combining several breakdowns gets the smallest shown
    child of one of its breakdowns hidden with it, and the rounds start again.
    Cells only grow hidden, so this ends. Last, the complements that turn out not
    to be needed (an early round cannot know what later ones hide) are shown
    again, largest first, as long as no small group can be worked out. (A cell
    hidden only as a complement may follow from the others; that is no secret:
    its group is large enough.)
    """

    def __init__(self, breakdowns: Iterable[tuple[Hashable, Sequence[Hashable]]]):
        self.pairs = [(parent, tuple(children)) for parent, children in breakdowns]
        cells = {cell for parent, children in self.pairs for cell in (parent, *children)}
        self.cells = sorted(cells, key=str)
        self.index = {cell: i for i, cell in enumerate(self.cells)}
        # One equation per breakdown: parent - sum(children) = 0.
        self.matrix = np.zeros((len(self.pairs), len(self.cells)))
        self.member_of: dict[Hashable, list[int]] = {cell: [] for cell in self.cells}
        for row, (parent, children) in enumerate(self.pairs):
            self.matrix[row, self.index[parent]] += 1.0
            self.member_of[parent].append(row)
            for child in children:
                self.matrix[row, self.index[child]] -= 1.0
                self.member_of[child].append(row)

    def suppress(
        self, sizes: Mapping[Hashable, int | float | None], *, threshold: int
    ) -> set[Hashable]:
        hidden = {key for key, size in sizes.items() if is_hidden(size, threshold=threshold)}
        hidden |= {cell for cell in self.cells if cell not in sizes}
        small = {key for key in hidden if _has_members(sizes.get(key))}
        while True:
            _complete(sizes, self.pairs, hidden, threshold=threshold)
            extra: set = set()
            for cell in sorted(self.disclosed(sizes, hidden) & small, key=str):
                extra |= _one_more(sizes, self.pairs, hidden | extra, cell)
            if not extra:
                break
            hidden |= extra
        if small:
            complements = [k for k in hidden if k not in small and _has_members(sizes.get(k))]
            for cell in sorted(complements, key=lambda key: (-sizes[key], str(key))):
                trial = hidden - {cell}
                if self._lone_small(sizes, trial, cell, small):
                    continue  # a breakdown of the cell would give a small group away
                if not self.disclosed(sizes, trial) & small:
                    hidden = trial
        return hidden

    def _lone_small(self, sizes, hidden: set, cell: Hashable, small: set) -> bool:
        """Whether a breakdown `cell` belongs to would have a small group as its only
        hidden cell with members (the quick half of the check)."""
        for row in self.member_of.get(cell, ()):
            parent, children = self.pairs[row]
            lone = [c for c in (parent, *children) if c in hidden and _has_members(sizes.get(c))]
            if len(lone) == 1 and lone[0] in small:
                return True
        return False

    def disclosed(
        self, sizes: Mapping[Hashable, int | float | None], hidden: Collection[Hashable]
    ) -> set[Hashable]:
        """`disclosed` for these breakdowns, with the equations built once."""
        cells = [c for c in self.cells if c in hidden and _has_members(sizes.get(c))]
        if not cells:
            return set()
        columns = self.matrix[:, [self.index[c] for c in cells]]
        columns = columns[np.any(columns != 0, axis=1)]
        if not len(columns):
            return set()
        return _determined(columns, cells)


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
    A hidden cell without members counts as known (0): an empty group hides
    nothing, so it cannot hide anything else either. (Bounds, such as a value
    being at least 0, are not considered.)
    """
    cells = sorted((key for key in set(hidden) if _has_members(sizes.get(key))), key=str)
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
    return _determined(np.array(rows), cells)


def _determined(matrix: np.ndarray, cells: list) -> set:
    """The cells (columns of `matrix`) whose unit vector is in the row space: in reduced
    row echelon form, those whose pivot row has no other entry."""
    echelon, pivots = _reduced_row_echelon(matrix)
    return {
        cells[column]
        for row, column in zip(echelon, pivots, strict=True)
        if np.count_nonzero(np.abs(row) > 1e-9) == 1
    }


def _reduced_row_echelon(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Gauss-Jordan elimination with partial pivoting: (the nonzero rows, pivot columns).

    Elementwise numpy only: a LAPACK SVD spends its time starting threads on a busy
    machine (5 s against 0.08 s for a month of the demo's sick leave).
    """
    rows = matrix.astype("float64")
    height, width = rows.shape
    pivots: list[int] = []
    top = 0
    for column in range(width):
        if top >= height:
            break
        best = top + int(np.argmax(np.abs(rows[top:, column])))
        if abs(rows[best, column]) < 1e-9:
            continue
        rows[[top, best]] = rows[[best, top]]
        rows[top] /= rows[top, column]
        others = np.abs(rows[:, column]) > 1e-12
        others[top] = False
        rows[others] -= np.outer(rows[others, column], rows[top])
        pivots.append(column)
        top += 1
    return rows[:top], pivots

"""Secondary (complementary) suppression: what to hide besides the primary figures.

`protect` starts from the primary figures (the caller's rule: sick leave
groups of at most ten employees, survey groups under five respondents) and
hides complementary figures greedily until `audit` finds no hidden figure
disclosed or nearly disclosed (see hyrdash.lib.disclosure.audit):

1. audit the block with everything but the hidden figures shown (the rank
   audit first; the bounds once nothing follows exactly any more);
2. for each exposed hidden figure (in the order of `figures`), find the shown
   figures exposing it: for an exact derivation, those of the derivation with
   the least sum of |coefficients|, which uses few figures (a linear programme);
   for a figure pinned by the bounds, those whose values bind its interval
   (the linear programme's dual values);
3. hide the cheapest of them that may be hidden (cost: `cost`, by default the
   figure's value in the first measure; ties: the earlier figure in `figures`),
   unless a figure hidden in this round is among them already; if none may be
   hidden, the cheapest that shares a microcell with them or the exposed one;
4. repeat until nothing is exposed.

Never hidden: the figures in `never_hide`, those in `previously_shown` (known
already), empty figures (they hide nothing) and figures that follow from those
(hiding them would be pointless). Figures only ever become hidden, each round
hides at least one more or raises `ProtectionError`, so this ends. Every hidden
figure must be protected, complements included: a complement that can be
worked out would usually give its primary away.

A figure found safe by the bounds stays safe as more figures are hidden (fewer
constraints only widen its interval), so each is put through the linear
programmes once.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from .audit import ZERO, AuditResult, Figure, Tables, Values, in_row_space, minimise_many


class ProtectionError(RuntimeError):
    """Some hidden figure stays exposed and nothing that may be hidden would help."""


def protect(
    figures: Sequence[Figure],
    values: Values,
    primary: Collection[Hashable],
    *,
    never_hide: Collection[Hashable] = (),
    cost: Mapping[Hashable, float] | None = None,
    previously_shown: Sequence[Figure] = (),
    protection: float = 0.20,
    bounded: Collection[Hashable] | None = None,
) -> set[Hashable]:
    """The keys of `figures` to hide: the primary ones and their complements.

    `values` are the microcell values as for `audit` (None: the rank audit only).
    `cost` ranks the candidates (default: a figure's value in the first measure,
    without values its number of microcells; ties go to the earlier figure in
    `figures`, so their order is the key order). `previously_shown` are figures published
    before over the same microcells (say a department as it was before a
    re-organisation): they take part in the audit as shown, with their values
    summed from the same microcells, and cannot be hidden now, so the new figures
    may have to hide more. Raises ValueError for unknown keys or a primary figure
    that must not be hidden, ProtectionError when no choice protects a figure.

    Every hidden figure is kept from exact derivation. `bounded` names the figures
    that must also keep their protection interval (the LP audit): None, every hidden
    figure; the caller's sensitive figures (sick leave: its primaries) otherwise. A
    complement of 160 people known within +/-20 % reveals nobody, as long as no
    primary can be narrowed that far, and bounding every complement would hide most
    of a table.
    """
    everything = [*figures, *previously_shown]
    tables = Tables(everything, values)
    keys = [figure.key for figure in figures]
    fixed = set(never_hide) | {figure.key for figure in previously_shown}
    unknown = (set(primary) | set(never_hide)) - set(keys)
    if unknown:
        raise ValueError(f"Figures that are not in the tables: {sorted(map(str, unknown))}")
    if set(primary) & fixed:
        clash = sorted(map(str, set(primary) & fixed))
        raise ValueError(f"Primary figures that must stay shown: {clash}")
    sizes = next(iter(tables.figure_values.values()), [len(f.cells) for f in everything])
    chooser = _Chooser(tables, fixed, dict(zip(tables.keys, sizes, strict=True)) | dict(cost or {}))
    hidden = set(primary)
    chooser.refuse_hopeless(hidden)
    safe: set[Hashable] = set()
    unbounded = set() if bounded is None else set(keys) - set(bounded)
    for _ in range(len(keys) + 1):
        shown = set(tables.keys) - hidden
        # The rank audit is cheap: the bounds wait until nothing follows exactly.
        result = tables.audit(shown, protection=protection, bounds=False)
        if not result.disclosed:
            result = tables.audit(shown, protection=protection, skip=safe | unbounded)
            if not result.exposed:
                return hidden
            safe |= result.safe
        hidden |= chooser.complements(result, hidden)
    raise AssertionError("unreachable: every round hides one more figure or raises")


class _Chooser:
    """Picks the complements: which figures may be hidden, and which is cheapest."""

    def __init__(self, tables: Tables, fixed: set, cost: Mapping[Hashable, float]):
        self.tables = tables
        self.rank = {key: (float(cost[key]), i) for i, key in enumerate(tables.keys)}
        # Fixed or empty, and whatever follows from those: hiding it cannot help.
        anchor = tables.empty.copy()
        anchor[[tables.index[key] for key in fixed]] = True
        follows = in_row_space(tables.matrix[anchor], tables.matrix)
        self.unhideable = {key for key, no in zip(tables.keys, anchor | follows, strict=True) if no}

    def refuse_hopeless(self, hidden: set) -> None:
        """Raise if a hidden figure with members follows from figures that stay shown."""
        hopeless = {
            key for key in hidden if key in self.unhideable and not self.tables.empty[self._i(key)]
        }
        if hopeless:
            raise ProtectionError(
                f"These figures follow from figures that must stay shown: {_names(hopeless)}"
            )

    def complements(self, result: AuditResult, hidden: set) -> set:
        """One more figure to hide for each exposed one not helped in this round already."""
        known = self.tables.known(set(self.tables.keys) - hidden)
        exposed = sorted(result.exposed, key=self._i)
        routes = self._routes([key for key in exposed if key not in result.intervals], known)
        added: set[Hashable] = set()
        for key in exposed:
            interval = result.intervals.get(key)
            witnesses = interval.binding if interval else routes[key]
            if witnesses & added:
                continue
            candidates = self._hideable(witnesses, hidden) or self._hideable(
                self._overlapping({key, *witnesses}), hidden
            )
            if not candidates:
                raise ProtectionError(
                    f"{key!r} can still be worked out and no figure that may be hidden helps."
                )
            added.add(min(candidates, key=self.rank.__getitem__))
        return added

    def _hideable(self, keys: Collection[Hashable], hidden: set) -> list:
        return [key for key in keys if key not in hidden and key not in self.unhideable]

    def _overlapping(self, keys: set) -> list:
        """The figures sharing a microcell with any of `keys` (a last resort when the
        relation found has nothing to hide)."""
        rows = self.tables.matrix[[self._i(key) for key in keys]].any(axis=0)
        return [self.tables.keys[i] for i in np.flatnonzero(self.tables.matrix @ rows)]

    def _routes(self, keys: list, known: np.ndarray) -> dict[Hashable, set]:
        """For each key (in the row space of the known figures), the known figures of
        its derivation with the least sum of |coefficients|, which uses few figures:
        minimise sum(u + w) subject to K'(u - w) = t, u, w >= 0."""
        if not keys:
            return {}
        matrix = self.tables.matrix[known].T
        targets = self.tables.matrix[[self._i(key) for key in keys]]
        rows = matrix.any(axis=1) | targets.any(axis=0)
        a = sp.csr_matrix(matrix[rows])
        n = a.shape[1]
        objectives = np.ones((len(keys), 2 * n))
        points, _ = minimise_many(sp.hstack([a, -a], format="csr"), objectives, targets[:, rows])
        used = np.abs(points[:, :n] - points[:, n:]) > ZERO
        return {
            key: {self.tables.keys[i] for i in known[row]}
            for key, row in zip(keys, used, strict=True)
        }

    def _i(self, key: Hashable) -> int:
        return self.tables.index[key]


def _names(keys: Collection[Hashable]) -> str:
    return ", ".join(sorted(map(repr, keys)))

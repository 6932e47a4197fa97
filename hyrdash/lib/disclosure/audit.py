"""The disclosure audit: which hidden figures can be worked out from the shown ones.

A *microcell* is the finest piece of data every published figure is a sum of
(sick leave: month x unit x gender x age band; survey: unit x question), and a
*figure* is the sum over a set of microcells: a 0/1 row over the microcells.
Each microcell holds one non-negative value per *measure* (sick leave:
employees, ordinary hours, sick hours; survey: answer count, score sum), so a
figure has one value per measure, the same row summing each.

An attacker knows the shown figures' values and that every microcell is >= 0.
For a hidden figure h with true value v:

- **disclosed**: h's row lies in the row space of the shown figures' rows (rank
  audit: h is a sum of shown figures with +/- coefficients, such as parent minus
  children, a care type minus the other departments, the difference of two R12
  windows), or the bounds below pin h to exactly v;
- **nearly disclosed**: in some measure, h's value minimised and maximised over
  all microcell values x >= 0 that give the shown figures their values (a
  linear programme, HiGHS) lies in [lo, hi] with lo >= v(1 - p) and
  hi <= v(1 + p), p being the protection level (0.20: +/-20 %). So a hidden
  figure counts as protected as soon as one of its bounds lies farther than
  p*v from v (tau-ARGUS's stricter rule asks that of both bounds). An interval
  narrower than 1e-7 times the measure's largest figure is a pin: disclosed.
  (That tolerance, for the solver's rounding, is the measure's own: one measure's
  large values, score sums say, never widen another's, answer counts.)

A figure that is 0 in every measure (an empty group, or one with no
microcells) hides nothing: it is never reported, and it counts as known to the
attacker (an empty group shows as empty), so it protects nothing either.
Without values only the rank audit runs and only figures with no microcells
are empty.

Microcells that lie in exactly the same figures are merged into one *atom*
first: every row is constant on them, so spans and bounds are unchanged.
Work per independent block (one month, one survey year); `blocks` splits
figures into groups that share no microcell.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

#: Entries below this are zero in the elimination; residuals above RESIDUAL are not.
ZERO = 1e-9
RESIDUAL = 1e-6
#: Nonzeros per linear programme when many hidden figures are bounded at once.
LP_SIZE = 200_000
#: Feasible points per measure looked for to prove many hidden figures safe at once.
DIRECTIONS = 6


@dataclass(frozen=True)
class Figure:
    """A published figure: `key` names it, `cells` are the microcells it sums (indices)."""

    key: Hashable
    cells: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self):
        cells = frozenset(int(cell) for cell in self.cells)
        if any(cell < 0 for cell in cells):
            raise ValueError(f"Figure {self.key!r}: microcell indices must be >= 0.")
        object.__setattr__(self, "cells", cells)


@dataclass(frozen=True)
class Interval:
    """Why a hidden figure is (nearly) disclosed: in `measure` its value lies in
    [low, high] (true value `value`), pinned by the shown figures in `binding`."""

    measure: str
    value: float
    low: float
    high: float
    binding: frozenset = frozenset()


@dataclass(frozen=True)
class AuditResult:
    """The hidden figures with members: `disclosed` (exactly), `nearly_disclosed`
    (within the protection level only), `safe` (neither). `intervals` gives the LP
    bounds of every figure found (nearly) disclosed by the bounds."""

    disclosed: frozenset
    nearly_disclosed: frozenset
    safe: frozenset
    intervals: Mapping[Hashable, Interval] = field(default_factory=dict)

    @property
    def exposed(self) -> frozenset:
        return self.disclosed | self.nearly_disclosed


Values = np.ndarray | Mapping[str, np.ndarray] | None


def audit(
    figures: Sequence[Figure],
    shown: Collection[Hashable],
    values: Values = None,
    *,
    protection: float = 0.20,
) -> AuditResult:
    """Audit one block of figures: which hidden ones (not in `shown`) are exposed.

    `values` is one array of microcell values (indexed by the microcells' indices),
    a mapping of measure name to such an array, or None for the rank audit alone.
    """
    return Tables(figures, values).audit(shown, protection=protection)


def blocks(figures: Iterable[Figure]) -> list[list[Figure]]:
    """The figures split into groups that share no microcell (in order of first
    figure); each group can be audited and protected on its own."""
    figures = list(figures)
    if not figures:
        return []
    rows = [i for i, figure in enumerate(figures) for _ in figure.cells]
    cells = [cell for figure in figures for cell in figure.cells]
    width = max(cells, default=-1) + 1
    # Figures and microcells as one bipartite graph: figure i is node i, cell c is n + c.
    n = len(figures)
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, np.add(cells, n))), shape=(n + width,) * 2)
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[Figure]] = {}
    for figure, label in zip(figures, labels[:n], strict=True):
        groups.setdefault(int(label), []).append(figure)
    return list(groups.values())


class Tables:
    """One block of figures over shared microcells, prepared once for many audits
    (`protect` audits the same figures after each complement it hides).

    `matrix` holds the figures' 0/1 rows over the atoms, `values[m]` the atoms'
    values per measure, `figure_values[m]` the figures', `empty` which figures
    are 0 in every measure (or have no microcells).
    """

    def __init__(self, figures: Sequence[Figure], values: Values = None):
        self.keys = [figure.key for figure in figures]
        self.index = {key: i for i, key in enumerate(self.keys)}
        if len(self.index) != len(self.keys):
            raise ValueError("Figure keys must be unique.")
        measures = _measures(values)
        width = max((max(f.cells) for f in figures if f.cells), default=-1) + 1
        for name, array in measures.items():
            if len(array) < width:
                raise ValueError(
                    f"Measure {name!r} has {len(array)} values for {width} microcells."
                )
        cells, atom_of = _atoms(figures)
        self.matrix = np.zeros((len(figures), int(atom_of.max(initial=-1)) + 1))
        for row, figure in enumerate(figures):
            self.matrix[row, atom_of[np.searchsorted(cells, sorted(figure.cells))]] = 1.0
        self.values = {
            name: np.bincount(atom_of, weights=array[cells], minlength=self.matrix.shape[1])
            for name, array in measures.items()
        }
        self.figure_values = {name: self.matrix @ atoms for name, atoms in self.values.items()}
        self.empty = ~self.matrix.any(axis=1)
        if self.values:
            self.empty |= np.all([v <= 0 for v in self.figure_values.values()], axis=0)

    def known(self, shown: Collection[Hashable]) -> np.ndarray:
        """Indices of the figures the attacker knows: the shown ones and the empty ones."""
        shown = set(shown)
        unknown = shown - self.index.keys()
        if unknown:
            raise ValueError(
                f"Shown figures that are not in the tables: {sorted(map(str, unknown))}"
            )
        mask = self.empty.copy()
        mask[[self.index[key] for key in shown]] = True
        return np.flatnonzero(mask)

    def audit(
        self,
        shown: Collection[Hashable],
        *,
        protection: float = 0.20,
        skip: Collection[Hashable] = (),
        bounds: bool = True,
    ) -> AuditResult:
        """Audit with `shown` shown and every other figure hidden. Hidden figures in
        `skip` get the rank audit only (`protect` passes those already found safe by
        the bounds: hiding more only widens the bounds); with `bounds` false, all do,
        and `safe` means only that a figure does not follow exactly."""
        if not 0 <= protection < 1:
            raise ValueError(f"The protection level is a fraction in [0, 1), not {protection}.")
        known = self.known(shown)
        targets = np.setdiff1d(np.flatnonzero(~self.empty), known)
        exact = in_row_space(self.matrix[known], self.matrix[targets])
        disclosed = {self.keys[i] for i in targets[exact]}
        intervals: dict[Hashable, Interval] = {}
        pinned: set[Hashable] = set()
        if self.values and bounds:
            skip = set(skip)
            lp = _Bounds(self, known, protection)
            rest = [i for i in targets[~exact] if self.keys[i] not in skip]
            for i, interval in lp.check(np.array(rest, dtype=np.int64)).items():
                intervals[self.keys[i]] = interval
            pinned = {
                key for key, iv in intervals.items() if _width(iv) <= lp.tolerances[iv.measure]
            }
        hidden = {self.keys[i] for i in targets}
        return AuditResult(
            disclosed=frozenset(disclosed | pinned),
            nearly_disclosed=frozenset(intervals.keys() - pinned),
            safe=frozenset(hidden - disclosed - intervals.keys()),
            intervals=intervals,
        )


class _Bounds:
    """The interval (LP) audit of hidden figures against the known figures `known`."""

    def __init__(self, tables: Tables, known: np.ndarray, protection: float):
        self.tables = tables
        self.known = known
        self.protection = protection
        matrix = tables.matrix[known]
        self.covered = matrix.any(axis=0)
        self.a_eq = sp.csr_matrix(matrix[:, self.covered])
        # Each measure's LP is its own: its rounding is relative to its own values.
        self.tolerances = {
            name: 1e-7 * max(1.0, float(v.max(initial=0.0)))
            for name, v in tables.figure_values.items()
        }

    def check(self, targets: np.ndarray) -> dict[int, Interval]:
        """For each target exposed in some measure, its narrowest interval. A figure
        with a microcell in no known figure is unbounded above: safe.

        All targets and measures go into two linear programmes (see `minimise_many`):
        one for feasible points that prove most of them safe at once, one for the
        minimum and maximum of the rest."""
        rows = self.tables.matrix[targets]
        targets = targets[~(rows.astype(bool) & ~self.covered).any(axis=1)]
        objectives = self.tables.matrix[targets][:, self.covered]
        names = list(self.tables.figure_values)
        values = np.array([self.tables.figure_values[name][targets] for name in names])
        b_eqs = np.array([self.tables.figure_values[name][self.known] for name in names])
        measure, target = np.nonzero(self._uncertified(objectives, values, b_eqs))
        both = np.vstack([objectives[target], -objectives[target]])
        points, duals = minimise_many(self.a_eq, both, np.vstack([b_eqs[measure]] * 2))
        reached = np.einsum("ij,ij->i", both, points)
        low, high = reached[: len(target)], -reached[len(target) :]
        found: dict[int, Interval] = {}
        for j, (m, t) in enumerate(zip(measure, target, strict=True)):
            v = values[m, t]
            tolerance = self.tolerances[names[m]]
            if low[j] >= v * (1 - self.protection) - tolerance and (
                high[j] <= v * (1 + self.protection) + tolerance
            ):
                binding = (np.abs(duals[j]) > ZERO) | (np.abs(duals[len(target) + j]) > ZERO)
                keys = frozenset(self.tables.keys[k] for k in self.known[binding])
                interval = Interval(names[m], float(v), float(low[j]), float(high[j]), keys)
                key = int(targets[t])
                if key not in found or _width(interval) < _width(found[key]):
                    found[key] = interval
        return found

    def _uncertified(self, objectives: np.ndarray, values: np.ndarray, b_eqs: np.ndarray):
        """Which (measure, target) pairs no cheap feasible point shows to be safe.

        One feasible x whose value for a target lies outside [v(1 - p), v(1 + p)]
        proves it safe in that measure. Per measure, DIRECTIONS points push all
        targets at once (all down, all up, then random signs; weights 1/v so that
        small figures move too); this settles most protected figures."""
        count = len(objectives)
        if not count:
            return np.zeros(values.shape, dtype=bool)
        rng = np.random.default_rng(0)
        signs = np.vstack(
            [np.ones(count), -np.ones(count), rng.choice([-1.0, 1.0], (DIRECTIONS - 2, count))]
        )
        weights = signs[None, :, :] / np.maximum(values, 1.0)[:, None, :]
        costs = (weights @ objectives).reshape(-1, objectives.shape[1])
        points, _ = minimise_many(self.a_eq, costs, np.repeat(b_eqs, DIRECTIONS, axis=0))
        reached = (points @ objectives.T).reshape(len(values), DIRECTIONS, count)
        tolerance = np.array(list(self.tolerances.values()))[:, None]
        low = (values * (1 - self.protection) - tolerance)[:, None, :]
        high = (values * (1 + self.protection) + tolerance)[:, None, :]
        return ~((reached < low) | (reached > high)).any(axis=1)


def minimise_many(
    a_eq: sp.csr_matrix, objectives: np.ndarray, b_eqs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise objectives[k] @ x over x >= 0 with a_eq @ x = b_eqs[k], for every k:
    (the minimising points, the dual values of the equalities), one row per k.

    The problems are solved together as one linear programme over independent
    copies of x (a block-diagonal matrix), in chunks of about LP_SIZE nonzeros:
    one call per problem would spend most of its time setting HiGHS up."""
    rows, columns = a_eq.shape
    points, duals = [np.zeros((0, columns))], [np.zeros((0, rows))]
    step = max(1, LP_SIZE // max(1, a_eq.nnz))
    for start in range(0, len(objectives), step):
        chunk = objectives[start : start + step]
        copies = len(chunk)
        result = linprog(
            chunk.ravel(),
            A_eq=sp.kron(sp.identity(copies, format="csr"), a_eq, format="csr"),
            b_eq=np.ravel(b_eqs[start : start + step]),
            bounds=(0, None),
            method="highs",
            options={"presolve": False},  # twice as fast on these small, sparse programmes
        )
        if result.status != 0:
            raise RuntimeError(f"A disclosure linear programme failed: {result.message}")
        points.append(result.x.reshape(copies, columns))
        duals.append(np.reshape(result.eqlin.marginals, (copies, rows)))
    return np.vstack(points), np.vstack(duals)


def _width(interval: Interval) -> float:
    return interval.high - interval.low


def in_span_of_few(known: np.ndarray, targets: sp.spmatrix) -> np.ndarray:
    """Whether each row of the sparse `targets` is a linear combination of the rows of
    `known`, a few dense rows (say a region's totals): `in_row_space` for when the
    targets are many and wide (a survey year's 25,000 figures over 30,000 cells would
    be 5.8 GiB dense there).

    The known rows' span gets an orthonormal basis (an SVD of a few rows); a target
    lies in the span when its squared length equals that of its projection on the
    basis, within RESIDUAL (0/1 rows: a target outside the span misses by far more).
    """
    targets = sp.csr_matrix(targets, dtype="float64")
    lengths = np.asarray(targets.multiply(targets).sum(axis=1)).ravel()
    if not len(known):
        return lengths <= RESIDUAL
    _u, singular, basis = np.linalg.svd(np.asarray(known, dtype="float64"), full_matrices=False)
    basis = basis[singular > max(singular.max(initial=0.0), 1.0) * 1e-10]
    projected = np.asarray(targets @ basis.T)
    return lengths - np.einsum("ij,ij->i", projected, projected) <= RESIDUAL


def in_row_space(known: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Whether each row of `targets` is a linear combination of the rows of `known`.

    Gaussian elimination of `known` with threshold pivoting, the sparsest eligible
    row first (small figures before their totals, which keeps the rows sparse),
    applying each step to the targets too: a target in the row space is reduced
    to zero. Only the rows that have an entry in the pivot column are touched, in
    elementwise numpy: LAPACK's threads cost more than they save on a busy machine
    (an SVD took 5 s against 0.08 s for a month of the demo's sick leave).
    """
    n = len(known)
    rows = np.vstack([known, targets]).astype("float64")
    live = np.ones(len(rows), dtype=bool)
    live[n:] = False  # targets are reduced, never pivots
    nnz = np.count_nonzero(rows, axis=1)
    for column in range(rows.shape[1]):
        entries = rows[:, column]
        touched = np.flatnonzero(np.abs(entries) > ZERO)
        candidates = touched[live[touched]]
        if not len(candidates):
            continue
        size = np.abs(entries[candidates])
        candidates = candidates[size >= 0.5 * size.max()]
        pivot = candidates[np.argmin(nnz[candidates])]
        live[pivot] = False
        others = touched[(touched != pivot) & (live[touched] | (touched >= n))]
        if len(others):
            rows[others] -= np.outer(entries[others] / entries[pivot], rows[pivot])
            block = rows[others]
            block[np.abs(block) <= ZERO] = 0.0
            rows[others] = block
            nnz[others] = np.count_nonzero(block, axis=1)
    return ~np.any(np.abs(rows[n:]) > RESIDUAL, axis=1)


def _measures(values: Values) -> dict[str, np.ndarray]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        values = {"value": values}
    measures = {}
    for name, array in values.items():
        array = np.asarray(array, dtype="float64")
        if array.ndim != 1 or not np.all(np.isfinite(array)) or np.any(array < 0):
            raise ValueError(f"Measure {name!r} must be one finite value >= 0 per microcell.")
        measures[str(name)] = array
    return measures


def _atoms(figures: Sequence[Figure]) -> tuple[np.ndarray, np.ndarray]:
    """The microcells in use (sorted) and each one's atom: microcells in exactly the
    same figures share an atom, numbered in order of first microcell."""
    members: dict[int, list[int]] = {}
    for row, figure in enumerate(figures):
        for cell in figure.cells:
            members.setdefault(cell, []).append(row)
    cells = np.array(sorted(members), dtype=np.int64)
    numbers: dict[tuple[int, ...], int] = {}
    atom_of = np.array(
        [numbers.setdefault(tuple(members[c]), len(numbers)) for c in cells.tolist()],
        dtype=np.int64,
    )
    return cells, atom_of

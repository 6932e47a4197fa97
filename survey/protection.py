"""Which survey values are hidden: the anonymity rule, made to hold under arithmetic.

Pure (numpy, pandas and hyrdash.lib.disclosure; no database). What a year publishes,
as figures over microcells, is survey.publication's `Publication`.

A published value (group, measure) is its figures together, shown or hidden
as one. Primary: 0 < respondents < the year's threshold. The figures fall into
independent blocks (an index tree, one respondent count, one eNPS class: no
microcell is shared between blocks). Each block is protected by
hyrdash.lib.disclosure.protect, the administration never hidden, and a value
hidden in one block is hidden in the others, again until nothing more is hidden
(`hidden_values`). The result is audited: in no block can a hidden figure be
worked out exactly, nor bound within the protection level (20 %), from the
shown ones and non-negativity.

Speed (README, "Anonymity"): protect() over a whole block of the demo (2 000
figures) takes seconds, so a block is first protected table by table, the way
statistical offices protect hierarchical tables (τ-ARGUS' modular method):
top-down, each group with its children, the group's figures fixed as decided
above, by rank; every table of a level in one protect() call. The whole block
is then audited, bounds included (`exposed_blocks`: the library's audit on the
block with the cells known outright substituted, the same answer on a smaller
problem), and where that finds something, protect() with the bounds runs over
the part of the tree around the exposed figures (`_repair`), then over the
whole block. A figure of a hidden value that follows from the administration's
figures and the empty ones alone is known whatever is hidden (`Block.public`):
it is not hidden in its block, as nothing could protect it. The decisions are
made at the import and kept on the batch (survey.selectors.hidden_values).

The questions (`hidden_values`): the measures are decided first, with each leaf
of an index tree one cell per unit as above. The questions then follow with those
decisions fixed: every question under a hidden index is hidden, except the only
question of its index anyone in the group answered, which is its index's value
(an alias, shown with it); a question with fewer answers than the threshold is
hidden; each index with its own questions (`ITEM` blocks: the index, shown where
it is, over one cell per unit and question) is protected like the other blocks,
so that neither its index less the shown questions nor a group less its shown
subgroups gives a hidden question away. Last, every index tree with its questions
is audited as one block, cells per unit and question (`Publication.joint`, the
attacker's view); what that finds exposed hides the questions of the exposed
groups and their siblings, and if that does not settle it, every question of the
tree (the measures, protected as such, are what is then left).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from hyrdash.lib.disclosure import Figure, ProtectionError, audit, protect

from .publication import (  # noqa: F401 (the names callers read as protection.*)
    CLASS,
    ENPS_CLASSES,
    ITEM,
    RESPONDENTS,
    VALUE,
    Block,
    Cell,
    Groups,
    Key,
    Publication,
    publication,
)

logger = logging.getLogger(__name__)

PROTECTION = 0.20
#: Part of the key of stored decisions: raise it when what is hidden would change.
# 2: the indices' questions are published (items), decided with the rest; 3: a tree still
# exposed after its questions are hidden withholds all but the administration's values.
VERSION = 3
REPAIRS = 3  # rounds of protect() over an area before the whole block
# Independent problems are solved and audited together (one set-up of the linear
# programmes instead of hundreds), but the audit's matrix is dense, figures x cells of
# all of them: a region's 300 units of 20 a department came to 25,777 x 30,000 (5.8
# GiB, an import killed for memory). So they go together only up to this many entries
# (about 64 MB a copy); the result is the same, as they share no cell.
JOINT_ENTRIES = 8_000_000


# --- what to hide -----------------------------------------------------------------------


def hidden_values(pub: Publication, *, threshold: int, protection: float = PROTECTION) -> set[Cell]:
    """The published values to hide: the primary ones and their complements, every
    figure of a hidden value hidden in its block, each block protected.

    First the measures (indices, respondents, eNPS classes), as if no question were
    published on its own (`_settle`). Then the questions of their own, the measures'
    decisions fixed: under a hidden index every question is hidden, and a hidden
    question hides the other questions of its index in its group (else the index less
    them gives it), but a question that is its shown index in a group (the only one
    anyone there answered: `Publication.aliases`) is shown with it; each question's
    table over the organisation protected like the others (`_settle` again). Last,
    every index tree with its questions is audited as one block (`_verified`)."""
    primary = pub.primary(threshold)
    measures = {cell for cell in primary if cell[1] not in pub.item_codes}
    hidden = _settle(pub, pub.blocks, measures, set(), protection, lambda values: values)
    if not pub.items:
        return hidden
    aliases = pub.aliases(hidden)
    for block in pub.items:
        # The index's values are decided: those shown stay shown, as do the aliases.
        block.fixed = frozenset(
            k
            for k in block.figure_keys()
            if pub.value_of[k] in aliases or (k[2] == block.name and pub.value_of[k] not in hidden)
        )

    def questions(values: set[Cell]) -> set[Cell]:
        return pub.with_questions(values, aliases)

    hidden = _settle(pub, pub.items, primary - measures, hidden, protection, questions)
    return _verified(pub, hidden, aliases, protection)


def _settle(pub: Publication, blocks: Sequence[Block], primary, start, protection, closure):
    """Protect `blocks`: the `primary` values hidden, and `start` (hidden already), each
    value hidden in one block hidden in the others, with what `closure` adds, until
    nothing more is hidden.

    Each round takes the blocks whose hidden values changed (the leading ones first:
    the respondent counts of an index follow its values), hides nothing more in
    those the audit finds safe already, and protects the others."""
    hidden = closure(start | primary)
    decided: dict[int, set] = {}  # block -> its figures hidden (protected)
    protector = _Protector(protection)
    own = [{k for k in block.figure_keys() if pub.value_of[k] in primary} for block in blocks]
    while True:
        todo = {}
        for number, block in enumerate(blocks):
            wanted = {k for k in block.figure_keys() if pub.value_of[k] in hidden}
            tied = {k for k in wanted if pub.value_of[k] not in primary}
            wanted -= block.public(tied - decided.get(number, set()), wanted)
            if wanted != decided.get(number, set()):
                todo[number] = wanted
        todo = {n: w for n, w in todo.items() if blocks[n].leads} or todo
        if not todo:
            return hidden
        # Blocks with a primary figure not yet protected need protect(); the others
        # (hiding what other blocks hid) are often safe already: audited first.
        fresh = {n for n, w in todo.items() if n in decided or not w & own[n]}
        check = [n for n in todo if n in fresh]
        found = exposed_blocks(
            [blocks[n] for n in check], [todo[n] for n in check], protection=protection
        )
        for number, exposure in zip(check, found, strict=True):
            if not exposure:
                decided[number] = todo.pop(number)
        chosen = protector.blocks([blocks[n] for n in todo], list(todo.values()))
        decided.update(zip(todo, chosen, strict=True))
        hidden = closure(hidden | {pub.value_of[key] for n in todo for key in decided[n]})


class StillExposedError(Exception):
    """Something would be exposed even with every value of its index trees (`trees`)
    withheld but the administration's (survey.services refuses the import with it)."""

    def __init__(self, trees: Sequence[str]):
        self.trees = list(trees)
        super().__init__(f"Still exposed with all but the administration hidden: {self.trees}")


def _joint_exposures(pub: Publication, hidden: set[Cell], protection) -> list[set]:
    """The audit of every index tree with its questions as one block, `hidden` withheld:
    per block of `pub.joint` its exposed figures."""
    wanted = []
    for block in pub.joint:
        keys = {k for k in block.figure_keys() if pub.value_of[k] in hidden}
        wanted.append(keys - block.public(keys, keys))
    return exposed_blocks(pub.joint, wanted, protection=protection)


def _verified(pub: Publication, hidden: set[Cell], aliases: set[Cell], protection) -> set[Cell]:
    """The audit of every index tree with its questions as one block (`Publication.joint`):
    where it finds a figure exposed, the questions of the exposed figures' groups and
    their siblings are hidden, at most REPAIRS rounds, then every question of the tree
    (but the aliases): what is left are the measures, protected as such.

    If a tree is exposed even then, every value of its groups but the administration's
    is withheld (indices, respondent counts, eNPS, questions, aliases too) and the tree
    is audited again; if that still finds something, StillExposedError: the import is
    refused (survey.services.protection_store). Withholding first, rather than refusing at once: the administration's
    values are shown whatever else is hidden (a figure that follows from them and the
    empty ones alone is known anyway, `Block.public`), so with everything else of the
    tree withheld nothing can be worked out, and the year's other trees and the
    administration's figures can still be published; only if that fails too, which
    the audit says it cannot, is nothing published rather than something exposed."""
    for attempt in range(REPAIRS + 2):
        found = _joint_exposures(pub, hidden, protection)
        if not any(found):
            return hidden
        if attempt > REPAIRS:
            break
        more = set()
        for block, exposures in zip(pub.joint, found, strict=True):
            if not exposures:
                continue
            codes = [c for c in block.codes if c in pub.item_codes]
            groups = set(block.groups.order)
            if attempt < REPAIRS:
                groups = set()
                for _kind, group, _code in exposures:
                    parent = next(
                        (g for g, kids in block.groups.children.items() if group in kids), None
                    )
                    groups |= {group, *block.groups.children.get(parent, [])}
            logger.info(
                "Survey questions of %s: %s exposed, questions of %s groups hidden.",
                block.name,
                len(exposures),
                len(groups),
            )
            more |= {(g, c) for g in groups for c in codes if pub.respondents.get((g, c), 0) > 0}
        hidden = pub.with_questions(hidden | (more - aliases), aliases)
    exposed = [block for block, exposures in zip(pub.joint, found, strict=True) if exposures]
    logger.error(
        "Survey questions: %s still exposed after hiding every question; every value of "
        "their groups but the administration's is withheld.",
        ", ".join(block.name for block in exposed),
    )
    everything = {
        pub.value_of[key]
        for block in exposed
        for key in block.figure_keys()
        if key[1] != block.groups.total and pub.respondents.get(pub.value_of[key], 0) > 0
    }
    hidden = pub.with_questions(hidden | everything)  # aliases too: their index is hidden
    still = [
        b.name
        for b, e in zip(pub.joint, _joint_exposures(pub, hidden, protection), strict=True)
        if e
    ]
    if still:
        raise StillExposedError(still)
    return hidden


@dataclass
class _Table:
    """A group and its children in one block: figures over the children's cells."""

    keys: list[Key]
    cells: list[list[int]]
    values: list[np.ndarray]
    primary: set
    fixed: set  # the group's figures shown above: never hidden here
    cost: dict

    @property
    def memo(self) -> tuple:
        return (self.keys[0], frozenset(self.primary), frozenset(self.fixed))


class _Protector:
    """Complements table by table (a group and its children), top-down, every block's
    tables of one level of the organisation in one protect() call per number of
    measures; then the audit of each block, and protect() over the whole of a block
    it finds exposed. Tables already protected with the same figures hidden and fixed
    are not protected again."""

    def __init__(self, protection: float):
        self.protection = protection
        self.memo: dict[tuple, set | None] = {}

    def blocks(self, blocks: Sequence[Block], primaries: Sequence[set]) -> list[set]:
        """Table by table; where the audit of a block then finds a figure exposed
        (across levels: a complement bound by its shown units, say), protect() over
        the exposed figures' areas (`_repair`); if that does not settle it, over the
        whole block."""
        hidden = [set(primary) for primary in primaries]
        ok = self._by_tables(blocks, hidden)
        found = exposed_blocks(blocks, hidden, protection=self.protection)
        for number, block in enumerate(blocks):
            if not hidden[number] or (ok[number] and not found[number]):
                continue
            repaired = self._repair(block, hidden[number], found[number]) if ok[number] else None
            if repaired is None:
                logger.info("Survey block %s %s: protected as a whole.", block.kind, block.name)
                repaired = _whole(block, hidden[number], self.protection)
            hidden[number] = repaired
        return hidden

    def _repair(self, block: Block, hidden: set, exposures: set) -> set | None:
        """protect() over the part of the tree around the exposed figures, audited again,
        at most REPAIRS times; None when that does not settle it. The part: the
        administration, the areas, the departments of the exposed figures' areas and the
        units of their departments (`_region`): every relation of the tables above and
        below them, so what the administration minus the other areas, or a department
        less its shown units, gives is seen."""
        for _round in range(REPAIRS):
            region = _region(block.groups, {key[1] for key in exposures})
            if region is None:
                return None
            keys = [block.key(g, c) for c in block.codes for g in region]
            figures = [Figure(key, block.cells(key[1], key[2])) for key in keys]
            fixed = ({block.key(block.groups.total, c) for c in block.codes} | block.fixed) - hidden
            fixed &= set(keys)
            try:
                hidden = hidden | protect(
                    figures,
                    block.values,
                    hidden.intersection(keys),
                    never_hide=fixed,
                    cost=block.cost,
                    protection=self.protection,
                )
            except ProtectionError:
                return None
            exposures = exposed(block, hidden, protection=self.protection)
            if not exposures:
                return hidden
        return None

    def _by_tables(self, blocks: Sequence[Block], hidden: list[set]) -> list[bool]:
        """A table that cannot be protected below its group's shown figures hides
        those and the pass starts again; at the top, its block is marked not ok."""
        ok = [True] * len(blocks)
        if not blocks:
            return ok
        levels = _levels(blocks[0].groups)
        for _attempt in range(sum(len(h) for h in hidden) + len(blocks[0].groups.order)):
            if not any(self._level(blocks, level, hidden, ok) for level in levels):
                return ok
        return [False] * len(blocks)

    def _level(self, blocks, parents: list[str], hidden: list[set], ok: list[bool]) -> bool:
        """Protect every block's tables of these groups; True when one had to hide its group."""
        tables = {}
        for number, block in enumerate(blocks):
            for parent in parents if ok[number] else ():
                table = _table(block, parent, hidden[number])
                if table is not None:
                    tables[(number, parent)] = table
        again = False
        for (number, parent), keys in self._protect_tables(tables).items():
            if keys is not None:
                hidden[number] |= keys
            else:
                codes = {key[2] for key in tables[(number, parent)].primary}
                # The group's own figures (never one the block keeps shown).
                fixed = {
                    k
                    for k in tables[(number, parent)].fixed - blocks[number].fixed
                    if k[1] == parent
                }
                if parent == blocks[number].groups.total or not fixed:
                    ok[number] = False
                    continue
                hidden[number] |= {k for k in fixed if k[2] in codes} or fixed
                again = True
        return again

    def _protect_tables(self, tables: dict) -> dict:
        """protect() over independent tables at once; None for one that cannot be."""
        found = {name: self.memo[t.memo] for name, t in tables.items() if t.memo in self.memo}
        by_measures: dict[int, dict] = {}
        for name, table in tables.items():
            if name not in found:
                by_measures.setdefault(len(table.values), {})[name] = table
        for tables_alike in by_measures.values():
            for group in _chunks(tables_alike, lambda t: (len(t.keys), len(t.values[0]))):
                try:
                    hidden = _protect_joint(list(group.values()), self.protection)
                except ProtectionError:
                    if len(group) > 1:
                        for name, table in group.items():
                            found.update(self._protect_tables({name: table}))
                        continue
                    hidden = None
                for name, table in group.items():
                    found[name] = None if hidden is None else hidden.intersection(table.keys)
                    self.memo[table.memo] = found[name]
        return found


def _region(groups: Groups, exposed_groups: set[str]) -> list[str] | None:
    """The administration, the areas, the departments of the areas of `exposed_groups`
    and the units of their departments (None when the administration is among them)."""
    parent = {kid: group for group in groups.order for kid in groups.children[group]}
    areas, departments = set(), set()
    for group in exposed_groups:
        path = [group]
        while path[-1] in parent:
            path.append(parent[path[-1]])
        if len(path) < 2:
            return None
        areas.add(path[-2])
        if len(path) >= 3:
            departments.add(path[-3])
    region = [groups.total, *groups.children[groups.total]]
    for area in sorted(areas):
        region += groups.children[area]
    for department in sorted(departments):
        region += groups.children[department]
    return list(dict.fromkeys(region))


def _levels(groups: Groups) -> list[list[str]]:
    """The groups with children by depth: the administration, the areas, the departments."""
    depth = {groups.total: 0}
    levels: list[list[str]] = []
    for group in groups.order:
        kids = groups.children[group]
        for kid in kids:
            depth[kid] = depth[group] + 1
        if kids:
            while len(levels) <= depth[group]:
                levels.append([])
            levels[depth[group]].append(group)
    return levels


def _table(block: Block, parent: str, hidden: set) -> _Table | None:
    """The table of a group and its children (their units' cells added up per child)."""
    kids = block.groups.children[parent]
    keys, cells = [], []
    for code in block.codes:
        parts = block.parts[code]
        keys.append(block.key(parent, code))
        cells.append([j * block.width + p for j in range(len(kids)) for p in parts])
        for j, kid in enumerate(kids):
            keys.append(block.key(kid, code))
            cells.append([j * block.width + p for p in parts])
    primary = hidden.intersection(keys)
    if not primary:
        return None
    members = [block.groups.members[kid] for kid in kids]
    values = [
        np.stack([array.reshape(-1, block.width)[m].sum(axis=0) for m in members]).ravel()
        for array in block.values.values()
    ]
    # A cell with nothing in it that is a figure on its own (a child's leaf measure)
    # is known to be empty: out of every figure, so empty figures have no cells.
    zero = ~np.any(values, axis=0)
    known = {c[0] for c in cells if len(c) == 1 and zero[c[0]]}
    if known:
        cells = [[c for c in figure if c not in known] for figure in cells]
    fixed = ({block.key(parent, code) for code in block.codes} | block.fixed) - hidden
    fixed &= set(keys)
    cost = {key: block.cost[key] for key in keys}
    return _Table(keys, cells, values, primary, fixed, cost)


def _protect_joint(tables: list[_Table], protection: float) -> set:
    figures, values = _joint((t.keys, t.cells, t.values) for t in tables)
    return protect(
        figures,
        None,  # by rank: the block's audit and _repair bring the bounds in
        set().union(*(t.primary for t in tables)),
        never_hide=set().union(*(t.fixed for t in tables)),
        cost={k: v for t in tables for k, v in t.cost.items()} or None,
        protection=protection,
    )


def _joint(problems: Iterable[tuple[list, list, list[np.ndarray]]]):
    """Independent problems (keys, cells per figure, values per measure) as one: each
    one's cells after the previous ones', measures matched by position."""
    figures, columns, offset = [], [], 0
    for keys, cells, values in problems:
        figures += [
            Figure(key, np.asarray(c, dtype=np.int64) + offset)
            for key, c in zip(keys, cells, strict=True)
        ]
        columns.append(values)
        offset += len(values[0])
    names = [f"m{i}" for i in range(len(columns[0]))]
    return figures, {
        name: np.concatenate([values[i] for values in columns]) for i, name in enumerate(names)
    }


def _whole(block: Block, primary: set, protection: float) -> set:
    total = ({block.key(block.groups.total, code) for code in block.codes} | block.fixed) - primary
    try:
        return protect(
            block.figures(),
            block.values,
            primary,
            never_hide=total,
            cost=block.cost,
            protection=protection,
        )
    except ProtectionError:
        logger.warning("Survey block %s %s: all but the total hidden.", block.kind, block.name)
        return set(block.figure_keys()) - total


# --- the audit of a block ---------------------------------------------------------------


def exposed(block: Block, hidden: Iterable[Key], *, protection: float = PROTECTION) -> set:
    """The hidden figures of the block that the audit finds disclosed or nearly disclosed,
    with every other figure of the block shown (see `exposed_blocks`)."""
    return exposed_blocks([block], [set(hidden)], protection=protection)[0]


def exposed_blocks(
    blocks: Sequence[Block], hidden: Sequence[set], *, protection: float = PROTECTION
) -> list[set]:
    """Per block, what hyrdash.lib.disclosure.audit over the whole block finds exposed,
    computed on a smaller problem and for all blocks in one audit per number of measures.

    A cell alone in a shown figure (after the cells known so far are taken out), or in a
    figure that is empty, is known; the known cells lying in the same unsettled
    figures become one cell with one shown figure of its own. The attacker loses
    nothing by it (those cells are known to them) and every figure keeps its value,
    so the bounds and the protection level are the same. A hidden figure made of
    known cells only is disclosed.
    """
    found = [set() for _ in blocks]
    problems: dict[int, list] = {}
    shown: set = set()
    owner: dict = {}
    for number, block in enumerate(blocks):
        if not hidden[number]:
            continue
        closed, problem = _reduced(block, hidden[number], number)
        found[number] |= closed
        if problem is not None:
            problems.setdefault(len(problem[2]), []).append(problem)
            shown |= {key for key in problem[0] if key not in hidden[number]}
            owner.update(dict.fromkeys(problem[0], number))
    for alike in problems.values():
        numbered = dict(enumerate(alike))
        for group in _chunks(numbered, lambda p: (len(p[0]), len(p[2][0]))):
            figures, values = _joint(group.values())
            for key in audit(
                figures, shown & {f.key for f in figures}, values, protection=protection
            ).exposed:
                found[owner[key]].add(key)
    return found


def _chunks(problems: dict, size) -> list[dict]:
    """`problems` (independent: no cell in common) in their order, in groups whose joint
    dense matrix (figures x cells, `size(problem)` gives a problem's) stays within
    JOINT_ENTRIES; a problem larger than that alone."""
    groups: list[dict] = []
    figures = cells = 0
    for name, problem in problems.items():
        rows, columns = size(problem)
        if groups and (figures + rows) * (cells + columns) <= JOINT_ENTRIES:
            groups[-1][name] = problem
            figures, cells = figures + rows, cells + columns
        else:
            groups.append({name: problem})
            figures, cells = rows, columns
    return groups


def _reduced(block: Block, hidden: set, number: int):
    """(hidden figures made of known cells, the reduced problem or None)."""
    keys = block.figure_keys()
    matrix = block.incidence
    values = list(block.values.values())
    is_shown = np.array([key not in hidden for key in keys])
    empty = ~np.stack([(matrix @ array) > 0 for array in values]).any(axis=0)
    known = _known_cells(matrix, is_shown, empty)
    is_open = (matrix @ (~known).astype(float)) > 0
    closed = {keys[i] for i in np.flatnonzero(~is_shown & ~empty & ~is_open)}
    open_rows = np.flatnonzero(is_open)
    if not (~is_shown[open_rows]).any():
        return closed, None
    sub = matrix[open_rows].tocsc()
    in_open = np.diff(sub.indptr) > 0
    unknown = np.flatnonzero(~known & in_open)
    known_cells = np.flatnonzero(known & in_open)
    signature: dict[tuple, int] = {}
    new_id = np.full(matrix.shape[1], -1, dtype=np.int64)
    new_id[unknown] = np.arange(len(unknown))
    for cell in known_cells:
        rows = tuple(sub.indices[sub.indptr[cell] : sub.indptr[cell + 1]].tolist())
        new_id[cell] = len(unknown) + signature.setdefault(rows, len(signature))
    width = len(unknown) + len(signature)
    used = new_id >= 0
    reduced = [np.bincount(new_id[used], weights=a[used], minlength=width) for a in values]
    rows = sub.tocsr()
    cells = [
        new_id[rows.indices[rows.indptr[i] : rows.indptr[i + 1]]] for i in range(len(open_rows))
    ]
    names = [keys[row] for row in open_rows]
    names += [("known", block.kind, block.name, i) for i in range(len(signature))]
    cells += [[len(unknown) + i] for i in range(len(signature))]
    return closed, (names, cells, reduced)


def _known_cells(matrix: sp.csr_matrix, shown: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """Cells the attacker knows: in an empty figure, or alone in a shown figure once
    the known cells are taken out (repeated until nothing changes)."""
    known = np.zeros(matrix.shape[1], dtype=bool)
    known[matrix[np.flatnonzero(empty)].indices] = True
    rows = matrix[np.flatnonzero(shown & ~empty)].tocsr()
    while True:
        unknown = rows.multiply(~known[None, :]).tocsr()
        unknown.eliminate_zeros()
        single = np.flatnonzero(np.diff(unknown.indptr) == 1)
        fresh = unknown[single].indices
        if not len(fresh) or known[fresh].all():
            return known
        known[fresh] = True

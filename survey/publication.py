"""What a survey year publishes, as figures over microcells: the input of the anonymity
rule (survey.protection).

Pure (numpy, pandas; no database). A survey year
publishes, for every group of its organisation (the administration, areas,
departments, units: survey.results.Tree) and every measure of its
questionnaire, a value and its number of respondents. Those numbers are sums
over *microcells*, the finest pieces of the year's data:

- an index (HME and its sub-indices, HSE, an outcome question, a dimension and
  its themes) publishes score_sum / answers over the unit x question cells of
  its group's units and its questions: `VALUE` figures with the measures
  answers and score_sum. The questions of a leaf of the index tree (a
  sub-index, a theme, HSE's nine) lie in exactly the same figures, so they are
  one cell per unit (the audit merges such cells anyway); a parent with
  questions outside its children has one more cell per unit for those. An
  index's cells are its parts' cells, whoever skipped what: "Arbetssituation
  och hälsa" minus "Arbete och privatliv" is "Stress";
- each index and the response rate publish respondents, the people who
  answered at least one of its questions (`RESPONDENTS` figures, one cell per
  unit: respondent counts add up over units, not over questions);
- eNPS publishes its shares and its respondents, that is the numbers of
  promoters, passives and critics (`CLASS` figures, one cell per unit and class);
- each question of an index published on its own (the per-question results:
  survey.questionnaires.Spec.items, measures of kind question) publishes its
  score_sum / answers, its respondents being its answers: figures over its
  unit x question cells, which split its index's cells question by question.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from hyrdash.lib.disclosure import Figure, in_span_of_few

from . import metrics

if TYPE_CHECKING:  # survey.results imports survey.protection, which imports this module
    from .results import Tree

VALUE, RESPONDENTS, CLASS, ITEM = "value", "respondents", "class", "item"
ENPS_CLASSES = ("promoters", "passives", "critics")

Cell = tuple[str, str]  # a published value: (group, measure)
Key = tuple[str, str, str]  # a figure: (kind, group, measure code or eNPS class)


@dataclass(frozen=True)
class Groups:
    """The year's groups in order (administration, areas, departments, units), each
    one's units (positions 0..n-1 of the tree's units) and children."""

    order: list[str]
    members: dict[str, np.ndarray]
    children: dict[str, list[str]]
    unit_ids: np.ndarray

    @property
    def total(self) -> str:
        return self.order[0]

    def below(self, group: str) -> list[str]:
        """The group and every group under it, parents first."""
        found, stack = [], [group]
        while stack:
            key = stack.pop()
            found.append(key)
            stack.extend(reversed(self.children[key]))
        return found

    @classmethod
    def of(cls, tree: Tree) -> Groups:
        units = tree.units
        positions = np.arange(len(units))
        total = next(key for key in tree.children if key not in tree.parent)
        order, members = [total], {total: positions}
        for level in ("area", "department", "unit"):
            for key, where in units.groupby(level, sort=True).indices.items():
                members[key] = positions[where]
                order.append(key)
        children = {key: [k for k in tree.children.get(key, []) if k in members] for key in order}
        return cls(order, members, children, units.index.to_numpy())


@dataclass
class Block:
    """Figures sharing microcells, and none with another block's figures.

    Figure (kind, group, code) sums the cells unit * width + part for the group's
    units and the code's parts; `values` holds each measure per cell."""

    kind: str
    codes: list[str]  # VALUE: the index tree's measures; else one code (an eNPS class)
    parts: dict[str, list[int]]
    width: int
    values: dict[str, np.ndarray]
    groups: Groups
    cost: dict[Key, float] | None = None
    name: str = ""
    leads: bool = True  # False: protected after the blocks that lead (see hidden_values)
    fixed: frozenset = frozenset()  # figures shown whatever else is hidden (besides totals)

    def key(self, group: str, code: str) -> Key:
        return (self.kind, group, code)

    def figure_keys(self) -> list[Key]:
        return self._keys

    @cached_property
    def _keys(self) -> list[Key]:
        return [self.key(g, c) for c in self.codes for g in self.groups.order]

    @cached_property
    def _index(self) -> dict[Key, int]:
        return {key: i for i, key in enumerate(self._keys)}

    def cells(self, group: str, code: str) -> np.ndarray:
        members = self.groups.members[group]
        return (members[:, None] * self.width + np.asarray(self.parts[code])).ravel()

    def figures(self) -> list[Figure]:
        return [
            Figure(self.key(g, c), self.cells(g, c)) for c in self.codes for g in self.groups.order
        ]

    @cached_property
    def incidence(self) -> sp.csr_matrix:
        """The figures' 0/1 rows over the cells, in the order of `figure_keys`."""
        rows, columns = [], []
        for row, (code, group) in enumerate((c, g) for c in self.codes for g in self.groups.order):
            cells = self.cells(group, code)
            rows.append(np.full(len(cells), row))
            columns.append(cells)
        shape = (len(self.codes) * len(self.groups.order), len(self.groups.unit_ids) * self.width)
        data = np.ones(sum(len(c) for c in columns))
        return sp.csr_matrix((data, (np.concatenate(rows), np.concatenate(columns))), shape=shape)

    @cached_property
    def empty(self) -> np.ndarray:
        """Which figures (in the order of `figure_keys`) are 0 in every measure."""
        sums = [self.incidence @ array for array in self.values.values()]
        return ~np.any(np.stack(sums) > 0, axis=0)

    def public(self, keys: Iterable[Key], hidden: set) -> set[Key]:
        """Of `keys`, those known from the administration's figures (but those in `hidden`)
        and the empty figures alone: whatever else is hidden, anyone can work them out
        (the whole region's passives in one group, say), so hiding them protects
        nothing and they count as known."""
        totals = [self._index[self.key(self.groups.total, c)] for c in self.codes]
        totals = tuple(i for i in totals if self._keys[i] not in hidden)
        known = self.__dict__.setdefault("_public", {}).setdefault(totals, {})
        fresh = [key for key in keys if key not in known]
        if fresh:
            # The empty figures' cells are known to be 0: out of every row; what is left
            # of a target must be a combination of the totals.
            matrix = self.incidence
            live = np.ones(matrix.shape[1], dtype=bool)
            live[np.unique(matrix[np.flatnonzero(self.empty)].indices)] = False
            rows = matrix[list(totals)][:, live].toarray()
            targets = matrix[[self._index[key] for key in fresh]][:, live]
            known.update(zip(fresh, in_span_of_few(rows, targets).tolist(), strict=True))
        return {key for key in keys if known[key]}


@dataclass
class Publication:
    """Every figure a survey year publishes, in blocks, and the value each belongs to."""

    groups: Groups
    blocks: list[Block]
    value_of: dict[Key, Cell]
    respondents: dict[Cell, int]
    items: list[Block] = field(default_factory=list)  # one per question of its own
    joint: list[Block] = field(default_factory=list)  # index trees over unit x question
    below: dict[str, list[str]] = field(default_factory=dict)  # index -> items under it
    leaf_items: dict[str, list[str]] = field(default_factory=dict)  # index -> its own items
    complete: set[str] = field(default_factory=set)  # indices whose answers are their items'

    def primary(self, threshold: int) -> set[Cell]:
        """The values with fewer respondents than the threshold (and some)."""
        return {cell for cell, n in self.respondents.items() if 0 < n < threshold}

    @cached_property
    def item_codes(self) -> set[str]:
        return {code for codes in self.leaf_items.values() for code in codes}

    def with_questions(self, values: set[Cell], shown: set[Cell] = frozenset()) -> set[Cell]:
        """`values` and, for every hidden index in them, its questions in the same group
        (at any depth below it), but those in `shown`."""
        found = set(values)
        for group, code in values:
            related = self.below.get(code, [])
            found.update(
                (group, item)
                for item in related
                if self.respondents.get((group, item), 0) > 0 and (group, item) not in shown
            )
        return found

    def aliases(self, hidden: set[Cell]) -> set[Cell]:
        """Questions that are their shown index in a group: the only question of it
        anyone there answered. Shown with the index, never hidden on their own."""
        found = set()
        for leaf, codes in self.leaf_items.items():
            if leaf not in self.complete:
                continue
            for group in self.groups.order:
                if (group, leaf) in hidden:
                    continue
                answered = [c for c in codes if self.respondents.get((group, c), 0) > 0]
                if len(answered) == 1:
                    found.add((group, answered[0]))
        return found


# --- the figures ------------------------------------------------------------------------


def publication(sums: pd.DataFrame, tree: Tree, measures: Sequence[metrics.Measure]) -> Publication:
    """The figures of a year: `sums` as stored (unit id, measure, SUM_COLUMNS), `tree` the
    year's organisation, `measures` its questionnaire's (survey.questionnaires.Spec)."""
    groups = Groups.of(tree)
    questions_of_their_own = {m.code for m in measures if m.kind == metrics.QUESTION}
    measures = _stored(sums, measures)
    builder = _Builder(groups, sums)
    children: dict[str, list[metrics.Measure]] = {}
    items: dict[str, list[metrics.Measure]] = {}
    for measure in measures:
        if measure.kind == metrics.QUESTION:
            items.setdefault(measure.parent, []).append(measure)
        elif measure.parent:
            children.setdefault(measure.parent, []).append(measure)
    for measure in measures:
        if measure.kind == metrics.ENPS:
            builder.enps(measure.code)
        elif measure.kind != metrics.QUESTION:  # a question's respondents are its answers
            # An index's respondents follow its values: where those are protected, the
            # same groups hidden protect the counts from exact derivation too.
            builder.respondents(measure.code, leads=measure.kind != "index")
        if measure.kind == "index" and not measure.parent:
            builder.index_tree(measure, children)
            if _has_items(measure, children, items):
                builder.index_tree(measure, children, items)
    for leaf, questions in items.items():
        builder.index_tree(_measure(measures, leaf), {}, {leaf: questions}, kind=ITEM)
    return Publication(
        groups,
        builder.blocks,
        builder.value_of,
        builder.counts,
        items=builder.items,
        joint=builder.joint,
        **_question_maps(measures, children, items, questions_of_their_own),
    )


def _question_maps(measures, children: Mapping, items: Mapping, of_their_own: set) -> dict:
    """Publication's below, leaf_items and complete."""

    def below(code: str) -> list[str]:
        found = [item.code for item in items.get(code, [])]
        for kid in children.get(code, []):
            found += below(kid.code)
        return found

    return {
        "below": {m.code: below(m.code) for m in measures if m.kind == "index"},
        "leaf_items": {leaf: [i.code for i in its] for leaf, its in items.items()},
        # Every question of it is a question of its own (those nobody answered are not
        # stored): a group's answers to it are its questions' answers.
        "complete": {
            leaf
            for leaf in items
            if set(_measure(measures, leaf).questions) <= of_their_own and not children.get(leaf)
        },
    }


def _stored(sums: pd.DataFrame, measures: Sequence[metrics.Measure]) -> list[metrics.Measure]:
    """The measures with stored sums. A stored measure the questionnaire no longer lists,
    and a question whose index is not stored, are protected as indices of their own."""
    present = list(dict.fromkeys(sums["measure"])) if len(sums) else []
    known = {m.code for m in measures}
    measures = [m for m in measures if m.code in present] + [
        metrics.Measure(
            code, code, code if code in (metrics.ENPS, metrics.RESPONSE_RATE) else "index"
        )
        for code in present
        if code not in known
    ]
    codes = {m.code for m in measures}
    return [
        metrics.Measure(m.code, m.label, "index", m.questions, m.section)
        if m.kind == metrics.QUESTION and m.parent not in codes
        else m
        for m in measures
    ]


def _measure(measures: Sequence[metrics.Measure], code: str) -> metrics.Measure:
    return next(m for m in measures if m.code == code)


def _has_items(root: metrics.Measure, children: Mapping, items: Mapping) -> bool:
    return root.code in items or any(
        _has_items(k, children, items) for k in children.get(root.code, [])
    )


class _Builder:
    def __init__(self, groups: Groups, sums: pd.DataFrame):
        self.groups = groups
        self.blocks: list[Block] = []
        self.items: list[Block] = []  # ITEM blocks
        self.joint: list[Block] = []  # index trees with their questions (the audit)
        self.value_of: dict[Key, Cell] = {}
        self.by_measure = {
            code: rows.set_index("unit")[metrics.SUM_COLUMNS].reindex(groups.unit_ids, fill_value=0)
            for code, rows in sums.groupby("measure", sort=False)
        }
        # Every group's respondents of every measure: groups x units times units x measures.
        rows = [np.full(len(groups.members[g]), i) for i, g in enumerate(groups.order)]
        columns = [groups.members[g] for g in groups.order]
        membership = sp.csr_matrix(
            (np.ones(sum(map(len, columns))), (np.concatenate(rows), np.concatenate(columns))),
            shape=(len(groups.order), len(groups.unit_ids)),
        )
        codes = list(self.by_measure)
        per_unit = np.zeros((len(groups.unit_ids), len(codes)))
        for j, code in enumerate(codes):
            per_unit[:, j] = self.column(code, "respondents")
        totals = np.rint(membership @ per_unit).astype(np.int64)
        self.counts = {
            (group, code): int(totals[i, j])
            for i, group in enumerate(groups.order)
            for j, code in enumerate(codes)
        }

    def column(self, code: str, column: str) -> np.ndarray:
        """A sum column of a measure per unit position (0 where nobody answered)."""
        return self.by_measure[code][column].to_numpy(dtype="float64")

    def add(self, block: Block, measure_of: Mapping[str, str], into: list | None = None) -> None:
        """Register a block. Every figure costs its value's respondents (the smallest
        group is the cheapest complement), the same in every block, so blocks with
        the same primary values choose the same complements."""
        block.cost = {}
        for code in block.codes:
            for group in self.groups.order:
                key = block.key(group, code)
                self.value_of[key] = cell = (group, measure_of[code])
                block.cost[key] = self.counts[cell]
        (self.blocks if into is None else into).append(block)

    def respondents(self, code: str, *, leads: bool) -> None:
        values = {"respondents": self.column(code, "respondents")}
        block = Block(RESPONDENTS, [code], {code: [0]}, 1, values, self.groups, name=code)
        block.leads = leads
        self.add(block, {code: code})

    def enps(self, code: str) -> None:
        for name in ENPS_CLASSES:
            values = {"count": self.column(code, name)}
            block = Block(CLASS, [name], {name: [0]}, 1, values, self.groups, name=name)
            self.add(block, {name: code})

    def index_tree(
        self,
        root: metrics.Measure,
        children: Mapping[str, list],
        items: Mapping[str, list] | None = None,
        *,
        kind: str = VALUE,
    ) -> None:
        """One block for an index and everything under it (sub-indices, themes). With
        `items`, the questions of their own too, each its own cell per unit: the
        whole tree (VALUE, named items:<index>; the block the result is audited
        with), or (ITEM) an index and its questions only, protected with the index's
        values fixed."""
        answers: list[np.ndarray] = []
        scores: list[np.ndarray] = []
        parts: dict[str, list[int]] = {}

        def own_cell(code: str, less: Sequence[str]) -> int:
            """A cell per unit: the measure's sums less those of `less` (its parts)."""
            own_answers = self.column(code, "answers")
            own_scores = self.column(code, "score_sum")
            for other in less:
                own_answers = own_answers - self.column(other, "answers")
                own_scores = own_scores - self.column(other, "score_sum")
            answers.append(np.maximum(own_answers, 0))
            scores.append(np.maximum(own_scores, 0))
            return len(answers) - 1

        def visit(measure: metrics.Measure) -> list[int]:
            kids = children.get(measure.code, [])
            questions = (items or {}).get(measure.code, [])
            mine = [part for kid in kids for part in visit(kid)]
            for question in questions:
                parts[question.code] = [own_cell(question.code, [])]
                mine += parts[question.code]
            covered = {q for kid in [*kids, *questions] for q in kid.questions}
            if not kids and not questions or set(measure.questions) - covered:
                # Its own questions: its sums minus its parts'.
                mine.append(own_cell(measure.code, [k.code for k in [*kids, *questions]]))
            parts[measure.code] = sorted(mine)
            return mine

        visit(root)
        values = {
            "answers": np.column_stack(answers).ravel(),
            "score_sum": np.column_stack(scores).ravel(),
        }
        name = root.code if items is None or kind == ITEM else f"items:{root.code}"
        block = Block(kind, list(parts), parts, len(answers), values, self.groups, name=name)
        into = self.blocks if items is None else self.items if kind == ITEM else self.joint
        block.leads = kind != ITEM
        self.add(block, {code: code for code in parts}, into)

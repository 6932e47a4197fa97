"""The attacker's view of a published survey year, built from the respondents' answers.

Independent of survey.protection: every value the pages publish (every group x every
measure, with its respondents) as figures over microcells made here from the answers
themselves, one cell per unit x question (answers, score sum), per unit x measure
(respondents) and per unit x eNPS class (count), then hyrdash.lib.disclosure.audit
over each independent block of the union, the hidden values hidden. A question
published on its own (a measure of kind question, survey.questionnaires.Spec.items)
is a figure over its unit x question cells like an index of one question; its
respondents are its answers, which that figure holds.

A hidden value's part that follows from the administration's figures and the empty
figures alone (the whole region's passives in one unit, say) is known from the
administration's own figures whatever is hidden: counted as known (`public`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hyrdash.lib.disclosure import Figure, audit, blocks, in_row_space
from survey import metrics, results

CLASSES = {"promoters": (9, 10), "passives": (7, 8), "critics": (0, 6)}


@dataclass
class Union:
    figures: list[Figure]
    values: dict[str, np.ndarray]  # per kind of cell: value, respondents, class
    measures: dict[str, tuple[str, ...]]  # kind -> its measures
    kind_of: dict  # figure key -> kind
    value_of: dict  # figure key -> (group, measure) on the page

    def only(self, *, groups=None, measures=None) -> Union:
        """The figures of some groups and measures (all when None)."""
        keep = [
            f
            for f in self.figures
            if (groups is None or self.value_of[f.key][0] in groups)
            and (measures is None or self.value_of[f.key][1] in measures)
        ]
        return Union(keep, self.values, self.measures, self.kind_of, self.value_of)


class _Cells:
    def __init__(self):
        self.index: dict = {}
        self.columns: dict[str, list[float]] = {}

    def add(self, name, **values) -> int:
        number = self.index.setdefault(name, len(self.index))
        for measure, value in values.items():
            column = self.columns.setdefault(measure, [])
            column.extend([0.0] * (number + 1 - len(column)))
            column[number] = float(value)
        return number

    def arrays(self) -> dict[str, np.ndarray]:
        width = len(self.index)
        return {m: np.array(c + [0.0] * (width - len(c))) for m, c in self.columns.items()}


def members(tree: results.Tree) -> dict[str, list[int]]:
    """Every group's unit ids, from the tree's children."""
    found: dict[str, list[int]] = {}
    unit_ids = {key: uid for uid, key in tree.units["unit"].items()}

    def walk(key: str) -> list[int]:
        kids = tree.children.get(key, [])
        found[key] = [unit_ids[key]] if key in unit_ids else [u for k in kids for u in walk(k)]
        return found[key]

    walk(results.HSF)
    return found


def union(
    answers: pd.DataFrame,
    units: pd.Series,
    tree: results.Tree,
    measures: list[metrics.Measure],
    reversed_codes=(),
) -> Union:
    """The union of every published table: answers (respondents x question codes, NaN
    when not answered) and each respondent's unit id."""
    units = pd.Series(units.to_numpy(), index=answers.index)
    cells = _Cells()
    _question_cells(
        cells, answers, units, tree, _enps_codes(measures, answers.columns), reversed_codes
    )
    _respondent_cells(cells, answers, units, tree, measures)
    published = Union(
        [],
        {},
        {"value": ("answers", "score_sum"), "n": ("respondents",), "class": ("count",)},
        {},
        {},
    )

    def publish(kind, group, code, measure, cell_names):
        key = (kind, group, code)
        published.figures.append(Figure(key, {cells.index[name] for name in cell_names}))
        published.kind_of[key], published.value_of[key] = kind, (group, measure)

    for measure in measures:
        codes = [c for c in measure.questions if c in answers.columns]
        for group, uids in members(tree).items():
            if measure.kind == metrics.ENPS:
                for name in CLASSES if codes else ():  # no eNPS in the file: nothing
                    publish("class", group, name, measure.code, [("class", u, name) for u in uids])
                continue
            if measure.kind == metrics.QUESTION:
                names = [("q", u, c) for u in uids for c in codes]
                publish("value", group, measure.code, measure.code, names)
                continue
            publish("n", group, measure.code, measure.code, [("n", u, measure.code) for u in uids])
            if measure.kind == "index":
                names = [("q", u, c) for u in uids for c in codes]
                publish("value", group, measure.code, measure.code, names)
    published.values = cells.arrays()
    return published


def _question_cells(cells, answers, units, tree, enps, reversed_codes) -> None:
    """One cell per unit x question (answers, score sum); per unit x eNPS class (count)."""
    unit_ids = list(tree.units.index)
    indexed = [c for c in answers.columns if c not in enps]
    answered = answers[indexed].notna().groupby(units).sum().reindex(unit_ids, fill_value=0)
    scores = metrics.scores(answers[indexed], reversed_codes)
    scored = scores.fillna(0).groupby(units).sum().reindex(unit_ids, fill_value=0)
    for uid in unit_ids:
        for code in indexed:
            cells.add(
                ("q", uid, code),
                answers=answered.at[uid, code],
                score_sum=scored.at[uid, code],
            )
    for code in enps:
        for name, (low, high) in CLASSES.items():
            counts = answers[code].between(low, high).groupby(units).sum()
            counts = counts.reindex(unit_ids, fill_value=0)
            for uid in unit_ids:
                cells.add(("class", uid, name), count=counts.at[uid])


def _respondent_cells(cells, answers, units, tree, measures) -> None:
    """One cell per unit x measure: those who answered one of its questions at least."""
    unit_ids = list(tree.units.index)
    for measure in measures:
        codes = [c for c in measure.questions if c in answers.columns]
        if measure.kind == metrics.QUESTION:
            continue  # its respondents are its answers
        if measure.kind == metrics.RESPONSE_RATE:
            counts = units.value_counts()
        else:
            counts = answers[codes].notna().any(axis=1).groupby(units).sum()
        counts = counts.reindex(unit_ids, fill_value=0)
        for uid in unit_ids:
            cells.add(("n", uid, measure.code), respondents=counts.at[uid])


def _enps_codes(measures, columns) -> set[str]:
    """The eNPS question, when the answers have it."""
    return {c for m in measures if m.kind == metrics.ENPS for c in m.questions if c in columns}


def exposed(published: Union, table: pd.DataFrame, *, protection: float = 0.20) -> dict:
    """Audit the union with the values whose status is hidden hidden: per block, the
    hidden figures found disclosed or nearly disclosed (nothing: an empty dict)."""
    hidden_values = set(table.index[table["status"] == results.HIDDEN])
    found = {}
    for block in blocks(published.figures):
        kind = published.kind_of[block[0].key]
        values = {m: published.values[m] for m in published.measures[kind]}
        hidden = {f.key for f in block if published.value_of[f.key] in hidden_values}
        if not hidden:
            continue
        hidden -= public(block, values, hidden)
        result = audit(block, {f.key for f in block} - hidden, values, protection=protection)
        if result.exposed:
            found[block[0].key] = (result, hidden)
    return found


def public(block: list[Figure], values: dict[str, np.ndarray], hidden: set) -> set:
    """The hidden figures that follow from the administration's (shown) figures and the
    cells of empty figures alone."""
    width = max(max(f.cells) for f in block if f.cells) + 1
    sums = {f.key: [values[m][list(f.cells)].sum() for m in values] for f in block}
    empty = [f for f in block if not any(v > 0 for v in sums[f.key])]
    zero = sorted({c for f in empty for c in f.cells})
    rows = [f for f in block if f.key[1] == results.HSF and f.key not in hidden]
    known = np.zeros((len(rows) + len(zero), width))
    for i, f in enumerate(rows):
        known[i, list(f.cells)] = 1
    known[np.arange(len(zero)) + len(rows), zero] = 1
    targets = [f for f in block if f.key in hidden]
    matrix = np.zeros((len(targets), width))
    for i, f in enumerate(targets):
        matrix[i, list(f.cells)] = 1
    return {f.key for f, yes in zip(targets, in_row_space(known, matrix), strict=True) if yes}

"""Which sick-leave figures may be published (ÅRL 5 kap. 18 a §), month by month.

The law: no sick-leave figure for a group of at most ten employees, nor where it can be
attributed to an individual; arithmetic counts as attribution. So a month's published
figures are modelled as sums over microcells and protected together
(hyrdash.lib.disclosure):

- **microcells**: the month's rows as sick leave is stored and summed (department x care
  type x gender x age band of the organisation as it was that month); every published
  figure is a sum of them, and no figure splits them further, so they are the finest
  pieces an attacker can reach;
- **measures**: employees, ordinary hours and the three kinds of sick hours: each is
  published (employees and hours in the tables and CSV, the rates from them), so each is
  audited;
- **figures**: every scope sick leave is published for (the administration, each area,
  department and care type) x every group (total, K, M, each age band);
- **primary**: a figure of 1 to `max_hidden` employees (settings.SICK_LEAVE_MAX_HIDDEN_GROUP,
  10 by the law); an empty figure has no value and hides nothing; and the figures
  withheld after a move restated the month (kpis.WithheldFigure, chosen by
  kpis.organisation.history.move_withholding so that the figures shown before the move
  and the restated ones together reveal nothing);
- **complements**: `hyrdash.lib.disclosure.protect` hides more until no hidden figure
  follows from the shown ones exactly (parent minus children, a care type minus its
  departments, any route) and no small group's figure is bounded within +/-20 % by
  non-negativity (the complements themselves are large groups: only their exact
  derivation matters, as it would give the small group away); the administration's total
  is never hidden.

R12 figures follow their months (series.sick_leave_cells): an R12 value is only shown
when none of its twelve months is hidden, so it is a sum of shown monthly figures and
reveals nothing they do not.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from hyrdash.lib.disclosure import Figure, ProtectionError, protect
from kpis.organisation.scopes import HSF
from kpis.sick_leave.extracts import AGE_BANDS, GENDERS, SICK_LEAVE_HOURS

logger = logging.getLogger(__name__)

TOTAL = "total"
GROUPS = [TOTAL, *GENDERS, *AGE_BANDS]
MEASURES = ["employees", *SICK_LEAVE_HOURS]

# A month's decision depends only on its rows, the organisation's nodes, the limit and
# the rule: this module and hyrdash.lib.disclosure, whose source is part of the key
# (kpis.sick_leave.decisions keeps each month's decision under a digest of all of them),
# so a new release never reads an older rule's decision. A release that changes them
# decides every month again: `manage.py decide_sick_leave` at the start does so before
# the first page asks (about a second a month). How the decisions are kept and looked
# up is in kpis.sick_leave.decisions, outside the key: changing it decides nothing again.
VERSION = hashlib.sha256(
    b"".join(
        Path(sys.modules[name].__file__).read_bytes()
        for name in (__name__, "hyrdash.lib.disclosure.audit", "hyrdash.lib.disclosure.suppress")
    )
).hexdigest()[:16]


def node_masks(rows: pd.DataFrame, nodes: Sequence[str]) -> dict[str, np.ndarray]:
    """Which rows each node (scope key) sums: hsf all, area:X, department:X, care:X."""
    columns = {"area": "area", "department": "department", "care": "care_type"}
    masks = {}
    for node in nodes:
        if node == HSF:
            masks[node] = np.ones(len(rows), dtype=bool)
            continue
        kind, _, value = node.partition(":")
        masks[node] = (rows[columns[kind]] == value).to_numpy()
    return masks


def group_masks(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which rows each group sums: total all, K and M by gender, the age bands."""
    masks = {TOTAL: np.ones(len(rows), dtype=bool)}
    for gender in GENDERS:
        masks[gender] = (rows["gender"] == gender).to_numpy()
    for band in AGE_BANDS:
        masks[band] = (rows["age_band"] == band).to_numpy()
    return masks


def month_figures(
    rows: pd.DataFrame, nodes: Sequence[str]
) -> tuple[list[Figure], dict[str, np.ndarray]]:
    """One month's published figures over its rows (the microcells), keyed
    (node, group), and the microcells' values per measure."""
    rows = rows.reset_index(drop=True)
    by_node, by_group = node_masks(rows, nodes), group_masks(rows)
    figures = [
        Figure((node, group), np.flatnonzero(by_node[node] & by_group[group]))
        for node in nodes
        for group in GROUPS
    ]
    values = {m: rows[m].to_numpy(dtype="float64") for m in MEASURES}
    return figures, values


def decide(
    rows: pd.DataFrame, nodes: Sequence[str], max_hidden: int, withheld: Sequence[tuple] = ()
) -> set:
    """The (node, group) figures of one month's rows (the microcells) to withhold: every
    figure of 1 to `max_hidden` employees, the figures `withheld` after a move restated
    the month (kpis.WithheldFigure: shown with the figures published before the move
    they would reveal a hidden one), and the complements that keep them from being
    worked out (hyrdash.lib.disclosure.protect). Complements equally good are chosen in
    the order of the rows and `nodes`: kpis.sick_leave.decisions puts both in one order
    first, and keeps the decision."""
    figures, values = month_figures(rows, nodes)
    employees = values["employees"]
    sizes = {f.key: employees[list(f.cells)].sum() for f in figures}
    top = (HSF, TOTAL)
    if sizes.get(top, 0) <= max_hidden:
        # The whole administration is a small group: nothing of the month is shown.
        return {f.key for f in figures if sizes[f.key] > 0}
    small = {k for k, n in sizes.items() if 1 <= n <= max_hidden}
    # Withheld after a move: hidden like a small group (an empty one hides nothing, and
    # the administration's total is never withheld); like a complement, it must not be
    # worked out exactly, while only the small groups keep their +/-20 % too.
    primary = small | {k for k in withheld if sizes.get(k, 0) > 0 and k != top}
    # A figure hidden must be hidden with every figure over the same people (an area of
    # one department is that department): cost a complement by all it takes with it.
    twins: dict[frozenset, int] = {}
    for figure in figures:
        twins[figure.cells] = twins.get(figure.cells, 0) + 1
    cost = {f.key: sizes[f.key] * twins[f.cells] for f in figures}
    try:
        return protect(figures, values, primary, never_hide={top}, cost=cost, bounded=small)
    except ProtectionError:
        # No choice of complements protects every small group while the administration's
        # total stays shown (a region of a few small parts): show that total alone.
        logger.warning("Sick leave %s: only the administration's total is shown.", rows_month(rows))
        return {f.key for f in figures if sizes[f.key] > 0 and f.key != top}


def rows_month(rows: pd.DataFrame) -> str:
    return str(rows["period"].iloc[0]) if len(rows) else "?"

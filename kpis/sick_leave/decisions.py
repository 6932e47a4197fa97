"""Each month's disclosure decision (kpis.sick_leave.disclosure.decide), kept in the shared
cache under a digest of everything it depends on.

A decision takes about a second a month on the demo region (324 figures over 260
microcells), and a page shows every month's; so a month's decision is made once and kept
under a digest of its rows (in one order, `canonical`), the nodes, the figures withheld
after a move, the limit and the rule (disclosure.VERSION). A month imported again, a
moved unit, another limit or another rule is another key: never an older decision for
other figures. An import decides its months at once (services.decide_disclosure), and
`manage.py decide_sick_leave` every month, at the start of a release.

The decision depends on the month's figures only, never on the order the rows and the
nodes come in: both are put in one order first (`canonical`, sorted nodes). The
complements chosen between equally good ones followed that order, and on PostgreSQL a
query's order follows the table's pages, which an update of the register reshuffles, as
a new department reorders the nodes.

This module is not part of the rule's version: how the decisions are looked up can
change without deciding every month again, since the digest covers the rows in the
order `decide` sees them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd
from django.core.cache import cache

from kpis.sick_leave.disclosure import MEASURES, VERSION, decide
from kpis.sick_leave.extracts import SICK_LEAVE_HOURS

_KEYS = ["area", "department", "care_type", "gender", "age_band"]
PREFIX = "sick-leave-hidden:"


def hidden_figures(
    rows: pd.DataFrame,
    nodes: Sequence[str],
    *,
    max_hidden: int,
    withheld: Collection[tuple[str, str]] = frozenset(),
) -> frozenset:
    """The (node, group) figures of one month's `rows` to withhold (disclosure.decide),
    kept or decided now and kept."""
    frame = canonical(rows)
    month = (frame, _row_hashes(frame), sorted(withheld))
    return _decided({None: month}, sorted(nodes), max_hidden)[None]


def hidden_by_month(
    rows: pd.DataFrame,
    nodes: Sequence[str],
    *,
    max_hidden: int,
    withheld: Mapping[pd.Period, Collection[tuple[str, str]]] | None = None,
) -> dict[pd.Period, frozenset]:
    """`hidden_figures` of every month of `rows` (by their period), each month's the
    same as `hidden_figures` of its rows alone, under the same key: the rows are put in
    order and digested once for all months (a page of 71 months spent half its time on
    each month's own sort and digest), and the kept decisions read in one look-up."""
    withheld = withheld or {}
    frame = canonical(rows, first="period")
    hashes = _row_hashes(frame)
    months = {}
    for month, positions in frame.groupby("period", sort=False).indices.items():
        span = slice(positions[0], positions[-1] + 1)  # sorted by period: one run a month
        months[month] = (
            frame.iloc[span].reset_index(drop=True),
            hashes[span],
            sorted(withheld.get(month, ())),
        )
    return _decided(months, sorted(nodes), max_hidden)


def _decided(months: dict, nodes: list[str], max_hidden: int) -> dict:
    """Each month's decision, {month: (canonical rows, their row hashes, sorted
    withheld)} -> {month: frozenset}, from the shared cache, or decided and kept there
    (each month as soon as it is decided)."""
    keys = {
        month: PREFIX + _key(hashes, nodes, max_hidden, withheld)
        for month, (_rows, hashes, withheld) in months.items()
    }
    kept = cache.get_many(list(keys.values()))
    decided = {}
    for month, (rows, _hashes, withheld) in months.items():
        found = kept.get(keys[month])
        if found is None:
            found = frozenset(decide(rows, nodes, max_hidden, withheld))
            cache.set(keys[month], found, timeout=None)
        decided[month] = found
    return decided


def canonical(rows: pd.DataFrame, *, first: str | None = None) -> pd.DataFrame:
    """A month's rows in one order (by area, department, care type, gender and age
    band; `first`: by that column before them, the rows of many months) with the hours
    to the hundredth they are stored in: the same figures however they were read and
    summed (in SQL, or a moved unit's rows added in pandas, whose sums of floats can
    differ in the last bit). The sort is stable, so a month's rows sorted with others
    by `first` come in the order they have sorted alone."""
    by = _KEYS if first is None else [first, *_KEYS]
    frame = rows.sort_values(by, kind="stable").reset_index(drop=True)
    return frame.assign(**{m: frame[m].round(2) for m in SICK_LEAVE_HOURS})


def _row_hashes(rows: pd.DataFrame) -> np.ndarray:
    """One hash per row of its keys and measures, each row's from its own values alone
    (so a month's slice of many months' hashes is the month's own)."""
    return pd.util.hash_pandas_object(rows[[*_KEYS, *MEASURES]], index=False).to_numpy()


def _key(hashes: np.ndarray, nodes: Sequence[str], max_hidden: int, withheld=()) -> str:
    """A digest of everything the decision depends on: the canonical rows' hashes
    (`_row_hashes`), the nodes and `withheld` sorted, the limit and the rule."""
    digest = hashlib.sha256(repr((VERSION, list(nodes), max_hidden, list(withheld))).encode())
    digest.update(hashes.tobytes())
    return digest.hexdigest()

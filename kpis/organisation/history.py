"""A re-organisation and personal data: where units stand from a month on, and whether a
move from a month already shown would let a hidden figure be worked out.

Personal data (sick leave) is computed with the organisation as it was in each month
(kpis.organisation.selectors.placements_as_of). A move recorded from the first month
without such data (selectors.first_open_month) changes no figure already shown. A move
from an earlier month restates those months: the old figures are known to whoever saw
them, so the restated ones are audited together with them (`move_exposures`, with
hyrdash.lib.disclosure.audit): a department's figure before minus after is the moved
unit's own. Where that finds something, `move_withholding` chooses restated figures to
withhold as well (hyrdash.lib.disclosure.protect, the figures shown before known and
never hidden), so that the two together reveal nothing more than the old ones alone;
kpis.organisation.services.move_audit stores them with the move or, when no choice
protects, refuses it.

Pure: pandas and the audit, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from hyrdash.lib.disclosure import Figure, Tables, protect
from hyrdash.lib.disclosure.audit import Values
from kpis.models import HISTORY_START
from kpis.organisation.scopes import HSF
from kpis.organisation.selectors import PLACED_COLUMNS


@dataclass(frozen=True)
class Release:
    """What a personal-data subject publishes for one month under one organisation.

    `figures` are sums over the month's microcells (sick leave: unit x gender x age
    band), numbered the same whatever the organisation; `values` the microcells'
    values (as for hyrdash.lib.disclosure.audit); `shown` the keys of the figures
    shown. `private` are figures never published that must not be worked out either
    (sick leave: a unit's groups too small to show); `labels` names a key in a message.
    `sensitive` are the keys of the figures that must not be narrowed within the
    protection level either (sick leave: the small groups, as
    kpis.sick_leave.disclosure protects them); any other hidden figure (a complement)
    only must not be worked out exactly. Private figures are always sensitive.
    """

    figures: Sequence[Figure]
    values: Values
    shown: Collection[Hashable]
    private: Sequence[Figure] = ()
    labels: Mapping[Hashable, str] = field(default_factory=dict)
    sensitive: Collection[Hashable] = frozenset()

    def label(self, key: Hashable) -> str:
        return self.labels.get(key, str(key))


# A subject's releases under a placement history (None: the stored one, as published
# now), for its months with data from a month on, only those in which one of the units
# has data when units are given, with more figures withheld in some months (keys per
# month; with a history only): published(history, since, units, withheld)
# -> {month: Release}.
Published = Callable[
    [
        pd.DataFrame | None,
        pd.Period,
        Collection[int] | None,
        Mapping[pd.Period, Collection[Hashable]] | None,
    ],
    Mapping[pd.Period, Release],
]

BEFORE, AFTER, PRIVATE = "före", "efter", "enhet"


def history_moved(history: pd.DataFrame, placed: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """`history` (kpis.organisation.selectors.HISTORY_COLUMNS) with the units of `placed`
    (unit_id and PLACED_COLUMNS, a row each) where `placed` puts them from `month` on.

    A unit's placements from `month` on give way to one from `month`, left out when
    the placement before `month` says the same already; a unit with no placement
    before `month` (a new one) is placed so from HISTORY_START.
    """
    month = pd.Period(month, freq="M")
    moving = history["unit_id"].isin(placed["unit_id"])
    kept = history[~moving | (history["valid_from"] < month)]
    earlier = kept[kept["unit_id"].isin(placed["unit_id"])]
    last = earlier.sort_values("valid_from").groupby("unit_id").last()
    new = placed[["unit_id", *PLACED_COLUMNS]].copy()
    new["valid_from"] = month
    new.loc[~new["unit_id"].isin(last.index), "valid_from"] = pd.Period(HISTORY_START, freq="M")
    previous = last.reindex(new["unit_id"])
    same = pd.Series(True, index=new.index)
    for column in ("department", "area", "care_type"):
        same &= previous[column].to_numpy() == new[column].to_numpy()
    new = new[~same.to_numpy()]
    result = pd.concat([kept, new[history.columns]], ignore_index=True)
    return result.sort_values(["unit_id", "valid_from"], ignore_index=True)


@dataclass(frozen=True)
class Exposure:
    """A hidden figure of `month` that a move would let be worked out; `label` names it."""

    month: pd.Period
    label: str


def move_exposures(
    before: Mapping[pd.Period, Release],
    after: Mapping[pd.Period, Release],
    *,
    protection: float = 0.20,
) -> list[Exposure]:
    """What publishing `after` (the figures restated by a move) reveals to someone who
    has also seen `before` (the figures shown so far), month by month.

    Audited together: the figures of both, shown where either shows them, and the
    private figures that hold a microcell the move places elsewhere. Exposed (worked
    out exactly, or, a sensitive or private one, within the protection level:
    hyrdash.lib.disclosure.audit) and not already by `before` alone: a hidden figure of
    either release or a private one.
    A month the move leaves unchanged is skipped.
    """
    found = []
    for month in sorted(before.keys() & after.keys()):
        for label in _month_exposures(before[month], after[month], protection):
            found.append(Exposure(month, label))
    return found


@dataclass(frozen=True)
class _Joint:
    """Two releases of a month audited together (the figures of both under distinct
    keys, and the private ones holding a moved microcell)."""

    figures: list[Figure]
    shown_before: set
    shown_after: set
    sensitive: set
    tables: Tables
    protection: float

    @classmethod
    def of(cls, before: Release, after: Release, protection: float) -> _Joint | None:
        """None when the move changes no figure of the month."""
        moved = _moved_cells(before, after)
        if not moved:
            return None
        figures, shown_before, shown_after = _together(before, after)
        private = {}
        for figure in [*before.private, *after.private]:
            if figure.cells & moved:
                private.setdefault(figure.key, Figure((PRIVATE, figure.key), figure.cells))
        figures += private.values()
        # Narrowed within the protection level counts for the small groups and the
        # units' groups; a complement only must not be worked out exactly.
        sensitive = {(BEFORE, key) for key in before.sensitive}
        sensitive |= {(AFTER, key) for key in after.sensitive}
        sensitive |= {figure.key for figure in private.values()}
        tables = Tables(figures, before.values)
        return cls(figures, shown_before, shown_after, sensitive, tables, protection)

    def exposed(self, shown: set) -> frozenset:
        # The others get the rank audit only, as protect() treats complements.
        skip = [f.key for f in self.figures if f.key not in self.sensitive]
        return self.tables.audit(shown, protection=self.protection, skip=skip).exposed


def move_withholding(
    before: Release, after: Release, *, protection: float = 0.20
) -> frozenset[Hashable]:
    """The keys of the figures `after` shows that must be withheld as well, so that
    `before` (the month's figures shown so far) and `after` (restated by a move)
    together reveal nothing `before` alone does not (what _month_exposures audits).

    hyrdash.lib.disclosure.protect over the figures of both: `before`'s shown ones are
    known already (previously_shown: never hidden, they take part as shown); primary
    are the hidden figures of both releases and the private ones holding a moved
    microcell, except those `before` alone gives away already (nothing can protect
    them, and the move reveals nothing new about them); only figures `after` shows can
    be hidden more (the administration's total never: a move does not change it).
    Sensitive figures keep their protection interval, complements only must not be
    worked out exactly, as the pages' own decision. Empty when nothing is exposed;
    raises hyrdash.lib.disclosure.ProtectionError when no choice protects them.
    """
    joint = _Joint.of(before, after, protection)
    if joint is None or not joint.exposed(joint.shown_before | joint.shown_after):
        return frozenset()
    known = joint.exposed(joint.shown_before)
    previously = [f for f in joint.figures if f.key in joint.shown_before]
    rest = [
        f
        for f in joint.figures
        if f.key not in joint.shown_before and (f.key in joint.shown_after or f.key not in known)
    ]
    primary = {f.key for f in rest if f.key not in joint.shown_after}
    hidden = protect(
        rest,
        before.values,
        primary,
        never_hide={f.key for f in rest if f.key == (AFTER, (HSF, "total"))},
        previously_shown=previously,
        protection=protection,
        bounded=joint.sensitive & primary,
    )
    return frozenset(key for kind, key in hidden - primary if kind == AFTER)


def _month_exposures(before: Release, after: Release, protection: float) -> list[str]:
    joint = _Joint.of(before, after, protection)
    if joint is None:
        return []
    shown_before, exposed = joint.shown_before, joint.exposed
    both = exposed(shown_before | joint.shown_after)
    if not both:
        return []
    known = exposed(shown_before)
    labels = []
    for kind, key in sorted(both - known, key=lambda k: (k[0] != PRIVATE, str(k[1]))):
        label = (after if kind == AFTER else before).label(key)
        if label not in labels:
            labels.append(label)
    return labels


def _moved_cells(before: Release, after: Release) -> set[int]:
    """The microcells some figure holds in one release and not in the other."""
    cells = {figure.key: figure.cells for figure in before.figures}
    moved: set[int] = set()
    for figure in after.figures:
        moved |= cells.pop(figure.key, frozenset()) ^ figure.cells
    for rest in cells.values():
        moved |= rest
    return moved


def _together(before: Release, after: Release) -> tuple[list[Figure], set, set]:
    """Both releases' figures under distinct keys ((BEFORE, key), (AFTER, key)), an
    after figure only where it differs from the before one (its cells or whether it
    is shown), and the keys of the shown ones of each."""
    old = {figure.key: figure.cells for figure in before.figures}
    figures = [Figure((BEFORE, f.key), f.cells) for f in before.figures]
    shown_before = {(BEFORE, key) for key in before.shown}
    shown_after = set()
    for figure in after.figures:
        was_shown, is_shown = figure.key in before.shown, figure.key in after.shown
        if old.get(figure.key) == figure.cells and was_shown == is_shown:
            continue  # the same figure, shown or hidden as before
        figures.append(Figure((AFTER, figure.key), figure.cells))
        if is_shown:
            shown_after.add((AFTER, figure.key))
    return figures, shown_before, shown_after

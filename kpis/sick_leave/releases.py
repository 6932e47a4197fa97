"""What sick leave publishes for a month, as the move audit reads it
(kpis.organisation.history.Release): the figures over the month's microcells, which
are shown, which are small groups, and the units' small groups that must never be
worked out.

import_org and the admin audit a move from a month already shown with it (through
kpis.registry.PUBLISHED_PERSONAL_DATA): the figures shown so far, computed with the
stored placements, together with those the move would publish.

The figures and the decisions are the pages' own (kpis.sick_leave.disclosure: every
published scope x group, withheld at 1 to max_hidden employees and where a withheld
figure could be worked out), with the month's rows as stored (unit x gender x age
band) as microcells, so that a unit moving between departments moves its cells. R12
figures, sums of twelve shown months only (series.sick_leave_cells), reveal nothing
the months do not.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.disclosure import Figure
from kpis.models import CareType, Unit
from kpis.organisation.history import Release
from kpis.organisation.scopes import HSF
from kpis.organisation.selectors import placements_as_of
from kpis.sick_leave import decisions, disclosure, series
from kpis.sick_leave.selectors import SickLeaveData, sick_leave_data, sick_leave_unit_frame


def sick_leave_releases(
    history: pd.DataFrame | None,
    since: pd.Period,
    units: Collection[int] | None = None,
    withheld: Mapping[pd.Period, Collection[tuple[str, str]]] | None = None,
) -> dict[pd.Period, Release]:
    """Sick leave's release of every month with data from `since` on (only the months
    in which one of `units` has rows, when given), computed with the placement history
    `history` (kpis.organisation.selectors.HISTORY_COLUMNS), or, with None, the stored
    one: then exactly what the pages show now (their cached decisions). With a history,
    `withheld` (month -> (node, group) keys) are withheld in those months besides the
    stored kpis.WithheldFigure rows, as the pages would once they are stored.

    Microcells are the month's stored rows (unit x gender x age band) in the order of
    sick_leave_unit_frame, which does not depend on the organisation."""
    unit_rows = sick_leave_unit_frame()
    unit_rows = unit_rows[unit_rows["period"] >= pd.Period(since, freq="M")]
    if units is not None:
        months = unit_rows.loc[unit_rows["unit_id"].isin(list(units)), "period"].unique()
        unit_rows = unit_rows[unit_rows["period"].isin(months)]
    if unit_rows.empty:
        return {}
    if history is None:
        data = sick_leave_data()
        hidden = _page_decisions(data)
        placed = placements_as_of(unit_rows)
    else:
        data = sick_leave_data(history=history, unit_rows=unit_rows)
        for month, keys in (withheld or {}).items():
            data.withheld[month] = data.withheld.get(month, frozenset()) | frozenset(keys)
        hidden = _decisions(data)
        placed = placements_as_of(unit_rows, history=history)
    nodes = series.sick_leave_nodes(data)
    ansvar = dict(Unit.objects.values_list("id", "ansvar"))
    releases = {}
    for month, rows in placed.groupby("period", sort=True):
        rows = rows.reset_index(drop=True)
        releases[month] = _release(rows, nodes, hidden(month), data.max_hidden, ansvar)
    return releases


def _page_decisions(data: SickLeaveData):
    """The pages' decisions: series.sick_leave_cells's `hidden` (cached)."""
    hidden = series.sick_leave_cells(data)["hidden"]

    def decided(month: pd.Period) -> set:
        flags = hidden.xs(month, level="period")
        return set(flags[flags].index)

    return decided


def _decisions(data: SickLeaveData):
    """The decisions sick_leave_cells would make for `data`, month by month as asked
    (a month's decision takes about a second: only the months audited)."""
    nodes = series.sick_leave_nodes(data)
    by_month = dict(tuple(data.rows.groupby("period", sort=False)))

    def decided(month: pd.Period) -> set:
        rows = by_month[month]
        found = set(
            decisions.hidden_figures(
                rows,
                nodes,
                max_hidden=data.max_hidden,
                withheld=data.withheld.get(month, frozenset()),
            )
        )
        figures, values = disclosure.month_figures(rows, nodes)
        employees = values["employees"]
        empty = {f.key for f in figures if employees[list(f.cells)].sum() == 0}
        return found | empty

    return decided


def _release(rows: pd.DataFrame, nodes, hidden: set, max_hidden: int, ansvar) -> Release:
    figures, values = disclosure.month_figures(rows, nodes)
    employees = values["employees"]
    labels, shown, small = {}, set(), set()
    for figure in figures:
        node, group = figure.key
        labels[figure.key] = f"{_node_label(node)}: {series.GROUP_LABELS[group]}"
        size = employees[list(figure.cells)].sum()
        if figure.key not in hidden and size > 0:
            shown.add(figure.key)
        if 1 <= size <= max_hidden:
            small.add(figure.key)
    groups = disclosure.group_masks(rows)
    private = []
    for unit, positions in rows.groupby("unit_id").indices.items():
        for group, mask in groups.items():
            cells = positions[mask[positions]]
            if 1 <= employees[cells].sum() <= max_hidden:
                key = (f"unit:{unit}", group)
                private.append(Figure(key, cells))
                labels[key] = _("enhet %(ansvar)s: %(group)s") % {
                    "ansvar": ansvar.get(unit, unit),
                    "group": series.GROUP_LABELS[group],
                }
    return Release(figures, values, shown, private, labels, sensitive=small)


def _node_label(node: str) -> str:
    kind, _sep, name = node.partition(":")
    if kind == HSF:
        return str(_("Hela förvaltningen"))
    if kind == "care":
        return str(CareType(name).label)
    return name

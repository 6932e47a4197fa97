"""What sick leave publishes for a month, as the disclosure audit reads it
(kpis.organisation.history.Release): the figures over the month's microcells, which
are shown, and the units' small groups that must never be worked out.

import_org and the admin audit a move from a month already shown with it (through
kpis.registry.PUBLISHED_PERSONAL_DATA).

The figures are the monthly ones of every published scope and group (the cells of
kpis.sick_leave.series.sick_leave_cells, with its suppression); R12 figures, sums of
twelve such months, are left to the suppression of the series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.disclosure import Figure
from kpis.models import CareType, Unit
from kpis.organisation.history import Release
from kpis.organisation.scopes import HSF
from kpis.sick_leave import series
from kpis.sick_leave.extracts import AGE_BANDS, GENDERS, SICK_LEAVE_HOURS
from kpis.sick_leave.selectors import SickLeaveData, sick_leave_data

MEASURES = ["employees", *SICK_LEAVE_HOURS]

# The column of the rows each kind of scope key names.
_NODE_COLUMNS = {"area": "area", "department": "department", "care": "care_type"}


def sick_leave_releases(history: pd.DataFrame, since: pd.Period) -> dict[pd.Period, Release]:
    """Sick leave's release of every month with data from `since` on, computed with the
    placement history `history` (kpis.organisation.selectors.HISTORY_COLUMNS).

    Microcells are the month's rows (unit x gender x age band) in the order of
    SickLeaveData.rows, which does not depend on the organisation."""
    data = sick_leave_data(history=history)
    if not len(data.months):
        return {}
    hidden = series.sick_leave_cells(data)["hidden"]
    ansvar = dict(Unit.objects.values_list("id", "ansvar"))
    releases = {}
    for month in data.months[data.months >= pd.Period(since, freq="M")]:
        rows = data.rows[data.rows["period"] == month].reset_index(drop=True)
        releases[month] = _release(data, rows, hidden.xs(month, level="period"), ansvar)
    return releases


def _release(data: SickLeaveData, rows: pd.DataFrame, hidden: pd.Series, ansvar) -> Release:
    groups = _group_masks(rows)
    figures, shown, labels = [], set(), {}
    for node in hidden.index.get_level_values("node").unique():
        kind, _sep, name = node.partition(":")
        members = (
            np.ones(len(rows), dtype=bool)
            if kind == HSF
            else (rows[_NODE_COLUMNS[kind]] == name).to_numpy()
        )
        for group, mask in groups.items():
            key = (node, group)
            figures.append(Figure(key, np.flatnonzero(members & mask)))
            labels[key] = f"{_node_label(node)}: {series.GROUP_LABELS[group]}"
            if not hidden.get(key, True):
                shown.add(key)
    values = {name: rows[name].to_numpy(dtype="float64") for name in MEASURES}
    private = []
    for unit, positions in rows.groupby("unit_id").indices.items():
        for group, mask in groups.items():
            cells = positions[mask[positions]]
            if 0 < values["employees"][cells].sum() < data.threshold:
                key = (f"unit:{unit}", group)
                private.append(Figure(key, cells))
                labels[key] = _("enhet %(ansvar)s: %(group)s") % {
                    "ansvar": ansvar.get(unit, unit),
                    "group": series.GROUP_LABELS[group],
                }
    return Release(figures, values, shown, private, labels)


def _group_masks(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which rows each group (total, a gender, an age band) sums."""
    masks = {series.TOTAL: np.ones(len(rows), dtype=bool)}
    for gender in GENDERS:
        masks[gender] = (rows["gender"] == gender).to_numpy()
    for band in AGE_BANDS:
        masks[band] = (rows["age_band"] == band).to_numpy()
    return masks


def _node_label(node: str) -> str:
    kind, _sep, name = node.partition(":")
    if kind == HSF:
        return str(_("Hela förvaltningen"))
    if kind == "care":
        return str(CareType(name).label)
    return name

"""The sick-leave series (KPI 9), used by the page, the CSV downloads and export_kpi:
per month and group, never with a value of a group too small to show
(`sick_leave_cells` applies the small-group rule to every published table at once).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from hyrdash.lib import periods
from hyrdash.lib.periods import month_text
from kpis.models import CareType
from kpis.organisation.scopes import target_follows_hsf, target_for
from kpis.organisation.selectors import HSF, Scope
from kpis.sick_leave import metrics as sick_leave_metrics
from kpis.sick_leave.decisions import hidden_by_month
from kpis.sick_leave.disclosure import GROUPS, TOTAL
from kpis.sick_leave.extracts import AGE_BANDS, GENDERS, SICK_LEAVE_HOURS
from kpis.sick_leave.selectors import SickLeaveData

# --- sick leave (KPI 9) ---------------------------------------------------------------

# The columns of each sick-leave series (export_kpi and the CSV downloads).
SERIES = {
    "sick-leave": [
        "month",
        "group",
        "employees",
        "ordinary_hours",
        "sick_hours",
        "rate_pct",
        "rate_r12_pct",
        "long_term_share_r12_pct",
        "preliminary",
        "suppressed",
    ],
    "sick-leave-duration": [
        "month",
        "employees",
        "sick_hours",
        "sick_hours_1_14",
        "sick_hours_15_59",
        "sick_hours_60",
        "short_term_rate_pct",
        "short_term_rate_r12_pct",
        "long_term_share_r12_pct",
        "preliminary",
        "suppressed",
    ],
}


# --by of the sick-leave series: the groups shown under the scope's total.
SICK_LEAVE_BY = ("gender", "age", "area")

GROUP_LABELS = {
    TOTAL: _("Totalt"),
    "K": _("Kvinnor"),
    "M": _("Män"),
    "-29": _("29 år eller yngre"),
    "30-49": _("30–49 år"),
    "50-": _("50 år eller äldre"),
}

_CELL_VALUES = ["employees", *SICK_LEAVE_HOURS]


def sick_leave_nodes(data: SickLeaveData) -> list[str]:
    """Every scope sick leave is published for, as scope keys: the administration, its
    areas and departments (the register's and the placement history's), and the care
    types. Which rows each sums is decided month by month from the rows' organisation
    (kpis.sick_leave.disclosure.node_masks)."""
    return [
        HSF,
        *(f"area:{area}" for area in data.areas),
        *(f"department:{name}" for name in sorted(data.departments)),
        *(f"care:{care}" for care in CareType.values),
    ]


def sick_leave_parts(data: SickLeaveData, scope: Scope) -> list[tuple[str, str]]:
    """The organisational parts shown under a scope, as (scope key, name): the areas of
    the administration, the departments of an area (every department that belonged to
    it in some month with data, or belongs to it now: `_part_months` gives the months).
    A care type and a department have none: area x care type cells would make a
    second, crossed way to split the same people, and units are too small to show."""
    if scope.kind == HSF:
        return [(f"area:{area}", area) for area in data.areas]
    if scope.kind == "area":
        names = {d for d, area in data.departments.items() if area == scope.value}
        for areas in data.department_areas.values():
            names.update(d for d, area in areas.items() if area == scope.value)
        return [(f"department:{name}", name) for name in sorted(names)]
    return []


def _part_months(data: SickLeaveData, scope: Scope, node: str, index: pd.PeriodIndex):
    """Which months of `index` the part `node` of `scope` belonged to it: a department
    under an area only in the months it was the area's (the organisation of each
    month); the administration's areas always."""
    if scope.kind != "area":
        return np.ones(len(index), dtype=bool)
    department = node.partition(":")[2]
    return np.array([data.area_of(department, month) == scope.value for month in index])


def sick_leave_cells(data: SickLeaveData) -> pd.DataFrame:
    """Every published sick-leave figure's cell and whether it may be shown.

    Index (node, group, period): node a scope key (`sick_leave_nodes`), group
    total, K, M or an age band, period every month with data. Columns: employees
    and the hours (0 where the scope had no rows that month), `hidden` (ÅRL 5 kap.
    18 a §, kpis.sick_leave.disclosure: at most data.max_hidden employees, or hidden
    so that no hidden figure can be worked out from the shown ones, by any route) and
    `hidden_r12` (hidden in any month of the 12 ending with this one: an R12 value
    would otherwise let a hidden month be worked out from two neighbouring R12 values
    and the shown months).
    Computed once per SickLeaveData.
    """
    if "cells" in data.cache:
        return data.cache["cells"]
    nodes = sick_leave_nodes(data)
    rows = data.rows
    parts = []
    for kind, column in ((HSF, None), ("area", "area"), ("department", "department"),
                         ("care", "care_type")):  # fmt: skip
        node = HSF if column is None else kind + ":" + rows[column].astype("str")
        frame = rows.assign(node=node)
        total = frame.groupby(["node", "period"])[_CELL_VALUES].sum().reset_index()
        parts.append(total.assign(group=TOTAL))
        for column_name in ("gender", "age_band"):
            split = frame.groupby(["node", "period", column_name])[_CELL_VALUES].sum()
            parts.append(split.reset_index().rename(columns={column_name: "group"}))
    index = pd.MultiIndex.from_product(
        [nodes, GROUPS, data.months], names=["node", "group", "period"]
    )
    cells = (
        pd.concat(parts, ignore_index=True)
        .set_index(["node", "group", "period"])[_CELL_VALUES]
        .reindex(index, fill_value=0)
        .astype({"employees": "int64"} | dict.fromkeys(SICK_LEAVE_HOURS, "float64"))
    )

    sizes = cells["employees"].unstack("period")  # (node, group) x month
    decided = hidden_by_month(rows, nodes, max_hidden=data.max_hidden, withheld=data.withheld)
    flags = np.zeros(sizes.shape, dtype=bool)
    row_of = {key: i for i, key in enumerate(sizes.index)}
    for j, month in enumerate(sizes.columns):
        for key in decided.get(month, ()):
            if key in row_of:  # a node of the decision the page does not show: none
                flags[row_of[key], j] = True
    hidden = pd.DataFrame(flags, index=sizes.index, columns=sizes.columns)
    # An empty group has no figure to show: withheld as ".." like the others (it hides
    # nothing either: the audit knows it is empty).
    hidden |= sizes == 0
    # Hidden in any of the 12 months ending with each month (gaps: no R12 anyway).
    if len(data.months):
        full = pd.period_range(data.months[0], data.months[-1], freq="M")
        flags = hidden.reindex(columns=full, fill_value=False).to_numpy(dtype=float)
        padded = np.concatenate([np.zeros((len(flags), 11)), flags], axis=1)
        windows = np.lib.stride_tricks.sliding_window_view(padded, 12, axis=1)
        hidden_r12 = pd.DataFrame(windows.max(axis=2) > 0, index=hidden.index, columns=full)
        hidden_r12 = hidden_r12[list(data.months)]
    else:
        hidden_r12 = hidden.copy()
    cells["hidden"] = hidden.stack(future_stack=True).reindex(index).to_numpy(dtype=bool)
    cells["hidden_r12"] = hidden_r12.stack(future_stack=True).reindex(index).to_numpy(dtype=bool)
    cells = cells.sort_index()  # (node, group) look-ups need a sorted index
    data.cache["cells"] = cells
    return cells


def _sick_leave_group(data: SickLeaveData, node: str, group: str) -> pd.DataFrame:
    """One cell's months: hours, employees, the measures, and the suppression flags,
    with every withheld value NaN; indexed by the months with data. Kept on `data` (a
    page for another month of the scope asks for the same, hyrdash.lib.pagecache keeps
    the data in the process); each caller gets its own copy."""
    key = ("group", node, group)
    if key not in data.cache:
        data.cache[key] = _group_months(data, node, group)
    return data.cache[key].copy()


def _group_months(data: SickLeaveData, node: str, group: str) -> pd.DataFrame:
    cells = sick_leave_cells(data)
    part = cells.loc[(node, group)]
    part.index = pd.PeriodIndex(part.index, freq="M")
    hours = {
        column: periods.complete_series(part[column], months_with_data=data.months)
        for column in SICK_LEAVE_HOURS
    }
    measures = sick_leave_metrics.sick_leave_measures(
        ordinary=hours["ordinary_hours"],
        sick_1_14=hours["sick_hours_1_14"],
        sick_15_59=hours["sick_hours_15_59"],
        sick_60=hours["sick_hours_60"],
    ).reindex(data.months)
    table = measures.assign(
        employees=part["employees"].astype("Int64"),
        sick_hours_1_14=part["sick_hours_1_14"],
        sick_hours_15_59=part["sick_hours_15_59"],
        sick_hours_60=part["sick_hours_60"],
    )
    monthly = ["employees", "ordinary_hours", "sick_hours", *SICK_LEAVE_HOURS[1:]]
    monthly += ["rate_pct", "short_term_rate_pct"]
    r12 = ["rate_r12_pct", "short_term_rate_r12_pct", "long_term_share_r12_pct"]
    hidden = part["hidden"].to_numpy(dtype=bool)
    hidden_r12 = part["hidden_r12"].to_numpy(dtype=bool)
    withheld_r12 = hidden_r12 & table[r12].notna().any(axis=1).to_numpy()
    table.loc[hidden, monthly] = np.nan
    table.loc[hidden_r12, r12] = np.nan
    table["suppressed"] = hidden | withheld_r12
    table["preliminary"] = periods.preliminary_column(
        table.index, closed_through=data.closed_through
    )
    return table


def _sick_leave_limit(table: pd.DataFrame, start, end) -> pd.DataFrame:
    if start is not None:
        table = table[table.index >= start]
    if end is not None:
        table = table[table.index <= end]
    return table


def sick_leave(
    data: SickLeaveData,
    *,
    scope: Scope,
    by: str | None = None,
    start: pd.Period | None = None,
    end: pd.Period | None = None,
) -> pd.DataFrame:
    """KPI 9: sick leave per month for the scope's total (group `total`) and, with `by`,
    its genders (K, M), age bands (-29, 30-49, 50-) or organisational parts (the areas
    of the administration, the departments of an area, each in the months it belonged
    to the area: group is their name).

    Per row: employees, ordinary and sick hours (all days), the month's rate, the R12
    rate and the long-term share R12 (kpis.sick_leave_metrics.sick_leave_measures), whether the
    month is preliminary, and `suppressed`: 1 when the small-group rule withholds a
    value of the row (every value when the group is hidden that month, else only the
    R12 values when one of its 12 months was). Withheld values are NaN.
    """
    if by is not None and by not in SICK_LEAVE_BY:
        raise ValueError(f"by must be one of {SICK_LEAVE_BY}, not {by!r}")
    groups: list[tuple[str, str, str]] = [(scope.key, TOTAL, TOTAL)]  # (node, group, label)
    if by == "gender":
        groups += [(scope.key, g, g) for g in GENDERS]
    elif by == "age":
        groups += [(scope.key, g, g) for g in AGE_BANDS]
    elif by == "area":
        groups += [(key, TOTAL, name) for key, name in sick_leave_parts(data, scope)]
    columns = SERIES["sick-leave"]
    if not len(data.months):
        return pd.DataFrame(columns=columns)
    parts = []
    for order, (node, group, label) in enumerate(groups):
        table = _sick_leave_limit(_sick_leave_group(data, node, group), start, end)
        if order and by == "area":
            table = table[_part_months(data, scope, node, table.index)]
        parts.append(table.assign(group=label, order=order, month=month_text(table.index)))
    table = pd.concat(parts).sort_values(["month", "order"], kind="stable")
    return table[columns].reset_index(drop=True)


def sick_leave_duration(
    data: SickLeaveData,
    *,
    scope: Scope,
    start: pd.Period | None = None,
    end: pd.Period | None = None,
) -> pd.DataFrame:
    """KPI 9, by length of sick period, for the scope's total: sick hours per month by
    day 1-14, 15-59 and 60-, the short-term rate (day 1-14 hours of ordinary hours)
    per month and R12, and the long-term share R12 (day 60- of all sick hours).
    Suppressed as `sick_leave`."""
    columns = SERIES["sick-leave-duration"]
    if not len(data.months):
        return pd.DataFrame(columns=columns)
    table = _sick_leave_limit(_sick_leave_group(data, scope.key, TOTAL), start, end)
    table = table.assign(month=month_text(table.index))
    return table[columns].reset_index(drop=True)


def sick_leave_target(data: SickLeaveData, *, scope: Scope, month: pd.Period) -> float | None:
    """The sick-leave target (%) of the month's year for the scope: its own, or the
    administration's where a controller marked it to follow it; else None."""
    return target_for(data.targets, year=month.year, scope=scope.key)


def sick_leave_target_follows_hsf(data: SickLeaveData, *, scope: Scope, month: pd.Period) -> bool:
    """Whether that target is the administration's (the page then says so)."""
    return target_follows_hsf(data.targets, year=month.year, scope=scope.key)

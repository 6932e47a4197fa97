"""The KPI series: one function per series, used by pages, CSV downloads and export_kpi.

Each cost function takes the loaded `CostData` and a `Scope` and returns a
DataFrame whose columns are exactly the export columns (README, "Command line
exports"): amounts in SEK, percentages in %, months as 'YYYY-MM', missing
values as NaN. The sick-leave functions take `SickLeaveData` the same way and
never return a value of a group too small to show (`sick_leave_cells`).
The maths lives in kpis.metrics; this module only selects and arranges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from hyrdash.suppression import LinkedBreakdowns

from . import metrics
from .models import AGENCY_CATEGORIES, OWN_STAFF_CATEGORIES, CareType, Category
from .selectors import HSF, SICK_LEAVE_HOURS, CostData, Scope, SickLeaveData

PROFESSIONS = [str(c) for c in AGENCY_CATEGORIES]  # hyr_lakare, hyr_ssk_bm, hyr_ovriga
OWN_STAFF = [str(c) for c in OWN_STAFF_CATEGORIES]
# Display labels, lazy (translated when shown): str() them for JSON and Plotly.
PROFESSION_LABELS = {
    Category.HYR_LAKARE.value: _("Läkare"),
    Category.HYR_SSK_BM.value: _("Ssk/Bm"),
    Category.HYR_OVRIGA.value: _("Övriga"),
    "total": _("Totalt"),
}

SERIES = {
    "agency-ytd": ["profession", "ytd_sek", "ytd_prev_sek", "change_sek", "change_pct"],
    "agency-monthly": ["month", "profession", "amount_sek"],
    "agency-r12": ["month", "agency_r12_sek"],
    "skr-measure": ["month", "agency_r12_sek", "own_staff_r12_sek", "ratio_pct", "target_pct"],
    "agency-r12-by-area": ["month", "area", "agency_r12_sek"],
    "personnel-cost": ["month", "actual_sek", "budget_sek", "actual_prev_year_sek"],
    "agency-by-department": ["department", "profession", "amount_sek", "amount_prev_sek"],
    "agency-hours": ["month", "profession", "hours", "cost_per_hour_sek"],
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


def month_text(periods) -> list[str]:
    return [p.strftime("%Y-%m") for p in periods]


def _sums(data: CostData, *, kind: str, scope: Scope, value: str) -> pd.DataFrame:
    """Sum of `value` per month x category in the scope; cached on `data` for the page."""
    key = (kind, scope.key, value)
    if key not in data.cache:
        frame = scope.filter(getattr(data, kind))
        data.cache[key] = _wide(frame, [], value)
    return data.cache[key]


def _wide(frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """Sum of `value` per (keys..., month) x category; NaN where nothing was booked."""
    grouped = frame.groupby([*keys, "period", "category"], observed=True)[value].sum(min_count=1)
    wide = grouped.unstack("category")
    wide.columns = [str(c) for c in wide.columns]
    return wide


def _series(
    wide: pd.DataFrame, *, categories: list[str], months: pd.PeriodIndex, value: str = "amount"
) -> pd.Series:
    """Categories summed per month, completed over the months with data (0 where none)."""
    columns = [c for c in categories if c in wide.columns]
    if columns:
        sums = wide[columns].sum(axis=1, min_count=1)
        sums.index = pd.PeriodIndex(sums.index, freq="M")
    else:
        sums = pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype="float64")
    if value == "amount":
        sums = sums.fillna(0.0)
    return metrics.complete_series(sums, months_with_data=months)


def monthly(
    data: CostData,
    *,
    scope: Scope,
    categories: list[str],
    kind: str = "actuals",
    value: str = "amount",
) -> pd.Series:
    """The scope's monthly sum of `value` over `categories`, 0 in months with data."""
    months = data.months_actuals if kind == "actuals" else data.months_budget
    wide = _sums(data, kind=kind, scope=scope, value=value)
    return _series(wide, categories=categories, months=months, value=value)


def _grouped(
    data: CostData, *, scope: Scope, key: str, categories: list[str]
) -> dict[str, pd.DataFrame]:
    """Per area or department of the scope: its month x category sums of actuals."""
    frame = scope.filter(data.actuals)
    frame = frame[frame["category"].isin(categories)]
    if frame.empty:
        return {}
    wide = _wide(frame, [key], "amount")
    return {str(name): part.droplevel(key) for name, part in wide.groupby(level=key)}


def _limit(table: pd.DataFrame, start: pd.Period | None, end: pd.Period | None) -> pd.DataFrame:
    if start is not None:
        table = table[table["month"] >= start.strftime("%Y-%m")]
    if end is not None:
        table = table[table["month"] <= end.strftime("%Y-%m")]
    return table.reset_index(drop=True)


def agency_ytd(data: CostData, *, scope: Scope, month: pd.Period) -> pd.DataFrame:
    """KPI 1: agency cost Jan..month vs the same months last year, per profession and total."""
    rows = []
    for code in [*PROFESSIONS, "total"]:
        categories = PROFESSIONS if code == "total" else [code]
        series = monthly(data, scope=scope, categories=categories)
        ytd = metrics.year_to_date(series, month=month)
        previous = metrics.same_period_last_year(series, month=month)
        change_sek, change_pct = metrics.change(ytd, previous)
        rows.append([code, ytd, previous, change_sek, change_pct])
    return _frame(rows, "agency-ytd")


def agency_monthly(
    data: CostData, *, scope: Scope, start=None, end=None, professions=PROFESSIONS
) -> pd.DataFrame:
    """KPI 2: agency cost per month and profession (SEK), for every month with data."""
    columns = {code: monthly(data, scope=scope, categories=[code]) for code in professions}
    table = pd.DataFrame(columns)
    table = table[table.index.isin(data.months_actuals)]
    long = table.stack(future_stack=True).reset_index()
    long.columns = ["month", "profession", "amount_sek"]
    long["month"] = month_text(long["month"])
    return _limit(long[SERIES["agency-monthly"]], start, end)


def agency_total(data: CostData, *, scope: Scope) -> pd.Series:
    """All agency cost per month (SEK), NaN where the month has no data."""
    return monthly(data, scope=scope, categories=PROFESSIONS)


def own_staff_total(data: CostData, *, scope: Scope) -> pd.Series:
    return monthly(data, scope=scope, categories=OWN_STAFF)


def agency_r12(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 3: agency cost R12 (SEK) for every month with data; empty where R12 is undefined."""
    r12 = metrics.rolling_12(agency_total(data, scope=scope))
    r12 = r12[r12.index.isin(data.months_actuals)]
    table = pd.DataFrame({"month": month_text(r12.index), "agency_r12_sek": r12.to_numpy()})
    return _limit(table, start, end)


def skr_measure(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 4: agency R12 ÷ own-staff R12 in %, with the target of the month's year."""
    measure = metrics.skr_measure(
        agency_total(data, scope=scope), own_staff_total(data, scope=scope)
    )
    measure = measure[measure.index.isin(data.months_actuals)]
    target_scope = scope.key if scope.kind in ("care", "area") else HSF
    table = pd.DataFrame(
        {
            "month": month_text(measure.index),
            "agency_r12_sek": measure["agency_r12"].to_numpy(),
            "own_staff_r12_sek": measure["own_staff_r12"].to_numpy(),
            "ratio_pct": measure["ratio_pct"].to_numpy(),
            "target_pct": [
                _nan(metrics.target_for(data.targets, year=p.year, scope=target_scope))
                for p in measure.index
            ],
        }
    )
    return _limit(table, start, end)


def agency_r12_by_area(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 3b: agency cost R12 (SEK) per area within the scope."""
    groups = _grouped(data, scope=scope, key="area", categories=PROFESSIONS)
    if scope.kind == HSF:
        areas = data.areas
    elif scope.kind == "area":
        areas = [scope.value]
    else:
        areas = sorted(set(scope.filter(data.actuals)["area"]))
    empty = pd.DataFrame()
    parts = []
    for area in areas:
        series = _series(
            groups.get(area, empty), categories=PROFESSIONS, months=data.months_actuals
        )
        r12 = metrics.rolling_12(series)
        r12 = r12[r12.index.isin(data.months_actuals)]
        parts.append(
            pd.DataFrame({"month": month_text(r12.index), "area": area, "agency_r12_sek": r12})
        )
    if not parts:
        return pd.DataFrame(columns=SERIES["agency-r12-by-area"])
    table = pd.concat(parts).sort_values(["month", "area"], kind="stable")
    return _limit(table[SERIES["agency-r12-by-area"]], start, end)


def personnel_cost(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 5: personnel cost (own staff + agency) per month: actual, budget, last year's actual.

    Rows for every month with actuals or budget. Budget is empty for a month no
    budget import covers; last year's actual is empty when that month has no data.
    """
    categories = OWN_STAFF + PROFESSIONS
    actual = monthly(data, scope=scope, categories=categories)
    budget = monthly(data, scope=scope, categories=categories, kind="budget")
    months = data.months_actuals.union(data.months_budget)
    if not len(months):
        return pd.DataFrame(columns=SERIES["personnel-cost"])
    prev = actual.copy()
    prev.index = prev.index + 12
    table = pd.DataFrame(
        {
            "month": month_text(months),
            "actual_sek": actual.reindex(months).to_numpy(),
            "budget_sek": budget.reindex(months).to_numpy(),
            "actual_prev_year_sek": prev.reindex(months).to_numpy(),
        }
    )
    return _limit(table, start, end)


def agency_by_department(
    data: CostData, *, scope: Scope, start: pd.Period, end: pd.Period
) -> pd.DataFrame:
    """KPI 6: agency cost per department and profession for start..end vs the same range
    last year (SEK); empty where a month of the range has no data."""
    frame = scope.filter(data.actuals)
    frame = frame[frame["category"].isin(PROFESSIONS)]
    if frame.empty or not len(data.months_actuals):
        return _frame([], "agency-by-department")
    table = (
        frame.groupby(["period", "department", "category"], observed=True)["amount"]
        .sum()
        .unstack(["department", "category"])
    )
    table.index = pd.PeriodIndex(table.index, freq="M")
    table = metrics.complete_series(table, months_with_data=data.months_actuals)
    current = metrics.range_sums(table, start=start, end=end)
    previous = metrics.range_sums(table, start=start - 12, end=end - 12)
    records = []
    for department, code in sorted(
        table.columns, key=lambda c: (str(c[0]), PROFESSIONS.index(c[1]))
    ):
        now, before = _none(current[(department, code)]), _none(previous[(department, code)])
        if not now and not before:
            continue  # a department without agency cost in either period
        records.append([str(department), str(code), now, before])
    return _frame(records, "agency-by-department")


def agency_hours(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 7: purchased agency hours per month and profession, with cost per hour (SEK/h)."""
    parts = []
    for code in PROFESSIONS:
        cost = monthly(data, scope=scope, categories=[code])
        hours = monthly(data, scope=scope, categories=[code], value="hours")
        hours = hours.where(hours.notna() | cost.isna(), 0.0)  # no hours reported: 0 hours
        per_hour = metrics.cost_per_hour(cost, hours)
        keep = cost.index.isin(data.months_actuals)
        parts.append(
            pd.DataFrame(
                {
                    "month": month_text(cost.index[keep]),
                    "profession": code,
                    "hours": hours[keep].to_numpy(),
                    "cost_per_hour_sek": per_hour[keep].to_numpy(),
                }
            )
        )
    table = pd.concat(parts).sort_values(["month"], kind="stable")
    return _limit(table[SERIES["agency-hours"]], start, end)


def _none(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def _nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _frame(rows: list[list], series: str) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=SERIES[series])
    for column in SERIES[series]:
        if column.endswith(("_sek", "_pct")):
            table[column] = pd.to_numeric(table[column], errors="coerce").astype("float64")
    return table


# --- sick leave (KPI 9) ---------------------------------------------------------------

TOTAL = "total"
GENDERS = ["K", "M"]
AGE_BANDS = ["-29", "30-49", "50-"]
GROUPS = [TOTAL, *GENDERS, *AGE_BANDS]
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


def _sick_leave_nodes(data: SickLeaveData) -> list[str]:
    """Every scope sick leave is published for, as scope keys: the administration, its
    areas and departments (the register), and the care types."""
    return [
        HSF,
        *(f"area:{area}" for area in data.areas),
        *(f"department:{name}" for name in sorted(data.departments)),
        *(f"care:{care}" for care in CareType.values),
    ]


def sick_leave_parts(data: SickLeaveData, scope: Scope) -> list[tuple[str, str]]:
    """The organisational parts shown under a scope, as (scope key, name): the areas of
    the administration, the departments of an area. A care type and a department have
    none: area x care type cells would make a second, crossed way to split the same
    people, and units are too small to show."""
    if scope.kind == HSF:
        return [(f"area:{area}", area) for area in data.areas]
    if scope.kind == "area":
        names = sorted(d for d, area in data.departments.items() if area == scope.value)
        return [(f"department:{name}", name) for name in names]
    return []


def _sick_leave_breakdowns(data: SickLeaveData) -> list[tuple[tuple, list[tuple]]]:
    """Every parent = sum of its children among the cells (node, group): a scope's total
    split by gender and by age; each group of the administration split into areas and
    into care types; each group of an area split into its departments."""
    nodes = _sick_leave_nodes(data)
    pairs = []
    for node in nodes:
        pairs.append(((node, TOTAL), [(node, g) for g in GENDERS]))
        pairs.append(((node, TOTAL), [(node, g) for g in AGE_BANDS]))
    for group in GROUPS:
        pairs.append(((HSF, group), [(f"area:{a}", group) for a in data.areas]))
        pairs.append(((HSF, group), [(f"care:{c}", group) for c in CareType.values]))
        for area in data.areas:
            parts = sick_leave_parts(data, Scope("area", area))
            pairs.append(((f"area:{area}", group), [(key, group) for key, _ in parts]))
    return pairs


# A month's suppression depends only on its group sizes, the organisation and the
# threshold, and takes tens of milliseconds: kept per process for the months of the
# pages to come (a month imported again has other sizes, hence another key).
_SUPPRESSED: dict[tuple, np.ndarray] = {}
_SUPPRESSED_MAX = 5000


def sick_leave_cells(data: SickLeaveData) -> pd.DataFrame:
    """Every published sick-leave figure's cell and whether it may be shown.

    Index (node, group, period): node a scope key (`_sick_leave_nodes`), group
    total, K, M or an age band, period every month with data. Columns: employees
    and the hours (0 where the scope had no rows that month), `hidden` (the small-
    group rule of hyrdash.suppression: fewer employees than data.threshold, or
    hidden so that a small group cannot be worked out from the others, over every
    breakdown at once) and `hidden_r12` (hidden in any month of the 12 ending with
    this one: an R12 value would otherwise let a hidden month be worked out from
    two neighbouring R12 values and the shown months).
    Computed once per SickLeaveData.
    """
    if "cells" in data.cache:
        return data.cache["cells"]
    nodes = _sick_leave_nodes(data)
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
    pairs = _sick_leave_breakdowns(data)
    structure = hash((data.threshold, tuple(sizes.index), repr(pairs)))
    linked = None
    hidden = pd.DataFrame(False, index=sizes.index, columns=sizes.columns)
    for month in sizes.columns:
        key = (structure, tuple(sizes[month].to_numpy().tolist()))
        if key not in _SUPPRESSED:
            linked = linked or LinkedBreakdowns(pairs)
            found = linked.suppress(sizes[month].to_dict(), threshold=data.threshold)
            if len(_SUPPRESSED) >= _SUPPRESSED_MAX:
                _SUPPRESSED.clear()
            _SUPPRESSED[key] = hidden.index.isin(list(found))
        hidden[month] = _SUPPRESSED[key]
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
    with every withheld value NaN; indexed by the months with data."""
    cells = sick_leave_cells(data)
    part = cells.loc[(node, group)]
    part.index = pd.PeriodIndex(part.index, freq="M")
    hours = {
        column: metrics.complete_series(part[column], months_with_data=data.months)
        for column in SICK_LEAVE_HOURS
    }
    measures = metrics.sick_leave_measures(
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
    table["preliminary"] = [data.is_preliminary(m) for m in table.index]
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
    of the administration, the departments of an area: group is their name).

    Per row: employees, ordinary and sick hours (all days), the month's rate, the R12
    rate and the long-term share R12 (kpis.metrics.sick_leave_measures), whether the
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
    """The sick-leave target (%) of the month's year for the scope; a scope without its
    own (a department, or a care type or area without one) has the administration's."""
    key = scope.key if scope.kind in ("care", "area") else HSF
    return metrics.target_for(data.targets, year=month.year, scope=key)

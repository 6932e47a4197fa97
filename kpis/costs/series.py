"""The KPI series: one function per series, used by pages, CSV downloads and export_kpi.

Each cost function takes the loaded `CostData` and a `Scope` and returns a
DataFrame whose columns are exactly the export columns (README, "Command line
exports"): amounts in SEK, percentages in %, months as 'YYYY-MM', missing
values as NaN.
The maths lives in kpis.costs.metrics and hyrdash.lib.periods; this module only
selects and arranges.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from hyrdash.lib import periods
from hyrdash.lib.periods import month_text
from kpis.costs import metrics as cost_metrics
from kpis.costs.selectors import CostData
from kpis.costs.target_path import COLUMNS as TARGET_PATH_COLUMNS
from kpis.costs.target_path import TargetPath, projection_points, target_path
from kpis.models import AGENCY_CATEGORIES, OWN_STAFF_CATEGORIES, Category
from kpis.organisation.scopes import UNIT, target_for
from kpis.organisation.selectors import HSF, Scope

PROFESSIONS = [str(c) for c in AGENCY_CATEGORIES]  # hyr_lakare, hyr_ssk_bm, hyr_ovriga

OWN_STAFF = [str(c) for c in OWN_STAFF_CATEGORIES]

# Display labels, lazy (translated when shown): str() them for JSON and Plotly.
PROFESSION_LABELS = {
    Category.HYR_LAKARE.value: _("Läkare"),
    Category.HYR_SSK_BM.value: _("Ssk/Bm"),
    Category.HYR_OVRIGA.value: _("Övriga"),
    "total": _("Totalt"),
}


# The month-indexed series end with `preliminary`: 1 for a month after the last closed
# one (hyrdash.lib.periods.is_preliminary), else 0.
SERIES = {
    "agency-ytd": ["profession", "ytd_sek", "ytd_prev_sek", "change_sek", "change_pct"],
    "agency-monthly": ["month", "profession", "amount_sek", "preliminary"],
    "agency-r12": ["month", "agency_r12_sek", "preliminary"],
    "skr-measure": [
        "month",
        "agency_r12_sek",
        "own_staff_r12_sek",
        "ratio_pct",
        "target_pct",
        "preliminary",
    ],
    "agency-r12-by-area": ["month", "area", "agency_r12_sek", "preliminary"],
    "personnel-cost": [
        "month",
        "actual_sek",
        "budget_sek",
        "actual_prev_year_sek",
        "preliminary",
    ],
    "agency-by-department": ["department", "profession", "amount_sek", "amount_prev_sek"],
    "agency-by-unit": ["unit", "unit_name", "profession", "amount_sek", "amount_prev_sek"],
    "agency-hours": ["month", "profession", "hours", "cost_per_hour_sek", "preliminary"],
    "skr-target-path": list(TARGET_PATH_COLUMNS),
    "skr-projection": ["month", "projected_pct", "target_pct"],
}


def _sums(data: CostData, *, kind: str, scope: Scope, value: str) -> pd.DataFrame:
    """Sum of `value` per month x category in the scope; cached on `data` for the page."""
    key = (kind, scope.key, value)
    if key not in data.cache:
        data.cache[key] = _wide(data.frame(kind, scope), [], value)
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
    return periods.complete_series(sums, months_with_data=months)


def monthly(
    data: CostData,
    *,
    scope: Scope,
    categories: list[str],
    kind: str = "actuals",
    value: str = "amount",
) -> pd.Series:
    """The scope's monthly sum of `value` over `categories`, 0 in months with data.
    Kept on `data` for the page (a dashboard asks for the same sums a dozen times); each
    caller gets its own copy."""
    key = ("monthly", kind, scope.key, tuple(categories), value)
    if key not in data.cache:
        months = data.months_actuals if kind == "actuals" else data.months_budget
        wide = _sums(data, kind=kind, scope=scope, value=value)
        data.cache[key] = _series(wide, categories=categories, months=months, value=value)
    return data.cache[key].copy()


def _grouped(
    data: CostData, *, scope: Scope, key: str, categories: list[str]
) -> dict[str, pd.DataFrame]:
    """Per area or department of the scope: its month x category sums of actuals."""
    frame = data.frame("actuals", scope)
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


def _finish(data: CostData, table: pd.DataFrame, name: str) -> pd.DataFrame:
    """A month-indexed series whole: its `preliminary` column (0/1, the one rule of
    hyrdash.lib.periods.is_preliminary) and its columns in order."""
    table = table.assign(
        preliminary=periods.preliminary_column(table["month"], closed_through=data.closed_through)
    )
    return table[SERIES[name]]


def _whole(data: CostData, key: tuple, build) -> pd.DataFrame:
    """The series `key` names (its name, the scope's key, what else it depends on) over
    every month with data, build()-ed once per `data` and kept on it: each month of a
    scope's page, its CSV and the other scopes' pages that show it (the SKR measure per
    scope) then only cut it (`_limit`, a new frame: the kept one is never changed).
    A series' value in a month depends on that month and the ones before it, never on
    start..end, so cutting the whole series gives what computing the cut did."""
    key = ("whole", *key)
    if key not in data.cache:
        data.cache[key] = build()
    return data.cache[key]


def agency_ytd(data: CostData, *, scope: Scope, month: pd.Period) -> pd.DataFrame:
    """KPI 1: agency cost Jan..month vs the same months last year, per profession and total."""
    rows = []
    for code in [*PROFESSIONS, "total"]:
        categories = PROFESSIONS if code == "total" else [code]
        series = monthly(data, scope=scope, categories=categories)
        ytd = periods.year_to_date(series, month=month)
        previous = periods.same_period_last_year(series, month=month)
        change_sek, change_pct = periods.change(ytd, previous)
        rows.append([code, ytd, previous, change_sek, change_pct])
    return _frame(rows, "agency-ytd")


def agency_monthly(
    data: CostData, *, scope: Scope, start=None, end=None, professions=PROFESSIONS
) -> pd.DataFrame:
    """KPI 2: agency cost per month and profession (SEK), for every month with data."""

    def build() -> pd.DataFrame:
        columns = {code: monthly(data, scope=scope, categories=[code]) for code in professions}
        table = pd.DataFrame(columns)
        table = table[table.index.isin(data.months_actuals)]
        long = table.stack(future_stack=True).reset_index()
        long.columns = ["month", "profession", "amount_sek"]
        long["month"] = month_text(long["month"])
        return _finish(data, long, "agency-monthly")

    key = ("agency-monthly", scope.key, tuple(professions))
    return _limit(_whole(data, key, build), start, end)


def agency_total(data: CostData, *, scope: Scope) -> pd.Series:
    """All agency cost per month (SEK), NaN where the month has no data."""
    return monthly(data, scope=scope, categories=PROFESSIONS)


def own_staff_total(data: CostData, *, scope: Scope) -> pd.Series:
    return monthly(data, scope=scope, categories=OWN_STAFF)


def agency_r12(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 3: agency cost R12 (SEK) for every month with data; empty where R12 is undefined."""

    def build() -> pd.DataFrame:
        r12 = periods.rolling_12(agency_total(data, scope=scope))
        r12 = r12[r12.index.isin(data.months_actuals)]
        table = pd.DataFrame({"month": month_text(r12.index), "agency_r12_sek": r12.to_numpy()})
        return _finish(data, table, "agency-r12")

    return _limit(_whole(data, ("agency-r12", scope.key), build), start, end)


def skr_measure(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 4: agency R12 ÷ own-staff R12 in %, with the scope's target of the month's
    year (its own, or the administration's where it follows it; else empty)."""

    def build() -> pd.DataFrame:
        measure = cost_metrics.skr_measure(
            agency_total(data, scope=scope), own_staff_total(data, scope=scope)
        )
        measure = measure[measure.index.isin(data.months_actuals)]
        table = pd.DataFrame(
            {
                "month": month_text(measure.index),
                "agency_r12_sek": measure["agency_r12"].to_numpy(),
                "own_staff_r12_sek": measure["own_staff_r12"].to_numpy(),
                "ratio_pct": measure["ratio_pct"].to_numpy(),
                "target_pct": [
                    _nan(target_for(data.targets, year=p.year, scope=scope.key))
                    for p in measure.index
                ],
            }
        )
        return _finish(data, table, "skr-measure")

    return _limit(_whole(data, ("skr-measure", scope.key), build), start, end)


def own_staff_budget_total(data: CostData, *, scope: Scope) -> pd.Series:
    """The own-staff budget per month (SEK), NaN where no budget import covers the month."""
    return monthly(data, scope=scope, categories=OWN_STAFF, kind="budget")


def skr_target_path(data: CostData, *, scope: Scope, month: pd.Period) -> TargetPath:
    """KPI 12, the target path at `month`: kpis.costs.target_path.target_path on the
    scope's agency and own-staff actuals, its own-staff budget and the target in force
    for the month's year (its own, the administration's where it follows it, else none).
    The page, its CSV, export_kpi skr-target-path and the steering pack all take it
    from here."""
    return target_path(
        agency=agency_total(data, scope=scope),
        own_staff_actual=own_staff_total(data, scope=scope),
        own_staff_budget=own_staff_budget_total(data, scope=scope),
        month=month,
        target_pct=target_for(data.targets, year=month.year, scope=scope.key),
    )


def skr_target_path_table(data: CostData, *, scope: Scope, month: pd.Period) -> pd.DataFrame:
    """KPI 12 as export_kpi prints it: one row, the columns of
    kpis.costs.target_path.COLUMNS (SEK, %, months), missing values NaN."""
    row = skr_target_path(data, scope=scope, month=month).as_row()
    table = pd.DataFrame([row], columns=SERIES["skr-target-path"])
    floats = ["target_pct", *SERIES["skr-target-path"][3:]]  # the year and months_left: ints
    return table.astype(dict.fromkeys(floats, "float64"))


def skr_projection(data: CostData, *, scope: Scope, month: pd.Period) -> pd.DataFrame:
    """The SKR measure R12 (%) projected for each month after `month` up to December
    (kpis.costs.target_path.projection_points: actuals, then the run rate and the
    budget), with the target of the year; no rows in December."""
    points = projection_points(
        agency=agency_total(data, scope=scope),
        own_staff_actual=own_staff_total(data, scope=scope),
        own_staff_budget=own_staff_budget_total(data, scope=scope),
        month=month,
    )
    target = _nan(target_for(data.targets, year=month.year, scope=scope.key))
    return pd.DataFrame(
        {
            "month": month_text(points.index),
            "projected_pct": points.to_numpy(dtype="float64"),
            "target_pct": [target] * len(points),
        },
        columns=SERIES["skr-projection"],
    )


def agency_r12_by_area(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 3b: agency cost R12 (SEK) per area within the scope."""
    build = partial(_r12_by_area, data, scope=scope)
    return _limit(_whole(data, ("agency-r12-by-area", scope.key), build), start, end)


def _r12_by_area(data: CostData, *, scope: Scope) -> pd.DataFrame:
    groups = _grouped(data, scope=scope, key="area", categories=PROFESSIONS)
    if scope.kind == HSF:
        areas = data.areas
    elif scope.kind == "area":
        areas = [scope.value]
    else:
        areas = sorted(set(data.frame("actuals", scope)["area"]))
    empty = pd.DataFrame()
    parts = []
    for area in areas:
        series = _series(
            groups.get(area, empty), categories=PROFESSIONS, months=data.months_actuals
        )
        r12 = periods.rolling_12(series)
        r12 = r12[r12.index.isin(data.months_actuals)]
        parts.append(
            pd.DataFrame({"month": month_text(r12.index), "area": area, "agency_r12_sek": r12})
        )
    if not parts:
        return pd.DataFrame(columns=SERIES["agency-r12-by-area"])
    table = pd.concat(parts).sort_values(["month", "area"], kind="stable")
    return _finish(data, table, "agency-r12-by-area")


def personnel_cost(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 5: personnel cost (own staff + agency) per month: actual, budget, last year's actual.

    Rows for every month with actuals or budget. Budget is empty for a month no
    budget import covers; last year's actual is empty when that month has no data.
    """
    build = partial(_personnel_cost, data, scope=scope)
    return _limit(_whole(data, ("personnel-cost", scope.key), build), start, end)


def _personnel_cost(data: CostData, *, scope: Scope) -> pd.DataFrame:
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
    return _finish(data, table, "personnel-cost")


def agency_by_department(
    data: CostData, *, scope: Scope, start: pd.Period, end: pd.Period
) -> pd.DataFrame:
    """KPI 6: agency cost per department and profession for start..end vs the same range
    last year (SEK); empty where a month of the range has no data."""
    frame = partial(data.frame, "actuals", scope)
    records = _agency_by(data, ("department", scope.key), frame, ["department"], start, end)
    return _frame(records, "agency-by-department")


def agency_by_unit(
    data: CostData, *, scope: Scope, start: pd.Period, end: pd.Period
) -> pd.DataFrame:
    """KPI 6 one level down: agency cost per unit (`unit` its ansvar, `unit_name` its
    name) and profession of a department, or of one unit, for start..end vs the same
    range last year (SEK). Costs are no personal data: every unit is shown."""
    if scope.kind == "department":
        frame = partial(data.unit_frame, "actuals", department=scope.value)
    elif scope.kind == UNIT:
        frame = partial(data.frame, "actuals", scope)
    else:
        raise ValueError(f"agency_by_unit needs a department or a unit, not {scope.key}")
    records = _agency_by(data, ("unit", scope.key), frame, ["unit", "unit_name"], start, end)
    return _frame(records, "agency-by-unit")


def _agency_by(
    data: CostData, key: tuple, frame, keys: list[str], start: pd.Period, end: pd.Period
) -> list[list]:
    """[*key values, profession, amount_sek, amount_prev_sek] per group of `keys` with
    agency cost in either range, sorted by the keys and the professions' order. The
    monthly sums per group (`frame()`'s, grouped) are kept on `data` under `key`: each
    range of the same scope then only adds them up."""

    def build() -> pd.DataFrame | None:
        rows = frame()
        rows = rows[rows["category"].isin(PROFESSIONS)]
        if rows.empty or not len(data.months_actuals):
            return None
        table = (
            rows.groupby(["period", *keys, "category"], observed=True)["amount"]
            .sum()
            .unstack([*keys, "category"])
        )
        table.index = pd.PeriodIndex(table.index, freq="M")
        return periods.complete_series(table, months_with_data=data.months_actuals)

    table = _whole(data, ("agency-by", *key), build)
    if table is None:
        return []
    current = periods.range_sums(table, start=start, end=end)
    previous = periods.range_sums(table, start=start - 12, end=end - 12)
    records = []
    for column in sorted(
        table.columns, key=lambda c: (*(str(k) for k in c[:-1]), PROFESSIONS.index(c[-1]))
    ):
        now, before = _none(current[column]), _none(previous[column])
        if not now and not before:
            continue  # no agency cost in either period
        records.append([*(str(k) for k in column[:-1]), str(column[-1]), now, before])
    return records


def agency_hours(data: CostData, *, scope: Scope, start=None, end=None) -> pd.DataFrame:
    """KPI 7: purchased agency hours per month and profession, with cost per hour (SEK/h)."""
    build = partial(_agency_hours, data, scope=scope)
    return _limit(_whole(data, ("agency-hours", scope.key), build), start, end)


def _agency_hours(data: CostData, *, scope: Scope) -> pd.DataFrame:
    parts = []
    for code in PROFESSIONS:
        cost = monthly(data, scope=scope, categories=[code])
        hours = monthly(data, scope=scope, categories=[code], value="hours")
        hours = hours.where(hours.notna() | cost.isna(), 0.0)  # no hours reported: 0 hours
        per_hour = cost_metrics.cost_per_hour(cost, hours)
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
    return _finish(data, table, "agency-hours")


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

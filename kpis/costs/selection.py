"""What the cost dashboard shows: the selection and the table behind each chart.

- `parse_selection` reads `manad`, `urval`, `fran` and `till`, falling back to
  the defaults with a message the user can read when a value is wrong.
- `series_table` is the table behind each chart: the page shows it and the CSV
  download returns it, so the two never disagree.
- `dashboard_codes` are the charts a scope's page shows (chart 7 per department, or
  per unit on a department's or a unit's page); `scope_path` is the breadcrumb's
  scopes, from the administration down to the selected one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hyrdash.lib.page import MONTH, SCOPE, MonthSelection, clean_param, month_options, parse_month
from kpis.costs import series
from kpis.costs.selectors import CostData
from kpis.national import series as national_series
from kpis.organisation import selectors as org_selectors
from kpis.organisation.scopes import UNIT
from kpis.organisation.selectors import DASHBOARD_CARE_TYPES, Scope, parse_month_and_scope

FROM = "fran"


TO = "till"


# Chart codes: series names, also the commentary keys and the CSV download names.
AGENCY_YTD = "agency-ytd"


SKR_SCOPES = "skr-measure-scopes"


SKR_TARGET_PATH = "skr-target-path"


BY_DEPARTMENT = "agency-by-department"


BY_UNIT = "agency-by-unit"


NATIONAL = national_series.REGIONS


NATIONAL_TREND = national_series.TREND


CHART_CODES = [
    AGENCY_YTD,
    "agency-monthly",
    "agency-r12",
    "skr-measure",
    SKR_TARGET_PATH,
    SKR_SCOPES,
    "agency-r12-by-area",
    "personnel-cost",
    BY_DEPARTMENT,
    BY_UNIT,
    "agency-hours",
    NATIONAL_TREND,
    NATIONAL,
]

# The charts without a figure of their own (a table and a sentence).
TABLE_ONLY = {SKR_TARGET_PATH}


SKR_SCOPES_COLUMNS = ["scope", *series.SERIES["skr-measure"]]


# --- the selection ------------------------------------------------------------------


@dataclass(frozen=True)
class Selection(MonthSelection):
    """What the user chose: month, scope, and the month range of chart 7."""

    month: pd.Period
    scope: Scope
    start: pd.Period
    end: pd.Period
    range_given: bool = False

    @property
    def start_text(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def end_text(self) -> str:
        return self.end.strftime("%Y-%m")

    def params(self, *, scope: Scope | None = None) -> dict[str, str]:
        """The GET parameters that reproduce this selection (for links and downloads), or
        the same month and range for another scope (the drill-down's links)."""
        params = {MONTH: self.month_text, SCOPE: (scope or self.scope).key}
        if self.range_given:
            params[FROM] = self.start_text
            params[TO] = self.end_text
        return params

    def query(self, *, scope: Scope | None = None) -> str:
        return urlencode(self.params(scope=scope))


def parse_selection(params, *, data: CostData) -> tuple[Selection, list[str]]:
    """The selection in `params` (a QueryDict or dict), and messages for what was ignored.

    Needs data.last_month (the page shows the empty state before calling this).
    """
    month, scope, problems = parse_month_and_scope(
        params,
        months=data.months_actuals,
        default=data.last_month,
        no_data=_("%(month)s har inga utfall; visar %(shown)s."),
        units=True,  # a unit's costs are no personal data
    )
    start, end, range_given = month - 2, month, False
    raw_from, raw_to = clean_param(params.get(FROM)), clean_param(params.get(TO))
    if raw_from or raw_to:
        first = parse_month(raw_from) if raw_from else start
        last = parse_month(raw_to) if raw_to else end
        if first is None or last is None:
            problems.append(
                _(
                    "Perioden för kostnad per verksamhet förstås inte (skriv ÅÅÅÅ-MM); "
                    "visar de tre senaste månaderna."
                )
            )
        elif first > last:
            problems.append(
                _(
                    "Perioden för kostnad per verksamhet börjar efter att den slutar; "
                    "visar de tre senaste månaderna."
                )
            )
        else:
            start, end, range_given = first, last, True
    return Selection(month, scope, start, end, range_given), problems


def scope_choices(data: CostData, selected: Scope) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scope select's groups: (group label, [(key, label)]); "" for no group. The
    departments are listed under their area (kpis.organisation.selectors.scope_choices)."""
    return org_selectors.scope_choices(
        care_types=DASHBOARD_CARE_TYPES,
        areas=data.areas,
        departments=data.departments,
        selected=selected,
    )


def month_choices(data: CostData) -> list[tuple[str, str]]:
    """(YYYY-MM, label) for every month with actuals, newest first."""
    return month_options(data.months_actuals, data.is_preliminary)


def dashboard_codes(scope: Scope) -> list[str]:
    """The charts of a scope's page, in order: chart 7 is per department, or per unit on
    a department's or a unit's page (the drill-down's last step)."""
    left_out = BY_DEPARTMENT if scope.kind in ("department", UNIT) else BY_UNIT
    return [code for code in CHART_CODES if code != left_out]


def scope_path(scope: Scope, data: CostData) -> list[Scope]:
    """The scopes from the administration down to `scope` (the breadcrumb): hsf, then a
    care type, or an area, its department and the department's unit."""
    path = [Scope()]
    if scope.kind in ("care", "area"):
        path.append(scope)
    elif scope.kind in ("department", UNIT):
        department = scope.parent if scope.kind == UNIT else scope.value
        if department in data.departments:
            path.append(Scope("area", data.departments[department]))
        path.append(Scope("department", department))
        if scope.kind == UNIT:
            path.append(scope)
    return path


def dashboard_scopes(data: CostData) -> list[Scope]:
    """The scopes of chart 4's small multiples: HSF, each care type, each area."""
    return [
        Scope(),
        *(Scope("care", c.value) for c in DASHBOARD_CARE_TYPES),
        *(Scope("area", name) for name in data.areas),
    ]


# --- the tables behind the charts ----------------------------------------------------


def national_quarter(national: pd.DataFrame, *, month: pd.Period) -> str | None:
    """The quarter of the national comparison the month shows (the pack names it too)."""
    return national_series.chosen_quarter(national, month=month)


def _trim(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Drop the leading months where an R12 is not defined yet."""
    present = table[column].notna().to_numpy()
    if not present.any():
        return table.iloc[0:0].reset_index(drop=True)
    return table.iloc[present.argmax() :].reset_index(drop=True)


def series_table(  # noqa: C901 (one flat branch per chart code)
    code: str,
    data: CostData,
    selection: Selection,
    *,
    national: pd.DataFrame | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """The table chart `code` shows for this selection (raises KeyError for unknown codes).

    The national comparison's charts need the stored `national` table and our `region`
    (the site's, kpis.national.series.our_region, when not given).

    Amounts in SEK, percentages in %, months 'YYYY-MM' (kpis.series). Time
    series end with the selected month: the page shows the state as of that month.
    """
    scope, month = selection.scope, selection.month
    if code == AGENCY_YTD:
        return series.agency_ytd(data, scope=scope, month=month)
    if code == "agency-monthly":
        start = pd.Period(year=month.year - 2, month=1, freq="M")
        return series.agency_monthly(data, scope=scope, start=start, end=month)
    if code == "agency-r12":
        return _trim(series.agency_r12(data, scope=scope, end=month), "agency_r12_sek")
    if code == "skr-measure":
        return _trim(series.skr_measure(data, scope=scope, end=month), "ratio_pct")
    if code == SKR_TARGET_PATH:
        return series.skr_target_path_table(data, scope=scope, month=month)
    if code == SKR_SCOPES:
        parts = []
        for each in dashboard_scopes(data):
            table = _trim(series.skr_measure(data, scope=each, end=month), "ratio_pct")
            parts.append(table.assign(scope=each.key)[SKR_SCOPES_COLUMNS])
        return pd.concat(parts, ignore_index=True)
    if code == "agency-r12-by-area":
        table = series.agency_r12_by_area(data, scope=scope, end=month)
        return table[table["agency_r12_sek"].notna()].reset_index(drop=True)
    if code == "personnel-cost":
        table = series.personnel_cost(
            data,
            scope=scope,
            start=pd.Period(year=month.year, month=1, freq="M"),
            end=pd.Period(year=month.year, month=12, freq="M"),
        )
        # Budget for the whole year, actuals only up to the selected month.
        table.loc[table["month"] > selection.month_text, "actual_sek"] = float("nan")
        return table
    if code == BY_DEPARTMENT:
        return series.agency_by_department(
            data, scope=scope, start=selection.start, end=selection.end
        )
    if code == BY_UNIT:
        return series.agency_by_unit(data, scope=scope, start=selection.start, end=selection.end)
    if code == "agency-hours":
        start = pd.Period(year=month.year - 1, month=1, freq="M")
        return series.agency_hours(data, scope=scope, start=start, end=month)
    if code == NATIONAL:
        return national_series.regions(national, month=month)
    if code == NATIONAL_TREND:
        region = region or national_series.our_region()
        return national_series.trend(national, region=region, month=month)
    raise KeyError(code)


def csv_filename(code: str, selection: Selection, table: pd.DataFrame | None = None) -> str:
    """'hyrdash-skr-measure-hsf-2024-10.csv' (ASCII: å, ä, ö become a, a, o)."""
    if code in (NATIONAL, NATIONAL_TREND):
        quarter = table["quarter"].iloc[-1] if table is not None and len(table) else "saknas"
        return f"hyrdash-{code}-{quarter}.csv"
    scope = slugify(selection.scope.key.replace(":", "-")) or "hsf"
    if code in (BY_DEPARTMENT, BY_UNIT):
        period = f"{selection.start:%Y-%m}-{selection.end:%Y-%m}"
    else:
        period = selection.month_text
    return f"hyrdash-{code}-{scope}-{period}.csv"

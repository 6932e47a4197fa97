"""The steering group's cost dashboard: from GET parameters and one CostData to charts.

- `parse_selection` reads `manad`, `urval`, `fran` and `till`, falling back to
  the defaults with a message the user can read when a value is wrong.
- `series_table` is the table behind each chart: the page shows it and the CSV
  download returns it, so the two never disagree.
- `build_charts` turns the tables into what the template draws: a Plotly
  figure (as JSON for json_script), a short text summary for screen readers,
  the numbers as table rows, the month's commentary.

The page reads the database a fixed number of times (selectors.cost_data,
commentaries, national_shares), however many charts and scopes it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import charts, series
from .formatting import format_change_text, format_mkr, format_number, format_pct, format_tkr
from .selectors import DASHBOARD_CARE_TYPES, CostData, Scope, ScopeError
from .series import PROFESSION_LABELS, PROFESSIONS

MONTH = "manad"
SCOPE = "urval"
FROM = "fran"
TO = "till"

# Chart codes: series names, also the commentary keys and the CSV download names.
AGENCY_YTD = "agency-ytd"
SKR_SCOPES = "skr-measure-scopes"
NATIONAL = "national"
CHART_CODES = [
    AGENCY_YTD,
    "agency-monthly",
    "agency-r12",
    "skr-measure",
    SKR_SCOPES,
    "agency-r12-by-area",
    "personnel-cost",
    "agency-by-department",
    "agency-hours",
    NATIONAL,
]
NATIONAL_COLUMNS = ["quarter", "region", "share_pct", "is_average"]
SKR_SCOPES_COLUMNS = ["scope", *series.SERIES["skr-measure"]]

COLLAPSE_ROWS = 12
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


# --- the selection ------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What the user chose: month, scope, and the month range of chart 7."""

    month: pd.Period
    scope: Scope
    start: pd.Period
    end: pd.Period
    range_given: bool = False

    @property
    def month_text(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def start_text(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def end_text(self) -> str:
        return self.end.strftime("%Y-%m")

    @property
    def month_label(self) -> str:
        return charts.month_label(self.month)

    def params(self) -> dict[str, str]:
        """The GET parameters that reproduce this selection (for links and downloads)."""
        params = {MONTH: self.month_text, SCOPE: self.scope.key}
        if self.range_given:
            params[FROM] = self.start_text
            params[TO] = self.end_text
        return params

    def query(self) -> str:
        return urlencode(self.params())


def parse_month(text: str | None) -> pd.Period | None:
    """'2024-10' -> Period; None for anything else."""
    match = _MONTH_RE.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return pd.Period(year=int(match.group(1)), month=int(match.group(2)), freq="M")


def _clean(text: str | None, limit: int = 200) -> str:
    """A parameter as safe text: no control characters (a NUL breaks PostgreSQL), bounded."""
    return "".join(ch for ch in (text or "") if ch.isprintable())[:limit]


def parse_month_and_scope(
    params, *, months, default: pd.Period, no_data: str
) -> tuple[pd.Period, Scope, list[str]]:
    """The month (one of `months`, else `default`) and the scope in `params`, and messages
    for what was ignored; `no_data` says that a month has no data ("%(month)s har inga
    utfall; visar %(shown)s."). The cost dashboard's and the sick-leave page's."""
    problems: list[str] = []
    month = default
    raw_month = _clean(params.get(MONTH))
    if raw_month:
        parsed = parse_month(raw_month)
        if parsed is None:
            problems.append(
                _("Månaden ”%(value)s” förstås inte (skriv ÅÅÅÅ-MM); visar %(month)s.")
                % {"value": raw_month, "month": charts.month_label(month)}
            )
        elif parsed not in months:
            problems.append(
                no_data
                % {
                    "month": charts.month_label(parsed).capitalize(),
                    "shown": charts.month_label(month),
                }
            )
        else:
            month = parsed
    try:
        scope = Scope.parse(_clean(params.get(SCOPE)) or None)
    except ScopeError as exc:
        problems.append(_("%(problem)s Visar hela förvaltningen.") % {"problem": exc})
        scope = Scope()
    return month, scope, problems


def parse_selection(params, *, data: CostData) -> tuple[Selection, list[str]]:
    """The selection in `params` (a QueryDict or dict), and messages for what was ignored.

    Needs data.last_month (the page shows the empty state before calling this).
    """
    month, scope, problems = parse_month_and_scope(
        params,
        months=data.months_actuals,
        default=data.last_month,
        no_data=_("%(month)s har inga utfall; visar %(shown)s."),
    )
    start, end, range_given = month - 2, month, False
    raw_from, raw_to = _clean(params.get(FROM)), _clean(params.get(TO))
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
    """The scope select's groups: (group label, [(key, label)]); "" for no group."""
    groups = [
        ("", [(Scope().key, Scope().label)]),
        (_("Vårdtyp"), [(f"care:{c.value}", str(c.label)) for c in DASHBOARD_CARE_TYPES]),
        (_("Område"), [(f"area:{name}", name) for name in data.areas]),
    ]
    if selected.key not in {key for _group, choices in groups for key, _label in choices}:
        groups.append((_("Annat urval"), [(selected.key, selected.label)]))
    return groups


def month_choices(data: CostData) -> list[tuple[str, str]]:
    """(YYYY-MM, label) for every month with actuals, newest first."""
    return month_options(data.months_actuals, data.is_preliminary)


def month_options(months, is_preliminary) -> list[tuple[str, str]]:
    """(YYYY-MM, label) for each of `months`, newest first, marked where preliminary."""
    return [
        (
            month.strftime("%Y-%m"),
            charts.month_label(month) + (preliminary_mark() if is_preliminary(month) else ""),
        )
        for month in reversed(months)
    ]


def preliminary_mark() -> str:
    """' (prel.)' after a month that is not closed yet."""
    return " " + _("(prel.)")


def table_note() -> str:
    """The last sentence of every chart's text summary."""
    return _("Siffrorna finns i tabellen under diagrammet.")


def sentences(*parts: str) -> str:
    """Sentences joined by spaces, empty ones left out."""
    return " ".join(str(part) for part in parts if part)


def dashboard_scopes(data: CostData) -> list[Scope]:
    """The scopes of chart 4's small multiples: HSF, each care type, each area."""
    return [
        Scope(),
        *(Scope("care", c.value) for c in DASHBOARD_CARE_TYPES),
        *(Scope("area", name) for name in data.areas),
    ]


# --- the tables behind the charts ----------------------------------------------------


def _quarter_key(quarter: str) -> tuple[int, int]:
    match = _QUARTER_RE.match(quarter)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def national_quarter(national: pd.DataFrame, *, month: pd.Period) -> str | None:
    """The latest quarter of the national table up to the selected month's quarter.

    If every stored quarter is later than the month, the earliest one is used.
    """
    if national is None or national.empty:
        return None
    quarters = sorted(set(national["quarter"]), key=_quarter_key)
    current = (month.year, month.quarter)
    earlier = [q for q in quarters if _quarter_key(q) <= current]
    return earlier[-1] if earlier else quarters[0]


def _trim(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Drop the leading months where an R12 is not defined yet."""
    present = table[column].notna().to_numpy()
    if not present.any():
        return table.iloc[0:0].reset_index(drop=True)
    return table.iloc[present.argmax() :].reset_index(drop=True)


def series_table(
    code: str,
    data: CostData,
    selection: Selection,
    *,
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The table chart `code` shows for this selection (raises KeyError for unknown codes).

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
    if code == "agency-by-department":
        return series.agency_by_department(
            data, scope=scope, start=selection.start, end=selection.end
        )
    if code == "agency-hours":
        start = pd.Period(year=month.year - 1, month=1, freq="M")
        return series.agency_hours(data, scope=scope, start=start, end=month)
    if code == NATIONAL:
        quarter = national_quarter(national, month=month)
        if quarter is None:
            return pd.DataFrame(columns=NATIONAL_COLUMNS)
        table = national[national["quarter"] == quarter]
        return table.sort_values("share_pct", ascending=False, kind="stable")[
            NATIONAL_COLUMNS
        ].reset_index(drop=True)
    raise KeyError(code)


def csv_filename(code: str, selection: Selection, table: pd.DataFrame | None = None) -> str:
    """'hyrdash-skr-measure-hsf-2024-10.csv' (ASCII: å, ä, ö become a, a, o)."""
    if code == NATIONAL:
        quarter = table["quarter"].iloc[0] if table is not None and len(table) else "saknas"
        return f"hyrdash-national-{quarter}.csv"
    scope = slugify(selection.scope.key.replace(":", "-")) or "hsf"
    if code == "agency-by-department":
        period = f"{selection.start:%Y-%m}-{selection.end:%Y-%m}"
    else:
        period = selection.month_text
    return f"hyrdash-{code}-{scope}-{period}.csv"


# --- what the template draws -------------------------------------------------------


@dataclass
class Column:
    label: str
    unit: str = "text"  # text, tkr, mkr, kr, pct, pct2, num
    header: bool = False  # a row header (th scope="row")


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[dict]  # {"cells": [{"value", "unit", "header"}], "preliminary": bool}

    @property
    def collapsed(self) -> bool:
        return len(self.rows) > COLLAPSE_ROWS


@dataclass
class Chart:
    code: str
    number: str
    heading: str
    summary: str  # the chart's aria-label
    figure: dict | None = None
    tables: list[Table] = field(default_factory=list)
    cards: list[dict] = field(default_factory=list)
    note: str = ""
    comment: object = None  # a Commentary or None
    downloadable: bool = True
    file_stem: str = "hyrdash"  # the downloads' file name without extension
    csv_url: str = ""  # the CSV download; "" for the cost dashboard's own (dashboard_csv)

    @property
    def figure_id(self) -> str:
        return f"fig-{self.code}"


def _table(
    caption: str,
    columns: list[Column],
    records: list[list],
    preliminary: list[bool] | None = None,
    emphasis: list[bool] | None = None,
) -> Table:
    """Rows of cells with their units; `preliminary` and `emphasis` flag rows."""
    rows = []
    for i, record in enumerate(records):
        cells = [
            {"value": value, "unit": column.unit, "header": column.header}
            for value, column in zip(record, columns, strict=True)
        ]
        rows.append(
            {
                "cells": cells,
                "preliminary": bool(preliminary and preliminary[i]),
                "emphasis": bool(emphasis and emphasis[i]),
            }
        )
    return Table(caption, columns, rows)


def _month_cells(months, preliminary: set[str]) -> tuple[list[str], list[bool]]:
    flags = [m in preliminary for m in months]
    labels = [
        charts.short_month_label(m) + (preliminary_mark() if f else "")
        for m, f in zip(months, flags, strict=True)
    ]
    return labels, flags


def _month_table(
    caption: str, columns: list[Column], months, values: pd.DataFrame, preliminary: set[str]
) -> Table:
    """A row per month: the month as the row header, marked where it is preliminary, then
    that month's row of `values` (a column each in `columns`)."""
    labels, flags = _month_cells(months, preliminary)
    records = [
        [label, *row] for label, row in zip(labels, values.itertuples(index=False), strict=True)
    ]
    return _table(caption, [Column(_("Månad"), header=True), *columns], records, flags)


def _span(months) -> str:
    months = list(months)
    if not months:
        return ""
    return f"{charts.short_month_label(months[0])}–{charts.short_month_label(months[-1])}"


def _ytd_chart(table: pd.DataFrame, selection: Selection) -> Chart:
    month = selection.month
    rows = table.set_index("profession")
    cards = []
    for code in [*PROFESSIONS, "total"]:
        row = rows.loc[code]
        cards.append(
            {
                "code": code,
                "label": PROFESSION_LABELS[code],
                "ytd_sek": row["ytd_sek"],
                "change_text": format_change_text(row["change_sek"], row["change_pct"]),
                "direction": (
                    ""
                    if pd.isna(row["change_sek"]) or row["change_sek"] == 0
                    else ("up" if row["change_sek"] > 0 else "down")
                ),
            }
        )
    total = rows.loc["total"]
    period = f"{charts.month_abbr(1)}–{charts.month_abbr(month.month)}"
    summary = sentences(
        _(
            "Stapeldiagram: kostnad för hyrpersonal %(period)s %(year)s jämfört med samma "
            "period %(previous)s, per yrkesgrupp. Totalt %(total)s, %(change)s."
        )
        % {
            "period": period,
            "year": month.year,
            "previous": month.year - 1,
            "total": format_mkr(total["ytd_sek"]),
            "change": format_change_text(total["change_sek"], total["change_pct"]),
        },
        table_note(),
    )
    caption = _(
        "Kostnader hyrpersonal ack %(month)s jämfört med samma period %(previous)s per yrkesgrupp"
    ) % {"month": charts.month_label(month), "previous": month.year - 1}
    columns = [
        Column(_("Yrkesgrupp"), header=True),
        Column(_("Ack %(year)s") % {"year": month.year}, "mkr"),
        Column(_("Ack %(year)s") % {"year": month.year - 1}, "mkr"),
        Column(_("Förändring"), "mkr"),
        Column(_("Förändring (%)"), "pct"),
    ]
    records = [
        [PROFESSION_LABELS[r.profession], r.ytd_sek, r.ytd_prev_sek, r.change_sek, r.change_pct]
        for r in table.itertuples(index=False)
    ]
    return Chart(
        code=AGENCY_YTD,
        number="1",
        heading=_("Kostnader hittills i år"),
        summary=summary,
        figure=charts.to_json(charts.agency_ytd_figure(table, month=month)),
        tables=[_table(caption, columns, records, emphasis=list(table["profession"] == "total"))],
        cards=cards,
    )


def _monthly_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
    month = selection.month
    wide = table.pivot_table(
        index="month", columns="profession", values="amount_sek", aggfunc="sum", dropna=False
    ).reindex(columns=PROFESSIONS)
    wide = wide[wide.notna().any(axis=1)] if len(wide) else wide
    wide["total"] = wide[PROFESSIONS].sum(axis=1, min_count=1)
    current = wide["total"].get(selection.month_text)
    summary = sentences(
        _(
            "Linjediagram: kostnad för hyrpersonal per månad, en linje per år "
            "%(first)s–%(last)s, i miljoner kronor. %(month)s: %(value)s."
        )
        % {
            "first": month.year - 2,
            "last": month.year,
            "month": charts.month_label(month).capitalize(),
            "value": format_mkr(current),
        },
        table_note(),
    )
    return Chart(
        code="agency-monthly",
        number="2",
        heading=_("Kostnad per månad"),
        summary=summary,
        figure=charts.to_json(
            charts.agency_monthly_figure(table, month=month, preliminary=preliminary)
        ),
        tables=[
            _month_table(
                _("Kostnader hyrpersonal per månad och yrkesgrupp %(first)s–%(month)s")
                % {"first": month.year - 2, "month": charts.month_label(month)},
                [Column(PROFESSION_LABELS[c], "tkr") for c in [*PROFESSIONS, "total"]],
                wide.index,
                wide,
                preliminary,
            )
        ],
    )


def _r12_chart(table: pd.DataFrame, preliminary: set[str]) -> Chart:
    last = charts.latest(table, "agency_r12_sek")
    summary = sentences(
        _("Linjediagram: kostnaden för hyrpersonal rullande tolv månader, %(span)s.")
        % {"span": _span(table["month"])},
        _("Senast %(value)s (%(month)s).")
        % {
            "value": format_tkr(last),
            "month": charts.short_month_label(table["month"].iloc[-1]),
        }
        if last is not None
        else _("R12 saknas: det behövs utfall för tolv månader i följd."),
        table_note(),
    )
    return Chart(
        code="agency-r12",
        number="3",
        heading=_("Kostnad R12"),
        summary=summary,
        figure=charts.to_json(charts.agency_r12_figure(table, preliminary=preliminary)),
        tables=[
            _month_table(
                _("Kostnaden för hyrpersonal R12 per månad"),
                [Column(_("Kostnad R12"), "tkr")],
                table["month"],
                table[["agency_r12_sek"]],
                preliminary,
            )
        ],
    )


def _skr_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
    last = charts.latest(table, "ratio_pct")
    if last is not None:
        last_row = table[table["ratio_pct"].notna()].iloc[-1]
        values = {
            "value": format_pct(last, 2),
            "month": charts.short_month_label(last_row["month"]),
            "target": format_pct(last_row["target_pct"], 2),
        }
        if pd.notna(last_row["target_pct"]):
            latest_text = _("Senast %(value)s (%(month)s), mål %(target)s.") % values
        else:
            latest_text = _("Senast %(value)s (%(month)s).") % values
    else:
        latest_text = _("SKR-måttet saknas: det behövs utfall för tolv månader i följd.")
    summary = sentences(
        _(
            "Linjediagram: SKR-måttet, hyrkostnaden i procent av kostnaden för egen personal "
            "rullande tolv månader, för %(scope)s, %(span)s, med målet per år som streckad "
            "linje."
        )
        % {"scope": selection.scope.label, "span": _span(table["month"])},
        latest_text,
        table_note(),
    )
    columns = [
        Column(_("Hyrpersonal R12"), "tkr"),
        Column(_("Egen personal R12"), "tkr"),
        Column(_("SKR-mått"), "pct2"),
        Column(_("Mål"), "pct2"),
    ]
    values = table[["agency_r12_sek", "own_staff_r12_sek", "ratio_pct", "target_pct"]]
    return Chart(
        code="skr-measure",
        number="4",
        heading=_("SKR-måttet"),
        summary=summary,
        figure=charts.to_json(
            charts.skr_measure_figure(
                table, scope_label=selection.scope.label, preliminary=preliminary
            )
        ),
        tables=[
            _month_table(
                _("%(title)s, %(scope)s, per månad")
                % {"title": charts.SKR_TITLE, "scope": selection.scope.label},
                columns,
                table["month"],
                values,
                preliminary,
            )
        ],
    )


def _skr_scopes_chart(table: pd.DataFrame, data: CostData, preliminary: set[str]) -> Chart:
    scopes = dashboard_scopes(data)
    label_of = {s.key: s.label for s in scopes}
    tables = {
        label_of[s.key]: table[table["scope"] == s.key].reset_index(drop=True) for s in scopes
    }
    wide = table.pivot(index="month", columns="scope", values="ratio_pct").reindex(
        columns=[s.key for s in scopes]
    )
    ratio_table = _month_table(
        _("SKR-mått R12 (%) per månad för hela förvaltningen, varje vårdtyp och varje område"),
        [Column(s.label, "pct2") for s in scopes],
        wide.index,
        wide,
        preliminary,
    )
    years = table.assign(year=table["month"].str[:4])
    targets = (
        years.pivot_table(
            index="scope", columns="year", values="target_pct", aggfunc="first", dropna=False
        )
        .reindex([s.key for s in scopes])
        .dropna(axis=1, how="all")
    )
    target_table = _table(
        _("Mål för SKR-måttet (%) per urval och år"),
        [Column(_("Urval"), header=True)] + [Column(str(year), "pct2") for year in targets.columns],
        [
            [label_of[key], *row]
            for key, row in zip(targets.index, targets.itertuples(index=False), strict=True)
        ],
    )
    latest = []
    for s in scopes:
        value = charts.latest(tables[s.label], "ratio_pct")
        if value is not None:
            latest.append(f"{s.label} {format_pct(value, 2)}")
    summary = sentences(
        _(
            "Små linjediagram: SKR-måttet rullande tolv månader för hela förvaltningen, varje "
            "vårdtyp och varje område, med mål per år."
        ),
        _("Senaste värden: %(values)s.") % {"values": "; ".join(latest)}
        if latest
        else _("Inga värden ännu."),
        table_note(),
    )
    return Chart(
        code=SKR_SCOPES,
        number="4b",
        heading=_("SKR-måttet per vårdtyp och område"),
        summary=summary,
        figure=charts.to_json(charts.skr_measure_panels_figure(tables, preliminary=preliminary)),
        tables=[ratio_table, target_table],
    )


def _r12_area_chart(table: pd.DataFrame, preliminary: set[str]) -> Chart:
    wide = table.pivot(index="month", columns="area", values="agency_r12_sek")
    latest = (
        [f"{area} {format_mkr(value)}" for area, value in wide.iloc[-1].dropna().items()]
        if len(wide)
        else []
    )
    summary = sentences(
        _("Linjediagram: kostnad för hyrpersonal rullande tolv månader per område, %(span)s.")
        % {"span": _span(wide.index)},
        _("%(month)s: %(values)s.")
        % {
            "month": charts.short_month_label(wide.index[-1]).capitalize(),
            "values": "; ".join(latest),
        }
        if latest
        else _("R12 saknas: det behövs utfall för tolv månader i följd."),
        table_note(),
    )
    return Chart(
        code="agency-r12-by-area",
        number="5",
        heading=_("Kostnad R12 per område"),
        summary=summary,
        figure=charts.to_json(charts.agency_r12_by_area_figure(table, preliminary=preliminary)),
        tables=[
            _month_table(
                _("Kostnad hyrpersonal R12 per område och månad"),
                [Column(str(a), "mkr") for a in wide.columns],
                wide.index,
                wide,
                preliminary,
            )
        ],
    )


def _personnel_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
    year = selection.month.year
    # Only months with actuals are preliminary here; the rest of the year is budget.
    with_actuals = set(table.loc[table["actual_sek"].notna(), "month"]) & preliminary
    so_far = table[table["month"] <= selection.month_text]
    actual = so_far["actual_sek"].sum(min_count=1)
    budget = so_far["budget_sek"].sum(min_count=1)
    summary = sentences(
        _(
            "Stapel- och linjediagram: personalkostnader per månad %(year)s, utfall som "
            "staplar, budget och utfallet %(previous)s som linjer, i tusental kronor. Utfall "
            "ack %(month)s: %(actual)s, budget samma period: %(budget)s."
        )
        % {
            "year": year,
            "previous": year - 1,
            "month": charts.month_label(selection.month),
            "actual": format_tkr(actual),
            "budget": format_tkr(budget),
        },
        table_note(),
    )
    return Chart(
        code="personnel-cost",
        number="6",
        heading=_("Personalkostnader mot budget"),
        summary=summary,
        figure=charts.to_json(
            charts.personnel_cost_figure(table, year=year, preliminary=preliminary)
        ),
        tables=[
            _month_table(
                _("Personalkostnader %(year)s per månad: utfall, budget och utfall %(previous)s")
                % {"year": year, "previous": year - 1},
                [
                    Column(_("Utfall %(year)s") % {"year": year}, "tkr"),
                    Column(_("Budget %(year)s") % {"year": year}, "tkr"),
                    Column(_("Utfall %(year)s") % {"year": year - 1}, "tkr"),
                ],
                table["month"],
                table[["actual_sek", "budget_sek", "actual_prev_year_sek"]],
                with_actuals,
            )
        ],
    )


def _department_chart(table: pd.DataFrame, selection: Selection, data: CostData) -> Chart:
    start, end = selection.start, selection.end
    current = charts.range_label(start, end)
    previous = charts.range_label(start - 12, end - 12)
    in_range = pd.period_range(start, end, freq="M")
    preliminary_range = any(data.is_preliminary(m) for m in in_range)
    missing = [m for m in in_range if m not in data.months_actuals]
    notes = []
    if missing:
        notes.append(
            _("Utfall saknas för %(months)s; summorna visas som –.")
            % {"months": ", ".join(charts.short_month_label(m) for m in missing)}
        )
    if preliminary_range:
        notes.append(_("Perioden innehåller preliminära månader."))
    departments = table["department"].nunique()
    total = table["amount_sek"].sum(min_count=1)
    summary = sentences(
        _(
            "Liggande stapeldiagram: kostnad för hyrpersonal per verksamhet och yrkesgrupp "
            "%(current)s jämfört med %(previous)s, i tusental kronor."
        )
        % {"current": current, "previous": previous},
        ngettext(
            "%(count)s verksamhet, totalt %(total)s.",
            "%(count)s verksamheter, totalt %(total)s.",
            departments,
        )
        % {"count": departments, "total": format_tkr(total)},
        table_note(),
    )
    records = [
        [r.department, PROFESSION_LABELS[r.profession], r.amount_sek, r.amount_prev_sek]
        for r in table.itertuples(index=False)
    ]
    return Chart(
        code="agency-by-department",
        number="7",
        heading=_("Kostnad per verksamhet och yrkesgrupp"),
        summary=summary,
        figure=charts.to_json(charts.agency_by_department_figure(table, start=start, end=end)),
        tables=[
            _table(
                _(
                    "Kostnad hyrpersonal per verksamhet och yrkesgrupp %(current)s jämfört "
                    "med %(previous)s"
                )
                % {"current": current, "previous": previous}
                + (" " + _("(preliminär)") if preliminary_range else ""),
                [
                    Column(_("Verksamhet"), header=True),
                    Column(_("Yrkesgrupp")),
                    Column(current, "tkr"),
                    Column(previous, "tkr"),
                ],
                records,
                [preliminary_range] * len(records),
            )
        ],
        note=" ".join(notes),
    )


def _hours_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
    hours = table.pivot(index="month", columns="profession", values="hours").reindex(
        columns=PROFESSIONS
    )
    per_hour = table.pivot(index="month", columns="profession", values="cost_per_hour_sek").reindex(
        columns=PROFESSIONS
    )
    columns = [
        Column(_("%(profession)s, timmar") % {"profession": PROFESSION_LABELS[c]}, "num")
        for c in PROFESSIONS
    ] + [
        Column(_("%(profession)s, kr/tim") % {"profession": PROFESSION_LABELS[c]}, "kr")
        for c in PROFESSIONS
    ]
    month_hours = (
        hours.loc[selection.month_text].sum(min_count=1)
        if selection.month_text in hours.index
        else None
    )
    summary = sentences(
        _(
            "Staplat stapeldiagram: köpta hyrtimmar per månad och yrkesgrupp, %(span)s, och "
            "linjer med kostnad per timme. %(month)s: %(hours)s timmar."
        )
        % {
            "span": _span(hours.index),
            "month": charts.month_label(selection.month).capitalize(),
            "hours": format_number(month_hours),
        },
        table_note(),
    )
    return Chart(
        code="agency-hours",
        number="8",
        heading=_("Köpta hyrtimmar"),
        summary=summary,
        figure=charts.to_json(charts.agency_hours_figure(table, preliminary=preliminary)),
        tables=[
            _month_table(
                _("Köpta hyrtimmar och kostnad per timme per månad och yrkesgrupp"),
                columns,
                hours.index,
                pd.concat([hours, per_hour], axis=1),
                preliminary,
            )
        ],
    )


def _national_chart(table: pd.DataFrame, *, region: str) -> Chart:
    if table.empty:
        return Chart(
            code=NATIONAL,
            number="9",
            heading=_("Nationell jämförelse"),
            summary="",
            note=_(
                "Ingen nationell jämförelse är uppladdad ännu. En controller lägger in SKR:s "
                "kvartalsstatistik (Period;Region;Andel) under Nationell jämförelse."
            ),
            downloadable=False,
        )
    quarter = table["quarter"].iloc[0]
    mine = table[[charts.is_region(name, region) for name in table["region"]]]
    average = table[table["is_average"]]
    others = table[~table["is_average"]]
    parts = []
    if len(mine):
        rank = int((others["share_pct"] > mine["share_pct"].iloc[0]).sum()) + 1
        parts.append(
            _("%(region)s: %(share)s, plats %(rank)s av %(count)s räknat från högst andel.")
            % {
                "region": mine["region"].iloc[0],
                "share": format_pct(mine["share_pct"].iloc[0]),
                "rank": rank,
                "count": len(others),
            }
        )
    if len(average):
        parts.append(_("Riket: %(share)s.") % {"share": format_pct(average["share_pct"].iloc[0])})
    summary = sentences(
        _("Liggande stapeldiagram: andel hyrpersonal per region %(quarter)s, sorterat.")
        % {"quarter": quarter},
        *parts,
        table_note(),
    )
    average_mark = " (" + _("riksgenomsnitt") + ")"
    records = [
        [
            r.region + (average_mark if r.is_average else ""),
            r.share_pct,
        ]
        for r in table.itertuples(index=False)
    ]
    return Chart(
        code=NATIONAL,
        number="9",
        heading=_("Nationell jämförelse"),
        summary=summary,
        figure=charts.to_json(charts.national_figure(table, region=region, quarter=quarter)),
        tables=[
            _table(
                _(
                    "Andel hyrpersonal per region %(quarter)s (procent av kostnaden för egen "
                    "personal)"
                )
                % {"quarter": quarter},
                [Column(_("Region"), header=True), Column(_("Andel"), "pct")],
                records,
                emphasis=[
                    bool(r.is_average) or charts.is_region(r.region, region)
                    for r in table.itertuples(index=False)
                ],
            )
        ],
        note=_("Regionernas andelar gäller hela regionen oavsett valt urval."),
    )


def build_charts(
    data: CostData,
    selection: Selection,
    *,
    comments: dict | None = None,
    national: pd.DataFrame | None = None,
    region: str = "Västerbotten",
) -> list[Chart]:
    """Every chart of the page for this selection, in the order of the decks."""
    preliminary = {m.strftime("%Y-%m") for m in data.months_actuals if data.is_preliminary(m)}

    tables = {code: series_table(code, data, selection, national=national) for code in CHART_CODES}
    built = [
        _ytd_chart(tables[AGENCY_YTD], selection),
        _monthly_chart(tables["agency-monthly"], selection, preliminary),
        _r12_chart(tables["agency-r12"], preliminary),
        _skr_chart(tables["skr-measure"], selection, preliminary),
        _skr_scopes_chart(tables[SKR_SCOPES], data, preliminary),
        _r12_area_chart(tables["agency-r12-by-area"], preliminary),
        _personnel_chart(tables["personnel-cost"], selection, preliminary),
        _department_chart(tables["agency-by-department"], selection, data),
        _hours_chart(tables["agency-hours"], selection, preliminary),
        _national_chart(tables[NATIONAL], region=region),
    ]
    comments = comments or {}
    for chart in built:
        chart.comment = comments.get(chart.code)
        name = csv_filename(chart.code, selection, tables[chart.code])
        chart.file_stem = name.removesuffix(".csv")
    return built

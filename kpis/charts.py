"""Plotly figures for the cost dashboard, one function per chart.

Each function takes a series table (kpis.series: the same table the page shows
and the CSV download returns) and returns a `plotly.graph_objects.Figure` with
titles and number separators in the active language (Swedish: layout.separators
", ", decimal comma, space between thousands; English ".,"). Nothing here touches
the database.

The figures are put together as plain dicts and turned into a Figure once:
plotly's incremental `update_layout`/`add_trace` calls cost milliseconds each,
which added up to seconds for a page of ten charts.

Colours come from the Okabe-Ito and Paul Tol palettes (colour-blind safe), all
with at least 3:1 contrast against white; lines also differ by marker symbol,
so colour is never the only cue. Preliminary months (not yet closed by a
controller) are drawn with hollow markers and a dotted last segment, bars with
a hatch pattern.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import metrics
from .formatting import KR, MKR, TKR, format_mkr, format_pct, plotly_separators
from .series import PROFESSION_LABELS, PROFESSIONS

# Plotly's "none" template as a figure's JSON holds it: figures are built without
# validation (_figure), which would otherwise expand the name.
NO_TEMPLATE = pio.templates["none"].to_plotly_json()

# Lazy: str() them where they are used (month_label, month_abbr, month_abbrs).
MONTH_NAMES = [
    pgettext_lazy("month", "januari"),
    pgettext_lazy("month", "februari"),
    pgettext_lazy("month", "mars"),
    pgettext_lazy("month", "april"),
    pgettext_lazy("month", "maj"),
    pgettext_lazy("month", "juni"),
    pgettext_lazy("month", "juli"),
    pgettext_lazy("month", "augusti"),
    pgettext_lazy("month", "september"),
    pgettext_lazy("month", "oktober"),
    pgettext_lazy("month", "november"),
    pgettext_lazy("month", "december"),
]
MONTH_ABBR = [
    pgettext_lazy("month abbreviation", "jan"),
    pgettext_lazy("month abbreviation", "feb"),
    pgettext_lazy("month abbreviation", "mar"),
    pgettext_lazy("month abbreviation", "apr"),
    pgettext_lazy("month abbreviation", "maj"),
    pgettext_lazy("month abbreviation", "jun"),
    pgettext_lazy("month abbreviation", "jul"),
    pgettext_lazy("month abbreviation", "aug"),
    pgettext_lazy("month abbreviation", "sep"),
    pgettext_lazy("month abbreviation", "okt"),
    pgettext_lazy("month abbreviation", "nov"),
    pgettext_lazy("month abbreviation", "dec"),
]

# Okabe-Ito, then Paul Tol's darker colours; every one >= 3:1 against white.
PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#332288",
    "#882255",
    "#117733",
    "#000000",
    "#999933",
]
SYMBOLS = [
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "cross",
    "x",
    "star",
    "pentagon",
    "hexagon",
]
PROFESSION_COLOURS = {"hyr_lakare": "#0072B2", "hyr_ssk_bm": "#D55E00", "hyr_ovriga": "#009E73"}
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREY = "#7F7F7F"  # 4:1 against white
TEXT = "#212529"
GRID = "#dee2e6"
TARGET_COLOUR = "#000000"
HIGHLIGHT = VERMILLION

FONT = {
    "family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    "size": 13,
    "color": TEXT,
}
NO_R12 = gettext_lazy("R12 kräver utfall för tolv månader i följd")
SKR_TITLE = gettext_lazy("Hyrkostnadernas andel av kostnaden för egen personal R12 (SKR-mått)")
PRELIMINARY = gettext_lazy("  (prel.)")


# --- labels ------------------------------------------------------------------------


def upper_first(text: str) -> str:
    """'Mkr' from 'mkr', 'MSEK' stays 'MSEK' (str.capitalize would lower the rest)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def month_abbr(number: int) -> str:
    """'okt' for 10, in the active language."""
    return str(MONTH_ABBR[number - 1])


def month_abbrs() -> list[str]:
    return [str(abbr) for abbr in MONTH_ABBR]


def month_label(month: pd.Period) -> str:
    """'oktober 2024'."""
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def short_month_label(month: pd.Period | str) -> str:
    """'okt 2024'."""
    month = pd.Period(month, freq="M")
    return f"{month_abbr(month.month)} {month.year}"


def range_label(start: pd.Period, end: pd.Period) -> str:
    """'jul–sep 2024', 'nov 2023–feb 2024', 'okt 2024'."""
    if start == end:
        return short_month_label(start)
    if start.year == end.year:
        return f"{month_abbr(start.month)}–{month_abbr(end.month)} {end.year}"
    return f"{short_month_label(start)}–{short_month_label(end)}"


def is_region(name: str, region: str) -> bool:
    """Whether a region name in SKR's table is `region`: 'Region Västerbotten' is 'Västerbotten'."""

    def bare(text: str) -> str:
        text = " ".join(str(text).split()).casefold()
        return text.removeprefix("region ").strip()

    return bare(name) == bare(region)


def latest(table: pd.DataFrame, column: str) -> float | None:
    """The last non-missing value of a column (for the charts' text summaries)."""
    values = table[column].dropna()
    return None if values.empty else float(values.iloc[-1])


# --- building blocks ---------------------------------------------------------------


def to_json(fig: go.Figure) -> dict:
    """The figure as JSON-ready data for Django's json_script (plotly.js is not embedded)."""
    return json.loads(pio.to_json(fig, validate=False, remove_uids=True))


def _values(series: Iterable) -> list[float | None]:
    """Floats, None for NaN: the JSON then holds null (a gap in the line), never NaN."""
    out: list[float | None] = []
    for value in series:
        try:
            number = float(value)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(None if math.isnan(number) else number)
    return out


def _scaled(series: Iterable, divisor: float) -> list[float | None]:
    return [None if v is None else v / divisor for v in _values(series)]


def _axis(**extra) -> dict:
    return {
        "showgrid": False,
        "linecolor": "#6c757d",
        "ticks": "outside",
        "automargin": True,
    } | extra


def _value_axis(**extra) -> dict:
    return {
        "gridcolor": GRID,
        "zerolinecolor": "#adb5bd",
        "rangemode": "tozero",
        "tickformat": ",~r",
        "automargin": True,
    } | extra


def _month_axis(**extra) -> dict:
    return _axis(type="date", tickformat="%b %Y", hoverformat="%b %Y") | extra


def _layout(*, title: str, subtitle: str = "", height: int = 420, **extra) -> dict:
    text = str(title) if not subtitle else f"{title}<br><sup>{subtitle}</sup>"
    layout = {
        "template": NO_TEMPLATE,
        "separators": plotly_separators(),
        "title": {"text": text, "x": 0, "xanchor": "left", "pad": {"l": 6}, "font": {"size": 16}},
        "font": FONT,
        "height": height,
        "margin": {"l": 70, "r": 24, "t": 80 if subtitle else 60, "b": 70},
        "hovermode": "x unified",
        "hoverlabel": {"namelength": -1},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": _axis(),
        "yaxis": _value_axis(),
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = layout[key] | value
        else:
            layout[key] = value
    return layout


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain data and layout, not validated by plotly.py: validation
    took a third of a dashboard page's chart time (tests validate every figure)."""
    return go.Figure(data=data, layout=layout, _validate=False)


def _empty(layout: dict, text: str) -> go.Figure:
    """A figure without data that says why."""
    layout = layout | {
        "annotations": [
            {
                "text": str(text),
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 15, "color": TEXT},
            }
        ]
    }
    for key in list(layout):
        if key.startswith(("xaxis", "yaxis")):
            layout[key] = {"visible": False}
    return _figure([], layout)


def _unit(value: float) -> float:
    """A domain bound in [0, 1], without float residue like -5.5e-17."""
    return min(1.0, max(0.0, round(value, 6)))


def _grid(rows: int, cols: int, *, hgap: float, vgap: float) -> list[dict]:
    """Axis names and domains of a rows x cols grid of panels, left to right, top down."""
    width = (1 - (cols - 1) * hgap) / cols
    height = (1 - (rows - 1) * vgap) / rows
    cells = []
    for i in range(rows * cols):
        row, col = divmod(i, cols)
        n = "" if i == 0 else str(i + 1)
        x0 = col * (width + hgap)
        y1 = 1 - row * (height + vgap)
        cells.append(
            {
                "x": f"x{n}",
                "y": f"y{n}",
                "xaxis": f"xaxis{n}",
                "yaxis": f"yaxis{n}",
                "xdomain": [_unit(x0), _unit(x0 + width)],
                "ydomain": [_unit(y1 - height), _unit(y1)],
                "row": row,
                "col": col,
            }
        )
    return cells


def _panel_title(text: str, cell: dict) -> dict:
    return {
        "text": f"<b>{text}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": cell["xdomain"][0],
        "y": cell["ydomain"][1],
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 13, "color": TEXT},
    }


def _hatch(shape) -> dict:
    """White hatching over the bar's own colour (preliminary months, our region)."""
    return {"shape": shape, "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.25}


def _flags(months: Iterable[str], preliminary: set[str]) -> list[bool]:
    return [m in preliminary for m in months]


def _line(
    x: Sequence,
    y: Sequence[float | None],
    *,
    name: str,
    colour: str,
    preliminary: Sequence[bool],
    unit: str,
    decimals: int = 0,
    symbol: str = "circle",
    width: float = 2.5,
    showlegend: bool = True,
    axes: dict | None = None,
) -> list[dict]:
    """Traces for one line whose trailing preliminary months are dotted, hollow-marked.

    Up to three traces in one legend group: the closed months (solid), a
    connector from the last closed month to the first preliminary one (dotted,
    no hover), and the preliminary months (dotted).
    """
    x, y, preliminary = list(x), list(y), list(preliminary)
    name = str(name)  # a lazy label (series.GROUP_LABELS) is no JSON string
    refs = {"xaxis": axes["x"], "yaxis": axes["y"]} if axes else {}
    cut = len(x)
    while cut > 0 and preliminary[cut - 1]:
        cut -= 1
    # Long series: markers only on preliminary months, so the line stays readable.
    closed_mode = "lines+markers" if len(x) <= 24 else "lines"
    status = [str(PRELIMINARY) if p else "" for p in preliminary]
    symbols = [f"{symbol}-open" if p else symbol for p in preliminary]
    common = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "legendgroup": name,
        "hovertemplate": f"%{{y:,.{decimals}f}} {unit}%{{customdata}}<extra>{name}</extra>",
    } | refs
    traces = []
    if cut:
        traces.append(
            common
            | {
                "x": x[:cut],
                "y": y[:cut],
                "mode": closed_mode,
                "customdata": status[:cut],
                "showlegend": showlegend,
                "line": {"color": colour, "width": width},
                "marker": {"symbol": symbols[:cut], "size": 7, "color": colour},
            }
        )
    if cut < len(x):
        if cut:
            traces.append(
                {
                    "type": "scatter",
                    "x": x[cut - 1 : cut + 1],
                    "y": y[cut - 1 : cut + 1],
                    "mode": "lines",
                    "showlegend": False,
                    "legendgroup": name,
                    "line": {"color": colour, "width": width, "dash": "dot"},
                    "hoverinfo": "skip",
                }
                | refs
            )
        traces.append(
            common
            | {
                "x": x[cut:],
                "y": y[cut:],
                "customdata": status[cut:],
                "showlegend": showlegend and not cut,
                "line": {"color": colour, "width": width, "dash": "dot"},
                "marker": {"symbol": symbols[cut:], "size": 8, "color": colour},
            }
        )
    return traces


def _preliminary_key(*, bars: bool = False) -> dict:
    """A legend entry explaining how preliminary months look."""
    if bars:
        return {
            "type": "bar",
            "x": [None],
            "y": [None],
            "name": _("Preliminär månad"),
            "marker": {"color": GREY, "pattern": _hatch("/")},
            "hoverinfo": "skip",
        }
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "lines+markers",
        "name": _("Preliminär månad"),
        "line": {"color": GREY, "dash": "dot", "width": 2},
        "marker": {"symbol": "circle-open", "size": 8, "color": GREY},
        "hoverinfo": "skip",
    }


def _target_steps(
    months: Sequence[str], targets: Iterable, *, showlegend: bool = True, axes=None
) -> list[dict]:
    values = _values(targets)
    if all(v is None for v in values):
        return []
    trace = {
        "type": "scatter",
        "x": list(months),
        "y": values,
        "mode": "lines",
        "name": _("Mål"),
        "legendgroup": "target",
        "showlegend": showlegend,
        "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash", "shape": "hv"},
        "hovertemplate": "%{y:,.2f} %<extra>" + _("Mål") + "</extra>",
    }
    if axes:
        trace |= {"xaxis": axes["x"], "yaxis": axes["y"]}
    return [trace]


def _trim_leading_missing(table: pd.DataFrame, column: str) -> pd.DataFrame:
    present = table[column].notna().to_numpy()
    if not present.any():
        return table.iloc[0:0]
    return table.iloc[present.argmax() :]


# --- chart 1: year to date per profession --------------------------------------------


def agency_ytd_figure(table: pd.DataFrame, *, month: pd.Period) -> go.Figure:
    """KPI 1: agency cost Jan..month this year and last year per profession (Mkr)."""
    layout = _layout(
        title=_("Kostnader hyrpersonal – ack %(month)s") % {"month": month_label(month)},
        subtitle=_("Jämfört med samma period %(year)s (%(unit)s)")
        % {"year": month.year - 1, "unit": MKR},
        height=380,
        barmode="group",
        hovermode="closest",
        yaxis={"title": {"text": str(MKR)}},
    )
    rows = table[table["profession"].isin(PROFESSIONS)]
    if rows[["ytd_sek", "ytd_prev_sek"]].isna().all().all():
        return _empty(layout, _("Inga utfall för perioden"))
    labels = [str(PROFESSION_LABELS[p]) for p in rows["profession"]]
    january = month_abbr(1).capitalize()
    period = f"{january}–{month_abbr(month.month)}" if month.month > 1 else january
    data = []
    for column, year, colour in (
        ("ytd_prev_sek", month.year - 1, GREY),
        ("ytd_sek", month.year, BLUE),
    ):
        values = _scaled(rows[column], 1e6)
        data.append(
            {
                "type": "bar",
                "x": labels,
                "y": values,
                "name": f"{period} {year}",
                "marker": {"color": colour},
                "text": [None if v is None else format_mkr(v * 1e6) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{y:,.1f}} {MKR}<extra>%{{fullData.name}}</extra>",
            }
        )
    return _figure(data, layout)


# --- chart 2: per month, one line per year --------------------------------------------


def agency_monthly_figure(
    table: pd.DataFrame, *, month: pd.Period, preliminary: set[str]
) -> go.Figure:
    """KPI 2: all agency cost per month (Mkr), one line for each of the last three years."""
    layout = _layout(
        title=_("Kostnader hyrpersonal totalt per månad – %(year)s–ack %(month)s")
        % {"year": month.year - 2, "month": month_label(month)},
        subtitle=_("%(unit)s, en linje per år") % {"unit": upper_first(MKR)},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": month_abbrs()},
        yaxis={"title": {"text": str(MKR)}},
    )
    if table.empty or table["amount_sek"].isna().all():
        return _empty(layout, _("Inga utfall för perioden"))
    total = table.groupby("month")["amount_sek"].sum(min_count=1)
    total.index = pd.PeriodIndex(total.index, freq="M")
    lines = metrics.year_lines(total, year=month.year)
    styles = {
        month.year - 2: (GREY, "square", 2),
        month.year - 1: (BLUE, "diamond", 2),
        month.year: (VERMILLION, "circle", 3.5),
    }
    data: list[dict] = []
    any_preliminary = False
    for year, line in lines.items():
        colour, symbol, width = styles[year]
        keep = line.notna().to_numpy()
        if not keep.any():
            continue
        months = [f"{year}-{m:02d}" for m, k in zip(line.index, keep, strict=True) if k]
        flags = _flags(months, preliminary)
        any_preliminary |= any(flags)
        data += _line(
            [month_abbr(int(m[5:])) for m in months],
            _scaled(line[keep], 1e6),
            name=str(year),
            colour=colour,
            symbol=symbol,
            width=width,
            preliminary=flags,
            unit=str(MKR),
            decimals=1,
        )
    if any_preliminary:
        data.append(_preliminary_key())
    return _figure(data, layout)


# --- chart 3: R12 -----------------------------------------------------------------


def agency_r12_figure(table: pd.DataFrame, *, preliminary: set[str]) -> go.Figure:
    """KPI 3: agency cost R12 per month (Tkr)."""
    layout = _layout(
        title=_("Kostnaden för hyrpersonal R12 (%(unit)s)") % {"unit": TKR},
        subtitle=_("Rullande 12 månader"),
        xaxis=_month_axis(),
        yaxis={"title": {"text": str(TKR)}},
    )
    table = _trim_leading_missing(table, "agency_r12_sek")
    if table.empty:
        return _empty(layout, NO_R12)
    months = list(table["month"])
    flags = _flags(months, preliminary)
    data = _line(
        months,
        _scaled(table["agency_r12_sek"], 1e3),
        name=_("Hyrpersonal R12"),
        colour=BLUE,
        preliminary=flags,
        unit=str(TKR),
    )
    if any(flags):
        data.append(_preliminary_key())
    return _figure(data, layout)


# --- chart 4: the SKR measure --------------------------------------------------------


def skr_measure_figure(
    table: pd.DataFrame, *, scope_label: str, preliminary: set[str]
) -> go.Figure:
    """KPI 4: agency R12 / own-staff R12 in %, with the year's target as steps."""
    layout = _layout(
        title=SKR_TITLE,
        subtitle=_("%(scope)s, procent, med mål per år") % {"scope": scope_label},
        xaxis=_month_axis(),
        yaxis={"title": {"text": "%"}, "ticksuffix": " %", "tickformat": ",.1f"},
    )
    table = _trim_leading_missing(table, "ratio_pct")
    if table.empty:
        return _empty(layout, NO_R12)
    months = list(table["month"])
    flags = _flags(months, preliminary)
    data = _line(
        months,
        _values(table["ratio_pct"]),
        name=_("SKR-mått R12"),
        colour=BLUE,
        preliminary=flags,
        unit="%",
        decimals=2,
    )
    data += _target_steps(months, table["target_pct"])
    if any(flags):
        data.append(_preliminary_key())
    return _figure(data, layout)


def skr_measure_panels_figure(
    tables: dict[str, pd.DataFrame], *, preliminary: set[str], columns: int = 3
) -> go.Figure:
    """KPI 4 for several scopes at once: one small panel per scope (label -> table).

    Each panel has its own y axis (primary care sits far above hospital care);
    the x axes are shared.
    """
    labels = list(tables)
    rows = max(1, math.ceil(len(labels) / columns))
    plot_height = 210 * rows
    vgap = 70 / (plot_height + 70 * (rows - 1)) if rows > 1 else 0
    cells = _grid(rows, columns, hgap=0.06, vgap=vgap)
    layout = _layout(
        title=_("%(title)s per vårdtyp och område") % {"title": SKR_TITLE},
        subtitle=_("Procent, med mål per år (streckad linje)"),
        height=plot_height + 70 * (rows - 1) + 170,
        margin={"l": 60, "r": 24, "t": 110, "b": 70},
        legend={"y": -60 / (plot_height + 70 * (rows - 1))},
    )
    annotations = []
    data: list[dict] = []
    shown_legend = False
    any_preliminary = False
    for label, cell in zip(labels, cells, strict=False):
        layout[cell["xaxis"]] = _month_axis(
            domain=cell["xdomain"],
            anchor=cell["y"],
            tickformat="%Y",
            dtick="M12",
            **({} if cell["x"] == "x" else {"matches": "x"}),
        )
        layout[cell["yaxis"]] = _value_axis(
            domain=cell["ydomain"], anchor=cell["x"], ticksuffix=" %", tickformat=",.1f"
        )
        annotations.append(_panel_title(label, cell))
        table = _trim_leading_missing(tables[label], "ratio_pct")
        if table.empty:
            continue
        months = list(table["month"])
        flags = _flags(months, preliminary)
        any_preliminary |= any(flags)
        data += _line(
            months,
            _values(table["ratio_pct"]),
            name=_("SKR-mått R12"),
            colour=BLUE,
            preliminary=flags,
            unit="%",
            decimals=2,
            width=2,
            showlegend=not shown_legend,
            axes=cell,
        )
        data += _target_steps(months, table["target_pct"], showlegend=not shown_legend, axes=cell)
        shown_legend = True
    for cell in cells[len(labels) :]:  # empty places in the last row
        layout[cell["xaxis"]] = {"visible": False, "domain": cell["xdomain"], "anchor": cell["y"]}
        layout[cell["yaxis"]] = {"visible": False, "domain": cell["ydomain"], "anchor": cell["x"]}
    if any_preliminary:
        data.append(_preliminary_key())
    layout["annotations"] = annotations
    return _figure(data, layout)


# --- chart 5: R12 per area --------------------------------------------------------


def agency_r12_by_area_figure(table: pd.DataFrame, *, preliminary: set[str]) -> go.Figure:
    """KPI 3b: agency cost R12 per area (Mkr), one line per area."""
    layout = _layout(
        title=_("Kostnad hyrpersonal R12 per område (%(unit)s)") % {"unit": MKR},
        subtitle=_("Rullande 12 månader"),
        height=480,
        xaxis=_month_axis(),
        yaxis={"title": {"text": str(MKR)}},
    )
    table = table[table["agency_r12_sek"].notna()]
    if table.empty:
        return _empty(layout, NO_R12)
    data: list[dict] = []
    any_preliminary = False
    for i, (area, rows) in enumerate(table.groupby("area", sort=True)):
        months = list(rows["month"])
        flags = _flags(months, preliminary)
        any_preliminary |= any(flags)
        data += _line(
            months,
            _scaled(rows["agency_r12_sek"], 1e6),
            name=str(area),
            colour=PALETTE[i % len(PALETTE)],
            symbol=SYMBOLS[i % len(SYMBOLS)],
            preliminary=flags,
            unit=str(MKR),
            decimals=1,
            width=2,
        )
    if any_preliminary:
        data.append(_preliminary_key())
    return _figure(data, layout)


# --- chart 6: personnel cost vs budget -----------------------------------------------


def personnel_cost_figure(table: pd.DataFrame, *, year: int, preliminary: set[str]) -> go.Figure:
    """KPI 5: personnel cost per month of one year: actual (bars), budget, last year (Tkr)."""
    layout = _layout(
        title=_(
            "Personalkostnader %(year)s: utfall och budget per månad jämfört med "
            "%(previous)s (%(unit)s)"
        )
        % {"year": year, "previous": year - 1, "unit": TKR},
        subtitle=_("Egen personal och hyrpersonal"),
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": month_abbrs()},
        yaxis={"title": {"text": str(TKR)}},
    )
    columns = ["actual_sek", "budget_sek", "actual_prev_year_sek"]
    if table.empty or table[columns].isna().all().all():
        return _empty(layout, _("Inga utfall eller budget för året"))
    months = list(table["month"])
    x = [month_abbr(int(m[5:7])) for m in months]
    actual_name = _("Utfall %(year)s") % {"year": year}
    budget_name = _("Budget %(year)s") % {"year": year}
    previous_name = _("Utfall %(year)s") % {"year": year - 1}
    actual = _scaled(table["actual_sek"], 1e3)
    flags = [f and v is not None for f, v in zip(_flags(months, preliminary), actual, strict=True)]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": actual,
            "name": actual_name,
            "marker": {
                "color": BLUE,
                "pattern": _hatch(["/" if f else "" for f in flags]),
            },
            "customdata": [str(PRELIMINARY) if f else "" for f in flags],
            "hovertemplate": f"%{{y:,.0f}} {TKR}%{{customdata}}<extra>{actual_name}</extra>",
        },
        {
            "type": "scatter",
            "x": x,
            "y": _scaled(table["budget_sek"], 1e3),
            "name": budget_name,
            "mode": "lines+markers",
            "line": {"color": VERMILLION, "width": 2.5},
            "marker": {"symbol": "diamond", "size": 8},
            "hovertemplate": f"%{{y:,.0f}} {TKR}<extra>{budget_name}</extra>",
        },
        {
            "type": "scatter",
            "x": x,
            "y": _scaled(table["actual_prev_year_sek"], 1e3),
            "name": previous_name,
            "mode": "lines+markers",
            "line": {"color": "#000000", "width": 2},
            "marker": {"symbol": "square", "size": 6},
            "hovertemplate": f"%{{y:,.0f}} {TKR}<extra>{previous_name}</extra>",
        },
    ]
    if any(flags):
        data.append(_preliminary_key(bars=True))
    return _figure(data, layout)


# --- chart 7: per department and profession ------------------------------------------

DEPARTMENTS_SHOWN = 15


def agency_by_department_figure(
    table: pd.DataFrame, *, start: pd.Period, end: pd.Period
) -> go.Figure:
    """KPI 6: agency cost per department and profession for a range vs last year (Tkr).

    One panel per profession, sharing the department axis; the departments
    with the highest cost first (at most DEPARTMENTS_SHOWN; the table has all).
    """
    current_label = range_label(start, end)
    previous_label = range_label(start - 12, end - 12)
    totals = (
        table.assign(both=table["amount_sek"].fillna(0) + table["amount_prev_sek"].fillna(0))
        .groupby("department")["both"]
        .sum()
        .sort_values(ascending=False, kind="stable")
    )
    departments = list(totals.index[:DEPARTMENTS_SHOWN])
    subtitle = _("%(current)s jämfört med %(previous)s (%(unit)s)") % {
        "current": current_label,
        "previous": previous_label,
        "unit": TKR,
    }
    if len(totals) > DEPARTMENTS_SHOWN:
        subtitle += _("; de %(count)s verksamheterna med högst kostnad, alla i tabellen") % {
            "count": DEPARTMENTS_SHOWN
        }
    cells = _grid(1, len(PROFESSIONS), hgap=0.03, vgap=0)
    layout = _layout(
        title=_("Kostnad hyrpersonal per verksamhet och yrkesgrupp"),
        subtitle=subtitle,
        height=190 + 46 * max(len(departments), 3),
        barmode="group",
        bargap=0.25,
        hovermode="closest",
        margin={"t": 110},
        legend={"y": -60 / (46 * max(len(departments), 3))},
    )
    if not departments:
        return _empty(layout, _("Ingen kostnad för hyrpersonal i perioden"))
    order = list(reversed(departments))  # the largest on top
    data: list[dict] = []
    annotations = []
    for code, cell in zip(PROFESSIONS, cells, strict=True):
        layout[cell["xaxis"]] = _value_axis(
            domain=cell["xdomain"],
            anchor=cell["y"],
            title={"text": str(TKR)},
            showgrid=True,
            tickformat=",~r",
        )
        layout[cell["yaxis"]] = _axis(
            domain=cell["ydomain"],
            anchor=cell["x"],
            type="category",
            categoryorder="array",
            categoryarray=order,
            **({} if cell["y"] == "y" else {"matches": "y", "showticklabels": False}),
        )
        profession = str(PROFESSION_LABELS[code])
        annotations.append(_panel_title(profession, cell))
        rows = table[table["profession"] == code].set_index("department")
        for column, label, colour in (
            ("amount_prev_sek", previous_label, GREY),
            ("amount_sek", current_label, PROFESSION_COLOURS[code]),
        ):
            values = rows[column].reindex(order) if len(rows) else [None] * len(order)
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": order,
                    "x": _scaled(values, 1e3),
                    "xaxis": cell["x"],
                    "yaxis": cell["y"],
                    "name": f"{profession} {label}",
                    "legendgroup": "previous" if column == "amount_prev_sek" else code,
                    "showlegend": column == "amount_sek" or cell["x"] == "x",
                    "marker": {"color": colour},
                    "hovertemplate": (
                        f"%{{y}}: %{{x:,.0f}} {TKR}<extra>{profession} {label}</extra>"
                    ),
                }
            )
    # Last year's bars share one grey; name it once, by the period only.
    data[0]["name"] = previous_label
    layout["annotations"] = annotations
    return _figure(data, layout)


# --- chart 8: purchased hours ------------------------------------------------------


def agency_hours_figure(table: pd.DataFrame, *, preliminary: set[str]) -> go.Figure:
    """KPI 7: purchased agency hours per month and profession (stacked), and cost per hour."""
    top, bottom = 0.42, 0.30  # the cost-per-hour panel, under the hours
    layout = _layout(
        title=_("Köpta hyrtimmar per månad och yrkesgrupp"),
        subtitle=_("Timmar (staplar) och kostnad per timme (linjer)"),
        height=640,
        barmode="stack",
        margin={"t": 100},
        legend={"y": -0.1},
        xaxis=_month_axis(domain=[0, 1], anchor="y", matches="x2", showticklabels=False),
        yaxis=_value_axis(domain=[top, 1], title={"text": _("timmar")}),
        xaxis2=_month_axis(domain=[0, 1], anchor="y2"),
        yaxis2=_value_axis(
            domain=[0, bottom],
            anchor="x2",
            title={"text": _("%(unit)s per timme") % {"unit": KR}},
        ),
    )
    if table.empty or table["hours"].isna().all():
        return _empty(layout, _("Inga timmar rapporterade"))
    layout["annotations"] = [
        _panel_title(_("Timmar"), {"xdomain": [0, 1], "ydomain": [top, 1]}),
        _panel_title(
            _("Kostnad per timme (%(unit)s)") % {"unit": KR},
            {"xdomain": [0, 1], "ydomain": [0, bottom]},
        ),
    ]
    hours = _("timmar")
    data: list[dict] = []
    any_preliminary = False
    for i, code in enumerate(PROFESSIONS):
        rows = table[table["profession"] == code]
        months = list(rows["month"])
        flags = _flags(months, preliminary)
        any_preliminary |= any(flags)
        name = str(PROFESSION_LABELS[code])
        data.append(
            {
                "type": "bar",
                "x": months,
                "y": _values(rows["hours"]),
                "name": name,
                "legendgroup": name,
                "marker": {
                    "color": PROFESSION_COLOURS[code],
                    "pattern": _hatch(["/" if f else "" for f in flags]),
                },
                "customdata": [str(PRELIMINARY) if f else "" for f in flags],
                "hovertemplate": f"%{{y:,.0f}} {hours}%{{customdata}}<extra>{name}</extra>",
            }
        )
        data += _line(
            months,
            _values(rows["cost_per_hour_sek"]),
            name=name,
            colour=PROFESSION_COLOURS[code],
            symbol=SYMBOLS[i],
            preliminary=flags,
            unit=_("kr/tim"),
            showlegend=False,
            width=2,
            axes={"x": "x2", "y": "y2"},
        )
    if any_preliminary:
        data.append(_preliminary_key(bars=True))
    return _figure(data, layout)


# --- chart 9: national comparison ---------------------------------------------------


def national_figure(table: pd.DataFrame, *, region: str, quarter: str) -> go.Figure:
    """KPI 8: agency share per region for one quarter, sorted, with the national average.

    `table` has columns quarter, region, share_pct, is_average (one quarter).
    Our region is highlighted by colour, hatching and bold text.
    """
    regions = table[~table["is_average"].astype(bool)].sort_values(
        "share_pct", ascending=True, kind="stable"
    )
    average = table.loc[table["is_average"].astype(bool), "share_pct"]
    layout = _layout(
        title=_("Nationell jämförelse – andel hyrpersonal per region, %(quarter)s")
        % {"quarter": quarter},
        subtitle=_("Kostnad för inhyrd personal i procent av kostnaden för egen personal (SKR)"),
        height=170 + 26 * max(len(regions), 4),
        hovermode="closest",
        margin={"t": 100},
        xaxis=_value_axis(title={"text": "%"}, ticksuffix=" %", tickformat=",.1f"),
        yaxis=_axis(type="category"),
    )
    ours = [is_region(name, region) for name in regions["region"]]
    labels = [
        f"<b>{name}</b>" if mine else name
        for name, mine in zip(regions["region"], ours, strict=True)
    ]
    shares = _values(regions["share_pct"])
    layout["yaxis"] |= {"categoryorder": "array", "categoryarray": labels}
    layout["barmode"] = "relative"
    data = []
    # Two traces, other regions and ours, so ours can be hatched as well as coloured.
    for mine, colour, name in ((False, GREY, _("Övriga regioner")), (True, HIGHLIGHT, region)):
        picked = [i for i, flag in enumerate(ours) if flag == mine]
        if not picked:
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": [labels[i] for i in picked],
                "x": [shares[i] for i in picked],
                "marker": {"color": colour, "pattern": _hatch("x" if mine else "")},
                "text": [format_pct(shares[i]) for i in picked],
                "textposition": "outside",
                "cliponaxis": False,
                "name": name,
                "showlegend": False,
                "hovertemplate": "%{y}: %{x:,.1f} %<extra></extra>",
            }
        )
    if len(average):
        value = float(average.iloc[0])
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": value,
                "x1": value,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#000000", "dash": "dash", "width": 2},
            }
        ]
        layout["annotations"] = [
            {
                "text": _("Riket %(share)s") % {"share": format_pct(value)},
                "xref": "x",
                "yref": "paper",
                "x": value,
                "y": 1,
                "yanchor": "bottom",
                "showarrow": False,
                "bgcolor": "#ffffff",
                "font": {"color": "#000000"},
            }
        ]
    return _figure(data, layout)


# --- sick leave (KPI 9) ------------------------------------------------------------------

NO_SICK_LEAVE_R12 = gettext_lazy("R12 kräver sjukfrånvaro för tolv månader i följd")
SICK_LEAVE_WITHHELD = gettext_lazy("Värdena visas inte: för få anställda (se tabellen)")


def sick_leave_lines_figure(
    lines: dict[str, pd.Series],
    *,
    title: str,
    subtitle: str,
    preliminary: set[str],
    emphasis: str | None = None,
    targets: pd.Series | None = None,
    empty: str = NO_SICK_LEAVE_R12,
) -> go.Figure:
    """Sick leave in % per month, one line per group (label -> series indexed by month
    'YYYY-MM', NaN where there is no value or it is withheld: a gap in the line).

    The `emphasis` line (the scope's total) is drawn thicker, in blue; `targets`
    (indexed like the lines) as black dashed steps; `empty` is said when no line has a
    value. The y axis fits the values rather than starting at 0: R12 moves by tenths
    of a percent, which is what the steering group follows.
    """
    layout = _layout(
        title=title,
        subtitle=subtitle,
        height=460,
        xaxis=_month_axis(),
        yaxis={
            "title": {"text": "%"},
            "ticksuffix": " %",
            "tickformat": ",.1f",
            "rangemode": "normal",
        },
    )
    data: list[dict] = []
    any_preliminary = False
    others = 0
    for label, values in lines.items():
        values = _trim_leading_missing(values.to_frame("v"), "v")["v"]
        if values.isna().all():
            continue
        months = list(values.index)
        flags = _flags(months, preliminary)
        any_preliminary |= any(flags)
        if label == emphasis:
            colour, symbol, width = BLUE, "circle", 3.5
        else:
            colour = PALETTE[(others + 1) % len(PALETTE)]
            symbol = SYMBOLS[(others + 1) % len(SYMBOLS)]
            width = 2
            others += 1
        data += _line(
            months,
            _values(values),
            name=label,
            colour=colour,
            symbol=symbol,
            width=width,
            preliminary=flags,
            unit="%",
            decimals=2,
        )
    if not data:
        return _empty(layout, empty)
    if targets is not None:
        data += _target_steps(list(targets.index), targets)
    if any_preliminary:
        data.append(_preliminary_key())
    return _figure(data, layout)

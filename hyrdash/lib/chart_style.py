"""The house style of every Plotly chart: palette, fonts, axes, month labels, preliminary
markers and the building blocks (lines, panels, empty figures) the subjects' `charts`
modules put together.

Figures carry titles and number separators in the active language (Swedish: layout.separators
", ", decimal comma, space between thousands; English ".,"). Nothing here touches
the database.

The figures are put together as plain dicts (`Figure`) and turned into JSON for
plotly.js without plotly.py's Figure: its incremental `update_layout`/`add_trace` calls
cost milliseconds each, which added up to seconds for a page of ten charts, and building
and copying it was still a fifth of a computed dashboard (bench/RESULTS.md, session 8).

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
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from hyrdash.lib.formatting import plotly_separators

# Plotly's "none" template as a figure's JSON holds it: figures are built without
# validation (make_figure), which would otherwise expand the name.
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

PRELIMINARY = gettext_lazy("  (prel.)")
# A target that is the administration's, for a scope marked to follow it.
TARGET_FOLLOWED = gettext_lazy("Mål (förvaltningens)")
FOLLOWED_MARK = gettext_lazy("(förvaltningens)")
NO_R12 = gettext_lazy("R12 kräver utfall för tolv månader i följd")


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


def quarter_label(quarter: str) -> str:
    """'2024 K3' for '2024-Q3' (Swedish: kvartal; English '2024 Q3')."""
    year, _sep, number = str(quarter).partition("-Q")
    if not number:
        return str(quarter)
    return _("%(year)s K%(quarter)s") % {"year": year, "quarter": number}


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


def to_json(fig: Figure | go.Figure) -> dict:
    """The figure as JSON-ready data for Django's json_script (plotly.js is not embedded):
    plotly.io's encoding (arrays as typed arrays, NaN as null), straight from a
    `Figure`'s dicts; the same data a plotly.py Figure of them gives
    (tests/test_figure_json.py compares them for every chart of the pages)."""
    plain = {"data": fig["data"], "layout": fig["layout"]} if isinstance(fig, Figure) else fig
    return json.loads(pio.to_json(plain, validate=False, remove_uids=True))


def plot_values(series: Iterable) -> list[float | None]:
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


def scaled_values(series: Iterable, divisor: float) -> list[float | None]:
    return [None if v is None else v / divisor for v in plot_values(series)]


def base_axis(**extra) -> dict:
    # Tick labels too tight to stand level stand upright: at 30 degrees (Plotly's first
    # choice) neighbouring labels' boxes overlap, and a reader tilts the head twice.
    return {
        "showgrid": False,
        "linecolor": "#6c757d",
        "ticks": "outside",
        "automargin": True,
        "autotickangles": [0, 90],
    } | extra


def value_axis(**extra) -> dict:
    return {
        "gridcolor": GRID,
        "zerolinecolor": "#adb5bd",
        "rangemode": "tozero",
        "tickformat": ",~r",
        "automargin": True,
        "autotickangles": [0, 90],
    } | extra


def padded_range(values: Iterable, *, min_span: float) -> list[float] | None:
    """A value axis's range that fits `values` with a tenth of their span to spare at
    either end, and spans at least `min_span` (centred on them): a line that moves little
    is not magnified into a cliff, and rounded tick labels never repeat. None without
    values (the axis then ranges itself)."""
    present = [v for v in plot_values(values) if v is not None]
    if not present:
        return None
    low, high = min(present), max(present)
    pad = (high - low) / 10
    low, high = low - pad, high + pad
    if high - low < min_span:
        middle = (low + high) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    if low < 0 <= min(present):  # no negative shares
        low, high = 0.0, high - low
    return [low, high]


def month_axis(**extra) -> dict:
    return base_axis(type="date", tickformat="%b %Y", hoverformat="%b %Y") | extra


def chart_layout(*, title: str, subtitle: str = "", height: int = 420, **extra) -> dict:
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
        "xaxis": base_axis(),
        "yaxis": value_axis(),
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = layout[key] | value
        else:
            layout[key] = value
    return layout


class Figure(dict):
    """A chart as plain data and layout, {"data": [trace dicts], "layout": {...}}: what
    `to_json` sends to plotly.js. plotly.py's Figure of it is built only when asked for:
    `.plotly` or any attribute of it (`fig.layout.yaxis.range`, `fig.data[0]`), not
    validated; `go.Figure(fig)` validates it (the tests do, for every chart)."""

    def __init__(self, data: list[dict], layout: dict):
        super().__init__(data=data, layout=layout)

    @cached_property
    def plotly(self) -> go.Figure:
        return go.Figure(data=self["data"], layout=self["layout"], _validate=False)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # pickle's and copy's probes
            raise AttributeError(name)
        return getattr(self.plotly, name)


def make_figure(data: list[dict], layout: dict) -> Figure:
    """A figure from plain data and layout (`Figure`), not validated by plotly.py:
    validation took a third of a dashboard page's chart time (tests validate every
    figure), building plotly.py's Figure at all a fifth."""
    return Figure(data, layout)


def empty_figure(layout: dict, text: str) -> Figure:
    """A figure without data that says why (on lines that fit a phone)."""
    layout = layout | {
        "annotations": [
            {
                "text": wrap_label(str(text), 40),
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
    return make_figure([], layout)


def _unit(value: float) -> float:
    """A domain bound in [0, 1], without float residue like -5.5e-17."""
    return min(1.0, max(0.0, round(value, 6)))


def wrap_label(text: str, width: int | None = None, *, max_lines: int | None = None) -> str:
    """A label longer than `width` characters on as few lines (Plotly's <br>) as that
    takes, broken between words into lines of about equal length ("Närsjukvårdsområde
    Södra Lappland" over "Närsjukvårdsområde" and "Södra Lappland"); at most
    `max_lines`, the last then ending in " …"."""
    text = " ".join(str(text).split())
    if not width or len(text) <= width:
        return text
    words = text.split(" ")
    count = math.ceil(len(text) / width)
    # The shortest line length that still takes no more than `count` lines.
    target = max(math.ceil(len(text) / count), *map(len, words))
    while True:
        lines = _greedy_lines(words, target)
        if len(lines) <= count or target >= width:
            break
        target += 1
    return _joined(lines, max_lines)


def greedy_label(text: str, width: int, *, max_lines: int | None = None) -> str:
    """A label on lines (Plotly's <br>) of at most `width` characters where the words
    allow, each line filled before the next starts; at most `max_lines`, the last then
    ending in " …"."""
    return _joined(_greedy_lines(str(text).split(), width), max_lines)


def _joined(lines: list[str], max_lines: int | None) -> str:
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return "<br>".join(lines)


def _greedy_lines(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines


# Chart widths (px) for responsive(): below NARROW a phone (one panel a row), below MEDIUM
# a tablet or a narrow window (two).
NARROW = 576

MEDIUM = 992


def responsive(
    layout: dict, variants: dict[int, dict], *, data: dict[int, list[dict]] | None = None
) -> dict:
    """The layout with variants for narrow charts: {below: layout overrides}, and `data`
    {below: [overrides of trace 0, 1, ...]}, where `below` is a chart width in px.
    static/js/charts.js applies the variant with the smallest `below` larger than the
    chart's width (objects merged key by key, lists replaced). For what the width
    decides: small multiples one or two a row, bar labels without their unit."""
    data = data or {}
    layout["meta"] = {
        "responsive": [
            {"below": below, "layout": variants.get(below, {})}
            | ({"data": data[below]} if below in data else {})
            for below in sorted(set(variants) | set(data))
        ]
    }
    return layout


def panel_rows(count: int, cols: int, *, panel_height: int, row_gap: int, hgap: float):
    """`count` panels in rows of `cols`, each `panel_height` px tall, `row_gap` px between
    rows (for the x axis labels above and the panel titles below): the cells (panel_grid)
    and the height of the whole plot area in px."""
    rows = max(1, math.ceil(count / cols))
    plot_height = panel_height * rows + row_gap * (rows - 1)
    cells = panel_grid(rows, cols, hgap=hgap, vgap=row_gap / plot_height if rows > 1 else 0)
    return cells, plot_height


def panel_grid(rows: int, cols: int, *, hgap: float, vgap: float) -> list[dict]:
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


def panel_title(text: str, cell: dict, *, width: int | None = None) -> dict:
    """A panel's title above its top left corner, in bold; on lines of at most `width`
    characters when given (wrap_label)."""
    lines = wrap_label(str(text), width).split("<br>") if width else [str(text)]
    return {
        "text": "<br>".join(f"<b>{line}</b>" for line in lines),
        "xref": "paper",
        "yref": "paper",
        "x": cell["xdomain"][0],
        "y": cell["ydomain"][1],
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": 13, "color": TEXT},
    }


def hatch(shape) -> dict:
    """White hatching over the bar's own colour (preliminary months, our region)."""
    return {"shape": shape, "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.25}


def preliminary_flags(table: pd.DataFrame) -> list[bool]:
    """Each row's `preliminary` column as booleans: the series' own marking
    (hyrdash.lib.periods.is_preliminary), so a chart never decides it again."""
    return [bool(flag) for flag in table["preliminary"]]


def preliminary_months(table: pd.DataFrame) -> set[str]:
    """The months ('YYYY-MM') a series table marks preliminary."""
    if table.empty:
        return set()
    return set(table.loc[table["preliminary"].astype(bool), "month"])


def linked(traces: list[dict], href: str | None) -> list[dict]:
    """`traces` as a drill-down: a click on any of their points opens `href`, the page of
    the scope they draw (static/js/charts.js); unchanged without one."""
    if href:
        for trace in traces:
            trace["meta"] = {"href": href}
    return traces


def linked_bars(trace: dict, hrefs: dict[str, str] | None, categories: Sequence[str]) -> dict:
    """A bar trace whose bars (one per category, in order) open their category's page
    (`hrefs`: category -> URL; a category without one is no link)."""
    if hrefs:
        trace["meta"] = {"hrefs": [hrefs.get(str(c)) for c in categories]}
    return trace


def line_traces(
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


def preliminary_key(*, bars: bool = False) -> dict:
    """A legend entry explaining how preliminary months look."""
    if bars:
        return {
            "type": "bar",
            "x": [None],
            "y": [None],
            "name": _("Preliminär månad"),
            "marker": {"color": GREY, "pattern": hatch("/")},
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


def target_steps(
    months: Sequence[str],
    targets: Iterable,
    *,
    showlegend: bool = True,
    axes=None,
    followed: Sequence[bool] | None = None,
) -> list[dict]:
    """The targets per month as black dashed steps. `followed` marks the months whose
    target is the administration's (the scope follows it): the hover says so, and so
    does the legend when every shown target is ("Mål (förvaltningens)")."""
    values = plot_values(targets)
    if all(v is None for v in values):
        return []
    followed = list(followed) if followed is not None else [False] * len(values)
    shown = [f for f, v in zip(followed, values, strict=True) if v is not None]
    name = str(TARGET_FOLLOWED) if all(shown) else _("Mål")
    marks = [f" {FOLLOWED_MARK}" if f and not all(shown) else "" for f in followed]
    trace = {
        "type": "scatter",
        "x": list(months),
        "y": values,
        "mode": "lines",
        "name": name,
        "legendgroup": "target",
        "showlegend": showlegend,
        "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash", "shape": "hv"},
        "customdata": marks,
        "hovertemplate": "%{y:,.2f} %%{customdata}<extra>" + name + "</extra>",
    }
    if axes:
        trace |= {"xaxis": axes["x"], "yaxis": axes["y"]}
    return [trace]


def trim_leading_missing(table: pd.DataFrame, column: str) -> pd.DataFrame:
    present = table[column].notna().to_numpy()
    if not present.any():
        return table.iloc[0:0]
    return table.iloc[present.argmax() :]

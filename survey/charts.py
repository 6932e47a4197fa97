"""Plotly figures for the survey page, built from the page's comparison tables.

Same conventions as kpis.charts (whose layout helpers and colour-blind-safe
palette are reused): plain dicts turned into a figure once, the language's number
separators, no data embedded beyond what the table under the chart shows.
A hidden value (anonymity) is simply absent: no bar, and the table says why.
Every bar carries its value ("76,3", "73,5 %") in the format of the tables
(hyrdash.lib.formatting), outside the bar where it has room and the same size
whatever the width of the chart: five bars a point or two apart are told apart by
their labels on a phone too. A label that would be smaller than LABEL_MIN px is
left out (a narrow segment of eNPS's distribution); the table has every value.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from hyrdash.lib.chart_style import (
    BLUE,
    GREY,
    HIGHLIGHT,
    PALETTE,
    VERMILLION,
    chart_layout,
    greedy_label,
    hatch,
    to_json,
    value_axis,
)
from hyrdash.lib.formatting import format_number, format_pct

__all__ = ["comparison_figure", "enps_distribution_figure", "groups_figure", "to_json"]

PROMOTER = "#009E73"
PASSIVE = GREY
CRITIC = VERMILLION
PATTERNS = ["", "/", "", ".", "x", "-"]
# Above the bars, under the title: the number of bars varies too much for a legend below.
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "traceorder": "normal"}
LABEL_SIZE = 12  # px, the bars' value labels
LABEL_MIN = 10  # px: a label Plotly would have to shrink below this is left out
# Room right of the value axis for a label outside a bar at 100 ("100,0 %").
RIGHT_MARGIN = 56


def value_text(value: float | None, *, pct: bool = False) -> str:
    """A bar's label: "76,3", "−40,8", "73,5 %" ("" without a value)."""
    if value is None:
        return ""
    return format_pct(value, 1) if pct else format_number(value, 1)


def _labels(values: list[float | None], *, pct: bool = False, inside: bool = False) -> dict:
    """A bar trace's value labels (text, texttemplate, position, font)."""
    return {
        "text": [value_text(v, pct=pct) for v in values],
        "texttemplate": "%{text}",
        "textposition": "inside" if inside else "outside",
        "insidetextanchor": "middle",
        "cliponaxis": False,
        "textfont": {"size": LABEL_SIZE},
    }


UNIFORM_TEXT = {"minsize": LABEL_MIN, "mode": "hide"}


def wrap(text: str, width: int = 32, lines_at_most: int = 3) -> str:
    """A long axis label on several lines (Plotly's <br>), at most `lines_at_most`."""
    return greedy_label(text, width, max_lines=lines_at_most)


def comparison_figure(
    *,
    title: str,
    subtitle: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    value_range: tuple[float, float] = (0, 100),
    pct: bool = False,
    label: Callable[[str], str] = wrap,
) -> go.Figure:
    """Horizontal grouped bars: one bar per series (level and year) for each measure,
    each with its value. `label` writes a measure's name on the axis."""
    data = []
    for i, (name, values) in enumerate(series):
        marker = {"color": PALETTE[i % len(PALETTE)]}
        if PATTERNS[i % len(PATTERNS)]:
            marker["pattern"] = hatch(PATTERNS[i % len(PATTERNS)])
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": [label(text) for text in labels],
                "x": values,
                "marker": marker,
                "hovertemplate": f"%{{x:,.1f}}{' %' if pct else ''}<extra>{name}</extra>",
                **_labels(values, pct=pct),
            }
        )
    height = 170 + 18 * len(labels) * max(1, len(series)) + 12 * len(labels)
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=min(max(height, 280), 2400),
        margin={"t": 140, "b": 50, "r": RIGHT_MARGIN},
        legend=LEGEND,
        uniformtext=UNIFORM_TEXT,
        barmode="group",
        hovermode="closest",
        xaxis=value_axis(range=list(value_range), rangemode="normal"),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
    return go.Figure(data=data, layout=layout)


def enps_distribution_figure(
    *, title: str, subtitle: str, rows: list[tuple[str, float | None, float | None, float | None]]
) -> go.Figure:
    """Stacked horizontal bars per series: critics, passives, promoters in % (sums to 100)."""
    names = [row[0] for row in rows]
    parts = [
        (_("Kritiker (0–6)"), CRITIC, [row[3] for row in rows], ""),
        (_("Passiva (7–8)"), PASSIVE, [row[2] for row in rows], "/"),
        (_("Ambassadörer (9–10)"), PROMOTER, [row[1] for row in rows], ""),
    ]
    data = []
    for name, colour, values, pattern in parts:
        marker = {"color": colour}
        if pattern:
            marker["pattern"] = hatch(pattern)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": names,
                "x": values,
                "marker": marker,
                "hovertemplate": f"%{{x:,.1f}} %<extra>{name}</extra>",
                **_labels(values, pct=True, inside=True),
            }
        )
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=max(280, 170 + 34 * len(rows)),
        margin={"t": 140, "b": 50},
        legend=LEGEND,
        uniformtext=UNIFORM_TEXT,
        barmode="stack",
        hovermode="closest",
        xaxis=value_axis(range=[0, 100], ticksuffix=" %"),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
    return go.Figure(data=data, layout=layout)


def groups_figure(
    *,
    title: str,
    subtitle: str,
    name: str,
    labels: list[str],
    values: list[float | None],
    chosen: int | None = None,
    value_range: tuple[float, float] = (0, 100),
    pct: bool = False,
) -> go.Figure:
    """One index for groups side by side: horizontal bars, the first (the groups' parent)
    grey as a reference, the chosen group (position `chosen`) hatched in another colour,
    each with its value."""
    colours = [GREY, *[BLUE] * (len(labels) - 1)]
    patterns = [""] * len(labels)
    if chosen is not None and 0 < chosen < len(labels):
        colours[chosen], patterns[chosen] = HIGHLIGHT, "/"
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": [wrap(label) for label in labels],
            "x": values,
            "marker": {"color": colours, "pattern": hatch(patterns)},
            "showlegend": False,
            "hovertemplate": f"%{{y}}: %{{x:,.1f}}{' %' if pct else ''}<extra></extra>",
            **_labels(values, pct=pct),
        }
    ]
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=min(max(170 + 30 * len(labels), 280), 2400),
        margin={"t": 110, "b": 50, "r": RIGHT_MARGIN},
        uniformtext=UNIFORM_TEXT,
        hovermode="closest",
        xaxis=value_axis(range=list(value_range), rangemode="normal"),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
    return go.Figure(data=data, layout=layout)

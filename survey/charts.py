"""Plotly figures for the survey page, built from the page's comparison tables.

Same conventions as kpis.charts (whose layout helpers and colour-blind-safe
palette are reused): plain dicts turned into a figure once, the language's number
separators, no data embedded beyond what the table under the chart shows.
A hidden value (anonymity) is simply absent: no bar, and the table says why.
"""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from hyrdash.lib.chart_style import (
    GREY,
    PALETTE,
    VERMILLION,
    chart_layout,
    greedy_label,
    hatch,
    to_json,
    value_axis,
)

__all__ = ["comparison_figure", "enps_distribution_figure", "to_json"]

PROMOTER = "#009E73"
PASSIVE = GREY
CRITIC = VERMILLION
PATTERNS = ["", "/", "", ".", "x", "-"]
# Above the bars, under the title: the number of bars varies too much for a legend below.
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "traceorder": "normal"}


def wrap(text: str, width: int = 32) -> str:
    """A long axis label on several lines (Plotly's <br>), at most three."""
    return greedy_label(text, width, max_lines=3)


def comparison_figure(
    *,
    title: str,
    subtitle: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    value_range: tuple[float, float] = (0, 100),
) -> go.Figure:
    """Horizontal grouped bars: one bar per series (level and year) for each measure."""
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
                "y": [wrap(label) for label in labels],
                "x": values,
                "marker": marker,
                "hovertemplate": f"%{{x:,.1f}}<extra>{name}</extra>",
            }
        )
    height = 170 + 18 * len(labels) * max(1, len(series)) + 12 * len(labels)
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=min(max(height, 280), 2400),
        margin={"t": 140, "b": 50},
        legend=LEGEND,
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
            }
        )
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=max(280, 170 + 34 * len(rows)),
        margin={"t": 140, "b": 50},
        legend=LEGEND,
        barmode="stack",
        hovermode="closest",
        xaxis=value_axis(range=[0, 100], ticksuffix=" %"),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
    return go.Figure(data=data, layout=layout)

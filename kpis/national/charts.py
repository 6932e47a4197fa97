"""Plotly figures of the national comparison (KPI 8), in hyrdash.lib.chart_style's house
style: our region beside the national average quarter by quarter, and every region in one
quarter. Each takes its table from kpis.national.series.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.chart_style import (
    GREY,
    HIGHLIGHT,
    TARGET_COLOUR,
    Figure,
    base_axis,
    chart_layout,
    empty_figure,
    hatch,
    is_region,
    line_traces,
    make_figure,
    plot_values,
    quarter_label,
    value_axis,
)
from hyrdash.lib.formatting import format_pct

SOURCE = gettext_lazy("Kostnad för inhyrd personal i procent av kostnaden för egen personal (SKR)")

# Room to the right of the longest bar for its label ("13,6 %"), as a share of the axis.
LABEL_ROOM = 1.25


def trend_figure(table: pd.DataFrame, *, region: str) -> Figure:
    """Our region's agency share and the national average's per quarter, in %.

    `table` has columns quarter, region_share_pct, national_share_pct (series.trend);
    a missing value is a gap in its line.
    """
    layout = chart_layout(
        title=_("Andel hyrpersonal per kvartal: %(region)s och riket") % {"region": region},
        subtitle=str(SOURCE),
        height=400,
        xaxis=base_axis(type="category"),
        yaxis={"title": {"text": "%"}, "ticksuffix": " %", "tickformat": ",.1f"},
    )
    if table.empty:
        return empty_figure(layout, _("Ingen nationell jämförelse är uppladdad ännu."))
    quarters = [quarter_label(q) for q in table["quarter"]]
    closed = [False] * len(quarters)
    data = line_traces(
        quarters,
        plot_values(table["region_share_pct"]),
        name=region,
        colour=HIGHLIGHT,
        preliminary=closed,
        unit="%",
        decimals=1,
        width=3.5,
    )
    national = line_traces(
        quarters,
        plot_values(table["national_share_pct"]),
        name=_("Riket"),
        colour=TARGET_COLOUR,
        symbol="square",
        preliminary=closed,
        unit="%",
        decimals=1,
        width=2,
    )
    for trace in national:
        trace["line"]["dash"] = "dash"
    return make_figure(data + national, layout)


def regions_figure(table: pd.DataFrame, *, region: str, quarter: str) -> Figure:
    """Agency share per region for one quarter, sorted, with the national average.

    `table` has columns quarter, region, share_pct, is_average (series.regions).
    Our region is highlighted by colour, hatching and bold text.
    """
    regions = table[~table["is_average"].astype(bool)].sort_values(
        "share_pct", ascending=True, kind="stable"
    )
    average = table.loc[table["is_average"].astype(bool), "share_pct"]
    largest = pd.concat([regions["share_pct"], average]).max()
    room = {"range": [0, float(largest) * LABEL_ROOM]} if pd.notna(largest) else {}
    layout = chart_layout(
        title=_("Nationell jämförelse – andel hyrpersonal per region, %(quarter)s")
        % {"quarter": quarter_label(quarter)},
        subtitle=str(SOURCE),
        height=170 + 26 * max(len(regions), 4),
        hovermode="closest",
        margin={"t": 100},
        xaxis=value_axis(
            title={"text": "%"},
            ticksuffix=" %",
            tickformat=",.1f",
            **room,
        ),
        yaxis=base_axis(type="category"),
    )
    ours = [is_region(name, region) for name in regions["region"]]
    labels = [
        f"<b>{name}</b>" if mine else name
        for name, mine in zip(regions["region"], ours, strict=True)
    ]
    shares = plot_values(regions["share_pct"])
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
                "marker": {"color": colour, "pattern": hatch("x" if mine else "")},
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
    return make_figure(data, layout)

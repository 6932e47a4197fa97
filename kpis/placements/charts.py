"""Plotly figures of the placements pages: one consultant's placements on a timeline per
operating unit, and purchased hours per month from the staffing system beside the
ledger's. Nothing here touches the database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.chart_style import (
    BLUE,
    PALETTE,
    TEXT,
    VERMILLION,
    Figure,
    base_axis,
    chart_layout,
    empty_figure,
    line_traces,
    make_figure,
    month_axis,
    plot_values,
)

DAY_MS = 24 * 60 * 60 * 1000


def timeline_figure(placements: pd.DataFrame, limits: pd.DataFrame, *, on: dt.date) -> Figure:
    """A bar per placement from its start through its end (an ongoing one through `on`),
    one row per operating unit (`placements` with operating_unit and
    operating_unit_label, as series.with_operating_units gives them), a diamond on
    each day 721 (`limits`, series.limit_table) and a dashed line on `on`."""
    layout = chart_layout(
        title=_("Placeringar per driftsenhet"),
        subtitle=_("Staplar: placeringar; romb: dag 721; streckad linje: %(date)s")
        % {"date": on.isoformat()},
        height=160 + 60 * max(1, placements["operating_unit"].nunique()),
        hovermode="closest",
        xaxis=base_axis(type="date", tickformat="%b %Y", hoverformat="%-d %b %Y", showgrid=True),
        yaxis=base_axis(type="category", autorange="reversed"),
        barmode="overlay",
        showlegend=False,
    )
    if placements.empty:
        return empty_figure(layout, _("Inga placeringar"))
    labels = dict(
        zip(placements["operating_unit"], placements["operating_unit_label"], strict=True)
    )
    ends = [end if end is not None else on for end in placements["end"]]
    data: list[dict] = [
        {
            "type": "bar",
            "orientation": "h",
            "base": [start.isoformat() for start in placements["start"]],
            "x": [
                ((end - start).days + 1) * DAY_MS
                for start, end in zip(placements["start"], ends, strict=True)
            ],
            "y": list(placements["operating_unit_label"]),
            "marker": {"color": BLUE, "line": {"color": "#ffffff", "width": 1}},
            "opacity": 0.85,
            "customdata": [
                [placements_text(start), placements_text(end)]
                for start, end in zip(placements["start"], placements["end"], strict=True)
            ],
            "hovertemplate": "%{y}: %{customdata[0]} – %{customdata[1]}<extra></extra>",
            "name": _("Placering"),
        }
    ]
    reached = limits[limits["day_721_date"].notna()]
    if len(reached):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [day.isoformat() for day in reached["day_721_date"]],
                "y": [labels.get(unit, unit) for unit in reached["operating_unit"]],
                "marker": {"symbol": "diamond", "size": 14, "color": VERMILLION},
                "hovertemplate": _("Dag 721: %{x}") + "<extra></extra>",
                "name": _("Dag 721"),
            }
        )
    layout["shapes"] = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": on.isoformat(),
            "x1": on.isoformat(),
            "y0": 0,
            "y1": 1,
            "line": {"color": TEXT, "dash": "dash", "width": 1.5},
        }
    ]
    return make_figure(data, layout)


def placements_text(day: dt.date | None) -> str:
    return _("pågår") if day is None else day.isoformat()


def hours_comparison_figure(table: pd.DataFrame) -> Figure:
    """Two lines: hours per month from the staffing system and from the ledger
    (metrics.hours_comparison)."""
    layout = chart_layout(
        title=_("Köpta timmar per månad"),
        subtitle=_("Bemanningssystemets placeringar och huvudbokens hyrtimmar"),
        xaxis=month_axis(),
        yaxis={"title": {"text": _("timmar")}},
    )
    if table.empty:
        return empty_figure(layout, _("Inga timmar ännu"))
    months = [f"{month}-01" for month in table["month"]]
    data = []
    for column, name, colour, symbol in (
        ("placement_hours", _("Bemanningssystemet"), PALETTE[0], "circle"),
        ("ledger_hours", _("Huvudboken"), PALETTE[1], "square"),
    ):
        data += line_traces(
            months,
            plot_values(table[column]),
            name=name,
            colour=colour,
            preliminary=[False] * len(months),
            unit=_("timmar"),
            symbol=symbol,
        )
    return make_figure(data, layout)

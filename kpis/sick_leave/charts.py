"""Plotly figures for the sick-leave page (lines per group, with targets and withheld
months as gaps), in hyrdash.lib.chart_style's house style.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.chart_style import (
    BLUE,
    NARROW,
    PALETTE,
    SYMBOLS,
    VERMILLION,
    Figure,
    chart_layout,
    empty_figure,
    line_traces,
    make_figure,
    month_axis,
    padded_range,
    panel_title,
    plot_values,
    preliminary_key,
    responsive,
    target_steps,
    trim_leading_missing,
    value_axis,
)

# --- sick leave (KPI 9) ------------------------------------------------------------------

NO_SICK_LEAVE_R12 = gettext_lazy("R12 kräver sjukfrånvaro för tolv månader i följd")

SICK_LEAVE_WITHHELD = gettext_lazy("Värdena visas inte: för få anställda (se tabellen)")

# The narrowest range (percentage points) of a sick-leave rate's axis: R12 moves by
# tenths of a percent, and an axis of a few hundredths would repeat its rounded labels.
RATE_SPAN = 1.0

PCT_AXIS = {"ticksuffix": " %", "tickformat": ",.1f"}


def _from_first_value(values: pd.Series) -> pd.Series | None:
    """A line from its first month with a value; None for one without any."""
    values = trim_leading_missing(values.to_frame("v"), "v")["v"]
    return None if values.isna().all() else values


def _preliminary(values: pd.Series, preliminary: set[str]) -> bool:
    return any(month in preliminary for month in values.index)


def _pct_line(values: pd.Series, preliminary: set[str], **trace) -> list[dict]:
    """A line of sick leave in % per month, to the hundredth; `trace` its name and look."""
    return line_traces(
        list(values.index),
        plot_values(values),
        preliminary=[month in preliminary for month in values.index],
        unit="%",
        decimals=2,
        **trace,
    )


def sick_leave_lines_figure(
    lines: dict[str, pd.Series],
    *,
    title: str,
    subtitle: str,
    preliminary: set[str],
    emphasis: str | None = None,
    targets: pd.Series | None = None,
    followed: list[bool] | None = None,
    empty: str = NO_SICK_LEAVE_R12,
) -> Figure:
    """Sick leave in % per month, one line per group (label -> series indexed by month
    'YYYY-MM', NaN where there is no value or it is withheld: a gap in the line).

    The `emphasis` line (the scope's total) is drawn thicker, in blue; `targets`
    (indexed like the lines) as black dashed steps, `followed` marking those that are the
    administration's (the scope follows it); `empty` is said when no line has a
    value. The y axis fits the values and the targets rather than starting at 0: R12
    moves by tenths of a percent, which is what the steering group follows; it spans
    at least RATE_SPAN percentage points.
    """
    shown = [v for values in lines.values() for v in plot_values(values)]
    if targets is not None:
        shown += plot_values(targets)
    value_range = padded_range(shown, min_span=RATE_SPAN)
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=460,
        xaxis=month_axis(),
        yaxis={"title": {"text": "%"}, "rangemode": "normal"}
        | PCT_AXIS
        | ({"range": value_range} if value_range else {}),
    )
    drawn = {
        label: shown
        for label, values in lines.items()
        if (shown := _from_first_value(values)) is not None
    }
    data: list[dict] = []
    others = 0
    for label, values in drawn.items():
        if label == emphasis:
            colour, symbol, width = BLUE, "circle", 3.5
        else:
            colour = PALETTE[(others + 1) % len(PALETTE)]
            symbol = SYMBOLS[(others + 1) % len(SYMBOLS)]
            width = 2
            others += 1
        data += _pct_line(
            values, preliminary, name=label, colour=colour, symbol=symbol, width=width
        )
    any_preliminary = any(_preliminary(values, preliminary) for values in drawn.values())
    if not data:
        return empty_figure(layout, empty)
    if targets is not None:
        data += target_steps(list(targets.index), targets, followed=followed)
    if any_preliminary:
        data.append(preliminary_key())
    return make_figure(data, layout)


def sick_leave_duration_figure(
    table: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    preliminary: set[str],
    empty: str = NO_SICK_LEAVE_R12,
) -> Figure:
    """Long- and short-term sick leave R12 per month in two panels, each on an axis from 0:
    above, the long-term share (sick hours from day 60 in % of all sick hours); below, the
    short-term rate (sick hours day 1-14 in % of ordinary working hours).

    `table` is indexed by month ('YYYY-MM') with columns long_term_share_r12_pct and
    short_term_rate_r12_pct (NaN where there is no value or it is withheld: a gap).
    """
    top, bottom = 0.56, 0.40  # the short-term panel, under the long-term share
    long_name = _("Långtidsandel (dag 60-)")
    short_name = _("Korttidssjukfrånvaro (dag 1-14)")
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=560,
        xaxis=month_axis(domain=[0, 1], anchor="y", matches="x2", showticklabels=False),
        yaxis=value_axis(domain=[top, 1], title={"text": "%"}, **PCT_AXIS),
        xaxis2=month_axis(domain=[0, 1], anchor="y2"),
        yaxis2=value_axis(domain=[0, bottom], anchor="x2", title={"text": "%"}, **PCT_AXIS),
    )
    columns = ["long_term_share_r12_pct", "short_term_rate_r12_pct"]
    if table.empty or table[columns].isna().all().all():
        return empty_figure(layout, empty)
    panels = [
        (_("Långtidssjukfrånvarons andel av all sjukfrånvaro"), [top, 1]),
        (_("Korttidssjukfrånvaro dag 1-14, andel av ordinarie arbetstid"), [0, bottom]),
    ]
    layout["annotations"] = [
        panel_title(text, {"xdomain": [0, 1], "ydomain": ydomain}) for text, ydomain in panels
    ]
    # On a phone the panel titles take two lines.
    responsive(
        layout,
        {
            NARROW: {
                "annotations": [
                    panel_title(text, {"xdomain": [0, 1], "ydomain": ydomain}, width=30)
                    for text, ydomain in panels
                ]
            }
        },
    )
    data: list[dict] = []
    any_preliminary = False
    for column, name, colour, symbol, axes in (
        ("long_term_share_r12_pct", long_name, BLUE, "circle", {"x": "x", "y": "y"}),
        ("short_term_rate_r12_pct", short_name, VERMILLION, "square", {"x": "x2", "y": "y2"}),
    ):
        values = _from_first_value(table[column])
        if values is not None:
            data += _pct_line(
                values, preliminary, name=name, colour=colour, symbol=symbol, axes=axes
            )
            any_preliminary |= _preliminary(values, preliminary)
    if any_preliminary:
        data.append(preliminary_key())
    return make_figure(data, layout)

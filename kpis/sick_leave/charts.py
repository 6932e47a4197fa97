"""Plotly figures for the sick-leave page (lines per group, with targets and withheld
months as gaps), in hyrdash.lib.chart_style's house style.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext_lazy

from hyrdash.lib.chart_style import (
    BLUE,
    PALETTE,
    SYMBOLS,
    chart_layout,
    empty_figure,
    line_traces,
    make_figure,
    month_axis,
    plot_values,
    preliminary_key,
    target_steps,
    trim_leading_missing,
)

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
    followed: list[bool] | None = None,
    empty: str = NO_SICK_LEAVE_R12,
) -> go.Figure:
    """Sick leave in % per month, one line per group (label -> series indexed by month
    'YYYY-MM', NaN where there is no value or it is withheld: a gap in the line).

    The `emphasis` line (the scope's total) is drawn thicker, in blue; `targets`
    (indexed like the lines) as black dashed steps, `followed` marking those that are the
    administration's (the scope follows it); `empty` is said when no line has a
    value. The y axis fits the values rather than starting at 0: R12 moves by tenths
    of a percent, which is what the steering group follows.
    """
    layout = chart_layout(
        title=title,
        subtitle=subtitle,
        height=460,
        xaxis=month_axis(),
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
        values = trim_leading_missing(values.to_frame("v"), "v")["v"]
        if values.isna().all():
            continue
        months = list(values.index)
        flags = [m in preliminary for m in months]
        any_preliminary |= any(flags)
        if label == emphasis:
            colour, symbol, width = BLUE, "circle", 3.5
        else:
            colour = PALETTE[(others + 1) % len(PALETTE)]
            symbol = SYMBOLS[(others + 1) % len(SYMBOLS)]
            width = 2
            others += 1
        data += line_traces(
            months,
            plot_values(values),
            name=label,
            colour=colour,
            symbol=symbol,
            width=width,
            preliminary=flags,
            unit="%",
            decimals=2,
        )
    if not data:
        return empty_figure(layout, empty)
    if targets is not None:
        data += target_steps(list(targets.index), targets, followed=followed)
    if any_preliminary:
        data.append(preliminary_key())
    return make_figure(data, layout)

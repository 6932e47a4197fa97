"""Plotly figures for the cost dashboard, one function per chart.

Each function takes a series table (kpis.costs.series: the same table the page shows
and the CSV download returns) and returns a `plotly.graph_objects.Figure` with
titles and number separators in the active language (Swedish: layout.separators
", ", decimal comma, space between thousands; English ".,"). Nothing here touches
the database.

Colours, axes, month labels and the marks of preliminary months are the house style
of hyrdash.lib.chart_style; the figures are plain dicts turned into a Figure once
(chart_style.make_figure).
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib import chart_style
from hyrdash.lib.chart_style import (
    BLUE,
    GREY,
    MEDIUM,
    NARROW,
    PALETTE,
    PRELIMINARY,
    SYMBOLS,
    VERMILLION,
    Figure,
    base_axis,
    chart_layout,
    empty_figure,
    hatch,
    line_traces,
    linked,
    linked_bars,
    make_figure,
    month_abbr,
    month_abbrs,
    month_axis,
    month_label,
    panel_grid,
    panel_rows,
    panel_title,
    plot_values,
    preliminary_flags,
    preliminary_key,
    preliminary_months,
    range_label,
    responsive,
    scaled_values,
    target_steps,
    trim_leading_missing,
    upper_first,
    value_axis,
)
from hyrdash.lib.formatting import KR, TKR, format_money, money_scale
from kpis.costs import metrics
from kpis.costs.series import PROFESSION_LABELS, PROFESSIONS

PROFESSION_COLOURS = {"hyr_lakare": "#0072B2", "hyr_ssk_bm": "#D55E00", "hyr_ovriga": "#009E73"}

SKR_TITLE = gettext_lazy("Hyrkostnadernas andel av kostnaden för egen personal R12 (SKR-mått)")


# --- chart 1: year to date per profession --------------------------------------------


def agency_ytd_figure(table: pd.DataFrame, *, month: pd.Period, unit: str = "mkr") -> Figure:
    """KPI 1: agency cost Jan..month this year and last year per profession, in `unit`
    (mkr, or tkr for small values: hyrdash.lib.formatting.money_unit)."""
    divisor, decimals, label = money_scale(unit)
    layout = chart_layout(
        title=_("Kostnader hyrpersonal – ack %(month)s") % {"month": month_label(month)},
        subtitle=_("Jämfört med samma period %(year)s (%(unit)s)")
        % {"year": month.year - 1, "unit": label},
        height=380,
        barmode="group",
        bargroupgap=0.08,  # the two years' labels apart
        hovermode="closest",
        yaxis={"title": {"text": label}},
    )
    rows = table[table["profession"].isin(PROFESSIONS)]
    if rows[["ytd_sek", "ytd_prev_sek"]].isna().all().all():
        return empty_figure(layout, _("Inga utfall för perioden"))
    labels = [str(PROFESSION_LABELS[p]) for p in rows["profession"]]
    january = month_abbr(1).capitalize()
    period = f"{january}–{month_abbr(month.month)}" if month.month > 1 else january
    data = []
    for column, year, colour in (
        ("ytd_prev_sek", month.year - 1, GREY),
        ("ytd_sek", month.year, BLUE),
    ):
        values = scaled_values(rows[column], divisor)
        data.append(
            {
                "type": "bar",
                "x": labels,
                "y": values,
                "name": f"{period} {year}",
                "marker": {"color": colour},
                "text": [None if v is None else format_money(v * divisor, unit) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{y:,.{decimals}f}} {label}<extra>%{{fullData.name}}</extra>",
            }
        )
    # On a phone the bars are narrow: their labels without the unit (the axis has it).
    number = {"texttemplate": f"%{{y:,.{decimals}f}}"}
    return make_figure(data, responsive(layout, {}, data={NARROW: [number, number]}))


# --- chart 2: per month, one line per year --------------------------------------------


def agency_monthly_figure(table: pd.DataFrame, *, month: pd.Period, unit: str = "mkr") -> Figure:
    """KPI 2: all agency cost per month in `unit` (mkr, or tkr for small values), one
    line for each of the last three years."""
    divisor, decimals, label = money_scale(unit)
    layout = chart_layout(
        title=_("Kostnader hyrpersonal totalt per månad – %(year)s–ack %(month)s")
        % {"year": month.year - 2, "month": month_label(month)},
        subtitle=_("%(unit)s, en linje per år") % {"unit": upper_first(label)},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": month_abbrs()},
        yaxis={"title": {"text": label}},
    )
    preliminary = preliminary_months(table)
    if table.empty or table["amount_sek"].isna().all():
        return empty_figure(layout, _("Inga utfall för perioden"))
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
        flags = [m in preliminary for m in months]
        any_preliminary |= any(flags)
        data += line_traces(
            [month_abbr(int(m[5:])) for m in months],
            scaled_values(line[keep], divisor),
            name=str(year),
            colour=colour,
            symbol=symbol,
            width=width,
            preliminary=flags,
            unit=label,
            decimals=decimals,
        )
    if any_preliminary:
        data.append(preliminary_key())
    return make_figure(data, layout)


# --- chart 3: R12 -----------------------------------------------------------------


def agency_r12_figure(table: pd.DataFrame) -> Figure:
    """KPI 3: agency cost R12 per month (Tkr)."""
    layout = chart_layout(
        title=_("Kostnaden för hyrpersonal R12 (%(unit)s)") % {"unit": TKR},
        subtitle=_("Rullande 12 månader"),
        xaxis=month_axis(),
        yaxis={"title": {"text": str(TKR)}},
    )
    drawn = _r12_line(
        table,
        "agency_r12_sek",
        lambda values: scaled_values(values, 1e3),
        name=_("Hyrpersonal R12"),
        unit=str(TKR),
    )
    if drawn is None:
        return empty_figure(layout, chart_style.NO_R12)
    _table, flags, data = drawn
    if any(flags):
        data.append(preliminary_key())
    return make_figure(data, layout)


def _r12_line(table: pd.DataFrame, column: str, values, **trace):
    """Chart 3's or 4's R12 line, from the first month with a value: (the rows drawn,
    their preliminary flags, the traces), or None when no month has a value.
    `values(column)` is what is plotted; `trace` names the line and its unit."""
    table = trim_leading_missing(table, column)
    if table.empty:
        return None
    flags = preliminary_flags(table)
    traces = line_traces(
        list(table["month"]), values(table[column]), colour=BLUE, preliminary=flags, **trace
    )
    return table, flags, traces


# --- chart 4: the SKR measure --------------------------------------------------------


def skr_measure_figure(
    table: pd.DataFrame,
    *,
    scope_label: str,
    followed: list[bool] | None = None,
    projection: pd.DataFrame | None = None,
    projection_followed: bool = False,
) -> Figure:
    """KPI 4: agency R12 / own-staff R12 in %, with the year's target as steps;
    `followed` marks the rows whose target is the administration's.

    `projection` (kpis.costs.series.skr_projection: month, projected_pct, target_pct)
    continues the line from the table's last month to December as a dashed line, and
    the target with it (`projection_followed`: that year's target is the
    administration's)."""
    with_target = bool(table["target_pct"].notna().any())
    subtitle = _("%(scope)s, procent, med mål per år") if with_target else _("%(scope)s, procent")
    layout = chart_layout(
        title=SKR_TITLE,
        subtitle=subtitle % {"scope": scope_label},
        xaxis=month_axis(),
        yaxis={"title": {"text": "%"}, "ticksuffix": " %", "tickformat": ",.1f"},
    )
    table = table.assign(followed=followed if followed is not None else False)
    drawn = _r12_line(table, "ratio_pct", plot_values, name=_("SKR-mått R12"), unit="%", decimals=2)
    if drawn is None:
        return empty_figure(layout, chart_style.NO_R12)
    table, flags, data = drawn
    months = list(table["month"])
    ahead = (
        projection[projection["projected_pct"].notna()]
        if projection is not None
        else pd.DataFrame()
    )
    targets, target_months = list(table["target_pct"]), months
    target_followed = list(table["followed"])
    if len(ahead):
        data.append(_projection_trace(table, ahead))
        target_months = months + list(projection["month"])
        targets += list(projection["target_pct"])
        target_followed += [projection_followed] * len(projection)
    data += target_steps(target_months, targets, followed=target_followed)
    if any(flags):
        data.append(preliminary_key())
    return make_figure(data, layout)


def _projection_trace(table: pd.DataFrame, ahead: pd.DataFrame) -> dict:
    """The projection, dashed, starting from the last month's actual measure."""
    name = _("Prognos med nuvarande takt")
    return {
        "type": "scatter",
        "x": [table["month"].iloc[-1], *ahead["month"]],
        "y": plot_values([table["ratio_pct"].iloc[-1], *ahead["projected_pct"]]),
        "mode": "lines+markers",
        "name": name,
        "legendgroup": "projection",
        "line": {"color": BLUE, "width": 2, "dash": "dash"},
        "marker": {"symbol": "diamond-open", "size": 8, "color": BLUE},
        "hovertemplate": "%{y:,.2f} %<extra>" + name + "</extra>",
    }


# px between rows of small multiples: the x axis labels above, a two-line panel title below.
PANEL_ROW_GAP = 80
# A panel title longer than this many characters takes two lines.
PANEL_TITLE_WIDTH = 24


def skr_measure_panels_figure(
    tables: dict[str, pd.DataFrame], *, columns: int = 3, hrefs: dict[str, str] | None = None
) -> Figure:
    """KPI 4 for several scopes at once: one small panel per scope (label -> table); a
    click in a panel opens its scope's page where `hrefs` (label -> URL) has one.

    Each panel has its own y axis (primary care sits far above hospital care);
    the x axes are shared. `columns` panels a row; in a narrower chart two, and one on a
    phone (chart_style.responsive).
    """
    labels = list(tables)

    def grid(cols: int, panel_height: int) -> tuple[list[dict], int]:
        hgap = {1: 0.0, 2: 0.12}.get(cols, 0.06)
        return panel_rows(
            len(labels), cols, panel_height=panel_height, row_gap=PANEL_ROW_GAP, hgap=hgap
        )

    cells, plot_height = grid(columns, 210)
    layout = chart_layout(
        title=_("%(title)s per vårdtyp och område") % {"title": SKR_TITLE},
        subtitle=_("Procent, med mål per år (streckad linje)"),
        height=plot_height + 180,
        margin={"l": 60, "r": 24, "t": 110, "b": 70},
        legend={"y": -60 / plot_height},
    )
    annotations = []
    data: list[dict] = []
    shown_legend = False
    any_preliminary = False
    for label, cell in zip(labels, cells, strict=False):
        layout[cell["xaxis"]] = month_axis(
            domain=cell["xdomain"],
            anchor=cell["y"],
            tickformat="%Y",
            dtick="M12",
            **({} if cell["x"] == "x" else {"matches": "x"}),
        )
        layout[cell["yaxis"]] = value_axis(
            domain=cell["ydomain"], anchor=cell["x"], ticksuffix=" %", tickformat=",.1f"
        )
        annotations.append(panel_title(label, cell, width=PANEL_TITLE_WIDTH))
        table = trim_leading_missing(tables[label], "ratio_pct")
        if table.empty:
            continue
        months = list(table["month"])
        flags = preliminary_flags(table)
        any_preliminary |= any(flags)
        href = (hrefs or {}).get(label)
        data += linked(
            line_traces(
                months,
                plot_values(table["ratio_pct"]),
                name=_("SKR-mått R12"),
                colour=BLUE,
                preliminary=flags,
                unit="%",
                decimals=2,
                width=2,
                showlegend=not shown_legend,
                axes=cell,
            ),
            href,
        )
        data += linked(
            target_steps(months, table["target_pct"], showlegend=not shown_legend, axes=cell),
            href,
        )
        shown_legend = True
    for cell in cells[len(labels) :]:  # empty places in the last row
        layout[cell["xaxis"]] = {"visible": False, "domain": cell["xdomain"], "anchor": cell["y"]}
        layout[cell["yaxis"]] = {"visible": False, "domain": cell["ydomain"], "anchor": cell["x"]}
    if any_preliminary:
        data.append(preliminary_key())
    layout["annotations"] = annotations
    variants = {}
    for below, cols, panel_height in ((NARROW, 1, 150), (MEDIUM, 2, 180)):
        if cols >= columns:
            continue
        narrow_cells, narrow_height = grid(cols, panel_height)
        variant: dict = {
            "height": narrow_height + 180,
            "annotations": [
                panel_title(label, cell, width=PANEL_TITLE_WIDTH)
                for label, cell in zip(labels, narrow_cells, strict=False)
            ],
        }
        for cell in narrow_cells[: len(labels)]:
            variant[cell["xaxis"]] = {
                "domain": cell["xdomain"],
                "dtick": "M24" if cols > 1 else "M12",
            }
            variant[cell["yaxis"]] = {"domain": cell["ydomain"]}
        variants[below] = variant
    return make_figure(data, responsive(layout, variants))


# --- chart 5: R12 per area --------------------------------------------------------


def agency_r12_by_area_figure(
    table: pd.DataFrame, *, unit: str = "mkr", hrefs: dict[str, str] | None = None
) -> Figure:
    """KPI 3b: agency cost R12 per area in `unit` (mkr, or tkr for small values), one line
    per area; a click on a line opens its area's page where `hrefs` (area -> URL) has one."""
    divisor, decimals, label = money_scale(unit)
    layout = chart_layout(
        title=_("Kostnad hyrpersonal R12 per område (%(unit)s)") % {"unit": label},
        subtitle=_("Rullande 12 månader"),
        height=480,
        xaxis=month_axis(),
        yaxis={"title": {"text": label}},
    )
    table = table[table["agency_r12_sek"].notna()]
    if table.empty:
        return empty_figure(layout, chart_style.NO_R12)
    data: list[dict] = []
    any_preliminary = False
    for i, (area, rows) in enumerate(table.groupby("area", sort=True)):
        months = list(rows["month"])
        flags = preliminary_flags(rows)
        any_preliminary |= any(flags)
        data += linked(
            line_traces(
                months,
                scaled_values(rows["agency_r12_sek"], divisor),
                name=str(area),
                colour=PALETTE[i % len(PALETTE)],
                symbol=SYMBOLS[i % len(SYMBOLS)],
                preliminary=flags,
                unit=label,
                decimals=decimals,
                width=2,
            ),
            (hrefs or {}).get(str(area)),
        )
    if any_preliminary:
        data.append(preliminary_key())
    return make_figure(data, layout)


# --- chart 6: personnel cost vs budget -----------------------------------------------


def personnel_cost_figure(table: pd.DataFrame, *, year: int) -> Figure:
    """KPI 5: personnel cost per month of one year: actual (bars), budget, last year (Tkr)."""
    layout = chart_layout(
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
        return empty_figure(layout, _("Inga utfall eller budget för året"))
    months = list(table["month"])
    x = [month_abbr(int(m[5:7])) for m in months]
    actual_name = _("Utfall %(year)s") % {"year": year}
    budget_name = _("Budget %(year)s") % {"year": year}
    previous_name = _("Utfall %(year)s") % {"year": year - 1}
    actual = scaled_values(table["actual_sek"], 1e3)
    # Only months with actuals are marked; the rest of the year is budget.
    flags = [f and v is not None for f, v in zip(preliminary_flags(table), actual, strict=True)]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": actual,
            "name": actual_name,
            "marker": {
                "color": BLUE,
                "pattern": hatch(["/" if f else "" for f in flags]),
            },
            "customdata": [str(PRELIMINARY) if f else "" for f in flags],
            "hovertemplate": f"%{{y:,.0f}} {TKR}%{{customdata}}<extra>{actual_name}</extra>",
        },
        {
            "type": "scatter",
            "x": x,
            "y": scaled_values(table["budget_sek"], 1e3),
            "name": budget_name,
            "mode": "lines+markers",
            "line": {"color": VERMILLION, "width": 2.5},
            "marker": {"symbol": "diamond", "size": 8},
            "hovertemplate": f"%{{y:,.0f}} {TKR}<extra>{budget_name}</extra>",
        },
        {
            "type": "scatter",
            "x": x,
            "y": scaled_values(table["actual_prev_year_sek"], 1e3),
            "name": previous_name,
            "mode": "lines+markers",
            "line": {"color": "#000000", "width": 2},
            "marker": {"symbol": "square", "size": 6},
            "hovertemplate": f"%{{y:,.0f}} {TKR}<extra>{previous_name}</extra>",
        },
    ]
    if any(flags):
        data.append(preliminary_key(bars=True))
    return make_figure(data, layout)


# --- chart 7: per department and profession ------------------------------------------

DEPARTMENTS_SHOWN = 15


def agency_by_department_figure(
    table: pd.DataFrame,
    *,
    start: pd.Period,
    end: pd.Period,
    per_unit: bool = False,
    hrefs: dict[str, str] | None = None,
) -> Figure:
    """KPI 6: agency cost per department and profession for a range vs last year (Tkr).

    One panel per profession, sharing the department axis; the departments
    with the highest cost first (at most DEPARTMENTS_SHOWN; the table has all).
    `per_unit`: the `department` column names a department's units instead (the
    drill-down's last level), and the titles say so. A click on a bar opens its
    department's (unit's) page where `hrefs` (name -> URL) has one.
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
        more = (
            _("; de %(count)s enheterna med högst kostnad, alla i tabellen")
            if per_unit
            else _("; de %(count)s verksamheterna med högst kostnad, alla i tabellen")
        )
        subtitle += more % {"count": DEPARTMENTS_SHOWN}
    cells = panel_grid(1, len(PROFESSIONS), hgap=0.03, vgap=0)
    layout = chart_layout(
        title=_("Kostnad hyrpersonal per enhet och yrkesgrupp")
        if per_unit
        else _("Kostnad hyrpersonal per verksamhet och yrkesgrupp"),
        subtitle=subtitle,
        height=190 + 46 * max(len(departments), 3),
        barmode="group",
        bargap=0.25,
        hovermode="closest",
        margin={"t": 110},
        legend={"y": -60 / (46 * max(len(departments), 3))},
    )
    if not departments:
        return empty_figure(layout, _("Ingen kostnad för hyrpersonal i perioden"))
    order = list(reversed(departments))  # the largest on top
    data: list[dict] = []
    annotations = []
    for code, cell in zip(PROFESSIONS, cells, strict=True):
        layout[cell["xaxis"]] = value_axis(
            domain=cell["xdomain"],
            anchor=cell["y"],
            title={"text": str(TKR)},
            showgrid=True,
            tickformat=",~r",
        )
        layout[cell["yaxis"]] = base_axis(
            domain=cell["ydomain"],
            anchor=cell["x"],
            type="category",
            categoryorder="array",
            categoryarray=order,
            **({} if cell["y"] == "y" else {"matches": "y", "showticklabels": False}),
        )
        profession = str(PROFESSION_LABELS[code])
        annotations.append(panel_title(profession, cell))
        rows = table[table["profession"] == code].set_index("department")
        for column, label, colour in (
            ("amount_prev_sek", previous_label, GREY),
            ("amount_sek", current_label, PROFESSION_COLOURS[code]),
        ):
            values = rows[column].reindex(order) if len(rows) else [None] * len(order)
            data.append(
                linked_bars(
                    {
                        "type": "bar",
                        "orientation": "h",
                        "y": order,
                        "x": scaled_values(values, 1e3),
                        "xaxis": cell["x"],
                        "yaxis": cell["y"],
                        "name": f"{profession} {label}",
                        "legendgroup": "previous" if column == "amount_prev_sek" else code,
                        "showlegend": column == "amount_sek" or cell["x"] == "x",
                        "marker": {"color": colour},
                        "hovertemplate": (
                            f"%{{y}}: %{{x:,.0f}} {TKR}<extra>{profession} {label}</extra>"
                        ),
                    },
                    hrefs,
                    order,
                )
            )
    # Last year's bars share one grey; name it once, by the period only.
    data[0]["name"] = previous_label
    layout["annotations"] = annotations
    # Narrower than MEDIUM, the department names leave the three panels too little room:
    # one panel a row, each with the names.
    narrow_cells, plot_height = panel_rows(
        len(PROFESSIONS), 1, panel_height=30 * len(order), row_gap=PANEL_ROW_GAP + 10, hgap=0
    )
    variant: dict = {
        "height": plot_height + 190,
        "annotations": [
            panel_title(PROFESSION_LABELS[code], cell)
            for code, cell in zip(PROFESSIONS, narrow_cells, strict=True)
        ],
    }
    for cell in narrow_cells:
        variant[cell["xaxis"]] = {"domain": cell["xdomain"], "nticks": 5}
        variant[cell["yaxis"]] = {"domain": cell["ydomain"], "showticklabels": True}
    return make_figure(data, responsive(layout, {MEDIUM: variant}))


# --- chart 8: purchased hours ------------------------------------------------------


def agency_hours_figure(table: pd.DataFrame) -> Figure:
    """KPI 7: purchased agency hours per month and profession (stacked), and cost per hour."""
    top, bottom = 0.42, 0.30  # the cost-per-hour panel, under the hours
    layout = chart_layout(
        title=_("Köpta hyrtimmar per månad och yrkesgrupp"),
        subtitle=_("Timmar (staplar) och kostnad per timme (linjer)"),
        height=640,
        barmode="stack",
        margin={"t": 100},
        legend={"y": -0.1},
        xaxis=month_axis(domain=[0, 1], anchor="y", matches="x2", showticklabels=False),
        yaxis=value_axis(domain=[top, 1], title={"text": _("timmar")}),
        xaxis2=month_axis(domain=[0, 1], anchor="y2"),
        yaxis2=value_axis(
            domain=[0, bottom],
            anchor="x2",
            title={"text": _("%(unit)s per timme") % {"unit": KR}},
        ),
    )
    if table.empty or table["hours"].isna().all():
        return empty_figure(layout, _("Inga timmar rapporterade"))
    layout["annotations"] = [
        panel_title(_("Timmar"), {"xdomain": [0, 1], "ydomain": [top, 1]}),
        panel_title(
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
        flags = preliminary_flags(rows)
        any_preliminary |= any(flags)
        name = str(PROFESSION_LABELS[code])
        data.append(
            {
                "type": "bar",
                "x": months,
                "y": plot_values(rows["hours"]),
                "name": name,
                "legendgroup": name,
                "marker": {
                    "color": PROFESSION_COLOURS[code],
                    "pattern": hatch(["/" if f else "" for f in flags]),
                },
                "customdata": [str(PRELIMINARY) if f else "" for f in flags],
                "hovertemplate": f"%{{y:,.0f}} {hours}%{{customdata}}<extra>{name}</extra>",
            }
        )
        data += line_traces(
            months,
            plot_values(rows["cost_per_hour_sek"]),
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
        data.append(preliminary_key(bars=True))
    return make_figure(data, layout)

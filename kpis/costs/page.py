"""The steering group's cost dashboard: from the selection and one CostData to the charts
the template draws.

`build_charts` turns the tables behind the charts (kpis.costs.selection.series_table)
into a Plotly figure (as JSON for json_script), a short text summary for screen readers,
the numbers as table rows, the month's commentary and the "Om måttet" panel
(kpis.costs.about), one `Chart` per chart. Where a table names an area, a department or
a unit, the name links to that scope's page (`link`: the drill-down), and so do the
chart's lines, panels or bars of that scope (a click: static/js/charts.js).

The page reads the database a fixed number of times (selectors.cost_data,
commentaries, national_shares, measure_sources; a department's or a unit's page also
its units' sums), however many charts and scopes it shows.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hyrdash.lib import chart_style, periods
from hyrdash.lib.formatting import (
    format_change_text,
    format_money,
    format_number,
    format_pct,
    format_tkr,
    money_unit,
)
from hyrdash.lib.page import (
    Chart,
    Column,
    Table,
    link_cells,
    make_table,
    mark_followed,
    month_table,
    sentences,
    span_label,
    table_note,
    target_label,
)
from kpis.costs import charts as cost_charts
from kpis.costs import series as cost_series
from kpis.costs import target_path as paths
from kpis.costs.about import about_panel
from kpis.costs.selection import (
    AGENCY_YTD,
    BY_DEPARTMENT,
    BY_UNIT,
    NATIONAL,
    NATIONAL_TREND,
    SKR_SCOPES,
    SKR_TARGET_PATH,
    Selection,
    csv_filename,
    dashboard_codes,
    dashboard_scopes,
    series_table,
)
from kpis.costs.selectors import ChartComments, CostData, MeasureSources
from kpis.costs.series import PROFESSION_LABELS, PROFESSIONS
from kpis.national import page as national_page
from kpis.organisation.scopes import target_follows_hsf
from kpis.organisation.selectors import Scope

# A scope -> the URL of its page (the same month); None: no links.
Link = Callable[[Scope], str] | None

# How a chart's summary names its unit.
UNIT_WORDS = {"mkr": gettext_lazy("miljoner kronor"), "tkr": gettext_lazy("tusental kronor")}


def _followed(data: CostData, scope_key: str, months) -> list[bool]:
    """Whether each month's ('YYYY-MM') target is the administration's (the scope
    follows it)."""
    return [target_follows_hsf(data.targets, year=int(m[:4]), scope=scope_key) for m in months]


def _ytd_chart(table: pd.DataFrame, selection: Selection) -> Chart:
    month = selection.month
    rows = table.set_index("profession")
    unit = money_unit([*table["ytd_sek"], *table["ytd_prev_sek"]])
    cards = []
    for code in [*PROFESSIONS, "total"]:
        row = rows.loc[code]
        cards.append(
            {
                "code": code,
                "label": PROFESSION_LABELS[code],
                "ytd_sek": row["ytd_sek"],
                "ytd_text": format_money(row["ytd_sek"], unit),
                "change_text": format_change_text(row["change_sek"], row["change_pct"], unit=unit),
                "direction": (
                    ""
                    if pd.isna(row["change_sek"]) or row["change_sek"] == 0
                    else ("up" if row["change_sek"] > 0 else "down")
                ),
            }
        )
    total = rows.loc["total"]
    period = f"{chart_style.month_abbr(1)}–{chart_style.month_abbr(month.month)}"
    summary = sentences(
        _(
            "Stapeldiagram: kostnad för hyrpersonal %(period)s %(year)s jämfört med samma "
            "period %(previous)s, per yrkesgrupp. Totalt %(total)s, %(change)s."
        )
        % {
            "period": period,
            "year": month.year,
            "previous": month.year - 1,
            "total": format_money(total["ytd_sek"], unit),
            "change": format_change_text(total["change_sek"], total["change_pct"], unit=unit),
        },
        table_note(),
    )
    caption = _(
        "Kostnader hyrpersonal ack %(month)s jämfört med samma period %(previous)s per yrkesgrupp"
    ) % {"month": chart_style.month_label(month), "previous": month.year - 1}
    columns = [
        Column(_("Yrkesgrupp"), header=True),
        Column(_("Ack %(year)s") % {"year": month.year}, unit),
        Column(_("Ack %(year)s") % {"year": month.year - 1}, unit),
        Column(_("Förändring"), unit),
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
        figure=chart_style.to_json(cost_charts.agency_ytd_figure(table, month=month, unit=unit)),
        tables=[
            make_table(caption, columns, records, emphasis=list(table["profession"] == "total"))
        ],
        cards=cards,
    )


def _monthly_chart(table: pd.DataFrame, selection: Selection) -> Chart:
    month = selection.month
    preliminary = chart_style.preliminary_months(table)
    wide = table.pivot_table(
        index="month", columns="profession", values="amount_sek", aggfunc="sum", dropna=False
    ).reindex(columns=PROFESSIONS)
    wide = wide[wide.notna().any(axis=1)] if len(wide) else wide
    wide["total"] = wide[PROFESSIONS].sum(axis=1, min_count=1)
    current = wide["total"].get(selection.month_text)
    unit = money_unit(wide["total"])
    summary = sentences(
        _(
            "Linjediagram: kostnad för hyrpersonal per månad, en linje per år "
            "%(first)s–%(last)s, i %(unit)s. %(month)s: %(value)s."
        )
        % {
            "first": month.year - 2,
            "last": month.year,
            "unit": UNIT_WORDS[unit],
            "month": chart_style.month_label(month).capitalize(),
            "value": format_money(current, unit),
        },
        table_note(),
    )
    return Chart(
        code="agency-monthly",
        number="2",
        heading=_("Kostnad per månad"),
        summary=summary,
        figure=chart_style.to_json(
            cost_charts.agency_monthly_figure(table, month=month, unit=unit)
        ),
        tables=[
            month_table(
                _("Kostnader hyrpersonal per månad och yrkesgrupp %(first)s–%(month)s")
                % {"first": month.year - 2, "month": chart_style.month_label(month)},
                # The table in tkr, as the decks have it: every month's figure exact.
                [Column(PROFESSION_LABELS[c], "tkr") for c in [*PROFESSIONS, "total"]],
                wide.index,
                wide,
                preliminary,
            )
        ],
    )


def _r12_chart(table: pd.DataFrame) -> Chart:
    preliminary = chart_style.preliminary_months(table)
    last = chart_style.latest(table, "agency_r12_sek")
    summary = sentences(
        _("Linjediagram: kostnaden för hyrpersonal rullande tolv månader, %(span)s.")
        % {"span": span_label(table["month"])},
        _("Senast %(value)s (%(month)s).")
        % {
            "value": format_tkr(last),
            "month": chart_style.short_month_label(table["month"].iloc[-1]),
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
        figure=chart_style.to_json(cost_charts.agency_r12_figure(table)),
        tables=[
            month_table(
                _("Kostnaden för hyrpersonal R12 per månad"),
                [Column(_("Kostnad R12"), "tkr")],
                table["month"],
                table[["agency_r12_sek"]],
                preliminary,
            )
        ],
    )


def _skr_latest(table: pd.DataFrame, followed: list[bool]) -> str:
    """The summary's last value, with the month's target and whose it is."""
    last = chart_style.latest(table, "ratio_pct")
    if last is None:
        return _("SKR-måttet saknas: det behövs utfall för tolv månader i följd.")
    present = table["ratio_pct"].notna().to_numpy()
    row = len(table) - 1 - int(present[::-1].argmax())
    target = table["target_pct"].iloc[row]
    values = {
        "value": format_pct(last, 2),
        "month": chart_style.short_month_label(table["month"].iloc[row]),
        "target": format_pct(target, 2),
    }
    if pd.isna(target):
        return _("Senast %(value)s (%(month)s).") % values
    if followed[row]:
        return _("Senast %(value)s (%(month)s), förvaltningens mål %(target)s.") % values
    return _("Senast %(value)s (%(month)s), mål %(target)s.") % values


def _skr_chart(
    table: pd.DataFrame, selection: Selection, data: CostData, projection: pd.DataFrame
) -> Chart:
    """Chart 4. A scope without a target (none of its own, not marked to follow the
    administration's) has no target line and no target column. `projection`
    (kpis.costs.series.skr_projection) continues the line to December, dashed; its
    numbers are in the target path's table (chart 4a)."""
    followed = _followed(data, selection.scope.key, table["month"])
    with_target = bool(table["target_pct"].notna().any())
    values = {"scope": selection.scope.label, "span": span_label(table["month"])}
    if with_target:
        described = _(
            "Linjediagram: SKR-måttet, hyrkostnaden i procent av kostnaden för egen personal "
            "rullande tolv månader, för %(scope)s, %(span)s, med målet per år som streckad "
            "linje."
        )
    else:
        described = _(
            "Linjediagram: SKR-måttet, hyrkostnaden i procent av kostnaden för egen personal "
            "rullande tolv månader, för %(scope)s, %(span)s."
        )
    december = projection["projected_pct"].iloc[-1] if len(projection) else float("nan")
    summary = sentences(
        described % values,
        _skr_latest(table, followed),
        ""
        if pd.isna(december)
        else _(
            "Streckad fortsättning: prognos med nuvarande takt, %(value)s i december (tabell 4a)."
        )
        % {"value": format_pct(december, 2)},
        table_note(),
    )
    columns = [
        Column(_("Hyrpersonal R12"), "tkr"),
        Column(_("Egen personal R12"), "tkr"),
        Column(_("SKR-mått"), "pct2"),
    ]
    shown = ["agency_r12_sek", "own_staff_r12_sek", "ratio_pct"]
    if with_target:
        columns.append(Column(target_label(followed, table["target_pct"]), "pct2"))
        shown.append("target_pct")
    numbers = month_table(
        _("%(title)s, %(scope)s, per månad")
        % {"title": cost_charts.SKR_TITLE, "scope": selection.scope.label},
        columns,
        table["month"],
        table[shown],
        chart_style.preliminary_months(table),
    )
    if with_target:
        mark_followed(numbers, 4, followed)
    return Chart(
        code="skr-measure",
        number="4",
        heading=_("SKR-måttet"),
        summary=summary,
        figure=chart_style.to_json(
            cost_charts.skr_measure_figure(
                table,
                scope_label=selection.scope.label,
                followed=followed,
                projection=projection,
                projection_followed=target_follows_hsf(
                    data.targets, year=selection.month.year, scope=selection.scope.key
                ),
            )
        ),
        tables=[numbers],
    )


def _target_path_chart(
    table: pd.DataFrame, selection: Selection, data: CostData, projection: pd.DataFrame
) -> Chart:
    """Chart 4a, "Vad krävs för att nå målet?": the answer in a sentence, the target path
    (the table its CSV and export_kpi skr-target-path give, one field a row) and the
    projected measure per month to December."""
    path = cost_series.skr_target_path(data, scope=selection.scope, month=selection.month)
    row = {
        name: None if pd.isna(value) else value
        for name, value in zip(table.columns, table.iloc[0], strict=True)
    }
    labels = paths.row_labels(path, selection.month)
    rate_unit = money_unit(
        [row["agency_allowed_per_month_sek"], row["agency_run_rate_per_month_sek"]]
    )
    units = {
        "target_pct": "pct2",
        "months_left": "num",
        "agency_ytd_sek": money_unit([row["agency_ytd_sek"]]),
        "own_staff_r12_dec_sek": money_unit([row["own_staff_r12_dec_sek"]]),
        "agency_allowed_per_month_sek": rate_unit,
        "agency_run_rate_per_month_sek": rate_unit,
        "projected_pct": "pct2",
    }
    caption = _("Vad krävs för att nå målet %(year)s? %(scope)s, %(month)s") % {
        "year": path.year,
        "scope": selection.scope.label,
        "month": chart_style.month_label(selection.month),
    }
    if data.is_preliminary(selection.month):
        caption += " " + _("(preliminär)")
    path_table = Table(
        caption,
        [Column(_("Mått"), header=True), Column(_("Värde"), "numtext")],
        [
            {
                "cells": [
                    {"value": labels[name], "unit": "text", "header": True},
                    {"value": row[name], "unit": units[name], "header": False, "field": name},
                ],
                "preliminary": False,
                "emphasis": name in ("agency_allowed_per_month_sek", "projected_pct"),
            }
            for name in paths.COLUMNS[1:]
        ],
    )
    tables = [path_table]
    if len(projection):
        tables.append(
            month_table(
                _(
                    "Prognos för SKR-måttet R12 per månad till december med nuvarande takt, %(scope)s"
                )
                % {"scope": selection.scope.label},
                [Column(_("Prognos SKR-mått"), "pct2"), Column(_("Mål"), "pct2")],
                projection["month"],
                projection[["projected_pct", "target_pct"]],
                set(),
            )
        )
    return Chart(
        code=SKR_TARGET_PATH,
        number="4a",
        heading=_("Vad krävs för att nå målet?"),
        summary="",
        lead=paths.sentence(path, unit=rate_unit),
        tables=tables,
    )


def _skr_scopes_chart(table: pd.DataFrame, data: CostData, link: Link = None) -> Chart:
    preliminary = chart_style.preliminary_months(table)
    scopes = dashboard_scopes(data)
    label_of = {s.key: s.label for s in scopes}
    tables = {
        label_of[s.key]: table[table["scope"] == s.key].reset_index(drop=True) for s in scopes
    }
    wide = table.pivot(index="month", columns="scope", values="ratio_pct").reindex(
        columns=[s.key for s in scopes]
    )
    ratio_table = month_table(
        _("SKR-mått R12 (%) per månad för hela förvaltningen, varje vårdtyp och varje område"),
        [Column(s.label, "pct2", href=link(s) if link else "") for s in scopes],
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
    target_table = make_table(
        _("Mål för SKR-måttet (%) per urval och år"),
        [Column(_("Urval"), header=True)] + [Column(str(year), "pct2") for year in targets.columns],
        [
            [label_of[key], *row]
            for key, row in zip(targets.index, targets.itertuples(index=False), strict=True)
        ],
    )
    if link:
        scope_of = {s.key: s for s in scopes}
        link_cells(target_table, 0, [link(scope_of[key]) for key in targets.index])
    for i, year in enumerate(targets.columns, start=1):
        mark_followed(
            target_table,
            i,
            [target_follows_hsf(data.targets, year=int(year), scope=key) for key in targets.index],
        )
    latest = []
    for s in scopes:
        value = chart_style.latest(tables[s.label], "ratio_pct")
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
        figure=chart_style.to_json(
            cost_charts.skr_measure_panels_figure(
                tables, hrefs={s.label: link(s) for s in scopes} if link else None
            )
        ),
        tables=[ratio_table, target_table],
    )


def _r12_area_chart(table: pd.DataFrame, link: Link = None) -> Chart:
    preliminary = chart_style.preliminary_months(table)
    wide = table.pivot(index="month", columns="area", values="agency_r12_sek")
    unit = money_unit(table["agency_r12_sek"])
    latest = (
        [f"{area} {format_money(value, unit)}" for area, value in wide.iloc[-1].dropna().items()]
        if len(wide)
        else []
    )
    summary = sentences(
        _("Linjediagram: kostnad för hyrpersonal rullande tolv månader per område, %(span)s.")
        % {"span": span_label(wide.index)},
        _("%(month)s: %(values)s.")
        % {
            "month": chart_style.short_month_label(wide.index[-1]).capitalize(),
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
        figure=chart_style.to_json(
            cost_charts.agency_r12_by_area_figure(
                table,
                unit=unit,
                hrefs={str(a): link(Scope("area", str(a))) for a in wide.columns} if link else None,
            )
        ),
        tables=[
            month_table(
                _("Kostnad hyrpersonal R12 per område och månad"),
                [
                    Column(str(a), unit, href=link(Scope("area", str(a))) if link else "")
                    for a in wide.columns
                ],
                wide.index,
                wide,
                preliminary,
            )
        ],
    )


def _personnel_chart(table: pd.DataFrame, selection: Selection) -> Chart:
    year = selection.month.year
    # Only months with actuals are marked here; the rest of the year is budget.
    with_actuals = set(table.loc[table["actual_sek"].notna(), "month"]) & (
        chart_style.preliminary_months(table)
    )
    months = pd.PeriodIndex(table["month"], freq="M")
    actual, budget = (
        periods.year_to_date(
            pd.Series(table[column].to_numpy(), index=months), month=selection.month
        )
        for column in ("actual_sek", "budget_sek")
    )
    summary = sentences(
        _(
            "Stapel- och linjediagram: personalkostnader per månad %(year)s, utfall som "
            "staplar, budget och utfallet %(previous)s som linjer, i tusental kronor. Utfall "
            "ack %(month)s: %(actual)s, budget samma period: %(budget)s."
        )
        % {
            "year": year,
            "previous": year - 1,
            "month": chart_style.month_label(selection.month),
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
        figure=chart_style.to_json(cost_charts.personnel_cost_figure(table, year=year)),
        tables=[
            month_table(
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


def _department_chart(
    table: pd.DataFrame, selection: Selection, data: CostData, link: Link = None
) -> Chart:
    """Chart 7: agency cost per department and profession for the range, or per unit on
    a department's or a unit's page (table agency-by-unit); each department or unit
    named in the table links to its own page."""
    per_unit = "unit" in table.columns
    start, end = selection.start, selection.end
    current = chart_style.range_label(start, end)
    previous = chart_style.range_label(start - 12, end - 12)
    in_range = pd.period_range(start, end, freq="M")
    preliminary_range = any(data.is_preliminary(m) for m in in_range)
    missing = [m for m in in_range if m not in data.months_actuals]
    notes = []
    if missing:
        notes.append(
            _("Utfall saknas för %(months)s; summorna visas som –.")
            % {"months": ", ".join(chart_style.short_month_label(m) for m in missing)}
        )
    if preliminary_range:
        notes.append(_("Perioden innehåller preliminära månader."))
    values = {"current": current, "previous": previous}
    if per_unit:
        names = [f"{r.unit} {r.unit_name}" for r in table.itertuples(index=False)]
        scopes = [
            Scope("unit", r.unit, name=r.unit_name, parent=selection.scope.value)
            if selection.scope.kind == "department"
            else None
            for r in table.itertuples(index=False)
        ]
        count = table["unit"].nunique()
        described = _(
            "Liggande stapeldiagram: kostnad för hyrpersonal per enhet och yrkesgrupp "
            "%(current)s jämfört med %(previous)s, i tusental kronor."
        )
        counted = ngettext(
            "%(count)s enhet, totalt %(total)s.", "%(count)s enheter, totalt %(total)s.", count
        )
        heading = _("Kostnad per enhet och yrkesgrupp")
        caption = _(
            "Kostnad hyrpersonal per enhet och yrkesgrupp %(current)s jämfört med %(previous)s"
        )
        first = _("Enhet")
    else:
        names = list(table["department"])
        scopes = [
            Scope("department", name) if selection.scope.kind != "department" else None
            for name in names
        ]
        count = table["department"].nunique()
        described = _(
            "Liggande stapeldiagram: kostnad för hyrpersonal per verksamhet och yrkesgrupp "
            "%(current)s jämfört med %(previous)s, i tusental kronor."
        )
        counted = ngettext(
            "%(count)s verksamhet, totalt %(total)s.",
            "%(count)s verksamheter, totalt %(total)s.",
            count,
        )
        heading = _("Kostnad per verksamhet och yrkesgrupp")
        caption = _(
            "Kostnad hyrpersonal per verksamhet och yrkesgrupp %(current)s jämfört med %(previous)s"
        )
        first = _("Verksamhet")
    total = table["amount_sek"].sum(min_count=1)
    summary = sentences(
        described % values,
        counted % {"count": count, "total": format_tkr(total)},
        table_note(),
    )
    records = [
        [name, PROFESSION_LABELS[r.profession], r.amount_sek, r.amount_prev_sek]
        for name, r in zip(names, table.itertuples(index=False), strict=True)
    ]
    numbers = make_table(
        caption % values + (" " + _("(preliminär)") if preliminary_range else ""),
        [
            Column(first, header=True),
            Column(_("Yrkesgrupp")),
            Column(current, "tkr"),
            Column(previous, "tkr"),
        ],
        records,
        [preliminary_range] * len(records),
    )
    if link:
        link_cells(numbers, 0, [link(scope) if scope else None for scope in scopes])
    return Chart(
        code=BY_UNIT if per_unit else BY_DEPARTMENT,
        number="7",
        heading=heading,
        summary=summary,
        figure=chart_style.to_json(
            cost_charts.agency_by_department_figure(
                table.assign(department=names) if per_unit else table,
                start=start,
                end=end,
                per_unit=per_unit,
                hrefs={n: link(s) for n, s in zip(names, scopes, strict=True) if s}
                if link
                else None,
            )
        ),
        tables=[numbers],
        note=" ".join(notes),
    )


def _hours_chart(table: pd.DataFrame, selection: Selection) -> Chart:
    preliminary = chart_style.preliminary_months(table)
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
            "span": span_label(hours.index),
            "month": chart_style.month_label(selection.month).capitalize(),
            "hours": format_number(month_hours),
        },
        table_note(),
    )
    return Chart(
        code="agency-hours",
        number="8",
        heading=_("Köpta hyrtimmar"),
        summary=summary,
        figure=chart_style.to_json(cost_charts.agency_hours_figure(table)),
        tables=[
            month_table(
                _("Köpta hyrtimmar och kostnad per timme per månad och yrkesgrupp"),
                columns,
                hours.index,
                pd.concat([hours, per_hour], axis=1),
                preliminary,
            )
        ],
    )


def build_charts(
    data: CostData,
    selection: Selection,
    *,
    comments: dict[str, ChartComments] | None = None,
    national: pd.DataFrame | None = None,
    region: str = "Västerbotten",
    extra_tables: dict | None = None,
    link: Link = None,
    sources: MeasureSources | None = None,
) -> list[Chart]:
    """Every chart of the page for this selection (kpis.costs.selection.dashboard_codes),
    in the order of the decks. Which months are preliminary each chart reads from its
    table's `preliminary` column.

    `extra_tables` ({chart code: [Table]}) are shown under a chart's own tables: another
    subject's figures that belong beside it (the consultants per status under 12 a §
    beside the purchased hours). `link` (a scope -> its page's URL) makes the areas,
    departments and units the tables name links; `sources` (selectors.measure_sources)
    gives each chart its "Om måttet" panel."""
    codes = dashboard_codes(selection.scope)
    tables = {
        code: series_table(code, data, selection, national=national, region=region)
        for code in codes
    }
    projection = cost_series.skr_projection(data, scope=selection.scope, month=selection.month)
    by_org = BY_UNIT if BY_UNIT in tables else BY_DEPARTMENT
    built = [
        _ytd_chart(tables[AGENCY_YTD], selection),
        _monthly_chart(tables["agency-monthly"], selection),
        _r12_chart(tables["agency-r12"]),
        _skr_chart(tables["skr-measure"], selection, data, projection),
        _target_path_chart(tables[SKR_TARGET_PATH], selection, data, projection),
        _skr_scopes_chart(tables[SKR_SCOPES], data, link),
        _r12_area_chart(tables["agency-r12-by-area"], link),
        _personnel_chart(tables["personnel-cost"], selection),
        _department_chart(tables[by_org], selection, data, link),
        _hours_chart(tables["agency-hours"], selection),
        national_page.trend_chart(tables[NATIONAL_TREND], region=region),
        national_page.regions_chart(tables[NATIONAL], region=region),
    ]
    comments = comments or {}
    for chart in built:
        found = comments.get(chart.code, ChartComments())
        chart.comment, chart.hsf_comment = found.own, found.hsf
        chart.tables += (extra_tables or {}).get(chart.code, [])
        name = csv_filename(chart.code, selection, tables[chart.code])
        chart.file_stem = name.removesuffix(".csv")
        if sources is not None:
            chart.about = about_panel(chart.code, sources, closed_through=data.closed_through)
    return built

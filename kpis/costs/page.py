"""The steering group's cost dashboard: from the selection and one CostData to the charts
the template draws.

`build_charts` turns the tables behind the charts (kpis.costs.selection.series_table)
into a Plotly figure (as JSON for json_script), a short text summary for screen readers,
the numbers as table rows and the month's commentary, one `Chart` per chart.

The page reads the database a fixed number of times (selectors.cost_data,
commentaries, national_shares), however many charts and scopes it shows.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hyrdash.lib import chart_style, periods
from hyrdash.lib.formatting import (
    format_change_text,
    format_mkr,
    format_number,
    format_pct,
    format_tkr,
)
from hyrdash.lib.page import (
    Chart,
    Column,
    make_table,
    month_table,
    sentences,
    span_label,
    table_note,
)
from kpis.costs import charts as cost_charts
from kpis.costs.selection import (
    AGENCY_YTD,
    CHART_CODES,
    NATIONAL,
    SKR_SCOPES,
    Selection,
    csv_filename,
    dashboard_scopes,
    series_table,
)
from kpis.costs.selectors import CostData
from kpis.costs.series import PROFESSION_LABELS, PROFESSIONS


def _ytd_chart(table: pd.DataFrame, selection: Selection) -> Chart:
    month = selection.month
    rows = table.set_index("profession")
    cards = []
    for code in [*PROFESSIONS, "total"]:
        row = rows.loc[code]
        cards.append(
            {
                "code": code,
                "label": PROFESSION_LABELS[code],
                "ytd_sek": row["ytd_sek"],
                "change_text": format_change_text(row["change_sek"], row["change_pct"]),
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
            "total": format_mkr(total["ytd_sek"]),
            "change": format_change_text(total["change_sek"], total["change_pct"]),
        },
        table_note(),
    )
    caption = _(
        "Kostnader hyrpersonal ack %(month)s jämfört med samma period %(previous)s per yrkesgrupp"
    ) % {"month": chart_style.month_label(month), "previous": month.year - 1}
    columns = [
        Column(_("Yrkesgrupp"), header=True),
        Column(_("Ack %(year)s") % {"year": month.year}, "mkr"),
        Column(_("Ack %(year)s") % {"year": month.year - 1}, "mkr"),
        Column(_("Förändring"), "mkr"),
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
        figure=chart_style.to_json(cost_charts.agency_ytd_figure(table, month=month)),
        tables=[
            make_table(caption, columns, records, emphasis=list(table["profession"] == "total"))
        ],
        cards=cards,
    )


def _monthly_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
    month = selection.month
    wide = table.pivot_table(
        index="month", columns="profession", values="amount_sek", aggfunc="sum", dropna=False
    ).reindex(columns=PROFESSIONS)
    wide = wide[wide.notna().any(axis=1)] if len(wide) else wide
    wide["total"] = wide[PROFESSIONS].sum(axis=1, min_count=1)
    current = wide["total"].get(selection.month_text)
    summary = sentences(
        _(
            "Linjediagram: kostnad för hyrpersonal per månad, en linje per år "
            "%(first)s–%(last)s, i miljoner kronor. %(month)s: %(value)s."
        )
        % {
            "first": month.year - 2,
            "last": month.year,
            "month": chart_style.month_label(month).capitalize(),
            "value": format_mkr(current),
        },
        table_note(),
    )
    return Chart(
        code="agency-monthly",
        number="2",
        heading=_("Kostnad per månad"),
        summary=summary,
        figure=chart_style.to_json(
            cost_charts.agency_monthly_figure(table, month=month, preliminary=preliminary)
        ),
        tables=[
            month_table(
                _("Kostnader hyrpersonal per månad och yrkesgrupp %(first)s–%(month)s")
                % {"first": month.year - 2, "month": chart_style.month_label(month)},
                [Column(PROFESSION_LABELS[c], "tkr") for c in [*PROFESSIONS, "total"]],
                wide.index,
                wide,
                preliminary,
            )
        ],
    )


def _r12_chart(table: pd.DataFrame, preliminary: set[str]) -> Chart:
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
        figure=chart_style.to_json(cost_charts.agency_r12_figure(table, preliminary=preliminary)),
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


def _skr_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
    last = chart_style.latest(table, "ratio_pct")
    if last is not None:
        last_row = table[table["ratio_pct"].notna()].iloc[-1]
        values = {
            "value": format_pct(last, 2),
            "month": chart_style.short_month_label(last_row["month"]),
            "target": format_pct(last_row["target_pct"], 2),
        }
        if pd.notna(last_row["target_pct"]):
            latest_text = _("Senast %(value)s (%(month)s), mål %(target)s.") % values
        else:
            latest_text = _("Senast %(value)s (%(month)s).") % values
    else:
        latest_text = _("SKR-måttet saknas: det behövs utfall för tolv månader i följd.")
    summary = sentences(
        _(
            "Linjediagram: SKR-måttet, hyrkostnaden i procent av kostnaden för egen personal "
            "rullande tolv månader, för %(scope)s, %(span)s, med målet per år som streckad "
            "linje."
        )
        % {"scope": selection.scope.label, "span": span_label(table["month"])},
        latest_text,
        table_note(),
    )
    columns = [
        Column(_("Hyrpersonal R12"), "tkr"),
        Column(_("Egen personal R12"), "tkr"),
        Column(_("SKR-mått"), "pct2"),
        Column(_("Mål"), "pct2"),
    ]
    values = table[["agency_r12_sek", "own_staff_r12_sek", "ratio_pct", "target_pct"]]
    return Chart(
        code="skr-measure",
        number="4",
        heading=_("SKR-måttet"),
        summary=summary,
        figure=chart_style.to_json(
            cost_charts.skr_measure_figure(
                table, scope_label=selection.scope.label, preliminary=preliminary
            )
        ),
        tables=[
            month_table(
                _("%(title)s, %(scope)s, per månad")
                % {"title": cost_charts.SKR_TITLE, "scope": selection.scope.label},
                columns,
                table["month"],
                values,
                preliminary,
            )
        ],
    )


def _skr_scopes_chart(table: pd.DataFrame, data: CostData, preliminary: set[str]) -> Chart:
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
        [Column(s.label, "pct2") for s in scopes],
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
            cost_charts.skr_measure_panels_figure(tables, preliminary=preliminary)
        ),
        tables=[ratio_table, target_table],
    )


def _r12_area_chart(table: pd.DataFrame, preliminary: set[str]) -> Chart:
    wide = table.pivot(index="month", columns="area", values="agency_r12_sek")
    latest = (
        [f"{area} {format_mkr(value)}" for area, value in wide.iloc[-1].dropna().items()]
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
            cost_charts.agency_r12_by_area_figure(table, preliminary=preliminary)
        ),
        tables=[
            month_table(
                _("Kostnad hyrpersonal R12 per område och månad"),
                [Column(str(a), "mkr") for a in wide.columns],
                wide.index,
                wide,
                preliminary,
            )
        ],
    )


def _personnel_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
    year = selection.month.year
    # Only months with actuals are preliminary here; the rest of the year is budget.
    with_actuals = set(table.loc[table["actual_sek"].notna(), "month"]) & preliminary
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
        figure=chart_style.to_json(
            cost_charts.personnel_cost_figure(table, year=year, preliminary=preliminary)
        ),
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


def _department_chart(table: pd.DataFrame, selection: Selection, data: CostData) -> Chart:
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
    departments = table["department"].nunique()
    total = table["amount_sek"].sum(min_count=1)
    summary = sentences(
        _(
            "Liggande stapeldiagram: kostnad för hyrpersonal per verksamhet och yrkesgrupp "
            "%(current)s jämfört med %(previous)s, i tusental kronor."
        )
        % {"current": current, "previous": previous},
        ngettext(
            "%(count)s verksamhet, totalt %(total)s.",
            "%(count)s verksamheter, totalt %(total)s.",
            departments,
        )
        % {"count": departments, "total": format_tkr(total)},
        table_note(),
    )
    records = [
        [r.department, PROFESSION_LABELS[r.profession], r.amount_sek, r.amount_prev_sek]
        for r in table.itertuples(index=False)
    ]
    return Chart(
        code="agency-by-department",
        number="7",
        heading=_("Kostnad per verksamhet och yrkesgrupp"),
        summary=summary,
        figure=chart_style.to_json(
            cost_charts.agency_by_department_figure(table, start=start, end=end)
        ),
        tables=[
            make_table(
                _(
                    "Kostnad hyrpersonal per verksamhet och yrkesgrupp %(current)s jämfört "
                    "med %(previous)s"
                )
                % {"current": current, "previous": previous}
                + (" " + _("(preliminär)") if preliminary_range else ""),
                [
                    Column(_("Verksamhet"), header=True),
                    Column(_("Yrkesgrupp")),
                    Column(current, "tkr"),
                    Column(previous, "tkr"),
                ],
                records,
                [preliminary_range] * len(records),
            )
        ],
        note=" ".join(notes),
    )


def _hours_chart(table: pd.DataFrame, selection: Selection, preliminary: set[str]) -> Chart:
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
        figure=chart_style.to_json(cost_charts.agency_hours_figure(table, preliminary=preliminary)),
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


def _national_chart(table: pd.DataFrame, *, region: str) -> Chart:
    if table.empty:
        return Chart(
            code=NATIONAL,
            number="9",
            heading=_("Nationell jämförelse"),
            summary="",
            note=_(
                "Ingen nationell jämförelse är uppladdad ännu. En controller lägger in SKR:s "
                "kvartalsstatistik (Period;Region;Andel) under Nationell jämförelse."
            ),
            downloadable=False,
        )
    quarter = table["quarter"].iloc[0]
    mine = table[[chart_style.is_region(name, region) for name in table["region"]]]
    average = table[table["is_average"]]
    others = table[~table["is_average"]]
    parts = []
    if len(mine):
        rank = int((others["share_pct"] > mine["share_pct"].iloc[0]).sum()) + 1
        parts.append(
            _("%(region)s: %(share)s, plats %(rank)s av %(count)s räknat från högst andel.")
            % {
                "region": mine["region"].iloc[0],
                "share": format_pct(mine["share_pct"].iloc[0]),
                "rank": rank,
                "count": len(others),
            }
        )
    if len(average):
        parts.append(_("Riket: %(share)s.") % {"share": format_pct(average["share_pct"].iloc[0])})
    summary = sentences(
        _("Liggande stapeldiagram: andel hyrpersonal per region %(quarter)s, sorterat.")
        % {"quarter": quarter},
        *parts,
        table_note(),
    )
    average_mark = " (" + _("riksgenomsnitt") + ")"
    records = [
        [
            r.region + (average_mark if r.is_average else ""),
            r.share_pct,
        ]
        for r in table.itertuples(index=False)
    ]
    return Chart(
        code=NATIONAL,
        number="9",
        heading=_("Nationell jämförelse"),
        summary=summary,
        figure=chart_style.to_json(
            cost_charts.national_figure(table, region=region, quarter=quarter)
        ),
        tables=[
            make_table(
                _(
                    "Andel hyrpersonal per region %(quarter)s (procent av kostnaden för egen "
                    "personal)"
                )
                % {"quarter": quarter},
                [Column(_("Region"), header=True), Column(_("Andel"), "pct")],
                records,
                emphasis=[
                    bool(r.is_average) or chart_style.is_region(r.region, region)
                    for r in table.itertuples(index=False)
                ],
            )
        ],
        note=_("Regionernas andelar gäller hela regionen oavsett valt urval."),
    )


def build_charts(
    data: CostData,
    selection: Selection,
    *,
    comments: dict | None = None,
    national: pd.DataFrame | None = None,
    region: str = "Västerbotten",
    extra_tables: dict | None = None,
) -> list[Chart]:
    """Every chart of the page for this selection, in the order of the decks.

    `extra_tables` ({chart code: [Table]}) are shown under a chart's own tables: another
    subject's figures that belong beside it (the consultants per status under 12 a §
    beside the purchased hours)."""
    preliminary = {m.strftime("%Y-%m") for m in data.months_actuals if data.is_preliminary(m)}

    tables = {code: series_table(code, data, selection, national=national) for code in CHART_CODES}
    built = [
        _ytd_chart(tables[AGENCY_YTD], selection),
        _monthly_chart(tables["agency-monthly"], selection, preliminary),
        _r12_chart(tables["agency-r12"], preliminary),
        _skr_chart(tables["skr-measure"], selection, preliminary),
        _skr_scopes_chart(tables[SKR_SCOPES], data, preliminary),
        _r12_area_chart(tables["agency-r12-by-area"], preliminary),
        _personnel_chart(tables["personnel-cost"], selection, preliminary),
        _department_chart(tables["agency-by-department"], selection, data),
        _hours_chart(tables["agency-hours"], selection, preliminary),
        _national_chart(tables[NATIONAL], region=region),
    ]
    comments = comments or {}
    for chart in built:
        chart.comment = comments.get(chart.code)
        chart.tables += (extra_tables or {}).get(chart.code, [])
        name = csv_filename(chart.code, selection, tables[chart.code])
        chart.file_stem = name.removesuffix(".csv")
    return built

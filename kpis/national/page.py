"""The national comparison on the cost dashboard (KPI 8): two charts from the tables of
kpis.national.series, each with its table and CSV download.

- 9, over time: our region and the national average quarter by quarter (series.trend);
- 9b, per region: every region in the chosen quarter, sorted (series.regions).
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib import chart_style
from hyrdash.lib.formatting import format_pct
from hyrdash.lib.page import Chart, Column, make_table, sentences, table_note
from kpis.national import charts as national_charts
from kpis.national.series import REGIONS, TREND

NOT_UPLOADED = gettext_lazy(
    "Ingen nationell jämförelse är uppladdad ännu. En controller lägger in SKR:s "
    "kvartalsstatistik (Period;Region;Andel) under Nationell jämförelse."
)

WHOLE_REGION = gettext_lazy("Regionernas andelar gäller hela regionen oavsett valt urval.")


def trend_chart(table: pd.DataFrame, *, region: str) -> Chart:
    """Chart 9: our region and the national average per quarter."""
    heading = _("Nationell jämförelse över tid")
    if table.empty:
        return Chart(
            code=TREND,
            number="9",
            heading=heading,
            summary="",
            note=str(NOT_UPLOADED),
            downloadable=False,
        )
    quarters = [chart_style.quarter_label(q) for q in table["quarter"]]
    latest = []
    for column, name in (("region_share_pct", region), ("national_share_pct", _("riket"))):
        values = table[column].dropna()
        if len(values):
            latest.append(
                f"{name} {format_pct(values.iloc[-1])} "
                f"({chart_style.quarter_label(table['quarter'][values.index[-1]])})"
            )
    summary = sentences(
        _("Linjediagram: andel hyrpersonal per kvartal för %(region)s och riket, %(span)s.")
        % {"region": region, "span": f"{quarters[0]}–{quarters[-1]}"},
        _("Senaste värden: %(values)s.") % {"values": "; ".join(latest)} if latest else "",
        table_note(),
    )
    records = [
        [label, ours, national]
        for label, ours, national in zip(
            quarters, table["region_share_pct"], table["national_share_pct"], strict=True
        )
    ]
    return Chart(
        code=TREND,
        number="9",
        heading=heading,
        summary=summary,
        figure=chart_style.to_json(national_charts.trend_figure(table, region=region)),
        tables=[
            make_table(
                _("Andel hyrpersonal per kvartal, %(region)s och riket (procent)")
                % {"region": region},
                [
                    Column(_("Kvartal"), header=True),
                    Column(region, "pct"),
                    Column(_("Riket"), "pct"),
                ],
                records,
            )
        ],
        note=str(WHOLE_REGION),
    )


def regions_chart(table: pd.DataFrame, *, region: str) -> Chart:
    """Chart 9b: every region in the chosen quarter, with the national average."""
    if table.empty:
        return Chart(
            code=REGIONS,
            number="9b",
            heading=_("Nationell jämförelse per region"),
            summary="",
            note=_("Ingen nationell jämförelse är uppladdad ännu."),
            downloadable=False,
        )
    quarter = table["quarter"].iloc[0]
    label = chart_style.quarter_label(quarter)
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
        % {"quarter": label},
        *parts,
        table_note(),
    )
    average_mark = " (" + _("riksgenomsnitt") + ")"
    records = [
        [r.region + (average_mark if r.is_average else ""), r.share_pct]
        for r in table.itertuples(index=False)
    ]
    return Chart(
        code=REGIONS,
        number="9b",
        heading=_("Nationell jämförelse per region, %(quarter)s") % {"quarter": label},
        summary=summary,
        figure=chart_style.to_json(
            national_charts.regions_figure(table, region=region, quarter=quarter)
        ),
        tables=[
            make_table(
                _(
                    "Andel hyrpersonal per region %(quarter)s (procent av kostnaden för egen "
                    "personal)"
                )
                % {"quarter": label},
                [Column(_("Region"), header=True), Column(_("Andel"), "pct")],
                records,
                emphasis=[
                    bool(r.is_average) or chart_style.is_region(r.region, region)
                    for r in table.itertuples(index=False)
                ],
            )
        ],
        note=str(WHOLE_REGION),
    )

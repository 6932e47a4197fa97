"""The steering pack's slides, one function per slide, in the order of the decks.

Every chart's numbers come from the series `export_kpi` prints (kpis.registry's
SERIES_EXPORTS: the same loaders and functions), turned into the unit the slide states
(mkr, tkr, %, hours) and nothing else: a slide can be checked against the export.
Missing and withheld values (NaN in the series: sick leave's small groups) are None
here, so they are absent from the chart's embedded workbook, not zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style, periods
from hyrdash.lib.deck import (
    ONE_DECIMAL,
    WHOLE,
    Bullet,
    ChartSlide,
    ChartSpec,
    Series,
    TextSlide,
    TitleSlide,
    number_format,
)
from hyrdash.lib.formatting import (
    MKR,
    TKR,
    format_change_text,
    format_mkr,
    format_money,
    format_number,
    format_pct,
    format_tkr,
    money_unit,
)
from kpis.costs import series as cost_series
from kpis.costs import target_path as paths
from kpis.costs.selection import (
    NATIONAL,
    SKR_SCOPES,
    SKR_TARGET_PATH,
    dashboard_scopes,
    national_quarter,
)
from kpis.costs.series import PROFESSION_LABELS, PROFESSIONS
from kpis.models import CareType
from kpis.organisation.selectors import HSF, Scope
from kpis.pack.figures import (
    PackInput,
    from_first_value,
    in_mkr,
    in_pct,
    in_tkr,
    is_preliminary,
    latest_value,
    monthly_spec,
    preliminary_months,
    preliminary_note,
    scaled,
)
from kpis.pack.selectors import TextSlideRow
from kpis.sick_leave.series import sick_leave_target

PERCENT = number_format(2, " %")
PERCENT_AXIS = number_format(1, " %")
# How many months a monthly line shows, ending with the pack's month.
R12_MONTHS = 48
MONTHS_SHOWN = 36
# Department x profession bars on the department slide; the rest are summed into one.
DEPARTMENT_BARS = 8

SICK_LEAVE_R12 = "sick-leave-r12"  # the sick-leave page's chart code (its comment's key)


# --- labels ----------------------------------------------------------------------------


def _unit(unit) -> str:
    return chart_style.upper_first(str(unit))


def _month(period: pd.Period) -> str:
    return chart_style.month_label(period)


def _short(period: pd.Period | str) -> str:
    return chart_style.short_month_label(period)


# --- the title ---------------------------------------------------------------------------


def title_slide(p: PackInput) -> TitleSlide:
    preliminary = is_preliminary(p.costs, p.month)
    lines = [_("Styrgruppen för minskad hyrbemanning")]
    if preliminary:
        lines.append(
            _("Preliminär: %(month)s är inte stängd och siffrorna kan ändras.")
            % {"month": _month(p.month)}
        )
    else:
        lines.append(
            _("%(month)s är stängd.") % {"month": chart_style.upper_first(_month(p.month))}
        )
    return TitleSlide(
        _("Inhyrd personal – %(month)s") % {"month": _month(p.month)},
        _("Region %(region)s – %(scope)s") % {"region": p.region, "scope": p.scope.label},
        lines,
    )


# --- agency cost -------------------------------------------------------------------------


def _change(label, row) -> str:
    change = format_change_text(row["change_sek"], row["change_pct"], pct_decimals=1)
    return f"{label}: {change}"


def ytd_slide(p: PackInput) -> ChartSlide:
    """KPI 1: year to date per profession against the same months last year (mkr)."""
    month = p.month
    table = p.series("agency-ytd", end=month).set_index("profession")
    rows = table.loc[PROFESSIONS]
    headline = " · ".join(
        _change(PROFESSION_LABELS[code], table.loc[code])
        for code in PROFESSIONS[:2]  # doctors and nurses, as the decks
    )
    total = table.loc["total"]
    notes = [
        _change(PROFESSION_LABELS[PROFESSIONS[2]], table.loc[PROFESSIONS[2]]) + ".",
        _("Totalt %(total)s (%(previous_year)s: %(previous)s), %(change)s.")
        % {
            "total": format_mkr(total["ytd_sek"]),
            "previous_year": month.year - 1,
            "previous": format_mkr(total["ytd_prev_sek"]),
            "change": format_change_text(total["change_sek"], total["change_pct"], pct_decimals=1),
        },
    ]
    marked = [
        m
        for m in pd.period_range(f"{month.year}-01", month, freq="M")
        if is_preliminary(p.costs, m)
    ]
    if marked:
        notes.append(preliminary_note(marked) + ".")
    chart = ChartSpec(
        "clustered_bar",
        [str(PROFESSION_LABELS[code]) for code in PROFESSIONS],
        [
            Series(str(month.year - 1), in_mkr(rows["ytd_prev_sek"])),
            Series(str(month.year), in_mkr(rows["ytd_sek"])),
        ],
        number_format=ONE_DECIMAL,
        unit_label=_unit(MKR),
    )
    title = _("Kostnader hyrpersonal ack %(month)s jämfört med samma period %(previous)s (mkr)") % {
        "month": _month(month),
        "previous": month.year - 1,
    }
    return ChartSlide(
        p.titled(title), headline, chart, comment=p.comments.get("agency-ytd"), note=" ".join(notes)
    )


def monthly_slide(p: PackInput) -> ChartSlide:
    """KPI 2: agency cost per month, a line per year, the last three years (mkr)."""
    month = p.month
    first = pd.Period(year=month.year - 2, month=1, freq="M")
    table = p.series("agency-monthly", start=first, end=month)
    totals = table.groupby("month")["amount_sek"].sum(min_count=1)
    series = []
    for year in range(month.year - 2, month.year + 1):
        values = in_mkr(totals.get(f"{year}-{m:02d}", float("nan")) for m in range(1, 13))
        if any(v is not None for v in values) or year == month.year:
            series.append(Series(str(year), values))
    marked = preliminary_months(p.costs, totals.index)
    abbrs = {chart_style.month_abbr(m.month) for m in marked}
    chart = ChartSpec(
        "line",
        chart_style.month_abbrs(),
        series,
        number_format=ONE_DECIMAL,
        unit_label=_unit(MKR),
        marked_categories=abbrs,
        marked_note=preliminary_note(marked) if marked else "",
    )
    now, before = (totals.get(m.strftime("%Y-%m")) for m in (month, month - 12))
    headline = f"{chart_style.upper_first(_month(month))}: {format_mkr(now)} · " + (
        f"{_month(month - 12)}: {format_mkr(before)}"
    )
    title = _("Kostnader hyrpersonal per månad %(first)s–%(month)s (mkr)") % {
        "first": month.year - 2,
        "month": _month(month),
    }
    return ChartSlide(p.titled(title), headline, chart, comment=p.comments.get("agency-monthly"))


def r12_slide(p: PackInput) -> ChartSlide:
    """KPI 3: agency cost R12 (tkr), up to four years."""
    month = p.month
    table = from_first_value(p.series("agency-r12", end=month), "agency_r12_sek", R12_MONTHS)
    chart = monthly_spec(
        p.costs,
        "line",
        table["month"],
        [Series(_("Kostnad R12"), in_tkr(table["agency_r12_sek"]))],
        number_format=WHOLE,
        unit_label=_unit(TKR),
    )
    now = latest_value(table, month.strftime("%Y-%m"), "agency_r12_sek")
    before = latest_value(table, (month - 12).strftime("%Y-%m"), "agency_r12_sek")
    if now is None:
        headline = _("R12 saknas: det behövs utfall för tolv månader i följd.")
    else:
        _sek, pct = periods.change(now, before)
        headline = _("R12 %(month)s: %(value)s · %(previous_month)s: %(previous)s") % {
            "month": _month(month),
            "value": format_tkr(now),
            "previous_month": _month(month - 12),
            "previous": format_tkr(before),
        }
        if pct is not None:
            headline += f" ({format_pct(pct, 1)})" if pct < 0 else f" (+{format_pct(pct, 1)})"
    title = _("Kostnader hyrpersonal R12 – ack %(month)s (tkr)") % {"month": _month(month)}
    return ChartSlide(p.titled(title), headline, chart, comment=p.comments.get("agency-r12"))


def skr_slide(p: PackInput) -> ChartSlide:
    """KPI 4: the SKR measure R12 with the year's target (%)."""
    month = p.month
    table = from_first_value(p.series("skr-measure", end=month), "ratio_pct", MONTHS_SHOWN)
    series = [Series(_("SKR-mått"), in_pct(table["ratio_pct"]))]
    if table["target_pct"].notna().any():
        series.append(Series(_("Mål"), in_pct(table["target_pct"]), color="000000"))
    chart = monthly_spec(
        p.costs,
        "line",
        table["month"],
        series,
        number_format=PERCENT,
        axis_number_format=PERCENT_AXIS,
        unit_label="%",
        dashed_series={_("Mål")} if len(series) > 1 else frozenset(),
    )
    now = latest_value(table, month.strftime("%Y-%m"), "ratio_pct")
    target = latest_value(table, month.strftime("%Y-%m"), "target_pct")
    if now is None:
        headline = _("SKR-måttet saknas: det behövs utfall för tolv månader i följd.")
    elif target is None:
        headline = f"{chart_style.upper_first(_month(month))}: {format_pct(now, 2)}"
    else:
        headline = _("%(month)s: %(value)s · mål %(year)s: %(target)s") % {
            "month": chart_style.upper_first(_month(month)),
            "value": format_pct(now, 2),
            "year": month.year,
            "target": format_pct(target, 2),
        }
    title = _("Kostnaden för hyrpersonal / kostnaden för egen personal R12 (SKR-mått)")
    return ChartSlide(p.titled(title), headline, chart, comment=p.comments.get("skr-measure"))


def _target_path_headline(path: paths.TargetPath, unit: str) -> str:
    """The slide's one-line answer; the full sentence and the figures are in its note."""
    values = {
        "target": format_pct(path.target_pct, 2),
        "allowed": format_money(path.agency_allowed_per_month_sek, unit),
        "rate": format_money(path.agency_run_rate_per_month_sek, unit),
        "projected": format_pct(path.projected_pct, 2),
        "gap": format_mkr(path.gap_sek),
    }
    if path.reachable is None:
        if path.projected_pct is None:
            return _("Vägen till målet kan inte räknas ut: se noten.")
        return _("Prognos för december med nuvarande takt: %(projected)s") % values
    if not path.months_left:
        if path.reachable:
            return _("Målet %(target)s nåddes: %(projected)s") % values
        return _("Målet %(target)s nåddes inte: %(projected)s (%(gap)s över)") % values
    if path.reachable:
        return (
            _(
                "Målet %(target)s nås med högst %(allowed)s hyrkostnad per månad · takt "
                "%(rate)s · prognos december %(projected)s"
            )
            % values
        )
    return (
        _(
            "Målet %(target)s kan inte längre nås i år (%(gap)s över) · prognos december "
            "%(projected)s"
        )
        % values
    )


def target_path_slide(p: PackInput) -> ChartSlide:
    """KPI 12, "Vad krävs för att nå målet?": the SKR measure of the year up to the
    month, its projection to December at the run rate (dashed) and the target; the
    headline answers, the note has the target path's figures (export_kpi
    skr-target-path) and the page's sentence."""
    month = p.month
    year = month.year
    path = cost_series.skr_target_path(p.costs, scope=p.scope, month=month)
    projection = cost_series.skr_projection(p.costs, scope=p.scope, month=month)
    table = p.series(
        "skr-measure", start=pd.Period(year=year, month=1, freq="M"), end=month
    ).set_index("month")
    keys = [f"{year}-{m:02d}" for m in range(1, 13)]
    actual = table["ratio_pct"].reindex(keys)
    ahead = projection.set_index("month")["projected_pct"]
    projected = [
        actual.get(key) if key == month.strftime("%Y-%m") else ahead.get(key) for key in keys
    ]
    names = {"actual": _("SKR-mått R12"), "projected": _("Prognos"), "target": _("Mål")}
    series = [
        Series(names["actual"], in_pct(actual)),
        Series(names["projected"], in_pct(projected)),
    ]
    if path.target_pct is not None:
        series.append(Series(names["target"], in_pct([path.target_pct] * 12), color="000000"))
    marked = preliminary_months(p.costs, table.index)
    chart = ChartSpec(
        "line",
        chart_style.month_abbrs(),
        series,
        number_format=PERCENT,
        axis_number_format=PERCENT_AXIS,
        unit_label="%",
        dashed_series={names["projected"], names["target"]} & {s.name for s in series},
        marked_categories={chart_style.month_abbr(m.month) for m in marked},
        marked_note=preliminary_note(marked) if marked else "",
    )
    unit = money_unit([path.agency_allowed_per_month_sek, path.agency_run_rate_per_month_sek])
    labels = paths.row_labels(path, month)
    shown = {
        "agency_allowed_per_month_sek": format_money(path.agency_allowed_per_month_sek, unit),
        "agency_run_rate_per_month_sek": format_money(path.agency_run_rate_per_month_sek, unit),
        "agency_ytd_sek": format_mkr(path.agency_ytd_sek),
        "own_staff_r12_dec_sek": format_mkr(path.own_staff_r12_dec_sek),
    }
    figures = " · ".join(f"{labels[name]}: {value}" for name, value in shown.items())
    note = f"{paths.sentence(path, unit=unit)} {figures}."
    title = _("Vad krävs för att nå målet %(year)s?") % {"year": year}
    return ChartSlide(
        p.titled(title),
        _target_path_headline(path, unit),
        chart,
        comment=p.comments.get(SKR_TARGET_PATH),
        note=note,
    )


def skr_scopes_slide(p: PackInput) -> ChartSlide:
    """KPI 4b: the SKR measure of the month and a year earlier per care type and area,
    with the year's targets (%), whatever the pack's scope (as on the dashboard)."""
    month, earlier = p.month, p.month - 12
    labels, now, before, targets = [], [], [], []
    for scope in dashboard_scopes(p.costs):
        table = p.series("skr-measure", scope=scope, start=earlier, end=month)
        labels.append(scope.label)
        now.append(latest_value(table, month.strftime("%Y-%m"), "ratio_pct"))
        before.append(latest_value(table, earlier.strftime("%Y-%m"), "ratio_pct"))
        targets.append(latest_value(table, month.strftime("%Y-%m"), "target_pct"))
    target_name = _("Mål %(year)s") % {"year": month.year}
    series = [Series(_short(earlier), in_pct(before)), Series(_short(month), in_pct(now))]
    if any(t is not None for t in targets):
        series.append(Series(target_name, in_pct(targets), color="000000"))
    chart = ChartSpec(
        "bar_horizontal",
        labels,
        series,
        number_format=PERCENT,
        axis_number_format=PERCENT_AXIS,
        unit_label="%",
        dashed_series={target_name} if len(series) > 2 else frozenset(),
    )
    shown = [(v, label) for v, label in zip(now, labels, strict=True) if v is not None]
    if shown:
        high, low = max(shown), min(shown)
        headline = _("%(month)s: högst %(high)s %(high_value)s, lägst %(low)s %(low_value)s") % {
            "month": chart_style.upper_first(_month(month)),
            "high": high[1],
            "high_value": format_pct(high[0], 2),
            "low": low[1],
            "low_value": format_pct(low[0], 2),
        }
    else:
        headline = _("SKR-måttet saknas: det behövs utfall för tolv månader i följd.")
    note = None
    if is_preliminary(p.costs, month):
        note = preliminary_note([month]) + "."
    title = _("SKR-måttet R12 per vårdtyp och område")
    return ChartSlide(title, headline, chart, comment=p.comments.get(SKR_SCOPES), note=note)


def r12_area_slide(p: PackInput) -> ChartSlide:
    """KPI 3b: agency cost R12 per area of the scope (mkr)."""
    month = p.month
    table = p.series("agency-r12-by-area", end=month)
    wide = table.pivot(index="month", columns="area", values="agency_r12_sek")
    wide = wide[wide.notna().any(axis=1)].tail(MONTHS_SHOWN) if len(wide) else wide
    series = [Series(str(area), in_mkr(wide[area])) for area in wide.columns]
    if not series:
        series = [Series(_("Kostnad R12"), [])]
    chart = monthly_spec(
        p.costs, "line", list(wide.index), series, number_format=ONE_DECIMAL, unit_label=_unit(MKR)
    )
    key = month.strftime("%Y-%m")
    latest = wide.loc[key].dropna() if key in wide.index else pd.Series(dtype="float64")
    if latest.empty:
        headline = _("R12 saknas: det behövs utfall för tolv månader i följd.")
    elif len(latest) == 1:
        headline = f"{chart_style.upper_first(_month(month))}: {format_mkr(latest.iloc[0])}"
    else:
        headline = _("%(month)s: högst %(area)s %(value)s") % {
            "month": chart_style.upper_first(_month(month)),
            "area": latest.idxmax(),
            "value": format_mkr(latest.max()),
        }
    title = _("Kostnaden för hyrpersonal R12 per område (mkr)")
    return ChartSlide(
        p.titled(title), headline, chart, comment=p.comments.get("agency-r12-by-area")
    )


def personnel_scopes(scope: Scope) -> list[Scope]:
    """The administration's pack has the administration, sjukhusvård and primärvård,
    as the decks; another scope has its own."""
    if scope.kind != HSF:
        return [scope]
    return [
        scope,
        Scope("care", CareType.SJUKHUSVARD.value),
        Scope("care", CareType.PRIMARVARD.value),
    ]


def personnel_slide(p: PackInput, scope: Scope) -> ChartSlide:
    """KPI 5: personnel cost per month of the year, actual against budget and last
    year's actual (tkr); actuals up to the pack's month."""
    month = p.month
    year = month.year
    table = p.series(
        "personnel-cost",
        scope=scope,
        start=pd.Period(year=year, month=1, freq="M"),
        end=pd.Period(year=year, month=12, freq="M"),
    )
    table = table.set_index("month").reindex([f"{year}-{m:02d}" for m in range(1, 13)])
    actual = table["actual_sek"].where(table.index <= month.strftime("%Y-%m"))
    actual_name, budget_name = (
        _("Utfall %(year)s") % {"year": year},
        _("Budget %(year)s") % {"year": year},
    )
    marked = preliminary_months(p.costs, actual.dropna().index)
    chart = ChartSpec(
        "bar",
        chart_style.month_abbrs(),
        [
            Series(actual_name, in_tkr(actual)),
            Series(budget_name, in_tkr(table["budget_sek"])),
            Series(
                _("Utfall %(year)s") % {"year": year - 1}, in_tkr(table["actual_prev_year_sek"])
            ),
        ],
        number_format=WHOLE,
        unit_label=_unit(TKR),
        dashed_series={budget_name},
        marked_categories={chart_style.month_abbr(m.month) for m in marked},
        marked_note=preliminary_note(marked) if marked else "",
    )
    ytd = {
        column: periods.year_to_date(
            pd.Series(values.to_numpy(), index=pd.PeriodIndex(table.index, freq="M")),
            month=month,
        )
        for column, values in (
            ("actual", actual),
            ("budget", table["budget_sek"]),
            ("previous", table["actual_prev_year_sek"]),
        )
    }
    headline = _(
        "Utfall ack %(month)s: %(actual)s · budget: %(budget)s · %(previous_year)s: %(previous)s"
    ) % {
        "month": _month(month),
        "actual": format_tkr(ytd["actual"]),
        "budget": format_tkr(ytd["budget"]),
        "previous_year": year - 1,
        "previous": format_tkr(ytd["previous"]),
    }
    title = _(
        "Personalkostnader %(scope)s %(year)s, utfall och budget per månad jämfört med "
        "%(previous)s (tkr)"
    ) % {"scope": scope.label, "year": year, "previous": year - 1}
    return ChartSlide(title, headline, chart, comment=p.comments.get("personnel-cost", scope))


def _department_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The largest department x profession rows (by the larger of the two periods), the
    rest summed into one row."""
    table = table.assign(
        label=[
            f"{r.department} – {PROFESSION_LABELS[r.profession]}"
            for r in table.itertuples(index=False)
        ],
        size=table[["amount_sek", "amount_prev_sek"]].max(axis=1).fillna(0.0),
    )
    table = table.sort_values(["size", "label"], ascending=[False, True], kind="stable")
    top, rest = table.head(DEPARTMENT_BARS), table.iloc[DEPARTMENT_BARS:]
    if len(rest):
        other = {
            "label": _("Övriga (%(count)s)") % {"count": len(rest)},
            "amount_sek": rest["amount_sek"].sum(min_count=1),
            "amount_prev_sek": rest["amount_prev_sek"].sum(min_count=1),
        }
        top = pd.concat([top, pd.DataFrame([other])], ignore_index=True)
    return top[["label", "amount_sek", "amount_prev_sek"]].reset_index(drop=True)


def department_slide(p: PackInput) -> ChartSlide | None:
    """KPI 6: agency cost per department and profession for the last three months
    against the same months last year (tkr); None when there is none in either."""
    start, end = p.month - 2, p.month
    table = p.series("agency-by-department", start=start, end=end)
    if table.empty:
        return None
    rows = _department_rows(table)
    current, previous = (
        chart_style.range_label(start, end),
        chart_style.range_label(start - 12, end - 12),
    )
    chart = ChartSpec(
        "bar_horizontal",
        list(rows["label"]),
        [
            Series(previous, in_tkr(rows["amount_prev_sek"])),
            Series(current, in_tkr(rows["amount_sek"])),
        ],
        number_format=WHOLE,
        unit_label=_unit(TKR),
    )
    now, before = table["amount_sek"].sum(min_count=1), table["amount_prev_sek"].sum(min_count=1)
    headline = f"{chart_style.upper_first(current)}: {format_tkr(now)} · {previous}: " + (
        format_tkr(before)
    )
    notes = []
    marked = [m for m in pd.period_range(start, end, freq="M") if is_preliminary(p.costs, m)]
    if marked:
        notes.append(preliminary_note(marked) + ".")
    if len(table) > DEPARTMENT_BARS:
        notes.append(
            _("De %(count)s största av %(total)s; övriga summerade.")
            % {"count": DEPARTMENT_BARS, "total": len(table)}
        )
    title = _(
        "Kostnad för hyrpersonal %(current)s per verksamhet och yrke jämfört med %(previous)s (tkr)"
    ) % {
        "current": current,
        "previous": previous,
    }
    return ChartSlide(
        p.titled(title),
        headline,
        chart,
        comment=p.comments.get("agency-by-department"),
        note=" ".join(notes) or None,
    )


def hours_slide(p: PackInput) -> ChartSlide:
    """KPI 7: purchased agency hours per month and profession, since January last year."""
    month = p.month
    start = pd.Period(year=month.year - 1, month=1, freq="M")
    table = p.series("agency-hours", start=start, end=month)
    wide = table.pivot(index="month", columns="profession", values="hours").reindex(
        columns=PROFESSIONS
    )
    series = [
        Series(str(PROFESSION_LABELS[code]), scaled(wide[code], 1, 1)) for code in PROFESSIONS
    ]
    chart = monthly_spec(
        p.costs, "line", list(wide.index), series, number_format=WHOLE, unit_label=_("Timmar")
    )
    totals = wide.sum(axis=1, min_count=1)
    now, before = (totals.get(m.strftime("%Y-%m")) for m in (month, month - 12))
    headline = _("%(month)s: %(hours)s timmar · %(previous_month)s: %(previous)s timmar") % {
        "month": chart_style.upper_first(_month(month)),
        "hours": format_number(now),
        "previous_month": _month(month - 12),
        "previous": format_number(before),
    }
    title = _("Köpta hyrtimmar per månad och yrke")
    return ChartSlide(p.titled(title), headline, chart, comment=p.comments.get("agency-hours"))


def national_slide(p: PackInput) -> ChartSlide | None:
    """KPI 8: agency share per region in the latest quarter up to the month (%); None
    when no national comparison is uploaded."""
    quarter = national_quarter(p.national, month=p.month)
    if quarter is None:
        return None
    table = p.national[p.national["quarter"] == quarter].sort_values(
        "share_pct", ascending=False, kind="stable"
    )
    labels = [
        f"{r.region} ({_('riksgenomsnitt')})" if r.is_average else r.region
        for r in table.itertuples(index=False)
    ]
    chart = ChartSpec(
        "bar_horizontal",
        labels,
        [Series(_("Andel"), in_pct(table["share_pct"]))],
        number_format=number_format(1, " %"),
        unit_label="%",
    )
    mine = table[[chart_style.is_region(name, p.region) for name in table["region"]]]
    others = table[~table["is_average"]]
    average = table[table["is_average"]]
    parts = []
    if len(mine):
        share = mine["share_pct"].iloc[0]
        parts.append(
            _("%(region)s %(share)s, plats %(rank)s av %(count)s")
            % {
                "region": mine["region"].iloc[0],
                "share": format_pct(share),
                "rank": int((others["share_pct"] > share).sum()) + 1,
                "count": len(others),
            }
        )
    if len(average):
        parts.append(_("riket %(share)s") % {"share": format_pct(average["share_pct"].iloc[0])})
    title = _("Nationell jämförelse – andel hyrpersonal per region %(quarter)s") % {
        "quarter": quarter
    }
    note = _("Källa: SKR. Regionernas andelar gäller hela regionen oavsett urval.")
    return ChartSlide(title, " · ".join(parts), chart, comment=p.comments.get(NATIONAL), note=note)


# --- sick leave ------------------------------------------------------------------------


def sick_leave_month(p: PackInput) -> pd.Period | None:
    """The newest sick-leave month up to the pack's month (payroll is often a month
    behind the ledger); None when there is none."""
    months = [m for m in p.data("sick-leave").months if m <= p.month]
    return months[-1] if months else None


def sick_leave_slide(p: PackInput) -> ChartSlide | None:
    """KPI 9: sick leave R12 for the scope (the administration with a line per area) and
    its target (%). Withheld values (small groups) are gaps, absent from the workbook."""
    data = p.data("sick-leave")
    end = sick_leave_month(p)
    if end is None:
        return None
    by = "area" if p.scope.kind == HSF else None
    table = p.series("sick-leave", start=end - (R12_MONTHS - 1), end=end, by=by)
    wide = table.pivot(index="month", columns="group", values="rate_r12_pct")
    groups = ["total", *[g for g in dict.fromkeys(table["group"]) if g != "total"]]
    wide = wide.reindex(columns=groups)
    wide = wide[wide.notna().any(axis=1)].tail(MONTHS_SHOWN) if len(wide) else wide
    names = {"total": p.scope.label}
    series = [Series(names.get(g, g), in_pct(wide[g])) for g in groups]
    targets = [
        sick_leave_target(data, scope=p.scope, month=pd.Period(m, freq="M")) for m in wide.index
    ]
    dashed = frozenset()
    if any(t is not None for t in targets):
        series.append(Series(_("Mål"), in_pct(pd.Series(targets, dtype="float64")), color="000000"))
        dashed = frozenset({_("Mål")})
    chart = _sick_leave_spec(data, list(wide.index), series, dashed)
    now = latest_value(table[table["group"] == "total"], end.strftime("%Y-%m"), "rate_r12_pct")
    if now is None:
        headline = _("R12 saknas eller visas inte för %(month)s.") % {"month": _month(end)}
    else:
        headline = _("R12 %(month)s: %(value)s") % {
            "month": _month(end),
            "value": format_pct(now, 2),
        }
        target = sick_leave_target(data, scope=p.scope, month=end)
        if target is not None:
            headline += " · " + _("mål %(target)s") % {"target": format_pct(target, 1)}
    note = _(
        "Inget värde visas för en grupp med högst %(max)s anställda, eller som kan "
        "räknas fram ur andra visade värden."
    ) % {"max": data.max_hidden}
    title = _("Sjukfrånvaro R12 – ack %(month)s (%%)") % {"month": _month(end)}
    return ChartSlide(
        p.titled(title), headline, chart, comment=p.comments.get(SICK_LEAVE_R12), note=note
    )


def _sick_leave_spec(data, months, series, dashed) -> ChartSpec:
    """Lines close together (the areas' rates) get no value labels: they would overlap."""
    return monthly_spec(
        data,
        "line",
        months,
        series,
        number_format=PERCENT,
        axis_number_format=PERCENT_AXIS,
        unit_label="%",
        dashed_series=dashed,
        data_labels="last" if len(series) <= 3 else "none",
    )


# --- the controllers' text slides -------------------------------------------------------


def bullets(text: str) -> list[str | Bullet]:
    """One bullet per line; an indented line is a sub-bullet; a leading "•", "-" or "–"
    is the bullet itself and dropped; blank lines are skipped."""
    found: list[str | Bullet] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        level = 1 if line[:1] in (" ", "\t") else 0
        words = line.strip()
        if words[:1] in ("•", "-", "–", "*") and words[1:2] in (" ", "\t"):
            words = words[2:].strip()
        found.append(Bullet(words, level) if level else words)
    return found


def text_slides(rows: Sequence[TextSlideRow]) -> list[TextSlide]:
    return [TextSlide(row.title, bullets(row.text)) for row in rows]

"""The sick-leave page (KPI 9): from GET parameters and one SickLeaveData to charts.

- `parse_selection` reads `manad` and `urval` as the cost dashboard does.
- `series_table` is the table behind each chart (kpis.sick_leave.series, already with the
  small-group rule applied): the page shows it and the CSV download returns it.
- `build_charts` turns the tables into what the template draws, with the same
  Chart and Table shapes as the cost dashboard (hyrdash.lib.page). A withheld
  value is shown as ".." in the tables and as a gap in the lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style
from hyrdash.lib.formatting import format_pct
from hyrdash.lib.page import (
    Chart,
    Column,
    MonthSelection,
    Table,
    mark_followed,
    month_options,
    preliminary_mark,
    sentences,
    table_note,
    target_label,
)
from kpis.models import CareType
from kpis.organisation import selectors as org_selectors
from kpis.organisation.selectors import HSF, Scope, parse_month_and_scope
from kpis.sick_leave import about, series
from kpis.sick_leave import charts as sick_leave_charts
from kpis.sick_leave.selectors import SickLeaveData

MONTH = "manad"

SCOPE = "urval"

# How many months the charts and tables show, ending with the selected one.
WINDOW = 36

SUPPRESSED = ".."


R12 = "sick-leave-r12"

GENDER = "sick-leave-gender"

AGE = "sick-leave-age"

DURATION = "sick-leave-duration"

# chart code -> (series, by): the series function and breakdown behind each chart.
CHARTS = {
    R12: ("sick-leave", "area"),
    GENDER: ("sick-leave", "gender"),
    AGE: ("sick-leave", "age"),
    DURATION: ("sick-leave-duration", None),
}

CHART_CODES = list(CHARTS)


@dataclass(frozen=True)
class Selection(MonthSelection):
    month: pd.Period
    scope: Scope

    @property
    def start(self) -> pd.Period:
        return self.month - (WINDOW - 1)

    def params(self) -> dict[str, str]:
        return {MONTH: self.month_text, SCOPE: self.scope.key}

    def query(self) -> str:
        return urlencode(self.params())


def parse_selection(params, *, data: SickLeaveData) -> tuple[Selection, list[str]]:
    """The month and scope in `params`, and messages for what was ignored (needs data)."""
    month, scope, problems = parse_month_and_scope(
        params,
        months=data.months,
        default=data.last_month,
        no_data=_("%(month)s har ingen sjukfrånvaro; visar %(shown)s."),
    )
    return Selection(month, scope), problems


def scope_choices(data: SickLeaveData, selected: Scope) -> list[tuple[str, list]]:
    """The scope select's groups: (group label, [(key, label)]); "" for no group; the
    departments under their area."""
    return org_selectors.scope_choices(
        care_types=CareType, areas=data.areas, departments=data.departments, selected=selected
    )


def month_choices(data: SickLeaveData) -> list[tuple[str, str]]:
    return month_options(data.months, data.is_preliminary)


# --- the tables ----------------------------------------------------------------------------


def series_table(code: str, data: SickLeaveData, selection: Selection) -> pd.DataFrame:
    """The table chart `code` shows: WINDOW months ending with the selected one (raises
    KeyError for unknown codes)."""
    name, by = CHARTS[code]
    months = {"start": selection.start, "end": selection.month}
    if name == "sick-leave-duration":
        return series.sick_leave_duration(data, scope=selection.scope, **months)
    return series.sick_leave(data, scope=selection.scope, by=by, **months)


def csv_filename(code: str, selection: Selection) -> str:
    """'hyrdash-sick-leave-r12-hsf-2025-03.csv' (ASCII)."""
    scope = slugify(selection.scope.key.replace(":", "-")) or "hsf"
    return f"hyrdash-{code}-{scope}-{selection.month_text}.csv"


def targets(data: SickLeaveData, selection: Selection, months: list[str]) -> pd.Series:
    """The sick-leave target (%) of each month's year for the scope, NaN where none."""
    values = [
        series.sick_leave_target(data, scope=selection.scope, month=pd.Period(m, freq="M"))
        for m in months
    ]
    return pd.Series(values, index=months, dtype="float64")


# --- what the template draws ----------------------------------------------------------------


def _wide(table: pd.DataFrame, value: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long series table as month x group: the values, and which are withheld."""
    order = list(dict.fromkeys(table["group"]))
    wide = table.pivot(index="month", columns="group", values=value).reindex(columns=order)
    flags = table.pivot(index="month", columns="group", values="suppressed")
    return wide, flags.reindex(columns=order).fillna(False).astype(bool)


def make_table(
    caption: str,
    columns: list[Column],
    records: list[list],
    withheld: list[list[bool]],
    preliminary: list[bool],
) -> Table:
    """Like the cost dashboard's tables; a withheld cell shows ".." (unit numtext)."""
    rows = []
    for record, hidden, flag in zip(records, withheld, preliminary, strict=True):
        cells = []
        for value, column, off in zip(record, columns, hidden, strict=True):
            if off and pd.isna(value):
                cells.append({"value": SUPPRESSED, "unit": "numtext", "header": False})
            else:
                cells.append({"value": value, "unit": column.unit, "header": column.header})
        rows.append({"cells": cells, "preliminary": flag, "emphasis": False})
    return Table(caption, columns, rows)


def _month_labels(months, table: pd.DataFrame) -> tuple[list[str], list[bool]]:
    """The months' row labels, marked where the series marks them preliminary."""
    preliminary = chart_style.preliminary_months(table)
    flags = [m in preliminary for m in months]
    labels = [
        chart_style.short_month_label(m) + (preliminary_mark() if f else "")
        for m, f in zip(months, flags, strict=True)
    ]
    return labels, flags


def _note(data: SickLeaveData) -> str:
    return _(
        "%(mark)s i tabellen: värdet visas inte, för att gruppen hade högst "
        "%(max)s anställda den månaden (eller, för R12, någon av de tolv "
        "månaderna), eller för att ett sådant värde annars skulle gå att räkna fram ur de "
        "andra. Samma regel gäller CSV-filerna."
    ) % {"mark": SUPPRESSED, "max": data.max_hidden}


def _empty_text(table: pd.DataFrame) -> str:
    """What an empty chart says: withheld values, or too few months for R12."""
    if table["suppressed"].astype(bool).any():
        return sick_leave_charts.SICK_LEAVE_WITHHELD
    return sick_leave_charts.NO_SICK_LEAVE_R12


def _latest(values: pd.Series) -> tuple[str, float] | None:
    present = values.dropna()
    if present.empty:
        return None
    return present.index[-1], float(present.iloc[-1])


def _heading(what: str) -> str:
    """'Sjukfrånvaro R12 per kön'; `what` is a translated "per ..." or ""."""
    if not what:
        return _("Sjukfrånvaro R12")
    return _("Sjukfrånvaro R12 %(what)s") % {"what": what}


def _lines_chart(
    code: str,
    number: str,
    table: pd.DataFrame,
    data: SickLeaveData,
    selection: Selection,
    *,
    labels: dict[str, str],
    what: str,
    with_target: bool = False,
) -> Chart:
    wide, withheld = _wide(table, "rate_r12_pct")
    names = [str(labels.get(g, g)) for g in wide.columns]
    months = list(wide.index)
    month_labels, flags = _month_labels(months, table)
    lines = {name: wide[g] for name, g in zip(names, wide.columns, strict=True)}
    goal = targets(data, selection, months) if with_target else None
    followed = [
        series.sick_leave_target_follows_hsf(
            data, scope=selection.scope, month=pd.Period(m, freq="M")
        )
        for m in months
    ]
    scope = selection.scope.label
    if goal is not None and goal.notna().any():
        subtitle = _(
            "%(scope)s, procent av ordinarie arbetstid, rullande 12 månader, med mål per år"
        ) % {"scope": scope}
    else:
        subtitle = _("%(scope)s, procent av ordinarie arbetstid, rullande 12 månader") % {
            "scope": scope
        }
    figure = sick_leave_charts.sick_leave_lines_figure(
        lines,
        title=_heading(what),
        subtitle=subtitle,
        preliminary={m for m, f in zip(months, flags, strict=True) if f},
        emphasis=names[0],
        targets=goal,
        followed=followed,
        empty=_empty_text(table),
    )
    columns = [Column(_("Månad"), header=True)] + [Column(n, "pct2") for n in names]
    records = [[label, *row] for label, row in zip(month_labels, wide.to_numpy(), strict=True)]
    hidden = [[False, *row] for row in withheld.to_numpy()]
    if goal is not None and goal.notna().any():
        columns.append(Column(target_label(followed, goal), "pct2"))
        records = [[*r, t] for r, t in zip(records, goal, strict=True)]
        hidden = [[*h, False] for h in hidden]
    latest = []
    for name, g in zip(names, wide.columns, strict=True):
        found = _latest(wide[g])
        if found is not None:
            latest.append(
                f"{name} {format_pct(found[1], 2)} ({chart_style.short_month_label(found[0])})"
            )
    if what:
        described = _("Linjediagram: sjukfrånvaro rullande tolv månader %(what)s, %(scope)s.")
        caption = _("Sjukfrånvaro R12 (%%) %(what)s, %(scope)s")
    else:
        described = _("Linjediagram: sjukfrånvaro rullande tolv månader, %(scope)s.")
        caption = _("Sjukfrånvaro R12 (%%), %(scope)s")
    summary = sentences(
        described % {"what": what, "scope": scope},
        _("Senaste värden: %(values)s.") % {"values": "; ".join(latest)}
        if latest
        else f"{chart_style.NO_R12.capitalize()}.",
        table_note(),
    )
    numbers = make_table(caption % {"what": what, "scope": scope}, columns, records, hidden, flags)
    if goal is not None and goal.notna().any():
        mark_followed(numbers, len(columns) - 1, followed)
    return Chart(
        code=code,
        number=number,
        heading=_heading(what),
        summary=summary,
        figure=chart_style.to_json(figure),
        tables=[numbers],
        note=_note(data),
        file_stem=csv_filename(code, selection).removesuffix(".csv"),
        csv_url=_csv_url(code, selection),
    )


def _duration_chart(table: pd.DataFrame, data: SickLeaveData, selection: Selection) -> Chart:
    month_labels, flags = _month_labels(list(table["month"]), table)
    table = table.set_index("month")
    months = list(table.index)
    scope = selection.scope.label
    figure = sick_leave_charts.sick_leave_duration_figure(
        table,
        title=_("Lång- och korttidssjukfrånvaro R12"),
        subtitle=_("%(scope)s, rullande 12 månader") % {"scope": scope},
        preliminary={m for m, f in zip(months, flags, strict=True) if f},
        empty=_empty_text(table.reset_index()),
    )
    columns = [
        Column(_("Månad"), header=True),
        Column(_("Sjuktimmar dag 1-14"), "num"),
        Column(_("Dag 15-59"), "num"),
        Column(_("Dag 60-"), "num"),
        Column(_("Korttid R12"), "pct2"),
        Column(_("Långtidsandel R12"), "pct2"),
    ]
    values = ["sick_hours_1_14", "sick_hours_15_59", "sick_hours_60"]
    values += ["short_term_rate_r12_pct", "long_term_share_r12_pct"]
    records = [
        [label, *row] for label, row in zip(month_labels, table[values].to_numpy(), strict=True)
    ]
    withheld = [[False] + [bool(s)] * len(values) for s in table["suppressed"]]
    found = _latest(table["long_term_share_r12_pct"])
    short = _latest(table["short_term_rate_r12_pct"])
    summary = sentences(
        _(
            "Linjediagram i två delar, rullande tolv månader, %(scope)s: "
            "långtidssjukfrånvarons andel av all sjukfrånvaro, och korttidssjukfrånvaron "
            "(dag 1-14) i procent av ordinarie arbetstid."
        )
        % {"scope": scope},
        _("Långtidsandel %(value)s (%(month)s).")
        % {"value": format_pct(found[1], 1), "month": chart_style.short_month_label(found[0])}
        if found
        else f"{chart_style.NO_R12.capitalize()}.",
        _("Korttidssjukfrånvaro %(value)s (%(month)s).")
        % {"value": format_pct(short[1], 2), "month": chart_style.short_month_label(short[0])}
        if short
        else "",
        table_note(),
    )
    return Chart(
        code=DURATION,
        number="4",
        heading=_("Lång och kort sjukfrånvaro"),
        summary=summary,
        figure=chart_style.to_json(figure),
        tables=[
            make_table(
                _("Sjuktimmar efter dag i sjukperioden och andelar R12, %(scope)s")
                % {"scope": scope},
                columns,
                records,
                withheld,
                flags,
            )
        ],
        note=_note(data),
        file_stem=csv_filename(DURATION, selection).removesuffix(".csv"),
        csv_url=_csv_url(DURATION, selection),
    )


def _csv_url(code: str, selection: Selection) -> str:
    return f"{reverse('kpis:sick_leave_csv', args=[code])}?{selection.query()}"


def build_charts(data: SickLeaveData, selection: Selection, *, latest=None) -> list[Chart]:
    """The page's four charts, in order: R12 with parts, by gender, by age, by duration,
    each with its "Om måttet" panel (kpis.sick_leave.about; `latest`: the newest
    sick-leave import, selectors.latest_import)."""
    tables = {code: series_table(code, data, selection) for code in CHART_CODES}
    parts = {
        HSF: _("per område"),
        "area": _("per verksamhet"),
    }.get(selection.scope.kind, "")
    total = {series.TOTAL: selection.scope.label}
    built = [
        _lines_chart(
            R12,
            "1",
            tables[R12],
            data,
            selection,
            labels=total,
            what=parts,
            with_target=True,
        ),
        *(
            _lines_chart(
                code,
                number,
                tables[code],
                data,
                selection,
                labels=series.GROUP_LABELS | total,
                what=what,
            )
            for code, number, what in (
                (GENDER, "2", _("per kön")),
                (AGE, "3", _("per åldersgrupp")),
            )
        ),
        _duration_chart(tables[DURATION], data, selection),
    ]
    for chart in built:
        chart.about = about.about_panel(
            chart.code,
            max_hidden=data.max_hidden,
            latest=latest,
            closed_through=data.closed_through,
        )
    return built

"""The survey page: from GET parameters and one SurveyData to charts and tables.

The page compares the chosen group with its parents (unit, department, area,
administration) and with its own previous survey year. Every chart has a
table behind it (`section_table`), which the page shows and the CSV download
returns, so the two never disagree; hidden values (anonymity) are absent from
both.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.formatting import format_number, format_pct
from hyrdash.lib.page import Chart, Column, Table, sentences, table_note

from . import access, charts, results
from .questionnaires import (
    SECTION_ENPS,
    SECTION_HME,
    SECTION_HSE,
    SECTION_PSYCHOSOCIAL,
)
from .selectors import SurveyData, YearData

YEAR = "ar"
SCOPE = "urval"

RESPONSE = "svarsfrekvens"
HME = "hme"
HSE = "hse"
DIMENSIONS = "psykosocial"
THEMES = "psykosocial-teman"
ENPS = "enps"
ENPS_DISTRIBUTION = "enps-fordelning"
CHART_CODES = [RESPONSE, HME, HSE, DIMENSIONS, THEMES, ENPS, ENPS_DISTRIBUTION]

CSV_COLUMNS = [
    "index",
    "index_label",
    "group",
    "group_label",
    "year",
    "value",
    "respondents",
    "status",
]
HIDDEN_TEXT = gettext_lazy("Dold (anonymitet)")
NONE_TEXT = gettext_lazy("Inga svar")


class SelectionError(Exception):
    """A year or group the user may not see or that does not exist (answered 404)."""


@dataclass(frozen=True)
class Selection:
    year: int
    scope: str  # group key

    def params(self) -> dict[str, str]:
        return {YEAR: str(self.year), SCOPE: self.scope}

    def query(self) -> str:
        return urlencode(self.params())


@dataclass(frozen=True)
class Series:
    """One bar of every measure: a group in a year."""

    group: str
    year: int
    label: str
    data: YearData


@dataclass
class SurveyChart(Chart):
    csv_url: str = ""  # the chart's CSV download (kpis/_chart.html)


def parse_selection(params, *, data: SurveyData, user) -> Selection:
    """The year (`ar`, default the latest) and group (`urval`, default hsf) asked for.

    Raises SelectionError for a year without answers, an unknown group, or a group
    the user may not see.
    """
    raw_year = (params.get(YEAR) or "").strip()
    if raw_year:
        if not raw_year.isdigit() or int(raw_year) not in data.years:
            raise SelectionError(
                _("Det finns ingen undersökning för %(year)s.") % {"year": raw_year[:20]}
            )
        year = int(raw_year)
    else:
        year = data.latest
    scope = "".join(ch for ch in (params.get(SCOPE) or results.HSF) if ch.isprintable())[:200]
    scope = scope.strip() or results.HSF
    tree = data.tree(year)
    if scope != results.HSF and scope not in tree.parent:
        raise SelectionError(_("Urvalet finns inte."))
    if not access.may_see(user, scope, tree):
        raise SelectionError(_("Urvalet finns inte."))
    return Selection(year, scope)


def scope_choices(data: SurveyData, user, year: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """The select's groups in the year's organisation: the administration, the areas,
    then per visible area its departments and units."""
    tree = data.tree(year)
    areas = tree.children.get(results.HSF, [])
    groups = [
        ("", [(results.HSF, tree.labels[results.HSF])]),
        (_("Område"), [(key, tree.labels[key]) for key in areas]),
    ]
    visible = access.unit_areas(user)
    for area in areas:
        if visible is not None and tree.labels[area] not in visible:
            continue
        choices = []
        for department in tree.children.get(area, []):
            choices.append((department, tree.labels[department]))
            for unit in tree.children.get(department, []):
                choices.append((unit, "\u2003" + tree.labels[unit]))
        groups.append((tree.labels[area], choices))
    return groups


def comparison(data: SurveyData, selection: Selection) -> list[Series]:
    """The chosen group this year and its previous year, then its parents this year.

    Each year with its own organisation: the parents are this year's, and last year's
    value is the group's in last year's tree (none if the group did not exist)."""
    this = data.year(selection.year)
    tree = this.tree
    chosen = [
        Series(selection.scope, selection.year, _label(tree, selection.scope, selection.year), this)
    ]
    previous = data.previous(selection.year)
    if previous is not None:
        before = data.year(previous)
        chosen.append(
            Series(
                selection.scope,
                previous,
                _label(before.tree, selection.scope, previous),
                before,
            )
        )
    for parent in tree.ancestors(selection.scope):
        chosen.append(Series(parent, selection.year, _label(tree, parent, selection.year), this))
    return chosen


def _label(tree: results.Tree, key: str, year: int) -> str:
    return f"{tree.labels.get(key, key)} {year}"


# --- tables --------------------------------------------------------------------------


def _measures(code: str, year: YearData) -> list[tuple[str, str]]:
    """(measure code, label) of a chart, from the selected year's questionnaire."""
    spec = year.spec
    if code == RESPONSE:
        return [("response_rate", _("Svarsfrekvens"))]
    if code == HME:
        return [(m.code, m.label) for m in spec.section(SECTION_HME)]
    if code == HSE:
        return [(m.code, m.label) for m in spec.section(SECTION_HSE)]
    if code == DIMENSIONS:
        return [(m.code, m.label) for m in spec.section(SECTION_PSYCHOSOCIAL) if not m.parent]
    if code == THEMES:
        dims = {m.code: m.label for m in spec.section(SECTION_PSYCHOSOCIAL) if not m.parent}
        return [
            (m.code, f"{m.label} ({dims.get(m.parent, m.parent)})")
            for m in spec.section(SECTION_PSYCHOSOCIAL)
            if m.parent
        ]
    if code == ENPS:
        return [("enps", "eNPS")] if spec.section(SECTION_ENPS) else []
    if code == ENPS_DISTRIBUTION:
        if not spec.section(SECTION_ENPS):
            return []
        return [
            ("enps_promoters_pct", _("Ambassadörer (%)")),
            ("enps_passives_pct", _("Passiva (%)")),
            ("enps_critics_pct", _("Kritiker (%)")),
        ]
    raise KeyError(code)


def section_table(code: str, data: SurveyData, selection: Selection) -> pd.DataFrame:
    """The long table behind a chart: one row per measure and series (CSV_COLUMNS)."""
    series = comparison(data, selection)
    measures = _measures(code, series[0].data)
    rows = []
    for measure, label in measures:
        for each in series:
            value, respondents, status = each.data.row(each.group, measure)
            rows.append(
                {
                    "index": measure,
                    "index_label": label,
                    "group": each.group,
                    "group_label": each.data.tree.labels.get(each.group, each.group),
                    "year": each.year,
                    "value": value if status == results.SHOWN else float("nan"),
                    "respondents": None if status == results.HIDDEN else respondents,
                    "status": status,
                }
            )
    table = pd.DataFrame(rows, columns=CSV_COLUMNS)
    table["respondents"] = table["respondents"].astype("Int64")
    return table


def csv_filename(code: str, selection: Selection) -> str:
    scope = slugify(selection.scope.replace(":", "-")) or "hsf"
    return f"hyrdash-mu-{code}-{scope}-{selection.year}.csv"


# --- what the template draws ---------------------------------------------------------


def _value_text(value, status: str, *, decimals: int = 1, pct: bool = False) -> str:
    if status == results.HIDDEN:
        return str(HIDDEN_TEXT)
    if status == results.NONE:
        return str(NONE_TEXT)
    return format_pct(value, decimals) if pct else format_number(value, decimals)


def _page_table(caption: str, table: pd.DataFrame, *, pct: bool = False) -> Table:
    columns = [
        Column(_("Index"), header=True),
        Column(_("Grupp")),
        Column(_("År"), "numtext"),
        Column(_("Värde"), "numtext"),
        Column(_("Svarande"), "numtext"),
    ]
    rows = []
    for row in table.itertuples(index=False):
        respondents = "" if row.status == results.HIDDEN else format_number(row.respondents)
        cells = [
            row.index_label,
            row.group_label,
            str(row.year),
            _value_text(row.value, row.status, pct=pct),
            respondents,
        ]
        rows.append(
            {
                "cells": [
                    {"value": value, "unit": column.unit, "header": column.header}
                    for value, column in zip(cells, columns, strict=True)
                ],
                "preliminary": False,
                "emphasis": False,
            }
        )
    return Table(caption, columns, rows)


def _values_by_series(table: pd.DataFrame, series: list[Series], measures) -> list:
    out = []
    for each in series:
        part = table[(table["group"] == each.group) & (table["year"] == each.year)]
        by_measure = dict(zip(part["index"], part["value"], strict=True))
        out.append(
            (
                each.label,
                [
                    None if pd.isna(by_measure.get(code)) else float(by_measure[code])
                    for code, _label in measures
                ],
            )
        )
    return out


NOTE = gettext_lazy(
    "Inget värde visas för en grupp med färre än %(threshold)s svarande på indexet, och inte "
    "heller när det skulle kunna räknas fram ur andra visade värden (dold)."
)
HEADINGS = {
    RESPONSE: ("1", gettext_lazy("Svarsfrekvens")),
    HME: ("2", gettext_lazy("HME – Hållbart medarbetarengagemang")),
    HSE: ("3", gettext_lazy("HSE – Hållbart säkerhetsengagemang")),
    DIMENSIONS: ("4", gettext_lazy("Psykosocial arbetsmiljö: dimensioner")),
    THEMES: ("5", gettext_lazy("Psykosocial arbetsmiljö: teman")),
    ENPS: ("6", gettext_lazy("eNPS – rekommendation av arbetsgivaren")),
    ENPS_DISTRIBUTION: ("7", gettext_lazy("eNPS: kritiker, passiva och ambassadörer")),
}


def build_charts(data: SurveyData, selection: Selection) -> list[SurveyChart]:
    series = comparison(data, selection)
    year = series[0].data
    scope_label = data.tree(selection.year).labels.get(selection.scope, selection.scope)
    note = NOTE % {"threshold": year.threshold}
    built = []
    for code in CHART_CODES:
        measures = _measures(code, year)
        if not measures:
            continue
        number, heading = HEADINGS[code]
        heading = str(heading)
        table = section_table(code, data, selection)
        subtitle = _("%(scope)s %(year)s jämfört med föregående år och uppåt i organisationen") % {
            "scope": scope_label,
            "year": selection.year,
        }
        if code == ENPS_DISTRIBUTION:
            rows = []
            for label, values in _values_by_series(table, series, measures):
                rows.append((label, *values))
            figure = charts.enps_distribution_figure(title=heading, subtitle=subtitle, rows=rows)
            summary_values = rows
            summary = sentences(
                _(
                    "Staplat liggande stapeldiagram: andel kritiker, passiva och ambassadörer "
                    "per grupp och år."
                ),
                _summary_text(summary_values, pct=True),
            )
        else:
            value_range = (0, 100)
            if code == ENPS:
                value_range = (-100, 100)
            figure = charts.comparison_figure(
                title=heading,
                subtitle=subtitle,
                labels=[label for _code, label in measures],
                series=_values_by_series(table, series, measures),
                value_range=value_range,
            )
            summary = sentences(
                _(
                    "Liggande stapeldiagram: %(measure)s för %(scope)s %(year)s, föregående år "
                    "och nivåerna ovanför."
                )
                % {"measure": heading.lower(), "scope": scope_label, "year": selection.year},
                _first_values(table, selection, pct=code == RESPONSE),
            )
        caption = _("%(heading)s: %(scope)s %(year)s, föregående år och nivåerna ovanför") % {
            "heading": heading,
            "scope": scope_label,
            "year": selection.year,
        }
        chart = SurveyChart(
            code=code,
            number=number,
            heading=heading,
            summary=sentences(summary, table_note()),
            figure=charts.to_json(figure),
            tables=[_page_table(caption, table, pct=code in (RESPONSE, ENPS_DISTRIBUTION))],
            note=note,
            file_stem=csv_filename(code, selection).removesuffix(".csv"),
            csv_url=reverse("survey:results_csv", args=[code]) + "?" + selection.query(),
        )
        built.append(chart)
    return built


def _first_values(table: pd.DataFrame, selection: Selection, *, pct: bool) -> str:
    mine = table[(table["group"] == selection.scope) & (table["year"] == selection.year)]
    parts = [
        f"{row.index_label} {_value_text(row.value, row.status, pct=pct)}"
        for row in mine.itertuples(index=False)
    ]
    return ("; ".join(parts) + ".") if parts else ""


def _summary_text(rows, *, pct: bool) -> str:
    if not rows:
        return ""
    label, promoters, passives, critics = rows[0]
    if promoters is None:
        return _("%(group)s: dold eller inga svar.") % {"group": label}
    return _(
        "%(group)s: ambassadörer %(promoters)s, passiva %(passives)s, kritiker %(critics)s."
    ) % {
        "group": label,
        "promoters": format_pct(promoters),
        "passives": format_pct(passives),
        "critics": format_pct(critics),
    }


def key_figures(data: SurveyData, selection: Selection) -> list[dict]:
    """Respondents, employees and response rate of the chosen group, this year and last."""
    figures = []
    for each in comparison(data, selection)[:2]:
        value, respondents, status = each.data.row(each.group, "response_rate")
        employees = each.data.employees.get(each.group)
        figures.append(
            {
                "label": each.label,
                "respondents": "" if status == results.HIDDEN else format_number(respondents),
                "employees": format_number(employees),
                "rate": _value_text(value, status, pct=True),
            }
        )
    return figures

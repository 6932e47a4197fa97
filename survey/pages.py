"""The survey page: from GET parameters and one SurveyData to charts and tables.

The page compares the chosen group with its parents (unit, department, area,
administration) and with its own previous survey year. Then, for one chosen
index (`index`: the response rate, HME, HSE, a psychosocial dimension, eNPS), the
groups side by side (the chosen group's subgroups, or the group among its
siblings: `Selection.parent`, `Selection.groups`) and the index question by
question (the questions published on their own, survey.questionnaires.Spec.items).
Every chart has a table behind it (`section_table`), which the page shows and the
CSV download returns, so the two never disagree; hidden values (anonymity) are
absent from both. `results_context` is the whole page for the view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.formatting import format_number, format_pct
from hyrdash.lib.page import (
    Chart,
    Column,
    Table,
    clean_param,
    make_table,
    sentences,
    table_note,
)

from . import about, access, charts, protection, results, selectors
from .metrics import ENPS as ENPS_CODE
from .metrics import RESPONSE_RATE
from .questionnaires import (
    SECTION_ENPS,
    SECTION_HME,
    SECTION_HSE,
    SECTION_PSYCHOSOCIAL,
    Spec,
)
from .selectors import SurveyData, YearData

YEAR = "ar"
SCOPE = "urval"
INDEX = "index"
INDEX_CODE = re.compile(r"^[a-z][a-z0-9_]*$")

RESPONSE = "svarsfrekvens"
HME = "hme"
HSE = "hse"
DIMENSIONS = "psykosocial"
THEMES = "psykosocial-teman"
ENPS = "enps"
ENPS_DISTRIBUTION = "enps-fordelning"
GROUPS = "index-per-grupp"  # the chosen index, the groups side by side
QUESTIONS = "index-per-fraga"  # the chosen index, question by question
CHART_CODES = [RESPONSE, HME, HSE, DIMENSIONS, THEMES, ENPS, ENPS_DISTRIBUTION, GROUPS, QUESTIONS]

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
QUESTION_CSV_COLUMNS = [
    "question",
    "question_label",
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
    index: str = ""  # the index per group and per question as asked ("": the default)
    parent: str = results.HSF  # the groups side by side: this group's subgroups
    groups: tuple[str, ...] = ()  # ... those the user may see, in the tree's order

    def params(self) -> dict[str, str]:
        params = {YEAR: str(self.year), SCOPE: self.scope}
        return params | ({INDEX: self.index} if self.index else {})

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
    # Checked against the year's questionnaire when the page is computed (chosen_index),
    # so that a page kept in the page cache is read without loading the year.
    index = clean_param(params.get(INDEX), 40).strip()
    if index and not INDEX_CODE.match(index):
        raise SelectionError(_("Indexet finns inte i undersökningen."))
    parent, groups = side_by_side(tree, scope, user)
    return Selection(year, scope, index, parent, tuple(groups))


def index_choices(spec: Spec) -> list[tuple[str, str]]:
    """The indices to see per group and per question: the response rate, HME, HSE, each
    psychosocial dimension and eNPS (those the year's questionnaire has)."""
    choices = [(RESPONSE_RATE, _("Svarsfrekvens"))]
    for code in ("hme", "hse"):
        choices += [(m.code, m.label) for m in spec.measures if m.code == code]
    choices += [
        (m.code, m.label)
        for m in spec.section(SECTION_PSYCHOSOCIAL)
        if not m.parent and m.kind == "index"
    ]
    choices += [(m.code, m.label) for m in spec.measures if m.kind == ENPS_CODE]
    return choices


def chosen_index(year: YearData, selection: Selection) -> str:
    """The index of charts 8 and 9: the one asked for, else HME (else the response rate).
    Raises SelectionError for an index the year's questionnaire does not have."""
    choices = dict(index_choices(year.spec))
    if not selection.index:
        return "hme" if "hme" in choices else RESPONSE_RATE
    if selection.index not in choices:
        raise SelectionError(_("Indexet finns inte i undersökningen."))
    return selection.index


def side_by_side(tree: results.Tree, scope: str, user) -> tuple[str, list[str]]:
    """The groups to compare side by side: the chosen group's subgroups (the areas of the
    administration, the departments of an area, the units of a department), or, when
    it has none the user may see, the group among its siblings."""
    kids = tree.children.get(scope, [])
    if kids and (scope == results.HSF or access.may_see(user, kids[0], tree)):
        return scope, list(kids)
    parent = tree.parent.get(scope, results.HSF)
    return parent, [k for k in tree.children.get(parent, []) if access.may_see(user, k, tree)]


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
    """The long table behind a chart: one row per measure and series (CSV_COLUMNS); for
    the chosen index per group one row per group, the parent first; question by
    question one row per question and series (QUESTION_CSV_COLUMNS)."""
    if code == GROUPS:
        return groups_table(data, selection)
    if code == QUESTIONS:
        return questions_table(data, selection)
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


def _row(data: YearData, group: str, measure: str) -> tuple[float, object, str]:
    """(value, respondents, status) with nothing of a hidden value."""
    value, respondents, status = data.row(group, measure)
    return (
        value if status == results.SHOWN else float("nan"),
        None if status == results.HIDDEN else respondents,
        status,
    )


def index_label(data: YearData, code: str) -> str:
    return dict(index_choices(data.spec)).get(code, code)


def groups_table(data: SurveyData, selection: Selection) -> pd.DataFrame:
    """The chosen index for the parent and each group side by side, this year (CSV_COLUMNS)."""
    year = data.year(selection.year)
    index = chosen_index(year, selection)
    label = index_label(year, index)
    rows = []
    for group in (selection.parent, *selection.groups):
        value, respondents, status = _row(year, group, index)
        rows.append(
            {
                "index": index,
                "index_label": label,
                "group": group,
                "group_label": year.tree.labels.get(group, group),
                "year": selection.year,
                "value": value,
                "respondents": respondents,
                "status": status,
            }
        )
    table = pd.DataFrame(rows, columns=CSV_COLUMNS)
    table["respondents"] = table["respondents"].astype("Int64")
    return table


def questions_table(data: SurveyData, selection: Selection) -> pd.DataFrame:
    """The chosen index's questions, each for every series of the comparison (the group
    this year and last year, its parents): QUESTION_CSV_COLUMNS. Empty for eNPS and
    the response rate (one question or none: the measure itself)."""
    series = comparison(data, selection)
    spec = series[0].data.spec
    labels = {m.code: m.label for m in spec.measures}
    rows = []
    answered = [
        item
        for item in spec.items_of(chosen_index(series[0].data, selection))
        if series[0].data.row(results.HSF, item.code)[2] != results.NONE
    ]
    for item in answered:  # a question nobody answered this year is left out
        for each in series:
            value, respondents, status = _row(each.data, each.group, item.code)
            rows.append(
                {
                    "question": item.code,
                    "question_label": item.label,
                    "index": item.parent,
                    "index_label": labels.get(item.parent, item.parent),
                    "group": each.group,
                    "group_label": each.data.tree.labels.get(each.group, each.group),
                    "year": each.year,
                    "value": value,
                    "respondents": respondents,
                    "status": status,
                }
            )
    table = pd.DataFrame(rows, columns=QUESTION_CSV_COLUMNS)
    table["respondents"] = table["respondents"].astype("Int64")
    return table


def csv_filename(code: str, selection: Selection) -> str:
    scope = slugify(selection.scope.replace(":", "-")) or "hsf"
    if code in (GROUPS, QUESTIONS):
        code = f"{code}-{slugify(selection.index)}" if selection.index else code
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
    labels = [[row.index_label, row.group_label] for row in table.itertuples(index=False)]
    return _values_table(caption, columns, table, labels, pct=pct)


def _values_table(caption: str, columns, table: pd.DataFrame, labels, *, pct: bool = False):
    """The rows of `table` (its year, value and respondents after each row's `labels`),
    a hidden value's respondents withheld with it."""
    records = [
        [
            *first,
            str(row.year),
            _value_text(row.value, row.status, pct=pct),
            "" if row.status == results.HIDDEN else format_number(row.respondents),
        ]
        for first, row in zip(labels, table.itertuples(index=False), strict=True)
    ]
    return make_table(caption, columns, records)


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
    for code in CHART_CODES[: CHART_CODES.index(GROUPS)]:
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
                pct=code == RESPONSE,
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
    built.append(_groups_chart(data, selection, note))
    questions = _questions_chart(data, selection, note)
    if questions is not None:
        built.append(questions)
    return built


def _groups_heading(data: SurveyData, selection: Selection) -> str:
    tree = data.tree(selection.year)
    what = {
        "index": index_label(
            data.year(selection.year), chosen_index(data.year(selection.year), selection)
        ),
        "parent": tree.labels.get(selection.parent, selection.parent),
    }
    kind = (selection.groups[0] if selection.groups else "").partition(":")[0]
    if kind == "department":
        return _("%(index)s per verksamhet i %(parent)s") % what
    if kind == "unit":
        return _("%(index)s per enhet i %(parent)s") % what
    return _("%(index)s per område") % what


def _groups_chart(data: SurveyData, selection: Selection, note: str) -> SurveyChart:
    """Chart 8: the chosen index for the groups side by side, their parent first."""
    year = data.year(selection.year)
    table = groups_table(data, selection)
    heading = _groups_heading(data, selection)
    index = chosen_index(year, selection)
    pct = index == RESPONSE_RATE
    keys = list(table["group"])
    values = [None if pd.isna(v) else float(v) for v in table["value"]]
    figure = charts.groups_figure(
        title=heading,
        subtitle=_("%(year)s, överst %(parent)s som jämförelse")
        % {"year": selection.year, "parent": year.tree.labels.get(selection.parent, "")},
        name=f"{index_label(year, index)} {selection.year}",
        labels=list(table["group_label"]),
        values=values,
        chosen=keys.index(selection.scope) if selection.scope in keys[1:] else None,
        value_range=(-100, 100) if index == ENPS_CODE else (0, 100),
        pct=pct,
    )
    shown = [
        f"{row.group_label} {_value_text(row.value, row.status, pct=pct)}"
        for row in table.itertuples(index=False)
    ]
    summary = sentences(
        _("Liggande stapeldiagram: %(heading)s %(year)s.")
        % {"heading": heading, "year": selection.year},
        "; ".join(shown) + ".",
    )
    caption = _("%(heading)s %(year)s") % {"heading": heading, "year": selection.year}
    return SurveyChart(
        code=GROUPS,
        number="8",
        heading=heading,
        summary=sentences(summary, table_note()),
        figure=charts.to_json(figure),
        tables=[_page_table(caption, table, pct=pct)],
        note=note,
        file_stem=csv_filename(GROUPS, selection).removesuffix(".csv"),
        csv_url=reverse("survey:results_csv", args=[GROUPS]) + "?" + selection.query(),
    )


def _questions_chart(data: SurveyData, selection: Selection, note: str) -> SurveyChart | None:
    """Chart 9: the chosen index question by question (None for eNPS and the response
    rate), the group this year and last year and its parents, as the charts above."""
    table = questions_table(data, selection)
    if table.empty:
        return None
    series = comparison(data, selection)
    scope_label = data.tree(selection.year).labels.get(selection.scope, selection.scope)
    heading = _("%(index)s fråga för fråga") % {
        "index": index_label(series[0].data, chosen_index(series[0].data, selection))
    }
    questions = list(dict.fromkeys(zip(table["question"], table["question_label"], strict=True)))
    by_series = []
    for each in series:
        part = table[(table["group"] == each.group) & (table["year"] == each.year)]
        value_of = dict(zip(part["question"], part["value"], strict=True))
        by_series.append(
            (
                each.label,
                [None if pd.isna(value_of.get(q)) else float(value_of[q]) for q, _l in questions],
            )
        )
    figure = charts.comparison_figure(
        title=heading,
        subtitle=_("%(scope)s %(year)s jämfört med föregående år och uppåt i organisationen")
        % {"scope": scope_label, "year": selection.year},
        labels=[label for _q, label in questions],
        series=by_series,
        label=lambda text: charts.wrap(text, 40, lines_at_most=6),
    )
    mine = table[(table["group"] == selection.scope) & (table["year"] == selection.year)]
    summary = sentences(
        _(
            "Liggande stapeldiagram: medelvärdet 0–100 för varje fråga i %(index)s, för "
            "%(scope)s %(year)s, föregående år och nivåerna ovanför."
        )
        % {"index": heading, "scope": scope_label, "year": selection.year},
        "; ".join(
            f"{row.question_label} {_value_text(row.value, row.status)}"
            for row in mine.itertuples(index=False)
        )
        + ".",
    )
    caption = _("%(heading)s: %(scope)s %(year)s, föregående år och nivåerna ovanför") % {
        "heading": heading,
        "scope": scope_label,
        "year": selection.year,
    }
    return SurveyChart(
        code=QUESTIONS,
        number="9",
        heading=heading,
        summary=sentences(summary, table_note()),
        figure=charts.to_json(figure),
        tables=[_question_page_table(caption, table)],
        note=note,
        file_stem=csv_filename(QUESTIONS, selection).removesuffix(".csv"),
        csv_url=reverse("survey:results_csv", args=[QUESTIONS]) + "?" + selection.query(),
    )


def _question_page_table(caption: str, table: pd.DataFrame) -> Table:
    columns = [
        Column(_("Fråga"), header=True),
        Column(_("Del av")),
        Column(_("Grupp")),
        Column(_("År"), "numtext"),
        Column(_("Värde"), "numtext"),
        Column(_("Svarande"), "numtext"),
    ]
    labels = [
        [row.question_label, row.index_label, row.group_label]
        for row in table.itertuples(index=False)
    ]
    return _values_table(caption, columns, table, labels)


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


def computed(data: SurveyData, selection: Selection) -> dict:
    """What the survey page computes for a selection (the view keeps it in the page
    cache under `cache_parts`): the charts with their "Om måttet" panels (survey.about:
    the imports they name are read here, under the data version an import raises), key
    figures and the indices to choose from."""
    year = data.year(selection.year)
    index = chosen_index(year, selection)
    built = build_charts(data, selection)
    population = selectors.population_batch(selection.year)
    kinds = {m.code: m.kind for m in year.spec.measures} | {RESPONSE_RATE: RESPONSE_RATE}
    for chart in built:
        chart.about = about.about_panel(
            chart.code,
            year=selection.year,
            threshold=year.threshold,
            answers=year.batch,
            population=population,
            index=index,
            index_label=index_label(year, index),
            index_kind=kinds.get(index, "index"),
        )
    return {
        "scope_label": year.tree.labels.get(selection.scope, selection.scope),
        "index_choices": index_choices(year.spec),
        "index": index,
        "figures": key_figures(data, selection),
        "charts": built,
        "threshold": year.threshold,
    }


def cache_parts(selection: Selection) -> tuple:
    """Everything of a selection a page or CSV computed from it depends on, the groups
    side by side (the user's areas decide them) included, and the rule of what is
    hidden (survey.protection.VERSION)."""
    return (
        protection.VERSION,
        selection.year,
        selection.scope,
        selection.index,
        selection.parent,
        list(selection.groups),
    )

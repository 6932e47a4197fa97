"""The survey's slides in the steering pack (kpis.pack), registered from survey.apps.

When the pack's month's year has a survey: the response rate, HME, HSE and eNPS of the
pack's scope this year and the year before, and of the levels above it, each a chart.
The values are `export_kpi survey`'s (survey.exports: the same loader and table), so a
value hidden by the disclosure decisions kept on the year's answers batch
(survey.protection, survey.selectors.hidden_values) is absent here too: no bar, and
nothing in the chart's workbook. Each year is read with its own organisation (stored with
its answers), as on the survey page.
"""

from __future__ import annotations

import math

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrdash.lib.deck import ONE_DECIMAL, ChartSlide, ChartSpec, Series, number_format
from hyrdash.lib.formatting import format_number, format_pct

from . import access, exports, results
from .metrics import ENPS, RESPONSE_RATE
from .models import SurveyBatch
from .pages import ENPS as ENPS_CHART
from .pages import HME, HSE, RESPONSE
from .questionnaires import SECTION_HME, SECTION_HSE
from .selectors import SurveyData


class Group:
    """One bar of every measure: a group in a year, with its export table."""

    def __init__(self, data: SurveyData, key: str, year: int):
        self.key, self.year = key, year
        self.label = f"{data.tree(year).labels.get(key, key)} {year}"
        table = exports.build(data, scope=key, year=year)
        self.rows = table.set_index("index")

    def value(self, code: str) -> float | None:
        if code not in self.rows.index:
            return None
        value = self.rows.at[code, "value"]
        return None if pd.isna(value) else round(float(value), 2)

    def respondents(self, code: str) -> int | None:
        if code not in self.rows.index or pd.isna(self.rows.at[code, "respondents"]):
            return None
        return int(self.rows.at[code, "respondents"])


def _groups(data: SurveyData, scope: str, year: int) -> list[Group]:
    """The scope this year and the year before, then its parents this year (the page's
    comparison upward in the organisation), each year in its own organisation: the year
    before only when the scope was a group of that year's."""
    groups = [Group(data, scope, year)]
    previous = data.previous(year)
    if previous is not None and _exists(data, scope, previous):
        groups.append(Group(data, scope, previous))
    groups += [Group(data, parent, year) for parent in data.tree(year).ancestors(scope)]
    return groups


def _exists(data: SurveyData, scope: str, year: int) -> bool:
    return scope == results.HSF or scope in data.tree(year).parent


def _value_text(value: float | None, *, pct: bool = False) -> str:
    if value is None:
        return _("visas inte")
    return format_pct(value, 1) if pct else format_number(value, 1)


def _title(text: str, data: SurveyData, scope: str, year: int) -> str:
    return _("Medarbetarundersökning %(year)s: %(what)s – %(scope)s") % {
        "year": year,
        "what": text,
        "scope": data.tree(year).labels.get(scope, scope),
    }


def _note(threshold: int) -> str:
    return _(
        "Inget värde visas för en grupp med färre än %(threshold)s svarande, eller när det "
        "kan räknas fram ur andra visade värden."
    ) % {"threshold": threshold}


def _response_slide(data, groups, scope, year, comment) -> ChartSlide:
    first = groups[0]
    employees = data.year(year).employees.get(scope)
    headline = _(
        "Antal svar: %(respondents)s | Antal medarbetare: %(employees)s | Svarsfrekvens: %(rate)s"
    ) % {
        "respondents": format_number(first.respondents(RESPONSE_RATE)),
        "employees": format_number(
            None if employees is None or math.isnan(employees) else employees
        ),
        "rate": _value_text(first.value(RESPONSE_RATE), pct=True),
    }
    chart = ChartSpec(
        "bar_horizontal",
        [g.label for g in groups],
        [Series(_("Svarsfrekvens"), [g.value(RESPONSE_RATE) for g in groups])],
        number_format=number_format(1, " %"),
        axis_number_format=number_format(0, " %"),
        unit_label="%",
    )
    return ChartSlide(
        _title(_("svarsfrekvens"), data, scope, year),
        headline,
        chart,
        comment=comment(RESPONSE),
        note=_note(data.year(year).threshold),
    )


def _index_slide(data, groups, scope, year, comment, *, code, measures, what) -> ChartSlide:
    """An index and its parts (measures: [(code, label)]) for every group (0-100)."""
    first, earlier = groups[0], (groups[1] if len(groups) > 1 and groups[1].key == scope else None)
    headline = f"{measures[0][1]} {first.label}: {_value_text(first.value(measures[0][0]))}"
    if earlier is not None:
        headline += f" ({earlier.year}: {_value_text(earlier.value(measures[0][0]))})"
    chart = ChartSpec(
        "clustered_bar",
        [label for _code, label in measures],
        [Series(g.label, [g.value(c) for c, _label in measures]) for g in groups],
        number_format=ONE_DECIMAL,
        axis_number_format=number_format(0),
        unit_label=_("Index 0–100"),
    )
    notes = [_note(data.year(year).threshold)]
    long_labels = [
        m for m in data.year(year).spec.section(SECTION_HSE) if m.code.startswith("hse_")
    ]
    if code == HSE and long_labels:
        notes = [m.label.rstrip(".") + "." for m in long_labels] + notes
    return ChartSlide(
        _title(what, data, scope, year),
        headline,
        chart,
        comment=comment(code),
        note=" ".join(notes),
    )


def _enps_slide(data, groups, scope, year, comment) -> ChartSlide:
    first = groups[0]
    headline = _(
        "eNPS %(group)s: %(enps)s (kritiker %(critics)s, passiva %(passives)s, "
        "ambassadörer %(promoters)s)"
    ) % {
        "group": first.label,
        "enps": _value_text(first.value(ENPS)),
        "critics": _value_text(first.value("enps_critics_pct"), pct=True),
        "passives": _value_text(first.value("enps_passives_pct"), pct=True),
        "promoters": _value_text(first.value("enps_promoters_pct"), pct=True),
    }
    chart = ChartSpec(
        "bar_horizontal",
        [g.label for g in groups],
        [Series("eNPS", [g.value(ENPS) for g in groups])],
        number_format=ONE_DECIMAL,
        axis_number_format=number_format(0),
        value_axis_min=None,
    )
    note = _("eNPS = andelen ambassadörer (9–10) minus andelen kritiker (0–6), −100 till 100.")
    return ChartSlide(
        _title(_("rekommendation (eNPS)"), data, scope, year),
        headline,
        chart,
        comment=comment(ENPS_CHART),
        note=f"{note} {_note(data.year(year).threshold)}",
    )


def _provenance(data: SurveyData, year: int) -> list[tuple[str, str]]:
    rows = []
    batches = SurveyBatch.objects.filter(year=year, is_current=True).select_related("created_by")
    for batch in batches.order_by("kind", "id"):
        who = batch.created_by.get_username() if batch.created_by else "–"
        rows.append(
            (
                _("Medarbetarundersökning %(year)s, %(kind)s")
                % {"year": year, "kind": batch.get_kind_display().lower()},
                f"{batch.file_name} · {who} · "
                f"{timezone.localtime(batch.created_at):%Y-%m-%d %H:%M} · "
                f"SHA-256 {batch.checksum[:12]}",
            )
        )
    rows.append(
        (_("Medarbetarundersökning: minsta antal svarande"), str(data.year(year).threshold))
    )
    return rows


def pack_section(*, scope: str, month: pd.Period, comment, user=None):
    """(slides, provenance rows) of the survey for the pack of `scope` and `month`."""
    year = month.year
    label = _("Medarbetarundersökning")
    if user is not None and not user.has_perm(access.VIEW):
        return [], []
    if not (scope == results.HSF or scope.startswith("area:")):
        return [], [(label, _("redovisas inte per vårdtyp"))]
    data = exports.load()
    if year not in data.years:
        return [], [(label, _("ingen för %(year)s") % {"year": year})]
    if not _exists(data, scope, year):  # an area without units in the year's organisation
        return [], [(label, _("inga enheter i urvalet"))]
    groups = _groups(data, scope, year)
    spec = data.year(year).spec
    hme = [(m.code, m.label) for m in spec.section(SECTION_HME)]
    hse = [
        (m.code, m.label if m.code == "hse" else _("Fråga %(number)s") % {"number": m.code[4:]})
        for m in spec.section(SECTION_HSE)
    ]
    found = [_response_slide(data, groups, scope, year, comment)]
    if hme:
        found.append(
            _index_slide(data, groups, scope, year, comment, code=HME, measures=hme, what="HME")
        )
    if hse:
        found.append(
            _index_slide(data, groups, scope, year, comment, code=HSE, measures=hse, what="HSE")
        )
    if any(m.code == ENPS for m in spec.measures):
        found.append(_enps_slide(data, groups, scope, year, comment))
    return found, _provenance(data, year)

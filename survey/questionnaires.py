"""A questionnaire as plain data: its questions and the measures they make up.

`spec_for(questionnaire)` reads a Questionnaire once; parsing, importing, the
pages and the export work from the resulting `Spec`, never from the ORM.
Measure codes are the export's index codes (README, "Employee survey").

Besides its measures a Spec has its items: each question of an index (HME, HSE's
nine, the psychosocial themes') as a measure of kind "question", its code the
question's own (upper case, so never an index code), its parent the index it is
a question of (a sub-index, HSE, a theme). Items are stored and protected with the
measures (`all_measures`) but are not export codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .metrics import ENPS, QUESTION, RESPONSE_RATE, Measure
from .models import Question, Questionnaire

SECTION_RESPONSE = "response"
SECTION_HME = "hme"
SECTION_HSE = "hse"
SECTION_PSYCHOSOCIAL = "psykosocial"
SECTION_ENPS = "enps"

SUB_INDEX_LABELS = dict(Question.SubIndex.choices)


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: str
    scale: str  # "1-5" or "0-10"
    reversed: bool = False

    @property
    def bounds(self) -> tuple[int, int]:
        return (0, 10) if self.scale == Question.Scale.ZERO_TO_TEN else (1, 5)


@dataclass(frozen=True)
class Spec:
    year: int
    questions: dict[str, QuestionSpec]
    measures: list[Measure] = field(default_factory=list)
    items: list[Measure] = field(default_factory=list)  # the indices' questions

    @property
    def all_measures(self) -> list[Measure]:
        """The measures and the items: everything stored, protected and published."""
        return [*self.measures, *self.items]

    def items_of(self, code: str) -> list[Measure]:
        """The questions of a measure as items, in its order (none for eNPS and the
        response rate, whose one question or none is the measure itself)."""
        measure = next((m for m in self.measures if m.code == code), None)
        if measure is None or measure.kind != "index":
            return []
        by_code = {item.code: item for item in self.items}
        return [by_code[q] for q in measure.questions if q in by_code]

    @property
    def reversed_codes(self) -> set[str]:
        return {code for code, q in self.questions.items() if q.reversed}

    def measure(self, code: str) -> Measure:
        return next(m for m in self.measures if m.code == code)

    def section(self, name: str) -> list[Measure]:
        return [m for m in self.measures if m.section == name]

    def export_codes(self) -> list[str]:
        """Every index code of the export, in order (eNPS followed by its three shares)."""
        codes = []
        for measure in self.measures:
            codes.append(measure.code)
            if measure.code == ENPS:
                codes += ["enps_promoters_pct", "enps_passives_pct", "enps_critics_pct"]
        return codes


def spec_for(questionnaire: Questionnaire) -> Spec:  # noqa: C901 (one pass over the questions, one branch per index kind)
    questions = list(
        questionnaire.questions.select_related("theme__dimension").order_by("order", "code")
    )
    by_index: dict[str, list[Question]] = {}
    for question in questions:
        by_index.setdefault(question.index, []).append(question)

    def codes(items) -> tuple[str, ...]:
        return tuple(q.code for q in items)

    # Labels in the active language (a Spec is built per page, not cached).
    measures = [Measure(RESPONSE_RATE, _("Svarsfrekvens"), RESPONSE_RATE, section=SECTION_RESPONSE)]
    hme = by_index.get(Question.Index.HME, [])
    if hme:
        measures.append(Measure("hme", _("HME totalt"), "index", codes(hme), SECTION_HME))
        for sub in Question.SubIndex:
            items = [q for q in hme if q.sub_index == sub]
            if items:
                measures.append(
                    Measure(
                        f"hme_{sub.value}",
                        str(sub.label),
                        "index",
                        codes(items),
                        SECTION_HME,
                        "hme",
                    )
                )
    hse = by_index.get(Question.Index.HSE, [])
    if hse:
        measures.append(Measure("hse", _("HSE-index"), "index", codes(hse), SECTION_HSE))
    for question in by_index.get(Question.Index.HSE_OUTCOME, []):
        number = question.code.rsplit("_", 1)[-1]
        label = (
            _("Fråga %(number)s: %(text)s") % {"number": number, "text": question.text}
            if number.isdigit()
            else question.text
        )
        measures.append(
            Measure(question.code.lower(), label, "index", (question.code,), SECTION_HSE)
        )
    enps = by_index.get(Question.Index.ENPS, [])
    if enps:
        measures.append(Measure(ENPS, "eNPS", ENPS, codes(enps[:1]), SECTION_ENPS))
    dimensions: dict[int, tuple] = {}
    for question in by_index.get(Question.Index.PSYCHOSOCIAL, []):
        theme = question.theme
        dimension = theme.dimension
        entry = dimensions.setdefault(dimension.id, (dimension, {}))
        entry[1].setdefault(theme.id, (theme, []))[1].append(question)
    for dimension, themes in sorted(
        dimensions.values(), key=lambda item: (item[0].order, item[0].code)
    ):
        all_questions = [q for _theme, items in themes.values() for q in items]
        measures.append(
            Measure(
                dimension.code, dimension.name, "index", codes(all_questions), SECTION_PSYCHOSOCIAL
            )
        )
        for theme, items in sorted(themes.values(), key=lambda item: (item[0].order, item[0].code)):
            measures.append(
                Measure(
                    theme.code,
                    theme.name,
                    "index",
                    codes(items),
                    SECTION_PSYCHOSOCIAL,
                    dimension.code,
                )
            )
    return Spec(
        year=questionnaire.year,
        questions={q.code: QuestionSpec(q.code, q.text, q.scale, q.reversed) for q in questions},
        measures=measures,
        items=_items(questions),
    )


def _items(questions: list[Question]) -> list[Measure]:
    """Each question of an index as a measure of its own, its parent the index it is
    a question of: an HME sub-index (HME without one), HSE, a psychosocial theme."""
    items = []
    for question in questions:
        if question.index == Question.Index.HME:
            parent = f"hme_{question.sub_index}" if question.sub_index else "hme"
            section = SECTION_HME
        elif question.index == Question.Index.HSE:
            parent, section = "hse", SECTION_HSE
        elif question.index == Question.Index.PSYCHOSOCIAL and question.theme is not None:
            parent, section = question.theme.code, SECTION_PSYCHOSOCIAL
        else:
            continue
        items.append(
            Measure(question.code, question.text, QUESTION, (question.code,), section, parent)
        )
    return items

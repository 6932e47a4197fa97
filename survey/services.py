"""Writes: importing a year's answers or employee counts, undoing an import, rebuilding.

As in kpis.services: the whole file is checked first (survey.extracts), then
written once in one transaction. Each upload is a SurveyBatch; the newest
batch of a year and kind that is not undone is the current one, so a new
upload replaces the year and undoing it brings the previous upload back. An
answers batch stores the organisation as it is at the import: the year's
results are always computed with it.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field

import pandas as pd
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.coverage import Coverage, PartialFileError, period_coverage, warning_lines
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.uploads import checksum, mark_undone
from kpis.models import Unit

from . import metrics, protection, selectors
from .extracts import parse_answers, parse_population
from .models import Population, Questionnaire, SurveyBatch, SurveyYear, UnitResult
from .questionnaires import Spec, spec_for
from .selectors import organisation_records

FIRST_YEAR, LAST_YEAR = 2000, 2200


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("”%(year)s” är inget årtal.") % {"year": year}) from exc
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(
            _("Året %(year)s ligger utanför %(first)s–%(last)s.")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def current_batch(*, year: int, kind: str) -> SurveyBatch | None:
    return SurveyBatch.objects.filter(year=year, kind=kind, is_current=True).first()


def _identical(*, year: int, kind: str, digest: str) -> SurveyBatch | None:
    batch = current_batch(year=year, kind=kind)
    return batch if batch is not None and batch.checksum == digest else None


# --- answers ----------------------------------------------------------------------------


@dataclass
class AnswersCheck:
    """A checked answers file, not yet written."""

    year: int
    checksum: str
    questionnaire: Questionnaire
    spec: Spec
    answers: pd.DataFrame  # respondents x question codes present in the file (float, NaN)
    respondent_ids: pd.Series
    unit_ids: pd.Series  # kpis.Unit ids, same index
    sums: pd.DataFrame  # unit (id), measure, metrics.SUM_COLUMNS
    missing: list[str] = field(default_factory=list)  # question codes absent from the file
    identical_to: SurveyBatch | None = None

    @property
    def row_count(self) -> int:
        return len(self.answers)

    def coverage(self) -> Coverage:
        """The file against the year's answers in use: units with respondents now that the
        file lacks, and the respondents (hyrdash.lib.coverage). A year with no answers
        yet is compared with the latest earlier year that has some."""
        stored = _compared_batch(year=self.year, kind=SurveyBatch.Kind.ANSWERS)
        per_unit = {}
        if stored is not None:
            per_unit = dict(
                stored.results.filter(measure=metrics.RESPONSE_RATE).values_list(
                    "unit_id", "respondents"
                )
            )
        return _year_coverage(
            year=self.year,
            stored=per_unit,
            file_units=set(self.unit_ids),
            figure="respondents",
            new=self.row_count,
            compared_with=stored.year if stored is not None else None,
        )

    def summary(self) -> dict:
        """What the confirmation page and the command print (counts only, no answers),
        with the coverage against the year in use."""
        coverage = self.coverage()
        stored = current_batch(year=self.year, kind=SurveyBatch.Kind.ANSWERS)
        areas = Unit.objects.filter(id__in=self.unit_ids.unique().tolist()).values_list(
            "id", "department__area__name"
        )
        area_of = dict(areas)
        per_area = self.unit_ids.map(area_of).value_counts().sort_index()
        return {
            "year": self.year,
            "questionnaire_year": self.questionnaire.year,
            "respondents": self.row_count,
            "units": int(self.unit_ids.nunique()),
            "questions": len(self.answers.columns),
            "missing": self.missing,
            "per_area": [[str(area), int(count)] for area, count in per_area.items()],
            "stored_respondents": stored.row_count if stored else None,
            "coverage": coverage.as_dict(),
            "partial": coverage.partial,
        }


def questionnaire_for(year: int) -> Questionnaire:
    questionnaire = Questionnaire.for_year(year)
    if questionnaire is None:
        raise ServiceError(
            _(
                "Det finns ingen enkät att läsa svaren mot; lägg in en under Enkäter i "
                "administrationen."
            )
        )
    return questionnaire


def answers_check(*, data: bytes, year: int) -> AnswersCheck:
    """Parse and check an answers file against the year's questionnaire and the units."""
    year = check_year(year)
    questionnaire = questionnaire_for(year)
    spec = spec_for(questionnaire)
    units = dict(Unit.objects.values_list("ansvar", "id"))
    answers, respondent_ids, ansvar = parse_answers(
        data, questions=spec.questions, units=units.keys(), year=year
    )
    unit_ids = ansvar.map(units).astype("int64")
    sums = metrics.unit_sums(answers, unit_ids, spec.all_measures, spec.reversed_codes)
    digest = checksum(data)
    return AnswersCheck(
        year=year,
        checksum=digest,
        questionnaire=questionnaire,
        spec=spec,
        answers=answers,
        respondent_ids=respondent_ids,
        unit_ids=unit_ids,
        sums=sums,
        missing=[code for code in spec.questions if code not in answers.columns],
        identical_to=_identical(year=year, kind=SurveyBatch.Kind.ANSWERS, digest=digest),
    )


def answers_import(
    *,
    data: bytes,
    file_name: str,
    year: int,
    user=None,
    check: AnswersCheck | None = None,
    replace_year: bool = False,
) -> tuple[SurveyBatch | None, AnswersCheck]:
    """Import a year's answers; they replace the year's current answers. A file that
    covers clearly less than the answers in use (hyrdash.lib.coverage) replaces them only
    with `replace_year`, else it is refused with PartialFileError, its warning.

    Returns (batch, check); batch is None when the file is the one in use already.
    """
    check = check or answers_check(data=data, year=year)

    def store(batch: SurveyBatch) -> None:
        _store_answers(batch, check)
        _insert_results(batch, check.sums)

    return _year_import(
        check,
        kind=SurveyBatch.Kind.ANSWERS,
        file_name=file_name,
        user=user,
        replace_year=replace_year,
        store=store,
        after=lambda batch: protection_store(batch=batch),
        questionnaire=check.questionnaire,
        # The year's tree, as it is now: later re-organisations do not move it.
        organisation=organisation_records(),
    )


def _year_import(
    check, *, kind: str, file_name: str, user, replace_year: bool, store, after=None, **fields
):
    """What both survey imports do around their own rows: nothing for a file identical to
    the one in use, a partial file refused unless told to replace the year; then, in one
    transaction, the year, the batch (`fields` the kind's own), `store(batch)` its rows,
    the year's current batch, and `after(batch)`. Returns (batch or None, check)."""
    if check.identical_to is not None:
        return None, check
    _refuse_partial(check, replace_year)
    with transaction.atomic():
        SurveyYear.objects.get_or_create(year=check.year)
        batch = SurveyBatch.objects.create(
            year=check.year,
            kind=kind,
            file_name=file_name[:255],
            checksum=check.checksum,
            row_count=check.row_count,
            created_by=user,
            **fields,
        )
        store(batch)
        _refresh_current(year=check.year, kind=kind)
        if after is not None:
            after(batch)
    batch.refresh_from_db(fields=["is_current"])
    return batch, check


def _compared_batch(*, year: int, kind: str) -> SurveyBatch | None:
    """What a file of `year` is compared with: the year's batch in use, or for a year with
    none the latest earlier year's (hyrdash.lib.coverage: a new period is judged against
    the nearest earlier one with data); None when there is neither."""
    return (
        SurveyBatch.objects.filter(kind=kind, is_current=True, year__lte=year)
        .order_by("-year")
        .first()
    )


def _year_coverage(
    *,
    year: int,
    stored: dict[int, int],
    file_units: set,
    figure: str,
    new: int,
    compared_with: int | None = None,
) -> Coverage:
    """A survey year's file against the year in use: `stored` is its count per unit
    (respondents, employees), `new` the file's total of the same. `compared_with` is the
    year `stored` is of (an earlier year when `year` has nothing stored)."""
    missing = set(stored) - set(file_units)
    labels = {
        unit_id: f"{ansvar} {name}"
        for unit_id, ansvar, name in Unit.objects.filter(id__in=missing).values_list(
            "id", "ansvar", "name"
        )
    }
    return period_coverage(
        period=str(year),
        stored_units=set(stored),
        file_units=file_units,
        unit_labels=labels,
        stored={figure: float(sum(stored.values()))},
        new={figure: float(new)},
        figures=[figure],
        compared_with=str(compared_with) if compared_with not in (None, year) else "",
    )


def survey_figure_labels() -> dict:
    """The survey's figures as a partial file's warning names them."""
    return {
        "respondents": (gettext_lazy("Svarande"), 0),
        "employees": (gettext_lazy("Medarbetare"), 0),
    }


def _refuse_partial(check, replace_year: bool) -> None:
    """A partial file replaces the year only when the uploader says so."""
    coverage = check.coverage()
    if coverage.partial and not replace_year:
        raise PartialFileError(
            warning_lines([coverage], survey_figure_labels()),
            new_periods_only=bool(coverage.compared_with),
        )


def _store_answers(batch: SurveyBatch, check: AnswersCheck) -> None:
    """The answers as gzip CSV on the batch: one row per respondent, blanks empty."""
    frame = check.answers.astype("Int64")
    frame.insert(0, "unit", check.unit_ids.to_numpy())
    frame.insert(0, "RespondentID", check.respondent_ids.to_numpy())
    text = frame.to_csv(index=False, lineterminator="\n")
    batch.answers = gzip.compress(text.encode("utf-8"), compresslevel=6)
    batch.save(update_fields=["answers"])


def stored_answers(batch: SurveyBatch) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(answers, respondent ids, unit ids) as imported into an answers batch."""
    frame = pd.read_csv(
        io.BytesIO(gzip.decompress(bytes(batch.answers))),
        dtype={"RespondentID": "str", "unit": "int64"},
        keep_default_na=False,
        na_values=[""],
    )
    answers = frame.drop(columns=["RespondentID", "unit"]).astype("float64")
    return answers, frame["RespondentID"], frame["unit"]


UNIT_RESULT_COLUMNS = ["batch_id", "unit_id", "measure", *metrics.SUM_COLUMNS]


def _insert_results(batch: SurveyBatch, sums: pd.DataFrame) -> None:
    """The unit sums in one statement (Django's bulk_create spent seconds building objects)."""
    records = [
        (batch.id, int(unit), measure, int(r), int(a), float(score), int(p), int(pa), int(c))
        for unit, measure, r, a, score, p, pa, c in sums[
            ["unit", "measure", *metrics.SUM_COLUMNS]
        ].itertuples(index=False, name=None)
    ]
    table = UnitResult._meta.db_table
    columns = ", ".join(UNIT_RESULT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s", records, page_size=5000
            )
        else:
            placeholders = ", ".join(["%s"] * len(UNIT_RESULT_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", records)


def results_rebuild(*, batch: SurveyBatch) -> None:
    """Recompute an answers batch's sums from its stored answers with its questionnaire as it
    is now (after a question's index, theme or direction was changed in the admin)."""
    spec = spec_for(batch.questionnaire)
    answers, _ids, units = stored_answers(batch)
    with transaction.atomic():
        batch.results.all().delete()
        sums = metrics.unit_sums(answers, units, spec.all_measures, spec.reversed_codes)
        _insert_results(batch, sums)
        protection_store(batch=batch)


def protection_store(*, batch: SurveyBatch) -> set:
    """Decide which values of an answers batch are hidden, with its year's threshold as it
    is now, and keep the decisions on the batch (survey.selectors.hidden_values): the
    import, a rebuild and a new threshold pay for the disclosure audit, not the page.
    A year in which a hidden value could be worked out whatever is withheld
    (protection.StillExposedError) is refused: ServiceError, and the caller's
    transaction saves nothing."""
    spec = spec_for(batch.questionnaire)
    try:
        return selectors.hidden_values(
            batch,
            tree=selectors.tree_of_batch(batch),
            spec=spec,
            sums=selectors.unit_sums(batch),
            threshold=selectors.threshold_for(batch.year),
        )
    except protection.StillExposedError as exc:
        labels = {m.code: str(m.label) for m in spec.all_measures}
        trees = [labels.get(name.rpartition(":")[2], name) for name in exc.trees]
        raise ServiceError(
            _(
                "Enkätresultaten för %(year)s kan inte publiceras: i %(trees)s (med delindex "
                "och frågor) skulle ett dolt värde gå att räkna fram också om allt utom "
                "förvaltningens värden döljs. Inget har sparats."
            )
            % {"year": batch.year, "trees": ", ".join(trees)}
        ) from exc


def year_protection_store(*, year: int) -> None:
    """protection_store for the year's current answers (after its threshold changed)."""
    batch = current_batch(year=year, kind=SurveyBatch.Kind.ANSWERS)
    if batch is not None:
        protection_store(batch=batch)


def questionnaire_results_rebuild(*, questionnaire: Questionnaire) -> int:
    """Rebuild every answers batch read with this questionnaire; returns how many."""
    batches = SurveyBatch.objects.filter(
        kind=SurveyBatch.Kind.ANSWERS, questionnaire=questionnaire
    ).select_related("questionnaire")
    count = 0
    for batch in batches:
        results_rebuild(batch=batch)
        count += 1
    return count


# --- employee counts ------------------------------------------------------------------


@dataclass
class PopulationCheck:
    year: int
    checksum: str
    rows: pd.DataFrame  # unit (id), employees
    identical_to: SurveyBatch | None = None

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def coverage(self) -> Coverage:
        """The file against the year's employee counts in use, or a new year's against
        the latest earlier year's (hyrdash.lib.coverage)."""
        stored = _compared_batch(year=self.year, kind=SurveyBatch.Kind.POPULATION)
        per_unit = {}
        if stored is not None:
            per_unit = dict(stored.population.values_list("unit_id", "employees"))
        return _year_coverage(
            year=self.year,
            stored=per_unit,
            file_units=set(self.rows["unit"]),
            figure="employees",
            new=int(self.rows["employees"].sum()),
            compared_with=stored.year if stored is not None else None,
        )

    def summary(self) -> dict:
        coverage = self.coverage()
        stored = current_batch(year=self.year, kind=SurveyBatch.Kind.POPULATION)
        stored_total = None
        if stored is not None:
            stored_total = sum(stored.population.values_list("employees", flat=True))
        return {
            "year": self.year,
            "units": self.row_count,
            "employees": int(self.rows["employees"].sum()),
            "stored_employees": stored_total,
            "coverage": coverage.as_dict(),
            "partial": coverage.partial,
        }


def population_check(*, data: bytes, year: int) -> PopulationCheck:
    year = check_year(year)
    units = dict(Unit.objects.values_list("ansvar", "id"))
    frame = parse_population(data, units=units.keys())
    digest = checksum(data)
    rows = pd.DataFrame(
        {"unit": frame["ansvar"].map(units).astype("int64"), "employees": frame["employees"]}
    )
    return PopulationCheck(
        year=year,
        checksum=digest,
        rows=rows,
        identical_to=_identical(year=year, kind=SurveyBatch.Kind.POPULATION, digest=digest),
    )


def population_import(
    *,
    data: bytes,
    file_name: str,
    year: int,
    user=None,
    check: PopulationCheck | None = None,
    replace_year: bool = False,
) -> tuple[SurveyBatch | None, PopulationCheck]:
    """Import a year's employees per unit; they replace the year's current counts (a
    partial file only with `replace_year`, as answers_import)."""
    check = check or population_check(data=data, year=year)
    return _year_import(
        check,
        kind=SurveyBatch.Kind.POPULATION,
        file_name=file_name,
        user=user,
        replace_year=replace_year,
        store=lambda batch: Population.objects.bulk_create(
            Population(batch=batch, unit_id=int(row.unit), employees=int(row.employees))
            for row in check.rows.itertuples(index=False)
        ),
    )


# --- undo -----------------------------------------------------------------------------


def _refresh_current(*, year: int, kind: str) -> None:
    """The newest batch of the year and kind that is not undone is the current one."""
    batches = SurveyBatch.objects.filter(year=year, kind=kind)
    newest = batches.filter(undone_at=None).order_by("-created_at", "-id").first()
    batches.exclude(pk=getattr(newest, "pk", None)).update(is_current=False)
    if newest is not None:
        batches.filter(pk=newest.pk).update(is_current=True)


def batch_undo(*, batch_id: int, user=None) -> SurveyBatch:
    """Undo an upload: the year gets back the upload before it (or no data)."""
    with transaction.atomic():
        batch = mark_undone(SurveyBatch, batch_id=batch_id, user=user)
        _refresh_current(year=batch.year, kind=batch.kind)
    batch.refresh_from_db(fields=["is_current"])
    return batch


def undone_message(batch: SurveyBatch) -> str:
    """What the history page and undo_import say after an undo."""
    return _("Import %(id)s (%(name)s) är ångrad; %(year)s har sina tidigare värden.") % {
        "id": batch.id,
        "name": batch.file_name,
        "year": batch.year,
    }

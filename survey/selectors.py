"""Reads: a survey year's stored sums, its organisation and the employee counts.

A page loads `survey_data()` once and asks it for the years it shows; each
year is read (a few queries) and computed (survey.results) once per request,
with the organisation stored with its answers (`tree_of_batch`): a year's
groups, names and figures do not move when the organisation is changed later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd
from django.core.cache import cache
from django.db.models import Max

from kpis.models import Unit

from . import metrics, protection, results
from .models import DEFAULT_THRESHOLD, Population, SurveyBatch, SurveyYear, UnitResult
from .questionnaires import Spec, spec_for

logger = logging.getLogger(__name__)

# The key holds everything a year's results come from, so they can be kept long: the
# first computation (the disclosure audit, about a second a year) is not repeated hourly.
CACHE_SECONDS = 24 * 60 * 60


ORG_COLUMNS = ["unit_id", "ansvar", "unit_name", "department", "area"]


@dataclass
class YearData:
    year: int
    spec: Spec
    threshold: int
    results: pd.DataFrame  # (group, measure) -> value, respondents, status
    employees: pd.Series  # employees per group (NaN: no count)
    batch: SurveyBatch
    tree: results.Tree  # the organisation of the year (stored with its answers)

    def row(self, group: str, measure: str) -> tuple[float, object, str]:
        """(value, respondents, status) of a group's measure; status none when absent."""
        try:
            found = self.results.loc[(group, measure)]
        except KeyError:
            return float("nan"), 0, results.NONE
        return found["value"], found["respondents"], found["status"]


@dataclass
class SurveyData:
    batches: dict[int, SurveyBatch]  # the current answers batch of every year
    cache: dict = field(default_factory=dict, repr=False)
    trees: dict = field(default_factory=dict, repr=False)

    @property
    def years(self) -> list[int]:
        """Years with answers, oldest first."""
        return sorted(self.batches)

    @property
    def latest(self) -> int | None:
        return self.years[-1] if self.years else None

    def previous(self, year: int) -> int | None:
        earlier = [y for y in self.years if y < year]
        return earlier[-1] if earlier else None

    def tree(self, year: int) -> results.Tree:
        """The organisation of a survey year, as stored with its answers."""
        if year not in self.trees:
            self.trees[year] = tree_of_batch(self.batches[year])
        return self.trees[year]

    def year(self, year: int) -> YearData | None:
        if year not in self.batches:
            return None
        if year not in self.cache:
            self.cache[year] = load_year(self.batches[year], self.tree(year))
        return self.cache[year]


def organisation_records() -> list[dict]:
    """Today's organisation, one record per unit (ORG_COLUMNS), as stored with a batch."""
    rows = Unit.objects.order_by("id").values_list(
        "id", "ansvar", "name", "department__name", "department__area__name"
    )
    return [dict(zip(ORG_COLUMNS, row, strict=True)) for row in rows]


def org_frame(records: list[dict] | None = None) -> pd.DataFrame:
    """An organisation as a frame (ORG_COLUMNS): `records`, or today's."""
    records = organisation_records() if records is None else records
    return pd.DataFrame.from_records(records, columns=ORG_COLUMNS)


def tree_of_batch(batch: SurveyBatch) -> results.Tree:
    """The tree stored with an answers batch (today's for a batch stored without one)."""
    return results.tree_of(org_frame(batch.organisation or None))


def survey_data() -> SurveyData:
    batches = (
        SurveyBatch.objects.filter(kind=SurveyBatch.Kind.ANSWERS, is_current=True)
        .select_related("questionnaire")
        .defer("answers")
        .order_by("year", "-id")
    )
    found: dict[int, SurveyBatch] = {}
    for batch in batches:
        found.setdefault(batch.year, batch)
    return SurveyData(batches=found)


def thresholds() -> list[tuple[int, int]]:
    """(year, threshold) of every year that has set one: part of the page cache's key."""
    return list(SurveyYear.objects.order_by("year").values_list("year", "threshold"))


def threshold_for(year: int) -> int:
    found = SurveyYear.objects.filter(year=year).values_list("threshold", flat=True).first()
    return found or DEFAULT_THRESHOLD


def unit_sums(batch: SurveyBatch) -> pd.DataFrame:
    columns = ["unit_id", "measure", *metrics.SUM_COLUMNS]
    rows = UnitResult.objects.filter(batch=batch).values_list(*columns)
    frame = pd.DataFrame.from_records(list(rows), columns=["unit", *columns[1:]])
    frame["score_sum"] = frame["score_sum"].astype("float64")
    return frame


def population_batch(year: int) -> SurveyBatch | None:
    """The year's employee counts in use (the "Om måttet" panels name it), None without."""
    return SurveyBatch.objects.filter(
        year=year, kind=SurveyBatch.Kind.POPULATION, is_current=True
    ).first()


def employees(year: int) -> pd.Series:
    """Employees per unit id in the year's current employee counts (empty without)."""
    rows = Population.objects.filter(
        batch__year=year, batch__kind=SurveyBatch.Kind.POPULATION, batch__is_current=True
    ).values_list("unit_id", "employees")
    return pd.Series(dict(rows), dtype="float64")


def sums_version(batch: SurveyBatch):
    """Changes whenever the batch's sums are stored again (rebuilt sums get new ids)."""
    return UnitResult.objects.filter(batch=batch).aggregate(last=Max("id"))["last"]


def hidden_values(
    batch: SurveyBatch,
    *,
    tree: results.Tree,
    spec: Spec,
    sums: pd.DataFrame,
    threshold: int,
    version=None,
    refuse_if_exposed: bool = True,
) -> set[tuple[str, str]]:
    """Which (group, measure) values of an answers batch are hidden.

    The disclosure audit behind it (survey.protection) takes about a second a year,
    so the decisions are made once and kept on the batch, keyed by what they come
    from: the stored sums (`sums_version`), the threshold and the algorithm's
    version (the tree is the batch's own and never changes). The import and the
    threshold's admin make them at once (survey.services.protection_store); a
    page makes and keeps them only for a batch that has none for its key (after a new
    algorithm's version, say). A year that cannot be protected
    (protection.StillExposedError) raises for the import, which refuses it; a page
    (`refuse_if_exposed` false) hides every value of the year instead, never a 500 and
    never an exposed value.
    """
    version = sums_version(batch) if version is None else version
    key = f"{protection.VERSION}:{version}:{threshold}"
    stored = batch.protection or {}
    if stored.get("key") == key:
        return {(group, measure) for group, measure in stored["hidden"]}
    try:
        hidden = results.hidden_values(sums, tree, threshold=threshold, measures=spec.all_measures)
    except protection.StillExposedError:
        if refuse_if_exposed:
            raise
        logger.error("Survey %s: no value can be shown safely; every value is hidden.", batch.year)
        groups = set(tree.children) | {kid for kids in tree.children.values() for kid in kids}
        hidden = {(group, m.code) for group in groups for m in spec.all_measures}
    batch.protection = {"key": key, "hidden": sorted([group, measure] for group, measure in hidden)}
    SurveyBatch.objects.filter(pk=batch.pk).update(protection=batch.protection)
    return hidden


def load_year(batch: SurveyBatch, tree: results.Tree) -> YearData:
    """A year's results for every group, anonymity applied, computed with `tree`.

    Computing them (sums per group, which values to hide) is most of a page's time
    and the same for every scope, so they are cached, keyed by everything they come
    from: the answers batch and its stored sums (rebuilt sums get new ids), the
    employee counts' batch, the threshold and the organisation (the batch's own).
    The decisions what to hide are part of the cached table, and are kept on the
    batch too (`hidden_values`), under the same sums and threshold.
    """
    year = batch.year
    threshold = threshold_for(year)
    population = (
        SurveyBatch.objects.filter(year=year, kind=SurveyBatch.Kind.POPULATION, is_current=True)
        .values_list("id", "checksum")
        .first()
    )
    version = sums_version(batch)
    key = ":".join(
        str(part)
        for part in (
            "survey-year",
            batch.id,
            batch.checksum,
            version,
            *(population or ("", "")),
            threshold,
            tree.signature,
            protection.VERSION,
        )
    )
    spec = spec_for(batch.questionnaire)
    found = cache.get(key)
    if found is None:
        staff = employees(year)
        sums = unit_sums(batch)
        hidden = hidden_values(
            batch,
            tree=tree,
            spec=spec,
            sums=sums,
            threshold=threshold,
            version=version,
            refuse_if_exposed=False,
        )
        table = results.year_results(
            sums,
            tree,
            threshold=threshold,
            measures=spec.all_measures,
            employees=staff,
            hidden=hidden,
        )
        staff_by_group = pd.Series(dtype="float64")
        if len(staff):
            summed = results.group_sums(
                tree, pd.DataFrame({"employees": staff}), ["employees"], []
            )["employees"]
            staff_by_group = pd.Series(
                summed.to_numpy(), index=summed.index.get_level_values("group")
            )
        found = (table, staff_by_group)
        cache.set(key, found, CACHE_SECONDS)
    table, staff_by_group = found
    return YearData(
        year=year,
        spec=spec,
        threshold=threshold,
        results=table,
        employees=staff_by_group,
        batch=batch,
        tree=tree,
    )

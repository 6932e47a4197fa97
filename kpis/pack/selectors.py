"""Reads for the steering pack: the month's comments, the controllers' text slides, the
import batches the figures come from, and the app's version."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import tomllib
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from kpis.batches import closed_through, months_in_use, months_with_data
from kpis.costs import selectors as cost_selectors
from kpis.costs.selectors import CostData
from kpis.models import (
    Area,
    BatchMonth,
    ImportBatch,
    LedgerRow,
    PackText,
    SickLeaveRow,
    Unit,
)
from kpis.organisation.selectors import Scope


class Comments:
    """The month's comments per chart, as the pack asks for them.

    The one place the pack reads comments (kpis.costs.selectors.commentaries): the
    comments written for the pack's own scope, per month and chart, each shown once, on
    the slide of the pack's scope (the pack of the administration has personnel-cost
    slides for two care types too).
    """

    def __init__(self, *, month: pd.Period, scope: Scope):
        self.scope = scope
        found = cost_selectors.commentaries(month=month, scope=scope.key)
        self.texts = {chart: c.own.text for chart, c in found.items() if c.own is not None}

    def get(self, chart: str, scope: Scope | None = None) -> str | None:
        if scope is not None and scope.key != self.scope.key:
            return None
        return self.texts.get(chart)


@dataclass(frozen=True)
class TextSlideRow:
    """A text slide as the pack and the page's form know it."""

    order: int
    title: str
    text: str


def pack_texts(*, month: pd.Period, scope: Scope) -> list[TextSlideRow]:
    """The controllers' text slides of the month and scope, in their order."""
    rows = PackText.objects.filter(period=month.to_timestamp().date(), scope=scope.key)
    return [TextSlideRow(r.order, r.title, r.text) for r in rows.order_by("order", "id")]


def pack_texts_to_start_from(
    *, month: pd.Period, scope: Scope
) -> tuple[list[TextSlideRow], pd.Period | None]:
    """The month's text slides; a month without any starts from the latest earlier
    month's (returned with that month, None when they are the month's own)."""
    own = pack_texts(month=month, scope=scope)
    if own:
        return own, None
    earlier = (
        PackText.objects.filter(period__lt=month.to_timestamp().date(), scope=scope.key)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if earlier is None:
        return [], None
    previous = pd.Period(earlier, freq="M")
    return pack_texts(month=previous, scope=scope), previous


# The table of each kind's imported rows.
ROWS = {
    ImportBatch.Kind.ACTUALS: LedgerRow,
    ImportBatch.Kind.BUDGET: LedgerRow,
    ImportBatch.Kind.SICK_LEAVE: SickLeaveRow,
}


def batches_in_use(*, kind: str, first: pd.Period, last: pd.Period) -> list[ImportBatch]:
    """The imports of one kind whose rows the pack reads: every batch with rows in use in
    some month from `first` to `last` (kpis.batches.months_in_use), oldest first.
    `current_months` holds those months; for an import of only some units, `units_in_use`
    the ansvar codes of its units whose rows are in use there (None for whole months)."""
    in_use = months_in_use(
        kind=kind,
        rows_model=ROWS[kind],
        first=first.to_timestamp().date(),
        last=last.to_timestamp().date(),
    )
    months = BatchMonth.objects.filter(id__in=list(in_use)).order_by("period")
    batches = list(
        ImportBatch.objects.filter(months__id__in=list(in_use))
        .distinct()
        .order_by("created_at", "id")
        .select_related("created_by")
        .prefetch_related(Prefetch("months", queryset=months, to_attr="current_months"))
    )
    ansvar = dict(
        Unit.objects.filter(
            id__in=set().union(*(units for units in in_use.values() if units))
        ).values_list("id", "ansvar")
    )
    for batch in batches:
        batch.units_in_use = None
        if batch.replaces == ImportBatch.Replaces.UNITS:
            units = set().union(*(in_use[month.id] for month in batch.current_months))
            batch.units_in_use = sorted(ansvar[unit] for unit in units)
    return batches


def local_time(moment: dt.datetime) -> str:
    """'2024-11-05 09:30' in the site's time zone (Europe/Stockholm)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def app_version() -> str:
    """The version in pyproject.toml (the installed package's when the file is not there)."""
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        try:
            return importlib.metadata.version("hyrdash")
        except importlib.metadata.PackageNotFoundError:
            return "?"


def month_states() -> CostData:
    """The months with actuals and which are closed, without their figures: what the
    pack page's month list needs (CostData's own rule says which are preliminary)."""
    empty = pd.DataFrame(columns=cost_selectors.COST_COLUMNS)
    return CostData(
        actuals=empty,
        budget=empty,
        months_actuals=months_with_data(kind=ImportBatch.Kind.ACTUALS),
        months_budget=pd.PeriodIndex([], freq="M"),
        closed_through=closed_through(kind=ImportBatch.Kind.ACTUALS),
        areas=list(Area.objects.values_list("name", flat=True)),
    )

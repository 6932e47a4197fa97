"""The cost dashboard's computations as the page cache keeps them (hyrdash.lib.pagecache):
the month's sums per data version, the charts per selection. The views read them here,
and `warm` computes the pages most asked for after an import, so the steering group's
first request after it finds them ready.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hyrdash.lib import digest, pagecache
from hyrdash.lib.page import prerender
from kpis import data_version
from kpis.costs import page as cost_page
from kpis.costs import selection as cost_selection
from kpis.costs import selectors as cost_selectors
from kpis.national import selectors as national_selectors
from kpis.organisation.scopes import UNIT
from kpis.placements import page as placement_page
from kpis.placements import selectors as placement_selectors

log = logging.getLogger(__name__)


def cost_data(version: int) -> cost_selectors.CostData:
    """Every month's sums, as cost_selectors.cost_data reads them, for the data version:
    every selection's page starts from them, and what the pages derive from them on the
    way (kpis.costs.series) is kept with them in the process (pagecache's in_process)."""
    return pagecache.cached("cost-data", (version,), cost_selectors.cost_data, in_process=True)


def selection_key(selection: cost_selection.Selection) -> tuple:
    return (
        selection.month_text,
        selection.scope.key,
        selection.start_text,
        selection.end_text,
        selection.range_given,
    )


def region() -> str:
    return getattr(settings, "HYRDASH_REGION", "Västerbotten")


def _placement_tables(counts, today: dt.date) -> dict:
    """Beside the purchased hours: consultants per area and status under 12 a § on
    `today` (`counts`, placement_selectors.status_counts), counts only (the names are
    for the bemanning role)."""
    if counts.empty:
        return {}
    return {"agency-hours": [placement_page.counts_table(counts, on=today)]}


def dashboard_charts(
    version: int, data: cost_selectors.CostData, selection: cost_selection.Selection
) -> list:
    """The dashboard's charts for the selection (cost_page.build_charts), kept for the
    data version and the day (the placements' counts are the day's): a warm page reads
    nothing more. When the version has changed, they are looked for under a digest of
    everything they are computed from (`_Inputs`: the data, the month's comments, the
    national table, the consultants' counts of the day, the "Om måttet" sources, a
    department's or unit's sums per unit): a change that leaves those as they were (a
    sick-leave target, a survey's threshold) reads them again and computes no chart.
    Each is read before that key is made, and the charts are computed from what was
    read. The digest follows the rows' order (sums in another order can differ in the
    last bit): on PostgreSQL a register update can reorder the rows read, which
    computes the charts again, never shows a stale one."""
    today = timezone.localdate()
    scope = selection.scope
    key = (selection_key(selection), scope.name, scope.parent, today, region())

    def by_content() -> list:
        inputs = _Inputs.read(data, selection, today)
        return pagecache.cached(
            "cost-dashboard-content",
            (inputs.digest(data), *key),
            lambda: _charts(data, selection, inputs),
        )

    return pagecache.cached("cost-dashboard", (version, *key), by_content)


@dataclasses.dataclass
class _Inputs:
    """What the dashboard's charts read besides the CostData and the selection."""

    comments: dict
    national: object
    counts: object
    sources: cost_selectors.MeasureSources
    today: dt.date
    department: str | None  # whose sums per unit the page reads (a department's, a unit's)

    @classmethod
    def read(cls, data, selection: cost_selection.Selection, today: dt.date) -> _Inputs:
        scope = selection.scope
        department = {"department": scope.value, UNIT: scope.parent}.get(scope.kind)
        if department:
            data.unit_frame("actuals", department=department)  # read now, kept on `data`
        national = national_selectors.national_shares()
        return cls(
            comments=cost_selectors.commentaries(month=selection.month, scope=scope.key),
            national=national,
            counts=placement_selectors.status_counts(on=today),
            sources=cost_selectors.measure_sources(national=national),
            today=today,
            department=department,
        )

    def digest(self, data) -> str:
        """A digest of these, of every field of `data` and of the department's sums per
        unit the page reads (hyrdash.lib.digest; the comments and imports by every
        field, the comments' authors by their names)."""
        units = data.cache[("units", self.department)] if self.department else None
        comments = {
            chart: [
                digest.model_values(c) + _author(c) for c in (found.own, found.hsf) if c is not None
            ]
            for chart, found in self.comments.items()
        }
        sources = (
            self.sources.accounts,
            {kind: digest.model_values(batch) for kind, batch in self.sources.latest.items()},
            self.sources.national_quarters,
        )
        return digest.of(
            digest.of_fields(data), units, comments, self.national, self.counts, sources
        )


def _author(comment) -> list:
    author = comment.author
    if author is None:
        return [None]
    return [author.get_username(), author.first_name, author.last_name]


def scope_url(selection: cost_selection.Selection, scope, *, path: str | None = None) -> str:
    """The dashboard for another scope, the same month and range: the drill-down's links
    and the breadcrumb. `path`: the dashboard's, reversed once for a page's many links."""
    return f"{path or reverse('kpis:dashboard')}?{selection.query(scope=scope)}"


def _charts(data, selection: cost_selection.Selection, inputs: _Inputs) -> list:
    path = reverse("kpis:dashboard")
    charts = cost_page.build_charts(
        data,
        selection,
        comments=inputs.comments,
        national=inputs.national,
        region=region(),
        extra_tables=_placement_tables(inputs.counts, inputs.today),
        link=lambda scope: scope_url(selection, scope, path=path),
        sources=inputs.sources,
    )
    return prerender(charts)  # the figures' JSON and the tables' rows kept too


def series_csv(version: int, code: str, data, selection) -> object:
    """The table behind one chart (cost_selection.series_table), kept like the page."""

    def table_now():
        national = (
            national_selectors.national_shares()
            if code in (cost_selection.NATIONAL, cost_selection.NATIONAL_TREND)
            else None
        )
        return cost_selection.series_table(code, data, selection, national=national)

    return pagecache.cached("cost-csv", (version, code, selection_key(selection)), table_now)


def warm() -> int:
    """Compute the newest month's dashboard for the administration, each care type and
    each area, in each language of settings.PAGE_CACHE_WARM_LANGUAGES (Swedish), unless
    kept already, for at most settings.PAGE_CACHE_WARM_SECONDS; returns how many pages
    that is.
    Called inside a cost import's transaction, before it commits (kpis.registry.warm_pages;
    settings.PAGE_CACHE_WARM): a failure here is logged and loses nothing, the pages are
    then computed when first asked for."""
    try:
        version = data_version.current(*data_version.COST_PAGES)
        data = cost_data(version)
        if data.last_month is None:
            return 0

        def page(scope) -> None:
            selection, _problems = cost_selection.parse_selection(
                {cost_selection.SCOPE: scope.key}, data=data
            )
            dashboard_charts(version, data, selection)

        return pagecache.warm_pages("cost dashboards", page, cost_selection.dashboard_scopes(data))
    except Exception:  # noqa: BLE001 (the import is stored; the pages can wait)
        log.exception("warming the cost dashboards after an import failed")
        return 0

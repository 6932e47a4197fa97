"""The cost dashboard's computations as the page cache keeps them (hyrdash.lib.pagecache):
the month's sums per data version, the charts per selection. The views read them here,
and `warm` computes the pages most asked for after an import, so the steering group's
first request after it finds them ready.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hyrdash.lib import pagecache
from hyrdash.lib.page import prerender
from kpis import data_version
from kpis.costs import page as cost_page
from kpis.costs import selection as cost_selection
from kpis.costs import selectors as cost_selectors
from kpis.national import selectors as national_selectors
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


def placement_tables(today: dt.date) -> dict:
    """Beside the purchased hours: consultants per area and status under 12 a § on
    `today`, counts only (the names are for the bemanning role)."""
    counts = placement_selectors.status_counts(on=today)
    if counts.empty:
        return {}
    return {"agency-hours": [placement_page.counts_table(counts, on=today)]}


def dashboard_charts(
    version: int, data: cost_selectors.CostData, selection: cost_selection.Selection
) -> list:
    """The dashboard's charts for the selection (cost_page.build_charts), kept for the
    data version and the day (the placements' counts are the day's)."""
    today = timezone.localdate()
    return pagecache.cached(
        "cost-dashboard",
        (version, selection_key(selection), today, region()),
        lambda: _charts(data, selection, today),
    )


def scope_url(selection: cost_selection.Selection, scope, *, path: str | None = None) -> str:
    """The dashboard for another scope, the same month and range: the drill-down's links
    and the breadcrumb. `path`: the dashboard's, reversed once for a page's many links."""
    return f"{path or reverse('kpis:dashboard')}?{selection.query(scope=scope)}"


def _charts(data, selection: cost_selection.Selection, today: dt.date) -> list:
    national = national_selectors.national_shares()
    path = reverse("kpis:dashboard")
    charts = cost_page.build_charts(
        data,
        selection,
        comments=cost_selectors.commentaries(month=selection.month, scope=selection.scope.key),
        national=national,
        region=region(),
        extra_tables=placement_tables(today),
        link=lambda scope: scope_url(selection, scope, path=path),
        sources=cost_selectors.measure_sources(national=national),
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

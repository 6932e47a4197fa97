"""The sick-leave page's computations as the page cache keeps them (hyrdash.lib.pagecache):
the data with every month's disclosure decision, the charts and the CSV tables. The
views read them here, and `warm` computes the pages most asked for after a sick-leave
import.

Two kinds of key:
- the data is read once per data version (`sick_leave_data`: every change of sick leave
  or of what every page shows raises it), and kept in the worker too;
- what is computed from the data is kept under a digest of the data itself
  (hyrdash.lib.digest), not the version: the charts and the CSV tables under `content`,
  every field of SickLeaveData; the cells with their disclosure decisions under the
  fields they are computed from (`cells`, CELL_FIELDS). A change that leaves sick leave
  as it was (a cost account's mapping, a comment, a cost target, a unit's name) reads
  the data again, finds the same digests and computes nothing more (a cold page cost
  0.5 s of the server's CPU after every such change); a sick-leave target or a closed
  month computes the charts, not the cells. Whatever the data holds is in a digest, so
  a change of any figure, month, target or placement is another key.

The decisions what to withhold are part of the cells kept (series.sick_leave_cells), and
the charts and tables are made from them: a figure is never kept apart from the
decision that protects it. Every key holds what the decisions depend on besides the
data: the largest group never shown (settings.SICK_LEAVE_MAX_HIDDEN_GROUP) and the
disclosure rule's version (its source), so a lower limit or a stricter rule never reads
a page decided under the old one.
"""

from __future__ import annotations

import logging

import pandas as pd
from django.conf import settings

from hyrdash.lib import digest, pagecache
from hyrdash.lib.page import prerender
from kpis import data_version
from kpis.models import CareType
from kpis.organisation.selectors import Scope
from kpis.sick_leave import disclosure, selectors, series
from kpis.sick_leave import page as sick_leave_page

log = logging.getLogger(__name__)


def rule() -> tuple:
    """What the disclosure decisions depend on besides the data."""
    return (settings.SICK_LEAVE_MAX_HIDDEN_GROUP, disclosure.VERSION)


def content(data: selectors.SickLeaveData) -> str:
    """A digest of everything `data` holds (every field but its memos, `cache`), computed
    once per SickLeaveData (digest.of_fields)."""
    return digest.of_fields(data)


# What the cells and their decisions are computed from (series.sick_leave_cells): the
# rows, their months, the nodes (areas and departments), the limit and the figures
# withheld after moves; not the targets, the closed months or the areas' departments
# month by month, so a target or a closed month keeps them.
CELL_FIELDS = ("rows", "months", "areas", "departments", "max_hidden", "withheld")


def cells(data: selectors.SickLeaveData):
    """series.sick_leave_cells of `data`, kept under a digest of its CELL_FIELDS and
    computed from those alone (a SickLeaveData of only them, the other fields empty):
    what the key leaves out the computation cannot see."""
    inputs = {name: getattr(data, name) for name in CELL_FIELDS}
    return pagecache.cached(
        "sick-leave-cells",
        (digest.of(inputs), *rule()),
        lambda: series.sick_leave_cells(selectors.SickLeaveData(**inputs)),
    )


def sick_leave_frame() -> pd.DataFrame:
    """The rows in use summed per month and department as each unit stood that month
    (selectors.sick_leave_frame: 0.2 s of SQL on the demo region), kept under sick
    leave's own data version and the register's state (selectors.register_state), which
    are all it reads: a change of neither (a comment, a target, a cost import) sums
    nothing again. The state is read before the rows."""
    state = (
        data_version.subject_state(data_version.SICK_LEAVE),
        selectors.register_state(),
    )
    return pagecache.cached("sick-leave-frame", state, selectors.sick_leave_frame, in_process=True)


def sick_leave_data(version: int) -> selectors.SickLeaveData:
    """The sick-leave data for the data version, with its cells and their disclosure
    decisions (`cells`) in its memos."""

    def compute() -> selectors.SickLeaveData:
        data = selectors.sick_leave_data(frame=sick_leave_frame())
        if data.last_month is not None:
            data.cache["cells"] = cells(data)
        return data

    return pagecache.cached("sick-leave-data", (version, *rule()), compute, in_process=True)


def selection_key(selection: sick_leave_page.Selection) -> tuple:
    return (selection.month_text, selection.scope.key)


def page_charts(data: selectors.SickLeaveData, selection: sick_leave_page.Selection) -> list:
    """The page's charts for the selection (sick_leave_page.build_charts), with their
    figures' JSON and tables' rows (hyrdash.lib.page.prerender) and their "Om måttet"
    panels, whose latest import is read first and is part of the key."""
    latest = selectors.latest_import()
    return pagecache.cached(
        "sick-leave-page",
        (content(data), _import_key(latest), *rule(), selection_key(selection)),
        lambda: prerender(sick_leave_page.build_charts(data, selection, latest=latest)),
    )


def _import_key(batch) -> str:
    """A digest of every field of the import an "Om måttet" panel names (or of None)."""
    return digest.of(digest.model_values(batch))


def series_csv(
    code: str, data: selectors.SickLeaveData, selection: sick_leave_page.Selection
) -> pd.DataFrame:
    """The table behind one chart (sick_leave_page.series_table), withheld values empty,
    kept like the page."""
    return pagecache.cached(
        "sick-leave-csv",
        (content(data), *rule(), code, selection_key(selection)),
        lambda: sick_leave_page.series_table(code, data, selection),
    )


def warm_scopes(data: selectors.SickLeaveData) -> list[Scope]:
    """The scopes computed after an import: the administration, each care type, each
    area (the select's first groups)."""
    return [
        Scope(),
        *(Scope("care", c.value) for c in CareType),
        *(Scope("area", name) for name in data.areas),
    ]


def warm() -> int:
    """Compute the newest month's sick-leave page for the administration, each care type
    and each area, in each language of settings.PAGE_CACHE_WARM_LANGUAGES (Swedish),
    unless kept already, for at most settings.PAGE_CACHE_WARM_SECONDS; returns how many
    pages that is. Called
    after a sick-leave import from the site has committed (settings.PAGE_CACHE_WARM): a
    failure here is logged and loses nothing, the pages are then computed when first
    asked for."""
    try:
        version = data_version.current(*data_version.SICK_LEAVE_PAGES)
        data = sick_leave_data(version)
        if data.last_month is None:
            return 0

        def page(scope: Scope) -> None:
            selection, problems = sick_leave_page.parse_selection(
                {sick_leave_page.SCOPE: scope.key}, data=data
            )
            if not problems:  # a scope the data does not know is not asked for
                page_charts(data, selection)

        return pagecache.warm_pages("sick-leave pages", page, warm_scopes(data))
    except Exception:  # noqa: BLE001 (the import is stored; the pages can wait)
        log.exception("warming the sick-leave pages after an import failed")
        return 0

"""The kinds of extract the upload pages, the import history and undo know about.

One entry per ImportBatch.Kind: how a file of that kind is checked and imported, who may
import it, what its upload page and confirmation page say, and what else must follow
when a month changes hands (undo). Views, forms, templates and commands read this
registry instead of testing the kind's name; a new kind is an entry here plus its
subject's folder.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.uploads import mark_undone
from kpis import roles
from kpis.batches import refresh_months
from kpis.costs import cached as cost_cached
from kpis.costs import selectors as cost_selectors
from kpis.costs import series as cost_series
from kpis.costs import services as cost_services
from kpis.models import ImportBatch
from kpis.organisation.selectors import Scope, ScopeError
from kpis.placements import pack as placement_pack
from kpis.placements import page as placement_page
from kpis.placements import selectors as placement_selectors
from kpis.placements import series as placement_series
from kpis.placements import services as placement_services
from kpis.sick_leave import cached as sick_leave_cached
from kpis.sick_leave import releases as sick_leave_releases
from kpis.sick_leave import selectors as sick_leave_selectors
from kpis.sick_leave import series as sick_leave_series
from kpis.sick_leave import services as sick_leave_services


@dataclass(frozen=True)
class ExtractKind:
    """One kind of extract.

    `check(data=...)` reads and checks a file without writing; `import_(data=...,
    file_name=..., user=..., replaces=...)` writes it (the same check first) and returns
    (batch or None when identical, check). `summary_labels` names the confirmation page's rows
    (code -> (label, decimals)); `after_undo(periods)` keeps what the kind derives from
    its current batches (the cost sums, sick leave's disclosure decisions) in step after
    an undo. `warm()` computes the pages most asked for into the page cache when an
    import from the site is stored (kpis.views; settings.PAGE_CACHE_WARM): inside the
    import's transaction, before it commits, for a kind that says
    `warm_in_transaction` (see `warm_pages`), else once it has committed.
    """

    kind: str
    permission: str
    title: Promise
    upload_help: Promise
    caption: Promise
    summary_heading: Promise
    check: Callable
    import_: Callable
    summary_labels: Callable[[], dict]
    # The management command that imports a file of this kind, its options, and which
    # demo user runs it when load_demo reads the demo region's files.
    command: str
    command_options: dict = field(default_factory=dict)
    demo_user: str = "controller"
    demo_label: str = ""
    after_undo: Callable[[list[dt.date]], None] | None = None
    warm: Callable[[], int] | None = None
    warm_in_transaction: bool = False


log = logging.getLogger(__name__)

COSTS_HELP = gettext_lazy(
    "Kostnadsunderlag: utfall eller budget ur huvudboken som CSV eller Excel (.xlsx), med "
    "kolumnerna Period, Ansvar, Konto, Belopp och valfritt Timmar."
)


def _costs(kind: str, label: str) -> ExtractKind:
    return ExtractKind(
        kind=kind,
        permission=roles.IMPORT_DATA,
        title=gettext_lazy("Importera underlag"),
        upload_help=COSTS_HELP,
        caption=gettext_lazy("Belopp per månad och kategori (kr)"),
        summary_heading=gettext_lazy("Kategori"),
        check=lambda *, data: cost_services.costs_check(data=data, kind=kind),
        import_=lambda *, data, file_name, user=None, replaces=None: cost_services.costs_import(
            data=data, file_name=file_name, kind=kind, user=user, replaces=replaces
        ),
        summary_labels=cost_services.cost_figure_labels,
        command="import_costs",
        command_options={"kind": kind},
        demo_label=label,
        after_undo=lambda periods: cost_services.monthly_costs_rebuild(kind=kind, periods=periods),
        warm=cost_cached.warm,
        warm_in_transaction=True,
    )


KINDS: dict[str, ExtractKind] = {
    ImportBatch.Kind.ACTUALS: _costs(ImportBatch.Kind.ACTUALS, "utfall"),
    ImportBatch.Kind.BUDGET: _costs(ImportBatch.Kind.BUDGET, "budget"),
    ImportBatch.Kind.SICK_LEAVE: ExtractKind(
        kind=ImportBatch.Kind.SICK_LEAVE,
        permission=roles.IMPORT_SICK_LEAVE,
        title=gettext_lazy("Importera sjukfrånvaro"),
        upload_help=gettext_lazy(
            "Sjukfrånvaro: ur lönesystemet som CSV eller Excel (.xlsx), en rad per månad, "
            "ansvar, kön och åldersgrupp, med kolumnerna Period, Ansvar, Kön (K eller M), "
            "Åldersgrupp (-29, 30-49 eller 50-), Antal anställda, Ordinarie arbetstid, "
            "Sjuktimmar dag 1-14, Sjuktimmar dag 15-59 och Sjuktimmar dag 60-."
        ),
        caption=gettext_lazy("Anställda och timmar per månad"),
        summary_heading=gettext_lazy("Uppgift"),
        check=sick_leave_services.sick_leave_check,
        import_=sick_leave_services.sick_leave_import,
        summary_labels=sick_leave_services.sick_leave_figure_labels,
        command="import_sick_leave",
        demo_user="hr",
        demo_label="sjukfrånvaro",
        after_undo=sick_leave_services.sick_leave_after_undo,
        warm=sick_leave_cached.warm,
    ),
}


def warm_pages(kind: str, *, in_transaction: bool) -> int:
    """The kind's `warm` (how many pages it computed), if the kind warms at this point:
    `in_transaction`, inside the import's transaction before it commits (kpis.views), or
    once it has committed; 0 otherwise.

    Before the commit (the cost kinds): the newest month's dashboards are computed from
    the import's rows, which only this transaction sees yet, under the data version the
    import raised (kpis.data_version), so they are in the cache the moment the import
    becomes visible and nobody meets them cold: computed after the commit, the steering
    group's requests of the next seconds computed them too, or waited for them (the load
    bench's misses). Everyone else meanwhile gets the pages of the data still committed.
    Should the import not commit after all, its version's random token is never seen
    again, so the pages kept for it are never served. In a savepoint: a database error
    while warming (logged) is undone alone and the import commits all the same.

    After the commit (sick leave): the import's disclosure decisions are made on commit
    (kpis.sick_leave.services), and the pages need them."""
    entry = KINDS.get(kind)
    if entry is None or entry.warm is None or entry.warm_in_transaction != in_transaction:
        return 0
    if not in_transaction:
        return entry.warm()
    try:
        with transaction.atomic():
            return entry.warm()
    except DatabaseError:
        log.exception("warming the pages inside the import's transaction failed")
        return 0


def extract_kind(kind: str) -> ExtractKind:
    """The registry's entry for an ImportBatch kind (KeyError for an unknown one)."""
    return KINDS[kind]


# --- who may import what ---------------------------------------------------------------
def may_import(user, kind: str) -> bool:
    """Whether the user may import, undo and close months of this kind of extract
    (the kind's permission here)."""
    entry = KINDS.get(kind)
    return entry is not None and user.has_perm(entry.permission)


def importable_kinds(user) -> list[str]:
    """The kinds of extract the user may import, in the order the upload form lists them."""
    return [kind for kind in KINDS if may_import(user, kind)]


def may_upload(view):
    """The upload pages and the import history: for whoever may import some kind of
    extract (KINDS); each page then checks the kind at hand."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not importable_kinds(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def upload_texts(kinds) -> dict:
    """What the upload page says for these kinds: the first kind's title and each
    distinct description, in the registry's order."""
    entries = [KINDS[kind] for kind in kinds]
    return {
        "upload_title": entries[0].title if entries else "",
        "upload_helps": list(dict.fromkeys(entry.upload_help for entry in entries)),
    }


def extract_check(*, data: bytes, kind: str):
    """Check an extract of any kind; what the upload page shows before confirming."""
    return KINDS[kind].check(data=data)


def extract_import(*, data: bytes, file_name: str, kind: str, user=None, replaces=None):
    """Import an extract of any kind: (the new batch or None when identical, the check).
    `replaces` is the uploader's choice (ImportBatch.Replaces); without one a partial
    file is refused (PartialFileError)."""
    return KINDS[kind].import_(data=data, file_name=file_name, user=user, replaces=replaces)


def batch_undo(*, batch_id: int, user=None) -> ImportBatch:
    """Undo an import: each of its months gets back the data it had before it.

    A month's data comes from the newest batch covering it that is not undone,
    so undoing restores the previous import of the month (or no data).
    """
    with transaction.atomic():
        batch = mark_undone(ImportBatch, batch_id=batch_id, user=user)
        periods = list(batch.months.values_list("period", flat=True))
        refresh_months(kind=batch.kind, periods=periods)
        after_undo = KINDS[batch.kind].after_undo
        if after_undo is not None:
            after_undo(periods)
    return batch


# Other imports undo_import undoes (the survey's, the placements', numbered apart from
# ImportBatch):
# its option -> undo(batch_id=, user=) returning the undone batch (ServiceError if it
# cannot), and what to print then, message(batch).
OTHER_UNDO: dict[str, tuple[Callable, Callable]] = {}


def register_undo(option: str, undo: Callable, message: Callable) -> None:
    """Let undo_import undo another app's imports, named with --<option>."""
    OTHER_UNDO[option] = (undo, message)


# undo_import ID --placements: placements are numbered apart (PlacementBatch).
register_undo("placements", placement_services.placements_undo, placement_page.undone_message)


# --- the series export_kpi prints ------------------------------------------------------

# Which months a series takes.
MONTHLY = "monthly"  # optional: --month (one month) or --from/--to (a range, either end open)
MONTH = "month"  # required: --month
RANGE = "range"  # required: --from and --to
YEAR = "year"  # required: --year (the survey)
DATE = "date"  # required: --on (a reference date: section 12 a)


@dataclass(frozen=True)
class SeriesExport:
    """How to produce one series: build(load(), scope=, start=, end=) -> table with
    `columns`, build(load(), scope=, year=) for a series by year (YEAR), or
    build(load(), scope=, on=) for a series on a date (DATE).

    `audit(scope=, **period)`, if given, is called once the series is built: an export
    of data about persons is logged."""

    build: Callable[..., pd.DataFrame]
    columns: Sequence[str]
    months: str = MONTHLY
    load: Callable[[], object] = cost_selectors.cost_data
    by: tuple[str, ...] = ()  # what --by may choose; build then gets by= too
    parse_scope: Callable[[str], object] = Scope.parse
    scope_help: str = ""
    audit: Callable[..., None] | None = None


def _agency_ytd(data, *, scope, start, end):
    return cost_series.agency_ytd(data, scope=scope, month=end)


def _skr_target_path(data, *, scope, start, end):
    return cost_series.skr_target_path_table(data, scope=scope, month=end)


def _skr_projection(data, *, scope, start, end):
    return cost_series.skr_projection(data, scope=scope, month=end)


def _cost_scope(text: str) -> Scope:
    """The costs' scopes: a unit too (a unit's costs are no personal data)."""
    return Scope.parse(text, units=True)


def _unit_scope(text: str) -> Scope:
    """agency-by-unit lists the units of a department, or one unit."""
    scope = _cost_scope(text)
    if scope.kind not in ("department", "unit"):
        raise ScopeError(
            _(
                "Serien agency-by-unit tar urvalet department:<verksamhet> eller "
                "unit:<ansvar>, inte %(scope)s."
            )
            % {"scope": scope.key}
        )
    return scope


def _cost(build, name: str, months: str = MONTHLY, **extra) -> SeriesExport:
    return SeriesExport(
        build,
        columns=cost_series.SERIES[name],
        months=months,
        parse_scope=extra.pop("parse_scope", _cost_scope),
        **extra,
    )


def _sick_leave(build, name: str, **extra) -> SeriesExport:
    return SeriesExport(
        build,
        columns=sick_leave_series.SERIES[name],
        load=sick_leave_selectors.sick_leave_data,
        **extra,
    )


def _placement_scope(text: str) -> Scope:
    """Section 12 a counts per operating unit, which a care type may split: the
    administration or an area only."""
    scope = Scope.parse(text)
    if scope.kind not in ("hsf", "area"):
        raise ScopeError(
            _("Serien placements-12a tar urvalet hsf eller area:<område>, inte %(scope)s.")
            % {"scope": scope.key}
        )
    return scope


def _placements_audit(*, scope, on) -> None:
    placement_services.access_log(
        what="export_kpi",
        who=f"export_kpi ({_os_user()})",
        filters={"on": on.isoformat(), "scope": scope.key},
    )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the process's user id
        return "?"


SERIES_EXPORTS: dict[str, SeriesExport] = {
    "agency-ytd": _cost(_agency_ytd, "agency-ytd", months=MONTH),
    "agency-monthly": _cost(cost_series.agency_monthly, "agency-monthly"),
    "agency-r12": _cost(cost_series.agency_r12, "agency-r12"),
    "skr-measure": _cost(cost_series.skr_measure, "skr-measure"),
    "agency-r12-by-area": _cost(cost_series.agency_r12_by_area, "agency-r12-by-area"),
    "personnel-cost": _cost(cost_series.personnel_cost, "personnel-cost"),
    "agency-by-department": _cost(
        cost_series.agency_by_department, "agency-by-department", months=RANGE
    ),
    "agency-by-unit": _cost(
        cost_series.agency_by_unit,
        "agency-by-unit",
        months=RANGE,
        parse_scope=_unit_scope,
        scope_help="department:<verksamhet> eller unit:<ansvar>",
    ),
    "agency-hours": _cost(cost_series.agency_hours, "agency-hours"),
    "skr-target-path": _cost(_skr_target_path, "skr-target-path", months=MONTH),
    "skr-projection": _cost(_skr_projection, "skr-projection", months=MONTH),
    "sick-leave": _sick_leave(
        sick_leave_series.sick_leave, "sick-leave", by=sick_leave_series.SICK_LEAVE_BY
    ),
    "sick-leave-duration": _sick_leave(
        sick_leave_series.sick_leave_duration, "sick-leave-duration"
    ),
    "placements-12a": SeriesExport(
        placement_series.placements_12a,
        columns=placement_series.EXPORT_COLUMNS,
        months=DATE,
        load=placement_selectors.placements_frame,
        parse_scope=_placement_scope,
        scope_help="hsf eller area:<område>",
        audit=_placements_audit,
    ),
}


def register_series_export(name: str, export: SeriesExport) -> None:
    """Another app's series (the survey's), added when that app is ready."""
    SERIES_EXPORTS[name] = export


# --- personal data and re-organisations ------------------------------------------------

# What the personal data publishes per month under a placement history: import_org and
# the unit admin audit a move from a month already shown against it
# (kpis.organisation.history.Published). The survey keeps its tree with each year.
PUBLISHED_PERSONAL_DATA = sick_leave_releases.sick_leave_releases


# --- the demo region -------------------------------------------------------------------

# Steps another app adds to load_demo (the survey's years): each is called as
# step(command, data, directory, seed=, small=) inside load_demo's transaction, after the
# extracts above are in; `after` steps run once everything is loaded.
DEMO_STEPS: list[Callable] = []
DEMO_AFTER_STEPS: list[Callable] = []


def register_demo_step(step: Callable, *, after: Callable | None = None) -> None:
    """Add another app's part of the demo region to load_demo."""
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)
    if after is not None and after not in DEMO_AFTER_STEPS:
        DEMO_AFTER_STEPS.append(after)


# --- the steering pack's slides from other apps ----------------------------------------

# Slides another app adds to the steering pack (kpis.pack), after the pack's own: the
# survey's, registered from survey.apps (kpis never imports the survey). Each is called
# as build(scope=<scope key>, month=<pd.Period>, comment=<chart code -> text or None>,
# user=<the user who downloads, None on the command line>) and returns (slides,
# provenance): hyrdash.lib.deck slides and (label, value) rows for the provenance slide.
# The placements' counts come first (kpis.placements.pack), then the survey's.
PACK_SECTIONS: dict[str, Callable] = {}


def register_pack_section(name: str, build: Callable) -> None:
    """Add another app's slides to the steering pack."""
    PACK_SECTIONS[name] = build


register_pack_section("placements", placement_pack.pack_section)

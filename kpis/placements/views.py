"""The placements pages (section 12 a): the list of consultants with names, one
consultant's timeline and actions, the hours beside the ledger's, and the two-step
upload with its history and undo.

The list and everything with names is for `kpis.view_placements` (the bemanning role and
superusers), and every view and download of it is logged (services.access_log). The
hours per month carry no names: whoever sees the cost dashboard sees them too.

Placements have their own upload views rather than an entry in kpis.registry: the
registry's kinds are ImportBatch kinds whose data lives per month (BatchMonth, current
batch per month, closing months), while a placement is replaced per consultant, unit and
start date and has a batch model of its own (PlacementBatch).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrdash.lib import exports, pagecache, uploads
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.page import clean_param
from kpis import data_version, roles
from kpis.placements import about, page, selectors, services
from kpis.placements.forms import ActionForm, PlacementUploadForm
from kpis.placements.models import PendingPlacementUpload, PlacementAccessLog

VIEW = roles.VIEW_PLACEMENTS
IMPORT = roles.IMPORT_PLACEMENTS


def _logged_list(request, what: str):
    """The list the GET parameters ask for, its access logged as `what`: (the
    placements, the filter form, the selection, the list's table)."""
    placements = selectors.placements_frame()
    form, selection, problems = page.list_selection(
        request.GET, placements=placements, areas=selectors.area_names()
    )
    for problem in problems:
        messages.warning(request, problem)
    table = page.list_table(placements, selection)
    services.access_log(what=what, user=request.user, filters=selection.filters())
    return placements, form, selection, table


@permission_required(VIEW, raise_exception=True)
def placement_list(request):
    """The consultants per operating unit, most urgent first, on a date, filtered."""
    placements, form, selection, table = _logged_list(request, PlacementAccessLog.What.LIST)
    context = {
        "nav": "placements",
        "form": form,
        "selection": selection,
        "empty": placements.empty,
        "rows": page.list_rows(table, selectors.latest_actions()),
        "totals": page.status_totals(table),
        "may_import": request.user.has_perm(IMPORT),
        "transition_date": services.TRANSITION_DATE,
        "transition_window_start": services.TRANSITION_WINDOW_START,
    }
    return render(request, "placements/list.html", context)


@permission_required(VIEW, raise_exception=True)
def placement_csv(request):
    """The list as CSV for Swedish Excel, with names: logged like the page."""
    _placements, _form, selection, table = _logged_list(request, PlacementAccessLog.What.CSV)
    return exports.download(
        page.csv_table(table, selectors.latest_actions()), page.csv_filename(selection.on)
    )


@permission_required(VIEW, raise_exception=True)
def consultant(request, consultant_id):
    """One consultant: the figures and placements per operating unit, the timeline and
    what was done."""
    placements = selectors.placements_frame(consultant_id=consultant_id)
    if placements.empty:
        raise Http404(_("Konsulten finns inte bland placeringarna."))
    _form, selection, _problems = page.list_selection(
        {"datum": request.GET["datum"]} if "datum" in request.GET else {},
        placements=placements,
        areas=[],
    )
    services.access_log(
        what=PlacementAccessLog.What.CONSULTANT,
        user=request.user,
        filters={"konsult": consultant_id, "datum": selection.on.isoformat()},
    )
    context = {
        "nav": "placements",
        "consultant_id": consultant_id,
        "on": selection.on,
        "view": page.consultant_view(placements, on=selection.on),
        "actions": selectors.actions(consultant_id=consultant_id),
        "action_form": ActionForm() if request.user.has_perm(IMPORT) else None,
    }
    return render(request, "placements/consultant.html", context)


def _back_to_consultant(request, consultant_id):
    """The consultant's page again, on the day it was shown for (POST datum)."""
    url = reverse("placements:consultant", args=[consultant_id])
    shown = page.shown_day(request.POST.get("datum"))
    return redirect(f"{url}?datum={shown.isoformat()}" if shown else url)


@require_POST
@permission_required(IMPORT, raise_exception=True)
def action(request, consultant_id):
    """Record what was done for a consultant (an offer, its answer, the compensation)."""
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Åtgärden kunde inte sparas: ange åtgärd och datum."))
        return _back_to_consultant(request, consultant_id)
    try:
        services.action_record(consultant_id=consultant_id, user=request.user, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("placements:list")
    messages.success(request, _("Åtgärden är sparad."))
    return _back_to_consultant(request, consultant_id)


@require_POST
@permission_required(IMPORT, raise_exception=True)
def transition(request):
    """The region's transition decision, recorded for every consultant it covers."""
    count = services.transition_record(user=request.user)
    messages.success(
        request,
        _("Övergångsbeslutet är registrerat för %(count)s konsulter som inte hade det.")
        % {"count": count},
    )
    return redirect("placements:list")


def hours(request):
    """Purchased hours per month from the placements beside the ledger's (no names), from
    the page cache. The lists with names are computed for each request instead: the
    consultants' personal data is not copied into the cache."""
    user = request.user
    if not (user.has_perm(roles.VIEW_DASHBOARD) or user.has_perm(VIEW)):
        raise PermissionDenied
    areas = selectors.area_names()
    area = clean_param(request.GET.get("omrade"))
    if area and area not in areas:
        messages.warning(
            request, _("Området %(area)s finns inte; visar hela förvaltningen.") % {"area": area}
        )
        area = ""
    today = timezone.localdate()
    chart = pagecache.cached(
        "placement-hours",
        (data_version.current(data_version.PLACEMENTS, data_version.COSTS), area, today),
        lambda: _hours_chart(area, today),
    )
    return render(
        request,
        "placements/hours.html",
        {"nav": "placement_hours", "chart": chart, "areas": areas, "area": area},
    )


def _hours_chart(area: str, today):
    table, left_out = selectors.hours_comparison(area=area, on=today)
    chart = page.hours_chart(table, scope_label=area or _("hela förvaltningen"), left_out=left_out)
    placements, actuals = selectors.latest_imports()
    chart.about = about.about_panel(placements=placements, actuals=actuals)
    return chart


# --- the upload --------------------------------------------------------------------------


@permission_required(IMPORT, raise_exception=True)
def upload(request):
    """Step 1: check the file and keep it until the uploader confirms."""
    form = PlacementUploadForm(*uploads.posted(request))
    return uploads.check_upload(
        request,
        form,
        check=lambda data: services.placements_check(data=data),
        unchanged=lambda check: _unchanged(request, check),
        pending_model=PendingPlacementUpload,
        keep=lambda check: {"summary": check.summary()},
        confirm_url="placements:upload_confirm",
        page=lambda problems: _upload_page(request, form, problems),
    )


def _unchanged(request, check):
    if not check.changes_nothing:
        return None
    messages.info(request, page.unchanged_message(check))
    return redirect("placements:upload")


def _upload_page(request, form, problems):
    context = {"form": form, "nav": "placements"}
    return uploads.upload_page(request, "placements/upload.html", context, problems)


@permission_required(IMPORT, raise_exception=True)
@uploads.waiting_upload(
    PendingPlacementUpload, history_url="placements:batches", upload_url="placements:upload"
)
def upload_confirm(request, pending):
    """Step 2: show what will be stored, and store it when the uploader confirms."""
    if request.method == "POST":
        if "cancel" in request.POST:
            return uploads.cancel(request, pending, "placements:upload")
        return uploads.store(
            request,
            pending,
            partial(services.placements_import, user=request.user),
            refused=lambda lines: _upload_page(request, PlacementUploadForm(), lines),
            stored=page.stored_message,
            done_url="placements:batches",
        )
    return render(
        request,
        "placements/upload_confirm.html",
        {"pending": pending, "summary": pending.summary, "nav": "placements"},
    )


@permission_required(IMPORT, raise_exception=True)
def batches(request):
    history = Paginator(selectors.placement_batches(), 50).get_page(request.GET.get("sida"))
    return render(request, "placements/batches.html", {"page": history, "nav": "placements"})


@require_POST
@permission_required(IMPORT, raise_exception=True)
def batch_undo(request, placement_import_id):
    return uploads.undo(
        request,
        services.placements_undo,
        batch_id=placement_import_id,
        message=page.undone_message,
        done_url="placements:batches",
    )

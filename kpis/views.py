"""The upload of extracts of every kind in kpis.registry (two steps: check, confirm),
the import history and undo.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrdash.lib import uploads
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.uploads import back_url
from kpis.batches import month_status_set, month_status_text
from kpis.forms import ExtractUploadForm, MonthStatusForm
from kpis.imports import confirm_context, replaces_form, stored_message, undone_message
from kpis.models import ImportBatch, PendingUpload
from kpis.registry import batch_undo as undo_service
from kpis.registry import (
    extract_check,
    extract_import,
    importable_kinds,
    may_import,
    may_upload,
    upload_texts,
    warm_pages,
)


@may_upload
def upload(request):
    """Step 1: check the file and keep it until the uploader confirms."""
    kinds = importable_kinds(request.user)
    wanted = request.GET.get("typ")
    form = ExtractUploadForm(
        *uploads.posted(request),
        kinds=kinds,
        initial={"kind": wanted} if wanted in kinds else None,
    )
    return uploads.check_upload(
        request,
        form,
        check=lambda data: extract_check(data=data, kind=form.cleaned_data["kind"]),
        unchanged=lambda check: _unchanged(request, check),
        pending_model=PendingUpload,
        keep=lambda check: {
            "kind": form.cleaned_data["kind"],
            "summary": check.summary().to_dict("records"),
            "skipped": check.skipped,
            "row_count": check.row_count,
            "details": check.details(),
        },
        confirm_url="kpis:upload_confirm",
        page=lambda problems: _upload_page(request, form, kinds, problems),
    )


def _unchanged(request, check):
    # Imported as whole months and in use, the file is so for either choice
    # (CostCheck.identical_for): nothing to confirm.
    identical = check.identical_to
    if identical is not None and identical.replaces == ImportBatch.Replaces.MONTHS:
        messages.info(request, uploads.identical_message(identical))
        return redirect("kpis:upload")
    return None


def _upload_page(request, form, kinds, problems):
    context = {"form": form, "nav": "import", **upload_texts(kinds)}
    return uploads.upload_page(request, "kpis/upload.html", context, problems)


@may_upload
@uploads.waiting_upload(
    PendingUpload,
    history_url="kpis:batches",
    upload_url="kpis:upload",
    kind__in=ImportBatch.Kind.values,
)
def upload_confirm(request, pending):
    """Step 2: show what will be stored and what the file covers; store it when the
    uploader confirms (with their choice of what it replaces)."""
    if not may_import(request.user, pending.kind):
        raise PermissionDenied
    form = replaces_form(pending, request.POST or None)
    if request.method == "POST":
        if "cancel" in request.POST:
            return uploads.cancel(request, pending, "kpis:upload")
        if form.is_valid():
            return _store(request, pending, form.choice())
    return render(
        request,
        "kpis/upload_confirm.html",
        confirm_context(pending, form),
        status=400 if form.errors else 200,
    )


def _store(request, pending: PendingUpload, replaces: str | None):
    kinds = importable_kinds(request.user)
    # The pages most asked for are computed before the uploader's next page answers
    # (kpis.registry.warm_pages): the cost dashboards inside the import's transaction,
    # ready when it commits; the sick-leave page once it has committed.
    warm = settings.PAGE_CACHE_WARM
    with transaction.atomic():
        response = uploads.store(
            request,
            pending,
            partial(extract_import, kind=pending.kind, user=request.user, replaces=replaces),
            refused=lambda lines: _upload_page(
                request,
                ExtractUploadForm(kinds=kinds, initial={"kind": pending.kind}),
                kinds,
                lines,
            ),
            stored=stored_message,
            done_url="kpis:batches",
        )
        if warm:
            warm_pages(pending.kind, in_transaction=True)
    if warm:
        warm_pages(pending.kind, in_transaction=False)
    return response


@may_upload
def batches(request):
    """The imports of the kinds the user may import, newest first, with undo."""
    page = Paginator(
        ImportBatch.objects.filter(kind__in=importable_kinds(request.user))
        .select_related("created_by", "undone_by")
        .prefetch_related("months__units__unit"),
        50,
    ).get_page(request.GET.get("sida"))
    return render(request, "kpis/batches.html", {"page": page, "nav": "batches"})


@require_POST
@may_upload
def batch_undo(request, batch_id):
    kind = ImportBatch.objects.filter(pk=batch_id).values_list("kind", flat=True).first()
    if kind is not None and not may_import(request.user, kind):
        raise PermissionDenied
    return uploads.undo(
        request, undo_service, batch_id=batch_id, message=undone_message, done_url="kpis:batches"
    )


@require_POST
@may_upload
def month_status(request):
    """Close every month of one kind of data (the ledger's by default) through the given
    one, or reopen it and the months after it."""
    form = MonthStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Månadens status kunde inte ändras."))
        return back_url(request, "kpis:dashboard")
    kind = form.cleaned_data["kind"] or ImportBatch.Kind.ACTUALS
    if not may_import(request.user, kind):
        raise PermissionDenied
    period, closed = form.cleaned_data["manad"], form.cleaned_data["closed"]
    try:
        through = month_status_set(period=period, closed=closed, user=request.user, kind=kind)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return back_url(request, "kpis:dashboard")
    messages.success(request, month_status_text(period=period, closed=closed, through=through))
    return back_url(request, "kpis:dashboard")

"""The upload of extracts of every kind in kpis.registry (two steps: check, confirm),
the import history and undo.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError
from hyrdash.lib.uploads import back_url, cancel, pending_upload_create, problem_lines, store
from kpis.batches import month_status_set, month_status_text
from kpis.forms import ExtractUploadForm, MonthStatusForm
from kpis.models import ImportBatch, PendingUpload
from kpis.registry import batch_undo as undo_service
from kpis.registry import (
    extract_check,
    extract_import,
    extract_kind,
    importable_kinds,
    may_import,
    may_upload,
    upload_texts,
)


@may_upload
def upload(request):
    """Step 1: check the file and keep it until the uploader confirms."""
    kinds = importable_kinds(request.user)
    problems = []
    if request.method == "POST":
        form = ExtractUploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            data = upload_file.read()
            kind = form.cleaned_data["kind"]
            try:
                check = extract_check(data=data, kind=kind)
            except (ExtractError, ServiceError) as exc:
                problems = problem_lines(exc)
            else:
                if check.identical_to is not None:
                    messages.info(
                        request,
                        _(
                            "Filen är identisk med import %(id)s (%(name)s, %(when)s) "
                            "och används redan; inget har ändrats."
                        )
                        % {
                            "id": check.identical_to.id,
                            "name": check.identical_to.file_name,
                            "when": timezone.localtime(check.identical_to.created_at).strftime(
                                "%Y-%m-%d %H:%M"
                            ),
                        },
                    )
                    return redirect("kpis:upload")
                pending = pending_upload_create(
                    PendingUpload,
                    upload_file=upload_file,
                    data=data,
                    checksum=check.checksum,
                    user=request.user,
                    kind=kind,
                    summary=check.summary().to_dict("records"),
                    skipped=check.skipped,
                    row_count=check.row_count,
                )
                return redirect("kpis:upload_confirm", pending_id=pending.id)
    else:
        wanted = request.GET.get("typ")
        form = ExtractUploadForm(kinds=kinds, initial={"kind": wanted} if wanted in kinds else None)
    return render(
        request,
        "kpis/upload.html",
        {"form": form, "problems": problems, "nav": "import", **upload_texts(kinds)},
        status=400 if problems or form.errors else 200,
    )


@may_upload
def upload_confirm(request, pending_id):
    """Step 2: show what will be stored, and store it when the uploader confirms."""
    pending = get_object_or_404(PendingUpload, pk=pending_id, created_by=request.user)
    if not may_import(request.user, pending.kind):
        raise PermissionDenied
    if request.method == "POST":
        if "cancel" in request.POST:
            return cancel(request, pending, "kpis:upload")
        kinds = importable_kinds(request.user)
        return store(
            request,
            pending,
            lambda: extract_import(
                data=bytes(pending.data),
                file_name=pending.file_name,
                kind=pending.kind,
                user=request.user,
            ),
            refused=lambda lines: render(
                request,
                "kpis/upload.html",
                {
                    "form": ExtractUploadForm(kinds=kinds, initial={"kind": pending.kind}),
                    "problems": lines,
                    "nav": "import",
                    **upload_texts(kinds),
                },
                status=400,
            ),
            stored=lambda batch, check: (
                ngettext(
                    "Import %(id)s sparad: %(rows)s rader, %(months)s månad.",
                    "Import %(id)s sparad: %(rows)s rader, %(months)s månader.",
                    len(check.months),
                )
                % {"id": batch.id, "rows": batch.row_count, "months": len(check.months)}
            ),
            done_url="kpis:batches",
        )
    entry = extract_kind(pending.kind)
    labels = entry.summary_labels()
    summary = [
        dict(row, label=labels[row["category"]][0], decimals=labels[row["category"]][1])
        if row["category"] in labels
        else dict(row, label=row["category"], decimals=2)
        for row in pending.summary
    ]
    return render(
        request,
        "kpis/upload_confirm.html",
        {
            "pending": pending,
            "summary": summary,
            "caption": entry.caption,
            "summary_heading": entry.summary_heading,
            "nav": "import",
        },
    )


@may_upload
def batches(request):
    """The imports of the kinds the user may import, newest first, with undo."""
    page = Paginator(
        ImportBatch.objects.filter(kind__in=importable_kinds(request.user))
        .select_related("created_by", "undone_by")
        .prefetch_related("months"),
        50,
    ).get_page(request.GET.get("sida"))
    return render(request, "kpis/batches.html", {"page": page, "nav": "batches"})


@require_POST
@may_upload
def batch_undo(request, batch_id):
    kind = ImportBatch.objects.filter(pk=batch_id).values_list("kind", flat=True).first()
    if kind is not None and not may_import(request.user, kind):
        raise PermissionDenied
    try:
        batch = undo_service(batch_id=batch_id, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Import %(id)s (%(name)s) är ångrad; månaderna har sina tidigare värden.")
            % {"id": batch.id, "name": batch.file_name},
        )
    return redirect("kpis:batches")


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

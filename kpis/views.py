"""Views: permission check, form, one service or selector call, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import roles
from .extracts import ExtractError
from .forms import CostUploadForm
from .models import Category, ImportBatch, PendingUpload
from .services import ServiceError, costs_check, costs_import
from .services import batch_undo as undo_service


@permission_required(roles.VIEW_DASHBOARD, raise_exception=True)
def dashboard(request):
    return render(request, "kpis/dashboard.html", {"nav": "dashboard"})


@permission_required(roles.IMPORT_DATA, raise_exception=True)
def upload(request):
    """Step 1: check the file and keep it until the controller confirms."""
    problems = []
    if request.method == "POST":
        form = CostUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            data = upload_file.read()
            kind = form.cleaned_data["kind"]
            try:
                check = costs_check(data=data, kind=kind)
            except ExtractError as exc:
                problems = exc.lines()
            except ServiceError as exc:
                problems = [str(exc)]
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
                PendingUpload.objects.filter(
                    created_at__lt=timezone.now() - dt.timedelta(days=1)
                ).delete()
                pending = PendingUpload.objects.create(
                    kind=kind,
                    file_name=upload_file.name[:255],
                    data=data,
                    checksum=check.checksum,
                    summary=check.summary().to_dict("records"),
                    skipped=check.skipped,
                    row_count=check.row_count,
                    created_by=request.user,
                )
                return redirect("kpis:upload_confirm", pending_id=pending.id)
    else:
        form = CostUploadForm()
    return render(
        request,
        "kpis/upload.html",
        {"form": form, "problems": problems, "nav": "import"},
        status=400 if problems else 200,
    )


@permission_required(roles.IMPORT_DATA, raise_exception=True)
def upload_confirm(request, pending_id):
    """Step 2: show what will be stored, and store it when the controller confirms."""
    pending = get_object_or_404(PendingUpload, pk=pending_id, created_by=request.user)
    if request.method == "POST":
        if "cancel" in request.POST:
            pending.delete()
            messages.info(request, _("Importen avbröts; inget har sparats."))
            return redirect("kpis:upload")
        try:
            batch, check = costs_import(
                data=bytes(pending.data),
                file_name=pending.file_name,
                kind=pending.kind,
                user=request.user,
            )
        except (ExtractError, ServiceError) as exc:
            lines = exc.lines() if isinstance(exc, ExtractError) else [str(exc)]
            pending.delete()
            return render(
                request,
                "kpis/upload.html",
                {"form": CostUploadForm(), "problems": lines, "nav": "import"},
                status=400,
            )
        pending.delete()
        if batch is None:
            messages.info(request, _("Filen är identisk med en import som redan används."))
        else:
            messages.success(
                request,
                _("Import %(id)s sparad: %(rows)s rader, %(months)s månader.")
                % {"id": batch.id, "rows": batch.row_count, "months": len(check.months)},
            )
        return redirect("kpis:batches")
    labels = dict(Category.choices)
    summary = [
        dict(row, label=labels.get(row["category"], row["category"])) for row in pending.summary
    ]
    return render(
        request,
        "kpis/upload_confirm.html",
        {"pending": pending, "summary": summary, "nav": "import"},
    )


@permission_required(roles.IMPORT_DATA, raise_exception=True)
def batches(request):
    page = Paginator(
        ImportBatch.objects.select_related("created_by", "undone_by").prefetch_related("months"),
        50,
    ).get_page(request.GET.get("sida"))
    return render(request, "kpis/batches.html", {"page": page, "nav": "batches"})


@require_POST
@permission_required(roles.IMPORT_DATA, raise_exception=True)
def batch_undo(request, batch_id):
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

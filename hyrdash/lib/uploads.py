"""What every two-step upload shares (the ledger and payroll extracts in kpis.views, the
national table, the survey in survey.views): step 1 keeps a checked file as a pending
upload until the uploader confirms it, step 2 stores it or forgets it; the file's
checksum; where a small form returns to.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# A pending upload nobody confirms or cancels is forgotten after this long.
PENDING_KEPT = dt.timedelta(days=1)


def problem_lines(exc: Exception) -> list[str]:
    """What the upload page lists for a file that failed its check or its import
    (an ExtractError's lines, else a ServiceError's text)."""
    return exc.lines() if isinstance(exc, ExtractError) else [str(exc)]


def forget_stale(pending_model) -> None:
    """Delete the pending uploads (PendingUpload, PendingSurveyUpload) left too long."""
    pending_model.objects.filter(created_at__lt=timezone.now() - PENDING_KEPT).delete()


def pending_upload_create(
    pending_model, *, upload_file, data: bytes, checksum: str, user, **fields
):
    """Step 1's only write: keep a checked file until its uploader confirms or cancels it.

    `pending_model` is the app's pending-upload model (PendingUpload, PendingSurveyUpload);
    `fields` what it keeps besides the file (kind, summary, year, ...). Pending uploads
    nobody confirmed within PENDING_KEPT are forgotten first.
    """
    forget_stale(pending_model)
    return pending_model.objects.create(
        file_name=upload_file.name[:255],
        data=data,
        checksum=checksum,
        created_by=user,
        **fields,
    )


def mark_undone(batch_model, *, batch_id: int, user=None):
    """Undo's first step for any kind of batch (ImportBatch, SurveyBatch): lock it,
    refuse one that does not exist or is undone already, and mark it undone by `user`.
    Call inside the transaction that then brings back the data it replaced."""
    try:
        batch = batch_model.objects.select_for_update().get(pk=batch_id)
    except batch_model.DoesNotExist as exc:
        raise ServiceError(_("Importen finns inte.")) from exc
    if batch.undone_at is not None:
        raise ServiceError(_("Importen är redan ångrad."))
    batch.undone_at = timezone.now()
    batch.undone_by = user
    batch.save(update_fields=["undone_at", "undone_by"])
    return batch


def cancel(request, pending, upload_url: str):
    """Step 2 cancelled: forget the file, say so and go back to the upload page."""
    pending.delete()
    messages.info(request, _("Importen avbröts; inget har sparats."))
    return redirect(upload_url)


def store(request, pending, import_file, *, refused, stored, done_url: str):
    """Step 2 confirmed: `import_file()` stores the file, returning (batch, check).

    The pending upload is forgotten either way. A file the import refuses (the
    registers may have changed since its check) gives `refused(problem lines)`, the
    upload page again; else the uploader is told what was stored, `stored(batch,
    check)`, or that the file was identical to an import in use, and goes to
    `done_url`.
    """
    try:
        batch, check = import_file()
    except (ExtractError, ServiceError) as exc:
        pending.delete()
        return refused(problem_lines(exc))
    pending.delete()
    if batch is None:
        messages.info(request, _("Filen är identisk med en import som redan används."))
    else:
        messages.success(request, stored(batch, check))
    return redirect(done_url)


def back_url(request, fallback: str):
    """Where a controller's small form returns to: the page it was posted from."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)

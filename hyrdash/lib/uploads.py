"""What every two-step upload shares (the ledger and payroll extracts in kpis.views, the
national table, the survey in survey.views): step 1 keeps a checked file as a pending
upload until the uploader confirms it, step 2 stores it or forgets it; the file's
checksum; where a small form returns to; the addresses of the upload and its import
history (`upload_urls`).

Once stored, refused or cancelled, a pending upload loses its file but keeps its record
(`outcome`, the import's number) until it is forgotten with the stale ones: going back
to its confirmation page then says what became of it ("Importen är redan sparad"), and
confirming it twice stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from hyrdash.lib.coverage import PartialFileError
from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# A pending upload nobody confirms or cancels is forgotten after this long.
PENDING_KEPT = dt.timedelta(days=1)


def problem_lines(exc: Exception) -> list[str]:
    """What the upload page lists for a file that failed its check or its import
    (an ExtractError's lines or a partial file's warning, else a ServiceError's text)."""
    if isinstance(exc, ExtractError | PartialFileError):
        return exc.lines()
    return [str(exc)]


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


def posted(request) -> tuple:
    """An upload form's data and files for a POST, nothing (an unbound form) otherwise:
    `UploadForm(*posted(request))`."""
    return (request.POST, request.FILES) if request.method == "POST" else ()


def upload_page(request, template: str, context: dict, problems=()):
    """An upload page: its form (`context["form"]`) and why a file was refused, answered
    400 when it was or the form has errors."""
    status = 400 if problems or context["form"].errors else 200
    return render(request, template, {**context, "problems": list(problems)}, status=status)


def check_upload(
    request,
    form,
    *,
    check: Callable,
    pending_model,
    keep: Callable,
    confirm_url: str,
    page: Callable,
    unchanged: Callable | None = None,
):
    """Step 1 for every upload: a valid form's file is read and `check(data)` checked,
    writing nothing, then kept as a `pending_model` (pending_upload_create) with what
    `keep(check)` gives besides the file (kind, summary, ...), and the uploader goes to
    its confirmation page (`confirm_url`, given its id). `unchanged(check)`, if given,
    answers instead for a file there is nothing to confirm for (identical to the one in
    use), or None. A file with problems, an unbound or invalid form: `page(problem
    lines)`, the upload page."""
    problems = []
    if form.is_bound and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            checked = check(data)
            answer = unchanged(checked) if unchanged is not None else None
            if answer is not None:
                return answer
            pending = pending_upload_create(
                pending_model,
                upload_file=upload_file,
                data=data,
                checksum=checked.checksum,
                user=request.user,
                **keep(checked),
            )
            return redirect(confirm_url, pending.id)
        except (ExtractError, ServiceError) as exc:
            problems = problem_lines(exc)
    return page(problems)


def identical_message(batch) -> str:
    """Why a file identical to an import in use was not kept for confirmation."""
    return _(
        "Filen är identisk med import %(id)s (%(name)s, %(when)s) och används redan; "
        "inget har ändrats."
    ) % {
        "id": batch.id,
        "name": batch.file_name,
        "when": timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M"),
    }


def waiting_upload(pending_model, *, history_url: str, upload_url: str, **filters):
    """Step 2's views take the uploader's pending upload that still waits (`pending`
    instead of its id, the one URL argument); for any other (stored, refused, cancelled,
    someone else's, forgotten) the page that says what became of it (`finished`).
    `filters` narrow the pending uploads a view confirms (its kind)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, **kwargs):
            (pending_id,) = kwargs.values()
            pending = pending_model.objects.filter(
                pk=pending_id, created_by=request.user, **filters
            ).first()
            if pending is None or pending.outcome:
                return finished(
                    request,
                    pending,
                    history_url=reverse(history_url),
                    upload_url=reverse(upload_url),
                )
            return view(request, pending)

        return wrapped

    return decorate


# What became of a pending upload (its `outcome`; "" while it waits).
STORED, IDENTICAL, REFUSED, CANCELLED = "stored", "identical", "refused", "cancelled"


def finish(pending, outcome: str, batch=None) -> None:
    """Forget a pending upload's file, keeping what became of it (see the module) and
    the number of the import it became, for one stored with an import record."""
    pending.data = b""
    pending.outcome = outcome
    pending.batch_id = getattr(batch, "id", None)
    pending.save(update_fields=["data", "outcome", "batch_id"])


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
    finish(pending, CANCELLED)
    messages.info(request, _("Importen avbröts; inget har sparats."))
    return redirect(upload_url)


def finished(request, pending, *, history_url: str, upload_url: str, status: int = 200):
    """The page for a confirmation page visited again (the browser's back button, a
    second click) once its upload was stored, refused or cancelled, or for one that
    does not exist (any more) for this user (`pending` None, answered 404): what became
    of it, with links to the import history and the upload page. Never Django's
    technical 404."""
    return render(
        request,
        "_upload_finished.html",
        {
            "pending": pending,
            "outcome": pending.outcome if pending is not None else "",
            "history_url": history_url,
            "upload_url": upload_url,
        },
        status=404 if pending is None else status,
    )


def store(request, pending, import_file, *, refused, stored, done_url: str):
    """Step 2 confirmed: `import_file(data=, file_name=)` stores the pending upload's
    file, returning (batch, check):
    `batch` the import's record, None for a file identical to one in use (a table
    stored without records, the national one, returns what it stored instead).

    The pending upload's file is forgotten either way (`finish`). A file the import refuses (the
    registers may have changed since its check) gives `refused(problem lines)`, the
    upload page again; else the uploader is told what was stored, `stored(batch,
    check)`, or that the file was identical to an import in use, and goes to
    `done_url`.
    """
    try:
        batch, check = import_file(data=bytes(pending.data), file_name=pending.file_name)
    except (ExtractError, ServiceError) as exc:
        finish(pending, REFUSED)
        return refused(problem_lines(exc))
    finish(pending, STORED if batch is not None else IDENTICAL, batch)
    if batch is None:
        messages.info(request, _("Filen är identisk med en import som redan används."))
    else:
        messages.success(request, stored(batch, check))
    return redirect(done_url)


def undo(request, batch_undo: Callable, *, batch_id: int, message: Callable, done_url: str):
    """An import history's undo: `batch_undo(batch_id=, user=)`, then the uploader is
    told what got its values back (`message(batch)`) or why nothing was undone, and goes
    back to the history (`done_url`)."""
    try:
        batch = batch_undo(batch_id=batch_id, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message(batch))
    return redirect(done_url)


def back_url(request, fallback: str):
    """Where a controller's small form returns to: the page it was posted from."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def upload_urls(views, *, pending: str, batch: str) -> list:
    """A subject's upload, its confirmation, its import history and undo: the same
    addresses and names in every app's namespace. `views` has upload, upload_confirm,
    batches and batch_undo; `pending` and `batch` name the numbers the last two take."""
    return [
        path("importera/", views.upload, name="upload"),
        path(f"importera/<int:{pending}>/bekrafta/", views.upload_confirm, name="upload_confirm"),
        path("importer/", views.batches, name="batches"),
        path(f"importer/<int:{batch}>/angra/", views.batch_undo, name="batch_undo"),
    ]

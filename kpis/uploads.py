"""What the upload pages of the ledger and payroll extracts (kpis.views) and of the
survey (survey.views) share: step 1 keeps a checked file as a pending upload until
the uploader confirms it, step 2 stores it or forgets it."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .extracts import ExtractError

# A pending upload nobody confirms or cancels is forgotten after this long.
PENDING_KEPT = dt.timedelta(days=1)


def problem_lines(exc: Exception) -> list[str]:
    """What the upload page lists for a file that failed its check or its import
    (an ExtractError's lines, else a ServiceError's text)."""
    return exc.lines() if isinstance(exc, ExtractError) else [str(exc)]


def forget_stale(pending_model) -> None:
    """Delete the pending uploads (PendingUpload, PendingSurveyUpload) left too long."""
    pending_model.objects.filter(created_at__lt=timezone.now() - PENDING_KEPT).delete()


def cancel(request, pending, upload_url: str):
    """Step 2 cancelled: forget the file, say so and go back to the upload page."""
    pending.delete()
    messages.info(request, _("Importen avbröts; inget har sparats."))
    return redirect(upload_url)

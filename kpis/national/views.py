"""The national comparison's upload, in the two steps of every upload: check SKR's table,
then store it when the controller confirms (hyrdash.lib.uploads)."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from hyrdash.lib import uploads
from hyrdash.lib.forms import UploadForm
from kpis import roles
from kpis.models import NationalShare, PendingUpload
from kpis.national.services import national_check, national_import


@permission_required(roles.IMPORT_DATA, raise_exception=True)
def national_upload(request):
    """Step 1: check the small national comparison table (Period;Region;Andel) from SKR's
    statistics and keep it until the controller confirms."""
    form = UploadForm(*uploads.posted(request))
    return uploads.check_upload(
        request,
        form,
        check=lambda data: national_check(data=data),
        pending_model=PendingUpload,
        keep=lambda check: {
            "kind": PendingUpload.NATIONAL,
            "summary": check.summary(),
            "row_count": check.row_count,
        },
        confirm_url="kpis:national_upload_confirm",
        page=lambda problems: _upload_page(request, form, problems),
    )


def _upload_page(request, form, problems):
    shares = NationalShare.objects.all().order_by("-quarter", "-share_pct")
    context = {"form": form, "shares": shares, "nav": "national"}
    return uploads.upload_page(request, "kpis/national_upload.html", context, problems)


@permission_required(roles.IMPORT_DATA, raise_exception=True)
@uploads.waiting_upload(
    PendingUpload,
    history_url="kpis:national_upload",
    upload_url="kpis:national_upload",
    kind=PendingUpload.NATIONAL,
)
def national_upload_confirm(request, pending):
    """Step 2: show each quarter's shares, new beside stored, and store them when the
    controller confirms."""
    if request.method == "POST":
        if "cancel" in request.POST:
            return uploads.cancel(request, pending, "kpis:national_upload")
        return uploads.store(
            request,
            pending,
            _import,
            refused=lambda lines: _upload_page(request, UploadForm(), lines),
            stored=lambda quarters, _check: (
                _("Nationell jämförelse sparad för %(quarters)s.")
                % {"quarters": ", ".join(quarters)}
            ),
            done_url="kpis:national_upload",
        )
    return render(
        request,
        "kpis/national_upload_confirm.html",
        {"pending": pending, "summary": pending.summary, "nav": "national"},
    )


def _import(*, data: bytes, file_name: str):
    """The table has no import record: what was stored is its quarters."""
    return national_import(data=data), None

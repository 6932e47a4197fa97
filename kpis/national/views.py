"""The national comparison's upload page (one step: the table is small)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hyrdash.lib.forms import UploadForm
from hyrdash.lib.tabular import ExtractError
from kpis import roles
from kpis.models import NationalShare
from kpis.national.services import national_import


@permission_required(roles.IMPORT_DATA, raise_exception=True)
def national_upload(request):
    """The small national comparison table (Period;Region;Andel) from SKR's statistics."""
    problems = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                quarters = national_import(data=form.cleaned_data["file"].read())
            except ExtractError as exc:
                problems = exc.lines()
            else:
                messages.success(
                    request,
                    _("Nationell jämförelse sparad för %(quarters)s.")
                    % {"quarters": ", ".join(quarters)},
                )
                return redirect("kpis:national_upload")
    else:
        form = UploadForm()
    shares = NationalShare.objects.all().order_by("-quarter", "-share_pct")
    return render(
        request,
        "kpis/national_upload.html",
        {"form": form, "problems": problems, "shares": shares, "nav": "national"},
        status=400 if problems or form.errors else 200,
    )

"""The pack page (Styrgruppspaket): choose a month and a scope, download the deck, and
(controllers) write the month's text slides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hyrdash.lib import chart_style, pagecache
from hyrdash.lib.errors import ServiceError
from kpis import data_version, roles
from kpis.costs.selection import scope_choices
from kpis.pack import forms as pack_forms
from kpis.pack import page as pack_page
from kpis.pack import selectors, services
from kpis.pack.slides import is_preliminary

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _context(request, months, selection, formset=None) -> dict:
    """What the page draws for a selection; `formset` is a refused one, shown again."""
    rows, copied_from = selectors.pack_texts_to_start_from(
        month=selection.month, scope=selection.scope
    )
    may_edit = request.user.has_perm(roles.IMPORT_DATA)
    if formset is None and may_edit:
        formset = pack_forms.PackTextFormSet(
            initial=pack_forms.initial_rows(rows), prefix=pack_forms.PREFIX
        )
    return {
        "nav": "pack",
        "selection": selection,
        "selected_month": selection.month_text,
        "preliminary": is_preliminary(months, selection.month),
        "month_choices": pack_page.month_choices(months),
        "scope_choices": scope_choices(months, selection.scope),
        "query": selection.query(),
        "contents": pack_page.contents(),
        "texts": [] if copied_from else rows,
        "copied_from": chart_style.month_label(copied_from) if copied_from else "",
        "formset": formset if may_edit else None,
        "command": pack_page.command_line(selection),
    }


@permission_required(roles.VIEW_DASHBOARD, raise_exception=True)
def pack(request):
    months = selectors.month_states()
    if months.last_month is None:
        return render(request, "kpis/pack.html", {"nav": "pack", "empty": True})
    selection, problems = pack_page.parse_selection(request.GET, months=months)
    for problem in problems:
        messages.warning(request, problem)
    return render(request, "kpis/pack.html", _context(request, months, selection))


@permission_required(roles.VIEW_DASHBOARD, raise_exception=True)
def pack_download(request):
    """The month's steering pack for the scope, as a .pptx download."""
    version = data_version.current()  # before any data is read
    months = selectors.month_states()
    if months.last_month is None:
        return HttpResponseBadRequest(
            _("Det finns inga utfall ännu."), content_type="text/plain; charset=utf-8"
        )
    selection, problems = pack_page.parse_selection(request.GET, months=months)
    if problems:
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    user = request.user
    try:
        # Kept in the page cache for the data version and what the user may see (the
        # sick-leave and survey slides follow permissions): a pack asked for again is
        # the same file, its build time the first build's.
        built = pagecache.cached(
            "pack",
            (
                version,
                selection.month.strftime("%Y-%m"),
                selection.scope.key,
                sorted(user.get_all_permissions()),
            ),
            lambda: services.pack_build(month=selection.month, scope=selection.scope, user=user),
        )
    except ServiceError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    response = HttpResponse(built.content, content_type=PPTX)
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


@require_POST
@permission_required(roles.IMPORT_DATA, raise_exception=True)
def pack_texts(request):
    """Save the month's text slides of the scope (all of them at once)."""
    try:
        selection = pack_page.parse_posted(request.POST)
    except ValueError as exc:  # ScopeError too
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    formset = pack_forms.PackTextFormSet(request.POST, prefix=pack_forms.PREFIX)
    if not formset.is_valid():
        messages.error(request, _("Textbilderna sparades inte: rätta det som är markerat."))
        context = _context(request, selectors.month_states(), selection, formset)
        return render(request, "kpis/pack.html", context, status=400)
    count = services.pack_texts_save(
        month=selection.month,
        scope=selection.scope,
        rows=pack_forms.text_rows(formset),
        user=request.user,
    )
    messages.success(
        request,
        ngettext(
            "%(count)s textbild sparad för %(month)s.",
            "%(count)s textbilder sparade för %(month)s.",
            count,
        )
        % {"count": count, "month": selection.month_label},
    )
    return redirect(reverse("kpis:pack") + "?" + selection.query())

"""The cost dashboard's pages: the dashboard itself, its CSV downloads, and the
controller's small forms on it (closing a month, a comment).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrdash.lib import chart_style, exports
from hyrdash.lib.uploads import back_url
from kpis import data_version, roles
from kpis.costs import cached as cost_cached
from kpis.costs import selection as cost_selection
from kpis.costs.services import commentary_save
from kpis.forms import CommentaryForm
from kpis.organisation.selectors import Scope, ScopeError


def dashboard(request):
    """The steering group's monthly cost dashboard for a month and a scope (GET parameters).

    It is the site's address (/): someone without access who types it is sent to their
    own start page; a link with a selection is refused (403), saying why.
    """
    if not request.user.has_perm(roles.VIEW_DASHBOARD):
        if not request.GET:
            return redirect("start")
        raise PermissionDenied
    version = data_version.current(*data_version.COST_PAGES)  # before any data is read
    data = cost_cached.cost_data(version)
    if data.last_month is None:
        return render(request, "kpis/dashboard.html", {"nav": "dashboard", "empty": True})
    selection, problems = cost_selection.parse_selection(request.GET, data=data)
    for problem in problems:
        messages.warning(request, problem)
    charts = cost_cached.dashboard_charts(version, data, selection)
    context = {
        "nav": "dashboard",
        "selection": selection,
        "selected_month": selection.month_text,
        "preliminary": data.is_preliminary(selection.month),
        "closed_through_label": (
            chart_style.month_label(data.closed_through) if data.closed_through else ""
        ),
        "month_choices": cost_selection.month_choices(data),
        "scope_choices": cost_selection.scope_choices(data, selection.scope),
        "query": selection.query(),
        "charts": charts,
        "breadcrumb": [
            {"label": scope.label, "href": cost_cached.scope_url(selection, scope)}
            for scope in cost_selection.scope_path(selection.scope, data)
        ],
    }
    return render(request, "kpis/dashboard.html", context)


@require_POST
@permission_required(roles.IMPORT_DATA, raise_exception=True)
def commentary(request):
    """Save a chart's comment for the month and the scope the page shows (urval)."""
    form = CommentaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kommentaren kunde inte sparas: högst 2 000 tecken."))
        return back_url(request, "kpis:dashboard")
    try:
        scope = Scope.parse(form.cleaned_data["urval"] or None, units=True)
    except ScopeError as exc:
        messages.error(request, _("Kommentaren kunde inte sparas: %(problem)s") % {"problem": exc})
        return back_url(request, "kpis:dashboard")
    saved = commentary_save(
        period=form.cleaned_data["manad"],
        chart=form.cleaned_data["chart"],
        scope=scope.key,
        text=form.cleaned_data["text"],
        user=request.user,
    )
    messages.success(
        request, _("Kommentaren är sparad.") if saved else _("Kommentaren är borttagen.")
    )
    return back_url(request, "kpis:dashboard")


@permission_required(roles.VIEW_DASHBOARD, raise_exception=True)
def dashboard_csv(request, series):
    """One chart's table as CSV for Swedish Excel: the same table the page shows."""
    if series not in cost_selection.CHART_CODES:
        raise Http404(_("Okänd serie."))
    version = data_version.current(*data_version.COST_PAGES)
    data = cost_cached.cost_data(version)
    if data.last_month is None:
        raise Http404(_("Det finns inga utfall ännu."))
    selection, problems = cost_selection.parse_selection(request.GET, data=data)
    if problems:
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    if series not in cost_selection.dashboard_codes(selection.scope):
        raise Http404(_("Serien finns inte för det här urvalet."))
    table = cost_cached.series_csv(version, series, data, selection)
    return exports.download(table, cost_selection.csv_filename(series, selection, table))

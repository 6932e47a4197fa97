"""The cost dashboard's pages: the dashboard itself, its CSV downloads, and the
controller's small forms on it (closing a month, a comment).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrdash.lib import chart_style, exports
from hyrdash.lib.uploads import back_url
from kpis import roles
from kpis.costs import page as cost_page
from kpis.costs import selection as cost_selection
from kpis.costs import selectors as cost_selectors
from kpis.costs.services import commentary_save
from kpis.forms import CommentaryForm
from kpis.national import selectors as national_selectors
from kpis.organisation.selectors import Scope, ScopeError
from kpis.placements import page as placement_page
from kpis.placements import selectors as placement_selectors


def dashboard(request):
    """The steering group's monthly cost dashboard for a month and a scope (GET parameters).

    It is the site's address (/): someone without access who types it is sent to their
    own start page; a link with a selection is refused (403), saying why.
    """
    if not request.user.has_perm(roles.VIEW_DASHBOARD):
        if not request.GET:
            return redirect("start")
        raise PermissionDenied
    data = cost_selectors.cost_data()
    if data.last_month is None:
        return render(request, "kpis/dashboard.html", {"nav": "dashboard", "empty": True})
    selection, problems = cost_selection.parse_selection(request.GET, data=data)
    for problem in problems:
        messages.warning(request, problem)
    national = national_selectors.national_shares()

    def link(scope: Scope) -> str:
        """The same page for another scope: the drill-down's links and the breadcrumb."""
        return f"{reverse('kpis:dashboard')}?{selection.query(scope=scope)}"

    charts = cost_page.build_charts(
        data,
        selection,
        comments=cost_selectors.commentaries(month=selection.month, scope=selection.scope.key),
        national=national,
        region=getattr(settings, "HYRDASH_REGION", "Västerbotten"),
        extra_tables=_placement_tables(),
        link=link,
        sources=cost_selectors.measure_sources(national=national),
    )
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
            {"label": scope.label, "href": link(scope)}
            for scope in cost_selection.scope_path(selection.scope, data)
        ],
    }
    return render(request, "kpis/dashboard.html", context)


def _placement_tables() -> dict:
    """Beside the purchased hours: consultants per area and status under 12 a § today,
    counts only (the names are for the bemanning role)."""
    today = timezone.localdate()
    counts = placement_selectors.status_counts(on=today)
    if counts.empty:
        return {}
    return {"agency-hours": [placement_page.counts_table(counts, on=today)]}


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
    data = cost_selectors.cost_data()
    if data.last_month is None:
        raise Http404(_("Det finns inga utfall ännu."))
    selection, problems = cost_selection.parse_selection(request.GET, data=data)
    if problems:
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    if series not in cost_selection.dashboard_codes(selection.scope):
        raise Http404(_("Serien finns inte för det här urvalet."))
    national = (
        national_selectors.national_shares()
        if series in (cost_selection.NATIONAL, cost_selection.NATIONAL_TREND)
        else None
    )
    table = cost_selection.series_table(series, data, selection, national=national)
    return exports.download(table, cost_selection.csv_filename(series, selection, table))

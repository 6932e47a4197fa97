"""The sick-leave page and its CSV downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style, exports
from kpis import data_version, roles
from kpis.sick_leave import cached
from kpis.sick_leave import page as sick_leave_page


@permission_required(roles.VIEW_SICK_LEAVE, raise_exception=True)
def sick_leave(request):
    """Sick leave R12 for a month and a scope (GET parameters), every figure of a group
    too small to show withheld (kpis.series.sick_leave_cells); from the page cache
    (kpis.sick_leave.cached) with the decisions what to withhold."""
    version = data_version.current(*data_version.SICK_LEAVE_PAGES)  # before any data is read
    data = cached.sick_leave_data(version)
    if data.last_month is None:
        return render(request, "kpis/sick_leave.html", {"nav": "sick_leave", "empty": True})
    selection, problems = sick_leave_page.parse_selection(request.GET, data=data)
    for problem in problems:
        messages.warning(request, problem)
    context = {
        "nav": "sick_leave",
        "selection": selection,
        "selected_month": selection.month_text,
        "preliminary": data.is_preliminary(selection.month),
        "closed_through_label": (
            chart_style.month_label(data.closed_through) if data.closed_through else ""
        ),
        "max_hidden": data.max_hidden,
        "month_choices": sick_leave_page.month_choices(data),
        "scope_choices": sick_leave_page.scope_choices(data, selection.scope),
        "query": selection.query(),
        "charts": cached.page_charts(data, selection),
    }
    return render(request, "kpis/sick_leave.html", context)


@permission_required(roles.VIEW_SICK_LEAVE, raise_exception=True)
def sick_leave_csv(request, code):
    """One sick-leave chart's table as CSV for Swedish Excel, withheld values empty."""
    if code not in sick_leave_page.CHART_CODES:
        raise Http404(_("Okänd serie."))
    version = data_version.current(*data_version.SICK_LEAVE_PAGES)
    data = cached.sick_leave_data(version)
    if data.last_month is None:
        raise Http404(_("Det finns ingen sjukfrånvaro ännu."))
    selection, problems = sick_leave_page.parse_selection(request.GET, data=data)
    if problems:
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    table = cached.series_csv(code, data, selection)
    return exports.download(table, sick_leave_page.csv_filename(code, selection))

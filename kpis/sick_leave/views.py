"""The sick-leave page and its CSV downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style, exports
from kpis import roles
from kpis.sick_leave import page as sick_leave_page
from kpis.sick_leave import selectors


@permission_required(roles.VIEW_SICK_LEAVE, raise_exception=True)
def sick_leave(request):
    """Sick leave R12 for a month and a scope (GET parameters), every figure of a group
    too small to show withheld (kpis.series.sick_leave_cells)."""
    data = selectors.sick_leave_data()
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
        "charts": sick_leave_page.build_charts(data, selection),
    }
    return render(request, "kpis/sick_leave.html", context)


@permission_required(roles.VIEW_SICK_LEAVE, raise_exception=True)
def sick_leave_csv(request, code):
    """One sick-leave chart's table as CSV for Swedish Excel, withheld values empty."""
    if code not in sick_leave_page.CHART_CODES:
        raise Http404(_("Okänd serie."))
    data = selectors.sick_leave_data()
    if data.last_month is None:
        raise Http404(_("Det finns ingen sjukfrånvaro ännu."))
    selection, problems = sick_leave_page.parse_selection(request.GET, data=data)
    if problems:
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    table = sick_leave_page.series_table(code, data, selection)
    return exports.download(table, sick_leave_page.csv_filename(code, selection))

"""Project-wide views: the start page every login lands on, and the login form itself.

The site's root (`/`) is the cost dashboard, which only styrgrupp and controllers may
see. After a login, and from the navigation bar's brand, everyone goes to `/start/`
instead, which sends each user on to the first page their permissions allow.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse

from kpis import registry, roles
from survey import access


def first_page(request) -> str | None:
    """The name of the first page the user may open, in the menu's order; None: none.

    Permissions, never group names (kpis/roles.py): a custom group or a superuser gets
    the page its permissions allow.
    """
    user = request.user
    if user.has_perm(roles.VIEW_DASHBOARD):
        return "kpis:dashboard"  # styrgrupp, controller
    if user.has_perm(access.VIEW):
        return "survey:results"  # hr
    if user.has_perm(roles.VIEW_SICK_LEAVE):
        return "kpis:sick_leave"
    if user.has_perm(roles.VIEW_PLACEMENTS):
        return "placements:list"  # bemanning
    if registry.importable_kinds(user):
        return "kpis:upload"
    if user.has_perm(access.IMPORT):
        return "survey:upload"
    if user.is_staff and admin.site.get_app_list(request):
        return "admin:index"  # the registers only
    return None


def start(request):
    """Where a login lands: the user's first page, or a page saying there is none yet."""
    page = first_page(request)
    if page is not None:
        return redirect(page)
    return render(request, "start.html", {"nav": "start"})


class LoginView(auth_views.LoginView):
    """Django's login view; a `next` of the bare site root goes to the start page.

    Someone who opens the site's address before logging in is sent to the login with
    `?next=/`, the cost dashboard. That is the start of the site, not a page they chose,
    and HR may not see it: they land on their own first page instead of a refusal.
    """

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url == reverse("kpis:dashboard") else url

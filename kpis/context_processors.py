from . import roles as r


def roles(request):
    """Expose what the user may do, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_view_dashboard": False, "can_import": False}
    return {
        "can_view_dashboard": user.has_perm(r.VIEW_DASHBOARD),
        "can_import": user.has_perm(r.IMPORT_DATA),
    }

from . import roles as r
from .registry import importable_kinds


def roles(request):
    """Expose what the user may do, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "can_view_dashboard": False,
            "can_import": False,
            "can_view_sick_leave": False,
            "can_import_sick_leave": False,
            "can_upload": False,
            "can_view_placements": False,
            "can_import_placements": False,
            "can_view_placement_hours": False,
        }
    kinds = importable_kinds(user)
    return {
        "can_view_dashboard": user.has_perm(r.VIEW_DASHBOARD),
        # The ledger's controller tools (commentary, month closing, national table).
        "can_import": user.has_perm(r.IMPORT_DATA),
        "can_view_sick_leave": user.has_perm(r.VIEW_SICK_LEAVE),
        "can_import_sick_leave": user.has_perm(r.IMPORT_SICK_LEAVE),
        # The upload page and the import history: any kind of extract.
        "can_upload": bool(kinds),
        # Section 12 a: the consultants' list with names, their import; the hours per
        # month (no names) for the list's readers and the cost dashboard's (linked from
        # the list and from the dashboard's purchased hours, not from the menu).
        "can_view_placements": user.has_perm(r.VIEW_PLACEMENTS),
        "can_import_placements": user.has_perm(r.IMPORT_PLACEMENTS),
        "can_view_placement_hours": user.has_perm(r.VIEW_PLACEMENTS)
        or user.has_perm(r.VIEW_DASHBOARD),
    }

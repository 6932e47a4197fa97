from . import access


def survey(request):
    """What the user may do with the survey, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_view_survey": False, "can_import_survey": False}
    return {
        "can_view_survey": user.has_perm(access.VIEW),
        "can_import_survey": user.has_perm(access.IMPORT),
    }

"""Who sees what of the survey.

- `survey.view_survey` (styrgrupp, controller, hr): the administration and every area;
- `survey.view_survey_units` (hr): also the departments and units of the areas the
  user is assigned (survey.HrAccess); an HR user with every area is the HR strategist;
- a superuser sees everything.

Views and CSV downloads ask `may_see` before reading a group's values; a group
outside the user's areas is answered 404, as if it did not exist.
"""

from __future__ import annotations

from .models import HrAccess
from .results import HSF, Tree

VIEW = "survey.view_survey"
VIEW_UNITS = "survey.view_survey_units"
IMPORT = "survey.import_survey"


def unit_areas(user) -> set[str] | None:
    """Names of the areas whose departments and units the user may see; None: all."""
    if user.is_superuser:
        return None
    if not user.has_perm(VIEW_UNITS):
        return set()
    if not hasattr(user, "_survey_areas"):
        access = HrAccess.objects.filter(user=user).first()
        user._survey_areas = (
            set(access.areas.values_list("name", flat=True)) if access is not None else set()
        )
    return user._survey_areas


def area_of(key: str, tree: Tree) -> str | None:
    """The area name a group belongs to (None for the administration)."""
    if key == HSF:
        return None
    if key.startswith("area:"):
        return key.removeprefix("area:")
    for ancestor in tree.ancestors(key):
        if ancestor.startswith("area:"):
            return ancestor.removeprefix("area:")
    return None


def may_see(user, key: str, tree: Tree) -> bool:
    if not user.has_perm(VIEW):
        return False
    if key == HSF or key.startswith("area:"):
        return True
    areas = unit_areas(user)
    return areas is None or area_of(key, tree) in areas

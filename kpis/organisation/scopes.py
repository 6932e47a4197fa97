"""The names of the organisation's levels as selections use them (pure, no Django),
and the target in force for a scope."""

from collections.abc import Mapping

from hyrdash.lib.periods import is_missing

# The whole administration (hälso- och sjukvårdsförvaltningen): the top of every tree.
HSF = "hsf"
# The kinds of scope a selection names: "hsf", "care:<vårdtyp>", "area:<område>",
# "department:<verksamhet>".
SCOPE_KINDS = (HSF, "care", "area", "department")
# A unit, "unit:<ansvar>": only where its figures are no personal data (the costs); a
# selection takes it only when asked to (kpis.organisation.selectors.Scope.parse).
UNIT = "unit"


# --- targets and chart shapes ------------------------------------------------


def target_for(
    targets: Mapping[tuple[int, str], float | str | None], *, year: int, scope: str
) -> float | None:
    """The target (%) in force for a scope and year, or None when there is none.

    ``targets`` maps ``(year, scope)`` to a percentage, or to ``"hsf"`` when a
    controller marked that scope to follow the administration's target for the year;
    scopes are ``"hsf"`` (the whole administration), ``"care:<vårdtyp>"`` or
    ``"area:<name>"``. A scope has its own target, or the administration's when it
    follows it, or none: a target nobody decided is never shown.
    """
    value = targets.get((year, scope))
    if value == HSF and scope != HSF:
        value = targets.get((year, HSF))
    if isinstance(value, str) or is_missing(value):
        return None
    return float(value)  # type: ignore[arg-type]


def target_follows_hsf(
    targets: Mapping[tuple[int, str], float | str | None], *, year: int, scope: str
) -> bool:
    """Whether the scope's target for the year is the administration's (marked to
    follow it, and the administration has one): the pages then say so."""
    return (
        scope != HSF
        and targets.get((year, scope)) == HSF
        and target_for(targets, year=year, scope=scope) is not None
    )

"""The names of the organisation's levels as selections use them (pure, no Django),
and the target in force for a scope."""

from collections.abc import Mapping

from hyrdash.lib.periods import is_missing

# The whole administration (hälso- och sjukvårdsförvaltningen): the top of every tree.
HSF = "hsf"
# The kinds of scope a selection names: "hsf", "care:<vårdtyp>", "area:<område>",
# "department:<verksamhet>".
SCOPE_KINDS = (HSF, "care", "area", "department")


# --- targets and chart shapes ------------------------------------------------


def target_for(
    targets: Mapping[tuple[int, str], float | None], *, year: int, scope: str
) -> float | None:
    """The target agency share (%) for a scope and year.

    ``targets`` maps ``(year, scope)`` to a percentage; scopes are ``"hsf"``
    (the whole administration), ``"care:<vårdtyp>"`` or ``"area:<name>"``.
    A scope without its own target falls back to ``(year, "hsf")``; if that
    is missing too, ``None``.
    """
    for key in ((year, scope), (year, HSF)):
        value = targets.get(key)
        if not is_missing(value):
            return float(value)  # type: ignore[arg-type]
    return None

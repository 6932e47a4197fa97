"""Small-group suppression, shared by sick leave (health data) and the employee survey.

Pure functions, no Django. A *breakdown* is a parent group (a total) split into
child groups (women/men, age bands, the units of a department). A child is
hidden when it has fewer members than the threshold (primary suppression).
When the parent is shown and exactly one child is hidden, that child could be
worked out as parent minus the shown children, so the smallest other child
with members is hidden too (complementary suppression).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def is_hidden(size: int | float | None, *, threshold: int) -> bool:
    """A group is hidden when it has fewer than `threshold` members (unknown counts as 0)."""
    return size is None or size != size or size < threshold  # size != size: NaN


def suppress(
    sizes: Mapping[Hashable, int | float | None],
    *,
    threshold: int,
    parent_shown: bool = True,
) -> set[Hashable]:
    """The children of a breakdown to hide, given each child's number of members.

    - every child with fewer than `threshold` members is hidden;
    - if the parent is shown and exactly one child with members is hidden, the
      smallest other child with members is hidden too (ties broken by key
      order), so no hidden value equals parent minus the shown ones;
    - children with no members at all carry no value and never count as the
      one hidden child (there is nothing to reveal).
    """
    hidden = {key for key, size in sizes.items() if is_hidden(size, threshold=threshold)}
    with_members = {key for key, size in sizes.items() if size and size == size and size > 0}
    hidden_with_members = hidden & with_members
    if parent_shown and len(hidden_with_members) == 1:
        candidates = sorted(
            (key for key in with_members if key not in hidden),
            key=lambda key: (sizes[key], str(key)),
        )
        if candidates:
            hidden.add(candidates[0])
    return hidden

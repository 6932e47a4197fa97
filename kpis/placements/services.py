"""Writes of the consultant placements: importing the staffing system's export, undoing an
import, recording what was done for a consultant, and logging who saw the list.

A placement is known by its key: consultant, unit and start date. The placement in use
for a key is the row of the newest import holding it that is not undone
(`Placement.is_current`). An import is checked whole first (kpis.placements.extracts, the
register, repeated keys) and written once in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError, Problem
from hyrdash.lib.uploads import checksum, mark_undone
from kpis.data_version import PLACEMENTS, data_changed
from kpis.models import Unit
from kpis.placements import rules
from kpis.placements.extracts import parse_placements
from kpis.placements.models import (
    Placement,
    PlacementAccessLog,
    PlacementAction,
    PlacementBatch,
)

# The region's transition decision: everyone working as a consultant up to this day was
# offered employment, because qualifying time before the staffing system cannot be traced
# (transition_record says whom it covers).
TRANSITION_DATE = dt.date(2026, 4, 30)
# The first day of the 36-month window ending on TRANSITION_DATE (2023-05-01): a
# consultant whose placements all ended before it is not covered.
TRANSITION_WINDOW_START = rules.window_start(TRANSITION_DATE)

# What an import compares with the placement in use for the same key.
COMPARED = ("consultant_name", "agency", "profession", "end", "hours")

Key = tuple[str, int, dt.date]  # consultant id, unit id, start


@dataclass
class PlacementCheck:
    """What a placements file would store, checked, not yet written."""

    checksum: str
    # consultant_id, consultant_name, agency, profession, unit_id, start, end, hours;
    # indexed by the file's row
    rows: pd.DataFrame
    added: int
    replaced: int
    unchanged: int
    identical_to: PlacementBatch | None = None

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def changes_nothing(self) -> bool:
        """Every placement of the file is in use already, as the file has it."""
        return self.added == 0 and self.replaced == 0

    def summary(self) -> dict:
        """What the confirmation page shows (JSON-ready)."""
        ends = self.rows["end"].dropna()
        return {
            "rows": self.row_count,
            "consultants": int(self.rows["consultant_id"].nunique()),
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "first_start": min(self.rows["start"]).isoformat(),
            "last_end": max(ends).isoformat() if len(ends) else None,
            "ongoing": int(self.rows["end"].isna().sum()),
        }


def _hours(value) -> Decimal | None:
    if value is None or pd.isna(value):
        return None
    return Decimal(str(round(float(value), 2))).quantize(Decimal("0.01"))


def _values(row) -> tuple:
    """The compared values of a file row or a stored placement, in one form."""
    end = row["end"]
    return (
        row["consultant_name"],
        row["agency"],
        row["profession"],
        None if end is None or pd.isna(end) else end,
        _hours(row["hours"]),
    )


def _repeated_key_problems(frame: pd.DataFrame) -> list[Problem]:
    """A file lists each placement (consultant, ansvar, start date) once."""
    problems = []
    first_row: dict[tuple, int] = {}
    keys = zip(frame["consultant_id"], frame["ansvar"], frame["start"], strict=True)
    for row, key in zip(frame.index, keys, strict=True):
        if key in first_row:
            problems.append(
                Problem(
                    int(row),
                    "Startdatum",
                    _("samma konsult, ansvar och startdatum som rad %(row)s.")
                    % {"row": first_row[key]},
                )
            )
        else:
            first_row[key] = int(row)
    return problems


def current_placements(keys: set[Key]) -> dict[Key, dict]:
    """The placements in use for these keys: key -> their compared values."""
    consultants = {key[0] for key in keys}
    found = {}
    stored = Placement.objects.filter(is_current=True, consultant_id__in=consultants).values(
        "consultant_id", "unit_id", "start", *COMPARED
    )
    for row in stored:
        key = (row["consultant_id"], row["unit_id"], row["start"])
        if key in keys:
            found[key] = row
    return found


def _identical_batch(digest: str) -> PlacementBatch | None:
    return (
        PlacementBatch.objects.filter(checksum=digest, undone_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def placements_check(*, data: bytes) -> PlacementCheck:
    """Parse and check a placements file against the register and the placements in use.

    Raises ExtractError listing every problem (kpis.placements.extracts, and a placement
    listed twice); nothing is written.
    """
    units = dict(Unit.objects.values_list("ansvar", "id"))
    frame = parse_placements(data, units=units.keys())
    problems = _repeated_key_problems(frame)
    if problems:
        raise ExtractError(problems)
    rows = frame.drop(columns="ansvar").assign(unit_id=frame["ansvar"].map(units).astype("int64"))
    keys = list(zip(rows["consultant_id"], rows["unit_id"], rows["start"], strict=True))
    stored = current_placements(set(keys))
    added = replaced = 0
    for key, (_row, values) in zip(keys, rows.iterrows(), strict=True):
        if key not in stored:
            added += 1
        elif _values(stored[key]) != _values(values):
            replaced += 1
    digest = checksum(data)
    check = PlacementCheck(
        checksum=digest,
        rows=rows,
        added=added,
        replaced=replaced,
        unchanged=len(rows) - added - replaced,
    )
    if check.changes_nothing:
        check.identical_to = _identical_batch(digest)
    return check


def placements_import(
    *, data: bytes, file_name: str, user=None
) -> tuple[PlacementBatch | None, PlacementCheck]:
    """Import a placements export: its placements replace those in use with the same
    consultant, unit and start date; the others are added; placements it does not list
    stay as they are.

    Returns (batch, check); batch is None when the file changes nothing (every placement
    in use already, as written). Checked and written in one transaction.
    """
    with transaction.atomic():
        check = placements_check(data=data)
        if check.changes_nothing:
            return None, check
        batch = PlacementBatch.objects.create(
            file_name=file_name[:255],
            checksum=check.checksum,
            created_by=user,
            row_count=check.row_count,
            added=check.added,
            replaced=check.replaced,
        )
        Placement.objects.bulk_create(
            Placement(
                batch=batch,
                consultant_id=row.consultant_id,
                consultant_name=row.consultant_name,
                agency=row.agency,
                profession=row.profession,
                unit_id=int(row.unit_id),
                start=row.start,
                end=row.end,
                hours=_hours(row.hours),
            )
            for row in check.rows.itertuples(index=False)
        )
        _refresh_current(batch)
    return batch, check


def _refresh_current(batch: PlacementBatch) -> None:
    """Mark, for every key the batch holds, the row of the newest import not undone as
    the one in use (batch ids grow with time)."""
    keys = set(batch.placements.values_list("consultant_id", "unit_id", "start"))
    rows = list(
        Placement.objects.filter(consultant_id__in={key[0] for key in keys}).values_list(
            "id", "consultant_id", "unit_id", "start", "batch_id", "is_current", "batch__undone_at"
        )
    )
    newest: dict[Key, tuple[int, int]] = {}
    for row_id, consultant, unit, start, batch_id, _current, undone in rows:
        key = (consultant, unit, start)
        if key in keys and undone is None and (key not in newest or batch_id > newest[key][1]):
            newest[key] = (row_id, batch_id)
    in_use = {row_id for row_id, _batch in newest.values()}
    stale = [
        row_id
        for row_id, consultant, unit, start, _batch, current, _undone in rows
        if current and (consultant, unit, start) in keys and row_id not in in_use
    ]
    Placement.objects.filter(id__in=stale).update(is_current=False)
    Placement.objects.filter(id__in=in_use).update(is_current=True)


def placements_undo(*, batch_id: int, user=None) -> PlacementBatch:
    """Undo an import: each placement it held gets back the row of the import before it
    (or is gone, if it was new)."""
    with transaction.atomic():
        batch = mark_undone(PlacementBatch, batch_id=batch_id, user=user)
        _refresh_current(batch)
    return batch


# --- what was done --------------------------------------------------------------------


def action_record(
    *, consultant_id: str, kind: str, date: dt.date, note: str = "", user=None
) -> PlacementAction:
    """Record an action for a consultant (an offer made, accepted or declined, the
    compensation paid)."""
    if not Placement.objects.filter(consultant_id=consultant_id, is_current=True).exists():
        raise ServiceError(_("Konsulten finns inte bland placeringarna."))
    return PlacementAction.objects.create(
        consultant_id=consultant_id, kind=kind, date=date, note=note, recorded_by=user
    )


def transition_record(*, user=None, note: str = "") -> int:
    """The region's transition decision, recorded per consultant: the consultants working
    up to TRANSITION_DATE were offered employment on that day. A consultant is covered
    when a placement in use started on or before TRANSITION_DATE and had not ended before
    the 36-month window ending on TRANSITION_DATE began (TRANSITION_WINDOW_START,
    2023-05-01: the end empty or on or after it).

    Why the window: the decision exists because qualifying time before the staffing
    system (April 2024) cannot be traced, so someone working then might have passed day
    721 unseen. Days before the window can never count toward day 721 again (only days
    within the 36 months ending on a day count), so a consultant whose placements all
    ended before it has no untraceable time that could make them pass the limit, and is
    not someone working up to the decision's day: they are left out.

    Consultants who have the record already are left as they are. Returns the number of
    consultants recorded now."""
    with transaction.atomic():
        working = set(
            Placement.objects.filter(is_current=True, start__lte=TRANSITION_DATE)
            .filter(Q(end__isnull=True) | Q(end__gte=TRANSITION_WINDOW_START))
            .values_list("consultant_id", flat=True)
        )
        done = set(
            PlacementAction.objects.filter(kind=PlacementAction.Kind.TRANSITION_OFFER).values_list(
                "consultant_id", flat=True
            )
        )
        new = sorted(working - done)
        PlacementAction.objects.bulk_create(
            PlacementAction(
                consultant_id=consultant_id,
                kind=PlacementAction.Kind.TRANSITION_OFFER,
                date=TRANSITION_DATE,
                note=note,
                recorded_by=user,
            )
            for consultant_id in new
        )
        data_changed(PLACEMENTS)  # bulk_create sends no signal
    return len(new)


# --- who saw the list -----------------------------------------------------------------


def access_log(*, what: str, user=None, who: str = "", filters: dict | None = None) -> None:
    """Log a view or export of the consultants' list (personal data): who, what, which
    selection. `who` defaults to the user's username."""
    PlacementAccessLog.objects.create(
        user=user,
        who=(who or getattr(user, "username", "") or "?")[:150],
        what=what,
        filters={key: str(value) for key, value in (filters or {}).items() if value},
    )

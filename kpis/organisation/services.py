"""Writes of the organisation register: importing the unit list (Ansvar, Enhet,
Verksamhet, Område, Vårdtyp), and the history of where units stand (`moves_apply`,
which import_org and the admin share).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from hyrdash.lib.disclosure import ProtectionError
from hyrdash.lib.errors import ServiceError
from kpis.data_version import data_changed
from kpis.models import (
    HISTORY_START,
    Area,
    CareType,
    Department,
    LedgerRow,
    Unit,
    UnitPlacement,
    WithheldFigure,
)
from kpis.organisation.extracts import parse_org
from kpis.organisation.history import (
    Exposure,
    Published,
    Release,
    history_moved,
    move_exposures,
    move_withholding,
)
from kpis.organisation.selectors import (
    PLACED_COLUMNS,
    first_open_month,
    placement_history,
)
from kpis.signals import registers_changed

T = TypeVar("T")

# How many of the figures a refused move would reveal its message names.
LISTED_EXPOSURES = 6

# --- the history of where units stand ---------------------------------------------------


@dataclass
class Moves:
    """What `moves_apply` recorded: the units (ansvar) placed anew from `month`, and
    the figures withheld more; `default` is the first month without personal data
    (first_open_month)."""

    month: pd.Period
    default: pd.Period
    units: list[str] = field(default_factory=list)
    # The sick-leave figures withheld more, per restated month (MoveAudit.added).
    withheld: dict[pd.Period, frozenset] = field(default_factory=dict)


def move_month(from_month: pd.Period | None = None) -> tuple[pd.Period, pd.Period]:
    """(the month a move holds from, the first month without personal data): by
    default that month, so that no figure already shown changes."""
    default = first_open_month()
    month = default if from_month is None else pd.Period(from_month, freq="M")
    return month, default


def move_notice(month: pd.Period, default: pd.Period) -> str:
    """What a move will do, said before it is saved."""
    values = {"month": move_month_text(month), "default": move_month_text(default)}
    if month == default == pd.Period(HISTORY_START, freq="M"):
        return _("Det finns ingen sjukfrånvaro ännu: flyttade enheter räknas dit för alla månader.")
    if month == default:
        return (
            _(
                "Flyttade enheter och ändrade vårdtyper gäller från %(month)s, den första månaden "
                "utan sjukfrånvarodata: inga siffror som redan har visats ändras."
            )
            % values
        )
    if month > default:
        return _("Flyttade enheter och ändrade vårdtyper gäller från %(month)s.") % values
    return (
        _(
            "Flyttade enheter och ändrade vårdtyper ska gälla från %(month)s, före "
            "%(default)s: sjukfrånvaron som redan har visats för de månaderna räknas om, och "
            "de omräknade siffrorna döljs så långt det behövs för att inget dolt värde ska "
            "kunna räknas fram; räcker det inte vägras flytten."
        )
        % values
    )


def register_placements() -> pd.DataFrame:
    """Where the register puts every unit today: unit_id and PLACED_COLUMNS."""
    records = Unit.objects.values_list(
        "id", "department_id", "department__name", "department__area_id",
        "department__area__name", "care_type",
    )  # fmt: skip
    return pd.DataFrame.from_records(list(records), columns=["unit_id", *PLACED_COLUMNS])


@dataclass(frozen=True)
class MoveAudit:
    """What the audit of a move from a month already shown decided: `refusal`, why it
    cannot hold from that month (None: it can), and `withheld`, the figures (node,
    group) of each restated month to withhold besides those the month's own rule
    hides, so that nothing is revealed (kpis.WithheldFigure once saved)."""

    refusal: str | None = None
    withheld: Mapping[pd.Period, frozenset] = field(default_factory=dict)
    # Of those, the figures the month's own rule would show after the move.
    added: Mapping[pd.Period, frozenset] = field(default_factory=dict)


# How often the restated figures are decided again with more withheld before a move
# that still reveals something is refused.
WITHHOLDING_ROUNDS = 3


def move_audit(
    *,
    before: Mapping[pd.Period, Release],
    planned: pd.DataFrame,
    units: Collection[int],
    month: pd.Period,
    default: pd.Period,
    published: Published,
) -> MoveAudit:
    """Whether the placement history can become `planned` from `month`, and what more
    must then be withheld.

    Only a month before `default` has figures shown already: those (`before`, the
    releases of the stored history, published(None, month, ...) read before the
    register changed) and the restated ones (with `planned`, in the months the moved
    `units` have data) are audited together (kpis.organisation.history.move_exposures).
    Where that finds something in a month, the restated figures hide more
    (history.move_withholding, with the figures shown before as known), and what the
    month then withholds, the rule's own choice and the figures added, is kept as the
    month's withheld figures (`withheld`: the pages' decision starts from them, so it
    makes the same choice again instead of choosing other complements that the figures
    shown before would expose). The restated months are decided again as the pages will
    decide them, and audited again. A move is refused when no choice of figures to
    withhold protects everything, or when something is still revealed after
    WITHHOLDING_ROUNDS rounds: the message names what."""
    if month >= default:
        return MoveAudit()
    withheld: dict[pd.Period, frozenset] = {}
    added: dict[pd.Period, frozenset] = {}
    after = published(planned, month, units, None)
    for attempt in range(WITHHOLDING_ROUNDS + 1):
        exposures = move_exposures(before, after)
        if not exposures:
            return MoveAudit(withheld=withheld, added=added)
        if attempt == WITHHOLDING_ROUNDS:
            break
        try:
            for exposed in sorted({e.month for e in exposures}):
                more = move_withholding(before[exposed], after[exposed])
                if not more:
                    raise ProtectionError(f"Nothing more to withhold in {exposed}.")
                added[exposed] = added.get(exposed, frozenset()) | more
                withheld[exposed] = _hidden(after[exposed]) | added[exposed]
        except ProtectionError:
            break
        after = published(planned, month, units, withheld)
    return MoveAudit(refusal=_refusal(exposures, month, default))


def _hidden(release: Release) -> frozenset:
    """The keys of the figures `release` hides that have members."""
    values = release.values
    people = next(iter(values.values())) if isinstance(values, Mapping) else values
    return frozenset(
        f.key
        for f in release.figures
        if f.key not in release.shown and f.cells and people[list(f.cells)].sum() > 0
    )


def _refusal(exposures: list[Exposure], month: pd.Period, default: pd.Period) -> str:
    named = [f"{e.label} ({e.month.strftime('%Y-%m')})" for e in exposures[:LISTED_EXPOSURES]]
    what = "; ".join(named)
    if len(exposures) > LISTED_EXPOSURES:
        what = _("%(listed)s och %(count)s till") % {
            "listed": what,
            "count": len(exposures) - LISTED_EXPOSURES,
        }
    return _(
        "Flytten kan inte gälla från %(month)s: siffror för de månaderna har redan visats, "
        "och tillsammans med de omräknade skulle de röja %(what)s, också om fler av de "
        "omräknade siffrorna döljs. Låt flytten gälla från %(default)s, den första månaden "
        "utan sjukfrånvarodata, så ändras inga visade siffror."
    ) % {"month": month.strftime("%Y-%m"), "what": what, "default": default.strftime("%Y-%m")}


def withheld_notice(withheld: Mapping[pd.Period, Collection]) -> str | None:
    """How many more figures of which months a move withholds, or None."""
    counts = {m: len(keys) for m, keys in sorted(withheld.items()) if keys}
    if not counts:
        return None
    months = ", ".join(f"{m.strftime('%Y-%m')} ({n})" for m, n in counts.items())
    return _(
        "För att de omräknade siffrorna inte ska röja något tillsammans med dem som redan "
        "har visats döljs %(count)s siffror till för sjukfrånvaron: %(months)s."
    ) % {"count": sum(counts.values()), "months": months}


def unit_move_audit(
    *,
    unit: Unit,
    department: Department,
    care_type: str,
    from_month: pd.Period | None,
    published: Published,
) -> MoveAudit:
    """Whether `unit` can move to `department` and `care_type` from `from_month` (by
    default the first month without personal data), and what more it withholds:
    move_audit of the history that move would give, before anything is saved (the
    admin's form)."""
    month, default = move_month(from_month)
    if month >= default:
        return MoveAudit()
    placed = pd.DataFrame(
        [(unit.id, department.id, department.name, department.area_id, department.area.name,
          care_type)],
        columns=["unit_id", *PLACED_COLUMNS],
    )  # fmt: skip
    history = placement_history()
    planned = history_moved(history, placed, month)
    return move_audit(
        before=published(None, month, [unit.id], None),
        planned=planned,
        units=[unit.id],
        month=month,
        default=default,
        published=published,
    )


def moves_apply(
    write: Callable[[], T],
    *,
    from_month: pd.Period | None = None,
    published: Published | None = None,
    audited: MoveAudit | None = None,
    notify: Callable[[str], object] | None = None,
) -> tuple[T, Moves]:
    """Change the register with `write()` and record where every unit it moved (to
    another department or area, or to another care type) or created stands.

    A moved unit's placement holds from `from_month`, by default the first month
    without personal data (move_month); a new unit's from the beginning. An earlier
    month restates figures already shown: move_audit audits them together with the
    restated ones (`published`: kpis.registry.PUBLISHED_PERSONAL_DATA); the figures
    it withholds more are saved with the move (kpis.WithheldFigure), and a refusal is
    a ServiceError (nothing saved). `audited`: the caller's audit of this very move,
    made in the same transaction already (the admin's form, with unit_move_audit).
    `notify` is told how many more figures of which months will be withheld before
    anything is saved (import_org prints it). The caller's transaction, or this one,
    holds it all.
    """
    month, default = move_month(from_month)
    auditing = month < default and audited is None
    if auditing and published is None:
        raise ValueError("A move from a month already shown needs `published` to audit it.")
    with transaction.atomic():
        history = placement_history()
        # What is shown now, read before the register changes (its areas and
        # departments are the figures' too).
        before = published(None, month, None, None) if auditing else {}
        was = register_placements().set_index("unit_id")
        value = write()
        now = register_placements()
        old = was.reindex(now["unit_id"])
        same = pd.Series(True, index=now.index)
        for column in ("department_id", "area_id", "care_type"):
            same &= old[column].to_numpy() == now[column].to_numpy()
        placed = now[~same.to_numpy()]
        moves = Moves(month, default)
        if placed.empty:
            return value, moves
        planned = history_moved(history, placed, month)
        audit = audited or MoveAudit()
        if auditing:
            audit = move_audit(
                before=before, planned=planned, units=placed["unit_id"].tolist(), month=month,
                default=default, published=published,
            )  # fmt: skip
        if audit.refusal:
            raise ServiceError(audit.refusal)
        if notify is not None and (notice := withheld_notice(audit.added)):
            notify(notice)
        _placements_save(planned[planned["unit_id"].isin(placed["unit_id"])])
        _withheld_save(audit.withheld)
        moves.withheld = dict(audit.added)
        moved = placed.loc[placed["unit_id"].isin(was.index), "unit_id"].tolist()
        moves.units = sorted(Unit.objects.filter(id__in=moved).values_list("ansvar", flat=True))
    return value, moves


def _withheld_save(withheld: Mapping[pd.Period, Collection[tuple[str, str]]]) -> None:
    """Store what the restated months withhold (kpis.WithheldFigure; saving raises the
    data version, so cached pages follow, and the decisions' cache key holds them)."""
    for month, keys in withheld.items():
        for node, group in sorted(keys):
            WithheldFigure.objects.get_or_create(
                month=month.start_time.date(), node=node, group=group
            )
    if withheld:
        data_changed()


def _placements_save(planned: pd.DataFrame) -> None:
    """Replace the placements of the units in `planned` by its rows (a new data
    version: bulk_create sends no signal)."""
    data_changed()
    units = planned["unit_id"].unique().tolist()
    UnitPlacement.objects.filter(unit_id__in=units).delete()
    UnitPlacement.objects.bulk_create(
        UnitPlacement(
            unit_id=int(row.unit_id),
            valid_from=row.valid_from.start_time.date(),
            department_id=int(row.department_id),
            area_id=int(row.area_id),
            care_type=row.care_type,
        )
        for row in planned.itertuples(index=False)
    )


# --- organisation register ------------------------------------------------------------


@dataclass
class OrgResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)  # ansvar absent from the file, kept (has data)
    moves: Moves | None = None

    def lines(self) -> list[str]:
        lines = [
            f"Enheter: {self.created} nya, {self.updated} ändrade, {self.unchanged} oförändrade, "
            f"{self.removed} borttagna."
        ]
        if self.kept:
            lines.append(
                f"{len(self.kept)} enheter saknas i filen men har data och behålls: "
                + ", ".join(self.kept[:20])
                + (" …" if len(self.kept) > 20 else "")
            )
        if self.moves is not None and self.moves.units:
            units = self.moves.units
            lines.append(
                f"{len(units)} enheter har ny verksamhet, nytt område eller ny vårdtyp från "
                f"{move_month_text(self.moves.month)}: "
                + ", ".join(units[:20])
                + (" …" if len(units) > 20 else "")
            )
        return lines


def move_month_text(month: pd.Period) -> str:
    """'2025-04', or 'början' for a move from the beginning (no personal data yet)."""
    if month == pd.Period(HISTORY_START, freq="M"):
        return _("början")
    return month.strftime("%Y-%m")


def org_import(
    *,
    data: bytes,
    from_month: pd.Period | None = None,
    published: Published | None = None,
    notify: Callable[[str], object] | None = None,
) -> OrgResult:
    """Create or update areas, departments and units from a register file.

    Names and moves are updated; a unit missing from the file is removed only
    when no data refers to it. Departments and areas left empty are removed unless
    the history still places a unit there. Where units stand from which month is
    `moves_apply`'s: by default from the first month without personal data, from
    `from_month` when the audit allows it (`published`; `notify` hears what more it
    withholds before anything is saved).
    """
    frame = parse_org(data, CareType.values)
    result = OrgResult()
    with transaction.atomic():
        _value, result.moves = moves_apply(
            lambda: _org_write(frame, result),
            from_month=from_month,
            published=published,
            notify=notify,
        )
        if result.updated or result.removed:
            # Units moved or changed care type: the per-department sums follow them.
            registers_changed.send(sender=None)
        in_history = UnitPlacement.objects.values("department_id")
        Department.objects.filter(units__isnull=True).exclude(id__in=in_history).delete()
        Area.objects.filter(departments__isnull=True, target__isnull=True).exclude(
            id__in=UnitPlacement.objects.values("area_id")
        ).delete()
    return result


def _org_write(frame: pd.DataFrame, result: OrgResult) -> None:  # noqa: C901 (the register's checks as one flat list)
    areas = {a.name: a for a in Area.objects.all()}
    for name in frame["area"].unique():
        if name not in areas:
            areas[name] = Area.objects.create(name=name)
    departments = {d.name: d for d in Department.objects.all()}
    for name, area_name in frame.groupby("department", sort=False)["area"].first().items():
        department = departments.get(name)
        if department is None:
            departments[name] = Department.objects.create(name=name, area=areas[area_name])
        elif department.area_id != areas[area_name].id:
            department.area = areas[area_name]
            department.save(update_fields=["area"])
    units = {u.ansvar: u for u in Unit.objects.all()}
    for row in frame.itertuples(index=False):
        wanted = {
            "name": row.unit,
            "department": departments[row.department],
            "care_type": row.care_type,
        }
        unit = units.get(row.ansvar)
        if unit is None:
            Unit.objects.create(ansvar=row.ansvar, **wanted)
            result.created += 1
            continue
        changed = [k for k, v in wanted.items() if getattr(unit, k) != v]
        if changed:
            for key in changed:
                setattr(unit, key, wanted[key])
            unit.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    absent = Unit.objects.exclude(ansvar__in=frame["ansvar"].tolist())
    with_data = set(
        LedgerRow.objects.filter(unit__in=absent).values_list("unit_id", flat=True).distinct()
    )
    for unit in absent.order_by("ansvar"):
        if unit.id in with_data:
            result.kept.append(unit.ansvar)
            continue
        try:
            with transaction.atomic():
                unit.delete()
        except ProtectedError:  # other data refers to it (survey answers, ...)
            result.kept.append(unit.ansvar)
        else:
            result.removed += 1

"""Writes of the organisation register: importing the unit list (Ansvar, Enhet,
Verksamhet, Område, Vårdtyp).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError

from kpis.models import Area, CareType, Department, LedgerRow, Unit
from kpis.organisation.extracts import parse_org
from kpis.signals import registers_changed

# --- organisation register ------------------------------------------------------------


@dataclass
class OrgResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)  # ansvar absent from the file, kept (has data)

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
        return lines


def org_import(*, data: bytes) -> OrgResult:  # noqa: C901 (the register's checks as one flat list)
    """Create or update areas, departments and units from a register file.

    Names and moves are updated; a unit missing from the file is removed only
    when no data refers to it. Departments and areas left empty are removed.
    """
    frame = parse_org(data, CareType.values)
    result = OrgResult()
    with transaction.atomic():
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
        if result.updated or result.removed:
            # Units moved or changed care type: the per-department sums follow them.
            registers_changed.send(sender=None)
        Department.objects.filter(units__isnull=True).delete()
        Area.objects.filter(departments__isnull=True, target__isnull=True).delete()
    return result

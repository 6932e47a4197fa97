"""The organisation as pages select it: a `Scope` (the administration, a care type, an
area, a department, or for the costs a unit) parsed from and written to the `urval`
parameter, and the month and scope of a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style as charts
from hyrdash.lib.page import MONTH, SCOPE, clean_param, parse_month
from kpis.models import Area, CareType, Department, Target, Unit
from kpis.organisation.scopes import HSF, SCOPE_KINDS, UNIT

DASHBOARD_CARE_TYPES = (CareType.SJUKHUSVARD, CareType.PRIMARVARD, CareType.TANDVARD)


class ScopeError(ValueError):
    """An unknown scope; the message is for the user."""


@dataclass(frozen=True)
class Scope:
    """What part of the organisation a figure covers.

    `hsf` (the whole administration), `care:<vårdtyp>`, `area:<område>` or
    `department:<verksamhet>`, the same strings the command line takes; and
    `unit:<ansvar>` where a unit's figures are no personal data (the costs: `parse`
    takes it only with `units=True`). A unit's scope also carries the unit's name and
    its department (`name`, `parent`), which do not take part in comparisons.
    """

    kind: str = HSF
    value: str = ""
    name: str = field(default="", compare=False)
    parent: str = field(default="", compare=False)

    @classmethod
    def parse(cls, text: str | None, *, units: bool = False) -> Scope:
        text = (text or HSF).strip()
        if text == HSF:
            return cls()
        kind, sep, value = text.partition(":")
        value = value.strip()
        kinds = SCOPE_KINDS[1:] + ((UNIT,) if units else ())
        if not sep or kind not in kinds or not value:
            if units:
                message = _(
                    "Okänt urval %(scope)s: använd hsf, care:<vårdtyp>, area:<område>, "
                    "department:<verksamhet> eller unit:<ansvar>."
                )
            else:
                message = _(
                    "Okänt urval %(scope)s: använd hsf, care:<vårdtyp>, area:<område> "
                    "eller department:<verksamhet>."
                )
            raise ScopeError(message % {"scope": text})
        if kind == "care":
            value = value.lower()
            if value not in CareType.values:
                raise ScopeError(
                    _("Okänd vårdtyp %(value)s (tillåtna: %(allowed)s).")
                    % {"value": value, "allowed": ", ".join(CareType.values)}
                )
        elif kind == "area" and not Area.objects.filter(name=value).exists():
            raise ScopeError(_("Området %(value)s finns inte.") % {"value": value})
        elif kind == "department" and not Department.objects.filter(name=value).exists():
            raise ScopeError(_("Verksamheten %(value)s finns inte.") % {"value": value})
        elif kind == UNIT:
            found = Unit.objects.filter(ansvar=value).values_list("name", "department__name")
            if not found:
                raise ScopeError(_("Enheten %(value)s finns inte.") % {"value": value})
            name, department = found[0]
            return cls(kind, value, name=name, parent=department)
        return cls(kind, value)

    @property
    def key(self) -> str:
        return HSF if self.kind == HSF else f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        if self.kind == HSF:
            return _("Hela förvaltningen")
        if self.kind == "care":
            return str(CareType(self.value).label)
        if self.kind == UNIT and self.name:
            return f"{self.value} {self.name}"  # as the ledger writes it: ansvar, name
        return self.value

    def filter(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a cost frame (columns area, department, care_type; a unit's scope
        needs the unit frame's `unit` column) in this scope."""
        if self.kind == HSF:
            return frame
        column = {"care": "care_type", "area": "area", "department": "department", UNIT: "unit"}[
            self.kind
        ]
        return frame[frame[column] == self.value]


def scope_choices(
    *, care_types, areas: list[str], departments: dict[str, str], selected: Scope
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scope select's groups, (group label, [(key, label)]), "" for no group: the
    administration, the care types, the areas, then each area's departments under the
    area's name (as the survey's select), and the selected scope if it is none of those.
    `departments` maps a department to its area."""
    groups = [
        ("", [(HSF, Scope().label)]),
        (_("Vårdtyp"), [(f"care:{c.value}", str(c.label)) for c in care_types]),
        (_("Område"), [(f"area:{name}", name) for name in areas]),
    ]
    for area in areas:
        names = sorted(name for name, parent in departments.items() if parent == area)
        if names:
            groups.append((area, [(f"department:{name}", name) for name in names]))
    if selected.key not in {key for _group, choices in groups for key, _label in choices}:
        groups.append((_("Annat urval"), [(selected.key, selected.label)]))
    return groups


def parse_month_and_scope(
    params, *, months, default: pd.Period, no_data: str, units: bool = False
) -> tuple[pd.Period, Scope, list[str]]:
    """The month (one of `months`, else `default`) and the scope in `params`, and messages
    for what was ignored; `no_data` says that a month has no data ("%(month)s har inga
    utfall; visar %(shown)s."). The cost dashboard's (`units=True`: a unit's costs are
    no personal data) and the sick-leave page's (never a unit)."""
    problems: list[str] = []
    month = default
    raw_month = clean_param(params.get(MONTH))
    if raw_month:
        parsed = parse_month(raw_month)
        if parsed is None:
            problems.append(
                _("Månaden ”%(value)s” förstås inte (skriv ÅÅÅÅ-MM); visar %(month)s.")
                % {"value": raw_month, "month": charts.month_label(month)}
            )
        elif parsed not in months:
            problems.append(
                no_data
                % {
                    "month": charts.month_label(parsed).capitalize(),
                    "shown": charts.month_label(month),
                }
            )
        else:
            month = parsed
    try:
        scope = Scope.parse(clean_param(params.get(SCOPE)) or None, units=units)
    except ScopeError as exc:
        problems.append(_("%(problem)s Visar hela förvaltningen.") % {"problem": exc})
        scope = Scope()
    return month, scope, problems


def targets(*, measure: str) -> dict[tuple[int, str], float | str]:
    """A measure's targets (Target.Measure) as {(year, scope key): pct}, or "hsf" for a
    scope marked to follow the administration's target (scopes.target_for)."""
    return {
        (t.year, t.scope_key): HSF if t.follows_hsf else float(t.pct)
        for t in Target.objects.filter(measure=measure).select_related("area")
    }

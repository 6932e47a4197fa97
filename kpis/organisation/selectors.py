"""The organisation as pages select it: a `Scope` (the administration, a care type, an
area, a department, or for the costs a unit) parsed from and written to the `urval`
parameter, and the month and scope of a request; and the organisation as it was in a
month (`placements_as_of`, `organisation_as_of`), which personal data is computed with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Max
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style as charts
from hyrdash.lib.page import MONTH, SCOPE, clean_param, parse_month
from kpis.models import (
    HISTORY_START,
    Area,
    BatchMonth,
    CareType,
    Department,
    ImportBatch,
    Target,
    Unit,
    UnitPlacement,
)
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


# --- the organisation as it was -----------------------------------------------------

# The columns of a placement history (placement_history): one row per unit and month
# from which its department, area and care type hold, until its next row.
HISTORY_COLUMNS = [
    "unit_id",
    "valid_from",
    "department_id",
    "department",
    "area_id",
    "area",
    "care_type",
]

# What placements_as_of adds to each row.
PLACED_COLUMNS = ["department_id", "department", "area_id", "area", "care_type"]

# The personal data whose figures a re-organisation must not change: a unit moves from
# the first month none of them covers (the survey keeps its own tree with each year).
PERSONAL_DATA_KINDS = (ImportBatch.Kind.SICK_LEAVE,)


def placement_history() -> pd.DataFrame:
    """Every unit's placements (HISTORY_COLUMNS; valid_from a Period[M]), by unit and
    month. A unit without any (made outside the register's services) has been where the
    register puts it today since HISTORY_START."""
    placed = UnitPlacement.objects.values_list(
        "unit_id", "valid_from", "department_id", "department__name", "area_id", "area__name",
        "care_type",
    )  # fmt: skip
    unplaced = Unit.objects.filter(placements__isnull=True).values_list(
        "id", "department_id", "department__name", "department__area_id",
        "department__area__name", "care_type",
    )  # fmt: skip
    records = list(placed) + [(u, HISTORY_START, *rest) for u, *rest in unplaced]
    frame = pd.DataFrame.from_records(records, columns=HISTORY_COLUMNS)
    frame["valid_from"] = pd.PeriodIndex(
        pd.to_datetime(frame["valid_from"].astype("str"), format="%Y-%m-%d"), freq="M"
    )
    for column in ("unit_id", "department_id", "area_id"):
        frame[column] = frame[column].astype("int64")
    return frame.sort_values(["unit_id", "valid_from"], ignore_index=True)


def placements_as_of(rows: pd.DataFrame, *, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """`rows` (columns unit_id and period, a Period[M]) with each row's department_id,
    department, area_id, area and care_type as they were in its month: the unit's
    placement with the latest valid_from not after the period. Same index and order
    as `rows`; columns of those names are replaced.

    `history` is a placement history (HISTORY_COLUMNS), by default the stored one
    (placement_history); a planned one shows the figures a move would give. One
    merge_asof per call: 100,000 rows take a few milliseconds.
    """
    history = placement_history() if history is None else history
    left = pd.DataFrame(
        {
            "unit_id": rows["unit_id"].to_numpy(dtype="int64"),
            "month": _month_numbers(rows["period"]),
            "position": np.arange(len(rows)),
        }
    ).sort_values("month", kind="stable")
    right = history.assign(
        unit_id=history["unit_id"].astype("int64"), month=_month_numbers(history["valid_from"])
    ).sort_values("month", kind="stable")
    placed = pd.merge_asof(
        left, right[["unit_id", "month", *PLACED_COLUMNS]], on="month", by="unit_id"
    ).sort_values("position")
    if placed["department"].isna().any():
        missing = sorted(set(placed.loc[placed["department"].isna(), "unit_id"].tolist()))
        raise ValueError(f"Units without a placement in their month: {missing[:10]}")
    result = rows.drop(columns=[c for c in PLACED_COLUMNS if c in rows.columns])
    for column in PLACED_COLUMNS:
        result[column] = placed[column].to_numpy()
    return result


def organisation_as_of(month: pd.Period, *, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every unit as it stood in `month`: unit_id, ansvar, name and PLACED_COLUMNS, by
    ansvar."""
    units = pd.DataFrame.from_records(
        Unit.objects.order_by("ansvar").values_list("id", "ansvar", "name"),
        columns=["unit_id", "ansvar", "name"],
    )
    units["period"] = pd.Period(month, freq="M")
    return placements_as_of(units, history=history).drop(columns="period")


def first_open_month() -> pd.Period:
    """The first month after every month a personal-data import has covered, undone
    imports too (what was shown once is known): a move from then changes no figure
    already shown. With no such data at all, HISTORY_START."""
    last = BatchMonth.objects.filter(batch__kind__in=PERSONAL_DATA_KINDS).aggregate(
        last=Max("period")
    )["last"]
    if last is None:
        return pd.Period(HISTORY_START, freq="M")
    return pd.Period(last, freq="M") + 1


def _month_numbers(periods) -> np.ndarray:
    """Months as increasing integers (year x 12 + month), for merge_asof."""
    index = pd.PeriodIndex(periods, freq="M")
    return (index.year.to_numpy() * 12 + index.month.to_numpy()).astype("int64")


def department_areas_by_month(
    history: pd.DataFrame, months: pd.PeriodIndex, *, register: dict[str, str]
) -> dict[pd.Period, dict[str, str]]:
    """Each month's {department: area}: where the placements of `history` valid that
    month put the department's units. A department without units that month is where
    its newest placement put it, or where the register (`register`, department ->
    area) puts it. One map per month of `months`, computed once per month a placement
    starts (months between share it)."""
    base = dict(register)
    ordered = history.sort_values("valid_from", kind="stable")
    last = ordered.drop_duplicates("department", keep="last")
    base.update(zip(last["department"], last["area"], strict=True))
    starts = sorted(set(ordered["valid_from"]))
    maps: dict[pd.Period, dict[str, str]] = {}
    result = {}
    for month in months:
        # The newest start not after the month: the organisation holds until the next.
        epoch = max((s for s in starts if s <= month), default=None)
        if epoch not in maps:
            then = ordered if epoch is None else ordered[ordered["valid_from"] <= epoch]
            then = then.drop_duplicates("unit_id", keep="last") if epoch is not None else then[:0]
            areas = dict(base)
            areas.update(zip(then["department"], then["area"], strict=True))
            maps[epoch] = areas
        result[month] = maps[epoch]
    return result

"""A survey year's values for every group of the organisation, with anonymity applied.

Pure (pandas and hyrdash.lib.disclosure, no database): `year_results` takes the
units' sums of one year (survey.metrics.unit_sums, as stored), the year's own
organisation (stored with its answers), its questionnaire's measures and the
employee counts, and returns one row per group and measure. Groups are keyed
like scopes: `hsf`, `area:<name>`, `department:<name>`, `unit:<ansvar>`.

Anonymity (README, "Employee survey"): survey.protection decides which values
are hidden, every group and measure of the year at once, so that no hidden
value can be worked out from the shown ones. A hidden row has no value and no
respondent count; nothing downstream can show what is not here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from kpis.organisation.scopes import HSF

from . import metrics, protection

SHOWN, HIDDEN, NONE = "shown", "hidden", "none"  # NONE: nobody in the group answered
RESULT_COLUMNS = ["value", "respondents", "status"]


@dataclass(frozen=True)
class Tree:
    """The organisation as group keys: hsf -> areas -> departments -> units."""

    children: dict[str, list[str]]
    units: pd.DataFrame  # unit id -> unit, department, area keys and labels
    labels: dict[str, str]
    parent: dict[str, str]
    signature: str = ""  # changes with any unit's name, department or area

    def ancestors(self, key: str) -> list[str]:
        """The parents of a group, nearest first, up to hsf."""
        found = []
        while key in self.parent:
            key = self.parent[key]
            found.append(key)
        return found


def tree_of(org: pd.DataFrame) -> Tree:
    """`org`: one row per unit with columns unit_id, ansvar, unit_name, department, area."""
    units = pd.DataFrame(
        {
            "unit": "unit:" + org["ansvar"].astype(str),
            "department": "department:" + org["department"].astype(str),
            "area": "area:" + org["area"].astype(str),
        }
    )
    units.index = pd.Index(org["unit_id"].astype("int64").to_numpy(), name="unit_id")
    labels = {HSF: _("Hela förvaltningen")}
    labels.update(zip(units["area"], org["area"].astype(str), strict=True))
    labels.update(zip(units["department"], org["department"].astype(str), strict=True))
    labels.update(
        zip(
            units["unit"],
            (org["ansvar"].astype(str) + " " + org["unit_name"].astype(str)).str.strip(),
            strict=True,
        )
    )
    children: dict[str, list[str]] = {HSF: []}
    parent: dict[str, str] = {}
    for row in units.sort_values(["area", "department", "unit"]).itertuples(index=False):
        for child, up in ((row.area, HSF), (row.department, row.area), (row.unit, row.department)):
            if child not in parent:
                parent[child] = up
                children.setdefault(up, []).append(child)
    signature = hashlib.sha256(
        org.sort_values("unit_id").to_csv(index=False).encode("utf-8")
    ).hexdigest()[:32]
    return Tree(children=children, units=units, labels=labels, parent=parent, signature=signature)


def group_sums(tree: Tree, table: pd.DataFrame, columns: list[str], by: list[str]) -> pd.DataFrame:
    """`table` (indexed by unit id, with `by` columns) summed per group of every level."""
    located = table.rename_axis("unit_id").join(tree.units, how="inner")
    parts = []
    for level in ("unit", "department", "area"):
        summed = located.groupby([level, *by], sort=False)[columns].sum()
        parts.append(summed.rename_axis(["group", *by]))
    if by:
        total = located.groupby(by, sort=False)[columns].sum()
        total.index = pd.MultiIndex.from_arrays(
            [[HSF] * len(total), *[total.index.get_level_values(b) for b in by]],
            names=["group", *by],
        )
    else:
        total = located[columns].sum().to_frame().T.set_axis(pd.Index([HSF], name="group"))
        parts = [part.set_axis(part.index.get_level_values("group")) for part in parts]
    parts.append(total)
    return pd.concat(parts)


def year_results(
    sums: pd.DataFrame,
    tree: Tree,
    *,
    threshold: int,
    measures: list[metrics.Measure],
    employees: pd.Series | None = None,
    hidden: set[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Every group's value of every measure in `sums`, anonymity applied.

    `sums`: stored unit sums (columns unit = unit id, measure, SUM_COLUMNS).
    `measures`: the questionnaire's (survey.questionnaires.Spec.measures), for
    the index trees. `employees`: employees per unit id. `hidden`: the (group,
    measure) values to hide as survey.protection decided them for these sums
    and this threshold (decided here when None). Returns rows indexed
    by (group, measure) with value (NaN unless shown), respondents (<NA> when
    hidden) and status: shown, hidden, or none (nobody in the group answered).
    """
    if sums.empty:
        return pd.DataFrame(
            columns=RESULT_COLUMNS,
            index=pd.MultiIndex.from_tuples([], names=["group", "measure"]),
        )
    sums = within(sums, tree)
    by_unit = sums.set_index("unit")
    summed = group_sums(tree, by_unit, metrics.SUM_COLUMNS, ["measure"])
    staff = None
    if employees is not None and len(employees):
        staff_table = pd.DataFrame({"employees": employees.astype("float64")})
        staff = group_sums(tree, staff_table, ["employees"], [])["employees"]
        staff.index = staff.index.get_level_values("group")
    result = metrics.values(summed, staff)

    if hidden is None:
        hidden = hidden_values(sums, tree, threshold=threshold, measures=measures)
    hidden_rows = [
        (group, code)
        for group, measure in hidden
        for code in ([measure, *metrics.ENPS_SHARES] if measure == metrics.ENPS else [measure])
    ]
    result["status"] = np.where(result["respondents"] > 0, SHOWN, NONE)
    if hidden_rows:
        hidden_index = result.index.intersection(pd.MultiIndex.from_tuples(hidden_rows))
        with_members = hidden_index[result.loc[hidden_index, "respondents"].to_numpy() > 0]
        result.loc[with_members, "status"] = HIDDEN
    result["respondents"] = result["respondents"].astype("Int64")
    not_shown = result["status"] != SHOWN
    result.loc[not_shown, "value"] = np.nan
    result.loc[result["status"] == HIDDEN, "respondents"] = pd.NA
    return result[RESULT_COLUMNS]


def within(sums: pd.DataFrame, tree: Tree) -> pd.DataFrame:
    """The sums of the tree's units (a unit outside the year's tree is in no group)."""
    return sums[sums["unit"].isin(tree.units.index)]


def hidden_values(
    sums: pd.DataFrame, tree: Tree, *, threshold: int, measures: list[metrics.Measure]
) -> set[tuple[str, str]]:
    """The (group, measure) values to hide (survey.protection)."""
    if sums.empty:
        return set()
    published = protection.publication(within(sums, tree), tree, measures)
    return protection.hidden_values(published, threshold=threshold)

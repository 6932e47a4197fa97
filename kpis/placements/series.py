"""The tables of section 12 a the pages, the CSV download and export_kpi share: from the
placements in use (selectors.placements_frame) to one row per consultant and operating
unit (kpis.placements.rules), with what the list shows and filters on."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.utils.translation import gettext_lazy

from kpis.placements import rules

STATUSES = (rules.PASSED, rules.WITHIN_90_DAYS, rules.CLEAR)
STATUS_LABELS = {
    rules.PASSED: gettext_lazy("Dag 721 passerad"),
    rules.WITHIN_90_DAYS: gettext_lazy("Dag 721 inom 90 dagar"),
    rules.CLEAR: gettext_lazy("Under gränsen"),
}

# export_kpi placements-12a: ids only, no names (personal data stays on the pages).
EXPORT_COLUMNS = list(rules.ROW_COLUMNS)

LIMIT_COLUMNS = [
    *rules.ROW_COLUMNS,
    "operating_unit_label",
    "area",
    "consultant_name",
    "agencies",
    "professions",
]


def with_operating_units(placements: pd.DataFrame) -> pd.DataFrame:
    """The placements with the operating unit each counts for (rules.operating_unit) and
    its label: the department, or "ansvar unit name" where units are their own."""
    frame = placements.copy()
    separate = frame["units_separate"].astype(bool)
    frame["operating_unit"] = [
        rules.operating_unit(unit, department, own)
        for unit, department, own in zip(
            frame["ansvar"], frame["department"], separate, strict=True
        )
    ]
    frame["operating_unit_label"] = frame["department"].where(
        ~separate, frame["ansvar"] + " " + frame["unit_name"]
    )
    return frame


def _joined(values: pd.Series) -> str:
    return ", ".join(sorted({value for value in values if value}))


def limit_table(placements: pd.DataFrame, *, on: dt.date) -> pd.DataFrame:
    """rules.limit_rows on `on`, most urgent first, with each row's operating unit label,
    area, the consultant's name (as the latest placement there has it) and the agencies
    and professions of the placements there (LIMIT_COLUMNS)."""
    if placements.empty:
        return pd.DataFrame(columns=LIMIT_COLUMNS)
    frame = with_operating_units(placements)
    rows = rules.limit_rows(frame.rename(columns={"ansvar": "unit"}), on)
    details = (
        frame.sort_values("start", kind="stable")
        .groupby(["consultant_id", "operating_unit"], sort=False)
        .agg(
            operating_unit_label=("operating_unit_label", "last"),
            area=("area", "last"),
            consultant_name=("consultant_name", "last"),
            agencies=("agency", _joined),
            professions=("profession", _joined),
        )
        .reset_index()
    )
    table = rows.merge(details, on=["consultant_id", "operating_unit"], how="left")
    return table[LIMIT_COLUMNS]


def filtered(
    table: pd.DataFrame,
    placements: pd.DataFrame,
    *,
    area: str = "",
    profession: str = "",
    agency: str = "",
) -> pd.DataFrame:
    """The rows of `limit_table` in `area` (the operating unit's) with a placement of
    `profession` and of `agency` at that operating unit; an empty filter keeps all."""
    keep = pd.Series(True, index=table.index)
    if area:
        keep &= table["area"] == area
    if profession or agency:
        frame = with_operating_units(placements)
        if profession:
            frame = frame[frame["profession"] == profession]
        if agency:
            frame = frame[frame["agency"] == agency]
        pairs = set(zip(frame["consultant_id"], frame["operating_unit"], strict=True))
        keep &= pd.Series(
            [
                pair in pairs
                for pair in zip(table["consultant_id"], table["operating_unit"], strict=True)
            ],
            index=table.index,
            dtype=bool,
        )
    return table[keep.to_numpy()].reset_index(drop=True)


def status_counts(table: pd.DataFrame, areas: list[str] | None = None) -> pd.DataFrame:
    """Consultants per area and status (each counted once per operating unit): columns
    area, passed, within_90_days, clear and total, one row per area with placements (and
    every one of `areas`), by area name."""
    counts = table.groupby(["area", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    if areas is not None:
        counts = counts.reindex(sorted(set(areas) | set(counts.index)), fill_value=0)
    counts = counts.sort_index().astype("int64")
    counts["total"] = counts.sum(axis=1)
    counts.index.name = "area"
    counts.columns.name = None
    return counts.reset_index()


def placements_12a(placements: pd.DataFrame, *, scope, on: dt.date) -> pd.DataFrame:
    """export_kpi placements-12a: one row per consultant and operating unit in the scope
    (the administration or one area) on `on`, EXPORT_COLUMNS."""
    table = limit_table(placements, on=on)
    if scope.kind == "area":
        table = table[table["area"] == scope.value]
    return table[EXPORT_COLUMNS].reset_index(drop=True)

"""What a dashboard page draws, whatever its subject: `Chart` (a figure, its summary for
screen readers, its tables and CSV link, its "Om måttet" panel: `About`), `Table` and
`Column`, links in a table (`link_cells`); the month selector's options, the table notes
and the GET parameters every page shares (manad, urval), the selected month
(`MonthSelection`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
from django.utils import timezone
from django.utils.html import conditional_escape, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style as charts
from hyrdash.lib import formatting
from hyrdash.lib.formatting import format_pct

MONTH = "manad"

SCOPE = "urval"


COLLAPSE_ROWS = 12
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class MonthSelection:
    """A page's selected month (`month`, a pd.Period, declared by the selection): as the
    GET parameter writes it and as the page says it."""

    month: pd.Period

    @property
    def month_text(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def month_label(self) -> str:
        return charts.month_label(self.month)


def parse_month(text: str | None) -> pd.Period | None:
    """'2024-10' -> Period; None for anything else."""
    match = _MONTH_RE.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return pd.Period(year=int(match.group(1)), month=int(match.group(2)), freq="M")


def clean_param(text: str | None, limit: int = 200) -> str:
    """A parameter as safe text: no control characters (a NUL breaks PostgreSQL), bounded."""
    return "".join(ch for ch in (text or "") if ch.isprintable())[:limit]


def month_options(months, is_preliminary) -> list[tuple[str, str]]:
    """(YYYY-MM, label) for each of `months`, newest first, marked where preliminary."""
    return [
        (
            month.strftime("%Y-%m"),
            charts.month_label(month) + (preliminary_mark() if is_preliminary(month) else ""),
        )
        for month in reversed(months)
    ]


def preliminary_mark() -> str:
    """' (prel.)' after a month that is not closed yet."""
    return " " + _("(prel.)")


def table_note() -> str:
    """The last sentence of every chart's text summary."""
    return _("Siffrorna finns i tabellen under diagrammet.")


def sentences(*parts: str) -> str:
    """Sentences joined by spaces, empty ones left out."""
    return " ".join(str(part) for part in parts if part)


# --- what the template draws -------------------------------------------------------


@dataclass
class Column:
    label: str
    unit: str = "text"  # text, tkr, mkr, kr, pct, pct2, num
    header: bool = False  # a row header (th scope="row")
    href: str = ""  # the column header as a link (a scope to go to), "" for none


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[dict]  # {"cells": [{"value", "unit", "header"}], "preliminary": bool}

    @property
    def collapsed(self) -> bool:
        return len(self.rows) > COLLAPSE_ROWS

    @cached_property
    def rows_html(self) -> SafeString:
        """The rows as kpis/_table.html shows them, built here rather than by template
        loops (half of a page's rendering time), once: a page kept in the page cache
        keeps them with the table (`prerender`). Build the table first, then read them."""
        lines = []
        for row in self.rows:
            classes = ("preliminary" if row.get("preliminary") else "") + (
                " emphasis" if row.get("emphasis") else ""
            )
            attributes = f' class="{classes}"' if classes else ""
            cells = "".join(_cell_html(cell) for cell in row["cells"])
            lines.append(f"\n    <tr{attributes}>{cells}</tr>\n    ")
        return mark_safe("".join(lines))


# A table cell's unit -> its text (kpis/_table.html); other units: a plain number.
CELL_TEXT = {
    "tkr": lambda value: formatting.format_tkr(value, 0),
    "mkr": lambda value: formatting.format_mkr(value, 1),
    "kr": lambda value: formatting.format_kr(value, 0),
    "pct": lambda value: formatting.format_pct(value, 1),
    "pct2": lambda value: formatting.format_pct(value, 2),
}


def _text_html(cell) -> str:
    """A text cell's content, a link where it has an href (link_cells)."""
    text = conditional_escape(cell.get("value"))
    href = cell.get("href")
    return f'<a href="{conditional_escape(href)}">{text}</a>' if href else str(text)


def _cell_html(cell) -> str:
    value, unit = cell.get("value"), cell.get("unit")
    if cell.get("header"):
        return f'<th scope="row">{_text_html(cell)}</th>'
    if unit == "text":
        return f"<td>{_text_html(cell)}</td>"
    if unit == "numtext":
        return f'<td class="num">{conditional_escape(value)}</td>'
    text = CELL_TEXT[unit](value) if unit in CELL_TEXT else formatting.format_number(value, 0)
    return f'<td class="num">{conditional_escape(text)}</td>'


@dataclass
class About:
    """A chart's "Om måttet" panel: what the measure is, how it is computed, which
    accounts make up each category (as the mapping is now), where the data come from
    and their latest import, and what "preliminär" means. Texts ready to show."""

    definition: str
    formula: list[str] = field(default_factory=list)  # one line each
    categories: list[tuple[str, list[str]]] = field(default_factory=list)  # (label, accounts)
    sources: list[str] = field(default_factory=list)
    preliminary: str = ""


def local_time(moment) -> str:
    """An import's time as the panels say it: '2026-04-02 09:15', local time."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def import_line(source: str, batch) -> str:
    """An "Om måttet" panel's source line: `source` (what the data are, whence) and its
    latest import, `batch` (an upload: kpis.models.UploadBatch, any subject's), or None:
    "... Senaste import: nr 12, 2026-04-02 09:15, utfall.csv." or "... Ingen import ännu."."""
    if batch is None:
        return f"{source} " + _("Ingen import ännu.")
    return f"{source} " + _("Senaste import: nr %(id)s, %(time)s, %(file)s.") % {
        "id": batch.pk,
        "time": local_time(batch.created_at),
        "file": batch.file_name,
    }


def preliminary_line(meaning: str, closed_through: pd.Period | None) -> str:
    """An "Om måttet" panel's line on preliminary months: `meaning` (what "preliminär"
    means for the subject) and how far its months are closed."""
    if closed_through is None:
        return f"{meaning} " + _("Ingen månad är stängd ännu.")
    return f"{meaning} " + _("Stängt till och med %(month)s.") % {
        "month": charts.month_label(closed_through)
    }


@dataclass
class Chart:
    code: str
    number: str
    heading: str
    summary: str  # the chart's aria-label
    figure: dict | None = None
    tables: list[Table] = field(default_factory=list)
    cards: list[dict] = field(default_factory=list)
    note: str = ""
    lead: str = ""  # a sentence above the tables that answers the chart's question
    comment: object = None  # the scope's Commentary or None
    hsf_comment: object = None  # the administration's, on another scope's page
    downloadable: bool = True
    file_stem: str = "hyrdash"  # the downloads' file name without extension
    csv_url: str = ""  # the CSV download; "" for the cost dashboard's own (dashboard_csv)
    about: About | None = None  # the "Om måttet" panel

    @property
    def figure_id(self) -> str:
        return f"fig-{self.code}"

    @cached_property
    def figure_script(self) -> SafeString:
        """The figure as the page's JSON script element (Django's json_script), built
        once: a page kept in the page cache keeps it with the chart (`prerender`)."""
        return json_script(self.figure, self.figure_id)


def prerender(charts: list[Chart]) -> list[Chart]:
    """Build what the template would build of each chart's figure and tables (the
    figure's JSON, the tables' rows), so a page kept in the page cache keeps them too:
    they are most of a page's rendering time. Returns `charts`."""
    for chart in charts:
        if chart.figure:
            chart.figure_script  # noqa: B018 (cached_property)
        for table in chart.tables:
            table.rows_html  # noqa: B018 (cached_property)
    return charts


def make_table(
    caption: str,
    columns: list[Column],
    records: list[list],
    preliminary: list[bool] | None = None,
    emphasis: list[bool] | None = None,
) -> Table:
    """Rows of cells with their units; `preliminary` and `emphasis` flag rows."""
    rows = []
    for i, record in enumerate(records):
        cells = [
            {"value": value, "unit": column.unit, "header": column.header}
            for value, column in zip(record, columns, strict=True)
        ]
        rows.append(
            {
                "cells": cells,
                "preliminary": bool(preliminary and preliminary[i]),
                "emphasis": bool(emphasis and emphasis[i]),
            }
        )
    return Table(caption, columns, rows)


def link_cells(table: Table, column: int, hrefs: list[str | None]) -> None:
    """Make the cells of `column` links, one href per row (None: no link)."""
    for row, href in zip(table.rows, hrefs, strict=True):
        if href:
            row["cells"][column] = dict(row["cells"][column], href=href)


def _all_followed(followed: list[bool], targets) -> bool:
    """Whether every target shown (not missing) is the administration's."""
    shown = [f for f, t in zip(followed, targets, strict=True) if not pd.isna(t)]
    return bool(shown) and all(shown)


def target_label(followed: list[bool], targets) -> str:
    """A target column's header: "Mål", or "Mål (förvaltningens)" when every target
    shown is the administration's (the scope follows it)."""
    return str(charts.TARGET_FOLLOWED) if _all_followed(followed, targets) else _("Mål")


def mark_followed(table: Table, column: int, followed: list[bool]) -> None:
    """Write "3,44 % (förvaltningens)" in each row whose target (in `column`) is the
    administration's; nothing when the header says so for them all (target_label)."""
    targets = [row["cells"][column]["value"] for row in table.rows]
    if _all_followed(followed, targets):
        return
    for row, flag in zip(table.rows, followed, strict=True):
        cell = row["cells"][column]
        if flag and not pd.isna(cell["value"]):
            text = f"{format_pct(cell['value'], 2)} {charts.FOLLOWED_MARK}"
            row["cells"][column] = dict(cell, value=text, unit="numtext")


def _month_cells(months, preliminary: set[str]) -> tuple[list[str], list[bool]]:
    flags = [m in preliminary for m in months]
    labels = [
        charts.short_month_label(m) + (preliminary_mark() if f else "")
        for m, f in zip(months, flags, strict=True)
    ]
    return labels, flags


def month_table(
    caption: str, columns: list[Column], months, values: pd.DataFrame, preliminary: set[str]
) -> Table:
    """A row per month: the month as the row header, marked where it is preliminary, then
    that month's row of `values` (a column each in `columns`)."""
    labels, flags = _month_cells(months, preliminary)
    records = [
        [label, *row] for label, row in zip(labels, values.itertuples(index=False), strict=True)
    ]
    return make_table(caption, [Column(_("Månad"), header=True), *columns], records, flags)


def span_label(months) -> str:
    months = list(months)
    if not months:
        return ""
    return f"{charts.short_month_label(months[0])}–{charts.short_month_label(months[-1])}"

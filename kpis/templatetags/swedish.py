"""Template filters for Swedish number formatting (kpis.formatting)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from hyrdash.lib import formatting

register = template.Library()


@register.filter
def num(value, decimals=0):
    return formatting.format_number(value, int(decimals))


@register.filter
def kr(value, decimals=0):
    return formatting.format_kr(value, int(decimals))


@register.filter
def tkr(value, decimals=0):
    return formatting.format_tkr(value, int(decimals))


@register.filter
def mkr(value, decimals=1):
    return formatting.format_mkr(value, int(decimals))


@register.filter
def pct(value, decimals=1):
    return formatting.format_pct(value, int(decimals))


# A table cell's unit -> its text (kpis/_table.html); other units: a plain number.
CELL_TEXT = {
    "tkr": lambda value: formatting.format_tkr(value, 0),
    "mkr": lambda value: formatting.format_mkr(value, 1),
    "kr": lambda value: formatting.format_kr(value, 0),
    "pct": lambda value: formatting.format_pct(value, 1),
    "pct2": lambda value: formatting.format_pct(value, 2),
}


def _text(cell) -> str:
    """A text cell's content, a link where it has an href (hyrdash.lib.page.link_cells)."""
    text = conditional_escape(cell.get("value"))
    href = cell.get("href")
    return f'<a href="{conditional_escape(href)}">{text}</a>' if href else str(text)


def _cell(cell) -> str:
    value, unit = cell.get("value"), cell.get("unit")
    if cell.get("header"):
        return f'<th scope="row">{_text(cell)}</th>'
    if unit == "text":
        return f"<td>{_text(cell)}</td>"
    if unit == "numtext":
        return f'<td class="num">{conditional_escape(value)}</td>'
    text = CELL_TEXT[unit](value) if unit in CELL_TEXT else formatting.format_number(value, 0)
    return f'<td class="num">{conditional_escape(text)}</td>'


@register.simple_tag
def table_rows(table):
    """The rows of a chart's table (kpis.dashboard.Table: rows of {"cells": [{"value",
    "unit", "header"}], "preliminary", "emphasis"}), built here rather than by template
    loops, which were half of a dashboard page's rendering time."""
    lines = []
    for row in table.rows:
        classes = ("preliminary" if row.get("preliminary") else "") + (
            " emphasis" if row.get("emphasis") else ""
        )
        attributes = f' class="{classes}"' if classes else ""
        cells = "".join(_cell(cell) for cell in row["cells"])
        lines.append(f"\n    <tr{attributes}>{cells}</tr>\n    ")
    return mark_safe("".join(lines))

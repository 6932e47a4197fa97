"""Template filters for Swedish number formatting (kpis.formatting)."""

from django import template

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


@register.simple_tag
def table_rows(table):
    """The rows of a chart's table (hyrdash.lib.page.Table.rows_html: built in Python
    rather than by template loops, and kept with the table in the page cache)."""
    return table.rows_html

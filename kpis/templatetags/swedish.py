"""Template filters for Swedish number formatting (kpis.formatting)."""

from django import template

from kpis import formatting

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

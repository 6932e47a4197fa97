"""Number formatting for display: "2,1 mkr", "300 000 kr", "3,44 %".

Display only; exports (CSV, Excel) should write plain numbers instead.

Swedish as below; in English (the active language, django.utils.translation) the
separators are Django's for the language (decimal point, comma between thousands)
and the units are translated ("2.1 MSEK", "300,000 SEK", "+ 6.0 MSEK, up 11 %").

- Decimal comma; U+00A0 NO-BREAK SPACE as the thousands separator and
  between a number and its unit, so "1 234 567 kr" never wraps mid-figure.
- Negative numbers use U+2212 MINUS SIGN ("−5,9"), as Swedish typography
  does; it is not the ASCII hyphen, so don't parse these strings back.
- Missing values (``None``, NaN, ±inf) are shown as an en dash "–".
- Rounding is half up on the shortest decimal form of the value, so 2,05
  shows as "2,1" and 0,125 as "0,13" (not banker's rounding, and not the
  binary float's 2,04999...).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache
from numbers import Integral

from django.utils.formats import get_format
from django.utils.translation import gettext, pgettext_lazy

NBSP = "\u00a0"

MINUS = "\u2212"

MISSING = "\u2013"


__all__ = [
    "KR",
    "MINUS",
    "MISSING",
    "MKR",
    "NBSP",
    "TKR",
    "format_change_text",
    "format_kr",
    "format_mkr",
    "format_money",
    "format_number",
    "format_pct",
    "format_tkr",
    "digit_separators",
    "money_scale",
    "money_unit",
    "plotly_separators",
]


# The units as shown; "mkr" is "MSEK" in English (locale/en).
KR = pgettext_lazy("unit", "kr")

TKR = pgettext_lazy("unit", "tkr")

MKR = pgettext_lazy("unit", "mkr")


@cache
def _separators_table(decimal: str, thousands: str) -> dict[int, str]:
    # Python writes "1,234.5"; NBSP for a space, so a figure never wraps.
    return str.maketrans({",": NBSP if thousands in (" ", NBSP) else thousands, ".": decimal})


def digit_separators() -> dict[int, str]:
    """For str.translate: Python's "1,234.5" in the active language (Swedish "1 234,5")."""
    return _separators_table(get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR"))


def plotly_separators() -> str:
    """Plotly's layout.separators for the active language: ", " in Swedish, ".," in English."""
    thousands = get_format("THOUSAND_SEPARATOR")
    return get_format("DECIMAL_SEPARATOR") + (" " if thousands in (" ", NBSP) else thousands)


def _to_decimal(value: object) -> Decimal | None:
    """The value as a finite Decimal, or None when it is missing."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, Integral):
        return Decimal(int(value))
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    # repr gives the shortest decimal that round-trips, so 2.05 stays "2.05"
    # rather than the binary 2.049999999999999822...
    return Decimal(repr(number))


def _round(value: Decimal, decimals: int) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        try:
            rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            rounded = value
    return rounded if rounded != 0 else abs(rounded)  # no "−0"


def _format_decimal(value: Decimal, decimals: int) -> str:
    rounded = _round(value, decimals)
    digits = format(abs(rounded), f",.{decimals}f").translate(digit_separators())
    return f"{MINUS}{digits}" if rounded < 0 else digits


def format_number(value: object, decimals: int = 0) -> str:
    """Swedish number: "1 234 567", "−2,5", "–" when missing.

    Thousands separated by NBSP, decimal comma, U+2212 minus, half-up
    rounding to ``decimals`` places.
    """
    number = _to_decimal(value)
    if number is None:
        return MISSING
    return _format_decimal(number, decimals)


def _with_unit(value: object, unit: str, decimals: int, scale: int = 0) -> str:
    number = _to_decimal(value)
    if number is None:
        return MISSING
    return f"{_format_decimal(number.scaleb(-scale), decimals)}{NBSP}{unit}"


def format_pct(value: object, decimals: int = 1) -> str:
    """A percentage that is already in %: 3.444 -> "3,4 %", with NBSP before "%"."""
    return _with_unit(value, "%", decimals)


def format_kr(value_sek: object, decimals: int = 0) -> str:
    """SEK as kronor: 300000 -> "300 000 kr"."""
    return _with_unit(value_sek, str(KR), decimals)


def format_tkr(value_sek: object, decimals: int = 0) -> str:
    """SEK as thousands: 1234567 -> "1 235 tkr"."""
    return _with_unit(value_sek, str(TKR), decimals, scale=3)


def format_mkr(value_sek: object, decimals: int = 1) -> str:
    """SEK as millions: 2100000 -> "2,1 mkr"."""
    return _with_unit(value_sek, str(MKR), decimals, scale=6)


# --- the unit of an amount: mkr where it reads, tkr where the values are small --------

# The smallest amount (SEK) shown in mkr: below 1 mkr, one decimal of mkr says "0,0"
# or "0,4" where tkr says "12" or "400".
MKR_FROM_SEK = 1_000_000

# unit -> (power of ten it divides SEK by, decimals shown)
_MONEY = {"tkr": (3, 0), "mkr": (6, 1)}


def money_unit(values, *, largest: str = "mkr") -> str:
    """The unit a set of amounts (SEK) reads in: "mkr" when the largest absolute value
    is at least MKR_FROM_SEK (1 000 000 kr), else "tkr"; missing values do not count.

    One unit for everything one chart shows (its cards, table and figure), chosen from
    the values together, so the administration and the areas read in mkr and a small
    department in tkr ("12 tkr" rather than "0,0 mkr"). ``largest="tkr"`` (a chart the
    decks show in tkr) keeps tkr whatever the size. With no values at all: ``largest``.
    """
    if largest == "tkr":
        return "tkr"
    numbers = [abs(n) for n in (_to_decimal(v) for v in values) if n is not None]
    if numbers and max(numbers) < MKR_FROM_SEK:
        return "tkr"
    return "mkr"


def money_scale(unit: str) -> tuple[float, int, str]:
    """(divisor from SEK, decimals, label) of "tkr" or "mkr", for a chart's values."""
    power, decimals = _MONEY[unit]
    return 10.0**power, decimals, str(TKR if unit == "tkr" else MKR)


def format_money(value_sek: object, unit: str) -> str:
    """SEK in the unit money_unit chose: "12 tkr", "2,1 mkr"."""
    power, decimals = _MONEY[unit]
    return _with_unit(value_sek, str(TKR if unit == "tkr" else MKR), decimals, scale=power)


def format_change_text(
    change_sek: object,
    change_pct: object,
    *,
    pct_decimals: int | None = None,
    unit: str = "mkr",
) -> str:
    """A change against last year in the deck's words.

    "+ 6,0 mkr, ökning 11 %", "− 5,9 mkr, minskning 11 %",
    "− 1,3 mkr, minskning 0,7 %"; with ``unit="tkr"`` "+ 2 tkr, ökning 17 %".

    - The amount is in Mkr with one decimal (or Tkr without decimals), signed "+" or
      "−" by the direction of ``change_sek``; exactly zero is "0,0 mkr, oförändrat".
    - The percent is shown without its sign, after "ökning" (increase) or
      "minskning" (decrease), the word following ``change_sek`` so the two
      halves never contradict each other. It has no decimals when it rounds
      to 10 % or more and one decimal below that; ``pct_decimals`` overrides.
    - ``change_pct`` missing (last year was 0): the amount only.
      ``change_sek`` missing: "–".
    """
    amount = _to_decimal(change_sek)
    if amount is None:
        return MISSING
    amount_text = format_money(abs(amount), unit)
    if amount == 0:
        if _to_decimal(change_pct) is None:
            return amount_text
        return gettext("%(amount)s, oförändrat") % {"amount": amount_text}
    text = f"{'+' if amount > 0 else MINUS}{NBSP}{amount_text}"
    pct = _to_decimal(change_pct)
    if pct is None:
        return text
    pct = abs(pct)
    if pct_decimals is None:
        pct_decimals = 0 if _round(pct, 1) >= 10 else 1
    values = {"amount": text, "pct": format_pct(pct, pct_decimals)}
    if amount > 0:
        return gettext("%(amount)s, ökning %(pct)s") % values
    return gettext("%(amount)s, minskning %(pct)s") % values

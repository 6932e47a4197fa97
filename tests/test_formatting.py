"""Swedish display formatting.

Expected strings are written with "·" for the no-break space (U+00A0) so the
placement of every space is visible; "−" is U+2212 MINUS SIGN and "–" the en
dash for a missing value.
"""

from decimal import Decimal

import numpy as np

from hyrdash.lib.formatting import (
    NBSP,
    format_change_text,
    format_kr,
    format_mkr,
    format_money,
    format_number,
    format_pct,
    format_tkr,
    money_scale,
    money_unit,
)
from hyrdash.lib.page import Column, Table
from kpis.templatetags.swedish import table_rows


def shown(text: str) -> str:
    return text.replace("\u00a0", "·")


def test_it_groups_thousands_with_no_break_spaces():
    assert shown(format_number(1_234_567)) == "1·234·567"
    assert shown(format_number(1_234_567.891, 2)) == "1·234·567,89"
    assert format_number(999) == "999"
    assert shown(format_kr(300_000)) == "300·000·kr"


def test_it_writes_negatives_with_a_minus_sign():
    assert format_number(-5.9, 1) == "\u22125,9"
    assert shown(format_number(-1_234_567)) == "−1·234·567"
    assert shown(format_mkr(-5_940_000)) == "−5,9·mkr"


def test_it_does_not_show_minus_zero():
    # -0,04 rounds to 0,0 with one decimal
    assert format_number(-0.04, 1) == "0,0"
    assert shown(format_mkr(-40_000)) == "0,0·mkr"


def test_it_shows_missing_values_as_a_dash():
    assert format_number(None) == "–"
    assert format_number(float("nan")) == "–"
    assert format_number(float("inf")) == "–"
    assert format_pct(None) == "–"
    assert format_mkr(np.nan) == "–"
    assert format_tkr(None) == "–"


def test_it_rounds_half_up_as_written_not_as_stored():
    # 2.05 is stored as 2.04999...; display rounds the written value, half up
    assert format_number(2.05, 1) == "2,1"
    assert format_number(2.5) == "3"  # banker's rounding would give "2"
    assert format_number(3.5) == "4"
    assert format_number(-2.5) == "−3"  # half away from zero
    assert shown(format_pct(0.125, 2)) == "0,13·%"
    assert format_number(Decimal("1234.565"), 2) == "1\u00a0234,57"


def test_it_accepts_numpy_and_decimal_values():
    assert format_number(np.float64(2.05), 1) == "2,1"
    assert format_number(np.int64(1500)) == "1\u00a0500"
    assert format_number(Decimal("3.44"), 2) == "3,44"


def test_it_formats_percentages():
    assert shown(format_pct(3.44, 2)) == "3,44·%"
    assert shown(format_pct(73.5)) == "73,5·%"
    assert shown(format_pct(-40.8)) == "−40,8·%"


def test_it_formats_mkr_and_tkr():
    assert shown(format_mkr(2_100_000)) == "2,1·mkr"
    assert shown(format_mkr(2_050_000)) == "2,1·mkr"  # 2,05 half up
    assert shown(format_mkr(305_400_000, 0)) == "305·mkr"
    assert shown(format_tkr(1_234_567)) == "1·235·tkr"  # 1 234,567 tkr
    assert shown(format_tkr(-499)) == "0·tkr"  # -0,499 tkr rounds to 0


def test_amounts_read_in_mkr_from_one_million_and_in_tkr_below():
    # the largest absolute amount decides, for all the amounts of a chart together
    assert money_unit([999_999.99]) == "tkr"
    assert money_unit([1_000_000]) == "mkr"  # the edge: 1 mkr reads as "1,0 mkr"
    assert money_unit([12_000, 1_000_000]) == "mkr"
    assert money_unit([-1_000_000, 20_000]) == "mkr"  # a large correction counts too
    assert money_unit([-999_999, 999_999]) == "tkr"
    assert money_unit([Decimal("999999.99"), np.float64(5.0)]) == "tkr"
    # missing values do not count; with nothing at all, the preferred unit
    assert money_unit([None, float("nan"), 300_000]) == "tkr"
    assert money_unit([None, float("nan")]) == "mkr"
    assert money_unit([]) == "mkr"
    # a chart the decks show in tkr stays in tkr, whatever the size
    assert money_unit([5_000_000_000], largest="tkr") == "tkr"


def test_a_small_department_reads_12_tkr_not_0_0_mkr():
    assert shown(format_mkr(12_000)) == "0,0·mkr"  # what the issue saw
    assert shown(format_money(12_000, money_unit([12_000]))) == "12·tkr"
    assert shown(format_money(2_100_000, "mkr")) == "2,1·mkr"
    assert format_money(None, "tkr") == "–"
    # "+ 0,0 mkr, ökning 17 %" becomes
    assert shown(format_change_text(1_745, 17.0, unit="tkr")) == "+·2·tkr, ökning 17·%"
    assert shown(format_change_text(0, 0.0, unit="tkr")) == "0·tkr, oförändrat"
    assert money_scale("tkr") == (1_000.0, 0, "tkr")
    assert money_scale("mkr") == (1_000_000.0, 1, "mkr")


def test_it_describes_an_increase_like_the_deck():
    # seed March 2023: doctors + 6 mkr, ökning 11 %; nurses + 2,1 mkr, ökning 32 %
    assert shown(format_change_text(6_000_000, 11.0)) == "+·6,0·mkr, ökning 11·%"
    assert shown(format_change_text(2_100_000, 32.3)) == "+·2,1·mkr, ökning 32·%"


def test_it_describes_a_decrease_like_the_deck():
    # seed October 2024: doctors − 1,3 mkr, minskning 0,7 %
    assert shown(format_change_text(-1_300_000, -0.7)) == "−·1,3·mkr, minskning 0,7·%"
    # nurses −5,9 mkr, −10,9 %: no decimals from 10 % up ...
    assert shown(format_change_text(-5_900_000, -10.9)) == "−·5,9·mkr, minskning 11·%"
    # ... unless asked for, as the October 2024 deck wrote it
    assert (
        shown(format_change_text(-5_900_000, -10.9, pct_decimals=1))
        == "−·5,9·mkr, minskning 10,9·%"
    )


def test_it_drops_decimals_when_the_percent_rounds_to_ten():
    # 9,96 rounds to 10,0 with one decimal, so it is shown as 10
    assert shown(format_change_text(1_000_000, 9.96)) == "+·1,0·mkr, ökning 10·%"
    assert shown(format_change_text(1_000_000, 9.94)) == "+·1,0·mkr, ökning 9,9·%"


def test_it_shows_only_the_amount_when_there_is_no_percent():
    # last year was 0, so there is no percentage
    assert shown(format_change_text(6_000_000, None)) == "+·6,0·mkr"


def test_it_shows_a_dash_when_the_change_is_unknown():
    assert format_change_text(None, 5.0) == "–"
    assert format_change_text(float("nan"), None) == "–"


def test_it_describes_no_change():
    assert shown(format_change_text(0, 0.0)) == "0,0·mkr, oförändrat"
    assert shown(format_change_text(0.0, None)) == "0,0·mkr"


def test_it_takes_the_direction_from_the_amount():
    # last year's net was negative (corrections): -1 mkr -> +0,5 mkr is an increase
    # of 1,5 mkr although (0,5 - -1) / -1 = -150 %
    assert shown(format_change_text(1_500_000, -150.0)) == "+·1,5·mkr, ökning 150·%"


def test_a_chart_table_row_is_escaped_formatted_and_marked():
    table = Table(
        caption="Tabell",
        columns=[Column("Område"), Column("Kostnad", "tkr"), Column("Andel", "pct2")],
        rows=[
            {
                "cells": [
                    {"value": "<b>Norr</b>", "unit": "text", "header": True},
                    {"value": 1234567.0, "unit": "tkr"},
                    {"value": 3.4449, "unit": "pct2"},
                ],
                "emphasis": True,
            },
            {"cells": [{"value": "..", "unit": "numtext"}], "preliminary": True},
        ],
    )

    assert table_rows(table) == (
        '\n    <tr class=" emphasis"><th scope="row">&lt;b&gt;Norr&lt;/b&gt;</th>'
        f'<td class="num">1{NBSP}235{NBSP}tkr</td><td class="num">3,44{NBSP}%</td></tr>\n    '
        '\n    <tr class="preliminary"><td class="num">..</td></tr>\n    '
    )

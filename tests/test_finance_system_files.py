"""Ledger and payroll extracts as the finance systems write them (Raindance, Unit4/Agresso,
SAP): title rows above the header, a trailing minus, accounting parentheses, a closing
total row, Debet and Kredit instead of Belopp. No database: the parsers alone.

Row numbers in messages are the file's own, title rows counted.
"""

import io
import math

import openpyxl
import pytest

from hyrdash.lib.tabular import ExtractError
from kpis.costs.extracts import CostLayout, parse_cost_extract
from kpis.sick_leave.extracts import parse_sick_leave

NBSP = "\u00a0"
MINUS = "\u2212"


def rows_of(frame):
    """(row, period, ansvar, konto, amount, hours or None) per parsed row."""
    return [
        (row, r.period, r.ansvar, r.konto, r.amount, None if math.isnan(r.hours) else r.hours)
        for row, r in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]


def problems_of(data: bytes, parse=parse_cost_extract) -> list[str]:
    with pytest.raises(ExtractError) as info:
        parse(data)
    return info.value.lines()


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=i, column=j, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- each pattern alone ---------------------------------------------------------------

RAINDANCE_TITLES = (
    "Utdrag huvudbok HSF\nPeriod 2026-10, utskrivet 2026-11-05\n\n"
    "Period;Ansvar;Konto;Belopp\n"
    "2026-10;0101;4601;1 000,00\n"
    "2026-10;2001;5111;250,50\n"
)


def test_it_finds_the_header_below_the_title_rows_and_keeps_the_files_row_numbers():
    frame = parse_cost_extract(RAINDANCE_TITLES.encode())

    # Rows 1-2 are titles, row 3 blank, the header row 4, the data rows 5 and 6.
    assert rows_of(frame) == [
        (5, "2026-10", "0101", "4601", 1000.0, None),
        (6, "2026-10", "2001", "5111", 250.5, None),
    ]
    assert frame.attrs["layout"] == CostLayout(header_row=4)


def test_a_problem_below_title_rows_names_the_files_row():
    data = RAINDANCE_TITLES.replace("250,50", "2x").encode()

    assert problems_of(data) == ["Rad 6, kolumn Belopp: ”2x” är inget tal."]


def test_a_header_with_a_missing_column_below_title_rows_is_named_with_its_columns():
    # The row with most of the declared columns is taken as the header, not the title.
    data = b"Utdrag huvudbok HSF\nPeriod;Ansvar;Konto;Summa\n2026-10;0101;4601;1\n"

    assert problems_of(data) == [
        "Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).",
        "Filens kolumner är: ”Period”, ”Ansvar”, ”Konto”, ”Summa”.",
    ]


def test_a_header_below_the_twentieth_row_is_not_looked_for():
    titles = "".join(f"Rubrik {n}\n" for n in range(1, 21))  # rows 1-20
    data = (titles + "Period;Ansvar;Konto;Belopp\n2026-10;0101;4601;1\n").encode()

    assert problems_of(data)[-1] == "Filens kolumner är: ”Rubrik 1”."


@pytest.mark.parametrize(
    "written, amount",
    [
        ("1 234,56-", -1234.56),
        ("1234,56-", -1234.56),
        (f"1{NBSP}234,56 -", -1234.56),
        ("500-", -500.0),
        ("0,50-", -0.5),
        ("1 234,56", 1234.56),
    ],
)
def test_it_reads_a_trailing_minus_as_negative(written, amount):
    data = f"Period;Ansvar;Konto;Belopp\n2026-10;0101;4601;{written}\n".encode()

    assert rows_of(parse_cost_extract(data))[0][4] == amount


@pytest.mark.parametrize(
    "written, amount",
    [("(1 234,56)", -1234.56), ("(500)", -500.0), ("( 12,5 )", -12.5), ("(1.234,56)", -1234.56)],
)
def test_it_reads_accounting_parentheses_as_negative(written, amount):
    data = f"Period;Ansvar;Konto;Belopp\n2026-10;0101;4601;{written}\n".encode()

    assert rows_of(parse_cost_extract(data))[0][4] == amount


@pytest.mark.parametrize("written", ["(-500)", "-500-", "(500)-", "(500", "500)", "()", "-"])
def test_a_number_with_two_signs_or_half_a_parenthesis_is_still_no_number(written):
    data = f"Period;Ansvar;Konto;Belopp\n2026-10;0101;4601;{written}\n".encode()

    assert problems_of(data) == [f"Rad 2, kolumn Belopp: ”{written}” är inget tal."]


@pytest.mark.parametrize(
    "total_line",
    ["Summa;;;1 250,50", "Totalt;;;1250,5", ";SUMMA:;;1 250,50", "Summa period;;;1250,50"],
)
def test_it_checks_a_closing_total_row_and_does_not_read_it_as_a_row(total_line):
    data = (
        "Period;Ansvar;Konto;Belopp\n"
        "2026-10;0101;4601;1 000,00\n"
        "2026-10;2001;5111;250,50\n"
        f"{total_line}\n;;;\n"
    ).encode()

    frame = parse_cost_extract(data)

    assert [row[0] for row in rows_of(frame)] == [2, 3]
    assert frame.attrs["layout"] == CostLayout(total_row=4)


def test_a_total_row_that_does_not_add_up_is_an_error_naming_both_sums():
    data = (
        b"Period;Ansvar;Konto;Belopp;Timmar\n"
        b"2026-10;0101;4601;1 000,00;10\n"
        b"2026-10;2001;5111;250,50;\n"
        b"2026-10;2001;9999;-0,50;\n"  # an account outside the mapping is in the file's sum
        b"Summa;;;1 250,01;10\n"
    )

    assert problems_of(data) == [
        f"Rad 5, kolumn Belopp: summaraden anger 1{NBSP}250,01 men raderna ovanför "
        f"summerar till 1{NBSP}250,00."
    ]


def test_a_total_row_with_no_number_says_so():
    data = b"Period;Ansvar;Konto;Belopp\n2026-10;0101;4601;1\nSumma;;;ett\n"

    assert problems_of(data) == ["Rad 3, kolumn Belopp: ”ett” är inget tal."]


def test_a_summa_row_in_the_middle_is_no_total_row_and_keeps_its_clear_errors():
    data = b"Period;Ansvar;Konto;Belopp\nSumma;;;1\n2026-10;0101;4601;1\n"

    assert problems_of(data) == [
        "Rad 2, kolumn Period: ”Summa” är ingen giltig månad "
        "(skriv ÅÅÅÅ-MM, ÅÅÅÅMM eller ÅÅÅÅ-MM-DD).",
        "Rad 2, kolumn Ansvar: värde saknas.",
        "Rad 2, kolumn Konto: värde saknas.",
    ]


def test_it_takes_belopp_as_debet_minus_kredit():
    data = (
        b"Period;Ansvar;Konto;Debet;Kredit\n"
        b"2026-10;0101;4601;1 000,00;\n"  # 1 000
        b"2026-10;0101;4601;;200,25\n"  # -200,25
        b"2026-10;2001;5111;500;100\n"  # 400
    )

    frame = parse_cost_extract(data)

    assert [row[4] for row in rows_of(frame)] == [1000.0, -200.25, 400.0]
    assert frame.attrs["layout"] == CostLayout(debit_credit=True)


def test_belopp_is_used_when_a_file_has_it_and_debet_and_kredit_too():
    data = b"Period;Ansvar;Konto;Belopp;Debet;Kredit\n2026-10;0101;4601;7;100;1\n"

    assert rows_of(parse_cost_extract(data))[0][4] == 7.0


def test_a_debet_and_kredit_row_with_neither_or_a_bad_cell_is_refused():
    data = b"Period;Ansvar;Konto;Debet;Kredit\n2026-10;0101;4601;;\n2026-10;0101;4601;1;x\n"

    assert problems_of(data) == [
        "Rad 2, kolumn Debet: värde saknas i både Debet och Kredit.",
        "Rad 3, kolumn Kredit: ”x” är inget tal.",
    ]


def test_debet_without_kredit_is_no_amount():
    data = b"Period;Ansvar;Konto;Debet\n2026-10;0101;4601;1\n"

    assert problems_of(data) == [
        "Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).",
        "Filens kolumner är: ”Period”, ”Ansvar”, ”Konto”, ”Debet”.",
    ]


# --- together ---------------------------------------------------------------------------

# An Agresso-like export: titles, Debet/Kredit, a trailing minus, parentheses, a total row
# of both columns. Debet 1 000 + 300 = 1 300; Kredit 250,50 + 49,50 = 300 (the trailing
# minus and the parentheses make a debit of -50 and a credit of -(-49,50)).
TOGETHER = [
    ["Utdrag huvudbok HSF"],
    ["Period 2026-10, utskrivet 2026-11-05"],
    [],
    ["Period", "Ansvar", "Konto", "Text", "Debet", "Kredit"],
    ["2026-10", "0101", "4601", "Hyrläkare", "1 000,00", ""],
    ["2026-10", "0101", "4601", "Rättelse", "50,00-", ""],
    ["2026-10", "2001", "5111", "Lön", "300", "250,50"],
    ["2026-10", "2001", "5111", "Rättelse", "", "(49,50)"],
    ["Summa", "", "", "", "1 250,00", "201,00"],
]
# Belopp = Debet - Kredit: 1 000; -50; 300 - 250,50 = 49,50; 0 - (-49,50) = 49,50.
TOGETHER_AMOUNTS = [1000.0, -50.0, 49.5, 49.5]


def test_every_pattern_together_in_a_csv():
    data = "\n".join(";".join(row) for row in TOGETHER).encode("cp1252")

    frame = parse_cost_extract(data)

    assert [row[0] for row in rows_of(frame)] == [5, 6, 7, 8]
    assert [row[4] for row in rows_of(frame)] == TOGETHER_AMOUNTS
    assert frame.attrs["layout"] == CostLayout(header_row=4, debit_credit=True, total_row=9)


def test_every_pattern_together_in_a_workbook():
    frame = parse_cost_extract(xlsx(TOGETHER))

    assert [row[4] for row in rows_of(frame)] == TOGETHER_AMOUNTS
    assert frame.attrs["layout"] == CostLayout(header_row=4, debit_credit=True, total_row=9)


def test_a_workbook_with_number_cells_and_a_total_that_does_not_add_up():
    rows = [
        ["SAP: Kostnadsställerapport"],
        ["Period", "Ansvar", "Konto", "Belopp"],
        ["2026-10", "0101", 4601, 1000.0],
        ["2026-10", "0101", 4601, -0.5],
        ["Totalt", None, None, 1000.0],
    ]

    assert problems_of(xlsx(rows)) == [
        f"Rad 5, kolumn Belopp: summaraden anger 1{NBSP}000,00 men raderna ovanför "
        f"summerar till 999,50."
    ]


# --- sick leave ------------------------------------------------------------------------

SICK_HEADER = (
    "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
    "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-"
)


def test_a_sick_leave_file_with_title_rows_and_a_total_row():
    data = (
        "Sjukfrånvaro per enhet\nLönesystemet, körning 2026-11-20\n"
        f"{SICK_HEADER}\n"
        "2026-10;0101;K;-29;12;1 850,5;40;12,25;0\n"
        "2026-10;0101;M;30-49;8;1 200;20;0;30\n"
        "Totalt;;;;20;3 050,50;60;12,25;30\n"
    ).encode()

    frame = parse_sick_leave(data)

    assert list(frame.index) == [4, 5]
    assert frame["ordinary_hours"].tolist() == [1850.5, 1200.0]
    assert (frame.attrs["header_row"], frame.attrs["total_row"]) == (3, 6)


def test_a_sick_leave_total_row_that_does_not_add_up_names_both_sums():
    data = (
        f"{SICK_HEADER}\n"
        "2026-10;0101;K;-29;12;1 850,5;40;12,25;0\n"
        "2026-10;0101;M;30-49;8;1 200;20;0;30\n"
        "Summa;;;;21;3 050,50;60;12,25;30\n"
    ).encode()

    assert problems_of(data, parse_sick_leave) == [
        "Rad 4, kolumn Antal anställda: summaraden anger 21 men raderna ovanför summerar till 20."
    ]

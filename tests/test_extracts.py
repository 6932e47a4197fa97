"""Reading cost, register and mapping extracts (kpis.extracts): no database.

Files are built in memory, as the finance system and Swedish Excel write them.
Row numbers in messages are the file's own: the header is row 1.
"""

import datetime as dt
import io
import math
import zipfile

import numpy as np
import openpyxl
import pytest

from hyrdash.lib import problems, tabular, workbook
from hyrdash.lib.tabular import ExtractError
from kpis.accounts.extracts import parse_accounts
from kpis.costs import extracts as cost_extracts
from kpis.costs.extracts import parse_cost_extract
from kpis.organisation.extracts import parse_org

CARE_TYPES = ["sjukhusvård", "primärvård", "tandvård", "övrigt"]
CATEGORIES = [
    "hyr_lakare",
    "hyr_ssk_bm",
    "hyr_ovriga",
    "egen_lon",
    "egen_po",
    "egen_pension",
    "egen_ovrigt",
    "ignorera",
]
NBSP = "\u00a0"

PERIOD_HINT = "är ingen giltig månad (skriv ÅÅÅÅ-MM, ÅÅÅÅMM eller ÅÅÅÅ-MM-DD)."


def records(frame):
    """The parsed frame as (row, period, ansvar, konto, amount, hours) tuples; NaN hours -> None."""
    return [
        (
            row,
            r.period,
            r.ansvar,
            r.konto,
            r.amount,
            None if math.isnan(r.hours) else r.hours,
        )
        for row, r in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]


def problems_of(data: bytes, parse=parse_cost_extract, *args) -> list[str]:
    with pytest.raises(ExtractError) as info:
        parse(data, *args)
    return info.value.lines()


def xlsx(rows, *, first_row=1) -> bytes:
    """An XLSX workbook with `rows` from `first_row` (None leaves a cell empty)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet.cell(row=first_row + i, column=j + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV variations ------------------------------------------------------------------


def test_it_reads_swedish_excel_csv_with_semicolons_and_decimal_comma():
    data = (
        b"Period;Ansvar;Konto;Belopp\n"
        b"2024-03;0101;4601;1 234 567,50\n"
        b"2024-03;0102;4611;-2 500,25\n"
        b"2024-04;2001;5111;300\n"
    )

    assert records(parse_cost_extract(data)) == [
        (2, "2024-03", "0101", "4601", 1234567.5, None),
        (3, "2024-03", "0102", "4611", -2500.25, None),
        (4, "2024-04", "2001", "5111", 300.0, None),
    ]


def test_it_reads_comma_separated_csv_with_decimal_point():
    data = b"Period,Ansvar,Konto,Belopp\n2024-03,0101,4601,1234.50\n2024-03,0101,4602,-0.75\n"

    assert records(parse_cost_extract(data)) == [
        (2, "2024-03", "0101", "4601", 1234.5, None),
        (3, "2024-03", "0101", "4602", -0.75, None),
    ]


def test_it_reads_quoted_amounts_with_comma_in_comma_separated_csv():
    data = (
        b"Period,Ansvar,Konto,Belopp\n"
        b'2024-03,0101,4601,"1 234,50"\n'
        b'2024-03,0101,4601,"1,234.50"\n'
        b'2024-03,0101,4601,"1.234,50"\n'
    )

    amounts = [r[4] for r in records(parse_cost_extract(data))]

    assert amounts == [1234.5, 1234.5, 1234.5]


def test_it_accepts_no_break_spaces_and_other_thousands_separators():
    data = (
        "Period;Ansvar;Konto;Belopp\n"
        f"2024-03;0101;4601;1{NBSP}234{NBSP}567,50\n"
        "2024-03;0101;4601;2\u202f000\n"  # narrow no-break space
        "2024-03;0101;4601;1'500\n"
        "2024-03;0101;4601;\u22123 000\n"  # Unicode minus sign
        "2024-03;0101;4601;+12,5\n"
        "2024-03;0101;4601;,5\n"
    ).encode()

    amounts = [r[4] for r in records(parse_cost_extract(data))]

    assert amounts == [1234567.5, 2000.0, 1500.0, -3000.0, 12.5, 0.5]


def test_it_keeps_negative_amounts_as_corrections():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1000\n2024-03;0101;4601;-1000,00\n"

    assert [r[4] for r in records(parse_cost_extract(data))] == [1000.0, -1000.0]


def test_it_strips_spaces_around_cells_and_reads_quoted_cells():
    data = b'Period;Ansvar;Konto;Belopp\n"2024-03";" 0101 ";"4601 ";" 1 234,50 "\n'

    assert records(parse_cost_extract(data)) == [(2, "2024-03", "0101", "4601", 1234.5, None)]


def test_it_reads_utf8_with_bom():
    data = "\ufeffPeriod;Ansvar;Konto;Belopp;Kommentar\n2024-03;0101;4601;10;Örnsköldsvik\n"

    assert records(parse_cost_extract(data.encode("utf-8"))) == [
        (2, "2024-03", "0101", "4601", 10.0, None)
    ]


def test_it_reads_utf8_without_bom():
    data = "Period;Ansvar;Konto;Belopp;Kommentar\n2024-03;0101;4601;10;Åsele vårdcentral\n"

    assert records(parse_cost_extract(data.encode("utf-8"))) == [
        (2, "2024-03", "0101", "4601", 10.0, None)
    ]


def test_it_reads_windows_1252():
    data = "Period;Ansvar;Konto;Belopp;Kommentar\n2024-03;0101;4601;10;Skellefteå, Öjebyn\n"
    encoded = data.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        encoded.decode("utf-8")  # the file really is not UTF-8

    assert records(parse_cost_extract(encoded)) == [(2, "2024-03", "0101", "4601", 10.0, None)]


def test_it_reads_a_windows_1252_register_with_swedish_letters_in_header_and_values():
    data = (
        "Ansvar;Enhet;Verksamhet;Område;Vårdtyp\n"
        "0101;Hälsocentral Boliden;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå;Primärvård\n"
    ).encode("cp1252")

    frame = parse_org(data, CARE_TYPES)

    assert frame.to_dict("records") == [
        {
            "ansvar": "0101",
            "unit": "Hälsocentral Boliden",
            "department": "Primärvård Skellefteå",
            "area": "Närsjukvårdsområde Skellefteå",
            "care_type": "primärvård",
        }
    ]


def test_it_matches_header_names_in_any_case_and_ignores_other_columns():
    data = b"Kommentar;PERIOD;ansvar;KoNtO;belopp;timmar\nx;2024-03;0101;4601;10;2\n"

    assert records(parse_cost_extract(data)) == [(2, "2024-03", "0101", "4601", 10.0, 2.0)]


def test_it_reads_tab_separated_files():
    data = b"Period\tAnsvar\tKonto\tBelopp\n2024-03\t0101\t4601\t10,5\n"

    assert records(parse_cost_extract(data)) == [(2, "2024-03", "0101", "4601", 10.5, None)]


@pytest.mark.parametrize(
    "written",
    ["2024-03", "202403", "2024-03-01", "2024-03-31", "2024-03-01 00:00:00"],
)
def test_it_reads_every_period_format(written):
    data = f"Period;Ansvar;Konto;Belopp\n{written};0101;4601;1\n".encode()

    assert records(parse_cost_extract(data))[0][1] == "2024-03"


def test_it_reads_hours_when_present_and_leaves_them_empty_when_blank():
    data = (
        b"Period;Ansvar;Konto;Belopp;Timmar\n"
        b"2024-03;0101;4601;10 000;120,5\n"
        b"2024-03;0101;5111;50 000;\n"
        b"2024-03;0101;4611;2 000;1 000\n"
    )

    assert [r[5] for r in records(parse_cost_extract(data))] == [120.5, None, 1000.0]


def test_it_does_without_the_hours_column():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1\n"

    assert records(parse_cost_extract(data))[0][5] is None


def test_it_ignores_trailing_empty_rows_as_excel_writes_them():
    data = b"Period;Ansvar;Konto;Belopp;Timmar\n2024-03;0101;4601;1;\n;;;;\n;;;;\n\n"

    assert records(parse_cost_extract(data)) == [(2, "2024-03", "0101", "4601", 1.0, None)]


def test_it_keeps_file_row_numbers_across_empty_rows():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1\n;;;\n2024-03;0101;4601;x\n"

    assert problems_of(data) == ["Rad 4, kolumn Belopp: ”x” är inget tal."]


def test_it_reads_crlf_line_endings():
    data = b"Period;Ansvar;Konto;Belopp;Timmar\r\n2024-03;0101;4601;1,5;2\r\n;;;;\r\n"

    assert records(parse_cost_extract(data)) == [(2, "2024-03", "0101", "4601", 1.5, 2.0)]


def test_it_rounds_amounts_to_ore():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;10,126\n"

    assert records(parse_cost_extract(data))[0][4] == 10.13


# --- XLSX ----------------------------------------------------------------------------


def test_it_reads_xlsx_with_date_number_and_text_cells():
    data = xlsx(
        [
            ["Period", "Ansvar", "Konto", "Belopp", "Timmar", "Kommentar"],
            [dt.datetime(2024, 3, 1), "0421", 4601, 1234.5, 12.25, "Örnsköldsvik"],
            [dt.date(2024, 4, 15), "0421", 4611, -100, None, None],
            ["2024-05", "0421", "5111", "1 234,50", None, None],
            [202406, "0421", 5111, 0.1 + 0.2, None, None],
        ]
    )

    assert records(parse_cost_extract(data)) == [
        (2, "2024-03", "0421", "4601", 1234.5, 12.25),
        (3, "2024-04", "0421", "4611", -100.0, None),
        (4, "2024-05", "0421", "5111", 1234.5, None),
        (5, "2024-06", "0421", "5111", 0.3, None),
    ]


def test_it_reads_xlsx_headers_in_any_case_below_empty_rows():
    data = xlsx(
        [["period", "ANSVAR", "Konto", "belopp"], [dt.datetime(2024, 3, 1), "0101", 4601, 5]],
        first_row=3,
    )

    # Header on row 3, so the first data row is row 4.
    assert records(parse_cost_extract(data)) == [(4, "2024-03", "0101", "4601", 5.0, None)]


def test_it_reads_formula_residues_in_xlsx_as_numbers():
    # Excel formulas such as =A1-B1 leave float residues like 1.4e-14 in the cells;
    # their text form has an exponent, which is still a number (0,00 kr).
    data = xlsx(
        [
            ["Period", "Ansvar", "Konto", "Belopp"],
            ["2024-03", "0101", 4601, 1.4210854715202004e-14],
            ["2024-03", "0101", 4601, -2.5e-7],
        ]
    )

    assert [r[4] for r in records(parse_cost_extract(data))] == [0.0, 0.0]


def test_it_reports_bad_cells_in_xlsx_with_row_and_column():
    data = xlsx(
        [
            ["Period", "Ansvar", "Konto", "Belopp"],
            ["2024-13", "0101", 4601, "x"],
            [None, None, None, None],
            ["2024-03", None, 4601, True],
        ]
    )

    assert problems_of(data) == [
        f"Rad 2, kolumn Period: ”2024-13” {PERIOD_HINT}",
        "Rad 2, kolumn Belopp: ”x” är inget tal.",
        "Rad 4, kolumn Ansvar: värde saknas.",
        "Rad 4, kolumn Belopp: ”SANT” är inget tal.",
    ]


def test_it_reads_an_xlsx_register_keeping_leading_zeros():
    data = xlsx(
        [
            ["Ansvar", "Enhet", "Verksamhet", "Område", "Vårdtyp"],
            ["0421", "Vårdcentral Lycksele", "Primärvård Lycksele", "Södra Lappland", "PRIMÄRVÅRD"],
        ]
    )

    frame = parse_org(data, CARE_TYPES)

    assert frame["ansvar"].tolist() == ["0421"]
    assert frame["care_type"].tolist() == ["primärvård"]


def test_it_refuses_an_empty_workbook():
    assert problems_of(xlsx([])) == ["Filen är tom."]


def test_it_refuses_a_workbook_that_would_unpack_too_large(monkeypatch):
    data = xlsx([["Period", "Ansvar", "Konto", "Belopp"], ["2024-03", "0101", 4601, 1]])
    monkeypatch.setattr(workbook, "MAX_XLSX_UNPACKED_BYTES", 1000)

    assert problems_of(data) == ["Excel-filen är för stor uppackad och har inte lästs."]


def test_it_refuses_a_zip_that_is_no_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "inte en arbetsbok")

    assert problems_of(buffer.getvalue()) == ["Filen kunde inte läsas som Excel-arbetsbok (.xlsx)."]


def test_it_refuses_a_broken_zip():
    assert problems_of(b"PK\x03\x04" + bytes(range(200))) == [
        "Filen kunde inte läsas som Excel-arbetsbok (.xlsx)."
    ]


def test_it_refuses_a_zip_of_a_version_python_cannot_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buffer.getvalue())
    # The central directory's "version needed to extract" (after its signature and
    # "version made by"): 6.4, which Python's zipfile refuses with NotImplementedError.
    entry = data.index(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")

    assert problems_of(bytes(data)) == ["Filen kunde inte läsas som Excel-arbetsbok (.xlsx)."]


# --- bad input -----------------------------------------------------------------------


def test_it_names_a_missing_column_and_lists_the_columns_found():
    data = b"Period;Ansvar;Konto;Summa\n2024-03;0101;4601;1\n"

    assert problems_of(data) == [
        "Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).",
        "Filens kolumner är: ”Period”, ”Ansvar”, ”Konto”, ”Summa”.",
    ]


def test_it_names_every_missing_column():
    data = b"Period;Kommentar\n2024-03;x\n"

    assert problems_of(data) == [
        "Kolumnen ”Ansvar” saknas.",
        "Kolumnen ”Konto” saknas.",
        "Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).",
        "Filens kolumner är: ”Period”, ”Kommentar”.",
    ]


def test_it_reports_a_file_with_the_wrong_separator_as_missing_columns():
    data = b"Period|Ansvar|Konto|Belopp\n2024-03|0101|4601|1\n"

    assert problems_of(data) == [
        "Kolumnen ”Period” saknas.",
        "Kolumnen ”Ansvar” saknas.",
        "Kolumnen ”Konto” saknas.",
        "Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).",
        "Filens kolumner är: ”Period|Ansvar|Konto|Belopp”.",
    ]


@pytest.mark.parametrize("written", ["2024-13", "24-03", "2024-00", "mars 2024", "2024/03"])
def test_it_rejects_bad_periods(written):
    data = f"Period;Ansvar;Konto;Belopp\n{written};0101;4601;1\n".encode()

    assert problems_of(data) == [f"Rad 2, kolumn Period: ”{written}” {PERIOD_HINT}"]


def test_it_rejects_a_blank_period():
    data = b"Period;Ansvar;Konto;Belopp\n;0101;4601;1\n"

    assert problems_of(data) == ["Rad 2, kolumn Period: värde saknas."]


@pytest.mark.parametrize(
    "written", ["12,3x", "1e5", "1,2,3", "(500", "(-500)", "-500-", "()", "-", "abc"]
)
def test_it_rejects_non_numeric_amounts(written):
    data = f"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;{written}\n".encode()

    assert problems_of(data) == [f"Rad 2, kolumn Belopp: ”{written}” är inget tal."]


def test_it_rejects_non_numeric_hours():
    data = b"Period;Ansvar;Konto;Belopp;Timmar\n2024-03;0101;4601;1;ca 10\n"

    assert problems_of(data) == ["Rad 2, kolumn Timmar: ”ca 10” är inget tal."]


def test_it_refuses_amounts_and_hours_too_large_to_store():
    data = (
        b"Period;Ansvar;Konto;Belopp;Timmar\n"
        b"2024-03;0101;4601;199001011234;\n"  # fits: 199 001 011 234 kr
        b"2024-03;0101;4601;1 000 000 000 000;\n"
        b"2024-03;0101;4601;-999 999 999 999,995;1000000000000\n"
    )

    assert problems_of(data) == [
        "Rad 3, kolumn Belopp: ”1 000 000 000 000” är orimligt stort (högst 999 999 999 999,99).",
        # rounds to -1 000 000 000 000,00
        "Rad 4, kolumn Belopp: ”-999 999 999 999,995” är orimligt stort "
        "(högst 999 999 999 999,99).",
        "Rad 4, kolumn Timmar: ”1000000000000” är orimligt stort (högst 999 999 999 999,99).",
    ]


def test_it_accepts_the_largest_amount_that_can_be_stored():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;-999 999 999 999,99\n"

    assert records(parse_cost_extract(data))[0][4] == -999999999999.99


def test_it_reports_unknown_units_on_mapped_accounts_with_the_other_problems():
    data = (
        b"Period;Ansvar;Konto;Belopp\n"
        b"2024-13;0999;4601;10\n"  # bad period and unknown unit
        b"2024-03;0101;4601;x\n"
        b"2024-03;0998;9999;1\n"  # account outside the mapping: not checked
        b"2024-03;;4601;1\n"  # blank, not unknown
    )

    with pytest.raises(ExtractError) as info:
        parse_cost_extract(data, units={"0101", "0102"}, accounts={"4601"})

    assert info.value.lines() == [
        f"Rad 2, kolumn Period: ”2024-13” {PERIOD_HINT}",
        "Rad 2, kolumn Ansvar: ”0999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 3, kolumn Belopp: ”x” är inget tal.",
        "Rad 5, kolumn Ansvar: värde saknas.",
    ]


def test_it_does_not_check_units_without_the_registers():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0999;4601;10\n"

    assert records(parse_cost_extract(data))[0][2] == "0999"


def test_it_reports_every_blank_cell():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;;4601;\n2024-03;0101;;1\n"

    assert problems_of(data) == [
        "Rad 2, kolumn Ansvar: värde saknas.",
        "Rad 2, kolumn Belopp: värde saknas.",
        "Rad 3, kolumn Konto: värde saknas.",
    ]


def test_it_reports_short_rows_as_blank_cells():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1\n2024-04;0101\n"

    assert problems_of(data) == [
        "Rad 3, kolumn Konto: värde saknas.",
        "Rad 3, kolumn Belopp: värde saknas.",
    ]


def test_it_lists_every_problem_of_the_file_in_row_and_column_order():
    data = (
        b"Period;Ansvar;Konto;Belopp\n"
        b"2024-13;0101;4601;12,3x\n"
        b"24-03;;4601;1\n"
        b"2024-03;0101;4601;1\n"
        b";0101;;abc\n"
    )

    assert problems_of(data) == [
        f"Rad 2, kolumn Period: ”2024-13” {PERIOD_HINT}",
        "Rad 2, kolumn Belopp: ”12,3x” är inget tal.",
        f"Rad 3, kolumn Period: ”24-03” {PERIOD_HINT}",
        "Rad 3, kolumn Ansvar: värde saknas.",
        "Rad 5, kolumn Period: värde saknas.",
        "Rad 5, kolumn Konto: värde saknas.",
        "Rad 5, kolumn Belopp: ”abc” är inget tal.",
    ]


@pytest.mark.parametrize(
    "data, row",
    [
        # a later row
        (b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1\n2024-03;0101;4601;1;2\n", 3),
        # a decimal comma in an unquoted comma-separated file
        (b"Period,Ansvar,Konto,Belopp\n2024-03,0101,4601,1,5\n", 2),
        # the first row of a plain file (the numbers' fast path)
        (b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1;2\n2024-03;0101;4601;1;2\n", 2),
    ],
)
def test_it_reports_a_row_with_too_many_fields(data, row):
    assert problems_of(data) == [
        f"Rad {row}: raden har 5 fält men rubrikraden har 4. "
        "Kontrollera avgränsare och citattecken."
    ]


def test_it_reports_an_unterminated_quote():
    data = b'Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;"12\n'

    assert problems_of(data) == ["Filen kunde inte läsas som CSV. Kontrollera formatet."]


@pytest.mark.parametrize("data", [b"", b"\n", b"\n\n\n", b"\xef\xbb\xbf"])
def test_it_refuses_an_empty_file(data):
    assert problems_of(data) == ["Filen är tom."]


@pytest.mark.parametrize(
    "data",
    [
        b"Period;Ansvar;Konto;Belopp\n",
        b"\xef\xbb\xbfPeriod;Ansvar;Konto;Belopp\r\n",
        b"Period;Ansvar;Konto;Belopp\n;;;\n;;;\n",
    ],
)
def test_it_refuses_a_file_with_only_a_header(data):
    assert problems_of(data) == ["Filen innehåller inga rader."]


def test_it_refuses_old_xls_files():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)

    assert problems_of(data) == [
        "Filen är en äldre Excel-fil (.xls), som inte stöds. "
        "Spara den som Excel-arbetsbok (.xlsx) eller CSV och försök igen."
    ]


def test_it_refuses_random_bytes():
    assert problems_of(bytes(range(256)) * 4) == [
        "Filen är varken en CSV-fil eller en Excel-arbetsbok (.xlsx)."
    ]


def test_it_refuses_text_in_an_unknown_encoding():
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;\x81\n"

    assert problems_of(data) == [
        "Filens teckenkodning känns inte igen. "
        "Spara den som CSV (UTF-8) eller CSV (semikolonavgränsad)."
    ]


def test_it_lists_at_most_200_problems_and_counts_the_rest():
    rows = "".join(f"2024-03;0101;4601;x{i}\n" for i in range(205))
    data = f"Period;Ansvar;Konto;Belopp\n{rows}".encode()

    with pytest.raises(ExtractError) as info:
        parse_cost_extract(data)

    lines = info.value.lines()
    assert len(info.value.problems) == 205
    assert len(lines) == 201
    assert lines[0] == "Rad 2, kolumn Belopp: ”x0” är inget tal."
    assert lines[199] == "Rad 201, kolumn Belopp: ”x199” är inget tal."
    assert lines[200] == "… och 5 fel till."
    assert str(info.value) == "\n".join(lines)


def test_it_truncates_by_the_configured_limit(monkeypatch):
    monkeypatch.setattr(problems, "MAX_LISTED_PROBLEMS", 2)
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;a\n2024-03;0101;4601;b\n;;;c\n"

    assert problems_of(data) == [
        "Rad 2, kolumn Belopp: ”a” är inget tal.",
        "Rad 3, kolumn Belopp: ”b” är inget tal.",
        "… och 4 fel till.",
    ]


def test_it_shortens_long_values_in_messages():
    long_value = "x" * 80
    data = f"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;{long_value}\n".encode()

    assert problems_of(data) == [f"Rad 2, kolumn Belopp: ”{'x' * 57}…” är inget tal."]


# --- register and mapping files ------------------------------------------------------

ORG_HEADER = "Ansvar;Enhet;Verksamhet;Område;Vårdtyp\n"


def test_it_reads_care_types_in_any_case():
    data = (
        ORG_HEADER + "0101;A;V1;O1;Primärvård\n"
        "0102;B;V1;O1;SJUKHUSVÅRD\n"
        "0103;C;V1;O1;tandvård\n"
        "0104;D;V1;O1;Övrigt\n"
    ).encode()

    frame = parse_org(data, CARE_TYPES)

    assert frame["care_type"].tolist() == ["primärvård", "sjukhusvård", "tandvård", "övrigt"]
    assert frame["ansvar"].tolist() == ["0101", "0102", "0103", "0104"]


def test_it_rejects_an_unknown_care_type():
    data = (ORG_HEADER + "0101;A;V1;O1;Akutvård\n").encode()

    assert problems_of(data, parse_org, CARE_TYPES) == [
        "Rad 2, kolumn Vårdtyp: ”Akutvård” är ingen vårdtyp "
        "(tillåtna: sjukhusvård, primärvård, tandvård, övrigt)."
    ]


def test_it_rejects_a_duplicate_ansvar_in_the_register():
    data = (ORG_HEADER + "0101;A;V1;O1;primärvård\n0101;B;V1;O1;primärvård\n").encode()

    assert problems_of(data, parse_org, CARE_TYPES) == [
        "Rad 3, kolumn Ansvar: ”0101” förekommer flera gånger "
        "(varje ansvar får bara finnas på en rad)."
    ]


def test_it_rejects_a_department_under_two_areas():
    data = (
        ORG_HEADER + "2001;A;Kirurgiskt centrum;Länssjukvårdsområde 2;sjukhusvård\n"
        "2002;B;Kirurgiskt centrum;Länssjukvårdsområde 1;sjukhusvård\n"
    ).encode()

    assert problems_of(data, parse_org, CARE_TYPES) == [
        "Rad 2, kolumn Område: verksamheten ”Kirurgiskt centrum” står under flera områden "
        "(”Länssjukvårdsområde 1”, ”Länssjukvårdsområde 2”)."
    ]


def test_it_reports_blank_register_cells():
    data = (ORG_HEADER + "0101;;V1;O1;\n").encode()

    assert problems_of(data, parse_org, CARE_TYPES) == [
        "Rad 2, kolumn Enhet: värde saknas.",
        "Rad 2, kolumn Vårdtyp: värde saknas.",
    ]


def test_it_reads_the_account_mapping_with_categories_in_any_case():
    data = "Konto;Benämning;Kategori\n4601;Inhyrd personal läkare;HYR_LAKARE\n".encode()

    assert parse_accounts(data, CATEGORIES).to_dict("records") == [
        {"konto": "4601", "name": "Inhyrd personal läkare", "category": "hyr_lakare"}
    ]


def test_it_rejects_an_unknown_category():
    data = "Konto;Benämning;Kategori\n4601;Läkare;hyr_läkare\n".encode()

    assert problems_of(data, parse_accounts, CATEGORIES) == [
        "Rad 2, kolumn Kategori: ”hyr_läkare” är ingen kategori (tillåtna: hyr_lakare, "
        "hyr_ssk_bm, hyr_ovriga, egen_lon, egen_po, egen_pension, egen_ovrigt, ignorera)."
    ]


def test_it_rejects_a_duplicate_account():
    data = "Konto;Benämning;Kategori\n4601;A;hyr_lakare\n4601;B;hyr_lakare\n".encode()

    assert problems_of(data, parse_accounts, CATEGORIES) == [
        "Rad 3, kolumn Konto: ”4601” förekommer flera gånger "
        "(varje konto får bara finnas på en rad)."
    ]


def test_it_reads_a_csv_with_blank_lines_above_the_header_keeping_row_numbers():
    data = b"\n;;;\nPeriod;Ansvar;Konto;Belopp\n2024-03;0421;4601;12,50\n2024-3;0421;4601;1\n"

    with pytest.raises(ExtractError) as error:
        parse_cost_extract(data)

    # Rows 1-2 are blank, the header is row 3, the data rows 4 and 5.
    assert error.value.lines() == [
        "Rad 5, kolumn Period: ”2024-3” är ingen giltig månad "
        "(skriv ÅÅÅÅ-MM, ÅÅÅÅMM eller ÅÅÅÅ-MM-DD)."
    ]


# --- amounts read as numbers by the CSV reader (a fast path) ---------------------------
# A CSV of nothing but digits, signs and separators below its header has its amounts
# parsed by the CSV reader; any other file, or a cell the reader cannot parse, is read
# as text. Both ways must give the same frame and the same messages.


def amount_column_type(data: bytes) -> str:
    """How read_table hands back Belopp: "float64" (read as numbers) or "str" (text)."""
    table = tabular.read_table(
        data, cost_extracts.COST_COLUMNS, numbers=cost_extracts.AMOUNT_COLUMNS
    )
    return str(table["Belopp"].dtype)


def test_it_reads_plain_amounts_as_numbers_as_it_reads_them_as_text():
    data = (
        b"Period;Ansvar;Konto;Belopp;Timmar\r\n"
        b"2024-03;0101;4601;1234567,5;\r\n"
        b"2024-03;0101;4601;-2500,25;7,\r\n"
        b"2024-03;0101;4601;+,5; 12 \r\n"
        b'2024-03;0101;4601;"0,005";-0\r\n'
        b"2024-03-01 00:00:00;0101;4601;10,125;\r\n"
    )

    assert amount_column_type(data) == "float64"
    assert records(parse_cost_extract(data)) == [
        (2, "2024-03", "0101", "4601", 1234567.5, None),
        (3, "2024-03", "0101", "4601", -2500.25, 7.0),
        (4, "2024-03", "0101", "4601", 0.5, 12.0),
        # Rounded half to even, as before: 0,005 is 0.005000000000000000104 as a float,
        # 0.5 once times 100, so 0; 10,125 is exact in binary, 1012.5 times 100, so 10.12.
        (5, "2024-03", "0101", "4601", 0.0, -0.0),
        (6, "2024-03", "0101", "4601", 10.12, None),
    ]


def test_it_reads_plain_amounts_with_a_decimal_point_in_a_comma_separated_file():
    data = b"Period,Ansvar,Konto,Belopp\n2024-03,0101,4601,1234.50\n2024-03,0101,4601,-.75\n"

    assert amount_column_type(data) == "float64"
    assert [r[4] for r in records(parse_cost_extract(data))] == [1234.5, -0.75]


def test_it_reads_the_amounts_as_text_when_one_cell_has_a_space():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1000\n2024-03;0101;4601;1 234,50\n"

    assert amount_column_type(data) == "str"
    assert [r[4] for r in records(parse_cost_extract(data))] == [1000.0, 1234.5]


def test_it_quotes_a_bad_cell_with_a_space_as_written():
    # Without its space, 1234,5,6 has two decimal commas: no number.
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1000\n2024-03;0101;4601;1 234,5,6\n"

    assert amount_column_type(data) == "str"
    assert problems_of(data) == ["Rad 3, kolumn Belopp: ”1 234,5,6” är inget tal."]


def test_it_reads_points_in_a_semicolon_separated_file_as_text():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1234.50\n2024-03;0101;4601;2,5\n"

    assert amount_column_type(data) == "str"
    assert [r[4] for r in records(parse_cost_extract(data))] == [1234.5, 2.5]


@pytest.mark.parametrize("written", ["1e5", "1,5E3", "inf", "-Infinity", "nan", "NA", "0x10"])
def test_it_rejects_what_the_csv_reader_would_read_as_a_number(written):
    # The reader's own number parser takes 1e5, inf and Infinity; letters in the file
    # keep it from parsing the amounts, so they are refused as before.
    data = f"Period;Ansvar;Konto;Belopp;Timmar\n2024-03;0101;4601;1;{written}\n".encode()

    assert amount_column_type(data) == "str"
    assert problems_of(data) == [f"Rad 2, kolumn Timmar: ”{written}” är inget tal."]


@pytest.mark.parametrize("written", [",", "-", "+,", "1,2,3", "--5", "-5-", "5--", "+5-"])
def test_it_rejects_a_plain_cell_that_is_no_number(written):
    data = f"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1\n2024-03;0101;4601;{written}\n"

    assert problems_of(data.encode()) == [f"Rad 3, kolumn Belopp: ”{written}” är inget tal."]


def test_it_quotes_too_large_plain_amounts_as_written():
    # Read as numbers first; the messages need the cells' text, so it is read again.
    data = (
        b"Period;Ansvar;Konto;Belopp;Timmar\n"
        b"2024-03;0101;4601;999999999999,994;\n"  # rounds to 999 999 999 999,99: fits
        b"2024-03;0101;4601;-999999999999,995;\n"  # rounds to -1 000 000 000 000,00
        b"2024-03;0101;4601;1;1000000000000\n"
    )

    assert amount_column_type(data) == "float64"
    assert problems_of(data) == [
        "Rad 3, kolumn Belopp: ”-999999999999,995” är orimligt stort (högst 999 999 999 999,99).",
        "Rad 4, kolumn Timmar: ”1000000000000” är orimligt stort (högst 999 999 999 999,99).",
    ]


def test_it_reports_blank_plain_amounts():
    data = b"Period;Ansvar;Konto;Belopp;Timmar\n2024-03;0101;4601;;\n2024-03;0101;4601;5;\n"

    assert amount_column_type(data) == "float64"
    assert problems_of(data) == ["Rad 2, kolumn Belopp: värde saknas."]


def test_it_reads_a_short_first_row_in_a_plain_file_as_blank_cells():
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101\n2024-03;0101;4601;1\n"

    assert problems_of(data) == [
        "Rad 2, kolumn Konto: värde saknas.",
        "Rad 2, kolumn Belopp: värde saknas.",
    ]


def test_it_strips_the_cells_of_a_plain_file_with_spaces_tabs_or_quotes():
    # The cells of a plain file are stripped only if it has a space, a tab or a quote.
    data = b'Period;Ansvar;Konto;Belopp\n 2024-03 ;\t0101;"4601\n";1,5 \n'

    assert amount_column_type(data) == "float64"
    assert records(parse_cost_extract(data)) == [(2, "2024-03", "0101", "4601", 1.5, None)]


def test_it_reads_the_amounts_of_a_file_with_a_quoted_header_as_text():
    data = b'"Period";"Ansvar";"Konto";"Belopp"\n2024-03;0101;4601;12,5\n'

    assert amount_column_type(data) == "str"
    assert records(parse_cost_extract(data)) == [(2, "2024-03", "0101", "4601", 12.5, None)]


# --- amounts taken from a workbook's number cells (a fast path) --------------------------
# A workbook's amount column of nothing but finite floats and blank cells is taken as
# the floats calamine reads; any other column is read as text (workbook.cell_text), as before.
# Both ways must give the same frame and the same messages.


def amount_column_types(data: bytes) -> tuple[str, str]:
    """How read_table hands back Belopp and Timmar: "float64" or "str"."""
    table = tabular.read_table(
        data, cost_extracts.COST_COLUMNS, numbers=cost_extracts.AMOUNT_COLUMNS
    )
    return str(table["Belopp"].dtype), str(table["Timmar"].dtype)


def with_values(data: bytes, values: dict[str, str]) -> bytes:
    """The workbook `data` with cell values written as `values` says ({"111": "inf"}),
    as openpyxl would not write them (17 digits, inf, NaN)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for old, new in values.items():
                    assert f"<v>{old}</v>".encode() in body
                    body = body.replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode())
            archive.writestr(info, body)
    return buffer.getvalue()


def test_it_takes_number_cells_in_a_workbook_as_the_amounts():
    data = with_values(
        xlsx(
            [
                ["Period", "Ansvar", "Konto", "Belopp", "Timmar"],
                ["2024-03", "0101", 4601, 1234.5, 12.25],
                ["2024-03", "0101", 4601, 111, ""],
                ["2024-03", "0101", 4601, 222, None],
                ["2024-03", "0101", 4601, -0.0, 7],
            ]
        ),
        {"111": "0.30000000000000004", "222": "1.4210854715202004E-14"},
    )

    assert amount_column_types(data) == ("float64", "float64")
    table = tabular.read_table(
        data, cost_extracts.COST_COLUMNS, numbers=cost_extracts.AMOUNT_COLUMNS
    )
    # As their text reads: 0.30000000000000004 and the residue written out in full,
    # "0.000000000000014210854715202004", read back to the same floats; -0 as "0": 0.0.
    assert table["Belopp"].tolist() == [1234.5, 0.30000000000000004, 1.4210854715202004e-14, 0.0]
    assert not math.copysign(1, table["Belopp"].iloc[3]) < 0
    assert table["Timmar"].tolist()[::3] == [12.25, 7.0]
    assert table["Timmar"].isna().tolist() == [False, True, True, False]
    assert records(parse_cost_extract(data)) == [
        (2, "2024-03", "0101", "4601", 1234.5, 12.25),
        (3, "2024-03", "0101", "4601", 0.3, None),
        (4, "2024-03", "0101", "4601", 0.0, None),
        (5, "2024-03", "0101", "4601", 0.0, 7.0),
    ]
    assert not math.copysign(1, parse_cost_extract(data)["amount"].iloc[3]) < 0


def test_it_reports_blank_number_cells_in_a_workbook():
    data = xlsx(
        [
            ["Period", "Ansvar", "Konto", "Belopp", "Timmar"],
            ["2024-03", "0101", 4601, None, None],
            ["2024-03", "0101", 4601, 5, None],
        ]
    )

    assert amount_column_types(data) == ("float64", "float64")
    assert problems_of(data) == ["Rad 2, kolumn Belopp: värde saknas."]


def test_it_quotes_too_large_number_cells_in_a_workbook_as_their_text():
    # Taken as numbers first; the messages quote the cells' text, so it is read again.
    data = with_values(
        xlsx(
            [
                ["Period", "Ansvar", "Konto", "Belopp", "Timmar"],
                ["2024-03", "0101", 4601, 111, None],
                ["2024-03", "0101", 4601, 222, None],
                ["2024-03", "0101", 4601, 1e300, None],
                ["2024-03", "0101", 4601, 333, None],
                ["2024-03", "0101", 4601, 1, 444],
            ]
        ),
        {
            "111": "999999999999.994",  # rounds to 999 999 999 999,99: fits
            "222": "-999999999999.995",  # rounds to -1 000 000 000 000,00
            "333": "9007199254740993",  # 2**53 + 1: the float 2**53, an integer written out
            "444": "1000000000000",
        },
    )

    assert amount_column_types(data) == ("float64", "float64")
    too_large = "är orimligt stort (högst 999 999 999 999,99)."
    assert problems_of(data) == [
        f"Rad 3, kolumn Belopp: ”-999999999999.995” {too_large}",
        # The float nearest 1e300, an integer, written out exactly: 1000…00052504760…
        f"Rad 4, kolumn Belopp: ”{'1' + '0' * 16 + '5250476025520442024870446858110815915491'}…” "
        f"{too_large}",
        f"Rad 5, kolumn Belopp: ”9007199254740992” {too_large}",
        f"Rad 6, kolumn Timmar: ”1000000000000” {too_large}",
    ]


@pytest.mark.parametrize(
    ("cell", "written", "problems"),
    [
        ("1 234,50", None, []),
        (True, None, ["Rad 3, kolumn Belopp: ”SANT” är inget tal."]),
        (False, None, ["Rad 3, kolumn Belopp: ”FALSKT” är inget tal."]),
        (dt.date(2024, 3, 1), None, ["Rad 3, kolumn Belopp: ”2024-03-01” är inget tal."]),
        (111, "inf", ["Rad 3, kolumn Belopp: ”inf” är inget tal."]),
        (111, "-inf", ["Rad 3, kolumn Belopp: ”-inf” är inget tal."]),
        (111, "NaN", ["Rad 3, kolumn Belopp: ”nan” är inget tal."]),
    ],
)
def test_it_reads_a_workbook_amount_column_with_another_cell_as_text(cell, written, problems):
    data = xlsx(
        [
            ["Period", "Ansvar", "Konto", "Belopp", "Timmar"],
            ["2024-03", "0101", 4601, 1234.5, 2.5],
            ["2024-03", "0101", 4601, cell, None],
        ]
    )
    if written:  # calamine reads inf and NaN as floats; openpyxl will not write them
        data = with_values(data, {str(cell): written})

    # Only the column with the other cell is read as text.
    assert amount_column_types(data) == ("str", "float64")
    if problems:
        assert problems_of(data) == problems
    else:
        assert [r[4] for r in records(parse_cost_extract(data))] == [1234.5, 1234.5]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([], []),
        ([1.5, None, "", -0.0, 2.0**60], [1.5, math.nan, math.nan, 0.0, 2.0**60]),
        ([None, ""], [math.nan, math.nan]),
        ([1.5, " "], None),  # blank once stripped, but left to the text
        ([1.5, "1,5"], None),
        ([1.5, 2], None),  # calamine reads no integers from XLSX: left to the text
        ([1.5, True], None),
        ([1.5, dt.date(2024, 3, 1)], None),
        ([1.5, dt.datetime(2024, 3, 1)], None),
        ([1.5, math.inf], None),
        ([1.5, "", -math.inf], None),
        ([1.5, math.nan], None),
        ([math.nan, ""], None),
    ],
)
def test_xlsx_numbers_takes_only_finite_floats_and_blank_cells(cells, expected):
    values = workbook.xlsx_numbers(cells)

    if expected is None:
        assert values is None
    else:
        assert values.dtype == "float64"
        # Bit for bit: NaN where blank, and no zero with a minus sign.
        assert values.tobytes() == np.array(expected, dtype="float64").tobytes()


# --- line ends -------------------------------------------------------------------------


def test_it_reads_old_mac_line_ends_keeping_row_numbers():
    data = b"\r;;;\rPeriod;Ansvar;Konto;Belopp\r2024-03;0101;4601;1,5\r\r2024-3;0101;4601;2\r"

    # Rows 1-2 are blank, the header is row 3, the data rows 4 and 6 (5 is blank).
    assert problems_of(data) == [f"Rad 6, kolumn Period: ”2024-3” {PERIOD_HINT}"]


def test_it_reads_mixed_line_ends_as_the_lines_they_end():
    # "\r\r\n" ends two lines, "\n\r" too: the data rows are 2 and 4.
    data = b"Period;Ansvar;Konto;Belopp\r\n2024-03;0101;4601;1\r\r\n2024-03;0101;4601;2\n\r"

    assert [r[0] for r in records(parse_cost_extract(data))] == [2, 4]


def test_it_keeps_a_line_end_in_a_quoted_cell_as_a_newline():
    data = b'Period;Ansvar;Konto;Belopp\r\n2024-03;"01\r\n02";4601;1\r\n'

    assert records(parse_cost_extract(data)) == [(2, "2024-03", "01\n02", "4601", 1.0, None)]

"""Reading the staffing system's placements export (kpis.placements.extracts): no database.

Files are built in memory as Swedish Excel writes them. Row numbers in messages are
the file's own: the header is row 1.
"""

import datetime as dt
import io
import math

import openpyxl
import pytest

from hyrdash.lib.tabular import ExtractError
from kpis.placements.extracts import parse_placements

D = dt.date
HEADER = "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar"
UNITS = {"0101", "2001"}


def csv(*lines: str, encoding: str = "utf-8-sig", newline: str = "\r\n") -> bytes:
    """A CSV as Swedish Excel saves it: semicolons, CRLF, UTF-8 with BOM or cp1252."""
    return newline.join([HEADER, *lines, ""]).encode(encoding)


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


def records(frame):
    """(row, consultant_id, name, agency, profession, ansvar, start, end, hours or None)."""
    return [
        (row, *values[:-1], None if math.isnan(values[-1]) else values[-1])
        for row, values in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]


def problems_of(data: bytes, units=UNITS) -> list[str]:
    with pytest.raises(ExtractError) as info:
        parse_placements(data, units=units)
    return info.value.lines()


EXPECTED = [
    (2, "K-001", "Åsa Öberg", "Läkarbolaget AB", "Läkare", "0101", D(2024, 4, 2), None, 1234.5),
    (
        3,
        "007",
        "Per Ek",
        "Sköterskejouren",
        "Sjuksköterska",
        "2001",
        D(2024, 5, 1),
        D(2026, 4, 30),
        None,
    ),
]
LINES = (
    "K-001;Åsa Öberg;Läkarbolaget AB;Läkare;0101;2024-04-02;;1 234,5",
    "007;Per Ek;Sköterskejouren;Sjuksköterska;2001;2024-05-01;2026-04-30;",
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-8"])
def test_it_reads_swedish_excel_csv(encoding):
    frame = parse_placements(csv(*LINES, encoding=encoding), units=UNITS)
    assert list(frame.columns) == [
        "consultant_id",
        "consultant_name",
        "agency",
        "profession",
        "ansvar",
        "start",
        "end",
        "hours",
    ]
    assert records(frame) == EXPECTED


def test_it_reads_an_xlsx_with_date_cells_and_number_cells():
    data = xlsx(
        [
            HEADER.split(";"),
            [
                "K-001",
                "Åsa Öberg",
                "Läkarbolaget AB",
                "Läkare",
                "0101",
                D(2024, 4, 2),
                None,
                1234.5,
            ],
            [
                "007",
                "Per Ek",
                "Sköterskejouren",
                "Sjuksköterska",
                "2001",
                dt.datetime(2024, 5, 1),
                "2026-04-30",  # a date typed as text
                None,
            ],
        ]
    )
    assert records(parse_placements(data, units=UNITS)) == EXPECTED


def test_dates_with_a_midnight_time_and_files_without_hours_are_read():
    data = (
        "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum\n"
        "K1;;;;0101;2024-04-02 00:00:00;2024-06-30 00:00\n"
    ).encode()
    frame = parse_placements(data)
    assert records(frame) == [(2, "K1", "", "", "", "0101", D(2024, 4, 2), D(2024, 6, 30), None)]


def test_without_known_units_any_ansvar_is_taken():
    frame = parse_placements(csv("K1;A;B;Läkare;9999;2024-01-01;;"))
    assert frame["ansvar"].tolist() == ["9999"]


def test_a_one_day_placement_is_fine():
    frame = parse_placements(csv("K1;A;B;Läkare;0101;2024-01-01;2024-01-01;8"), units=UNITS)
    assert (frame.at[2, "start"], frame.at[2, "end"], frame.at[2, "hours"]) == (
        D(2024, 1, 1),
        D(2024, 1, 1),
        8.0,
    )


# --- refusals ---------------------------------------------------------------------------


def test_a_missing_consultant_id_is_refused_with_row_and_column():
    data = csv(LINES[0], ";Per Ek;Sköterskejouren;Sjuksköterska;2001;2024-05-01;;")
    assert problems_of(data) == ["Rad 3, kolumn KonsultID: värde saknas."]


def test_an_end_before_the_start_is_refused_in_the_column_slutdatum():
    data = csv("K1;A;B;Läkare;0101;2025-02-01;2025-01-31;", encoding="cp1252")
    assert problems_of(data) == [
        "Rad 2, kolumn Slutdatum: ”2025-01-31” är före startdatumet ”2025-02-01”."
    ]


def test_an_end_before_the_start_in_an_xlsx_quotes_the_dates_as_dates():
    data = xlsx(
        [HEADER.split(";"), ["K1", "A", "B", "Läkare", "0101", D(2025, 2, 1), D(2025, 1, 31)]]
    )
    assert problems_of(data) == [
        "Rad 2, kolumn Slutdatum: ”2025-01-31” är före startdatumet ”2025-02-01”."
    ]


def test_an_unknown_ansvar_is_refused():
    data = csv(*LINES, "K2;A;B;Läkare;9999;2024-01-01;;")
    assert problems_of(data) == [
        "Rad 4, kolumn Ansvar: ”9999” är ett okänt ansvar (finns inte i organisationsregistret)."
    ]


@pytest.mark.parametrize("date", ["2025-02-30", "2025-13-01", "1/3/2025", "20250301", "idag"])
def test_an_invalid_date_is_refused(date):
    data = csv(f"K1;A;B;Läkare;0101;{date};;", f"K2;A;B;Läkare;0101;2025-01-01;{date};")
    assert problems_of(data) == [
        f"Rad 2, kolumn Startdatum: ”{date}” är inget giltigt datum (skriv ÅÅÅÅ-MM-DD).",
        f"Rad 3, kolumn Slutdatum: ”{date}” är inget giltigt datum (skriv ÅÅÅÅ-MM-DD).",
    ]


def test_a_number_where_an_xlsx_should_have_a_date_is_refused():
    # 45658 is 2025-01-01 as an Excel serial number in a cell not formatted as a date.
    data = xlsx([HEADER.split(";"), ["K1", "A", "B", "Läkare", "0101", 45658]])
    assert problems_of(data) == [
        "Rad 2, kolumn Startdatum: ”45658” är inget giltigt datum (skriv ÅÅÅÅ-MM-DD)."
    ]


def test_blank_ansvar_and_start_are_refused_and_a_blank_end_is_not():
    data = csv("K1;A;B;Läkare;;;;")
    assert problems_of(data) == [
        "Rad 2, kolumn Ansvar: värde saknas.",
        "Rad 2, kolumn Startdatum: värde saknas.",
    ]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("tolv", "”tolv” är inget tal."),
        ("-8", "”-8” är negativt; antal och timmar kan inte vara mindre än 0."),
        ("1e15", "”1e15” är inget tal."),
        ("1000000000000", "”1000000000000” är orimligt stort (högst 999 999 999 999,99)."),
    ],
)
def test_invalid_hours_are_refused(hours, message):
    data = csv(f"K1;A;B;Läkare;0101;2024-01-01;;{hours}")
    assert problems_of(data) == [f"Rad 2, kolumn Timmar: {message}"]


def test_every_problem_is_listed_by_row_then_column_and_nothing_is_returned():
    data = csv(
        ";A;B;Läkare;9999;2025-02-01;2025-01-01;x",
        LINES[0],
        "K3;A;B;Läkare;0101;2025-02-30;;",
    )
    assert problems_of(data) == [
        "Rad 2, kolumn KonsultID: värde saknas.",
        "Rad 2, kolumn Ansvar: ”9999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 2, kolumn Slutdatum: ”2025-01-01” är före startdatumet ”2025-02-01”.",
        "Rad 2, kolumn Timmar: ”x” är inget tal.",
        "Rad 4, kolumn Startdatum: ”2025-02-30” är inget giltigt datum (skriv ÅÅÅÅ-MM-DD).",
    ]


def test_a_missing_column_is_refused():
    data = "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum\nK1;A;B;C;0101;2025-01-01\n"
    assert problems_of(data.encode("cp1252")) == [
        "Kolumnen ”Slutdatum” saknas.",
        "Filens kolumner är: ”KonsultID”, ”Konsult”, ”Bemanningsföretag”, ”Yrkesgrupp”, "
        "”Ansvar”, ”Startdatum”.",
    ]


def test_a_file_without_rows_is_refused():
    assert problems_of(csv(";;;;;;;")) == ["Filen innehåller inga rader."]

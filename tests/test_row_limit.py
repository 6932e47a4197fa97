"""Files too large to read are refused before they are read: a workbook of 190 KB that
holds 3,000,000 rows, one whose single cell lies at XFD100000, a CSV of many short
lines (hyrdash.lib.sheet_size, settings.MAX_EXTRACT_ROWS and MAX_EXTRACT_CELLS), in
every upload, in a few megabytes of memory."""

import io
import secrets
import subprocess
import sys
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hyrdash.lib import sheet_size
from hyrdash.lib.tabular import Column, ExtractError, read_table
from tests.big_files import HEADER_ROW_AT_A1, rows_bomb, workbook
from tests.conftest import make_user
from tests.test_settings import PROJECT_ROOT, manage

NBSP = "\u00a0"
SPLIT = "Dela upp filen, till exempel per år, och importera delarna var för sig."


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return rows_bomb()


def refusal(data: bytes) -> str:
    with pytest.raises(ExtractError) as refused:
        read_table(data, [Column("Period")])
    return str(refused.value)


# --- the workbooks ------------------------------------------------------------------------


def test_a_workbook_of_190_kb_with_3_million_rows_is_refused_naming_rows_and_limit(bomb):
    assert 150_000 < len(bomb) < 250_000

    tracemalloc.start()
    try:
        message = refusal(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert message == (
        f"Filen har 3{NBSP}000{NBSP}001 rader; högst 2{NBSP}000{NBSP}000 rader läses "
        f"(rubrikraden medräknad). {SPLIT}"
    )
    # Measured: 7-9 MB (a chunk of the sheet and its copies), for 78 MB of XML.
    assert peak < 32 * 1024 * 1024, peak


def test_the_refusal_takes_megabytes_of_memory_not_gigabytes(bomb, tmp_path):
    # The process's peak resident memory before and after the refusal (calamine's Rust
    # memory too, which tracemalloc does not see). Before the limit: 2.4 GB, 120 s.
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    script = (
        "import os, resource, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hyrdash.settings')\n"
        "django.setup()\n"
        "from hyrdash.lib.tabular import Column, ExtractError, read_table\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    read_table(data, [Column('Period')])\nexcept ExtractError:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=PROJECT_ROOT,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    grown_kb = int(result.stdout.strip())
    assert grown_kb < 64 * 1024, grown_kb  # measured: 9-12 MB


def test_one_cell_far_down_is_as_many_rows():
    data = workbook(HEADER_ROW_AT_A1, b'<row r="3000000"><c r="A3000000"><v>1</v></c></row>')
    assert len(data) < 2000
    assert refusal(data).startswith(f"Filen har 3{NBSP}000{NBSP}000 rader; ")


def test_one_cell_far_to_the_right_is_refused_before_the_reader_asks_for_52_gb():
    # calamine would allocate 100,000 x 16,384 cells and abort the process.
    data = workbook(b'<row r="1"><c r="A1"><v>1</v></c></row>',
                    b'<row r="100000"><c r="XFD100000"><v>2</v></c></row>')  # fmt: skip
    assert refusal(data) == (
        f"Excel-filens första blad sträcker sig över 100{NBSP}000 rader och 16{NBSP}384 "
        f"kolumner, 1{NBSP}638{NBSP}400{NBSP}000 celler; högst 20{NBSP}000{NBSP}000 celler "
        f"läses. Ta bort tomma rader och kolumner under och till höger om tabellen. {SPLIT}"
    )


def test_a_row_of_many_cells_without_references_counts_as_that_wide():
    wide = b"<row>" + b"<c><v>1</v></c>" * 16_384 + b"</row>"
    data = workbook(wide, b"<row><c><v>1</v></c></row>" * 1_300)
    assert "1\u00a0301 rader och 16\u00a0384 kolumner" in refusal(data)


def test_prefixed_element_names_are_counted_too():
    rows = b"<x:row><x:c><x:v>1</x:v></x:c></x:row>" * 30
    data = workbook(rows, prefix=b"x:")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        extent = sheet_size.sheet_extent(archive, "xl/worksheets/sheet1.xml")
    assert (extent.row_elements, extent.rows, extent.columns) == (30, 30, 1)


def test_the_first_sheet_is_the_one_the_workbook_names():
    data = workbook(b'<row r="1"><c r="C1"><v>1</v></c></row>', sheet=b"blad9.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sheet_size.first_sheet(archive) == "xl/worksheets/blad9.xml"
    assert sheet_size.workbook_extents(data) == [sheet_size.Extent(1, 1, 3)]


def test_a_workbook_as_excel_writers_write_it_is_measured_exactly_and_read():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Period", "Ansvar", "Konto", "Belopp"])
    for i in range(2_500):
        sheet.append(["2024-03", "0101", "4601", i])
    sheet["F2600"] = "x"  # a stray cell: the extent reaches it, as calamine's does
    out = io.BytesIO()
    book.save(out)
    assert sheet_size.workbook_extents(out.getvalue()) == [sheet_size.Extent(2_502, 2_600, 6)]
    table = read_table(out.getvalue(), [Column("Period"), Column("Belopp")])
    assert len(table) == 2_500


def test_the_limits_are_settings(settings):
    settings.MAX_EXTRACT_ROWS = 2_501
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(2, 2_502))
    assert read_table(workbook(HEADER_ROW_AT_A1, rows), [Column("Period")]).shape == (2_500, 1)
    too_many = workbook(HEADER_ROW_AT_A1, rows, b'<row r="2502"><c r="A2502"><v>1</v></c></row>')
    assert refusal(too_many).startswith(f"Filen har 2{NBSP}502 rader; högst 2{NBSP}501 rader ")
    settings.MAX_EXTRACT_CELLS = 10_000
    assert "högst 10\u00a0000 celler läses" in refusal(workbook(HEADER_ROW_AT_A1, rows))


def test_the_settings_refuse_a_limit_below_two_rows():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), DEBUG="0", MAX_EXTRACT_ROWS="1")
    assert result.returncode != 0
    assert "MAX_EXTRACT_ROWS must be at least 2" in result.stderr


# --- CSV -----------------------------------------------------------------------------------


def test_a_csv_of_many_short_lines_is_refused_before_it_is_parsed():
    data = b"Period;Ansvar;Konto;Belopp\r\n" + b";\r\n" * 2_999_999 + b";"
    assert refusal(data) == (
        f"Filen har 3{NBSP}000{NBSP}001 rader; högst 2{NBSP}000{NBSP}000 rader läses "
        f"(rubrikraden medräknad). {SPLIT}"
    )


@pytest.mark.parametrize(
    ("data", "lines"),
    [(b"", 0), (b"a", 1), (b"a\n", 1), (b"a\r\nb", 2), (b"a\rb\r", 2), (b"a\n\nb\n", 3)],
)
def test_lines_are_counted_as_the_csv_reader_ends_them(data, lines):
    assert sheet_size.csv_lines(data) == lines


# --- every upload --------------------------------------------------------------------------

ROWS_REFUSED = f"Filen har 3{NBSP}000{NBSP}001 rader; högst 2{NBSP}000{NBSP}000 rader läses"


def post_file(client, url, data, **fields):
    upload = SimpleUploadedFile("stor.xlsx", data, content_type="application/octet-stream")
    return client.post(url, {**fields, "file": upload})


@pytest.mark.parametrize("kind", ["actuals", "budget", "sick_leave"])
def test_the_cost_and_sick_leave_uploads_refuse_the_bomb_with_the_message(
    client, registers, controller_user, bomb, kind
):
    client.force_login(controller_user)
    response = post_file(client, reverse("kpis:upload"), bomb, kind=kind)
    assert response.status_code == 400
    assert ROWS_REFUSED in response.content.decode()


def test_the_national_upload_refuses_the_bomb_with_the_message(
    client, registers, controller_user, bomb
):
    client.force_login(controller_user)
    response = post_file(client, reverse("kpis:national_upload"), bomb)
    assert response.status_code == 400
    assert ROWS_REFUSED in response.content.decode()


@pytest.mark.parametrize("kind", ["answers", "population"])
def test_the_survey_upload_refuses_the_bomb_with_the_message(client, registers, bomb, kind):
    client.force_login(make_user("hrs", "hr"))
    response = post_file(client, reverse("survey:upload"), bomb, kind=kind, year="2024")
    assert response.status_code == 400
    assert ROWS_REFUSED in response.content.decode()

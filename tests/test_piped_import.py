"""The cost import read, checked and stored part by part (issue 17, item 4).

On PostgreSQL a CSV is read in parts of tabular.PART_CHARS characters: while one
part's ledger rows are copied in by a thread of their own (pgcopy.CopyIn), the next
part is read and checked. Here the parts are made a line or a few lines long, so a
small file passes in many parts, and the results are those worked out by hand in
tests/test_import_costs.py (MARCH_APRIL: 11 rows, 8 on mapped accounts).
"""

import numpy as np
import pandas as pd
import pytest
from django.db import connection

from hyrdash.lib import pgcopy, tabular
from hyrdash.lib.tabular import ExtractError
from kpis.costs import services as cost_services
from kpis.costs.extracts import (
    AMOUNT_COLUMNS,
    COST_COLUMNS,
    cost_frame,
    numbers_too_large,
    parse_cost_extract,
)
from kpis.models import DepartmentMonthlyCost, ImportBatch, LedgerRow
from tests.test_import_costs import (
    MARCH_APRIL,
    MARCH_APRIL_COSTS,
    department_snapshot,
    nothing_stored,
    run_import,
    snapshot,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the import is read in parts on PostgreSQL only"
)

# Title rows, CRLF, a blank line and a line of bare separators among the rows, amounts
# written as a finance system does (trailing minus, thousands with spaces): the rows
# are numbered as the file has them.
TITLED = (
    "Utdrag huvudbok HSF\r\n"
    "Period 2024-03\r\n"
    "\r\n"
    "Period;Ansvar;Konto;Belopp;Timmar\r\n"
    "2024-03;0101;4601;100 000,00;120\r\n"
    "\r\n"
    "2024-03;0101;4611;5 000-;\r\n"
    ";;;;\r\n"
    "2024-03;2001;5111;1 000 000;\r\n"
)
DEBIT_CREDIT = """Period;Ansvar;Konto;Debet;Kredit
2024-03;0101;4601;100,50;
2024-03;0101;4601;;20,25
2024-04;2001;5111;1000;10
"""


def parts_of(text: str) -> list[pd.DataFrame]:
    parts = tabular.read_table_parts(text.encode(), COST_COLUMNS, numbers=AMOUNT_COLUMNS)
    assert parts is not None
    return [cost_frame(table) for table in parts if not table.empty]


@pytest.mark.parametrize("size", [1, 30, 10**9])
@pytest.mark.parametrize("text", [MARCH_APRIL, TITLED, DEBIT_CREDIT])
def test_a_file_in_parts_reads_as_the_whole_file(monkeypatch, text, size):
    monkeypatch.setattr(tabular, "PART_CHARS", size)
    whole = parse_cost_extract(text.encode())

    parts = parts_of(text)

    assert len(parts) == (1 if size == 10**9 else len(parts))
    pd.testing.assert_frame_equal(pd.concat(parts), whole)
    assert {part.attrs["layout"] for part in parts} == {whole.attrs["layout"]}


def test_the_rows_keep_the_files_row_numbers(monkeypatch):
    monkeypatch.setattr(tabular, "PART_CHARS", 1)

    parts = parts_of(TITLED)

    # Header on row 4; row 6 blank and row 8 bare separators are dropped.
    assert [list(part.index) for part in parts] == [[5], [7], [9]]
    assert parts[1]["amount"].tolist() == [-5000.0]


@pytest.mark.parametrize(
    "text",
    [
        'Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;"1 000"\n',  # quotes
        "Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;100\nSumma;;;100\n",  # a total row
        "",
    ],
)
def test_files_read_whole_are_not_read_in_parts(text):
    assert tabular.read_table_parts(text.encode(), COST_COLUMNS) is None


def test_a_part_read_otherwise_than_the_whole_file_is_declined(monkeypatch):
    monkeypatch.setattr(tabular, "PART_CHARS", 1)
    text = "Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;100\n2024-03;0101;4601;100;5;6\n"
    parts = tabular.read_table_parts(text.encode(), COST_COLUMNS)

    with pytest.raises(tabular.PartsDeclined):
        list(parts)


def test_an_amount_too_large_is_seen_in_its_part():
    text = "Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;100000000000000000\n"
    (table,) = tabular.read_table_parts(text.encode(), COST_COLUMNS, numbers=AMOUNT_COLUMNS)

    assert numbers_too_large(table)


# --- the import on PostgreSQL ---------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    """The number of rows of each part CopyIn sent."""
    counts = []
    original = pgcopy.CopyIn.send

    def send(self, columns):
        counts.append(len(columns[0][2]))
        return original(self, columns)

    monkeypatch.setattr(pgcopy.CopyIn, "send", send)
    return counts


@postgresql_only
def test_a_file_in_many_parts_stores_what_was_worked_out_by_hand(registers, monkeypatch, sent):
    monkeypatch.setattr(tabular, "PART_CHARS", 1)  # a part a line

    batch = run_import(MARCH_APRIL)

    # A part per line on a mapped account: 8 of the 11 rows.
    assert sent == [1] * 8
    assert snapshot() == MARCH_APRIL_COSTS
    assert LedgerRow.objects.filter(batch=batch).count() == batch.row_count == 8
    assert batch.totals == {
        "hyr_lakare": 195000.50,  # 125 000,50 + 70 000
        "hyr_ssk_bm": -5000.0,
        "egen_lon": 2050000.0,  # 1 000 000 + 1 050 000
        "egen_po": 314200.0,
    }
    assert batch.skipped == [
        {"konto": "8888", "rows": 1, "amount": 500.0},
        {"konto": "9999", "rows": 2, "amount": 100.0},  # 123,45 − 23,45
    ]
    assert batch.replaces == ImportBatch.Replaces.MONTHS
    assert [f"{m.period:%Y-%m}" for m in batch.months.all()] == ["2024-03", "2024-04"]
    assert all(m.is_current for m in batch.months.all())
    # The department sums computed while the rows were copied in are the ledger's.
    imported = department_snapshot()
    cost_services.monthly_costs_rebuild()
    assert department_snapshot() == imported
    assert len(imported) == 6


@postgresql_only
def test_a_file_of_only_some_units_in_parts(registers, monkeypatch, sent):
    run_import(MARCH_APRIL)
    sent.clear()
    monkeypatch.setattr(tabular, "PART_CHARS", 1)
    corrected = "Period;Ansvar;Konto;Belopp;Timmar\n2024-04;0101;4601;75 000;90\n"

    batch = run_import(corrected, replaces=ImportBatch.Replaces.UNITS)

    assert sent == [1]
    assert batch.replaces == ImportBatch.Replaces.UNITS
    expected = dict(MARCH_APRIL_COSTS)
    expected[("actuals", "2024-04", "0101", "hyr_lakare")] = (75000, 90)
    assert snapshot() == expected


@postgresql_only
def test_a_problem_in_a_late_part_is_reported_as_for_the_whole_file(registers, monkeypatch):
    bad = MARCH_APRIL.replace("2024-04;2001;5111;1 050 000;", "2024-04;2001;5111;1 050 000 kr;")
    with pytest.raises(ExtractError) as whole:
        cost_services.costs_check(data=bad.encode(), kind="actuals")
    monkeypatch.setattr(tabular, "PART_CHARS", 1)

    with pytest.raises(ExtractError) as parts:
        run_import(bad)

    # The file's row 11, its column Belopp.
    assert [(p.row, p.column) for p in parts.value.problems] == [(11, "Belopp")]
    assert [str(p) for p in parts.value.problems] == [str(p) for p in whole.value.problems]
    assert nothing_stored()


@postgresql_only
def test_an_error_of_postgresql_in_a_late_part_leaves_nothing(registers, monkeypatch):
    monkeypatch.setattr(tabular, "PART_CHARS", 1)
    original = cost_services.ledger_columns

    def too_large_in_april(batch_id, rows):
        columns = original(batch_id, rows)
        if rows["period"].iloc[0] == "2024-04":  # 10**15 kr: more than numeric(16, 2) holds
            columns[4] = ("amount", "cents", (np.full(len(rows), 10**17), None))
        return columns

    monkeypatch.setattr(cost_services, "ledger_columns", too_large_in_april)

    with pytest.raises(Exception, match="numeric field overflow"):
        run_import(MARCH_APRIL)

    assert nothing_stored()
    assert not DepartmentMonthlyCost.objects.exists()


@postgresql_only
def test_a_failure_while_the_rows_are_copied_in_leaves_nothing(registers, monkeypatch):
    monkeypatch.setattr(tabular, "PART_CHARS", 30)

    def fails(self, rows):
        raise RuntimeError("sums")

    monkeypatch.setattr(cost_services.DepartmentSums, "add", fails)

    with pytest.raises(RuntimeError, match="sums"):
        run_import(MARCH_APRIL)

    assert nothing_stored()

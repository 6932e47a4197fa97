"""What import_costs and import_sick_leave say of a file as the finance systems write it
(title rows above the header, a closing total row, Debet and Kredit instead of Belopp):
the lines the confirmation page shows too (tests/test_partial_imports.py), printed before
the coverage, and nothing of them for a plain file. The parsers are tested in
tests/test_finance_system_files.py.

The `registers` fixture (tests/conftest.py): units 0101 and 0102 (Primärvård
Skellefteå), 2001; accounts 4601 hyr_lakare, 5111 egen_lon.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kpis.models import ImportBatch, MonthlyCost, SickLeaveRow

NBSP = "\u00a0"
MINUS = "\u2212"

# A Unit4/Agresso-like ledger extract: two title rows, the header on row 3, four rows
# of Debet/Kredit (a credit in accounting parentheses, one with a trailing minus), and a
# closing total row (row 8) of the Debet and Kredit columns.
LEDGER_TOTAL = "Summa;;;18 000,00;-49,50\n"
LEDGER = (
    "Utdrag huvudbok HSF\n"
    "Period 2026-10, utskrivet 2026-11-05\n"
    "Period;Ansvar;Konto;Debet;Kredit\n"
    "2026-10;0101;4601;1 000,00;\n"
    "2026-10;0101;4601;;(200,00)\n"
    "2026-10;0102;5111;5 000,00;250,50\n"
    "2026-10;2001;5111;12 000,00;100,00-\n"
    f"{LEDGER_TOTAL}"
)
# The total row: Debet 1 000 + 5 000 + 12 000 = 18 000; Kredit -200 + 250,50 - 100 =
# -49,50. Belopp = Debet - Kredit, a blank as 0: 0101 hyr_lakare 1 000 + 200 = 1 200;
# 0102 egen_lon 5 000 - 250,50 = 4 749,50; 2001 egen_lon 12 000 + 100 = 12 100.
LEDGER_SUMS = {
    ("0101", "hyr_lakare"): Decimal("1200.00"),
    ("0102", "egen_lon"): Decimal("4749.50"),
    ("2001", "egen_lon"): Decimal("12100.00"),
}
LAYOUT_LINES = [
    "Rubrikraden är rad 3; raderna ovanför den har inte lästs.",
    "Summaraden på rad 8 stämmer med filens summa.",
    "Belopp är Debet − Kredit.",
]


def write(tmp_path, text, name="huvudbok.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def import_costs(path, *args):
    out = io.StringIO()
    call_command("import_costs", path, "--kind", "actuals", *args, stdout=out)
    return out.getvalue().splitlines()


def test_import_costs_says_how_the_file_was_read_before_anything_else(registers, tmp_path):
    lines = import_costs(write(tmp_path, LEDGER))

    batch = ImportBatch.objects.get()
    # egen_lon 4 749,50 + 12 100 = 16 849,50; hyr_lakare 1 200.
    assert lines == [
        *LAYOUT_LINES,
        "Månader utan sparade värden: 2026-10 (1 st).",
        f"Import {batch.id}: 4 rader, månader 2026-10–2026-10 (1 st).",
        f"  Egen personal: löner: 16{NBSP}849,50 kr",
        f"  Hyrpersonal läkare: 1{NBSP}200,00 kr",
        "Hela månaderna ersattes.",
        f"Ångra importen med: python manage.py undo_import {batch.id}",
    ]
    assert {
        (m.unit.ansvar, m.category): m.amount
        for m in MonthlyCost.objects.filter(kind="actuals").select_related("unit")
    } == LEDGER_SUMS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Only the title rows: the header on row 3, Belopp as it is, no total row.
        (
            "Utdrag huvudbok HSF\nPeriod 2026-10\nPeriod;Ansvar;Konto;Belopp\n"
            "2026-10;0101;4601;1 000,00\n",
            ["Rubrikraden är rad 3; raderna ovanför den har inte lästs."],
        ),
        # Only a total row: row 4 below the header and two rows.
        (
            "Period;Ansvar;Konto;Belopp\n2026-10;0101;4601;1 000,00\n"
            "2026-10;0101;4601;200,00-\nTotalt;;;800,00\n",
            ["Summaraden på rad 4 stämmer med filens summa."],
        ),
        # Only Debet and Kredit.
        (
            "Period;Ansvar;Konto;Debet;Kredit\n2026-10;0101;4601;1 000,00;200,00\n",
            ["Belopp är Debet − Kredit."],
        ),
        # A plain extract: nothing to say.
        ("Period;Ansvar;Konto;Belopp\n2026-10;0101;4601;800,00\n", []),
    ],
    ids=["title-rows", "total-row", "debet-kredit", "plain"],
)
def test_import_costs_says_each_pattern_alone_and_nothing_for_a_plain_file(
    registers, tmp_path, text, expected
):
    lines = import_costs(write(tmp_path, text))

    # What the command says before the coverage (every file is a new month).
    assert lines[: lines.index("Månader utan sparade värden: 2026-10 (1 st).")] == expected


def test_the_layout_lines_come_before_the_coverage_of_a_stored_month(registers, tmp_path):
    import_costs(write(tmp_path, LEDGER, name="forsta.csv"))
    # A correction of 0101 by Debet/Kredit below one title row: 1 300 - 0 = 1 300.
    correction = "Rättelse HSF\nPeriod;Ansvar;Konto;Debet;Kredit\n2026-10;0101;4601;1 300,00;\n"

    lines = import_costs(write(tmp_path, correction), "--only-units")

    batch = ImportBatch.objects.latest("id")
    assert lines[:3] == [
        "Rubrikraden är rad 2; raderna ovanför den har inte lästs.",
        "Belopp är Debet − Kredit.",
        "2026-10: 1 enheter i filen, 3 med värden nu; 2 av dem saknas i filen: 0102 "
        "Hälsocentral Ursviken, 2001 Kirurgavdelning 1; 1 konton med värden nu saknas i "
        "filen: 5111.",
    ]
    assert lines[-2:] == [
        "Bara filens enheter (1 st) ersattes; andra enheter behöll sina värden.",
        f"Ångra importen med: python manage.py undo_import {batch.id}",
    ]


def test_import_costs_refuses_a_total_row_that_does_not_add_up(registers, tmp_path):
    # Kredit's total -150,50 against the rows' -200 + 250,50 - 100 = -49,50.
    text = LEDGER.replace(LEDGER_TOTAL, "Summa;;;18 000,00;-150,50\n")

    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_costs",
            write(tmp_path, text),
            "--kind",
            "actuals",
            stdout=io.StringIO(),
            stderr=err,
        )

    assert str(refused.value) == "Filen importerades inte: 1 fel. Inget har sparats."
    assert err.getvalue().splitlines() == [
        f"Rad 8, kolumn Kredit: summaraden anger {MINUS}150,50 men raderna ovanför "
        f"summerar till {MINUS}49,50."
    ]
    assert not ImportBatch.objects.exists()


# --- sick leave ------------------------------------------------------------------------

SICK_HEADER = (
    "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
    "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-"
)
# Payroll's report: two title rows, the header on row 3, two rows, the total on row 6
# (12 + 8 employees; 1 850,5 + 1 200 hours; 40 + 20, 12,25 + 0, 0 + 30 sick hours).
SICK_LEAVE = (
    "Sjukfrånvaro per enhet\nLönesystemet, körning 2026-11-20\n"
    f"{SICK_HEADER}\n"
    "2026-10;0101;K;-29;12;1 850,5;40;12,25;0\n"
    "2026-10;0101;M;30-49;8;1 200;20;0;30\n"
    "Totalt;;;;20;3 050,50;60;12,25;30\n"
)


def import_sick_leave(path):
    out = io.StringIO()
    call_command("import_sick_leave", path, stdout=out)
    return out.getvalue().splitlines()


def test_import_sick_leave_says_where_the_header_and_the_total_row_were(registers, tmp_path):
    lines = import_sick_leave(write(tmp_path, SICK_LEAVE, name="sjuk.csv"))

    batch = ImportBatch.objects.get()
    # Sick hours 40 + 12,25 + 20 + 30 = 102,25 of 3 050,50: 3,352 %.
    assert lines == [
        "Rubrikraden är rad 3; raderna ovanför den har inte lästs.",
        "Summaraden på rad 6 stämmer med filens summor.",
        "Månader utan sparade värden: 2026-10 (1 st).",
        f"Import {batch.id}: 2 rader, månader 2026-10–2026-10 (1 st).",
        f"  Ordinarie arbetstid: 3{NBSP}050,50 timmar; sjuktimmar: 102,25 timmar (3,35{NBSP}%).",
        "Hela månaderna ersattes.",
        f"Ångra importen med: python manage.py undo_import {batch.id}",
    ]
    assert SickLeaveRow.objects.count() == 2


def test_import_sick_leave_says_nothing_of_the_layout_of_a_plain_file(registers, tmp_path):
    plain = "\n".join(SICK_LEAVE.splitlines()[2:5]) + "\n"

    lines = import_sick_leave(write(tmp_path, plain, name="sjuk.csv"))

    assert lines[0] == "Månader utan sparade värden: 2026-10 (1 st)."
    assert not [line for line in lines if line.startswith(("Rubrikraden", "Summaraden"))]

"""Sick-leave extracts: the parser (kpis.extracts.parse_sick_leave), the import service
with month replacement and undo (kpis.services), and the import_sick_leave command.

The organisation is the `registers` fixture (tests/conftest.py): units 0101 and 0102
(primärvård, Närsjukvårdsområde Skellefteå), 2001 and 2002 (sjukhusvård,
Länssjukvårdsområde 1), 3001 (tandvård, Tandvården).
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError
from kpis.costs.services import costs_check, costs_import
from kpis.models import (
    BatchMonth,
    ImportBatch,
    LedgerRow,
    MonthlyCost,
    ReplacedUnit,
    SickLeaveRow,
)
from kpis.registry import batch_undo
from kpis.sick_leave.extracts import parse_sick_leave
from kpis.sick_leave.services import sick_leave_check, sick_leave_import

NBSP = "\u00a0"
HEADER = (
    "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
    "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-"
)
MARCH_APRIL = f"""{HEADER}
2024-03;0101;K;-29;12;1 850,5;40;12,25;0
2024-03;0101;M;30-49;8;1 200;20;0;30
2024-03;2001;K;50-;25;3 900;100,5;50;160
2024-04;0101;K;-29;12;1 800;36;0;0
2024-04;2001;K;50-;24;3 800;90;40;150
"""
# What MARCH_APRIL stores: (month, ansvar, gender, age band) -> the five figures.
MARCH_APRIL_ROWS = {
    ("2024-03", "0101", "K", "-29"): (12, "1850.50", "40.00", "12.25", "0.00"),
    ("2024-03", "0101", "M", "30-49"): (8, "1200.00", "20.00", "0.00", "30.00"),
    ("2024-03", "2001", "K", "50-"): (25, "3900.00", "100.50", "50.00", "160.00"),
    ("2024-04", "0101", "K", "-29"): (12, "1800.00", "36.00", "0.00", "0.00"),
    ("2024-04", "2001", "K", "50-"): (24, "3800.00", "90.00", "40.00", "150.00"),
}
# April again, corrected by payroll: replaces April, leaves March alone.
APRIL_CORRECTED = f"""{HEADER}
2024-04;0101;K;-29;12;1 800;44;8;0
2024-04;0102;M;30-49;10;1 500;15;0;0
2024-04;2001;K;50-;24;3 800;90;40;150
"""
APRIL_CORRECTED_ROWS = {
    ("2024-04", "0101", "K", "-29"): (12, "1800.00", "44.00", "8.00", "0.00"),
    ("2024-04", "0102", "M", "30-49"): (10, "1500.00", "15.00", "0.00", "0.00"),
    ("2024-04", "2001", "K", "50-"): (24, "3800.00", "90.00", "40.00", "150.00"),
}


def in_use():
    """The rows of every month's current sick-leave batch, as MARCH_APRIL_ROWS, but the
    units a newer import of only some units replaced (ReplacedUnit). A row in use twice
    (a unit's rows of two imports both counted) fails here, not silently in a dict."""
    current = set(
        BatchMonth.objects.filter(
            is_current=True, batch__kind=ImportBatch.Kind.SICK_LEAVE
        ).values_list("batch_id", "period")
    )
    replaced = set(ReplacedUnit.objects.values_list("month__batch_id", "month__period", "unit_id"))
    rows = [
        (
            (f"{r.period:%Y-%m}", r.unit.ansvar, r.gender, r.age_band),
            (
                r.employees,
                str(r.ordinary_hours),
                str(r.sick_hours_1_14),
                str(r.sick_hours_15_59),
                str(r.sick_hours_60),
            ),
        )
        for r in SickLeaveRow.objects.select_related("unit")
        if (r.batch_id, r.period) in current and (r.batch_id, r.period, r.unit_id) not in replaced
    ]
    assert len({key for key, _figures in rows}) == len(rows), "a row in use twice"
    return dict(rows)


def march_of(rows):
    return {key: value for key, value in rows.items() if key[0] == "2024-03"}


def run_import(text, *, name="sjukfranvaro.csv", user=None):
    batch, _check = sick_leave_import(data=text.encode(), file_name=name, user=user)
    return batch


def problems(data) -> list[str]:
    with pytest.raises(ExtractError) as caught:
        parse_sick_leave(data.encode() if isinstance(data, str) else data, units={"0101", "2001"})
    return caught.value.lines()


# --- the parser: formats ----------------------------------------------------------------


def test_it_reads_swedish_numbers_and_the_extract_columns():
    frame = parse_sick_leave(MARCH_APRIL.encode())

    assert frame.index.tolist() == [2, 3, 4, 5, 6]  # the file's row numbers
    first = frame.loc[2]
    assert (first["period"], first["ansvar"], first["gender"], first["age_band"]) == (
        "2024-03",
        "0101",
        "K",
        "-29",
    )
    assert first["employees"] == 12
    assert first["ordinary_hours"] == 1850.5
    assert (first["sick_hours_1_14"], first["sick_hours_15_59"], first["sick_hours_60"]) == (
        40.0,
        12.25,
        0.0,
    )
    assert str(frame["employees"].dtype) == "int64"


@pytest.mark.parametrize(
    "encoding, newline",
    [("utf-8-sig", "\n"), ("cp1252", "\r\n"), ("utf-8", "\r\n")],
)
def test_it_reads_csv_as_swedish_excel_saves_it(encoding, newline):
    data = MARCH_APRIL.replace("\n", newline).encode(encoding)

    assert parse_sick_leave(data).equals(parse_sick_leave(MARCH_APRIL.encode()))


def test_it_accepts_lower_case_gender_dashes_and_spaces_in_age_bands_and_other_periods():
    text = f"""{HEADER}
202403;0101;k;30 – 49;3;100;1;0;0
2024-03-01;0101;m;−29;2;80,25;0;0;0
2024-03;0101;M;50 -;1;50;0;0;0
"""
    frame = parse_sick_leave(text.encode())

    assert frame["period"].tolist() == ["2024-03"] * 3
    assert frame["gender"].tolist() == ["K", "M", "M"]
    assert frame["age_band"].tolist() == ["30-49", "-29", "50-"]


def test_it_reads_an_excel_workbook_with_dates_and_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append([dt.datetime(2024, 3, 1), "0101", "K", -29, 12, 1850.5, 40, 12.25, 0])
    sheet.append([dt.datetime(2024, 3, 1), "2001", "K", "50-", 25, 3900, 100.5, 50, 160])
    out = io.BytesIO()
    workbook.save(out)

    frame = parse_sick_leave(out.getvalue())

    assert frame["period"].tolist() == ["2024-03", "2024-03"]
    assert frame["age_band"].tolist() == ["-29", "50-"]  # -29 as a number cell too
    assert frame["ordinary_hours"].tolist() == [1850.5, 3900.0]
    assert frame["sick_hours_15_59"].tolist() == [12.25, 50.0]


def test_other_columns_are_ignored_and_headers_match_in_any_case():
    text = (
        "PERIOD;ansvar;Enhet;KÖN;åldersgrupp;antal anställda;ordinarie arbetstid;"
        "sjuktimmar dag 1-14;SJUKTIMMAR DAG 15-59;Sjuktimmar dag 60-\n"
        "2024-03;0101;Hälsocentral Boliden;K;-29;12;1850;40;0;0\n"
    )
    assert parse_sick_leave(text.encode())["ansvar"].tolist() == ["0101"]


# --- the parser: refusals, with the exact messages ---------------------------------------


def test_it_refuses_every_bad_cell_with_its_row_and_column():
    text = f"""{HEADER}
2024-13;0101;X;30-50;1,5;100;-1;abc;0
2024-03;9999;K;-29;-3;100;60;30;20,5
2024-03;0101;K;-29;3;100;0;0;0
2024-03;0101;K;-29;3;100;0;0;0
2024-03;;K;;3;;0;0;0
2024-03;2001;M;50-;2000000;1e3;0;0;1 000 000 000 000
"""
    assert problems(text) == [
        "Rad 2, kolumn Period: ”2024-13” är ingen giltig månad (skriv ÅÅÅÅ-MM, ÅÅÅÅMM "
        "eller ÅÅÅÅ-MM-DD).",
        "Rad 2, kolumn Kön: ”X” är inget kön (tillåtna: K, M).",
        "Rad 2, kolumn Åldersgrupp: ”30-50” är ingen åldersgrupp (tillåtna: -29, 30-49, 50-).",
        "Rad 2, kolumn Antal anställda: ”1,5” är inget heltal.",
        "Rad 2, kolumn Sjuktimmar dag 1-14: ”-1” är negativt; antal och timmar kan inte vara "
        "mindre än 0.",
        "Rad 2, kolumn Sjuktimmar dag 15-59: ”abc” är inget tal.",
        "Rad 3, kolumn Ansvar: ”9999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 3, kolumn Antal anställda: ”-3” är negativt; antal och timmar kan inte vara "
        "mindre än 0.",
        # 60 + 30 + 20,5 = 110,5 sick hours of 100 ordinary ones
        "Rad 3, kolumn Ordinarie arbetstid: ”100” är färre timmar än sjuktimmarna (dag 1-14, "
        "15-59 och 60- sammanlagt 110,5).",
        "Rad 5, kolumn Ansvar: ”0101” förekommer flera gånger för samma period, kön och "
        "åldersgrupp (första gången på rad 4).",
        "Rad 6, kolumn Ansvar: värde saknas.",
        "Rad 6, kolumn Åldersgrupp: värde saknas.",
        "Rad 6, kolumn Ordinarie arbetstid: värde saknas.",
        "Rad 7, kolumn Antal anställda: ”2000000” är orimligt många anställda för en rad "
        "(högst 999 999).",
        "Rad 7, kolumn Ordinarie arbetstid: ”1e3” är inget tal.",
        "Rad 7, kolumn Sjuktimmar dag 60-: ”1 000 000 000 000” är orimligt stort "
        "(högst 999 999 999 999,99).",
    ]


def test_sick_hours_may_equal_the_ordinary_hours_but_not_exceed_them():
    exact = f"{HEADER}\n2024-03;0101;K;-29;1;160;100;40;20\n"
    over = f"{HEADER}\n2024-03;0101;K;-29;1;160;100;40;20,01\n"

    assert parse_sick_leave(exact.encode())["ordinary_hours"].tolist() == [160.0]
    assert problems(over) == [
        "Rad 2, kolumn Ordinarie arbetstid: ”160” är färre timmar än sjuktimmarna (dag 1-14, "
        "15-59 och 60- sammanlagt 160,01)."
    ]


def test_the_same_group_in_another_month_or_unit_is_no_duplicate():
    text = f"""{HEADER}
2024-03;0101;K;-29;1;160;0;0;0
2024-04;0101;K;-29;1;160;0;0;0
2024-03;2001;K;-29;1;160;0;0;0
2024-03;0101;M;-29;1;160;0;0;0
2024-03;0101;K;50-;1;160;0;0;0
"""
    assert len(parse_sick_leave(text.encode())) == 5


def test_it_names_missing_columns_and_lists_the_files_columns():
    text = "Period;Ansvar;Kön;Antal anställda\n2024-03;0101;K;3\n"

    assert problems(text) == [
        "Kolumnen ”Åldersgrupp” saknas.",
        "Kolumnen ”Ordinarie arbetstid” saknas.",
        "Kolumnen ”Sjuktimmar dag 1-14” saknas.",
        "Kolumnen ”Sjuktimmar dag 15-59” saknas.",
        "Kolumnen ”Sjuktimmar dag 60-” saknas.",
        "Filens kolumner är: ”Period”, ”Ansvar”, ”Kön”, ”Antal anställda”.",
    ]


@pytest.mark.parametrize("data", [b"", HEADER.encode(), (HEADER + "\n;;;;;;;;\n").encode()])
def test_an_empty_file_is_refused(data):
    assert problems(data) in (["Filen är tom."], ["Filen innehåller inga rader."])


# --- importing --------------------------------------------------------------------------


def test_it_stores_the_rows_as_a_batch_of_current_months(registers, hr_user):
    batch = run_import(MARCH_APRIL, user=hr_user)

    assert in_use() == MARCH_APRIL_ROWS
    assert batch.kind == "sick_leave"
    assert batch.get_kind_display() == "Sjukfrånvaro"
    assert batch.created_by == hr_user
    assert batch.row_count == 5
    assert batch.totals == {
        "ordinary_hours": 12550.5,  # 1 850,5 + 1 200 + 3 900 + 1 800 + 3 800
        "sick_hours_1_14": 286.5,  # 40 + 20 + 100,5 + 36 + 90
        "sick_hours_15_59": 102.25,  # 12,25 + 50 + 40
        "sick_hours_60": 340.0,  # 30 + 160 + 150
    }
    assert [(f"{m.period:%Y-%m}", m.is_current) for m in batch.months.all()] == [
        ("2024-03", True),
        ("2024-04", True),
    ]
    # Sick leave has no monthly cost sums.
    assert not MonthlyCost.objects.exists() and not LedgerRow.objects.exists()


def test_a_newer_extract_of_a_month_replaces_it_and_leaves_the_others(registers):
    first = run_import(MARCH_APRIL)
    second = run_import(APRIL_CORRECTED, name="april.csv")

    assert in_use() == march_of(MARCH_APRIL_ROWS) | APRIL_CORRECTED_ROWS
    assert [(f"{m.period:%Y-%m}", m.is_current) for m in first.months.all()] == [
        ("2024-03", True),
        ("2024-04", False),
    ]
    assert [m.is_current for m in second.months.all()] == [True]
    # Both batches keep their rows: the history can be undone.
    assert SickLeaveRow.objects.filter(batch=first).count() == 5


def test_undo_gives_the_months_back_their_previous_rows(registers, hr_user):
    run_import(MARCH_APRIL)
    second = run_import(APRIL_CORRECTED)

    undone = batch_undo(batch_id=second.id, user=hr_user)

    assert undone.undone_by == hr_user and undone.undone_at is not None
    assert in_use() == MARCH_APRIL_ROWS


def test_undoing_the_only_import_leaves_no_sick_leave(registers):
    batch = run_import(MARCH_APRIL)

    batch_undo(batch_id=batch.id)

    assert in_use() == {}
    with pytest.raises(ServiceError, match="Importen är redan ångrad."):
        batch_undo(batch_id=batch.id)


def test_an_identical_file_changes_nothing_until_its_months_are_replaced(registers):
    first = run_import(MARCH_APRIL)

    again, check = sick_leave_import(data=MARCH_APRIL.encode(), file_name="igen.csv")

    assert again is None and check.identical_to == first
    assert ImportBatch.objects.count() == 1
    # Once April is replaced the same file is no longer in use as a whole: it imports.
    run_import(APRIL_CORRECTED)
    assert run_import(MARCH_APRIL) is not None
    assert in_use() == MARCH_APRIL_ROWS


def test_a_refused_file_stores_nothing(registers):
    text = f"{HEADER}\n2024-03;0101;K;-29;12;1850;40;0;0\n2024-03;7777;K;-29;3;100;0;0;0\n"

    with pytest.raises(ExtractError) as caught:
        run_import(text)

    assert caught.value.lines() == [
        "Rad 3, kolumn Ansvar: ”7777” är ett okänt ansvar (finns inte i organisationsregistret)."
    ]
    assert not ImportBatch.objects.exists() and not SickLeaveRow.objects.exists()


def test_the_check_summarises_each_month_against_what_is_stored(registers):
    run_import(MARCH_APRIL)

    check = sick_leave_check(data=APRIL_CORRECTED.encode())

    assert check.months == ["2024-04"]
    assert check.summary().to_dict("records") == [
        # 12 + 10 + 24 employees now, 12 + 24 stored
        {
            "period": "2024-04",
            "category": "employees",
            "new": 46.0,
            "stored": 36.0,
            "difference": 10.0,
            "only_units": None,
        },
        # 1 800 + 1 500 + 3 800 vs 1 800 + 3 800
        {
            "period": "2024-04",
            "category": "ordinary_hours",
            "new": 7100.0,
            "stored": 5600.0,
            "difference": 1500.0,
            "only_units": None,
        },
        # 44 + 8 + 15 + 90 + 40 + 150 = 347 vs 36 + 90 + 40 + 150 = 316
        {
            "period": "2024-04",
            "category": "sick_hours",
            "new": 347.0,
            "stored": 316.0,
            "difference": 31.0,
            "only_units": None,
        },
    ]  # only_units: the file is complete, there is no choice to show


def test_sick_leave_and_costs_keep_their_own_months(registers):
    costs = "Period;Ansvar;Konto;Belopp\n2024-04;0101;4601;1000\n"
    cost_batch, _check = costs_import(data=costs.encode(), file_name="u.csv", kind="actuals")
    run_import(MARCH_APRIL)

    assert BatchMonth.objects.get(batch=cost_batch).is_current
    assert MonthlyCost.objects.get().amount == Decimal("1000.00")
    batch_undo(batch_id=cost_batch.id)
    assert in_use() == MARCH_APRIL_ROWS


def test_the_cost_import_refuses_the_sick_leave_kind(registers):
    with pytest.raises(ServiceError, match="Okänd typ av underlag: sick_leave."):
        costs_check(data=MARCH_APRIL.encode(), kind="sick_leave")


# --- the command --------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_sick_leave", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_reports(registers, hr_user, tmp_path):
    path = tmp_path / "sjuk_2024.csv"
    path.write_bytes(MARCH_APRIL.encode("cp1252"))

    out, _err = command(str(path), "--user", "hrp")

    batch = ImportBatch.objects.get()
    assert batch.created_by == hr_user and batch.file_name == "sjuk_2024.csv"
    assert out.splitlines() == [
        "Månader utan sparade värden: 2024-03–2024-04 (2 st).",
        f"Import {batch.id}: 5 rader, månader 2024-03–2024-04 (2 st).",
        # 286,5 + 102,25 + 340 = 728,75 of 12 550,5 hours: 5,81 %
        f"  Ordinarie arbetstid: 12{NBSP}550,50 timmar; sjuktimmar: 728,75 timmar (5,81{NBSP}%).",
        "Hela månaderna ersattes.",
        f"Ångra importen med: python manage.py undo_import {batch.id}",
    ]
    assert in_use() == MARCH_APRIL_ROWS


def test_the_command_says_when_the_file_is_already_in_use(registers, tmp_path):
    path = tmp_path / "sjuk.csv"
    path.write_text(MARCH_APRIL, encoding="utf-8")
    command(str(path))

    out, _err = command(str(path))

    assert out.startswith("Filen är identisk med import ")
    assert out.rstrip().endswith("inget har ändrats.")
    assert ImportBatch.objects.count() == 1


def test_the_command_lists_every_problem_and_stores_nothing(registers, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text(f"{HEADER}\n2024-03;0101;Q;-29;1;10;0;0;0\n2024-03;0101;K;-29;1;10;5;5;5\n")
    err = io.StringIO()

    with pytest.raises(CommandError, match="Filen importerades inte: 2 fel. Inget har sparats."):
        call_command("import_sick_leave", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "Rad 2, kolumn Kön: ”Q” är inget kön (tillåtna: K, M).",
        "Rad 3, kolumn Ordinarie arbetstid: ”10” är färre timmar än sjuktimmarna (dag 1-14, "
        "15-59 och 60- sammanlagt 15).",
    ]
    assert not ImportBatch.objects.exists()


def test_the_command_refuses_a_missing_file_and_an_unknown_user(registers, tmp_path):
    with pytest.raises(CommandError, match="kan inte läsas"):
        command(str(tmp_path / "finns-inte.csv"))
    path = tmp_path / "sjuk.csv"
    path.write_text(MARCH_APRIL)
    with pytest.raises(CommandError, match="Användaren ingen finns inte."):
        command(str(path), "--user", "ingen")

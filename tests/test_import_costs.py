"""Importing cost extracts: services and the import_costs command.

Organisation and account mapping come from the `registers` fixture (tests/conftest.py
and fixtures/konton.csv): 4601, 4602 hyr_lakare; 4611 hyr_ssk_bm; 5111 egen_lon;
5411 egen_po; 5711 ignorera. Expected sums are worked out by hand next to each file.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError
from kpis.accounts.services import accounts_import
from kpis.costs import services as cost_services
from kpis.costs.services import costs_check, costs_import
from kpis.models import BatchMonth, DepartmentMonthlyCost, ImportBatch, LedgerRow, MonthlyCost
from kpis.registry import batch_undo

NBSP = "\u00a0"

# March and April 2024, actuals. 9999 and 8888 are not in the mapping.
MARCH_APRIL = """Period;Ansvar;Konto;Belopp;Timmar
2024-03;0101;4601;100 000,00;120
2024-03;0101;4602;25 000,50;30,5
2024-03;0101;4611;-5 000;
2024-03;2001;5111;1 000 000;
2024-03;2001;5411;314 200;
2024-03;0101;9999;123,45;
2024-03;7777;8888;500;
2024-04;0101;4601;80 000;100
2024-04;0101;4601;-10 000;
2024-04;2001;5111;1 050 000;
2024-04;2002;9999;-23,45;
"""
# What MARCH_APRIL stores: (kind, month, ansvar, category) -> (amount, hours).
MARCH_APRIL_COSTS = {
    # 100 000,00 + 25 000,50; hours 120 + 30,5
    ("actuals", "2024-03", "0101", "hyr_lakare"): (Decimal("125000.50"), Decimal("150.50")),
    ("actuals", "2024-03", "0101", "hyr_ssk_bm"): (Decimal("-5000.00"), None),
    ("actuals", "2024-03", "2001", "egen_lon"): (Decimal("1000000.00"), None),
    ("actuals", "2024-03", "2001", "egen_po"): (Decimal("314200.00"), None),
    # 80 000 - 10 000; hours only on the first row
    ("actuals", "2024-04", "0101", "hyr_lakare"): (Decimal("70000.00"), Decimal("100.00")),
    ("actuals", "2024-04", "2001", "egen_lon"): (Decimal("1050000.00"), None),
}
# April again, corrected: replaces April, leaves March alone.
APRIL_CORRECTED = """Period;Ansvar;Konto;Belopp;Timmar
2024-04;0101;4601;75 000;90
2024-04;0102;4611;12 500,25;20
2024-04;2001;5111;1 060 000;
"""
APRIL_CORRECTED_COSTS = {
    ("actuals", "2024-04", "0101", "hyr_lakare"): (Decimal("75000.00"), Decimal("90.00")),
    ("actuals", "2024-04", "0102", "hyr_ssk_bm"): (Decimal("12500.25"), Decimal("20.00")),
    ("actuals", "2024-04", "2001", "egen_lon"): (Decimal("1060000.00"), None),
}


def march_of(costs):
    return {key: value for key, value in costs.items() if key[1] == "2024-03"}


def snapshot():
    """Every MonthlyCost row as {(kind, month, ansvar, category): (amount, hours)}."""
    return {
        (m.kind, f"{m.period:%Y-%m}", m.unit.ansvar, m.category): (m.amount, m.hours)
        for m in MonthlyCost.objects.select_related("unit")
    }


def nothing_stored():
    return (
        ImportBatch.objects.count(),
        BatchMonth.objects.count(),
        LedgerRow.objects.count(),
        MonthlyCost.objects.count(),
    ) == (0, 0, 0, 0)


def run_import(text, *, kind="actuals", name="utfall.csv", user=None, replaces=None):
    batch, _check = costs_import(
        data=text.encode(), file_name=name, kind=kind, user=user, replaces=replaces
    )
    return batch


def write(tmp_path, text, name="utfall.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def command(*args):
    """Run import_costs; returns (stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_costs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- importing ------------------------------------------------------------------------


def test_it_stores_monthly_sums_per_unit_and_category(registers, controller_user):
    batch = run_import(MARCH_APRIL, user=controller_user)

    assert snapshot() == MARCH_APRIL_COSTS
    assert batch.kind == "actuals"
    assert batch.file_name == "utfall.csv"
    assert batch.created_by == controller_user
    assert batch.row_count == 8  # 11 rows, 3 on accounts outside the mapping
    assert batch.totals == {
        "hyr_lakare": 195000.50,  # 125 000,50 + 70 000
        "hyr_ssk_bm": -5000.0,
        "egen_lon": 2050000.0,  # 1 000 000 + 1 050 000
        "egen_po": 314200.0,
    }
    assert [f"{m.period:%Y-%m}" for m in batch.months.all()] == ["2024-03", "2024-04"]
    assert all(m.is_current for m in batch.months.all())


def department_snapshot():
    """Every DepartmentMonthlyCost row as {(kind, month, department, care type, category):
    (amount, hours)}."""
    return {
        (d.kind, f"{d.period:%Y-%m}", d.department.name, d.care_type, d.category): (
            d.amount,
            d.hours,
        )
        for d in DepartmentMonthlyCost.objects.select_related("department")
    }


def test_the_sums_written_by_an_import_are_those_the_ledger_rebuild_gives(registers):
    # The import computes the new months' sums from the file in memory; rebuilding
    # everything from the ledger in SQL (what undo and recategorising do) must agree.
    run_import(MARCH_APRIL)
    run_import(APRIL_CORRECTED)
    # May and June have nothing stored and lack a unit April has: imported whole when
    # told (hyrdash.lib.coverage compares a new month with the previous month with data).
    run_import(
        MARCH_APRIL.replace("2024-03", "2024-05").replace("2024-04", "2024-06"),
        replaces="months",
    )
    run_import(APRIL_CORRECTED, kind="budget")
    units, departments = snapshot(), department_snapshot()
    assert units == {
        **march_of(MARCH_APRIL_COSTS),
        **APRIL_CORRECTED_COSTS,
        **{
            (kind, month.replace("2024-03", "2024-05").replace("2024-04", "2024-06"), *rest): v
            for (kind, month, *rest), v in MARCH_APRIL_COSTS.items()
        },
        **{("budget", *key[1:]): v for key, v in APRIL_CORRECTED_COSTS.items()},
    }
    assert len(departments) > 0

    cost_services.monthly_costs_rebuild()

    assert snapshot() == units
    assert department_snapshot() == departments


def test_department_month_sums_adds_up_rows_per_department_care_type_and_category():
    import numpy as np
    import pandas as pd

    # Units 1 and 2: department 10, primary care; unit 3: department 10, hospital care;
    # unit 4: department 20, primary care.
    units = pd.DataFrame(
        {
            "department_id": [10, 10, 10, 20],
            "care_type": ["primärvård", "primärvård", "sjukhusvård", "primärvård"],
        },
        index=pd.Index([1, 2, 3, 4], name="id"),
    )
    rows = pd.DataFrame(
        {
            "period": ["2024-03", "2024-03", "2024-03", "2024-03", "2024-04", "2024-03"],
            "unit_id": [1, 2, 3, 4, 1, 1],
            "category": ["hyr_lakare"] * 5 + ["egen_lon"],
            "amount": [100.10, 0.20, 5.00, 7.00, -1.01, 1000.00],
            "hours": [1.5, np.nan, np.nan, 2.25, np.nan, np.nan],
        }
    )
    sums = cost_services.department_month_sums(rows, units)
    got = {
        (r.period, r.department_id, r.care_type, r.category): (
            r.amount_cents,
            None if r.no_hours else r.hours_cents,
        )
        for r in sums.itertuples()
    }
    assert got == {
        # units 1 and 2: 100,10 + 0,20 = 100,30 kr; hours 1,5 (unit 2 has none)
        ("2024-03", 10, "primärvård", "hyr_lakare"): (10030, 150),
        ("2024-03", 10, "sjukhusvård", "hyr_lakare"): (500, None),
        ("2024-03", 20, "primärvård", "hyr_lakare"): (700, 225),
        ("2024-04", 10, "primärvård", "hyr_lakare"): (-101, None),
        ("2024-03", 10, "primärvård", "egen_lon"): (100000, None),
    }


def test_department_month_sums_refuses_a_unit_no_longer_registered():
    import pandas as pd

    units = pd.DataFrame(
        {"department_id": [10], "care_type": ["övrigt"]}, index=pd.Index([1], name="id")
    )
    rows = pd.DataFrame(
        {
            "period": ["2024-03"],
            "unit_id": [2],
            "category": ["egen_lon"],
            "amount": [1.0],
            "hours": [float("nan")],
        }
    )
    with pytest.raises(ServiceError, match="finns inte längre i organisationsregistret"):
        cost_services.department_month_sums(rows, units)


def test_it_keeps_every_row_for_drilling_down(registers):
    batch = run_import(MARCH_APRIL)

    rows = sorted(
        (f"{r.period:%Y-%m}", r.unit.ansvar, r.account.konto, r.amount, r.hours)
        for r in LedgerRow.objects.filter(batch=batch).select_related("unit", "account")
    )
    assert rows == [
        ("2024-03", "0101", "4601", Decimal("100000.00"), Decimal("120.00")),
        ("2024-03", "0101", "4602", Decimal("25000.50"), Decimal("30.50")),
        ("2024-03", "0101", "4611", Decimal("-5000.00"), None),
        ("2024-03", "2001", "5111", Decimal("1000000.00"), None),
        ("2024-03", "2001", "5411", Decimal("314200.00"), None),
        ("2024-04", "0101", "4601", Decimal("-10000.00"), None),
        ("2024-04", "0101", "4601", Decimal("80000.00"), Decimal("100.00")),
        ("2024-04", "2001", "5111", Decimal("1050000.00"), None),
    ]


def test_it_reports_rows_on_unmapped_accounts_with_count_and_sum(registers):
    check = costs_check(data=MARCH_APRIL.encode(), kind="actuals")

    assert check.skipped == [
        {"konto": "8888", "rows": 1, "amount": 500.0},
        {"konto": "9999", "rows": 2, "amount": 100.0},  # 123,45 - 23,45
    ]
    batch = run_import(MARCH_APRIL)
    assert batch.skipped == check.skipped


def test_it_does_not_require_known_units_on_unmapped_accounts(registers):
    # 7777 is no unit, but its row is on 8888, outside the mapping: skipped, not refused.
    batch = run_import("Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;10\n2024-03;7777;8888;5\n")

    assert batch.row_count == 1
    assert batch.skipped == [{"konto": "8888", "rows": 1, "amount": 5.0}]


def test_it_shows_per_month_and_category_what_changes(registers):
    run_import(MARCH_APRIL)

    summary = costs_check(data=APRIL_CORRECTED.encode(), kind="actuals").summary()

    assert summary.to_dict("records") == [
        # 75 000 new against 70 000 stored
        {"period": "2024-04", "category": "hyr_lakare", "new": 75000.0, "stored": 70000.0,
         "difference": 5000.0, "only_units": None},
        {"period": "2024-04", "category": "hyr_ssk_bm", "new": 12500.25, "stored": 0.0,
         "difference": 12500.25, "only_units": None},
        {"period": "2024-04", "category": "egen_lon", "new": 1060000.0, "stored": 1050000.0,
         "difference": 10000.0, "only_units": None},
    ]  # fmt: skip
    # The file is complete (every unit of April, no category halved): no "only units" column.


def test_it_lists_categories_that_disappear_from_a_month(registers):
    run_import(MARCH_APRIL)
    only_doctors = "Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1 000\n"

    summary = costs_check(data=only_doctors.encode(), kind="actuals").summary()

    assert summary.to_dict("records") == [
        # A partial file (only 0101): "only units" replaces 0101's March, 125 000,50 of
        # läkare and -5 000 of ssk, by its 1 000 of läkare; 2001's own staff stays.
        {"period": "2024-03", "category": "hyr_lakare", "new": 1000.0, "stored": 125000.5,
         "difference": -124000.5, "only_units": 1000.0},
        {"period": "2024-03", "category": "hyr_ssk_bm", "new": 0.0, "stored": -5000.0,
         "difference": 5000.0, "only_units": 0.0},
        {"period": "2024-03", "category": "egen_lon", "new": 0.0, "stored": 1000000.0,
         "difference": -1000000.0, "only_units": 1000000.0},
        {"period": "2024-03", "category": "egen_po", "new": 0.0, "stored": 314200.0,
         "difference": -314200.0, "only_units": 314200.0},
    ]  # fmt: skip


def test_it_imports_windows_1252_files(registers):
    text = "Period;Ansvar;Konto;Belopp;Text\n2024-03;0101;4601;1 000,50;Läkare Skellefteå\n"

    costs_import(data=text.encode("cp1252"), file_name="x.csv", kind="actuals")

    assert snapshot() == {
        ("actuals", "2024-03", "0101", "hyr_lakare"): (Decimal("1000.50"), None),
    }


# --- refusals -------------------------------------------------------------------------


def test_it_rejects_unknown_cost_centres(registers):
    text = (
        "Period;Ansvar;Konto;Belopp\n"
        "2024-03;0101;4601;10\n"
        "2024-03;0999;4601;20\n"
        "2024-03;101;5111;30\n"  # leading zero lost: not 0101
    )

    with pytest.raises(ExtractError) as info:
        run_import(text)

    assert info.value.lines() == [
        "Rad 3, kolumn Ansvar: ”0999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 4, kolumn Ansvar: ”101” är ett okänt ansvar (finns inte i organisationsregistret).",
    ]
    assert nothing_stored()


def test_it_refuses_a_file_with_bad_cells_and_writes_nothing(registers):
    text = "Period;Ansvar;Konto;Belopp\n2024-13;0101;4601;12,3x\n2024-03;0101;4601;1\n"

    with pytest.raises(ExtractError) as info:
        run_import(text)

    assert info.value.lines() == [
        "Rad 2, kolumn Period: ”2024-13” är ingen giltig månad "
        "(skriv ÅÅÅÅ-MM, ÅÅÅÅMM eller ÅÅÅÅ-MM-DD).",
        "Rad 2, kolumn Belopp: ”12,3x” är inget tal.",
    ]
    assert nothing_stored()


def test_it_lists_unknown_cost_centres_together_with_bad_cells(registers):
    text = "Period;Ansvar;Konto;Belopp\n2024-03;0999;4601;10\n2024-03;0101;5111;12,3x\n"

    with pytest.raises(ExtractError) as info:
        run_import(text)

    assert info.value.lines() == [
        "Rad 2, kolumn Ansvar: ”0999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 3, kolumn Belopp: ”12,3x” är inget tal.",
    ]
    assert nothing_stored()


def test_it_refuses_an_amount_too_large_to_store(registers):
    # An ansvar pasted into the amount column: refused by the check, not by the database.
    text = "Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;123456789012345678\n"

    with pytest.raises(ExtractError) as info:
        run_import(text)

    assert info.value.lines() == [
        "Rad 2, kolumn Belopp: ”123456789012345678” är orimligt stort (högst 999 999 999 999,99)."
    ]
    assert nothing_stored()


def test_it_refuses_monthly_sums_too_large_to_store(registers):
    # Each amount fits, but March's sums would not (14 digits before the comma).
    row = "2024-03;0101;4601;999 999 999 999,99;\n"
    text = "Period;Ansvar;Konto;Belopp;Timmar\n" + row * 101 + "2024-04;0101;4601;1;\n"

    with pytest.raises(ExtractError) as info:
        run_import(text)

    assert info.value.lines() == [
        "Kolumn Belopp: summan för 2024-03 är orimligt stor för att lagras."
    ]
    assert nothing_stored()


def test_it_refuses_a_file_with_only_unmapped_accounts(registers):
    with pytest.raises(ExtractError) as info:
        run_import("Period;Ansvar;Konto;Belopp\n2024-03;0101;9999;10\n")

    assert info.value.lines() == [
        "Kolumn Konto: ingen rad har ett konto som finns i kontomappningen; inget att importera."
    ]
    assert nothing_stored()


def test_it_refuses_an_unknown_kind(registers):
    with pytest.raises(ServiceError, match=r"^Okänd typ av underlag: prognos\.$"):
        costs_check(data=MARCH_APRIL.encode(), kind="prognos")


# --- the command ----------------------------------------------------------------------


def test_the_command_imports_and_prints_what_it_did(registers, tmp_path):
    out, err = command(write(tmp_path, MARCH_APRIL), "--kind", "actuals")

    batch = ImportBatch.objects.get()
    assert snapshot() == MARCH_APRIL_COSTS
    assert err == ""
    lines = out.splitlines()
    assert f"Import {batch.id}: 8 rader, månader 2024-03–2024-04 (2 st)." in lines
    assert f"  Hyrpersonal läkare: 195{NBSP}000,50 kr" in lines
    assert f"  Hyrpersonal sjuksköterskor/barnmorskor: \u22125{NBSP}000,00 kr" in lines
    assert f"  Egen personal: löner: 2{NBSP}050{NBSP}000,00 kr" in lines
    assert f"  Egen personal: personalomkostnader: 314{NBSP}200,00 kr" in lines


def test_the_command_prints_skipped_accounts(registers, tmp_path):
    out, _err = command(write(tmp_path, MARCH_APRIL), "--kind", "actuals")

    assert out.splitlines()[:3] == [
        "Månader utan sparade värden: 2024-03–2024-04 (2 st).",
        "Överhoppat konto 8888 (finns inte i kontomappningen): 1 rader, summa 500,00 kr.",
        "Överhoppat konto 9999 (finns inte i kontomappningen): 2 rader, summa 100,00 kr.",
    ]


def test_the_command_records_the_user(registers, controller_user, tmp_path):
    command(write(tmp_path, MARCH_APRIL), "--kind", "budget", "--user", "ctrl")

    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.created_by) == ("budget", controller_user)


def test_the_command_refuses_an_unknown_user(registers, tmp_path):
    with pytest.raises(CommandError, match=r"^Användaren nobody finns inte\.$"):
        command(write(tmp_path, MARCH_APRIL), "--kind", "actuals", "--user", "nobody")

    assert nothing_stored()


def test_the_command_exits_non_zero_and_prints_every_problem(registers, tmp_path):
    text = "Period;Ansvar;Konto;Belopp\n2024-03;0999;4601;10\n2024-03;0998;4611;20\n"
    path = write(tmp_path, text)
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_costs", path, "--kind", "actuals", stdout=StringIO(), stderr=err)

    assert str(info.value) == "Filen importerades inte: 2 fel. Inget har sparats."
    assert err.getvalue().splitlines() == [
        "Rad 2, kolumn Ansvar: ”0999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 3, kolumn Ansvar: ”0998” är ett okänt ansvar (finns inte i organisationsregistret).",
    ]
    assert nothing_stored()


def test_the_command_prints_parse_problems(registers, tmp_path):
    path = write(tmp_path, "Period;Ansvar;Konto\n2024-03;0101;4601\n")
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match=r"^Filen importerades inte: 2 fel\. Inget"):
        call_command("import_costs", path, "--kind", "actuals", stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).",
        "Filens kolumner är: ”Period”, ”Ansvar”, ”Konto”.",
    ]


def test_the_command_refuses_a_missing_file(registers, tmp_path):
    path = tmp_path / "finns-inte.csv"

    with pytest.raises(CommandError, match=r"^Filen .*finns-inte\.csv kan inte läsas: "):
        command(str(path), "--kind", "actuals")


def test_the_command_requires_a_known_kind(registers, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'prognos'"):
        command(write(tmp_path, MARCH_APRIL), "--kind", "prognos")


def test_the_command_says_when_a_file_was_imported_before(registers, tmp_path):
    path = write(tmp_path, MARCH_APRIL)
    command(path, "--kind", "actuals")
    batch = ImportBatch.objects.get()

    out, _err = command(path, "--kind", "actuals")

    from django.utils import timezone

    when = timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M")
    assert out.splitlines()[-1] == (
        f"Filen är identisk med import {batch.id} (utfall.csv, {when}); inget har ändrats."
    )
    assert ImportBatch.objects.count() == 1


# --- replacement, identical files, undo -----------------------------------------------


def test_a_newer_extract_replaces_its_months_and_leaves_the_others(registers):
    first = run_import(MARCH_APRIL)

    second = run_import(APRIL_CORRECTED, name="april.csv")

    assert snapshot() == {**march_of(MARCH_APRIL_COSTS), **APRIL_CORRECTED_COSTS}
    current = {(m.batch_id, f"{m.period:%Y-%m}"): m.is_current for m in BatchMonth.objects.all()}
    assert current == {
        (first.id, "2024-03"): True,
        (first.id, "2024-04"): False,
        (second.id, "2024-04"): True,
    }
    # Both extracts stay in the ledger.
    assert LedgerRow.objects.filter(batch=first).count() == 8
    assert LedgerRow.objects.filter(batch=second).count() == 3


def test_it_recognises_an_identical_file_and_changes_nothing(registers):
    first = run_import(MARCH_APRIL)
    before = snapshot()

    batch, check = costs_import(
        data=MARCH_APRIL.encode(), file_name="igen.csv", kind="actuals", user=None
    )

    assert batch is None
    assert check.identical_to == first
    assert ImportBatch.objects.count() == 1
    assert LedgerRow.objects.count() == 8
    assert snapshot() == before


def test_it_imports_a_file_again_once_its_months_were_replaced(registers):
    first = run_import(MARCH_APRIL)
    run_import(APRIL_CORRECTED)

    # April holds fewer units than the correction did: a choice is needed.
    third = run_import(MARCH_APRIL, name="igen.csv", replaces="months")

    assert third is not None and third.id != first.id
    assert snapshot() == MARCH_APRIL_COSTS


def test_it_imports_a_file_again_after_its_import_was_undone(registers):
    first = run_import(MARCH_APRIL)
    batch_undo(batch_id=first.id)

    again = run_import(MARCH_APRIL)

    assert again is not None
    assert snapshot() == MARCH_APRIL_COSTS


def test_undo_restores_exactly_the_previous_state(registers, controller_user):
    run_import(MARCH_APRIL)
    before = snapshot()
    second = run_import(APRIL_CORRECTED)
    assert snapshot() != before

    undone = batch_undo(batch_id=second.id, user=controller_user)

    assert snapshot() == before == MARCH_APRIL_COSTS
    assert undone.undone_by == controller_user
    assert undone.undone_at is not None
    assert undone.is_undone


def test_undo_of_the_only_import_of_a_month_leaves_no_data(registers):
    batch = run_import(MARCH_APRIL)

    batch_undo(batch_id=batch.id)

    assert snapshot() == {}
    assert LedgerRow.objects.count() == 8  # kept, for the history
    assert not BatchMonth.objects.filter(is_current=True).exists()


def test_undo_of_an_older_batch_leaves_the_newer_data_of_replaced_months(registers):
    first = run_import(MARCH_APRIL)
    run_import(APRIL_CORRECTED)

    batch_undo(batch_id=first.id)

    # March had only the first batch: gone. April keeps the correction.
    assert snapshot() == APRIL_CORRECTED_COSTS


def test_undo_of_the_newer_then_the_older_batch_leaves_nothing(registers):
    first = run_import(MARCH_APRIL)
    second = run_import(APRIL_CORRECTED)

    batch_undo(batch_id=second.id)
    batch_undo(batch_id=first.id)

    assert snapshot() == {}


def test_undo_twice_is_refused(registers):
    batch = run_import(MARCH_APRIL)
    batch_undo(batch_id=batch.id)

    with pytest.raises(ServiceError) as info:
        batch_undo(batch_id=batch.id)

    assert str(info.value) == "Importen är redan ångrad."


def test_undo_of_an_unknown_batch_is_refused(registers):
    with pytest.raises(ServiceError) as info:
        batch_undo(batch_id=12345)

    assert str(info.value) == "Importen finns inte."


# --- kinds and mapping ----------------------------------------------------------------


def test_budget_and_actuals_are_kept_apart(registers):
    run_import(MARCH_APRIL)
    budget = (
        "Period;Ansvar;Konto;Belopp\n"
        "2024-03;0101;4601;90 000\n"
        "2024-03;0101;4602;10 000\n"
        "2024-03;2001;5111;1 100 000\n"
    )

    run_import(budget, kind="budget", name="budget.csv")

    assert snapshot() == {
        **MARCH_APRIL_COSTS,
        # 90 000 + 10 000
        ("budget", "2024-03", "0101", "hyr_lakare"): (Decimal("100000.00"), None),
        ("budget", "2024-03", "2001", "egen_lon"): (Decimal("1100000.00"), None),
    }


def test_the_same_file_as_budget_is_not_identical_to_actuals(registers):
    run_import(MARCH_APRIL)

    batch = run_import(MARCH_APRIL, kind="budget")

    assert batch is not None
    budget = {key[1:]: value for key, value in snapshot().items() if key[0] == "budget"}
    assert budget == {key[1:]: value for key, value in MARCH_APRIL_COSTS.items()}


def test_undo_of_a_budget_leaves_actuals_alone(registers):
    run_import(MARCH_APRIL)
    budget = run_import(MARCH_APRIL, kind="budget")

    batch_undo(batch_id=budget.id)

    assert snapshot() == MARCH_APRIL_COSTS


def test_recategorising_an_account_rebuilds_the_monthly_sums(registers):
    run_import(MARCH_APRIL)
    run_import(MARCH_APRIL, kind="budget")
    mapping = "Konto;Benämning;Kategori\n4602;Inhyrd personal, psykologer distans;HYR_OVRIGA\n"

    result = accounts_import(data=mapping.encode())

    assert result.recategorised == ["4602"]
    assert result.lines() == [
        "Konton: 0 nya, 1 ändrade, 0 oförändrade.",
        "Ny kategori för 4602; månadssummorna är omräknade.",
    ]
    expected = dict(MARCH_APRIL_COSTS)
    # 4601 alone stays with the doctors, 4602 (25 000,50; 30,5 hours) moves to others.
    expected[("actuals", "2024-03", "0101", "hyr_lakare")] = (
        Decimal("100000.00"),
        Decimal("120.00"),
    )
    expected[("actuals", "2024-03", "0101", "hyr_ovriga")] = (
        Decimal("25000.50"),
        Decimal("30.50"),
    )
    for (_kind, month, ansvar, category), value in list(expected.items()):
        expected[("budget", month, ansvar, category)] = value
    assert snapshot() == expected


def test_renaming_an_account_does_not_touch_the_sums(registers):
    run_import(MARCH_APRIL)

    result = accounts_import(data="Konto;Benämning;Kategori\n4601;Hyrläkare;hyr_lakare\n".encode())

    assert result.recategorised == []
    assert snapshot() == MARCH_APRIL_COSTS


# --- atomicity ------------------------------------------------------------------------


class Injected(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_ledger_insert_leaves_nothing(registers, monkeypatch):
    def failing_refresh(*, batch, periods):
        # The batch and its ledger rows are written by now.
        assert LedgerRow.objects.count() == 8
        raise Injected

    monkeypatch.setattr(cost_services, "make_newest_current", failing_refresh)

    with pytest.raises(Injected):
        run_import(MARCH_APRIL)

    assert nothing_stored()


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_rebuilding_the_sums_leaves_the_previous_state(registers, monkeypatch):
    first = run_import(MARCH_APRIL)
    before = snapshot()
    replace = cost_services.replace_monthly_sums

    def failing_replace(**kwargs):
        replace(**kwargs)  # April's old sums are deleted and the new ones written
        assert snapshot() != before
        raise Injected

    monkeypatch.setattr(cost_services, "replace_monthly_sums", failing_replace)

    with pytest.raises(Injected):
        run_import(APRIL_CORRECTED)

    assert snapshot() == before
    assert list(ImportBatch.objects.all()) == [first]
    assert LedgerRow.objects.count() == 8
    assert set(BatchMonth.objects.values_list("period", "is_current")) == {
        (dt.date(2024, 3, 1), True),
        (dt.date(2024, 4, 1), True),
    }


@pytest.mark.django_db(transaction=True)
def test_a_failure_during_undo_leaves_the_batch_in_use(registers, monkeypatch):
    batch = run_import(MARCH_APRIL)

    def failing_rebuild(**kwargs):
        raise Injected

    monkeypatch.setattr(cost_services, "monthly_costs_rebuild", failing_rebuild)

    with pytest.raises(Injected):
        batch_undo(batch_id=batch.id)

    batch.refresh_from_db()
    assert batch.undone_at is None
    assert snapshot() == MARCH_APRIL_COSTS
    assert BatchMonth.objects.filter(batch=batch, is_current=True).count() == 2

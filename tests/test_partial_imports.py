"""A controller's correction of a few units must not wipe a month: the coverage of a file
against what is stored, the choice between replacing whole months and updating only the
file's units (service, command, page), undo of each, sick leave and the survey too.

The `registers` fixture (tests/conftest.py) has units 0101 Hälsocentral Boliden and 0102
Hälsocentral Ursviken (Primärvård Skellefteå), 2001 Kirurgavdelning 1 and 2002 Operation
(Kirurgiskt centrum), 3001; accounts 4601 hyr_lakare, 4611 hyr_ssk_bm, 5111 egen_lon.
Every sum below is worked out by hand next to its file.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hyrdash.lib.coverage import PartialFileError
from kpis.costs import services as cost_services
from kpis.costs.services import costs_check, costs_import
from kpis.models import (
    BatchMonthUnit,
    DepartmentMonthlyCost,
    ImportBatch,
    MonthlyCost,
    PendingUpload,
    ReplacedUnit,
)
from kpis.registry import batch_undo
from kpis.sick_leave import disclosure
from kpis.sick_leave.services import sick_leave_check, sick_leave_import
from survey import services as survey_services
from survey.models import PendingSurveyUpload, SurveyBatch
from tests.test_import_sick_leave import HEADER as SICK_HEADER
from tests.test_import_sick_leave import in_use as sick_leave_in_use

NBSP = "\u00a0"
MINUS = "\u2212"

HEADER = "Period;Ansvar;Konto;Belopp"
# November 2026 as the finance system extracts it: four units.
NOVEMBER = f"""{HEADER}
2026-11;0101;4601;100 000
2026-11;0101;5111;400 000
2026-11;0102;5111;300 000
2026-11;2001;4611;50 000
2026-11;2001;5111;1 000 000
2026-11;2002;5111;200 000
"""
# What it stores per (unit, category): hyr_lakare 100 000, hyr_ssk_bm 50 000,
# egen_lon 400 000 + 300 000 + 1 000 000 + 200 000 = 1 900 000.
NOVEMBER_SUMS = {
    ("0101", "hyr_lakare"): Decimal("100000.00"),
    ("0101", "egen_lon"): Decimal("400000.00"),
    ("0102", "egen_lon"): Decimal("300000.00"),
    ("2001", "hyr_ssk_bm"): Decimal("50000.00"),
    ("2001", "egen_lon"): Decimal("1000000.00"),
    ("2002", "egen_lon"): Decimal("200000.00"),
}
# A correction of one unit, as controllers send them.
CORRECTION_0101 = f"""{HEADER}
2026-11;0101;4601;120 000
2026-11;0101;5111;410 000
"""
CORRECTION_0102 = f"""{HEADER}
2026-11;0102;5111;310 000
"""

# The warning for CORRECTION_0101 against NOVEMBER: 1 of the 4 units; hyr_ssk_bm
# 50 000 -> 0 (-100 %), egen_lon 1 900 000 -> 410 000 (410/1900 - 1 = -78,4 %).
WARNING_0101 = [
    "Filen täcker klart mindre än det som är sparat för 2026-11.",
    "2026-11: filen har 1 av 4 enheter som har värden nu; saknas: 0102 Hälsocentral "
    "Ursviken, 2001 Kirurgavdelning 1, 2002 Operation.",
    f"2026-11: Hyrpersonal sjuksköterskor/barnmorskor minskar från 50{NBSP}000,00 till "
    f"0,00 ({MINUS}100{NBSP}%).",
    f"2026-11: Egen personal: löner minskar från 1{NBSP}900{NBSP}000,00 till "
    f"410{NBSP}000,00 ({MINUS}78{NBSP}%).",
]


def run(text, name="utfall.csv", **kwargs):
    batch, _check = costs_import(data=text.encode(), file_name=name, kind="actuals", **kwargs)
    return batch


def unit_sums():
    """The MonthlyCost view for November: {(ansvar, category): amount}."""
    return {
        (m.unit.ansvar, m.category): m.amount
        for m in MonthlyCost.objects.filter(kind="actuals").select_related("unit")
    }


def category_sums():
    """What the dashboards read (DepartmentMonthlyCost), per category over departments."""
    sums = {}
    for row in DepartmentMonthlyCost.objects.filter(kind="actuals"):
        sums[row.category] = sums.get(row.category, Decimal(0)) + row.amount
    return sums


def assert_sums_agree():
    """The department sums an import or undo wrote are those the ledger rebuild gives,
    and those of the MonthlyCost view."""
    written = category_sums()
    view = {}
    for (_unit, category), amount in unit_sums().items():
        view[category] = view.get(category, Decimal(0)) + amount
    assert written == view
    cost_services.monthly_costs_rebuild()
    assert category_sums() == written


# --- the service ----------------------------------------------------------------------


def test_a_correction_of_one_unit_is_partial_and_refused_without_a_choice(registers):
    run(NOVEMBER)

    with pytest.raises(PartialFileError) as refused:
        run(CORRECTION_0101)

    assert refused.value.lines() == WARNING_0101
    assert ImportBatch.objects.count() == 1
    assert unit_sums() == NOVEMBER_SUMS


def test_the_check_lists_the_units_and_accounts_missing_in_the_file(registers):
    run(NOVEMBER)

    [coverage] = costs_check(data=CORRECTION_0101.encode(), kind="actuals").coverage()

    assert (coverage.units_stored, coverage.units_in_file, coverage.units_kept) == (4, 1, 1)
    assert coverage.missing_units == [
        "0102 Hälsocentral Ursviken",
        "2001 Kirurgavdelning 1",
        "2002 Operation",
    ]
    assert coverage.missing_accounts == ["4611"]
    assert [f["figure"] for f in coverage.falling] == ["hyr_ssk_bm", "egen_lon"]


def test_only_the_units_in_the_file_replace_their_rows_and_undo_restores_them(registers):
    run(NOVEMBER)

    correction = run(CORRECTION_0101, name="rattelse.csv", replaces="units")

    assert correction.replaces == "units"
    assert unit_sums() == {
        **NOVEMBER_SUMS,
        ("0101", "hyr_lakare"): Decimal("120000.00"),
        ("0101", "egen_lon"): Decimal("410000.00"),
    }
    # egen_lon 410 000 + 300 000 + 1 000 000 + 200 000; hyr_ssk_bm kept.
    assert category_sums() == {
        "hyr_lakare": Decimal("120000.00"),
        "hyr_ssk_bm": Decimal("50000.00"),
        "egen_lon": Decimal("1910000.00"),
    }
    assert_sums_agree()

    batch_undo(batch_id=correction.id)

    assert unit_sums() == NOVEMBER_SUMS
    assert category_sums() == {
        "hyr_lakare": Decimal("100000.00"),
        "hyr_ssk_bm": Decimal("50000.00"),
        "egen_lon": Decimal("1900000.00"),
    }
    assert not ReplacedUnit.objects.exists()
    assert_sums_agree()


def test_replacing_the_whole_month_leaves_only_the_file_and_undo_brings_november_back(registers):
    run(NOVEMBER)

    whole = run(CORRECTION_0101, replaces="months")

    assert whole.replaces == "months"
    assert unit_sums() == {
        ("0101", "hyr_lakare"): Decimal("120000.00"),
        ("0101", "egen_lon"): Decimal("410000.00"),
    }
    assert category_sums() == {
        "hyr_lakare": Decimal("120000.00"),
        "egen_lon": Decimal("410000.00"),
    }

    batch_undo(batch_id=whole.id)

    assert unit_sums() == NOVEMBER_SUMS
    assert_sums_agree()


def test_corrections_layer_unit_by_unit_and_each_undo_restores_exactly_its_units(registers):
    run(NOVEMBER)
    first = run(CORRECTION_0101, replaces="units")
    second = run(CORRECTION_0102, replaces="units")
    # 0101 from the first correction, 0102 from the second, 2001 and 2002 from November:
    # egen_lon 410 000 + 310 000 + 1 000 000 + 200 000 = 1 920 000.
    assert category_sums()["egen_lon"] == Decimal("1920000.00")
    assert_sums_agree()

    batch_undo(batch_id=first.id)  # the older correction, the newer still in use

    # 0101 back to November's 400 000: 400 000 + 310 000 + 1 200 000 = 1 910 000.
    assert unit_sums() == {**NOVEMBER_SUMS, ("0102", "egen_lon"): Decimal("310000.00")}
    assert category_sums()["egen_lon"] == Decimal("1910000.00")
    assert category_sums()["hyr_lakare"] == Decimal("100000.00")

    batch_undo(batch_id=second.id)

    assert unit_sums() == NOVEMBER_SUMS
    assert_sums_agree()


def test_a_newer_correction_of_the_same_unit_wins_and_its_undo_gives_the_older_back(registers):
    run(NOVEMBER)
    run(CORRECTION_0101, replaces="units")
    newer = run(f"{HEADER}\n2026-11;0101;5111;420 000\n", replaces="units")

    # The newer correction holds all of 0101: its 4601 row is gone with the older file.
    assert unit_sums()[("0101", "egen_lon")] == Decimal("420000.00")
    assert ("0101", "hyr_lakare") not in unit_sums()

    batch_undo(batch_id=newer.id)

    assert unit_sums()[("0101", "egen_lon")] == Decimal("410000.00")
    assert unit_sums()[("0101", "hyr_lakare")] == Decimal("120000.00")
    assert_sums_agree()


def test_a_new_extract_of_the_whole_month_replaces_the_corrections_too(registers):
    run(NOVEMBER)
    run(CORRECTION_0101, replaces="units")
    again = run(NOVEMBER.replace("200 000", "250 000"), name="ny.csv")

    assert unit_sums()[("0101", "egen_lon")] == Decimal("400000.00")
    assert unit_sums()[("2002", "egen_lon")] == Decimal("250000.00")
    assert not ReplacedUnit.objects.exists()

    batch_undo(batch_id=again.id)  # the correction is in use again, over November

    assert unit_sums()[("0101", "egen_lon")] == Decimal("410000.00")
    assert unit_sums()[("2002", "egen_lon")] == Decimal("200000.00")
    assert_sums_agree()


def test_a_correction_may_add_a_unit_the_month_did_not_have(registers):
    run(NOVEMBER)
    added = run(f"{HEADER}\n2026-11;3001;5111;75 000\n", replaces="units")

    assert unit_sums() == {**NOVEMBER_SUMS, ("3001", "egen_lon"): Decimal("75000.00")}
    assert list(BatchMonthUnit.objects.filter(month__batch=added).values_list("unit__ansvar")) == [
        ("3001",)
    ]
    assert_sums_agree()


def test_a_complete_file_replaces_whole_months_without_a_choice(registers):
    run(NOVEMBER)
    # All four units, every category at least half of what is stored: complete.
    complete = run(NOVEMBER.replace("1 000 000", "500 000"), name="hela.csv")

    assert complete.replaces == "months"
    assert category_sums()["egen_lon"] == Decimal("1400000.00")


def test_half_the_units_is_not_partial_fewer_is(registers):
    run(NOVEMBER)
    # 0101 and 2001: 2 of 4 units, each category at least half (egen_lon 1 400 000 of
    # 1 900 000, hyr_lakare and hyr_ssk_bm unchanged): complete.
    half = f"{HEADER}\n2026-11;0101;4601;100 000\n2026-11;0101;5111;400 000\n"
    half += "2026-11;2001;4611;50 000\n2026-11;2001;5111;1 000 000\n"
    assert not costs_check(data=half.encode(), kind="actuals").partial
    # 2001 alone with every category's November sum: 1 of 4 units, partial by the units.
    fewer = f"{HEADER}\n2026-11;2001;4611;50 000\n2026-11;2001;5111;1 000 000\n"
    fewer += "2026-11;2001;4601;100 000\n2026-11;2001;5111;900 000\n"
    assert costs_check(data=fewer.encode(), kind="actuals").partial


def test_a_category_falling_by_exactly_half_is_not_partial_by_more_is(registers):
    run(NOVEMBER)
    # hyr_lakare 100 000 -> 50 000: by exactly half; -> 49 999,99: by more.
    exactly = NOVEMBER.replace("4601;100 000", "4601;50 000")
    more = NOVEMBER.replace("4601;100 000", "4601;49 999,99")

    assert not costs_check(data=exactly.encode(), kind="actuals").partial
    check = costs_check(data=more.encode(), kind="actuals")
    assert check.partial
    assert check.warning()[1:] == [
        f"2026-11: Hyrpersonal läkare minskar från 100{NBSP}000,00 till 49{NBSP}999,99 "
        f"({MINUS}50{NBSP}%)."
    ]


def test_the_same_correction_again_changes_nothing_as_only_units(registers):
    run(NOVEMBER)
    run(CORRECTION_0101, replaces="units")

    assert run(CORRECTION_0101, name="igen.csv", replaces="units") is None
    # As whole months it is new data: the month would lose its other units.
    assert run(CORRECTION_0101, name="igen.csv", replaces="months") is not None


# --- the command ------------------------------------------------------------------------


def import_costs(tmp_path, text, *args, name="utfall.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_costs", str(path), "--kind", "actuals", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


def test_the_command_refuses_a_partial_file_with_the_warning(registers, tmp_path):
    import_costs(tmp_path, NOVEMBER)
    path = tmp_path / "rattelse.csv"
    path.write_text(CORRECTION_0101, encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_costs", str(path), "--kind", "actuals", stdout=io.StringIO(), stderr=err
        )

    assert str(refused.value) == (
        "Filen importerades inte. Ange --replace-months för att ersätta hela månaderna "
        "(ett fullständigt nytt uttag) eller --only-units för att bara uppdatera filens "
        "enheter (en rättelse). Inget har sparats."
    )
    assert err.getvalue().splitlines() == WARNING_0101
    assert ImportBatch.objects.count() == 1


def test_the_command_updates_only_the_units_and_says_how_to_undo(registers, tmp_path):
    import_costs(tmp_path, NOVEMBER)

    out, _err = import_costs(tmp_path, CORRECTION_0101, "--only-units", name="r.csv")

    batch = ImportBatch.objects.latest("id")
    assert out == [
        "2026-11: 1 enheter i filen, 4 med värden nu; 3 av dem saknas i filen: 0102 "
        "Hälsocentral Ursviken, 2001 Kirurgavdelning 1, 2002 Operation; 1 konton med "
        "värden nu saknas i filen: 4611.",
        f"  Hyrpersonal läkare: 100{NBSP}000,00 → 120{NBSP}000,00 (+20{NBSP}000,00)",
        f"  Hyrpersonal sjuksköterskor/barnmorskor: 50{NBSP}000,00 → 0,00 ({MINUS}50{NBSP}000,00)",
        f"  Egen personal: löner: 1{NBSP}900{NBSP}000,00 → 410{NBSP}000,00 "
        f"({MINUS}1{NBSP}490{NBSP}000,00)",
        f"Import {batch.id}: 2 rader, månader 2026-11–2026-11 (1 st).",
        f"  Egen personal: löner: 410{NBSP}000,00 kr",
        f"  Hyrpersonal läkare: 120{NBSP}000,00 kr",
        "Bara filens enheter (1 st) ersattes; andra enheter behöll sina värden.",
        f"Ångra importen med: python manage.py undo_import {batch.id}",
    ]
    assert category_sums()["egen_lon"] == Decimal("1910000.00")


def test_the_command_replaces_whole_months_when_told(registers, tmp_path):
    import_costs(tmp_path, NOVEMBER)

    out, _err = import_costs(tmp_path, CORRECTION_0101, "--replace-months", name="r.csv")

    assert out[-2] == "Hela månaderna ersattes."
    assert category_sums() == {
        "hyr_lakare": Decimal("120000.00"),
        "egen_lon": Decimal("410000.00"),
    }


def test_the_two_choices_are_exclusive(registers, tmp_path):
    with pytest.raises(CommandError, match="not allowed with argument"):
        import_costs(tmp_path, NOVEMBER, "--only-units", "--replace-months")


def undo_import(*args):
    out = io.StringIO()
    call_command("undo_import", *[str(a) for a in args], stdout=out)
    return out.getvalue().strip()


def test_undo_import_undoes_an_only_units_import_by_its_number(registers, tmp_path):
    import_costs(tmp_path, NOVEMBER)
    import_costs(tmp_path, CORRECTION_0101, "--only-units", name="r.csv")
    batch = ImportBatch.objects.latest("id")

    said = undo_import(batch.id)

    assert said == (
        f"Import {batch.id} (r.csv, bara filens enheter) är ångrad; dess enheter har sina "
        "tidigare värden för dess månader."
    )
    assert unit_sums() == NOVEMBER_SUMS


def test_undo_import_of_a_whole_month_import_and_its_refusals(registers, tmp_path):
    import_costs(tmp_path, NOVEMBER)
    batch = ImportBatch.objects.get()

    assert undo_import(batch.id) == (
        f"Import {batch.id} (utfall.csv) är ångrad; månaderna har sina tidigare värden."
    )
    assert unit_sums() == {}
    with pytest.raises(CommandError, match=rf"^Import {batch.id}: Importen är redan ångrad\.$"):
        undo_import(batch.id)
    with pytest.raises(CommandError, match=r"^Import 999: Importen finns inte\.$"):
        undo_import(999)


# --- sick leave -----------------------------------------------------------------------

SICK_NOVEMBER = f"""{SICK_HEADER}
2026-11;0101;K;30-49;10;1 600;40;0;0
2026-11;0102;K;30-49;12;1 900;50;0;0
2026-11;2001;M;50-;20;3 200;80;10;0
"""
# Payroll corrects 0102 alone: 12 employees, 1 900 hours, 30 sick hours (was 50).
SICK_CORRECTION = f"""{SICK_HEADER}
2026-11;0102;K;30-49;12;1 900;30;0;0
"""


def test_a_sick_leave_correction_needs_a_choice_and_updates_only_its_unit(registers):
    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    before = sick_leave_in_use()

    with pytest.raises(PartialFileError) as refused:
        sick_leave_import(data=SICK_CORRECTION.encode(), file_name="r.csv")
    # 1 of 3 units; employees 42 -> 12 (-71 %), ordinary hours 6 700 -> 1 900 (-72 %),
    # sick hours 180 -> 30 (-83 %).
    assert refused.value.lines() == [
        "Filen täcker klart mindre än det som är sparat för 2026-11.",
        "2026-11: filen har 1 av 3 enheter som har värden nu; saknas: 0101 Hälsocentral "
        "Boliden, 2001 Kirurgavdelning 1.",
        f"2026-11: Anställda minskar från 42 till 12 ({MINUS}71{NBSP}%).",
        f"2026-11: Ordinarie arbetstid (timmar) minskar från 6{NBSP}700,00 till "
        f"1{NBSP}900,00 ({MINUS}72{NBSP}%).",
        f"2026-11: Sjuktimmar minskar från 180,00 till 30,00 ({MINUS}83{NBSP}%).",
    ]

    summary = sick_leave_check(data=SICK_CORRECTION.encode()).summary()
    # Only 0102 replaced: sick hours 180 - 50 + 30 = 160; employees 42 - 12 + 12.
    assert summary[["category", "new", "stored", "only_units"]].values.tolist() == [
        ["employees", 12.0, 42.0, 42.0],
        ["ordinary_hours", 1900.0, 6700.0, 6700.0],
        ["sick_hours", 30.0, 180.0, 160.0],
    ]

    correction, _check = sick_leave_import(
        data=SICK_CORRECTION.encode(), file_name="r.csv", replaces="units"
    )

    assert sick_leave_in_use() == {
        **before,
        ("2026-11", "0102", "K", "30-49"): (12, "1900.00", "30.00", "0.00", "0.00"),
    }
    batch_undo(batch_id=correction.id)
    assert sick_leave_in_use() == before


def test_the_sick_leave_page_reads_the_layered_rows(registers):
    from kpis.sick_leave.selectors import sick_leave_frame

    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    sick_leave_import(data=SICK_CORRECTION.encode(), file_name="r.csv", replaces="units")

    frame = sick_leave_frame()

    # 40 + 30 (corrected) + 80 + 10 sick hours; 1 600 + 1 900 + 3 200 ordinary hours.
    assert frame["sick_hours_1_14"].sum() == 150.0
    assert frame["sick_hours_15_59"].sum() == 10.0
    assert frame["ordinary_hours"].sum() == 6700.0
    assert frame["employees"].sum() == 42


def test_disclosure_is_decided_after_a_correction_and_after_its_undo(
    registers, monkeypatch, django_capture_on_commit_callbacks
):
    """As after main's imports: the page after a sick-leave correction, or after its
    undo_import, finds every month's disclosure decided (kept in the cache on commit)."""
    from django.core.cache import cache

    from kpis.sick_leave import decisions, selectors, series

    def decided_already():
        with monkeypatch.context() as patch:
            patch.setattr(decisions, "decide", lambda *a: pytest.fail("decided by the page"))
            return series.sick_leave_cells(selectors.sick_leave_data())

    with django_capture_on_commit_callbacks(execute=True):
        sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True) as imported:
        correction, _check = sick_leave_import(
            data=SICK_CORRECTION.encode(), file_name="r.csv", replaces="units"
        )
    assert len(imported) == 1
    # 0102's sick hours 30 after the correction: 40 + 30 + 80.
    assert decided_already().loc[("hsf", "total"), "sick_hours_1_14"].sum() == 150.0

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True) as undone:
        undo_import(correction.id)
    assert len(undone) == 1
    # 0102's 50 back: 40 + 50 + 80.
    assert decided_already().loc[("hsf", "total"), "sick_hours_1_14"].sum() == 170.0


def test_decide_sick_leave_makes_every_months_decision_so_no_page_has_to(registers, monkeypatch):
    """After a release with another rule every month is decided again: the image's start
    runs `manage.py decide_sick_leave` (docker/entrypoint.sh) so that the first page
    finds every month decided, and a second run finds them kept."""
    from django.core.cache import cache

    from hyrdash.lib import pagecache
    from kpis.sick_leave import decisions, selectors, series

    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    cache.clear()  # as after a release with another rule: nothing decided
    pagecache.forget_in_process()
    decided = []
    monkeypatch.setattr(
        decisions, "decide", lambda rows, *a: decided.append(1) or disclosure.decide(rows, *a)
    )
    out = io.StringIO()
    call_command("decide_sick_leave", stdout=out)

    assert decided == [1]  # November, the one month with data
    assert out.getvalue().startswith("Sjukfrånvaro: 1 månader beslutade (")
    pagecache.forget_in_process()
    monkeypatch.setattr(decisions, "decide", lambda *a: pytest.fail("decided by the page"))
    assert series.sick_leave_cells(selectors.sick_leave_data())["hidden"].any()
    call_command("decide_sick_leave", stdout=io.StringIO())


def test_decide_sick_leave_without_sick_leave(db):
    out = io.StringIO()
    call_command("decide_sick_leave", stdout=out)
    assert out.getvalue() == "Det finns ingen sjukfrånvaro ännu.\n"


def test_import_sick_leave_refuses_a_partial_file_unless_told(registers, tmp_path):
    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    path = tmp_path / "r.csv"
    path.write_text(SICK_CORRECTION, encoding="utf-8")

    with pytest.raises(CommandError, match="--only-units"):
        call_command("import_sick_leave", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("import_sick_leave", str(path), "--only-units", stdout=out)

    assert "Bara filens enheter (1 st) ersattes; andra enheter behöll sina värden." in (
        out.getvalue().splitlines()
    )


# --- the page --------------------------------------------------------------------------


@pytest.fixture
def ctrl(client, controller_user, registers):
    client.force_login(controller_user)
    return client


def upload(client, text, name="rattelse.csv", kind="actuals"):
    """The upload form's first step with `text` as the file; the waiting upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("kpis:upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, text.encode())},
    )
    return PendingUpload.objects.filter(outcome="").get()


def confirm_url(pending):
    return reverse("kpis:upload_confirm", kwargs={"pending_id": pending.id})


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def assert_the_choice_is_required(client, pending, content: str) -> None:
    """The confirm page's choice (whole months or only the file's units) has no default
    and is required: a confirmation without it is refused with the page's message."""
    assert 'value="months" required>' in content
    assert 'value="units" required>' in content
    assert "checked" not in content.split('id="coverage-warning"')[1]
    refused = client.post(confirm_url(pending), {"confirm": "1"})
    assert refused.status_code == 400
    assert (
        "Välj om filen ska ersätta hela månaderna eller bara uppdatera enheterna i filen."
        in refused.content.decode()
    )


def test_the_confirm_page_warns_of_a_partial_file_and_requires_the_choice(ctrl):
    run(NOVEMBER)
    pending = upload(ctrl, CORRECTION_0101)

    page = ctrl.get(confirm_url(pending))

    content = page.content.decode()
    assert page.context["warning"] == WARNING_0101
    assert page.context["coverage"] == [
        {
            "period": "2026-11",
            "units_in_file": 1,
            "units_stored": 4,
            "units_missing": 3,
            "missing_units": "0102 Hälsocentral Ursviken, 2001 Kirurgavdelning 1, 2002 Operation",
            "accounts_missing": 1,
            "missing_accounts": "4611",
            "partial": True,
            "compared_with": "",
        }
    ]
    # Each category: the file's sum, what is stored, and the month if only 0101 is
    # replaced: hyr_lakare 100 000 - 100 000 + 120 000; hyr_ssk_bm 50 000 - 0 + 0;
    # egen_lon 1 900 000 - 400 000 + 410 000.
    assert [
        (r["category"], r["new"], r["stored"], r["only_units"]) for r in page.context["summary"]
    ] == [
        ("hyr_lakare", 120000.0, 100000.0, 120000.0),
        ("hyr_ssk_bm", 0.0, 50000.0, 50000.0),
        ("egen_lon", 410000.0, 1900000.0, 1910000.0),
    ]
    assert f'<td class="num">1{NBSP}910{NBSP}000,00</td>' in content
    assert 'role="alert" id="coverage-warning"' in content
    assert_the_choice_is_required(ctrl, pending, content)
    assert ImportBatch.objects.count() == 1

    done = ctrl.post(confirm_url(pending), {"confirm": "1", "replaces": "units"}, follow=True)

    batch = ImportBatch.objects.latest("id")
    assert messages_of(done) == [
        f"Import {batch.id} sparad: 2 rader, 1 månad. Bara filens enhet ersattes; andra "
        "enheter behöll sina värden."
    ]
    assert category_sums()["egen_lon"] == Decimal("1910000.00")
    history = done.content.decode()
    assert 'Bara filens enheter<br><small class="text-body-secondary">0101</small>' in history
    assert "Hela månader" in history  # November's import

    undone = ctrl.post(reverse("kpis:batch_undo", args=[batch.id]), follow=True)

    assert messages_of(undone) == [
        f"Import {batch.id} (rattelse.csv, bara filens enheter) är ångrad; dess enheter har "
        "sina tidigare värden för dess månader."
    ]
    assert unit_sums() == NOVEMBER_SUMS


def test_the_page_replaces_the_whole_month_when_chosen(ctrl):
    run(NOVEMBER)
    pending = upload(ctrl, CORRECTION_0101)

    done = ctrl.post(confirm_url(pending), {"confirm": "1", "replaces": "months"}, follow=True)

    batch = ImportBatch.objects.latest("id")
    assert messages_of(done) == [
        f"Import {batch.id} sparad: 2 rader, 1 månad. Hela månaderna ersattes."
    ]
    assert category_sums() == {
        "hyr_lakare": Decimal("120000.00"),
        "egen_lon": Decimal("410000.00"),
    }
    ctrl.post(reverse("kpis:batch_undo", args=[batch.id]))
    assert unit_sums() == NOVEMBER_SUMS


def test_a_complete_file_has_whole_months_chosen_and_no_warning(ctrl):
    run(NOVEMBER)
    pending = upload(ctrl, NOVEMBER.replace("200 000", "210 000"))

    page = ctrl.get(confirm_url(pending))

    content = page.content.decode()
    assert page.context["warning"] == []
    assert 'value="months" checked>' in content
    assert "required" not in content.split("<fieldset")[1].split("</fieldset>")[0]


def test_the_page_says_how_a_finance_system_file_was_read(ctrl):
    text = (
        "Utdrag huvudbok HSF\nPeriod 2026-10, utskrivet 2026-11-05\n"
        "Period;Ansvar;Konto;Debet;Kredit\n2026-10;0101;4601;1 000,00;\n"
        "2026-10;0101;4601;;(200,00)\nSumma;;;1 000,00;-200,00\n"
    )
    pending = upload(ctrl, text)

    content = ctrl.get(confirm_url(pending)).content.decode()

    assert "Rubrikraden är rad 3; raderna ovanför den" in content
    assert "Summaraden på rad 6 stämmer med filens summa" in content
    assert "beloppet är Debet − Kredit" in content


# --- back after confirming or cancelling -------------------------------------------------


def test_back_after_confirming_says_the_import_is_saved_and_never_stores_it_twice(ctrl):
    pending = upload(ctrl, NOVEMBER, name="november.csv")
    ctrl.post(confirm_url(pending), {"confirm": "1"})
    batch = ImportBatch.objects.get()

    again = ctrl.get(confirm_url(pending))
    twice = ctrl.post(confirm_url(pending), {"confirm": "1", "replaces": "units"})

    for page in (again, twice):
        content = page.content.decode()
        assert page.status_code == 200
        assert '<h1 class="h3">Importen är redan sparad</h1>' in content
        assert f"Filen <strong>november.csv</strong> är sparad som import {batch.id}." in content
        assert f'href="{reverse("kpis:batches")}"' in content
    assert ImportBatch.objects.count() == 1


def test_back_after_cancelling_says_so(ctrl):
    pending = upload(ctrl, NOVEMBER, name="november.csv")
    ctrl.post(confirm_url(pending), {"cancel": "1"})

    page = ctrl.get(confirm_url(pending))

    assert '<h1 class="h3">Uppladdningen är avbruten</h1>' in page.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_unknown_upload_gets_a_swedish_page_not_a_technical_404(ctrl, settings):
    settings.DEBUG = True  # where Django would show its technical 404 page

    page = ctrl.get(reverse("kpis:upload_confirm", kwargs={"pending_id": 999}))

    assert page.status_code == 404
    assert '<h1 class="h3">Uppladdningen finns inte</h1>' in page.content.decode()


# --- the survey --------------------------------------------------------------------------

ANSWERS = """RespondentID;Ansvar;HME_M1;ENPS
r1;0101;5;10
r2;0101;4;6
r3;0102;3;8
r4;2001;4;9
r5;2001;2;3
r6;2002;5;10
"""
# A file of one unit's respondents for the same year.
FEW_ANSWERS = """RespondentID;Ansvar;HME_M1;ENPS
r1;0101;5;10
r2;0101;4;6
"""


def test_a_survey_file_of_few_units_does_not_replace_the_year_unless_confirmed(registers):
    survey_services.answers_import(data=ANSWERS.encode(), file_name="mu.csv", year=2025)

    with pytest.raises(PartialFileError) as refused:
        survey_services.answers_import(data=FEW_ANSWERS.encode(), file_name="f.csv", year=2025)
    # 1 of 4 units; 6 respondents -> 2 (-67 %).
    assert refused.value.lines() == [
        "Filen täcker klart mindre än det som är sparat för 2025.",
        "2025: filen har 1 av 4 enheter som har värden nu; saknas: 0102 Hälsocentral "
        "Ursviken, 2001 Kirurgavdelning 1, 2002 Operation.",
        f"2025: Svarande minskar från 6 till 2 ({MINUS}67{NBSP}%).",
    ]
    assert SurveyBatch.objects.get(is_current=True).file_name == "mu.csv"

    batch, _check = survey_services.answers_import(
        data=FEW_ANSWERS.encode(), file_name="f.csv", year=2025, replace_year=True
    )

    assert batch.is_current and batch.row_count == 2


def test_import_survey_refuses_a_partial_file_unless_replace_year(registers, tmp_path):
    survey_services.answers_import(data=ANSWERS.encode(), file_name="mu.csv", year=2025)
    path = tmp_path / "f.csv"
    path.write_text(FEW_ANSWERS, encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_survey", str(path), "--year", "2025", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert str(refused.value) == (
        "Filen importerades inte. Ange --replace-year för att ändå ersätta årets värden med "
        "filens. Inget har sparats."
    )
    out = io.StringIO()
    call_command("import_survey", str(path), "--year", "2025", "--replace-year", stdout=out)
    batch = SurveyBatch.objects.get(is_current=True)
    assert batch.file_name == "f.csv"
    assert out.getvalue().splitlines()[-1] == (
        f"Ångra importen med: python manage.py undo_import {batch.id} --survey"
    )

    said = undo_import(batch.id, "--survey")

    assert said == f"Import {batch.id} (f.csv) är ångrad; 2025 har sina tidigare värden."
    assert SurveyBatch.objects.get(is_current=True).file_name == "mu.csv"


def test_the_survey_page_requires_confirming_a_partial_file(client, hr_user, registers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(hr_user)
    survey_services.answers_import(data=ANSWERS.encode(), file_name="mu.csv", year=2025)
    client.post(
        reverse("survey:upload"),
        {
            "kind": "answers",
            "year": "2025",
            "file": SimpleUploadedFile("f.csv", FEW_ANSWERS.encode()),
        },
    )
    pending = PendingSurveyUpload.objects.get()
    url = reverse("survey:upload_confirm", kwargs={"upload_id": pending.id})

    page = client.get(url)
    refused = client.post(url, {"confirm": "1"})

    assert page.context["warning"][0] == "Filen täcker klart mindre än det som är sparat för 2025."
    assert 'name="replace_year" id="id_replace_year" value="on" required>' in (
        page.content.decode()
    )
    assert refused.status_code == 400
    assert SurveyBatch.objects.get(is_current=True).file_name == "mu.csv"

    client.post(url, {"confirm": "1", "replace_year": "on"})

    assert SurveyBatch.objects.get(is_current=True).file_name == "f.csv"
    back = client.get(url)
    assert '<h1 class="h3">Importen är redan sparad</h1>' in back.content.decode()
    assert f'href="{reverse("survey:batches")}"' in back.content.decode()

"""A file of a period with nothing stored is judged against the nearest earlier period
with data (hyrdash.lib.coverage): a 3-row file of a new month must not become everybody's
default month unwarned. Costs, sick leave and the survey, at the thresholds' edges, by
the service, the command and the page (two steps).

As tests/test_partial_imports.py: the `registers` fixture's units 0101, 0102, 2001, 2002
and 3001; every sum is worked out by hand next to its file.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from hyrdash.lib.coverage import PartialFileError
from kpis.costs.services import costs_check
from kpis.models import ImportBatch, PendingUpload
from kpis.sick_leave.services import sick_leave_check, sick_leave_import
from survey import services as survey_services
from survey.models import PendingSurveyUpload, SurveyBatch
from tests.test_import_sick_leave import HEADER as SICK_HEADER
from tests.test_partial_imports import ANSWERS, HEADER, NOVEMBER, SICK_NOVEMBER, category_sums, run

NBSP = "\u00a0"
MINUS = "\u2212"

# NOVEMBER (stored): 0101 hyr_lakare 100 000 and egen_lon 400 000, 0102 egen_lon 300 000,
# 2001 hyr_ssk_bm 50 000 and egen_lon 1 000 000, 2002 egen_lon 200 000: four units;
# hyr_lakare 100 000, hyr_ssk_bm 50 000, egen_lon 1 900 000.

# December, two of November's four units: exactly half, not fewer; every category at
# least half of November's (hyr_lakare 100 000, hyr_ssk_bm 50 000, egen_lon 400 000 +
# 1 000 000 = 1 400 000 of 1 900 000).
DECEMBER_HALF = f"""{HEADER}
2026-12;0101;4601;100 000
2026-12;0101;5111;400 000
2026-12;2001;4611;50 000
2026-12;2001;5111;1 000 000
"""
# December, one unit with every category's November sum: 1 of 4 units, fewer than half.
DECEMBER_ONE_UNIT = f"""{HEADER}
2026-12;2001;4601;100 000
2026-12;2001;4611;50 000
2026-12;2001;5111;1 900 000
"""
DECEMBER_ONE_UNIT_WARNING = [
    "Filen täcker klart mindre för 2026-12, som inte har några sparade värden än, jämfört "
    "med november 2026, senaste månaden med data.",
    "2026-12: filen har 1 av 4 enheter som har värden för november 2026; saknas: 0101 "
    "Hälsocentral Boliden, 0102 Hälsocentral Ursviken, 2002 Operation.",
]
# December, all four units: hyr_lakare 100 000 -> 50 000 falls by exactly half;
# -> 49 999,99 by more (a new month: not compared by its sums).
DECEMBER_HALF_FALL = NOVEMBER.replace("2026-11", "2026-12").replace("4601;100 000", "4601;50 000")
DECEMBER_MORE_FALL = DECEMBER_HALF_FALL.replace("4601;50 000", "4601;49 999,99")


# --- costs: the service ------------------------------------------------------------------


def test_a_new_month_of_half_the_units_is_not_partial_of_fewer_is(registers):
    run(NOVEMBER)

    assert not costs_check(data=DECEMBER_HALF.encode(), kind="actuals").partial
    check = costs_check(data=DECEMBER_ONE_UNIT.encode(), kind="actuals")
    [coverage] = check.coverage()
    assert (coverage.period, coverage.compared_with) == ("2026-12", "2026-11")
    assert (coverage.units_stored, coverage.units_in_file, coverage.units_kept) == (4, 1, 1)
    assert coverage.falling == []  # partial by the units alone
    assert check.warning() == DECEMBER_ONE_UNIT_WARNING


def test_a_new_month_is_judged_by_its_units_alone_a_stored_month_by_its_sums_too(registers):
    """Month on month the ledger's sums swing with the season (holiday pay: the demo's
    egen_ovrigt fell by more than half in June, July and January of every year), so a
    new month is partial only by its units; a correction of a stored month whose
    category falls by more than half is partial."""
    run(NOVEMBER)

    more = costs_check(data=DECEMBER_MORE_FALL.encode(), kind="actuals")
    assert not more.partial
    [coverage] = more.coverage()
    assert (coverage.compared_with, coverage.units_kept, coverage.falling) == ("2026-11", 4, [])

    run(DECEMBER_HALF_FALL)  # December stored: now its own sums are compared
    assert not costs_check(data=DECEMBER_HALF_FALL.encode(), kind="actuals").partial
    correction = costs_check(
        data=DECEMBER_HALF_FALL.replace("4601;50 000", "4601;24 999,99").encode(), kind="actuals"
    )
    assert correction.partial
    assert correction.warning()[1:] == [
        f"2026-12: Hyrpersonal läkare minskar från 50{NBSP}000,00 till 24{NBSP}999,99 "
        f"({MINUS}50{NBSP}%)."
    ]


def test_a_new_month_is_compared_with_the_nearest_earlier_month_with_data(registers):
    run(NOVEMBER.replace("2026-11", "2026-09"))
    run(f"{HEADER}\n2026-10;0101;5111;1 000\n", replaces="months")  # October: one unit
    # January 2027 is compared with October, the month with data nearest before it (a
    # one-unit file is not partial against a one-unit month); a month before any data,
    # with nothing.
    check = costs_check(
        data=f"{HEADER}\n2027-01;0101;5111;1 000\n2026-01;0101;5111;1 000\n".encode(),
        kind="actuals",
    )

    assert [(c.period, c.compared_with, c.units_stored) for c in check.coverage()] == [
        ("2026-01", "", 0),
        ("2027-01", "2026-10", 1),
    ]
    assert not check.partial


def test_a_partial_new_month_is_refused_unconfirmed_and_imported_when_told(registers):
    run(NOVEMBER)

    with pytest.raises(PartialFileError) as refused:
        run(DECEMBER_ONE_UNIT, name="december.csv")
    assert refused.value.lines() == DECEMBER_ONE_UNIT_WARNING
    assert refused.value.new_periods_only
    assert ImportBatch.objects.count() == 1

    december = run(DECEMBER_ONE_UNIT, name="december.csv", replaces="months")

    # November's 1 900 000 and December's 1 900 000 egen_lon; 100 000 + 100 000 hyr_lakare.
    assert december.replaces == "months"
    assert category_sums() == {
        "hyr_lakare": Decimal("200000.00"),
        "hyr_ssk_bm": Decimal("100000.00"),
        "egen_lon": Decimal("3800000.00"),
    }


# --- costs: the command ------------------------------------------------------------------


def import_costs(tmp_path, text, *args, name="december.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_costs", str(path), "--kind", "actuals", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


NEW_MONTH_HINT = (
    "Filen importerades inte. Ange --replace-months för att ändå importera filen: dess "
    "enheter blir allt som finns för månaderna utan sparade värden (--only-units gör "
    "detsamma för dem). Inget har sparats."
)


def test_import_costs_refuses_a_partial_new_month_unless_told(registers, tmp_path):
    run(NOVEMBER)

    with pytest.raises(CommandError) as refused:
        import_costs(tmp_path, DECEMBER_ONE_UNIT)
    assert str(refused.value) == NEW_MONTH_HINT
    assert ImportBatch.objects.count() == 1

    out, _err = import_costs(tmp_path, DECEMBER_ONE_UNIT, "--replace-months")

    batch = ImportBatch.objects.latest("id")
    assert out[0] == (
        "2026-12: 1 enheter i filen, inga sparade värden; 4 med värden för 2026-11, senaste "
        "månaden med data; 3 av dem saknas i filen: 0101 Hälsocentral Boliden, 0102 "
        "Hälsocentral Ursviken, 2002 Operation."
    )
    assert out[-2:] == [
        "Hela månaderna ersattes.",
        f"Ångra importen med: python manage.py undo_import {batch.id}",
    ]
    assert category_sums()["egen_lon"] == Decimal("3800000.00")


def test_for_a_new_month_only_units_imports_the_same(registers, tmp_path):
    run(NOVEMBER)

    import_costs(tmp_path, DECEMBER_ONE_UNIT, "--only-units")

    # The file's one unit is all December has: the same sums as --replace-months.
    assert ImportBatch.objects.latest("id").replaces == "units"
    assert category_sums() == {
        "hyr_lakare": Decimal("200000.00"),
        "hyr_ssk_bm": Decimal("100000.00"),
        "egen_lon": Decimal("3800000.00"),
    }


def test_import_costs_takes_a_complete_new_month_without_a_choice(registers, tmp_path):
    run(NOVEMBER)

    out, _err = import_costs(tmp_path, DECEMBER_HALF)

    assert out[0] == "Månader utan sparade värden: 2026-12 (1 st)."
    assert ImportBatch.objects.latest("id").replaces == "months"


# --- costs: the page ---------------------------------------------------------------------


@pytest.fixture
def ctrl(client, controller_user, registers):
    client.force_login(controller_user)
    return client


def upload(client, text, *, kind="actuals", name="december.csv"):
    client.post(
        reverse("kpis:upload"), {"kind": kind, "file": SimpleUploadedFile(name, text.encode())}
    )
    pending = PendingUpload.objects.filter(outcome="").get()
    return reverse("kpis:upload_confirm", kwargs={"pending_id": pending.id})


def test_the_page_requires_confirming_a_partial_new_month(ctrl):
    run(NOVEMBER)
    url = upload(ctrl, DECEMBER_ONE_UNIT)

    page = ctrl.get(url)

    content = page.content.decode()
    assert page.context["warning"] == DECEMBER_ONE_UNIT_WARNING
    assert page.context["coverage"][0]["compared_with"] == "november 2026"
    assert "för november 2026, senaste månaden med data" in content
    # One choice, not made: import it anyway (both choices mean the same for December).
    assert page.context["form"].fields["replaces"].choices == [
        (
            "months",
            "Importera filen ändå: dess enheter blir allt som finns för 2026-12, som inte "
            "har några sparade värden.",
        )
    ]
    assert 'value="months" required>' in content
    assert 'value="units"' not in content
    assert "bekräfta uttryckligen att den ska importeras" in content

    refused = ctrl.post(url, {"confirm": "1"})

    assert refused.status_code == 400
    assert "Bekräfta att filen ska importeras ändå, eller avbryt." in refused.content.decode()
    assert ImportBatch.objects.count() == 1

    ctrl.post(url, {"confirm": "1", "replaces": "months"})

    assert ImportBatch.objects.latest("id").replaces == "months"
    assert category_sums()["egen_lon"] == Decimal("3800000.00")


def test_the_page_takes_a_complete_new_month_as_whole_months(ctrl):
    run(NOVEMBER)
    url = upload(ctrl, DECEMBER_HALF)

    page = ctrl.get(url)

    assert page.context["warning"] == []
    assert 'value="months" checked>' in page.content.decode()


def test_a_file_partial_in_a_stored_month_and_a_new_one_keeps_both_choices(ctrl):
    run(NOVEMBER)
    # 0101 alone, for November (stored) and December (new).
    url = upload(ctrl, f"{HEADER}\n2026-11;0101;5111;400 000\n2026-12;0101;5111;400 000\n")

    page = ctrl.get(url)

    assert page.context["warning"][:2] == [
        "Filen täcker klart mindre än det som är sparat för 2026-11.",
        "Filen täcker klart mindre för 2026-12, som inte har några sparade värden än, "
        "jämfört med november 2026, senaste månaden med data.",
    ]
    assert [value for value, _label in page.context["form"].fields["replaces"].choices] == [
        "months",
        "units",
    ]


# --- sick leave ------------------------------------------------------------------------

# SICK_NOVEMBER (stored): 0101 10 employees, 1 600 hours, 40 sick hours; 0102 12, 1 900,
# 50; 2001 20, 3 200, 80 + 10: three units, 42 employees, 6 700 hours, 180 sick hours.
SICK_DECEMBER_TWO = f"""{SICK_HEADER}
2026-12;0102;K;30-49;12;1 900;50;0;0
2026-12;2001;M;50-;30;4 800;90;0;0
"""  # 2 of 3 units (not fewer than 1,5); 42 employees, 6 700 hours, 140 sick hours
SICK_DECEMBER_ONE = f"""{SICK_HEADER}
2026-12;2001;M;50-;42;6 700;180;0;0
"""  # 1 of 3 units; every figure as November's
# All three units; sick hours 40 + 50 + 0 = 90: exactly half of 180. 89,99: more.
SICK_DECEMBER_HALF = f"""{SICK_HEADER}
2026-12;0101;K;30-49;10;1 600;40;0;0
2026-12;0102;K;30-49;12;1 900;50;0;0
2026-12;2001;M;50-;20;3 200;0;0;0
"""
SICK_DECEMBER_MORE = SICK_DECEMBER_HALF.replace("1 900;50;", "1 900;49,99;")


def test_a_new_sick_leave_month_at_the_thresholds_edges(registers):
    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")

    assert not sick_leave_check(data=SICK_DECEMBER_TWO.encode()).partial
    assert not sick_leave_check(data=SICK_DECEMBER_HALF.encode()).partial
    one = sick_leave_check(data=SICK_DECEMBER_ONE.encode())
    assert one.warning() == [
        "Filen täcker klart mindre för 2026-12, som inte har några sparade värden än, "
        "jämfört med november 2026, senaste månaden med data.",
        "2026-12: filen har 1 av 3 enheter som har värden för november 2026; saknas: 0101 "
        "Hälsocentral Boliden, 0102 Hälsocentral Ursviken.",
    ]
    assert sick_leave_check(data=SICK_DECEMBER_MORE.encode()).warning()[1:] == [
        f"2026-12: Sjuktimmar är 89,99 mot 180,00 för november 2026 ({MINUS}50{NBSP}%)."
    ]

    with pytest.raises(PartialFileError):
        sick_leave_import(data=SICK_DECEMBER_ONE.encode(), file_name="dec.csv")
    batch, _check = sick_leave_import(
        data=SICK_DECEMBER_ONE.encode(), file_name="dec.csv", replaces="months"
    )
    assert batch.months.get().is_current


def test_import_sick_leave_refuses_a_partial_new_month_unless_told(registers, tmp_path):
    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    path = tmp_path / "dec.csv"
    path.write_text(SICK_DECEMBER_ONE, encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("import_sick_leave", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert str(refused.value) == NEW_MONTH_HINT
    out = io.StringIO()
    call_command("import_sick_leave", str(path), "--replace-months", stdout=out)

    assert "Hela månaderna ersattes." in out.getvalue().splitlines()
    assert ImportBatch.objects.filter(kind="sick_leave").count() == 2


def test_the_sick_leave_page_requires_confirming_a_partial_new_month(ctrl):
    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    url = upload(ctrl, SICK_DECEMBER_ONE, kind="sick_leave")

    page = ctrl.get(url)
    refused = ctrl.post(url, {"confirm": "1"})

    assert page.context["warning"][0].startswith("Filen täcker klart mindre för 2026-12")
    assert refused.status_code == 400
    assert ImportBatch.objects.filter(kind="sick_leave").count() == 1

    ctrl.post(url, {"confirm": "1", "replaces": "months"})

    assert ImportBatch.objects.filter(kind="sick_leave").count() == 2


# --- the survey --------------------------------------------------------------------------

# ANSWERS (2025, stored): 0101 two respondents, 0102 one, 2001 two, 2002 one: four
# units, six respondents.
ANSWERS_2026_TWO_UNITS = """RespondentID;Ansvar;HME_M1;ENPS
r1;0101;5;10
r2;0101;4;6
r3;2001;4;9
r4;2001;2;3
"""  # 2 of 4 units, 4 of 6 respondents: complete
ANSWERS_2026_ONE_UNIT = """RespondentID;Ansvar;HME_M1;ENPS
r1;0101;5;10
r2;0101;4;6
r3;0101;3;8
"""  # 1 of 4 units; 3 respondents, exactly half of 6: partial by the units alone
ANSWERS_2026_THREE = """RespondentID;Ansvar;HME_M1;ENPS
r1;0101;5;10
r3;0102;3;8
r4;2001;4;9
"""  # 3 of 4 units; 3 respondents: falls by exactly half, not more
ANSWERS_2026_TWO = """RespondentID;Ansvar;HME_M1;ENPS
r1;0101;5;10
r4;2001;4;9
"""  # 2 of 4 units (exactly half); 2 respondents of 6: falls by more than half


def answers_check(text, year=2026):
    return survey_services.answers_check(data=text.encode(), year=year)


def test_a_new_survey_year_at_the_thresholds_edges(registers):
    survey_services.answers_import(data=ANSWERS.encode(), file_name="mu.csv", year=2025)

    assert not answers_check(ANSWERS_2026_TWO_UNITS).coverage().partial
    assert not answers_check(ANSWERS_2026_THREE).coverage().partial
    one = answers_check(ANSWERS_2026_ONE_UNIT).coverage()
    assert (one.compared_with, one.units_stored, one.units_kept, one.falling) == ("2025", 4, 1, [])
    assert one.partial

    with pytest.raises(PartialFileError) as refused:
        survey_services.answers_import(data=ANSWERS_2026_TWO.encode(), file_name="f.csv", year=2026)
    # 2 of 6 respondents: 2/6 - 1 = -67 %.
    assert refused.value.lines() == [
        "Filen täcker klart mindre för 2026, som inte har några sparade värden än, jämfört "
        "med 2025, senaste året med data.",
        "2026: filen har 2 av 4 enheter som har värden för 2025; saknas: 0102 Hälsocentral "
        "Ursviken, 2002 Operation.",
        f"2026: Svarande är 2 mot 6 för 2025 ({MINUS}67{NBSP}%).",
    ]
    assert refused.value.new_periods_only
    assert not SurveyBatch.objects.filter(year=2026).exists()

    batch, _check = survey_services.answers_import(
        data=ANSWERS_2026_TWO.encode(), file_name="f.csv", year=2026, replace_year=True
    )
    assert batch.is_current and batch.row_count == 2


def test_a_first_survey_year_and_an_earlier_year_are_not_compared_with_later_ones(registers):
    assert not answers_check(ANSWERS_2026_TWO, year=2024).coverage().partial
    survey_services.answers_import(data=ANSWERS.encode(), file_name="mu.csv", year=2025)

    # 2024 has nothing stored and no earlier year: nothing to compare with.
    coverage = answers_check(ANSWERS_2026_TWO, year=2024).coverage()
    assert (coverage.compared_with, coverage.units_stored) == ("", 0)


def test_import_survey_refuses_a_partial_new_year_unless_replace_year(registers, tmp_path):
    survey_services.answers_import(data=ANSWERS.encode(), file_name="mu.csv", year=2025)
    path = tmp_path / "f.csv"
    path.write_text(ANSWERS_2026_ONE_UNIT, encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_survey", str(path), "--year", "2026", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert str(refused.value) == (
        "Filen importerades inte. Ange --replace-year för att ändå importera filen: dess "
        "enheter blir allt som finns för året. Inget har sparats."
    )
    call_command(
        "import_survey", str(path), "--year", "2026", "--replace-year", stdout=io.StringIO()
    )

    assert SurveyBatch.objects.get(year=2026, is_current=True).row_count == 3


def test_import_survey_population_compares_a_new_year_with_the_previous_one(registers, tmp_path):
    stored = "Ansvar;Antal medarbetare\n0101;10\n0102;12\n2001;20\n2002;8\n"
    survey_services.population_import(data=stored.encode(), file_name="m.csv", year=2025)
    path = tmp_path / "m2026.csv"
    path.write_text("Ansvar;Antal medarbetare\n0101;50\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="--replace-year"):
        call_command(
            "import_survey_population",
            str(path),
            "--year",
            "2026",
            stdout=io.StringIO(),
            stderr=err,
        )

    # 1 of 4 units; 50 employees against 50 (not falling).
    assert err.getvalue().splitlines()[1] == (
        "2026: filen har 1 av 4 enheter som har värden för 2025; saknas: 0102 Hälsocentral "
        "Ursviken, 2001 Kirurgavdelning 1, 2002 Operation."
    )


def test_the_survey_page_requires_confirming_a_partial_new_year(client, hr_user, registers):
    client.force_login(hr_user)
    survey_services.answers_import(data=ANSWERS.encode(), file_name="mu.csv", year=2025)
    client.post(
        reverse("survey:upload"),
        {
            "kind": "answers",
            "year": "2026",
            "file": SimpleUploadedFile("f.csv", ANSWERS_2026_ONE_UNIT.encode()),
        },
    )
    url = reverse(
        "survey:upload_confirm", kwargs={"upload_id": PendingSurveyUpload.objects.get().id}
    )

    page = client.get(url)
    refused = client.post(url, {"confirm": "1"})

    assert page.context["warning"][0] == (
        "Filen täcker klart mindre för 2026, som inte har några sparade värden än, jämfört "
        "med 2025, senaste året med data."
    )
    assert "Importera filen ändå: dess enheter blir allt som finns för året" in (
        page.content.decode()
    )
    assert refused.status_code == 400
    assert "kryssa i att den ska importeras ändå" in refused.content.decode()
    assert not SurveyBatch.objects.filter(year=2026).exists()

    client.post(url, {"confirm": "1", "replace_year": "on"})

    assert SurveyBatch.objects.get(year=2026, is_current=True).row_count == 3

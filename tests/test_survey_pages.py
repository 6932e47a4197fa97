"""The survey page and its CSV downloads: who sees what, anonymity on the page, comparisons.

The data: the five-unit organisation of tests/conftest.py, two survey years.

    2024 respondents   0101: 3   0102: 10   2001: 8   2002: 12   3001: 6
    2023 respondents   0101: 6   0102: 6    2001: 2   2002: 20   3001: 7

In 2024 unit 0101 (3) is too small; 0102 is hidden with it (its department
Primärvård Skellefteå, 13, is shown and would give 0101 as 13 - 10). In 2023
unit 2001 (2) and, with it, 2002 are hidden.
"""

import csv
import io

import pytest
from django.urls import reverse

from kpis.models import Area
from survey import services
from survey.models import HrAccess
from tests.conftest import make_user
from tests.test_security import hostile  # noqa: F401 (fixture)

NSO = "Närsjukvårdsområde Skellefteå"
LSO = "Länssjukvårdsområde 1"
SIZES = {
    2024: {"0101": 3, "0102": 10, "2001": 8, "2002": 12, "3001": 6},
    2023: {"0101": 6, "0102": 6, "2001": 2, "2002": 20, "3001": 7},
}
# Every respondent of a unit answers alike: HME_M1 (1-5) and ENPS (0-10).
ANSWER = {"0101": (1, 0), "0102": (5, 10), "2001": (4, 9), "2002": (3, 7), "3001": (2, 5)}


def answers_file(year: int) -> bytes:
    lines = ["RespondentID;Ansvar;HME_M1;ENPS"]
    for ansvar, count in SIZES[year].items():
        hme, enps = ANSWER[ansvar]
        lines += [f"{year}-{ansvar}-{i};{ansvar};{hme};{enps}" for i in range(count)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def survey(registers):
    for year in (2023, 2024):
        services.answers_import(data=answers_file(year), file_name=f"{year}.csv", year=year)
    services.population_import(
        data=b"Ansvar;Antal medarbetare\n0101;5\n0102;12\n2001;10\n2002;15\n3001;8\n",
        file_name="antal.csv",
        year=2024,
    )


def hr_with(*areas: str, username="hr1"):
    user = make_user(username, "hr")
    access = HrAccess.objects.create(user=user)
    access.areas.set(Area.objects.filter(name__in=areas))
    return user


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def get_csv(client, chart="hme", **params):
    return client.get(reverse("survey:results_csv", args=[chart]), params)


def test_the_page_shows_every_section_for_the_administration(client, survey, styrgrupp_user):
    client.force_login(styrgrupp_user)
    response = client.get(reverse("survey:results"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Medarbetarundersökning 2024 – Hela förvaltningen" in page
    codes = [chart.code for chart in response.context["charts"]]
    assert codes == [
        "svarsfrekvens",
        "hme",
        "hse",
        "psykosocial",
        "psykosocial-teman",
        "enps",
        "enps-fordelning",
    ]
    assert "Inga svar" in page  # HSE: not in the file
    # 39 respondents of 50 employees
    assert response.context["figures"][0]["rate"] == "78,0\u00a0%"


def test_the_steering_group_sees_areas_but_no_departments_or_units(client, survey, styrgrupp_user):
    client.force_login(styrgrupp_user)
    assert client.get(reverse("survey:results"), {"urval": f"area:{NSO}"}).status_code == 200
    for scope in ("department:Kirurgiskt centrum", "unit:2001"):
        assert client.get(reverse("survey:results"), {"urval": scope}).status_code == 404
        assert get_csv(client, urval=scope).status_code == 404
    choices = [
        key
        for _group, items in client.get(reverse("survey:results")).context["scope_choices"]
        for key, _label in items
    ]
    assert "unit:2001" not in choices and f"area:{LSO}" in choices


def test_an_hr_partner_sees_units_of_their_area_only(client, survey):
    client.force_login(hr_with(LSO))
    assert client.get(reverse("survey:results"), {"urval": "unit:2002"}).status_code == 200
    assert get_csv(client, urval="department:Kirurgiskt centrum").status_code == 200
    # Another area's unit or department: as if it did not exist, never the data.
    for scope in ("unit:0102", "department:Primärvård Skellefteå"):
        response = client.get(reverse("survey:results"), {"urval": scope})
        assert response.status_code == 404
        assert get_csv(client, urval=scope).status_code == 404
    # ... but every area's total and the administration.
    assert client.get(reverse("survey:results"), {"urval": f"area:{NSO}"}).status_code == 200


def test_the_hr_strategist_has_every_area(client, survey):
    client.force_login(hr_with(*Area.objects.values_list("name", flat=True)))
    for scope in ("unit:0102", "unit:2001", "unit:3001"):
        assert client.get(reverse("survey:results"), {"urval": scope}).status_code == 200


def test_an_hr_user_without_areas_sees_area_level_only(client, survey, hr_user):
    client.force_login(hr_user)
    assert client.get(reverse("survey:results"), {"urval": f"area:{LSO}"}).status_code == 200
    assert client.get(reverse("survey:results"), {"urval": "unit:2001"}).status_code == 404


def test_a_small_unit_and_its_complement_are_hidden_in_the_csv(client, survey):
    client.force_login(hr_with(NSO))
    rows = csv_rows(get_csv(client, urval="unit:0101"))
    mine = {(r["group"], r["year"]): r for r in rows if r["index"] == "hme"}
    # 0101: 3 respondents in 2024: no value, no count.
    assert mine[("unit:0101", "2024")]["value"] == ""
    assert mine[("unit:0101", "2024")]["respondents"] == ""
    assert mine[("unit:0101", "2024")]["status"] == "hidden"
    # 2023: 6 respondents, all answered 1: (1 - 1) x 25 = 0.
    assert mine[("unit:0101", "2023")]["value"] == "0,00"
    assert mine[("unit:0101", "2023")]["respondents"] == "6"
    # The department (13) is shown: (3 x 0 + 10 x 100) / 13 = 76,92.
    assert mine[("department:Primärvård Skellefteå", "2024")]["value"] == "76,92"
    # The derivation attack: department minus 0102 would give 0101; 0102 is hidden too.
    rows = csv_rows(get_csv(client, urval="unit:0102"))
    other = {(r["group"], r["year"]): r for r in rows if r["index"] == "hme"}
    assert other[("unit:0102", "2024")]["value"] == ""
    assert other[("unit:0102", "2024")]["status"] == "hidden"


def test_last_years_values_follow_last_years_own_units(client, survey):
    """2001 and 2002 are shown in 2024; in 2023 2001 had 2 respondents, so both are hidden
    in the 2023 comparison, though they are shown this year."""
    client.force_login(hr_with(LSO))
    rows = csv_rows(get_csv(client, urval="unit:2002"))
    hme = {(r["group"], r["year"]): r for r in rows if r["index"] == "hme"}
    assert hme[("unit:2002", "2024")]["value"] == "50,00"
    assert hme[("unit:2002", "2023")]["status"] == "hidden"
    assert hme[("department:Kirurgiskt centrum", "2024")]["value"] == "60,00"  # (8·75+12·50)/20


def test_a_group_is_compared_with_its_parents_and_enps_has_its_shares(client, survey):
    client.force_login(hr_with(LSO))
    rows = csv_rows(get_csv(client, "enps-fordelning", urval="unit:2002"))
    groups = list(dict.fromkeys((r["group"], r["year"]) for r in rows))
    assert groups == [
        ("unit:2002", "2024"),
        ("unit:2002", "2023"),
        ("department:Kirurgiskt centrum", "2024"),
        (f"area:{LSO}", "2024"),
        ("hsf", "2024"),
    ]
    shares = {
        r["index"]: r["value"] for r in rows if r["group"] == "unit:2002" and r["year"] == "2024"
    }
    # 2002: 12 respondents, all 7 (passives).
    assert shares == {
        "enps_promoters_pct": "0,00",
        "enps_passives_pct": "100,00",
        "enps_critics_pct": "0,00",
    }
    enps = csv_rows(get_csv(client, "enps", urval="hsf"))
    total = next(r for r in enps if r["group"] == "hsf" and r["year"] == "2024")
    # 2024: promoters 10 (0102) + 8 (2001) = 18, critics 3 + 6 = 9, of 39: 46,15 - 23,08.
    assert total["value"] == "23,08" and total["respondents"] == "39"


def test_enps_hides_what_its_classes_would_give_away(client, survey):
    """2024: 0101's 3 respondents are all critics, and 0102 (shown) has none, so the
    department's critics (3) would be 0101's: Primärvård Skellefteå and its area (the
    same people) are hidden. The administration's critics (9) minus Länssjukvårdsområde
    1's (none) would then give Närsjukvårdsområde Skellefteå's: Tandvården goes, with
    its only department and unit (3001). The administration's promoters (18) minus
    Tandvården's (none) would give the area's: Länssjukvårdsområde 1 goes, that is
    Kirurgiskt centrum, that is 2001 (2002 has no promoters). 2002's counts are
    known from the administration's anyway (all 12 passives of the region): shown."""
    client.force_login(hr_with(NSO, LSO, "Tandvården", username="hr-all"))
    statuses = {}
    for scope in ("unit:0102", "unit:2001", "unit:2002", "unit:3001"):
        for r in csv_rows(get_csv(client, "enps", urval=scope)):
            if r["year"] == "2024":
                statuses[r["group"]] = r["status"]
    assert statuses == {
        "unit:0102": "hidden",
        "department:Primärvård Skellefteå": "hidden",
        f"area:{NSO}": "hidden",
        "unit:2001": "hidden",
        "unit:2002": "shown",
        "department:Kirurgiskt centrum": "hidden",
        f"area:{LSO}": "hidden",
        "unit:3001": "hidden",
        "department:Tandvård Södra Lappland": "hidden",
        "area:Tandvården": "hidden",
        "hsf": "shown",
    }


def test_the_page_never_shows_a_hidden_value(client, survey):
    client.force_login(hr_with(NSO))
    response = client.get(reverse("survey:results"), {"urval": "unit:0101"})
    page = response.content.decode()
    assert "Dold (anonymitet)" in page
    for chart in response.context["charts"]:
        for trace in chart.figure["data"]:
            # First series: unit 0101 in 2024, hidden everywhere.
            if trace["name"] == "0101 Hälsocentral Boliden 2024":
                assert all(x is None for x in trace["x"]), chart.code


def test_unknown_years_and_charts_are_404(client, survey, styrgrupp_user):
    client.force_login(styrgrupp_user)
    assert client.get(reverse("survey:results"), {"ar": "2019"}).status_code == 404
    assert client.get(reverse("survey:results"), {"ar": "2023"}).status_code == 200
    assert get_csv(client, "inget-diagram").status_code == 404


def test_an_empty_survey_shows_an_empty_state(client, registers, hr_user):
    client.force_login(hr_user)
    response = client.get(reverse("survey:results"))
    assert response.status_code == 200
    assert "Inga resultat ännu" in response.content.decode()


def test_the_upload_is_checked_then_confirmed(client, registers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(hr_with(NSO))
    data = answers_file(2024)
    response = client.post(
        reverse("survey:upload"),
        {"kind": "answers", "year": "2024", "file": SimpleUploadedFile("mu.csv", data)},
    )
    assert response.status_code == 302
    confirm = client.get(response["Location"])
    assert "39 svarande i 5 enheter" in confirm.content.decode()
    done = client.post(response["Location"], {"confirm": "1"})
    assert done.status_code == 302
    assert client.get(reverse("survey:results")).status_code == 200

    bad = client.post(
        reverse("survey:upload"),
        {"kind": "answers", "year": "2024", "file": SimpleUploadedFile("mu.csv", b"x;y\n1;2\n")},
    )
    assert bad.status_code == 400
    assert "Kolumnen ”RespondentID” saknas." in bad.content.decode()


def test_hostile_names_are_escaped_and_neutralised_in_page_and_csv(client, hostile):  # noqa: F811
    """Area and department names that a spreadsheet would run (tests/test_security.py)."""
    from tests.test_security import EVIL_AREAS, assert_no_inline_script

    answers = "RespondentID;Ansvar;HME_M1\n" + "".join(
        f"r{ansvar}{i};{ansvar};4\n"
        for ansvar in ("0101", "0102", "2001", "3001", "3002")
        for i in range(6)
    )
    services.answers_import(data=answers.encode(), file_name="mu.csv", year=2024)
    user = hr_with(*Area.objects.values_list("name", flat=True), username="hr-evil")
    client.force_login(user)
    response = client.get(reverse("survey:results"), {"urval": "unit:3002"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert_no_inline_script(response)
    for area in EVIL_AREAS:
        rows = csv_rows(get_csv(client, urval=f"area:{area}"))
        labels = {r["group_label"] for r in rows}
        assert "'" + area in labels and area not in labels


def test_the_cached_results_follow_a_new_threshold_an_undo_and_a_reorganisation(
    client, survey, styrgrupp_user
):
    from survey.models import SurveyBatch, SurveyYear

    client.force_login(styrgrupp_user)

    def hme(scope):
        rows = csv_rows(get_csv(client, urval=scope))
        return next(r for r in rows if r["group"] == scope and r["year"] == "2024")

    assert hme(f"area:{NSO}")["respondents"] == "13"
    SurveyYear.objects.filter(year=2024).update(threshold=20)
    assert hme(f"area:{NSO}")["status"] == "hidden"
    SurveyYear.objects.filter(year=2024).update(threshold=5)
    assert hme(f"area:{NSO}")["respondents"] == "13"

    # Unit 2001 moves to Närsjukvårdsområde Skellefteå's department: the survey years
    # keep the organisation stored with their answers, so nothing shown changes.
    from kpis.models import Department, Unit

    Unit.objects.filter(ansvar="2001").update(
        department=Department.objects.get(name="Primärvård Skellefteå")
    )
    assert hme(f"area:{NSO}")["respondents"] == "13"
    # Answers imported after the move are read with the new tree: 13 + 8.
    services.answers_import(data=answers_file(2024) + b"\n", file_name="again.csv", year=2024)
    assert hme(f"area:{NSO}")["respondents"] == "21"

    # Undone, the year is back to the answers read before the move, and their tree.
    again = SurveyBatch.objects.get(year=2024, kind="answers", is_current=True)
    services.batch_undo(batch_id=again.id)
    assert hme(f"area:{NSO}")["respondents"] == "13"
    answers = SurveyBatch.objects.get(year=2024, kind="answers", is_current=True)
    services.batch_undo(batch_id=answers.id)
    assert client.get(reverse("survey:results"), {"ar": "2024"}).status_code == 404


def test_the_import_decides_what_is_hidden_and_the_page_only_reads_it(
    client, survey, styrgrupp_user, monkeypatch
):
    from django.core.cache import cache

    from survey import protection
    from survey.models import SurveyBatch

    batch = SurveyBatch.objects.get(year=2024, kind="answers", is_current=True)
    key = batch.protection["key"]
    assert key.endswith(":5")  # threshold 5
    hidden = {tuple(value) for value in batch.protection["hidden"]}
    assert {("unit:0101", "hme"), ("unit:0102", "hme")} <= hidden
    assert ("department:Primärvård Skellefteå", "hme") not in hidden

    def audit_again(*args, **kwargs):
        raise AssertionError("the page ran the disclosure audit")

    monkeypatch.setattr(protection, "hidden_values", audit_again)
    cache.clear()
    client.force_login(styrgrupp_user)
    assert client.get(reverse("survey:results"), {"ar": "2024"}).status_code == 200


def test_a_new_threshold_in_the_admin_decides_again(client, survey, superuser):
    from survey.models import SurveyBatch, SurveyYear

    client.force_login(superuser)
    year = SurveyYear.objects.get(year=2024)
    response = client.post(
        reverse("admin:survey_surveyyear_change", args=[year.pk]), {"year": 2024, "threshold": 20}
    )
    assert response.status_code == 302
    batch = SurveyBatch.objects.get(year=2024, kind="answers", is_current=True)
    assert batch.protection["key"].endswith(":20")
    hidden = {tuple(value) for value in batch.protection["hidden"]}
    # Närsjukvårdsområde Skellefteå has 13 respondents: under 20 now.
    assert (f"area:{NSO}", "hme") in hidden


def test_each_year_is_compared_upward_in_its_own_organisation(client, survey, superuser):
    """2001 moves to Primärvård Skellefteå after 2023 was read, and 2024 is read again:
    2024 compares 2001 with its new department and area; 2023 still has it in
    Kirurgiskt centrum (Länssjukvårdsområde 1), whose 2023 values are unchanged."""
    from kpis.models import Department, Unit

    client.force_login(superuser)
    before = csv_rows(get_csv(client, urval="unit:2002", ar="2023"))
    Unit.objects.filter(ansvar="2001").update(
        department=Department.objects.get(name="Primärvård Skellefteå")
    )
    services.answers_import(data=answers_file(2024) + b"\n", file_name="again.csv", year=2024)
    rows = csv_rows(get_csv(client, urval="unit:2001", ar="2024"))
    groups = list(dict.fromkeys((r["group"], r["year"]) for r in rows))
    assert groups == [
        ("unit:2001", "2024"),
        ("unit:2001", "2023"),
        ("department:Primärvård Skellefteå", "2024"),
        (f"area:{NSO}", "2024"),
        ("hsf", "2024"),
    ]
    assert csv_rows(get_csv(client, urval="unit:2002", ar="2023")) == before
    # In 2023 the unit is still under Länssjukvårdsområde 1.
    rows = csv_rows(get_csv(client, urval="unit:2001", ar="2023"))
    assert ("department:Kirurgiskt centrum", "2023") in {(r["group"], r["year"]) for r in rows}

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
        "index-per-grupp",  # HME (the default index) per area
        "index-per-fraga",  # HME question by question
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


# --- one index per group and per question (issue 16) ---------------------------------


def figure_of(response, code):
    return next(chart.figure for chart in response.context["charts"] if chart.code == code)


def test_every_bar_carries_its_value_in_swedish(client, survey, styrgrupp_user):
    """The labels are the table's values: 2024 response rate 39 of 50 = 78,0 %, HME of the
    administration (3·0 + 10·100 + 8·75 + 12·50 + 6·25) / 39 = 60,26."""
    client.force_login(styrgrupp_user)
    response = client.get(reverse("survey:results"))
    rate = figure_of(response, "svarsfrekvens")["data"][0]
    assert rate["text"] == ["78,0\u00a0%"] and rate["textposition"] == "outside"
    hme = figure_of(response, "hme")["data"]
    assert hme[0]["name"] == "Hela förvaltningen 2024"
    assert hme[0]["text"][0] == "60,3"
    # eNPS's shares inside their segments; a label too small to read is left out.
    distribution = figure_of(response, "enps-fordelning")
    assert distribution["data"][0]["textposition"] == "inside"
    assert distribution["layout"]["uniformtext"] == {"minsize": 10, "mode": "hide"}


def test_the_index_per_area_side_by_side(client, survey, styrgrupp_user):
    """HME 2024 per area: Länssjukvårdsområde 1 (8·75 + 12·50) / 20 = 60,00,
    Närsjukvårdsområde Skellefteå (3·0 + 10·100) / 13 = 76,92, Tandvården 6·25 / 6 = 25,00;
    the administration first as the reference."""
    client.force_login(styrgrupp_user)
    response = client.get(reverse("survey:results"))
    chart = next(c for c in response.context["charts"] if c.code == "index-per-grupp")
    assert chart.heading == "HME totalt per område"
    rows = csv_rows(get_csv(client, "index-per-grupp"))
    assert [(r["group"], r["value"], r["respondents"]) for r in rows] == [
        ("hsf", "60,26", "39"),
        (f"area:{LSO}", "60,00", "20"),
        (f"area:{NSO}", "76,92", "13"),
        ("area:Tandvården", "25,00", "6"),
    ]
    trace = chart.figure["data"][0]
    assert trace["text"] == ["60,3", "60,0", "76,9", "25,0"]
    # eNPS: 2024 promoters 10 + 8, critics 3 + 6 of 39: 23,08; every area hidden (their
    # classes would give 0101's away: test_enps_hides_what_its_classes_would_give_away).
    rows = csv_rows(get_csv(client, "index-per-grupp", index="enps"))
    assert [(r["value"], r["status"]) for r in rows] == [("23,08", "shown")] + [("", "hidden")] * 3
    page = client.get(reverse("survey:results"), {"index": "enps"})
    codes = [chart.code for chart in page.context["charts"]]
    assert "index-per-grupp" in codes and "index-per-fraga" not in codes  # one question
    assert client.get(reverse("survey:results"), {"index": "nope"}).status_code == 404
    assert get_csv(client, "index-per-grupp", index="nope").status_code == 404


def test_the_groups_side_by_side_are_those_below_or_beside_that_one_may_see(
    client, survey, styrgrupp_user
):
    def groups(user, scope):
        client.force_login(user)
        return [r["group"] for r in csv_rows(get_csv(client, "index-per-grupp", urval=scope))]

    areas = ["hsf", f"area:{LSO}", f"area:{NSO}", "area:Tandvården"]
    assert groups(styrgrupp_user, "hsf") == areas
    # The steering group sees no departments: an area among the other areas.
    assert groups(styrgrupp_user, f"area:{LSO}") == areas
    hr = hr_with(LSO)
    assert groups(hr, f"area:{LSO}") == [f"area:{LSO}", "department:Kirurgiskt centrum"]
    units = ["department:Kirurgiskt centrum", "unit:2001", "unit:2002"]
    assert groups(hr, "department:Kirurgiskt centrum") == units
    assert groups(hr, "unit:2001") == units  # a unit among its department's units
    # Another area's departments and units are not shown to this HR partner.
    assert groups(hr, f"area:{NSO}") == areas


def test_a_small_groups_value_is_hidden_side_by_side(client, survey):
    """2024: 0101 (3 respondents) and with it 0102 are hidden; their department shows."""
    client.force_login(hr_with(NSO))
    response = client.get(reverse("survey:results"), {"urval": "unit:0101"})
    chart = next(c for c in response.context["charts"] if c.code == "index-per-grupp")
    rows = csv_rows(get_csv(client, "index-per-grupp", urval="unit:0101"))
    assert [(r["group"], r["value"], r["respondents"], r["status"]) for r in rows] == [
        ("department:Primärvård Skellefteå", "76,92", "13", "shown"),
        ("unit:0101", "", "", "hidden"),
        ("unit:0102", "", "", "hidden"),
    ]
    trace = chart.figure["data"][0]
    assert trace["x"] == [pytest.approx(76.923, abs=1e-3), None, None]
    assert trace["text"] == ["76,9", "", ""]
    assert "Dold (anonymitet)" in response.content.decode()


QUESTIONS_2024 = {
    # ansvar: respondents, then each one's (HME_M1, HME_M2, HME_L1); None: not answered.
    "0101": (6, lambda i: (4, 4, 4)),
    "0102": (10, lambda i: (4, 4, 4)),
    # 2001: 8 respondents, only 3 of them answered HME_M2 (item non-response).
    "2001": (8, lambda i: (4, 5 if i < 3 else None, 3)),
    "2002": (12, lambda i: (3, 3, 4)),
    "3001": (6, lambda i: (4, 4, 4)),
}


@pytest.fixture
def questions_survey(registers):
    lines = ["RespondentID;Ansvar;HME_M1;HME_M2;HME_L1"]
    for ansvar, (count, answer) in QUESTIONS_2024.items():
        for i in range(count):
            cells = ["" if a is None else str(a) for a in answer(i)]
            lines.append(f"q-{ansvar}-{i};{ansvar};{';'.join(cells)}")
    data = ("\n".join(lines) + "\n").encode()
    batch, _check = services.answers_import(data=data, file_name="mu.csv", year=2024)
    return batch


def test_a_question_answered_by_fewer_than_the_threshold_is_hidden(client, questions_survey):
    """Unit 2001, 8 respondents: Motivation is shown (8 + 3 answers: 8·75 + 3·100 = 900
    points, 81,82), and Ledarskap, whose only question HME_L1 is (8·50 / 8 = 50,00).
    HME_M2 has 3 answers: hidden; and HME_M1 with it, or Motivation less HME_M1 would
    give it ((900 - 600) / (11 - 8) = 100)."""
    client.force_login(hr_with(LSO))
    response = client.get(reverse("survey:results"), {"urval": "unit:2001", "index": "hme"})
    assert response.status_code == 200
    rows = csv_rows(get_csv(client, "index-per-fraga", urval="unit:2001", index="hme"))
    mine = {r["question"]: r for r in rows if r["group"] == "unit:2001" and r["year"] == "2024"}
    assert [(q, r["value"], r["respondents"], r["status"]) for q, r in mine.items()] == [
        ("HME_M1", "", "", "hidden"),
        ("HME_M2", "", "", "hidden"),
        ("HME_L1", "50,00", "8", "shown"),
    ]
    assert mine["HME_M1"]["index"] == "hme_motivation"
    assert mine["HME_M1"]["question_label"] == "Mitt arbete känns meningsfullt."
    hme = {
        r["index"]: r
        for r in csv_rows(get_csv(client, urval="unit:2001"))
        if r["group"] == "unit:2001" and r["year"] == "2024"
    }
    assert hme["hme_motivation"]["value"] == "81,82"
    # The chart: no bar for a hidden question; the page table says why.
    chart = next(c for c in response.context["charts"] if c.code == "index-per-fraga")
    assert chart.heading == "HME totalt fråga för fråga"
    first = chart.figure["data"][0]
    assert first["name"] == "2001 Kirurgavdelning 1 2024"
    assert first["x"] == [None, None, 50.0] and first["text"] == ["", "", "50,0"]
    # The administration's questions: every unit's answers (HME_M2: 6 + 10 + 3 + 12 + 6).
    total = {r["question"]: r for r in rows if r["group"] == "hsf"}
    assert total["HME_M2"]["respondents"] == "37" and total["HME_M2"]["status"] == "shown"


def test_a_hidden_index_hides_its_questions(client, survey):
    """2024: unit 0101 has 3 respondents: HME and its question HME_M1 are hidden."""
    client.force_login(hr_with(NSO))
    rows = csv_rows(get_csv(client, "index-per-fraga", urval="unit:0101", index="hme"))
    mine = [r for r in rows if r["group"] == "unit:0101" and r["year"] == "2024"]
    assert [(r["question"], r["status"], r["value"]) for r in mine] == [("HME_M1", "hidden", "")]


def test_the_published_tables_with_every_question_give_nothing_away(questions_survey):
    """The attacker's audit (tests/survey_audit.py) over the union of every table the
    year publishes, the per-question values included, built from the stored answers."""
    from survey import selectors
    from tests import survey_audit

    year = selectors.survey_data().year(2024)
    hidden = year.results[year.results["status"] == "hidden"].index
    assert {("unit:2001", "HME_M1"), ("unit:2001", "HME_M2")} <= set(hidden)
    answers, _ids, units = services.stored_answers(year.batch)
    published = survey_audit.union(
        answers, units, year.tree, year.spec.all_measures, year.spec.reversed_codes
    )
    assert any(key[2] == "HME_M2" for key in published.value_of)
    assert survey_audit.exposed(published, year.results) == {}


def test_decisions_of_an_older_rule_are_made_again_with_the_questions(
    client, questions_survey, styrgrupp_user
):
    """A batch decided before the questions were published (protection.VERSION 1) is
    decided again when it is read, and the new decisions are kept."""
    from django.core.cache import cache

    from survey import protection
    from survey.models import SurveyBatch

    batch = questions_survey
    version, _sums, threshold = batch.protection["key"].split(":")
    assert version == str(protection.VERSION) == "3"
    old = [h for h in batch.protection["hidden"] if not h[1].isupper()]
    SurveyBatch.objects.filter(pk=batch.pk).update(
        protection={"key": f"1:{_sums}:{threshold}", "hidden": old}
    )
    cache.clear()
    client.force_login(styrgrupp_user)
    assert client.get(reverse("survey:results")).status_code == 200
    batch.refresh_from_db()
    assert batch.protection["key"].startswith("3:")
    assert ["unit:2001", "HME_M2"] in batch.protection["hidden"]


def test_a_page_in_the_page_cache_is_read_without_loading_the_year(
    client, survey, styrgrupp_user, monkeypatch
):
    """The index asked for is checked against the year's questionnaire when the page is
    computed, not before the page cache is asked: a kept page loads no year."""
    from survey import selectors

    client.force_login(styrgrupp_user)
    first = client.get(reverse("survey:results"), {"index": "enps"})
    assert first.status_code == 200

    def load_year(*args, **kwargs):
        raise AssertionError("the year was loaded")

    monkeypatch.setattr(selectors, "load_year", load_year)
    again = client.get(reverse("survey:results"), {"index": "enps"})
    assert again.status_code == 200
    assert [c.code for c in again.context["charts"]] == [c.code for c in first.context["charts"]]


def test_each_index_is_a_page_of_its_own_in_the_page_cache_and_the_kept_page_is_the_fresh_one(
    client, survey, styrgrupp_user
):
    """The GET index is part of the page cache's key: an index asked for after another is
    computed (a miss), never the other's page; read again it is kept (a hit), byte for byte
    the page computed afresh (but the CSRF tokens), and so is its CSV."""
    from django.core.cache import cache

    from tests.test_dashboard import without_csrf

    client.force_login(styrgrupp_user)
    asked = [
        ("page", {}),
        ("page", {"index": "hme"}),
        ("page", {"index": "enps"}),
        ("page", {"index": "hse"}),
        ("page", {"index": "response_rate", "urval": f"area:{NSO}"}),
        ("page", {"index": "enps", "urval": f"area:{NSO}"}),
        ("index-per-grupp", {"index": "hme"}),
        ("index-per-grupp", {"index": "enps"}),
        ("index-per-fraga", {"index": "hme", "urval": f"area:{NSO}"}),
    ]

    def get(what, params):
        if what == "page":
            response = client.get(reverse("survey:results"), params)
        else:
            response = get_csv(client, what, **params)
        assert response.status_code == 200, (what, params)
        return response.get("X-Hyrdash-Cache"), without_csrf(response.content)

    first = [get(what, params) for what, params in asked]
    # Each was computed; without an index the page is HME's (its own entry: the default is
    # decided with the year's questionnaire, when the page is computed).
    assert {hit for hit, _content in first} == {"miss"}
    contents = [content for _hit, content in first]
    assert len(set(contents)) == len(asked)
    # The same charts (the links keep the query string each was asked with).
    default, hme = (client.get(reverse("survey:results"), p) for p in ({}, {"index": "hme"}))
    assert [(c.code, c.figure) for c in default.context["charts"]] == [
        (c.code, c.figure) for c in hme.context["charts"]
    ]
    assert 'value="enps" selected' in contents[2].decode()
    assert "eNPS per område" in contents[2].decode()
    assert "HME totalt per område" in contents[1].decode()

    kept = [get(what, params) for what, params in asked]
    assert {hit for hit, _content in kept} == {"hit"}
    assert [content for _hit, content in kept] == contents

    cache.clear()
    fresh = [get(what, params) for what, params in asked]
    assert {hit for hit, _content in fresh} == {"miss"}
    assert [content for _hit, content in fresh] == contents

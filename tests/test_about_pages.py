"""The "Om måttet" panel under every chart of the sick-leave page (kpis.sick_leave.about),
the survey page (survey.about) and the placements' hours page (kpis.placements.about):
each chart has one; it names the right source and the import in use, also after a new
import (the pages are in the page cache); the sick-leave limit follows
settings.SICK_LEAVE_MAX_HIDDEN_GROUP, the survey's anonymity the year's threshold.

Data: tests/sick_leave_data.py (2024-01 .. 2025-03, closed through 2025-02) and
tests/test_survey_pages.py's two survey years (threshold 5 by default, employee counts
for 2024 only).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kpis.models import ImportBatch
from kpis.placements.models import PlacementBatch
from kpis.sick_leave import services as sick_leave_services
from survey import services as survey_services
from survey.models import SurveyBatch, SurveyYear
from tests.sick_leave_data import close_through, extract, import_sick_leave
from tests.test_dashboard import costs  # noqa: F401 (fixture)
from tests.test_placements_pages import placements  # noqa: F401 (fixture)
from tests.test_sick_leave_dashboard import CODES as SICK_LEAVE_CODES
from tests.test_survey_pages import answers_file, survey  # noqa: F401 (fixture)


def panels(html: str) -> dict[str, str]:
    """Each chart section's id -> its "Om måttet" panel ("" for none)."""
    found = {}
    for code, body in re.findall(
        r'<section id="([^"]+)" class="chart-section(.*?)</section>', html, re.S
    ):
        panel = re.search(r'<details class="about-measure.*?</details>', body, re.S)
        found[code] = panel.group(0) if panel else ""
    return found


def imported(batch) -> str:
    when = timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M")
    return f"Senaste import: nr {batch.pk}, {when}, {batch.file_name}."


# --- sick leave -----------------------------------------------------------------------------


@pytest.fixture
def sick_leave(registers):
    batch = import_sick_leave()
    close_through("2025-02")
    return batch


def sick_leave_page(client) -> str:
    response = client.get(reverse("kpis:sick_leave"))
    assert response.status_code == 200
    return response.content.decode()


def test_every_sick_leave_chart_explains_its_measure(client, styrgrupp_user, sick_leave):
    client.force_login(styrgrupp_user)
    found = panels(sick_leave_page(client))

    assert list(found) == SICK_LEAVE_CODES
    for code, panel in found.items():
        assert "<summary>Om måttet<span" in panel, code
        assert (
            escape(
                "Sjukfrånvaro: lönesystemets utdrag per månad, enhet, kön och åldersgrupp "
                "(anställda, ordinarie arbetstid och sjuktimmar dag 1–14, 15–59 och 60–), "
                "importerat av HR eller controller. "
            )
            + escape(imported(sick_leave))
            in panel
        ), code
        assert "ÅRL 5 kap. 18 a §" in panel, code
        assert "med högst 10 anställda" in panel and "hade 1–10 anställda" in panel, code
        assert "<dt>Preliminär</dt>" in panel, code
        assert "Stängt till och med februari 2025." in panel, code
        assert "Konton i varje kategori" not in panel, code  # no accounts in sick leave
    assert escape("sjuktimmar ÷ ordinarie arbetstid × 100") in found["sick-leave-r12"]
    duration = found["sick-leave-duration"]
    assert escape("Korttid R12 (%) = sjuktimmar dag 1–14 i sjukperioden") in duration
    assert escape("Långtidsandel R12 (%) = sjuktimmar dag 60 och senare") in duration


def test_the_sick_leave_limit_follows_the_setting(client, styrgrupp_user, sick_leave, settings):
    settings.SICK_LEAVE_MAX_HIDDEN_GROUP = 12
    client.force_login(styrgrupp_user)
    for code, panel in panels(sick_leave_page(client)).items():
        assert "med högst 12 anställda" in panel and "hade 1–12 anställda" in panel, code
        assert "högst 10" not in panel, code


def test_after_a_new_sick_leave_import_the_panels_name_it(client, styrgrupp_user, sick_leave):
    client.force_login(styrgrupp_user)
    assert escape(imported(sick_leave)) in sick_leave_page(client)  # now in the page cache

    newer, _check = sick_leave_services.sick_leave_import(
        data=extract() + b"\n", file_name="rattelse.csv"
    )
    assert newer.pk != sick_leave.pk
    found = panels(sick_leave_page(client))
    for code, panel in found.items():
        assert escape(imported(newer)) in panel, code
        assert f"nr {sick_leave.pk}," not in panel, code


def test_no_sick_leave_month_closed_says_so(client, styrgrupp_user, registers):
    import_sick_leave()
    client.force_login(styrgrupp_user)
    for code, panel in panels(sick_leave_page(client)).items():
        assert "Ingen månad är stängd ännu." in panel, code


# --- the survey ----------------------------------------------------------------------------


def survey_page(client, **params) -> str:
    response = client.get(reverse("survey:results"), params)
    assert response.status_code == 200
    return response.content.decode()


def current(year: int, kind: str) -> SurveyBatch:
    return SurveyBatch.objects.get(year=year, kind=kind, is_current=True)


def test_every_survey_chart_explains_its_measure(client, survey, styrgrupp_user):  # noqa: F811
    client.force_login(styrgrupp_user)
    found = panels(survey_page(client))

    assert "svarsfrekvens" in found and "enps" in found and "index-per-grupp" in found
    answers = current(2024, "answers")
    population = current(2024, "population")
    threshold = SurveyYear.objects.get(year=2024).threshold
    for code, panel in found.items():
        assert "<summary>Om måttet<span" in panel, code
        assert (
            escape(
                "Svar: medarbetarundersökningens svarsfil för 2024, en rad per respondent med "
                "enhet och svar, importerad av HR. "
            )
            + escape(imported(answers))
            in panel
        ), code
        assert escape(imported(population)) in panel, code
        assert f"färre än {threshold} svarande" in panel, code
        assert "<dt>Preliminär</dt>" not in panel, code
    assert (
        escape("Svarsfrekvens (%) = svarande ÷ antal medarbetare × 100") in found["svarsfrekvens"]
    )
    assert escape("(svar − 1) × 25") in found["hme"]
    assert escape("summan av poängen för alla svar på indexets frågor ÷ antalet") in found["hme"]
    assert escape("eNPS = andel ambassadörer (%) − andel kritiker (%)") in found["enps"]
    assert "ambassadörer 9–10, passiva 7–8, kritiker 0–6" in found["enps-fordelning"]
    # chart 8 explains the chosen index: HME by default, eNPS when chosen
    assert escape("HME totalt för grupperna sida vid sida") in found["index-per-grupp"]
    enps = panels(survey_page(client, index="enps"))["index-per-grupp"]
    assert escape("eNPS = andel ambassadörer (%)") in enps


def test_a_year_without_employee_counts_says_so(client, survey, styrgrupp_user):  # noqa: F811
    client.force_login(styrgrupp_user)
    for code, panel in panels(survey_page(client, ar="2023")).items():
        assert escape(imported(current(2023, "answers"))) in panel, code
        assert (
            escape("Antal medarbetare per enhet för 2023 (för svarsfrekvensen). Ingen import ännu.")
            in panel
        ), code


def test_the_survey_threshold_follows_the_year(client, survey, styrgrupp_user):  # noqa: F811
    SurveyYear.objects.filter(year=2024).update(threshold=7)
    client.force_login(styrgrupp_user)
    for code, panel in panels(survey_page(client)).items():
        assert "färre än 7 svarande" in panel, code


def test_after_a_new_survey_import_the_panels_name_it(client, survey, styrgrupp_user):  # noqa: F811
    client.force_login(styrgrupp_user)
    before = current(2024, "answers")
    assert escape(imported(before)) in survey_page(client)  # now in the page cache

    survey_services.answers_import(data=answers_file(2024) + b"\n", file_name="igen.csv", year=2024)
    newer = current(2024, "answers")
    assert newer.pk != before.pk
    for code, panel in panels(survey_page(client)).items():
        assert escape(imported(newer)) in panel, code
        assert f"nr {before.pk}," not in panel, code


# --- the placements' hours --------------------------------------------------------------


def test_the_hours_chart_names_both_sources(client, registers, superuser):
    client.force_login(superuser)
    response = client.get(reverse("placements:hours"))
    assert response.status_code == 200
    found = panels(response.content.decode())
    assert list(found) == ["placement-hours"]
    panel = found["placement-hours"]
    assert escape("Skillnad = bemanningssystemets timmar − huvudbokens timmar.") in panel
    assert not PlacementBatch.objects.exists()
    assert not ImportBatch.objects.filter(kind="actuals").exists()
    assert (
        escape(
            "Placeringar: bemanningssystemets utdrag, importerat av bemanning. Ingen import ännu."
        )
        in panel
    )
    assert "Utfall: ekonomisystemets huvudbok" in panel


def test_the_hours_chart_names_the_imports_in_use(client, placements, costs, superuser):  # noqa: F811
    client.force_login(superuser)
    panel = panels(client.get(reverse("placements:hours")).content.decode())["placement-hours"]
    placed = PlacementBatch.objects.get()
    ledger = ImportBatch.objects.filter(kind="actuals").latest("created_at")
    assert (
        escape("Placeringar: bemanningssystemets utdrag, importerat av bemanning. ")
        + escape(imported(placed))
        in panel
    )
    assert escape(imported(ledger)) in panel


def test_the_panels_are_english_in_english(client, styrgrupp_user, sick_leave, survey):  # noqa: F811
    client.force_login(styrgrupp_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for html in (sick_leave_page(client), survey_page(client)):
        for code, panel in panels(html).items():
            assert "<summary>About the measure<span" in panel, code
            assert "Latest import: no. " in panel, code
            assert "Senaste import" not in panel and "Om måttet" not in panel, code
    sick = panels(sick_leave_page(client))["sick-leave-r12"]
    assert "no sick leave is reported for a group of at most 10 employees" in sick
    assert "Preliminary means that the month is not closed" in sick
    assert "fewer than 5 respondents" in panels(survey_page(client))["hme"]

"""The survey's slides in the steering pack (survey.pack) under the survey's disclosure
decisions and each year's own organisation (survey.protection, SurveyBatch.organisation).

The `registers` organisation (tests/conftest.py). 2023 is read with it; then Tandvård
Södra Lappland (unit 3001) moves from Tandvården to a new area, Nytt område, and 2024 is
read. Every respondent of a unit answers alike (HME_M1 on 1-5):

    unit  area 2023 / 2024                  respondents 2023  2024  HME_M1
    0101  Närsjukvårdsområde Skellefteå     6                 6     1
    0102  Närsjukvårdsområde Skellefteå     6                 6     5
    2001  Länssjukvårdsområde 1             6                 8     4
    2002  Länssjukvårdsområde 1             10                12    3
    3001  Tandvården / Nytt område          7                 3     2

HME = 100 x (answer - 1) / 4: 0, 100, 75, 50, 25. 2024 by hand: Nytt område has 3 respondents (under 5: hidden). The administration
(35) minus Närsjukvårdsområde Skellefteå (12) minus Länssjukvårdsområde 1 (20) would give
it away, so one of the two other areas is hidden with it (a complement, decided at the
import); the pack shows neither. 2023: every area shown; HME of Länssjukvårdsområde 1 =
(6 x 75 + 10 x 50) / 16 = 59,375, of the administration (6 x 0 + 6 x 100 + 6 x 75 +
10 x 50 + 7 x 25) / 35 = 1 725 / 35 = 49,29, of Tandvården 25.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kpis.models import Area, Department
from survey import exports, pack, services
from survey.models import SurveyBatch

NSO = "Närsjukvårdsområde Skellefteå"
LSO = "Länssjukvårdsområde 1"
SIZES = {
    2023: {"0101": 6, "0102": 6, "2001": 6, "2002": 10, "3001": 7},
    2024: {"0101": 6, "0102": 6, "2001": 8, "2002": 12, "3001": 3},
}
HME_M1 = {"0101": 1, "0102": 5, "2001": 4, "2002": 3, "3001": 2}


def answers_file(year: int) -> bytes:
    lines = ["RespondentID;Ansvar;HME_M1"]
    for ansvar, count in SIZES[year].items():
        lines += [f"{year}-{ansvar}-{i};{ansvar};{HME_M1[ansvar]}" for i in range(count)]
    return ("\n".join(lines) + "\n").encode()


def section(scope: str, month: str):
    return pack.pack_section(scope=scope, month=pd.Period(month, freq="M"), comment=lambda c: None)


def hme_chart(slides) -> dict[str, list]:
    """The HME slide's chart: series name (group and year) -> values."""
    (slide,) = [
        s for s in slides if s.title.startswith("Medarbetarundersökning") and "HME" in s.title
    ]
    return {series.name: list(series.values) for series in slide.chart.series}


@pytest.fixture
def survey(registers):
    services.answers_import(data=answers_file(2023), file_name="2023.csv", year=2023)
    before = section(f"area:{LSO}", "2023-03")
    new = Area.objects.create(name="Nytt område")
    Department.objects.filter(name="Tandvård Södra Lappland").update(area=new)
    services.answers_import(data=answers_file(2024), file_name="2024.csv", year=2024)
    return before


def test_the_pack_hides_what_the_survey_decided_complements_included(survey):
    batch = SurveyBatch.objects.get(year=2024, kind="answers", is_current=True)
    hidden = {tuple(value) for value in batch.protection["hidden"]}
    assert ("area:Nytt område", "hme") in hidden  # 3 respondents
    complements = {f"area:{NSO}", f"area:{LSO}"} & {g for g, m in hidden if m == "hme"}
    assert len(complements) == 1  # 12 and 20 respondents: hidden only as a complement
    (complement,) = complements
    data = exports.load()
    for scope in ("area:Nytt område", f"area:{NSO}", f"area:{LSO}"):
        slides, _provenance = section(scope, "2024-03")
        chart = hme_chart(slides)
        for name, values in chart.items():
            group = scope if not name.startswith("Hela") else "hsf"
            year = int(name.rsplit(" ", 1)[1])
            table = exports.build(data, scope=group, year=year).set_index("index")
            if (group, "hme") in hidden and year == 2024:
                assert values[0] is None, (scope, name)
                assert table.at["hme", "suppressed"] == 1
            else:
                assert values[0] == round(float(table.at["hme", "value"]), 2), (scope, name)
    slides, _provenance = section(complement, "2024-03")
    assert hme_chart(slides)[f"{complement[5:]} 2024"][0] is None
    assert hme_chart(slides)["Hela förvaltningen 2024"][0] is not None


def test_each_year_of_the_pack_is_in_its_own_organisation(survey):
    # Nytt område did not exist in 2023: no 2023 bar, and no error.
    slides, _provenance = section("area:Nytt område", "2024-03")
    assert list(hme_chart(slides)) == ["Nytt område 2024", "Hela förvaltningen 2024"]
    # Tandvården has no units in 2024's organisation, but had 3001 in 2023's.
    assert section("area:Tandvården", "2024-03") == (
        [],
        [("Medarbetarundersökning", "inga enheter i urvalet")],
    )
    slides, _provenance = section("area:Tandvården", "2023-03")
    # HME and Motivation (the only question); Ledarskap and Styrning without answers.
    assert hme_chart(slides) == {
        "Tandvården 2023": [25.0, 25.0, None, None],
        "Hela förvaltningen 2023": [49.29, 49.29, None, None],  # 1 725 / 35 = 49,29
    }
    # 2023's slides of an area the move did not touch are what they were before it.
    slides, _provenance = section(f"area:{LSO}", "2024-03")
    assert list(hme_chart(slides)) == [f"{LSO} 2024", f"{LSO} 2023", "Hela förvaltningen 2024"]
    assert hme_chart(slides)[f"{LSO} 2023"] == [59.38, 59.38, None, None]
    assert section(f"area:{LSO}", "2023-03") == survey

"""export_kpi survey: the index codes, values with their respondents, suppression, errors.

The data of tests/test_survey_pages.py: two years in the five-unit organisation.
"""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.test_survey_pages import survey  # noqa: F401 (fixture)

HEADER = "index,value,respondents,suppressed"
CODES = [
    "response_rate",
    "hme",
    "hme_motivation",
    "hme_ledarskap",
    "hme_styrning",
    "hse",
    "hse_10",
    "hse_11",
    "enps",
    "enps_promoters_pct",
    "enps_passives_pct",
    "enps_critics_pct",
    "dim_organisering",
    "tema_rollkonflikter",
    "tema_inflytande",
    "tema_forutsagbarhet",
    "tema_utfora",
    "tema_rolltydlighet",
    "dim_krav",
    "tema_emotionella_krav",
    "tema_arbetsmangd",
    "dim_relationer",
    "tema_samarbete",
    "tema_tillit",
    "tema_rattvisa",
    "tema_ledarkvalitet",
    "tema_stod_chef",
    "dim_forandringar",
    "tema_forandringar",
    "dim_halsa",
    "tema_arbete_privatliv",
    "tema_stress",
]


def export(*args: str) -> dict[str, dict]:
    out = io.StringIO()
    call_command("export_kpi", "survey", *args, stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == HEADER
    return {row["index"]: row for row in csv.DictReader(io.StringIO(text))}


def test_it_exports_every_index_code_of_the_questionnaire(survey):  # noqa: F811
    rows = export("--year", "2024")
    assert list(rows) == CODES
    # HME_M1 only: 0101 3 x 0, 0102 10 x 100, 2001 8 x 75, 2002 12 x 50, 3001 6 x 25
    # = (1000 + 600 + 600 + 150) / 39 = 60.256...
    assert rows["hme"] == {"index": "hme", "value": "60.26", "respondents": "39", "suppressed": "0"}
    assert rows["hme_motivation"]["value"] == "60.26"
    # 39 respondents of 50 employees.
    assert rows["response_rate"]["value"] == "78.00"
    # Promoters 18, passives 12, critics 9 of 39.
    assert rows["enps_promoters_pct"]["value"] == "46.15"
    assert rows["enps_passives_pct"]["value"] == "30.77"
    assert rows["enps_critics_pct"]["value"] == "23.08"
    assert rows["enps"]["value"] == "23.08"
    # No HSE in the file: no value, nobody answered, nothing suppressed.
    assert rows["hse"] == {"index": "hse", "value": "", "respondents": "0", "suppressed": "0"}


def test_it_suppresses_small_groups_and_their_complements(survey):  # noqa: F811
    for scope in ("unit:0101", "unit:0102"):
        rows = export("--year", "2024", "--scope", scope)
        assert rows["hme"] == {"index": "hme", "value": "", "respondents": "", "suppressed": "1"}
        assert rows["enps_critics_pct"]["suppressed"] == "1"
    shown = export("--year", "2024", "--scope", "department:Primärvård Skellefteå")
    assert shown["hme"]["respondents"] == "13"
    # 2023: 2001 had 2 respondents; 2002 goes with it.
    assert export("--year", "2023", "--scope", "unit:2002")["hme"]["suppressed"] == "1"
    assert export("--year", "2024", "--scope", "unit:2002")["hme"]["value"] == "50.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2019"], "Det finns ingen medarbetarundersökning för 2019."),
        ([], "Serien survey kräver --year ÅÅÅÅ."),
        (
            ["--year", "2024", "--month", "2024-01"],
            "Serien survey tar --year, inte --month, --from eller --to.",
        ),
        (["--year", "2024", "--scope", "unit:9999"], "Enheten 9999 finns inte."),
        (
            ["--year", "2024", "--scope", "care:tandvård"],
            "Okänt urval care:tandvård: använd hsf, area:<område>, department:<verksamhet> eller unit:<ansvar>.",
        ),
    ],
)
def test_it_refuses_bad_arguments_in_swedish(survey, args, message):  # noqa: F811
    with pytest.raises(CommandError) as caught:
        call_command("export_kpi", "survey", *args, stdout=io.StringIO())
    assert str(caught.value) == message


def test_cost_series_take_no_year(registers):
    with pytest.raises(CommandError, match="Serien agency-r12 tar inte --year."):
        call_command("export_kpi", "agency-r12", "--year", "2024", stdout=io.StringIO())

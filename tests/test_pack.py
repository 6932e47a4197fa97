"""The steering pack (kpis.pack): the built .pptx opened again with python-pptx and
openpyxl, every chart's numbers against the series `export_kpi` prints, on the data set
of tests/pack_data.py (worked out by hand there).

The data set is imported and every pack and export built once for the module, inside a
transaction that is rolled back: the tests only read the files and the CSV texts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command
from django.db import transaction
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from hyrdash.lib.formatting import MINUS, NBSP
from kpis.models import PackText
from kpis.pack.services import pack_build, pack_scope
from tests import pack_data
from tests.conftest import ORG_CSV, ROOT
from tests.test_deck import pdf_pages

# The module's data is made once (`built`); marked so that pytest-django sets up the test
# database at all: it only does for a session with tests that ask for one.
pytestmark = pytest.mark.django_db

MONTH = pd.Period(pack_data.MONTH, freq="M")
BUILT = dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC)  # 10:00 in Stockholm
NSO = "Närsjukvårdsområde Skellefteå"
TEXTS = [
    (
        2,
        "Prioriterade åtgärder",
        "Stärka chefer och deras förutsättningar att leda\n  ST-tjänster i primärvården",
    ),
    (1, "Summering pågående aktiviteter", "• Lönesatsningar\n• Nationell upphandling"),
]
TITLES = [
    "Inhyrd personal – mars 2026",
    "Kostnader hyrpersonal ack mars 2026 jämfört med samma period 2025 (mkr) – Hela förvaltningen",
    "Kostnader hyrpersonal per månad 2024–mars 2026 (mkr) – Hela förvaltningen",
    "Kostnader hyrpersonal R12 – ack mars 2026 (tkr) – Hela förvaltningen",
    "Kostnaden för hyrpersonal / kostnaden för egen personal R12 (SKR-mått) – Hela förvaltningen",
    "Vad krävs för att nå målet 2026? – Hela förvaltningen",
    "SKR-måttet R12 per vårdtyp och område",
    "Kostnaden för hyrpersonal R12 per område (mkr) – Hela förvaltningen",
    "Personalkostnader Hela förvaltningen 2026, utfall och budget per månad jämfört med 2025 (tkr)",
    "Personalkostnader Sjukhusvård 2026, utfall och budget per månad jämfört med 2025 (tkr)",
    "Personalkostnader Primärvård 2026, utfall och budget per månad jämfört med 2025 (tkr)",
    "Kostnad för hyrpersonal jan–mar 2026 per verksamhet och yrke jämfört med jan–mar 2025 (tkr)"
    " – Hela förvaltningen",
    "Köpta hyrtimmar per månad och yrke – Hela förvaltningen",
    "Summering pågående aktiviteter",
    "Prioriterade åtgärder",
    "Nationell jämförelse – andel hyrpersonal per region 2026-Q1",
    "Sjukfrånvaro R12 – ack mars 2026 (%) – Hela förvaltningen",
    "Medarbetarundersökning 2026: svarsfrekvens – Hela förvaltningen",
    "Medarbetarundersökning 2026: HME – Hela förvaltningen",
    "Medarbetarundersökning 2026: HSE – Hela förvaltningen",
    "Medarbetarundersökning 2026: rekommendation (eNPS) – Hela förvaltningen",
    "Underlag",
]
EXPORTS = {
    "ytd": ("agency-ytd", "--month", "2026-03"),
    "monthly": ("agency-monthly", "--to", "2026-03"),
    "r12": ("agency-r12", "--to", "2026-03"),
    "skr": ("skr-measure", "--to", "2026-03"),
    "r12-area": ("agency-r12-by-area", "--to", "2026-03"),
    "department": ("agency-by-department", "--from", "2026-01", "--to", "2026-03"),
    "hours": ("agency-hours", "--from", "2025-01", "--to", "2026-03"),
    "target-path": ("skr-target-path", "--month", "2026-03"),
    "projection": ("skr-projection", "--month", "2026-03"),
    "sick-leave": ("sick-leave", "--by", "area", "--to", "2026-03"),
    "survey-2026": ("survey", "--year", "2026"),
    "survey-2025": ("survey", "--year", "2025"),
    "survey-nso": ("survey", "--year", "2026", "--scope", f"area:{NSO}"),
}
SKR_SCOPES = [
    ("Hela förvaltningen", "hsf"),
    ("Sjukhusvård", "care:sjukhusvård"),
    ("Primärvård", "care:primärvård"),
    ("Tandvård", "care:tandvård"),
    ("Länssjukvårdsområde 1", "area:Länssjukvårdsområde 1"),
    (NSO, f"area:{NSO}"),
    ("Tandvården", "area:Tandvården"),
]
PERSONNEL = {8: "hsf", 9: "care:sjukhusvård", 10: "care:primärvård"}


def export(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("export_kpi", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The packs and exports of the data set; the database is rolled back afterwards."""
    folder = tmp_path_factory.mktemp("pack")
    (folder / "org.csv").write_text(ORG_CSV, encoding="utf-8")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_accounts", str(ROOT / "fixtures" / "konton.csv"), stdout=None)
        call_command("import_org", str(folder / "org.csv"), stdout=io.StringIO())
        pack_data.load()
        for order, title, text in TEXTS:
            PackText.objects.create(
                period=dt.date(2026, 3, 1), scope="hsf", order=order, title=title, text=text
            )
        result = {name: export(*args) for name, args in EXPORTS.items()}
        for _label, key in SKR_SCOPES:
            result[f"skr {key}"] = export("skr-measure", "--scope", key, "--from", "2025-03")
        for key in PERSONNEL.values():
            result[f"personnel {key}"] = export(
                "personnel-cost", "--scope", key, "--from", "2026-01", "--to", "2026-12"
            )
        for name, scope, when in [
            ("hsf", "hsf", BUILT),
            ("hsf again", "hsf", BUILT),
            ("hsf later", "hsf", BUILT + dt.timedelta(days=3)),
            ("nso", f"area:{NSO}", BUILT),
            ("primary care", "care:primärvård", BUILT),
        ]:
            result[name] = pack_build(month=MONTH, scope=pack_scope(scope), built=when).content
        transaction.set_rollback(True)
    return result


@pytest.fixture(scope="module")
def deck(built):
    return Presentation(io.BytesIO(built["hsf"]))


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def has_chart(slide) -> bool:
    return any(shape.has_chart for shape in slide.shapes)


def chart_of(slide):
    (chart,) = [shape.chart for shape in slide.shapes if shape.has_chart]
    return chart


def values(chart) -> dict[str, list]:
    """Series name -> values as drawn (None where a point has no value)."""
    return {s.name: list(s.values) for s in chart.plots[0].series}


def categories(chart) -> list[str]:
    return list(chart.plots[0].categories)


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def close(drawn, expected, unit: float, decimals: int) -> bool:
    """A drawn value equals the export's within the rounding of the unit shown."""
    if expected is None:
        return drawn is None
    return drawn is not None and abs(drawn - expected / unit) <= 0.5 * 10**-decimals + 1e-9


def assert_series(drawn: list, expected: list, unit: float = 1, decimals: int = 3) -> None:
    assert len(drawn) == len(expected)
    wrong = [
        (d, e) for d, e in zip(drawn, expected, strict=True) if not close(d, e, unit, decimals)
    ]
    assert not wrong, wrong


def workbook_columns(chart) -> dict[str, list]:
    """The chart's embedded workbook: header -> the cells below it, as stored."""
    blob = chart.part.chart_workbook.xlsx_part.blob
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    columns = list(sheet.iter_cols(values_only=True))
    return {column[0]: list(column[1:]) for column in columns if column[0] is not None}


# --- the slides -------------------------------------------------------------------------


def test_the_pack_has_the_decks_slides_in_their_order(deck):
    assert [slide.shapes.title.text for slide in deck.slides] == TITLES


def test_each_chart_is_a_native_chart_of_its_kind(deck):
    kinds = {i: chart_of(s).chart_type for i, s in enumerate(deck.slides) if has_chart(s)}
    assert kinds == {
        1: XL_CHART_TYPE.COLUMN_CLUSTERED,  # year to date per profession
        2: XL_CHART_TYPE.LINE_MARKERS,  # per month, a line per year
        3: XL_CHART_TYPE.LINE_MARKERS,  # R12
        4: XL_CHART_TYPE.LINE_MARKERS,  # the SKR measure and its target
        5: XL_CHART_TYPE.LINE_MARKERS,  # the target path: the year, projected to December
        6: XL_CHART_TYPE.BAR_CLUSTERED,  # the SKR measure per scope
        7: XL_CHART_TYPE.LINE_MARKERS,  # R12 per area
        8: XL_CHART_TYPE.COLUMN_CLUSTERED,  # personnel cost x 3
        9: XL_CHART_TYPE.COLUMN_CLUSTERED,
        10: XL_CHART_TYPE.COLUMN_CLUSTERED,
        11: XL_CHART_TYPE.BAR_CLUSTERED,  # per department and profession
        12: XL_CHART_TYPE.LINE_MARKERS,  # purchased hours
        15: XL_CHART_TYPE.BAR_CLUSTERED,  # the national comparison
        16: XL_CHART_TYPE.LINE_MARKERS,  # sick leave R12
        17: XL_CHART_TYPE.BAR_CLUSTERED,  # survey: response rate
        18: XL_CHART_TYPE.COLUMN_CLUSTERED,  # HME
        19: XL_CHART_TYPE.COLUMN_CLUSTERED,  # HSE
        20: XL_CHART_TYPE.BAR_CLUSTERED,  # eNPS
    }
    assert not any(shape.shape_type == 13 for s in deck.slides for shape in s.shapes)  # pictures


def test_the_title_slide_names_region_scope_month_and_that_it_is_preliminary(deck):
    assert texts(deck.slides[0]) == [
        "Inhyrd personal – mars 2026",
        "Region Västerbotten – Hela förvaltningen",
        "Styrgruppen för minskad hyrbemanning\n"
        "Preliminär: mars 2026 är inte stängd och siffrorna kan ändras.",
    ]


def test_the_headlines_say_what_the_decks_say(deck):
    headlines = {i: texts(s)[2] for i, s in enumerate(deck.slides) if has_chart(s)}
    n = NBSP
    assert headlines[1] == (
        f"Läkare: +{n}0,6{n}mkr, ökning 20,0{n}% · Ssk/Bm: {MINUS}{n}0,3{n}mkr, minskning 20,0{n}%"
    )
    assert headlines[2] == f"Mars 2026: 1,7{n}mkr · mars 2025: 1,6{n}mkr"
    assert headlines[3] == f"R12 mars 2026: 19{n}500{n}tkr · mars 2025: –"
    assert headlines[4] == f"Mars 2026: 2,95{n}% · mål 2026: 3,44{n}%"
    assert headlines[8] == (
        f"Utfall ack mars 2026: 170{n}100{n}tkr · budget: 33{n}000{n}tkr · 2025: 169{n}800{n}tkr"
    )
    assert headlines[11] == f"Jan–mar 2026: 5{n}100{n}tkr · jan–mar 2025: 4{n}800{n}tkr"
    assert headlines[12] == "Mars 2026: 16 timmar · mars 2025: 16 timmar"
    assert headlines[15] == f"Region Västerbotten 3,9{n}%, plats 2 av 3 · riket 2,5{n}%"
    assert headlines[17] == f"Antal svar: 27 | Antal medarbetare: 40 | Svarsfrekvens: 67,5{n}%"
    assert headlines[18] == "HME totalt Hela förvaltningen 2026: 66,7 (2025: 50,0)"
    assert headlines[19] == "HSE-index Hela förvaltningen 2026: 72,2 (2025: 50,0)"
    assert headlines[20] == (
        f"eNPS Hela förvaltningen 2026: 22,2 (kritiker 18,5{n}%, passiva 40,7{n}%, "
        f"ambassadörer 40,7{n}%)"
    )
    assert texts(deck.slides[1])[3].startswith(
        f"Övriga: 0,0{n}mkr, oförändrat. Totalt 5,1{n}mkr (2025: 4,8{n}mkr), +{n}0,3{n}mkr, "
        f"ökning 6,3{n}%."
    )


def test_each_chart_carries_the_months_comment_once(deck):
    comments = {
        i: [t for t in texts(s) if t in pack_data.COMMENTS.values()]
        for i, s in enumerate(deck.slides)
    }
    assert {i: found for i, found in comments.items() if found} == {
        1: [pack_data.COMMENTS["agency-ytd"]],
        4: [pack_data.COMMENTS["skr-measure"]],
        # The administration's personnel cost only: comments have no scope yet.
        8: [pack_data.COMMENTS["personnel-cost"]],
        16: [pack_data.COMMENTS["sick-leave-r12"]],
        18: [pack_data.COMMENTS["hme"]],
    }


def test_preliminary_months_are_starred_with_a_note(deck):
    assert categories(chart_of(deck.slides[3]))[-1] == "mar 2026*"
    assert categories(chart_of(deck.slides[3]))[-2] == "feb 2026"
    assert "* Preliminär: mar 2026" in texts(deck.slides[3])
    assert categories(chart_of(deck.slides[8]))[:4] == ["jan", "feb", "mar*", "apr"]
    assert texts(deck.slides[1])[3].endswith("Preliminär: mar 2026.")


def test_the_controllers_text_slides_come_in_their_order_with_their_bullets(deck):
    first, second = deck.slides[13], deck.slides[14]
    body = first.placeholders[1].text_frame
    assert [p.text for p in body.paragraphs] == ["Lönesatsningar", "Nationell upphandling"]
    body = second.placeholders[1].text_frame
    assert [(p.text, p.level) for p in body.paragraphs] == [
        ("Stärka chefer och deras förutsättningar att leda", 0),
        ("ST-tjänster i primärvården", 1),
    ]


# --- the numbers are export_kpi's ---------------------------------------------------------


def test_year_to_date_per_profession_is_the_exports_in_mkr(deck, built):
    rows = {r["profession"]: r for r in built["ytd"]}
    drawn = values(chart_of(deck.slides[1]))
    assert categories(chart_of(deck.slides[1])) == ["Läkare", "Ssk/Bm", "Övriga"]
    codes = ["hyr_lakare", "hyr_ssk_bm", "hyr_ovriga"]
    assert_series(drawn["2025"], [number(rows[c]["ytd_prev_sek"]) for c in codes], 1e6)
    assert_series(drawn["2026"], [number(rows[c]["ytd_sek"]) for c in codes], 1e6)
    assert drawn["2026"] == [3.6, 1.2, 0.3]  # by hand


def test_cost_per_month_is_the_exports_summed_over_professions_in_mkr(deck, built):
    totals: dict[str, float] = {}
    for r in built["monthly"]:
        totals[r["month"]] = totals.get(r["month"], 0.0) + float(r["amount_sek"])
    drawn = values(chart_of(deck.slides[2]))
    assert list(drawn) == ["2025", "2026"]  # 2024 has no data
    for year in (2025, 2026):
        expected = [totals.get(f"{year}-{m:02d}") for m in range(1, 13)]
        assert_series(drawn[str(year)], expected, 1e6)
    assert drawn["2026"][:4] == [1.7, 1.7, 1.7, None]


def test_r12_and_the_skr_measure_are_the_exports(deck, built):
    r12 = [r for r in built["r12"] if r["agency_r12_sek"]]
    chart = chart_of(deck.slides[3])
    assert categories(chart) == ["dec 2025", "jan 2026", "feb 2026", "mar 2026*"]
    assert_series(values(chart)["Kostnad R12"], [number(r["agency_r12_sek"]) for r in r12], 1e3, 1)
    skr = [r for r in built["skr"] if r["ratio_pct"]]
    drawn = values(chart_of(deck.slides[4]))
    assert_series(drawn["SKR-mått"], [number(r["ratio_pct"]) for r in skr])
    assert_series(drawn["Mål"], [number(r["target_pct"]) for r in skr])
    assert drawn["SKR-mått"][-1] == pytest.approx(2.955, abs=0.0005)


def test_the_target_path_is_the_exports_with_its_answer(deck, built):
    """By hand (tests/pack_data.py), March 2026 for the administration: own staff R12 at
    December = 3 x 55 000 000 + 9 x 11 000 000 (budget) = 264 000 000; agency January-
    March 3 x 1 700 000 = 5 100 000; allowed (3,44 % x 264 000 000 - 5 100 000) / 9 =
    (9 081 600 - 5 100 000) / 9 = 442 400 a month; run rate 1 700 000; December
    (5 100 000 + 9 x 1 700 000) / 264 000 000 = 7,727 %."""
    slide = deck.slides[5]
    (row,) = built["target-path"]
    assert {k: number(v) for k, v in row.items()} == {
        "year": 2026,
        "target_pct": 3.44,
        "months_left": 9,
        "agency_ytd_sek": 5_100_000,
        "own_staff_r12_dec_sek": 264_000_000,
        "agency_allowed_per_month_sek": 442_400,
        "agency_run_rate_per_month_sek": 1_700_000,
        "projected_pct": 7.727,
    }
    chart = chart_of(slide)
    assert categories(chart) == [
        "jan", "feb", "mar*", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"
    ]  # fmt: skip
    drawn = values(chart)
    skr = {r["month"]: number(r["ratio_pct"]) for r in built["skr"]}
    assert_series(drawn["SKR-mått R12"][:3], [skr[f"2026-0{m}"] for m in (1, 2, 3)])
    assert drawn["SKR-mått R12"][3:] == [None] * 9
    # The projection starts from March's actual measure and ends at the export's December.
    projection = [number(r["projected_pct"]) for r in built["projection"]]
    assert [r["month"] for r in built["projection"]][-1] == "2026-12"
    assert drawn["Prognos"][:2] == [None, None]
    assert_series(drawn["Prognos"][2:], [skr["2026-03"], *projection])
    assert drawn["Prognos"][-1] == pytest.approx(7.727, abs=0.0005)
    assert drawn["Mål"] == [3.44] * 12
    n = NBSP
    assert texts(slide)[2] == (
        f"Målet 3,44{n}% nås med högst 0,4{n}mkr hyrkostnad per månad · takt 1,7{n}mkr · "
        f"prognos december 7,73{n}%"
    )
    (note,) = [t for t in texts(slide) if "R12 i december" in t]
    assert "* Preliminär: mar 2026\n" in note
    assert note.split("\n")[1].startswith(
        f"Målet 3,44{n}% för 2026 nås om kostnaden för hyrpersonal är högst 0,4{n}mkr per "
        f"månad resten av året. Nuvarande takt, 1,7{n}mkr per månad, är högre: SKR-måttet "
        f"blir då 7,73{n}% i december."
    )
    assert f"Kostnad för egen personal R12 i december (utfall och budget): 264,0{n}mkr" in note


def test_the_skr_measure_per_scope_is_each_scopes_export(deck, built):
    chart = chart_of(deck.slides[6])
    assert categories(chart) == [label for label, _key in SKR_SCOPES]
    drawn = values(chart)
    for index, (_label, key) in enumerate(SKR_SCOPES):
        rows = {r["month"]: r for r in built[f"skr {key}"]}
        for name, month, column in [
            ("mar 2025", "2025-03", "ratio_pct"),
            ("mar 2026", "2026-03", "ratio_pct"),
            ("Mål 2026", "2026-03", "target_pct"),
        ]:
            assert close(drawn[name][index], number(rows[month][column]), 1, 3), (key, name)


def test_r12_per_area_is_the_exports_in_mkr(deck, built):
    drawn = values(chart_of(deck.slides[7]))
    rows = [r for r in built["r12-area"] if r["agency_r12_sek"]]
    for area in drawn:
        expected = [number(r["agency_r12_sek"]) for r in rows if r["area"] == area]
        assert_series(drawn[area], expected, 1e6)
    assert sorted(drawn) == sorted({r["area"] for r in rows})


@pytest.mark.parametrize(("slide", "key"), PERSONNEL.items())
def test_personnel_cost_is_the_exports_in_tkr_actuals_up_to_the_month(deck, built, slide, key):
    rows = built[f"personnel {key}"]
    drawn = values(chart_of(deck.slides[slide]))
    actual = [number(r["actual_sek"]) if r["month"] <= "2026-03" else None for r in rows]
    assert_series(drawn["Utfall 2026"], actual, 1e3, 1)
    assert_series(drawn["Budget 2026"], [number(r["budget_sek"]) for r in rows], 1e3, 1)
    assert_series(drawn["Utfall 2025"], [number(r["actual_prev_year_sek"]) for r in rows], 1e3, 1)


def test_cost_per_department_and_profession_is_the_exports_in_tkr(deck, built):
    chart = chart_of(deck.slides[11])
    labels = {
        ("Primärvård Skellefteå", "hyr_lakare"): "Primärvård Skellefteå – Läkare",
        ("Kirurgiskt centrum", "hyr_ssk_bm"): "Kirurgiskt centrum – Ssk/Bm",
        ("Tandvård Södra Lappland", "hyr_ovriga"): "Tandvård Södra Lappland – Övriga",
    }
    rows = {labels[(r["department"], r["profession"])]: r for r in built["department"]}
    assert categories(chart) == list(labels.values())  # largest first
    drawn = values(chart)
    order = categories(chart)
    assert_series(drawn["jan–mar 2026"], [number(rows[c]["amount_sek"]) for c in order], 1e3, 1)
    assert_series(
        drawn["jan–mar 2025"], [number(rows[c]["amount_prev_sek"]) for c in order], 1e3, 1
    )


def test_purchased_hours_are_the_exports(deck, built):
    drawn = values(chart_of(deck.slides[12]))
    for code, name in [
        ("hyr_lakare", "Läkare"),
        ("hyr_ssk_bm", "Ssk/Bm"),
        ("hyr_ovriga", "Övriga"),
    ]:
        expected = [number(r["hours"]) for r in built["hours"] if r["profession"] == code]
        assert_series(drawn[name], expected, 1, 1)


def test_the_national_comparison_is_the_uploaded_table_sorted(deck):
    chart = chart_of(deck.slides[15])
    assert categories(chart) == [
        "Region Norrbotten",
        "Region Västerbotten",
        "Riket (riksgenomsnitt)",
        "Region Stockholm",
    ]
    assert values(chart) == {"Andel": [11.8, 3.9, 2.5, 0.9]}


def test_sick_leave_r12_is_the_exports_with_withheld_values_absent(deck, built):
    chart = chart_of(deck.slides[16])
    months = ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert categories(chart) == ["dec 2025", "jan 2026", "feb 2026", "mar 2026*"]
    drawn = values(chart)
    names = {"Hela förvaltningen": "total"}
    for name, series in drawn.items():
        if name == "Mål":
            continue
        group = names.get(name, name)
        rows = {r["month"]: r for r in built["sick-leave"] if r["group"] == group}
        assert_series(series, [number(rows[m]["rate_r12_pct"]) for m in months])
    # Tandvården's 8 women of January 2025 withhold its R12 of December 2025 (and the
    # complements the audit then needs withhold more, as the export says).
    assert drawn["Tandvården"][0] is None
    withheld = {r["group"] for r in built["sick-leave"] if r["suppressed"] == "1"}
    assert "Tandvården" in withheld
    # Not hidden in a label: not in the chart's workbook at all.
    sheet = workbook_columns(chart)
    for name, series in drawn.items():
        assert sheet[name] == series, name
    xml = chart.part.blob.decode()
    assert xml.count('<c:dispBlanksAs val="gap"/>') == 1


def test_the_survey_is_the_exports_this_year_and_last(deck, built):
    this = {r["index"]: r for r in built["survey-2026"]}
    last = {r["index"]: r for r in built["survey-2025"]}
    assert values(chart_of(deck.slides[17])) == {"Svarsfrekvens": [67.5, None]}
    assert number(this["response_rate"]["value"]) == 67.5 and last["response_rate"]["value"] == ""
    hme = values(chart_of(deck.slides[18]))
    codes = ["hme", "hme_motivation", "hme_ledarskap", "hme_styrning"]
    assert_series(hme["Hela förvaltningen 2026"], [number(this[c]["value"]) for c in codes], 1, 2)
    assert_series(hme["Hela förvaltningen 2025"], [number(last[c]["value"]) for c in codes], 1, 2)
    assert hme["Hela förvaltningen 2026"][:3] == [66.67, 60.19, 73.15]
    hse = values(chart_of(deck.slides[19]))
    assert_series(
        hse["Hela förvaltningen 2026"],
        [number(this[c]["value"]) for c in ("hse", "hse_10", "hse_11")],
        1,
        2,
    )
    assert values(chart_of(deck.slides[20])) == {"eNPS": [22.22, -100.0]}


def test_a_hidden_survey_group_has_no_value_in_the_workbook(built):
    deck = Presentation(io.BytesIO(built["nso"]))
    slides = {s.shapes.title.text: s for s in deck.slides}
    chart = chart_of(slides[f"Medarbetarundersökning 2026: svarsfrekvens – {NSO}"])
    assert categories(chart) == [f"{NSO} 2026", f"{NSO} 2025", "Hela förvaltningen 2026"]
    assert all(r["value"] == "" and r["suppressed"] == "1" for r in built["survey-nso"][:3])
    # 2026 hidden; 2025 without employee counts has no response rate.
    assert workbook_columns(chart)["Svarsfrekvens"] == [None, None, 67.5]
    hme = workbook_columns(chart_of(slides[f"Medarbetarundersökning 2026: HME – {NSO}"]))
    assert hme[f"{NSO} 2026"] == [None, None, None, None]
    assert "HME totalt Närsjukvårdsområde Skellefteå 2026: visas inte (2025: 50,0)" in texts(
        slides[f"Medarbetarundersökning 2026: HME – {NSO}"]
    )


def test_a_care_types_pack_has_its_own_personnel_cost_and_no_survey(built):
    deck = Presentation(io.BytesIO(built["primary care"]))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert [t for t in titles if t.startswith("Personalkostnader")] == [
        "Personalkostnader Primärvård 2026, utfall och budget per månad jämfört med 2025 (tkr)"
    ]
    assert not [t for t in titles if t.startswith("Medarbetarundersökning")]
    assert "Summering pågående aktiviteter" not in titles  # the text slides were hsf's
    (table,) = [s.table for s in deck.slides[-1].shapes if s.has_table]
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert rows["Medarbetarundersökning"] == "redovisas inte per vårdtyp"


# --- provenance and determinism -----------------------------------------------------------


def test_the_last_slide_and_the_properties_say_what_the_pack_was_built_from(deck):
    (table,) = [s.table for s in deck.slides[-1].shapes if s.has_table]
    rows = [(row.cells[0].text, row.cells[1].text) for row in table.rows]
    labels = [label for label, _value in rows]
    found = dict(rows)
    assert found["Byggt"] == "2026-04-02 10:00"
    assert found["Version"] == "hyrdash 0.1.0"
    assert found["Urval"] == "Hela förvaltningen (hsf)"
    assert found["Utfall: stängda månader"] == "2025-01 – 2026-02"
    assert found["Utfall: preliminära månader"] == "2026-03"
    assert found["Sjukfrånvaro: preliminära månader"] == "2026-03"
    batch = re.compile(r"^(\S+) · – · \d{4}-\d{2}-\d{2} \d{2}:\d{2} · SHA-256 [0-9a-f]{12}$")
    for label, file_name in [
        ("Utfall 2025-01 – 2026-03", "utfall.csv"),
        ("Budget 2026-01 – 2026-12", "budget.csv"),
        ("Sjukfrånvaro 2025-01 – 2026-03", "sjukfranvaro.csv"),
        ("Medarbetarundersökning 2026, svar", "mu-2026.csv"),
        ("Medarbetarundersökning 2026, antal medarbetare", "medarbetare-2026.csv"),
    ]:
        assert batch.match(found[label]).group(1) == file_name, label
    assert found["Nationell jämförelse"] == "SKR, 2026-Q1"
    assert labels.index("Byggt") == 0
    props = deck.core_properties
    assert props.title == "Styrgruppspaket mars 2026 – Hela förvaltningen"
    assert props.created == dt.datetime(2026, 4, 2, 8, 0)
    assert props.comments == "\n".join(f"{label}: {value}" for label, value in rows)
    assert props.keywords == "styrgruppspaket; 2026-03; hsf"


def test_the_same_month_and_scope_built_twice_give_the_same_file(built):
    assert built["hsf"] == built["hsf again"]


def chart_parts(content: bytes) -> dict[str, bytes]:
    """Every chart and workbook in the package, workbooks unpacked (their own zip stamps)."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in package.namelist():
            if name.startswith("ppt/charts/"):
                parts[name] = package.read(name)
            elif name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(package.read(name))) as book:
                    for inner in book.namelist():
                        if inner != "docProps/core.xml":  # the build time
                            parts[f"{name}/{inner}"] = book.read(inner)
    return parts


def test_another_build_time_changes_only_the_build_time(built):
    now, later = built["hsf"], built["hsf later"]
    assert now != later
    assert chart_parts(now) == chart_parts(later)
    first, second = (Presentation(io.BytesIO(c)) for c in (now, later))
    for one, other in zip(first.slides, second.slides, strict=True):
        if one.shapes.title.text != "Underlag":
            assert texts(one) == texts(other)
    (table,) = [s.table for s in second.slides[-1].shapes if s.has_table]
    assert table.cell(0, 1).text == "2026-04-05 10:00"


# --- a real office suite ----------------------------------------------------------------


@pytest.mark.office
def test_libreoffice_opens_the_pack_one_page_per_slide(built, deck, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        reason = "LibreOffice (soffice) is not installed; `make office-deps` installs it."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} CI runs this test.", pytrace=False)
        pytest.skip(reason)
    path = tmp_path / "paket.pptx"
    path.write_bytes(built["hsf"])
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    env = {**os.environ, "LANG": "sv_SE.UTF-8", "LC_ALL": "sv_SE.UTF-8", "HOME": str(tmp_path)}
    command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    run = subprocess.run(
        [*command, str(path)], env=env, capture_output=True, text=True, timeout=180
    )
    pdf = Path(tmp_path / "paket.pdf")
    assert run.returncode == 0 and pdf.exists(), f"soffice failed: {run.stdout}{run.stderr}"
    assert pdf_pages(pdf) == len(deck.slides) == len(TITLES)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        text = re.sub(r"[\u00a0\u202f]", " ", text)
        assert "Mars 2026: 2,95 % · mål 2026: 3,44 %" in text
        assert "19 500" in text  # the R12 label, with the thousands set apart

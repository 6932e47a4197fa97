"""The placements' slide in the steering pack: consultants per area and status under
12 a § on the last day of the pack's month, counts only.

The placements are tests/test_placements_pages.py's (its docstring works out each one).
On 2026-02-28 (window 2023-03-01..2026-02-28):

    K1 0101/0102 from 2024-04-01: 365 + 334 = 699 days, day 721 2026-03-22: within 90.
    K2 2001 2025-01-01..2025-12-31: 365, clear; 3001: 214, clear.
    K3 2001: 365, clear; 2002 2025-04-01..: 334, clear (Kirurgiskt centrum's units are
       operating units of their own).
    K4 0101 2026-01-01..: 59, clear.   K5 3001 from 2024-01-10: passed.
    K6 0101 2023-03-01..2023-06-30: 122, clear.

Per area: Länssjukvårdsområde 1 clear 3; Närsjukvårdsområde Skellefteå within 90 days 1,
clear 2; Tandvården passed 1, clear 1. On 2026-03-31 K1 has 730 days: passed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from pptx import Presentation

from kpis.costs import services as cost_services
from kpis.models import ImportBatch
from kpis.pack.services import pack_build, pack_scope
from kpis.placements import pack
from kpis.placements.models import PlacementAccessLog
from tests.test_placements_pages import PLACEMENTS, placements  # noqa: F401 (fixture)

FEB = pd.Period("2026-02", freq="M")
COSTS = b"Period;Ansvar;Konto;Belopp;Timmar\n2026-02;0101;4601;100 000;55\n"


def chart_values(slide) -> tuple[list[str], dict[str, list]]:
    chart = next(s for s in slide.shapes if s.has_chart).chart
    plot = chart.plots[0]
    return list(plot.categories), {s.name: list(s.values) for s in plot.series}


def test_the_counts_are_those_of_the_months_last_day(placements):  # noqa: F811
    slides, provenance = pack.pack_section(scope="hsf", month=FEB, comment=lambda code: None)
    (slide,) = slides
    assert slide.title == "Inhyrda konsulter och 12 a §, 2026-02-28"
    assert slide.chart.categories == [
        "Länssjukvårdsområde 1",
        "Närsjukvårdsområde Skellefteå",
        "Tandvården",
    ]
    assert {s.name: list(s.values) for s in slide.chart.series} == {
        "Dag 721 passerad": [0, 0, 1],
        "Dag 721 inom 90 dagar": [0, 1, 0],
        "Under gränsen": [3, 2, 1],
    }
    assert slide.headline == (
        "1 har passerat dag 721 · 1 når dag 721 inom 90 dagar · 8 konsulter per driftsenhet"
    )
    assert [label for label, _value in provenance] == ["Placeringar"]
    assert provenance[0][1].startswith("bemlo.csv · – · ")
    assert PlacementAccessLog.objects.count() == 0  # counts are no view of the list


def test_a_month_later_k1_has_passed(placements):  # noqa: F811
    (slide,), _rows = pack.pack_section(
        scope="hsf", month=pd.Period("2026-03", freq="M"), comment=lambda code: None
    )
    values = {s.name: list(s.values) for s in slide.chart.series}
    assert values["Dag 721 passerad"] == [0, 1, 1]
    assert values["Dag 721 inom 90 dagar"] == [0, 0, 0]


@pytest.mark.parametrize(
    ("scope", "areas", "passed", "clear"),
    [
        ("area:Tandvården", ["Tandvården"], [1], [1]),
        ("care:primärvård", ["Närsjukvårdsområde Skellefteå"], [0], [2]),
    ],
)
def test_an_area_or_care_types_pack_counts_its_own(placements, scope, areas, passed, clear):  # noqa: F811
    (slide,), _rows = pack.pack_section(scope=scope, month=FEB, comment=lambda code: None)
    assert slide.chart.categories == areas
    values = {s.name: list(s.values) for s in slide.chart.series}
    assert values["Dag 721 passerad"] == passed
    assert values["Under gränsen"] == clear


def test_no_slide_without_placements_in_the_scope(registers):
    assert pack.pack_section(scope="hsf", month=FEB, comment=lambda code: None) == ([], [])


def test_the_pack_carries_the_slide_as_a_native_chart(placements):  # noqa: F811
    cost_services.costs_import(data=COSTS, file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS)
    built = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    content = pack_build(month=FEB, scope=pack_scope("hsf"), built=built).content
    deck = Presentation(io.BytesIO(content))
    (slide,) = [
        s for s in deck.slides if s.shapes.title.text.startswith("Inhyrda konsulter och 12 a §")
    ]
    categories, values = chart_values(slide)
    assert categories == ["Länssjukvårdsområde 1", "Närsjukvårdsområde Skellefteå", "Tandvården"]
    assert values == {
        "Dag 721 passerad": [0.0, 0.0, 1.0],
        "Dag 721 inom 90 dagar": [0.0, 1.0, 0.0],
        "Under gränsen": [3.0, 2.0, 1.0],
    }
    with zipfile.ZipFile(io.BytesIO(content)) as parts:
        text = "".join(parts.read(name).decode("utf-8", "replace") for name in parts.namelist())
    assert "Tandvården" in text  # the check reads the parts' text, embedded workbooks too
    assert "Anna Alm" not in text and "K1" not in text

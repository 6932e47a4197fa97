"""The national comparison over time (KPI 8): our region beside the national average per
quarter, and the regions in the chosen quarter; the tables (kpis.national.series), the
figures, the dashboard's charts 9 and 9b and their CSV downloads.

SKR's table below, worked by hand: four quarters; our region is "Region Västerbotten" in
one quarter and "Västerbotten" in another, and missing in 2025-Q1.

    quarter  Riket  Västerbotten  Norrbotten
    2024-Q3  3,1    3,9           12,4
    2024-Q4  2,8    3,4           11,0
    2025-Q1  2,4    -             10,0
    2025-Q2  2,5    2,9            9,5
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest
from django.utils import translation

from kpis.national import charts as national_charts
from kpis.national import series
from kpis.national import services as national_services
from kpis.national.selectors import national_shares
from tests.test_dashboard import costs, download, figure, page, styr_client  # noqa: F401

NATIONAL_CSV = """Period;Region;Andel
2024-Q3;Riket;3,1
2024-Q3;Region Västerbotten;3,9
2024-Q3;Region Norrbotten;12,4
2024 K4;Riket;2,8
2024 K4;Västerbotten;3,4
2024 K4;Region Norrbotten;11,0
2025-Q1;Riket;2,4
2025-Q1;Region Norrbotten;10,0
2025-Q2;Riket;2,5
2025-Q2;Västerbotten;2,9
2025-Q2;Region Norrbotten;9,5
"""

NAN = float("nan")


@pytest.fixture
def national(db) -> pd.DataFrame:
    national_services.national_import(data=NATIONAL_CSV.encode("utf-8"))
    return national_shares()


def month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def values(column) -> list[float]:
    return [None if math.isnan(v) else v for v in column]


# --- the tables --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "quarter"),
    [
        ("2025-03", "2025-Q1"),  # the month's own quarter
        ("2025-05", "2025-Q2"),
        ("2024-12", "2024-Q4"),
        ("2026-09", "2025-Q2"),  # the latest there is
        ("2024-01", "2024-Q3"),  # before them all: the earliest
    ],
)
def test_the_chosen_quarter_is_the_latest_up_to_the_month(national, shown, quarter):
    assert series.chosen_quarter(national, month=month(shown)) == quarter


def test_no_table_no_quarter():
    assert series.chosen_quarter(None, month=month("2025-03")) is None
    assert series.trend(None, region="Västerbotten", month=month("2025-03")).empty
    assert series.regions(None, month=month("2025-03")).empty


def test_the_trend_has_our_region_and_the_average_per_quarter_up_to_the_chosen_one(national):
    table = series.trend(national, region="Västerbotten", month=month("2025-03"))

    assert list(table.columns) == series.TREND_COLUMNS
    assert list(table["quarter"]) == ["2024-Q3", "2024-Q4", "2025-Q1"]
    assert set(table["region"]) == {"Västerbotten"}
    # "Region Västerbotten" and "Västerbotten" are the same region; 2025-Q1 lacks it.
    assert values(table["region_share_pct"]) == [3.9, 3.4, None]
    assert values(table["national_share_pct"]) == [3.1, 2.8, 2.4]


def test_the_trend_of_another_region(national):
    table = series.trend(national, region="Norrbotten", month=month("2025-06"))

    assert values(table["region_share_pct"]) == [12.4, 11.0, 10.0, 9.5]
    assert values(table["national_share_pct"]) == [3.1, 2.8, 2.4, 2.5]


def test_the_regions_of_the_chosen_quarter_highest_first(national):
    table = series.regions(national, month=month("2024-12"))

    assert list(table["quarter"].unique()) == ["2024-Q4"]
    assert list(table["region"]) == ["Region Norrbotten", "Västerbotten", "Riket"]
    assert list(table["is_average"]) == [False, False, True]


# --- the figures -------------------------------------------------------------------------


def test_the_trend_figure_draws_two_lines_by_quarter(national):
    table = series.trend(national, region="Västerbotten", month=month("2025-06"))

    fig = national_charts.trend_figure(table, region="Västerbotten")

    go.Figure(fig)  # valid for plotly
    lines = {t["name"]: t for t in fig.to_dict()["data"]}
    assert set(lines) == {"Västerbotten", "Riket"}
    assert list(lines["Riket"]["x"]) == ["2024 K3", "2024 K4", "2025 K1", "2025 K2"]
    assert list(lines["Västerbotten"]["y"]) == [3.9, 3.4, None, 2.9]  # a gap, not a zero
    assert list(lines["Riket"]["y"]) == [3.1, 2.8, 2.4, 2.5]
    assert lines["Riket"]["line"]["dash"] == "dash"
    assert fig.layout.yaxis.rangemode == "tozero"


def test_quarters_are_labelled_in_the_language(national):
    table = series.trend(national, region="Västerbotten", month=month("2024-12"))
    with translation.override("en"):
        fig = national_charts.trend_figure(table, region="Västerbotten")
    assert list(fig.to_dict()["data"][0]["x"]) == ["2024 Q3", "2024 Q4"]


def test_the_regions_figure_leaves_room_for_the_longest_bars_label(national):
    table = series.regions(national, month=month("2024-09"))

    fig = national_charts.regions_figure(table, region="Västerbotten", quarter="2024-Q3")

    # 12,4 % is the longest bar; its label "12,4 %" is drawn outside it.
    assert list(fig.layout.xaxis.range) == pytest.approx([0, 12.4 * 1.25])
    assert fig.layout.title.text.startswith(
        "Nationell jämförelse – andel hyrpersonal per region, 2024 K3"
    )


# --- the dashboard ---------------------------------------------------------------------


def test_the_dashboard_shows_the_trend_and_the_regions(styr_client, costs, national):  # noqa: F811
    # The dashboard's data end in March 2026: the chosen quarter is the latest, 2025-Q2.
    _, html = page(styr_client)

    trend = figure(html, "national-trend")
    lines = {t["name"]: t for t in trend["data"]}
    assert lines["Västerbotten"]["y"] == [3.9, 3.4, None, 2.9]
    assert lines["Riket"]["y"] == [3.1, 2.8, 2.4, 2.5]
    assert "9. Nationell jämförelse över tid" in html
    assert "9b. Nationell jämförelse per region, 2025 K2" in html
    assert "Andel hyrpersonal per kvartal, Västerbotten och riket (procent)" in html
    assert "Senaste värden: Västerbotten 2,9\xa0% (2025 K2); riket 2,5\xa0% (2025 K2)." in html
    regions = figure(html, "national")
    assert regions["layout"]["title"]["text"].startswith(
        "Nationell jämförelse – andel hyrpersonal per region, 2025 K2"
    )


def test_an_earlier_month_shows_the_quarters_up_to_its_own(styr_client, costs, national):  # noqa: F811
    _, html = page(styr_client, manad="2025-02")

    lines = {t["name"]: t for t in figure(html, "national-trend")["data"]}
    assert lines["Riket"]["x"] == ["2024 K3", "2024 K4", "2025 K1"]
    assert "9b. Nationell jämförelse per region, 2025 K1" in html


def test_the_trend_downloads_as_the_page_shows_it(styr_client, costs, national):  # noqa: F811
    response = download(styr_client, "national-trend", manad="2025-02")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="hyrdash-national-trend-2025-Q1.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "quarter;region;region_share_pct;national_share_pct",
        "2024-Q3;Västerbotten;3,900;3,100",
        "2024-Q4;Västerbotten;3,400;2,800",
        "2025-Q1;Västerbotten;;2,400",
    ]


def test_without_a_national_table_both_charts_say_so(styr_client, costs):  # noqa: F811
    _, html = page(styr_client)

    assert 'id="fig-national-trend"' not in html
    assert 'id="fig-national"' not in html
    assert "Ingen nationell jämförelse är uppladdad ännu. En controller lägger in" in html

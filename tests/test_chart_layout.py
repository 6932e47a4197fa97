"""The charts' layout for narrow windows and their axes (hyrdash.lib.chart_style and the
figures that use it): the layout variants static/js/charts.js picks by width (small
multiples one or two a row), wrapped panel titles, and axes that neither magnify a flat
line nor repeat their tick labels. What the browser then draws at 390 px is checked in
tests/browser/test_narrow.py.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from hyrdash.lib import chart_style
from kpis.costs import charts as cost_charts
from kpis.sick_leave import charts as sick_leave_charts
from tests.test_sick_leave_dashboard import data, figure, page, styr, table_rows  # noqa: F401

AREAS = [
    "Hela förvaltningen",
    "Sjukhusvård",
    "Primärvård",
    "Tandvård",
    "Länssjukvårdsområde 1",
    "Länssjukvårdsområde 2",
    "Närsjukvårdsområde Skellefteå",
    "Närsjukvårdsområde Södra Lappland",
    "Närsjukvårdsområde Umeå",
    "Tandvården",
]


def skr_table(ratio: float) -> pd.DataFrame:
    months = [str(m) for m in pd.period_range("2025-01", "2025-06", freq="M")]
    return pd.DataFrame(
        {
            "month": months,
            "ratio_pct": [ratio] * len(months),
            "target_pct": [float("nan")] * len(months),
            "preliminary": [False] * len(months),
        }
    )


def variants(fig: go.Figure) -> dict[int, dict]:
    return {v["below"]: v["layout"] for v in fig.layout.meta["responsive"]}


def variants_data(fig: go.Figure) -> dict[int, list]:
    return {v["below"]: v.get("data") for v in fig.layout.meta["responsive"]}


def layout_at(fig: go.Figure, below: int | None) -> dict:
    """The layout static/js/charts.js draws at a width just under `below` (None: wide)."""
    layout = fig.to_dict()["layout"]
    if below is None:
        return layout

    def merge(target: dict, extra: dict) -> None:
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                merge(target[key], value)
            else:
                target[key] = value

    merge(layout, variants(fig)[below])
    return layout


def overlaps(a: list[float], b: list[float]) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 1e-9


# --- the shared tools ---------------------------------------------------------------------


def test_a_padded_range_spans_at_least_the_minimum_around_the_values():
    # 5,70..5,78: a tenth of the span (0,008) each side is 5,692..5,788, narrower than
    # 1 point, so 1 point centred on 5,74.
    assert chart_style.padded_range([5.70, 5.78, None], min_span=1.0) == pytest.approx([5.24, 6.24])
    # 4..9: padded by 0,5 each side, wide enough already.
    assert chart_style.padded_range([4.0, 9.0], min_span=1.0) == pytest.approx([3.5, 9.5])
    # Never below 0 for values that are not: 0,1..0,2 becomes 0..1.
    assert chart_style.padded_range([0.1, 0.2], min_span=1.0) == pytest.approx([0.0, 1.0])
    assert chart_style.padded_range([None, float("nan")], min_span=1.0) is None


def test_a_label_wraps_on_words():
    assert chart_style.wrap_label("Närsjukvårdsområde Södra Lappland", 24) == (
        "Närsjukvårdsområde<br>Södra Lappland"
    )
    assert chart_style.wrap_label("Tandvården", 24) == "Tandvården"
    assert chart_style.wrap_label("a b c d e f", 3, max_lines=2) == "a b<br>c d …"


def test_a_panel_title_keeps_each_line_bold_and_left_aligned():
    cell = {"xdomain": [0.5, 1], "ydomain": [0, 0.4]}
    title = chart_style.panel_title("Närsjukvårdsområde Södra Lappland", cell, width=24)
    assert title["text"] == "<b>Närsjukvårdsområde</b><br><b>Södra Lappland</b>"
    assert (title["x"], title["y"], title["xanchor"], title["align"]) == (0.5, 0.4, "left", "left")


def test_responsive_lists_the_variants_narrowest_first():
    layout = chart_style.responsive({}, {992: {"height": 2}, 576: {"height": 1}})
    assert layout["meta"] == {
        "responsive": [
            {"below": 576, "layout": {"height": 1}},
            {"below": 992, "layout": {"height": 2}},
        ]
    }


def test_responsive_may_change_the_traces_too():
    layout = chart_style.responsive({}, {576: {"height": 1}}, data={576: [{"text": None}]})
    assert layout["meta"]["responsive"] == [
        {"below": 576, "layout": {"height": 1}, "data": [{"text": None}]}
    ]


def test_the_year_to_date_bars_drop_the_unit_from_their_labels_on_a_phone():
    table = pd.DataFrame(
        {
            "profession": ["hyr_lakare", "hyr_ssk_bm", "hyr_ovriga"],
            "ytd_sek": [41_300_000.0, 42_100_000.0, 5_000_000.0],
            "ytd_prev_sek": [40_000_000.0, 41_000_000.0, 6_000_000.0],
        }
    )
    fig = cost_charts.agency_ytd_figure(table, month=pd.Period("2026-03", "M"))

    assert list(fig.data[1].text) == ["41,3\xa0mkr", "42,1\xa0mkr", "5,0\xa0mkr"]
    phone = variants_data(fig)[chart_style.NARROW]
    assert phone == [{"texttemplate": "%{y:,.1f}"}] * 2  # "41,3" with the separators


def test_panel_rows_leave_the_gap_in_pixels_between_rows():
    cells, plot_height = chart_style.panel_rows(3, 2, panel_height=100, row_gap=50, hgap=0.1)
    assert plot_height == 250
    assert [c["ydomain"] for c in cells] == [[0.6, 1.0], [0.6, 1.0], [0.0, 0.4], [0.0, 0.4]]
    assert [c["xdomain"] for c in cells[:2]] == [[0.0, 0.45], [0.55, 1.0]]


def test_a_quarter_label():
    assert chart_style.quarter_label("2024-Q3") == "2024 K3"
    assert chart_style.quarter_label("något") == "något"


# --- small multiples ---------------------------------------------------------------------


def test_the_skr_panels_take_one_column_on_a_phone_and_two_in_a_narrow_window():
    fig = cost_charts.skr_measure_panels_figure({label: skr_table(3.0) for label in AREAS})

    go.Figure(fig)  # valid for plotly, the variants included
    assert sorted(variants(fig)) == [chart_style.NARROW, chart_style.MEDIUM]
    for below, columns in ((None, 3), (chart_style.MEDIUM, 2), (chart_style.NARROW, 1)):
        layout = layout_at(fig, below)
        axes = [layout["xaxis" + ("" if i == 1 else str(i))] for i in range(1, 11)]
        yaxes = [layout["yaxis" + ("" if i == 1 else str(i))] for i in range(1, 11)]
        lefts = sorted({round(a["domain"][0], 6) for a in axes})
        assert len(lefts) == columns, below
        # No two panels share any area.
        for i in range(10):
            for j in range(i + 1, 10):
                assert not (
                    overlaps(axes[i]["domain"], axes[j]["domain"])
                    and overlaps(yaxes[i]["domain"], yaxes[j]["domain"])
                ), (below, AREAS[i], AREAS[j])
        # Each panel's title sits on its panel's top left corner; a long one on two lines.
        titles = layout["annotations"]
        assert [(t["x"], t["y"]) for t in titles] == [
            (x["domain"][0], y["domain"][1]) for x, y in zip(axes, yaxes, strict=True)
        ]
        assert titles[7]["text"] == "<b>Närsjukvårdsområde</b><br><b>Södra Lappland</b>"
    phone = layout_at(fig, chart_style.NARROW)
    assert phone["xaxis"]["domain"] == [0.0, 1.0]
    assert phone["height"] == 10 * 150 + 9 * cost_charts.PANEL_ROW_GAP + 180


def test_the_department_panels_stack_with_their_names_in_a_narrow_window():
    table = pd.DataFrame(
        {
            "department": ["Kirurgiskt centrum", "Hjärtcentrum"] * 3,
            "profession": ["hyr_lakare"] * 2 + ["hyr_ssk_bm"] * 2 + ["hyr_ovriga"] * 2,
            "amount_sek": [200_000.0, 100_000.0, 50_000.0, 40_000.0, 0.0, 10_000.0],
            "amount_prev_sek": [150_000.0, 90_000.0, 60_000.0, 30_000.0, 0.0, 5_000.0],
        }
    )
    fig = cost_charts.agency_by_department_figure(
        table, start=pd.Period("2026-01", "M"), end=pd.Period("2026-03", "M")
    )

    go.Figure(fig)
    wide = layout_at(fig, None)
    assert wide["yaxis2"]["showticklabels"] is False  # the names once, left of the first
    narrow = layout_at(fig, chart_style.MEDIUM)
    assert [narrow[f"xaxis{n}"]["domain"] for n in ("", "2", "3")] == [[0.0, 1.0]] * 3
    assert narrow["yaxis2"]["showticklabels"] is True
    tops = [narrow[f"yaxis{n}"]["domain"][1] for n in ("", "2", "3")]
    assert tops == sorted(tops, reverse=True)  # Läkare, Ssk/Bm, Övriga from the top
    assert [t["text"] for t in narrow["annotations"]] == [
        "<b>Läkare</b>",
        "<b>Ssk/Bm</b>",
        "<b>Övriga</b>",
    ]


# --- sick leave: axes ----------------------------------------------------------------------


def test_a_flat_sick_leave_line_gets_a_padded_axis_not_a_zoomed_one():
    months = ["2025-01", "2025-02", "2025-03"]
    fig = sick_leave_charts.sick_leave_lines_figure(
        {"Hela förvaltningen": pd.Series([5.72, 5.74, 5.78], index=months)},
        title="Sjukfrånvaro R12",
        subtitle="",
        preliminary=set(),
    )

    # 5,72..5,78 padded by 0,006 each side is narrower than a point: 5,25..6,25.
    assert list(fig.layout.yaxis.range) == pytest.approx([5.25, 6.25])
    assert fig.layout.yaxis.tickformat == ",.1f"


def test_the_targets_are_inside_the_sick_leave_axis():
    months = ["2025-01", "2025-02"]
    fig = sick_leave_charts.sick_leave_lines_figure(
        {"Hela förvaltningen": pd.Series([5.0, 5.5], index=months)},
        title="Sjukfrånvaro R12",
        subtitle="",
        preliminary=set(),
        targets=pd.Series([7.0, 7.0], index=months),
    )
    # 5,0..7,0 padded by 0,2 each side.
    assert list(fig.layout.yaxis.range) == pytest.approx([4.8, 7.2])


def test_the_duration_chart_draws_both_shares_from_zero(styr, data):  # noqa: F811
    response, html = page(styr, manad="2025-03")

    fig = figure(html, "sick-leave-duration")
    go.Figure(fig)
    # Each line is its closed months' trace and its preliminary months' (same name).
    lines: dict[str, dict] = {}
    for trace in fig["data"]:
        if trace.get("name") and trace["x"] != [None]:
            line = lines.setdefault(trace["name"], {"x": [], "y": [], "yaxis": trace["yaxis"]})
            line["x"] += trace["x"]
            line["y"] += trace["y"]
    long_term = lines["Långtidsandel (dag 60-)"]
    short_term = lines["Korttidssjukfrånvaro (dag 1-14)"]
    assert (long_term["yaxis"], short_term["yaxis"]) == ("y", "y2")
    for axis in ("yaxis", "yaxis2"):
        assert fig["layout"][axis]["rangemode"] == "tozero"
        assert fig["layout"][axis]["ticksuffix"] == " %"
    # The lines carry the table's R12 values (columns: hours 1-14, 15-59, 60-, short-term
    # R12, long-term share R12), month by month.
    rows = table_rows(response, "sick-leave-duration")
    checked = 0
    for label, cells in rows.items():
        month = _month_of(label.removesuffix(" (prel.)"))
        if month in short_term["x"] and cells[3] != "..":
            assert short_term["y"][short_term["x"].index(month)] == pytest.approx(cells[3])
            assert long_term["y"][long_term["x"].index(month)] == pytest.approx(cells[4])
            checked += 1
    assert checked >= 3


def _month_of(label: str) -> str:
    """'feb 2025' -> '2025-02'."""
    abbr, year = label.split()
    return f"{year}-{chart_style.month_abbrs().index(abbr) + 1:02d}"

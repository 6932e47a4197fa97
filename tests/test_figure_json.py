"""The charts' JSON: what chart_style.to_json makes of a figure's dicts is what plotly.py
would make of them (its Figure, as the pages built it before session 8), for every chart
of the cost dashboard, the national comparison and the sick-leave page; and a Figure
answers plotly.py's attributes (the chart tests read them) and its validation."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from hyrdash.lib import chart_style
from tests.test_dashboard import costs, national, styr_client  # noqa: F401 (fixtures)
from tests.test_sick_leave_dashboard import data  # noqa: F401 (fixture)


@pytest.fixture
def compared(monkeypatch):
    """Every figure a page turns into JSON, checked against plotly.py's JSON of it."""
    seen = []
    fast = chart_style.to_json

    def both(fig):
        sent = fast(fig)
        built = go.Figure(data=fig["data"], layout=fig["layout"], _validate=False)
        assert sent == json.loads(pio.to_json(built, validate=False, remove_uids=True))
        seen.append(fig)
        return sent

    monkeypatch.setattr(chart_style, "to_json", both)
    return seen


def test_the_pages_send_plotly_js_what_plotly_py_would(
    styr_client,  # noqa: F811
    costs,  # noqa: F811
    national,  # noqa: F811
    data,  # noqa: F811
    compared,
):
    for url in (
        "/?manad=2026-03&urval=hsf",
        "/?manad=2026-03&urval=area:Närsjukvårdsområde Skellefteå",
        "/?manad=2026-03&urval=unit:0101",
        "/sjukfranvaro/",
        "/sjukfranvaro/?urval=area:Närsjukvårdsområde Skellefteå",
    ):
        assert styr_client.get(url).status_code == 200, url
    assert len(compared) >= 30
    assert all(isinstance(fig, chart_style.Figure) for fig in compared)
    for fig in compared:
        go.Figure(fig)  # valid for plotly.py


def test_a_figure_answers_plotly_pys_attributes():
    layout = chart_style.chart_layout(title="Titel", yaxis={"range": [1, 2]})
    fig = chart_style.make_figure([{"type": "bar", "x": ["a"], "y": [1.5]}], layout)
    assert list(fig.layout.yaxis.range) == [1, 2]
    assert fig.data[0].type == "bar" and list(fig.data[0].y) == [1.5]
    with pytest.raises(ValueError, match="Invalid property"):
        go.Figure(chart_style.make_figure([{"type": "bar", "wrong": 1}], layout))

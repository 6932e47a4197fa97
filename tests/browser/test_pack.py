"""The steering pack in Chromium: a controller writes the month's text slides and
downloads the pack, the steering group downloads it too, the page is axe clean; and the
dashboard printed on paper: A4 landscape, one chart a page, no navigation or forms."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pptx import Presentation

from kpis.models import PackText
from tests.browser.test_accessibility import FAILING
from tests.browser.test_e2e import wait_for_charts
from tests.test_deck import pdf_pages

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre


def titles(path: str) -> list[str]:
    deck = Presentation(io.BytesIO(Path(path).read_bytes()))
    return [slide.shapes.title.text for slide in deck.slides]


def serious(violations: list[dict]) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in FAILING]


def test_a_controller_writes_the_text_slides_and_downloads_the_pack(
    tab, people, year_of_costs, axe_js
):
    page = tab.page
    tab.login("ctrl", next_path="/styrgruppspaket/")
    tab.shot("pack-page")
    assert page.get_by_role("heading", level=1).inner_text() == "Styrgruppspaket"
    assert serious(tab.axe(axe_js)) == []

    # The month and the area, from the selectors.
    page.get_by_label("Månad", exact=True).select_option("2026-02")
    page.get_by_label("Urval", exact=True).select_option("area:Närsjukvårdsområde Skellefteå")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert "Paketet för Närsjukvårdsområde Skellefteå, februari 2026" in page.content()

    # A text slide, saved.
    page.get_by_label("Rubrik", exact=True).first.fill("Prioriterade åtgärder")
    page.get_by_label("Punkter", exact=True).first.fill(
        "Stärka chefer\n  ST-tjänster i primärvården"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Spara textbilderna").click()
    tab.shot("texts-saved")
    assert page.get_by_role("status").first.inner_text() == "1 textbild sparad för februari 2026."
    assert PackText.objects.get().scope == "area:Närsjukvårdsområde Skellefteå"
    assert serious(tab.axe(axe_js)) == []
    tab.assert_no_console_errors()

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner styrgruppspaketet (.pptx)").click()
    name = "styrgruppspaket-area-narsjukvardsomrade-skelleftea-2026-02.pptx"
    assert download.value.suggested_filename == name
    found = titles(download.value.path())
    assert found[0] == "Inhyrd personal – februari 2026"
    assert "Prioriterade åtgärder" in found
    assert found[-1] == "Underlag"


def test_the_steering_group_downloads_the_pack_and_reads_the_text_slides(
    tab, people, year_of_costs, axe_js
):
    PackText.objects.create(
        period="2026-03-01", scope="hsf", order=1, title="Status nationell upphandling", text="x"
    )
    page = tab.page
    tab.login("styr", next_path="/styrgruppspaket/")
    assert page.get_by_role("heading", name="Status nationell upphandling").is_visible()
    assert page.locator("textarea").count() == 0  # reads, does not write
    assert serious(tab.axe(axe_js)) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner styrgruppspaketet (.pptx)").click()
    assert download.value.suggested_filename == "styrgruppspaket-hsf-2026-03.pptx"
    assert "Status nationell upphandling" in titles(download.value.path())
    tab.assert_no_console_errors()


def test_the_dashboard_prints_one_chart_a_page_on_a4_landscape(tab, people, year_of_costs):
    page = tab.page
    tab.login("styr", next_path="/?manad=2026-03&urval=hsf")
    charts = wait_for_charts(page)
    page.emulate_media(media="print")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every((el) => el.querySelector('.main-svg').getBoundingClientRect().width <= 1000)"
    )
    for hidden in ("nav.site-nav", ".dashboard-filter", ".chart-index", ".chart-table"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".ytd-card-total").first.is_visible()  # the headline figures stay
    pdf = tab.folder / "dashboard.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == charts
    size = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    width, height = (float(v) / 72 * 25.4 for v in size.groups())  # points to mm
    assert (round(width), round(height)) == (297, 210)
    page.emulate_media(media="screen")  # and back: the charts at the window's width again
    page.wait_for_function(
        "() => document.querySelector('[data-figure] .main-svg').getBoundingClientRect().width > 1100"
    )


def test_charts_are_drawn_as_they_come_into_view_and_every_one_on_paper(tab, people, year_of_costs):
    """static/js/charts.js draws the charts in the window first and the others while the
    browser is idle. Here it is never idle: only the charts in view are drawn, a chart
    scrolled to is drawn then, and printing draws every chart still waiting, one a page.
    Each first drawing is marked for the Performance API (bench/browser.py reads it)."""
    page = tab.page
    page.add_init_script("window.requestIdleCallback = function () { return 0; };")
    tab.login("styr", next_path="/?manad=2026-03&urval=hsf")
    page.wait_for_function("() => performance.getEntriesByName('chart-drawn').length > 0")
    ids = page.evaluate("() => [...document.querySelectorAll('[data-figure]')].map((e) => e.id)")
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('[data-figure][data-drawn]')].map((e) => e.id)"
    )
    assert ids[0] in drawn
    assert ids[-1] not in drawn  # far below the window
    first = page.evaluate("() => performance.getEntriesByName('chart-drawn')[0].detail")
    assert first == ids[0]
    assert page.evaluate("() => performance.getEntriesByName('charts-all-drawn').length") == 0

    page.locator(f"#{ids[-1]}").scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.getElementById('{ids[-1]}').dataset.drawn")
    page.evaluate("() => window.scrollTo(0, 0)")

    page.emulate_media(media="print")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every((el) => el.dataset.drawn === '1000')"
    )
    assert page.evaluate("() => performance.getEntriesByName('chart-drawn').length") == len(ids)
    assert page.evaluate("() => performance.getEntriesByName('charts-all-drawn').length") == 1
    pdf = tab.folder / "dashboard-lazy.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == len(ids)
    tab.assert_no_console_errors()

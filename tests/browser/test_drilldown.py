"""The steering group on the cost dashboard in Chromium: from the administration down to a
unit by the tables' links and back up by the breadcrumb; down by a click on a chart's
line (an area) and bar (a department); the target path next to the
SKR chart, its projection drawn; every "Om måttet" panel opened, checked by axe-core.

Data: tests/browser/conftest.py's year_of_costs (actuals 2025-01 .. 2026-03 for units
0101, 2001 and 3001, a 2026 budget).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import LSO
from tests.browser.test_accessibility import FAILING, Audit

pytestmark = pytest.mark.browser

KIRURGI = "Kirurgiskt centrum"


def open_details(tab, selector: str) -> int:
    return tab.page.evaluate(
        "(s) => { const found = document.querySelectorAll(s);"
        " found.forEach((d) => { d.open = true; }); return found.length; }",
        selector,
    )


def heading(tab) -> str:
    return tab.page.locator("h1").first.inner_text()


def test_the_steering_group_drills_down_to_a_unit_and_back(tab, people, year_of_costs, axe_js):
    audit = Audit(tab, axe_js)
    tab.login("styr", next_path="/")
    page = tab.page

    # The administration: the areas are the links of chart 5's table.
    open_details(tab, "#agency-r12-by-area details.chart-table")
    with page.expect_navigation():
        page.locator("#agency-r12-by-area").get_by_role("link", name=LSO).first.click()
    assert heading(tab).startswith(f"Hyrpersonal – {LSO}, mars 2026")
    crumbs = page.get_by_role("navigation", name="Var i organisationen")
    assert crumbs.get_by_role("link", name="Hela förvaltningen").is_visible()
    audit.check("area")

    # The area: its departments are the links of chart 7's table.
    with page.expect_navigation():
        page.locator("#agency-by-department").get_by_role("link", name=KIRURGI).first.click()
    assert heading(tab).startswith(f"Hyrpersonal – {KIRURGI}")
    assert page.locator("#agency-by-unit h2").inner_text() == "7. Kostnad per enhet och yrkesgrupp"
    audit.check("department")

    # The department: its units.
    with page.expect_navigation():
        page.locator("#agency-by-unit").get_by_role(
            "link", name="2001 Kirurgavdelning 1"
        ).first.click()
    assert heading(tab).startswith("Hyrpersonal – 2001 Kirurgavdelning 1")
    assert "urval=unit%3A2001" in page.url
    assert [t.strip() for t in crumbs.locator("li").all_inner_texts()] == [
        "Hela förvaltningen",
        LSO,
        KIRURGI,
        "2001 Kirurgavdelning 1",
    ]
    # the target path beside the SKR chart, its projection drawn in the chart
    assert page.locator("#skr-target-path .chart-lead").is_visible()
    page.wait_for_selector("#chart-skr-measure[data-drawn]")  # drawn as it comes into view
    projection = page.locator("#chart-skr-measure .scatterlayer .trace").count()
    assert projection >= 2
    opened = open_details(tab, "details.about-measure")
    assert opened == page.locator("section.chart-section").count()
    assert page.get_by_text(
        "Konton i varje kategori (kontomappningen som den är nu)"
    ).first.is_visible()
    audit.check("unit-with-om-mattet-open")

    # Back up by the breadcrumb.
    with page.expect_navigation():
        crumbs.get_by_role("link", name=LSO).click()
    assert heading(tab).startswith(f"Hyrpersonal – {LSO}")
    audit.assert_clean()
    for _page, (violations, _errors) in audit.pages.items():
        assert not [v for v in violations if v["impact"] in FAILING]


# The centre of a drawn point of chart `chart`'s trace in legend group `group` that drills
# down (meta), in the window's coordinates; the chart drawn first.
POINT = """([chart, group, selector]) => {
  const el = document.getElementById(chart);
  if (!el || !el.dataset.drawn) { return null; }
  const traces = el.querySelectorAll(".trace");
  for (let i = 0; i < el.data.length; i++) {
    const trace = el.data[i];
    if (trace.meta && trace.legendgroup === group && traces[i]) {
      const found = [...traces[i].querySelectorAll(selector)].filter(
        (p) => p.getBoundingClientRect().width > 2);
      if (found.length) {
        const box = found[found.length - 1].getBoundingClientRect();
        return {x: box.left + box.width / 2, y: box.top + box.height / 2};
      }
    }
  }
  return null;
}"""


def click_point(tab, chart: str, group: str, selector: str) -> None:
    page = tab.page
    page.locator(f"#{chart}").scroll_into_view_if_needed()
    page.wait_for_function(POINT, arg=[chart, group, selector])
    point = page.evaluate(POINT, [chart, group, selector])
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(200)  # Plotly's hover first: a click is on what it hovers
    assert "drill" in (page.locator(f"#{chart}").get_attribute("class") or "")
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])


def test_a_click_on_an_areas_line_and_a_departments_bar_drills_down(tab, people, year_of_costs):
    tab.login("styr", next_path="/")
    # The administration: chart 5's line of an area opens the area's page.
    click_point(tab, "chart-agency-r12-by-area", LSO, ".points path")
    assert heading(tab).startswith(f"Hyrpersonal – {LSO}, mars 2026")
    # The area: chart 7's bar of a department (this year's, Ssk/Bm) opens its page.
    click_point(tab, "chart-agency-by-department", "hyr_ssk_bm", ".point path")
    assert heading(tab).startswith(f"Hyrpersonal – {KIRURGI}")
    assert "urval=department%3AKirurgiskt+centrum" in tab.page.url

"""Every page on a phone (390 px wide): no horizontal scroll, and in every chart no text on
other text: the title, the legend, tick labels, axis titles, panel titles and bar labels
each keep their own box, inside the chart; no axis repeats a tick label. Also: a chart is laid out again when the window
narrows, and date axes name the months as the page's language writes them.

The screenshots (test-output/screenshots/<test>/) show each page as the phone does.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from kpis.models import Department
from kpis.national import services as national_services
from tests.browser.conftest import LSO, TIMEOUT_MS, Tab, screenshot_folder
from tests.test_placements_pages import PLACEMENTS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Each chart's text boxes, and where two overlap or one leaves the chart (or the window).
# Rotated tick labels never occur (base_axis: level or upright), so boxes are exact enough.
OVERLAPS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const kinds = [
    [".gtitle", "title"], [".legend", "legend"],
    [".xaxislayer-above text", "x tick"], [".yaxislayer-above text", "y tick"],
    [".infolayer g[class^='g-x'] text", "x title"], [".infolayer g[class^='g-y'] text", "y title"],
    [".annotation-text-g text", "panel title"], ["text.bartext", "bar label"],
  ];
  for (const chart of document.querySelectorAll("[data-figure]")) {
    // An axis says each tick once ("dec 2024" three times is no axis).
    for (const layer of chart.querySelectorAll(".xaxislayer-above, .yaxislayer-above")) {
      const texts = [...layer.querySelectorAll("text")].map((t) => t.textContent);
      texts.forEach((text, i) => {
        if (i > 0 && text === texts[i - 1]) {
          problems.push(`${chart.id}: the tick label '${text}' twice in a row`);
        }
      });
    }
    const items = [];
    for (const [selector, kind] of kinds) {
      for (const node of chart.querySelectorAll(selector)) {
        const box = node.getBoundingClientRect();
        if (box.width > 0.5 && box.height > 0.5 && node.textContent.trim()) {
          items.push({kind, text: node.textContent.trim().slice(0, 40), box});
        }
      }
    }
    const edge = chart.getBoundingClientRect();
    for (const it of items) {
      if (it.box.left < edge.left - 1 || it.box.right > Math.min(edge.right, width) + 1) {
        problems.push(`${chart.id}: ${it.kind} '${it.text}' leaves the chart`);
      }
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i].box, b = items[j].box;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1) {
          problems.push(`${chart.id}: ${items[i].kind} '${items[i].text}' on ` +
                        `${items[j].kind} '${items[j].text}'`);
        }
      }
    }
  }
  return problems;
}"""

DRAWN = "() => [...document.querySelectorAll('[data-figure]')].every((el) => el.dataset.drawn)"

# The month abbreviation of a date axis's tick label ("jan 2025").
TICK_MONTH = re.compile(r"^(\w{3}) \d{4}$")


def wait_until_drawn(tab: Tab) -> int:
    """Wait until every chart is drawn and fitted to its width; the number of charts."""
    tab.page.wait_for_function(DRAWN)
    return tab.page.locator("[data-figure]").count()


class Phone:
    """The pages a test opens on the phone and what is wrong with each."""

    def __init__(self, tab: Tab):
        self.tab = tab
        self.problems: dict[str, list[str]] = {}
        self.charts = 0

    def check(self, label: str) -> None:
        page = self.tab.page
        self.charts += wait_until_drawn(self.tab)
        self.tab.shot(label)
        found = []
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > PHONE["width"]:
            found.append(f"the page is {scroll} px wide")
        found += page.evaluate(OVERLAPS)
        found += self.tab.take_console_errors()
        self.problems[f"{label} ({self.tab.path()})"] = found

    def visit(self, path: str, label: str) -> None:
        self.tab.goto(path, None)
        self.check(label)

    def assert_fine(self) -> None:
        bad = {page: found for page, found in self.problems.items() if found}
        report = "\n".join(
            f"{page}:\n" + "\n".join(f"  {p}" for p in found[:12]) for page, found in bad.items()
        )
        assert not bad, f"{len(bad)} of {len(self.problems)} pages at 390 px:\n{report}"


@pytest.fixture
def phone_tab(browser, live, request) -> Tab:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale="sv-SE",
        reduced_motion="reduce",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page=page, base_url=live, folder=screenshot_folder(request.node.name))
    page.on("console", tab._on_console)
    page.on("pageerror", lambda error: tab.console_errors.append(f"page error: {error}"))
    page.on("response", tab._on_response)
    yield tab
    context.close()


def more_quarters() -> None:
    """Three quarters before the fixture's 2026-Q1, so chart 9 draws lines."""
    national_services.national_import(
        data=(
            "Period;Region;Andel\n"
            "2025-Q2;Riket;2,6\n2025-Q2;Region Västerbotten;3,2\n2025-Q2;Region Norrbotten;12,1\n"
            "2025-Q3;Riket;2,9\n2025-Q3;Region Västerbotten;3,6\n2025-Q3;Region Norrbotten;13,4\n"
            "2025-Q4;Riket;2,4\n2025-Q4;Region Västerbotten;3,1\n2025-Q4;Region Norrbotten;11,0\n"
        ).encode()
    )


def test_every_page_fits_a_phone(
    phone_tab, people, year_of_costs, sick_leave_months, survey_years, hr_partner
):
    tab = phone_tab
    more_quarters()
    Department.objects.filter(name="Kirurgiskt centrum").update(units_separate=True)
    phone = Phone(tab)
    tab.goto("/konto/inloggning/", None)
    phone.check("login")
    tab.login("root", next_path="/importera/")
    phone.check("upload")

    # The dashboards: the ten SKR panels, the department panels, the national comparison.
    phone.visit("/?manad=2026-03", "dashboard")
    assert tab.page.locator("#chart-national-trend .main-svg").count()
    phone.visit(f"/?manad=2026-03&urval={quote('area:' + LSO)}", "dashboard-area")
    phone.visit(f"/?urval={quote('department:Kirurgiskt centrum')}", "dashboard-department")
    # A unit: the breadcrumb's four levels, the target path, every table and Om måttet open.
    phone.visit("/?manad=2026-03&urval=unit:2001", "dashboard-unit")
    tab.page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    phone.check("dashboard-unit-all-open")
    phone.visit("/sjukfranvaro/", "sick-leave")
    phone.visit(f"/sjukfranvaro/?urval={quote('area:' + LSO)}", "sick-leave-area")
    phone.visit("/medarbetarundersokning/", "survey")
    phone.visit("/medarbetarundersokning/?urval=unit:2001", "survey-unit")

    # Uploads and their histories.
    phone.visit("/importera/?typ=sick_leave", "upload-sick-leave")
    phone.visit("/importer/", "history")
    phone.visit("/medarbetarundersokning/importera/", "survey-upload")
    phone.visit("/medarbetarundersokning/importer/", "survey-history")
    phone.visit("/nationell-jamforelse/", "national-upload")
    phone.visit("/styrgruppspaket/", "pack")

    # The consultants' placements: an import, the list, a consultant, the hours.
    phone.visit("/bemanning/importera/", "placements-upload")
    tab.page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(
        files=[{"name": "bemlo.csv", "mimeType": "text/csv", "buffer": PLACEMENTS}]
    )
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Kontrollera filen").click()
    phone.check("placements-confirm")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Spara importen").click()
    phone.check("placements-history")
    phone.visit("/bemanning/?datum=2026-03-15", "placements-list")
    phone.visit("/bemanning/konsult/K3/?datum=2026-03-15", "placements-consultant")
    phone.visit("/bemanning/timmar/", "placements-hours")
    phone.visit("/start/", "start")

    assert phone.charts >= 40, phone.charts  # the checks saw charts, drawn
    phone.assert_fine()


def test_a_chart_is_laid_out_again_when_the_window_narrows(tab, people, year_of_costs):
    page = tab.page
    tab.login("styr", next_path="/?manad=2026-03")
    wait_until_drawn(tab)
    panels = page.locator("#chart-skr-measure-scopes")
    wide_height = panels.bounding_box()["height"]
    # Three panels a row: the first row's three titles share one top.
    tops = page.evaluate(
        "() => [...document.querySelectorAll('#chart-skr-measure-scopes .annotation')]"
        ".map((a) => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops[:3])) == 1

    page.set_viewport_size(PHONE)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every((el) => el.dataset.drawn && Number(el.dataset.drawn) < 390)"
    )
    tab.shot("narrowed")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(OVERLAPS) == []
    # One panel a row now: every title has a top of its own, and the chart is taller.
    tops = page.evaluate(
        "() => [...document.querySelectorAll('#chart-skr-measure-scopes .annotation')]"
        ".map((a) => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(tops) >= 7  # the administration, three care types, three areas
    assert len(set(tops)) == len(tops)
    assert panels.bounding_box()["height"] > 1.5 * wide_height
    tab.assert_no_console_errors()


def tick_months(tab: Tab, chart: str) -> list[str]:
    texts = tab.page.evaluate(
        f"() => [...document.querySelectorAll('#{chart} .xaxislayer-above text')]"
        ".map((t) => t.textContent)"
    )
    return [m.group(1) for m in map(TICK_MONTH.match, texts) if m]


def test_date_axes_name_the_months_as_the_language_writes_them(tab, people, sick_leave_months):
    tab.login("styr", next_path="/sjukfranvaro/?manad=2025-03")
    wait_until_drawn(tab)
    tab.shot("swedish")
    # Four months of R12: a tick a month, not "dec 2024" three times.
    assert tab.page.evaluate(OVERLAPS) == []
    months = tick_months(tab, "chart-sick-leave-r12")
    # Swedish: lower case ("jan 2025"), with Swedish names where they differ ("maj", "okt").
    assert months, "no month on the date axis"
    assert all(
        m in {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
        for m in months
    ), months

    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Byt språk till English").click()
    wait_until_drawn(tab)
    tab.shot("english")
    months = tick_months(tab, "chart-sick-leave-r12")
    assert months, "no month on the date axis"
    assert all(m[0].isupper() and m[1:].islower() for m in months), months
    tab.assert_no_console_errors()

"""Every page of the site against axe-core (WCAG 2.1 A and AA, which the Swedish law on
accessible public digital services requires), and without console errors: a script the
Content Security Policy blocks, a failed stylesheet or a JavaScript error shows up there.

Each test walks a role's pages and reports every page's problems together. Serious and
critical violations fail; moderate and minor ones are printed (pytest -rP shows them).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kpis.models import ImportBatch

pytestmark = pytest.mark.browser

FILE_LABEL = "Fil (CSV eller Excel .xlsx)"
FAILING = {"serious", "critical"}

APRIL = "Period;Ansvar;Konto;Belopp;Timmar\n2026-04;0101;4601;1 250 000;11\n2026-04;0101;9999;5\n"
BROKEN = "Period;Ansvar;Konto;Belopp\n2026-13;0101;4601;tusen\n2026-04;9999;4601;100\n"


class Audit:
    """The axe results and console errors of each page a test looks at."""

    def __init__(self, tab, axe_js):
        self.tab = tab
        self.axe_js = axe_js
        self.pages: dict[str, tuple[list[dict], list[str]]] = {}

    def check(self, label: str) -> None:
        """Audit the page now in the browser; `label` names it in the report."""
        if self.tab.page.locator("[data-figure]").count():
            # The charts are part of the page: audit them drawn.
            self.tab.page.locator("[data-figure] .main-svg").first.wait_for(state="attached")
            self.tab.page.wait_for_function(
                "() => [...document.querySelectorAll('[data-figure]')]"
                ".every((el) => el.querySelector('.main-svg'))"
            )
        self.tab.shot(label)
        self.pages[f"{label} ({self.tab.path()})"] = (
            self.tab.axe(self.axe_js),
            self.tab.take_console_errors(),
        )

    def visit(self, path: str, label: str, *, status: int = 200) -> None:
        self.tab.goto(path, None, status=status)
        self.check(label)

    def report(self) -> str:
        lines = []
        for page, (violations, errors) in self.pages.items():
            if not violations and not errors:
                continue
            lines.append(f"{page}:")
            for v in sorted(violations, key=lambda v: v["impact"] not in FAILING):
                lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
                for node in v["nodes"][:5]:
                    summary = " ".join(node["summary"].split())
                    lines.append(f"      {node['target']}: {summary}")
                if len(v["nodes"]) > 5:
                    lines.append(f"      … and {len(v['nodes']) - 5} more")
            lines.extend(f"  [console] {error}" for error in errors)
        return "\n".join(lines)

    def assert_clean(self) -> None:
        report = self.report()
        if report:
            print(report)
        failing = [
            page
            for page, (violations, errors) in self.pages.items()
            if errors or any(v["impact"] in FAILING for v in violations)
        ]
        assert not failing, (
            f"serious or critical axe violations, or console errors, on {len(failing)} of "
            f"{len(self.pages)} pages:\n{report}"
        )


@pytest.fixture
def audit(tab, axe_js) -> Audit:
    return Audit(tab, axe_js)


def test_the_login_page(audit, tab, live):
    audit.visit("/konto/inloggning/", "login")
    tab.page.get_by_label("Användarnamn").fill("ingen")
    tab.page.get_by_label("Lösenord").fill("fel")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Logga in").click()
    assert tab.page.get_by_text("korrekt användarnamn").is_visible()
    audit.check("login-refused")
    audit.assert_clean()


def test_the_controllers_pages(audit, tab, people, year_of_costs):
    tab.login("ctrl", next_path="/importera/")
    page = tab.page
    audit.check("upload")

    audit.visit("/", "dashboard-hsf")
    audit.visit(f"/?urval={quote('care:primärvård')}", "dashboard-care-type")
    audit.visit(f"/?manad=2025-06&urval={quote('area:Länssjukvårdsområde 1')}", "dashboard-area")

    tab.goto("/importera/", None)
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": "fel.csv", "mimeType": "text/csv", "buffer": BROKEN.encode()}]
    )
    with page.expect_navigation() as refused:
        page.get_by_role("button", name="Kontrollera filen").click()
    assert refused.value.status == 400
    assert page.get_by_role("alert").is_visible()
    audit.check("upload-refused")

    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": "april.csv", "mimeType": "text/csv", "buffer": APRIL.encode()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    assert page.get_by_role("heading", name="Bekräfta import").is_visible()
    assert page.get_by_text("hoppas över").is_visible()  # account 9999 is not mapped
    audit.check("confirm")

    assert ImportBatch.objects.count() == 2  # the fixture's actuals and budget
    audit.visit("/importer/", "history")
    audit.visit("/nationell-jamforelse/", "national-comparison")
    audit.assert_clean()


def test_the_refused_page_the_empty_dashboard_and_the_admin(audit, tab, context, people):
    tab.login("styr")
    assert tab.page.get_by_role("heading", name="Inga utfall ännu").is_visible()
    audit.check("dashboard-empty")
    audit.visit("/importera/", "refused", status=403)

    context.clear_cookies()
    tab.login("root", next_path="/admin/")
    audit.check("admin-index")
    audit.assert_clean()

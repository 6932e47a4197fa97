"""Every page of the site against axe-core (WCAG 2.1 A and AA, which the Swedish law on
accessible public digital services requires), and without console errors: a script the
Content Security Policy blocks, a failed stylesheet or a JavaScript error shows up there.

Covered: the login, the cost dashboard and the controller's tools, sick leave (page per
scope, upload, refusal, confirmation, history; controller, styrgrupp and hr), the survey
(administration, area, department, unit comparison, an earlier year, upload, refusal, both
confirmations, history; hr and styrgrupp), the consultants' placements (the empty list,
upload, refusal, confirmation, history, the list, a consultant's timeline, the hours beside
the ledger's, the counts on the cost dashboard), the empty pages, the start page and the
admin.

Each test walks a role's pages and reports every page's problems together. Serious and
critical violations fail; moderate and minor ones are printed (pytest -rP shows them).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest

from kpis.batches import months_close
from kpis.models import Area, Commentary, Department, ImportBatch, Target
from tests.browser.conftest import LSO, SURVEY_EMPLOYEES, survey_answers
from tests.test_placements_pages import PLACEMENTS

pytestmark = pytest.mark.browser

FILE_LABEL = "Fil (CSV eller Excel .xlsx)"
FAILING = {"serious", "critical"}

APRIL = "Period;Ansvar;Konto;Belopp;Timmar\n2026-04;0101;4601;1 250 000;11\n2026-04;0101;9999;5\n"
BROKEN = "Period;Ansvar;Konto;Belopp\n2026-13;0101;4601;tusen\n2026-04;9999;4601;100\n"
SICK_LEAVE_BROKEN = (
    "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
    "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-\n"
    "2025-04;0101;X;30-49;20;100;120;0;0\n"
    "2025-04;9999;K;30-49;20;3000;120;0;0\n"
)
SICK_LEAVE_APRIL = (
    "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
    "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-\n"
    "2025-04;0101;K;30-49;20;3000;120;30;60\n"
)
SURVEY_BROKEN = "RespondentID;Ansvar;HME_M1;OKAND\nr1;9999;7;1\nr1;0101;3;1\n"


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
    # A department with its own comment and the administration's beside it, a target that
    # follows the administration's, months closed through February.
    department = "department:Kirurgiskt centrum"
    for scope, text in (("hsf", "Färre hyrläkare."), (department, "Två vakanser tillsatta.")):
        Commentary.objects.create(
            period=dt.date(2026, 3, 1), chart="agency-ytd", scope=scope, text=text
        )
    Target.objects.create(
        year=2026, scope_kind="area", area=Area.objects.get(name=LSO), follows_hsf=True
    )
    months_close(kind="actuals", through=dt.date(2026, 2, 1))
    audit.visit(f"/?urval={quote(department)}", "dashboard-department")
    audit.visit(f"/?urval={quote('area:' + LSO)}", "dashboard-area-following-target")

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
    confirm_path = tab.path()
    # April has one unit, March (the newest month with data) every area's: a partial new
    # month, imported when explicitly confirmed (its one choice, not made beforehand).
    assert page.get_by_role("alert").filter(has_text="jämfört med mars 2026").is_visible()
    page.get_by_label(re.compile(r"^Importera filen ändå")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Spara importen").click()
    audit.visit(confirm_path, "back-after-confirm")  # "Importen är redan sparad"

    assert ImportBatch.objects.count() == 3  # the fixture's actuals and budget, April
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


def upload_file(tab, *, name: str, data: str | bytes, status: int = 200) -> None:
    """Choose the file on the upload page now in the browser and have it checked."""
    page = tab.page
    buffer = data.encode() if isinstance(data, str) else data
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": buffer}]
    )
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Kontrollera filen").click()
    assert navigation.value.status == status


def open_about(page) -> int:
    """Open every chart's "Om måttet" panel; how many there are."""
    return page.evaluate(
        "() => { const found = document.querySelectorAll('details.about-measure');"
        " found.forEach((d) => { d.open = true; }); return found.length; }"
    )


def test_the_sick_leave_pages(audit, tab, context, people, sick_leave_months):
    page = tab.page
    tab.login("ctrl", next_path="/sjukfranvaro/")
    audit.check("sick-leave-hsf")  # with the controller's "Stäng till och med" button
    audit.visit(f"/sjukfranvaro/?urval={quote('care:primärvård')}", "sick-leave-care-type")
    audit.visit(f"/sjukfranvaro/?urval={quote('area:' + LSO)}", "sick-leave-area")
    assert open_about(page) == 4  # every chart's "Om måttet", opened
    audit.check("sick-leave-area-om-mattet-open")
    # June 2024: the young men of LSO were 3, withheld with what would give them away.
    audit.visit(
        f"/sjukfranvaro/?manad=2024-06&urval={quote('department:Kirurgiskt centrum')}",
        "sick-leave-department-withheld",
    )

    audit.visit("/importera/?typ=sick_leave", "upload-sick-leave")
    upload_file(tab, name="fel.csv", data=SICK_LEAVE_BROKEN, status=400)
    assert page.get_by_role("alert").is_visible()
    audit.check("upload-sick-leave-refused")
    page.get_by_label("Sjukfrånvaro").check()
    upload_file(tab, name="april.csv", data=SICK_LEAVE_APRIL)
    assert page.get_by_role("heading", name="Bekräfta import").is_visible()
    assert page.get_by_text("(Sjukfrånvaro)").is_visible()
    audit.check("confirm-sick-leave")
    audit.visit("/importer/", "history-with-sick-leave")

    context.clear_cookies()
    tab.login("styr", next_path="/sjukfranvaro/")
    audit.check("sick-leave-styrgrupp")

    # HR imports sick leave too: its upload page offers that kind only.
    context.clear_cookies()
    tab.login("hrp", next_path="/importera/")
    assert page.get_by_role("heading", name="Importera sjukfrånvaro").is_visible()
    audit.check("upload-hr")
    audit.visit("/importer/", "history-hr")
    audit.assert_clean()


def test_the_survey_pages(audit, tab, context, people, hr_partner, survey_years):
    page = tab.page
    # HR logs in from the site's address and lands on the survey, not on a refusal.
    tab.login("hrp", next_path="/", lands="/medarbetarundersokning/")
    audit.check("survey-hsf")
    audit.visit(f"/medarbetarundersokning/?urval={quote('area:' + LSO)}", "survey-area")
    assert open_about(page) == page.locator("section.chart-section").count() >= 8
    audit.check("survey-area-om-mattet-open")
    audit.visit(
        f"/medarbetarundersokning/?urval={quote('department:Kirurgiskt centrum')}",
        "survey-department",
    )
    # A unit compared upward (department, area, administration) and with last year.
    audit.visit("/medarbetarundersokning/?urval=unit:2001", "survey-unit-comparison")
    # One index (HME by default) for the department's units side by side and question
    # by question, every bar with its value; then eNPS, chosen in the form.
    for heading in (
        "8. HME totalt per enhet i Kirurgiskt centrum",
        "9. HME totalt fråga för fråga",
    ):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator("#chart-index-per-grupp text.bartext").count() == 3
    page.get_by_label("Index per grupp och fråga").select_option("enps")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert "index=enps" in tab.path()
    assert page.get_by_role("heading", name="8. eNPS per enhet i Kirurgiskt centrum").is_visible()
    audit.check("survey-unit-enps")
    audit.visit("/medarbetarundersokning/?ar=2023&urval=unit:2002", "survey-unit-2023")

    audit.visit("/medarbetarundersokning/importera/", "survey-upload")
    page.get_by_label("Undersökningsår").fill("2024")
    upload_file(tab, name="fel.csv", data=SURVEY_BROKEN, status=400)
    assert page.get_by_role("alert").is_visible()
    audit.check("survey-upload-refused")
    page.get_by_label("Svar", exact=True).check()
    page.get_by_label("Undersökningsår").fill("2025")
    upload_file(tab, name="mu-2025.csv", data=survey_answers(2024))
    assert page.get_by_role("heading", name="Bekräfta import").is_visible()
    audit.check("survey-confirm-answers")
    tab.goto("/medarbetarundersokning/importera/", None)
    page.get_by_label("Antal medarbetare").check()
    page.get_by_label("Undersökningsår").fill("2023")
    upload_file(tab, name="medarbetare-2023.csv", data=SURVEY_EMPLOYEES)
    assert page.get_by_text("40 medarbetare i 5 enheter").is_visible()
    audit.check("survey-confirm-employees")
    audit.visit("/medarbetarundersokning/importer/", "survey-history")

    # The steering group: the administration and the areas, no units.
    context.clear_cookies()
    tab.login("styr", next_path="/medarbetarundersokning/")
    assert page.locator("#id_urval option[value='unit:2001']").count() == 0
    audit.check("survey-styrgrupp")
    audit.visit(f"/medarbetarundersokning/?urval={quote('area:Tandvården')}", "survey-area-styr")
    audit.assert_clean()


PLACEMENTS_BROKEN = (
    "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar\n"
    ";Ida Ek;Medpool AB;Läkare;9999;2025-05-01;2025-04-30;10\n"
)


def test_the_placements_pages(audit, tab, context, people, year_of_costs):
    page = tab.page
    Department.objects.filter(name="Kirurgiskt centrum").update(units_separate=True)
    tab.login("bem", next_path="/", lands="/bemanning/")
    audit.check("placements-empty")
    audit.visit("/bemanning/importera/", "placements-upload")
    upload_file(tab, name="fel.csv", data=PLACEMENTS_BROKEN, status=400)
    assert page.get_by_role("alert").is_visible()
    audit.check("placements-upload-refused")
    upload_file(tab, name="bemlo.csv", data=PLACEMENTS)
    assert page.get_by_role("heading", name="Bekräfta import").is_visible()
    audit.check("placements-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara importen").click()
    audit.check("placements-history")
    audit.visit("/bemanning/?datum=2026-03-15", "placements-list")
    audit.visit("/bemanning/konsult/K3/?datum=2026-03-15", "placements-consultant")
    audit.visit("/bemanning/timmar/", "placements-hours")

    # The steering group: the counts beside the purchased hours, the hours page.
    context.clear_cookies()
    tab.login("styr", next_path="/")
    assert page.get_by_role("table", name=re.compile("^Inhyrda konsulter per område")).count()
    audit.check("dashboard-with-placement-counts")
    audit.visit("/bemanning/timmar/?omrade=Tandv%C3%A5rden", "placements-hours-area")
    audit.assert_clean()


def test_the_pages_before_any_data_and_the_start_page(audit, tab, context, people):
    # HR from the site's address: the survey page, with nothing imported yet.
    tab.login("hrp", next_path="/", lands="/medarbetarundersokning/")
    assert tab.page.get_by_role("heading", name="Inga resultat ännu").is_visible()
    audit.check("survey-empty")
    audit.visit("/sjukfranvaro/", "sick-leave-empty")
    audit.visit("/medarbetarundersokning/importer/", "survey-history-empty")

    # A user without a role: the start page says so.
    context.clear_cookies()
    tab.login("ingen", next_path="/", lands="/start/")
    assert tab.page.get_by_role("heading", name="Ditt konto har inga sidor ännu").is_visible()
    audit.check("start-no-pages")
    audit.assert_clean()

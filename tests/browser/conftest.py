"""Browser tests: Debian's headless Chromium, driven by playwright, against Django's live server.

- One Chromium for the browser tests (package scope), a fresh context (cookies,
  downloads) per test. Never `playwright install`: the browser is Debian's
  /usr/bin/chromium, and axe-core comes from npm (`make browser-deps` installs both).
- Without Chromium the suite is skipped locally, with the reason; in CI (env CI set) it
  fails instead, so a build cannot pass without having run it.
- The live server is pytest-django's: a transactional database, and static files served
  through the finders (StaticLiveServerTestCase), so Plotly and Bootstrap load as in
  production. The role groups come from a data migration, which a transactional test's
  flush would delete: the tests ask for a serialized rollback, which puts them back.
- Every page a test looks at is saved as test-output/screenshots/<test>/<nn>-<step>.png.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.db import connections

from kpis.costs import services as cost_services
from kpis.models import Area, ImportBatch
from kpis.national import services as national_services
from survey import services as survey_services
from survey.models import HrAccess
from tests import sick_leave_data
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(
  (result) => result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  })))"""


@functools.cache
def axe_source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def missing(what: str) -> None:
    """Skip the test locally, fail it in CI: CI must not pass without the browser tests."""
    message = f"{what} is missing; `make browser-deps` installs it."
    if os.environ.get("CI"):
        pytest.fail(f"{message} CI runs the browser tests and needs it.", pytrace=False)
    pytest.skip(f"Browser tests skipped: {message}")


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for the browser tests, closed when they are done.

    Not kept for the whole session: while it runs, Django sees an event loop on this
    thread (below), and the rest of the suite, `manage.py check --deploy` in a
    subprocess included, must not run with DJANGO_ALLOW_ASYNC_UNSAFE set.
    """
    if not CHROMIUM.exists():
        missing(str(CHROMIUM))
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop marked as running on this thread
    # while the browser is up. Django then (1) refuses ORM calls, unless told that
    # this synchronous code may make them, and (2) keeps the thread's database
    # connections apart from those made before the loop started (asgiref's Local
    # switches to context-local storage), so the test database's serialized contents,
    # left on the earlier connection by the database setup, must be handed over.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {
        c.alias: c._test_serialized_contents
        for c in connections.all()
        if hasattr(c, "_test_serialized_contents")
    }
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield chromium
            finally:
                chromium.close()
                # These connections are out of reach once the loop stops; PostgreSQL
                # would not drop the test database while they are open. (Django keeps
                # an in-memory SQLite database open: closing it would delete it.)
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live(live_server, django_db_serialized_rollback) -> str:
    """The live server's address, on a database holding the migrations' groups and seeds."""
    roles = ["styrgrupp", "controller", "hr", "bemanning"]
    assert Group.objects.filter(name__in=roles).count() == len(roles)
    return live_server.url


@pytest.fixture
def axe_js() -> Path:
    if not AXE_JS.exists():
        missing(f"axe-core ({AXE_JS.relative_to(ROOT)})")
    return AXE_JS


def screenshot_folder(test_name: str) -> Path:
    """test-output/screenshots/<test name>/, emptied of an earlier run's pictures."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", test_name).strip("_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@dataclass
class Tab:
    """A browser page with the test's habits: screenshots, statuses, console errors."""

    page: object  # playwright.sync_api.Page
    base_url: str
    folder: Path
    console_errors: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    shots: int = 0

    def url(self, path: str) -> str:
        return self.base_url + path

    def path(self) -> str:
        """The current URL without the server's address and #fragment (the skip link's)."""
        return self.page.url.removeprefix(self.base_url).split("#")[0]

    def shot(self, step: str) -> Path:
        self.shots += 1
        name = re.sub(r"[^\w.-]+", "-", step).strip("-") or "page"
        path = self.folder / f"{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def goto(self, path: str, step: str | None, *, status: int = 200):
        """Open `path`, check its status, save a screenshot (step None: the caller will)."""
        response = self.page.goto(self.url(path))
        assert response is not None, path
        assert response.status == status, f"{path}: {response.status}, expected {status}"
        if step:
            self.shot(step)
        return response

    def login(
        self,
        username: str,
        password: str | None = None,
        *,
        next_path: str = "/",
        lands: str | None = None,
    ) -> None:
        """Log in through the login form, as a person would (django-axes sees it).

        The browser should end on `next_path`, or on `lands` when the login goes elsewhere
        (`next=/` goes to the start page and from there to the user's first page).
        """
        self.goto(f"/konto/inloggning/?next={next_path}", f"login-{username}")
        self.page.get_by_label("Användarnamn").fill(username)
        self.page.get_by_label("Lösenord").fill(password or f"pw-{username}")
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Logga in").click()
        expected = lands or next_path
        assert self.path().split("?")[0] == expected.split("?")[0], self.page.url

    def axe(self, axe_js: Path) -> list[dict]:
        """axe-core's WCAG 2.1 A/AA violations on the current page.

        page.add_script_tag would inline the file into a <script> element, which the
        site's Content Security Policy (no inline script) refuses, as it should; the
        source is evaluated through the DevTools protocol instead, which CSP does not see.
        """
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(axe_source(axe_js))
        return self.page.evaluate(AXE_RUN, AXE_TAGS)

    def take_console_errors(self) -> list[str]:
        errors, self.console_errors = self.console_errors, []
        return errors

    def assert_no_console_errors(self) -> None:
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        # A 4xx page (403, a refused upload's 400) logs its own status; the tests
        # assert those statuses. A failing script, stylesheet or CSP block still counts.
        if message.text.startswith("Failed to load resource") and url in self.documents:
            return
        # The browser asks for /favicon.ico by itself; the site has none (nor does the admin).
        if url.removeprefix(self.base_url) == "/favicon.ico":
            return
        self.console_errors.append(f"{message.text} ({url})")

    def _on_response(self, response) -> None:
        if response.request.resource_type == "document":
            self.documents.add(response.url)


@pytest.fixture
def context(browser):
    # Reduced motion: Bootstrap then skips its transitions, so focus rings are there at
    # once (the keyboard test measures them) and screenshots do not catch them halfway.
    context = browser.new_context(
        viewport=VIEWPORT, locale="sv-SE", accept_downloads=True, reduced_motion="reduce"
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def tab(context, live, request) -> Tab:
    page = context.new_page()
    tab = Tab(page=page, base_url=live, folder=screenshot_folder(request.node.name))
    page.on("console", tab._on_console)
    page.on("pageerror", lambda error: tab.console_errors.append(f"page error: {error}"))
    page.on("response", tab._on_response)
    return tab


# --- people and data -----------------------------------------------------------------


@pytest.fixture
def people(live, settings) -> dict[str, User]:
    """One user per role, password "pw-<username>" (tests/conftest.make_user), and "ingen",
    a user without any role.

    Passwords are hashed with a fast hasher: PBKDF2 costs half a second per user and
    per login, and the hash is not what these tests are about.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {
        "styrgrupp": make_user("styr", "styrgrupp"),
        "controller": make_user("ctrl", "controller", is_staff=True),
        "hr": make_user("hrp", "hr"),
        "bemanning": make_user("bem", "bemanning"),
        "superuser": User.objects.create_superuser("root", password="pw-root"),
        "norole": make_user("ingen"),
    }


def cost_file(rows: list[tuple[str, str, str, int, int | None]]) -> bytes:
    lines = ["Period;Ansvar;Konto;Belopp;Timmar"]
    lines += [f"{p};{a};{k};{v};{'' if h is None else h}" for p, a, k, v, h in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def year_of_costs(registers, live) -> None:
    """Actuals 2025-01 .. 2026-03 in every area, a 2026 budget and a national table.

    Enough for every chart to draw lines, R12 values and targets (accessibility tests).
    """
    rows = []
    for year, last in ((2025, 12), (2026, 3)):
        for month in range(1, last + 1):
            period = f"{year}-{month:02d}"
            rows += [
                (period, "0101", "4601", 1_000_000 + 10_000 * month, 10),
                (period, "0101", "5111", 10_000_000, None),
                (period, "2001", "4611", 500_000, 5),
                (period, "2001", "5111", 40_000_000, None),
                (period, "3001", "4621", 100_000, 1),
                (period, "3001", "5111", 5_000_000, None),
            ]
    cost_services.costs_import(
        data=cost_file(rows), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    budget = [(f"2026-{m:02d}", "0101", "5111", 11_000_000, None) for m in range(1, 13)]
    cost_services.costs_import(
        data=cost_file(budget), file_name="budget.csv", kind=ImportBatch.Kind.BUDGET
    )
    national = "Period;Region;Andel\n2026-Q1;Riket;2,5\n2026-Q1;Region Västerbotten;3,9\n"
    national_services.national_import(data=national.encode("utf-8"))


@pytest.fixture
def sick_leave_months(registers, live) -> None:
    """The sick-leave extract of tests/sick_leave_data.py (2024-01 .. 2025-03, worked out by
    hand there), imported through the service: every chart has R12 values and withheld cells."""
    sick_leave_data.import_sick_leave()


# --- the employee survey -------------------------------------------------------------

LSO = "Länssjukvårdsområde 1"

# Per survey year and unit: respondents, and the answer every one of them gives to
# HME_M1 (motivation, 1-5), HME_L1 (leadership, 1-5) and ENPS (0-10). Every unit has at
# least 5 respondents (the default threshold), so nothing is hidden. A 1-5 answer x
# scores (x - 1) x 25; an index is the mean of its answers' scores.
SURVEY_ANSWERS = {
    2023: {
        "0101": (5, 3, 3, 6),
        "0102": (5, 3, 3, 6),
        "2001": (5, 3, 3, 6),
        "2002": (5, 3, 3, 6),
        "3001": (5, 3, 3, 6),
    },
    2024: {
        "0101": (5, 2, 2, 5),
        "0102": (5, 5, 5, 10),
        "2001": (6, 4, 5, 9),
        "2002": (8, 3, 4, 7),
        "3001": (5, 3, 3, 8),
    },
}
# Employees per unit in 2024 (response rates); 2023 has none.
SURVEY_EMPLOYEES = (
    b"Ansvar;Antal medarbetare\r\n0101;6\r\n0102;7\r\n2001;8\r\n2002;10\r\n3001;9\r\n"
)


def survey_answers(year: int) -> bytes:
    """The year's answers as a CSV file from Excel: one row per respondent."""
    lines = ["RespondentID;Ansvar;HME_M1;HME_L1;ENPS"]
    for ansvar, (count, motivation, leadership, enps) in SURVEY_ANSWERS[year].items():
        lines += [
            f"{year}-{ansvar}-{i};{ansvar};{motivation};{leadership};{enps}"
            for i in range(1, count + 1)
        ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def survey_years(registers, live) -> None:
    """The answers of 2023 and 2024 and the employees of 2024, through the services."""
    for year in SURVEY_ANSWERS:
        survey_services.answers_import(
            data=survey_answers(year), file_name=f"mu-{year}.csv", year=year
        )
    survey_services.population_import(
        data=SURVEY_EMPLOYEES, file_name="medarbetare-2024.csv", year=2024
    )


@pytest.fixture
def hr_partner(people, registers) -> User:
    """The HR user "hrp", HR partner for Länssjukvårdsområde 1: its departments and units."""
    access = HrAccess.objects.create(user=people["hr"])
    access.areas.set(Area.objects.filter(name=LSO))
    return people["hr"]

"""What the region's IT asks of the site: production settings, the Content Security
Policy, login throttling, hostile uploads and spreadsheet formula injection.

`manage.py check --deploy --fail-level WARNING` under the production settings is
tests/test_settings.py::test_deploy_check_passes_with_production_defaults; the
permission matrix (every URL x every role) is tests/test_permissions.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import struct
import subprocess
import sys
import zipfile
from html.parser import HTMLParser

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from hyrdash.lib import workbook as extracts
from hyrdash.lib.exports import FORMULA_PREFIXES
from kpis.costs import selection as dashboard
from kpis.costs import services as cost_services
from kpis.management.commands.export_kpi import DATE, EXPORTS, MONTH, RANGE, YEAR
from kpis.models import Area, Commentary, Department, ImportBatch, PendingUpload
from kpis.national import services as national_services
from kpis.organisation import services as org_services
from kpis.organisation.selectors import Scope
from kpis.placements import services as placement_services
from kpis.sick_leave import services as sick_leave_services
from tests.conftest import make_user
from tests.test_settings import PROJECT_ROOT, SETTINGS_VARIABLES

# --- production settings -------------------------------------------------------------


def production(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh Python with DEBUG off, as a deployment starts."""
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environ.update(
        DJANGO_SETTINGS_MODULE="hyrdash.settings", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50)
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "CONTENT_SECURITY_POLICY",
    "AXES_FAILURE_LIMIT", "UPLOAD_MAX_BYTES", "MIDDLEWARE",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def test_production_settings_secure_cookies_hsts_and_https():
    result = production(PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert 0 < values["AXES_FAILURE_LIMIT"] <= 10
    assert values["UPLOAD_MAX_BYTES"] <= 100 * 1024 * 1024
    middleware = values["MIDDLEWARE"]
    for name in (
        "django.middleware.security.SecurityMiddleware",
        "csp.middleware.CSPMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert name in middleware, name


REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/importera/")
secure = client.get("/importera/", secure=True)
print(plain.status_code, plain["Location"])
print(secure.status_code, secure["Location"])
print(secure.headers.get("Strict-Transport-Security"))
print(secure.headers.get("Content-Security-Policy"))
"""


def test_production_answers_redirect_to_https_and_send_hsts():
    """A real request through the production middleware (no database: anonymous)."""
    result = production(REQUESTS, ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    plain, secure, hsts, policy = result.stdout.splitlines()

    assert plain == "301 https://testserver/importera/"
    assert secure == "302 /konto/inloggning/?next=/importera/"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self';" in policy + ";"


# --- headers -------------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_headers(response):
    policy = csp_directives(response)
    assert policy["script-src"] == ["'self'"], policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    for directive in ("script-src", "default-src", "connect-src"):
        for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            assert loose not in policy.get(directive, []), (directive, loose)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- a hostile organisation and its data ---------------------------------------------

# Names a spreadsheet would run as formulas, and one that would be a script in HTML.
ORG = """Ansvar;Enhet;Verksamhet;Område;Vårdtyp
0101;=Enhet ett;=1+2;=Område ett;primärvård
0102;+Enhet två;+Verksamhet två;+Område två;sjukhusvård
2001;-Enhet tre;-Verksamhet tre;-Område tre;sjukhusvård
3001;@Enhet fyra;@Verksamhet fyra;@Område fyra;tandvård
3002;Enhet fem;<script>alert(1)</script>;Område fem;primärvård
"""
EVIL_AREAS = ["=Område ett", "+Område två", "-Område tre", "@Område fyra"]
EVIL_DEPARTMENTS = ["=1+2", "+Verksamhet två", "-Verksamhet tre", "@Verksamhet fyra"]
# The units' names are in the costs' downloads per unit (agency-by-unit).
EVIL_UNITS = ["=Enhet ett", "+Enhet två", "-Enhet tre", "@Enhet fyra"]
NATIONAL = """Period;Region;Andel
2025-Q1;Riket;2,5
2025-Q1;=Region X;1,5
2025-Q1;Region Västerbotten;3,9
"""
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02", "2025-03"]


def sick_leave_rows() -> str:
    """Every unit's staff in groups large enough to show (the names are what matters)."""
    lines = [
        "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
        "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-"
    ]
    for month in MONTHS:
        for ansvar in ("0101", "0102", "2001", "3001", "3002"):
            lines.append(f"{month};{ansvar};K;30-49;20;3000;150,5;20;30")
            lines.append(f"{month};{ansvar};M;-29;12;1800;40;0;60")
            lines.append(f"{month};{ansvar};M;50-;15;2250;60;10;0")
    return "\n".join(lines) + "\n"


def cost_rows() -> str:
    lines = ["Period;Ansvar;Konto;Belopp;Timmar"]
    for month in MONTHS:
        later = month.startswith("2025")
        for ansvar in ("0101", "0102", "2001", "3001", "3002"):
            # Agency costs fall in 2025: negative changes in the year-to-date table.
            lines.append(f"{month};{ansvar};4601;{50_000 if later else 80_000};10")
            lines.append(f"{month};{ansvar};4611;20000,50;4")
            lines.append(f"{month};{ansvar};5111;1000000;")
    return "\n".join(lines) + "\n"


@pytest.fixture
def hostile(db, accounts, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    org_services.org_import(data=ORG.encode())
    cost_services.costs_import(
        data=cost_rows().encode(), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    national_services.national_import(data=NATIONAL.encode())
    sick_leave_services.sick_leave_import(
        data=sick_leave_rows().encode(), file_name="sjukfranvaro.csv"
    )
    Commentary.objects.create(
        period="2025-03-01", chart="agency-r12", text="<script>alert('kommentar')</script>"
    )
    assert sorted(Area.objects.values_list("name", flat=True)) == sorted(
        [*EVIL_AREAS, "Område fem"]
    )


@pytest.fixture
def ctrl(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(make_user("ctrl", "controller", is_staff=True))
    return client


# --- no inline script ----------------------------------------------------------------


class ScriptFinder(HTMLParser):
    """Collects the script a CSP without 'unsafe-inline' in script-src would block.

    (Inline styles are allowed: Plotly writes them.)
    """

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if not attrs.get("src") and attrs.get("type") != "application/json":
                self.problems.append(f"inline <script {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}>")


def assert_no_inline_script(response):
    assert response.status_code in (200, 400, 403, 429), response.status_code
    html = response.content.decode()
    finder = ScriptFinder()
    finder.feed(html)
    assert not finder.problems, (response.request["PATH_INFO"], finder.problems)
    assert_secure_headers(response)
    return finder


def test_the_script_check_finds_what_the_policy_would_block():
    finder = ScriptFinder()
    finder.feed(
        '<script src="/static/a.js"></script><script type="application/json">{}</script>'
        '<script>alert(1)</script><button onclick="x()">b</button>'
        '<a href="javascript:x()">c</a><script type="module">y()</script>'
    )
    assert finder.scripts == 4
    assert len(finder.problems) == 4, finder.problems


def test_the_dashboard_has_no_inline_script_for_any_scope(ctrl, hostile):
    scopes = ["hsf", "care:primärvård"] + [f"area:{a}" for a in [*EVIL_AREAS, "Område fem"]]
    # the drill-down's levels: names in links, the breadcrumb and chart 7
    scopes += ["department:<script>alert(1)</script>", "department:=1+2", "unit:0101"]
    for scope in scopes:
        response = ctrl.get(reverse("kpis:dashboard"), {"urval": scope, "manad": "2025-03"})
        assert response.status_code == 200, scope
        assert not response.context["messages"], scope
        finder = assert_no_inline_script(response)
        # The chart data travels as JSON, one element per chart, plus Plotly and ours.
        assert finder.scripts >= len(dashboard.CHART_CODES) - 2  # no figure: 4a; one chart 7
        html = response.content.decode()
        assert "<script>alert" not in html, scope
    response = ctrl.get(reverse("kpis:dashboard"), {"urval": "area:Område fem", "manad": "2025-03"})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html or "\\u003Cscript\\u003Ealert" in html


def test_the_controller_pages_have_no_inline_script(ctrl, hostile):
    pages = [
        ctrl.get(reverse("kpis:upload")),
        ctrl.post(reverse("kpis:upload"), {"kind": "actuals"}),  # form errors, 400
        upload(ctrl, b"Period;Ansvar\n2024-13;9999\n"),  # problems, 400
        ctrl.get(reverse("kpis:batches")),
        ctrl.get(reverse("kpis:national_upload")),
    ]
    response = upload(ctrl, cost_rows().replace("1000000", "1000001").encode())
    assert response.status_code == 302
    pages.append(ctrl.get(response["Location"]))  # the confirmation page
    assert b"Bekr" in pages[-1].content
    for page in pages:
        assert_no_inline_script(page)


def test_the_login_and_empty_dashboard_have_no_inline_script(client, registers, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert_no_inline_script(client.get(reverse("login")))
    client.force_login(make_user("styr", "styrgrupp"))
    response = client.get(reverse("kpis:dashboard"))
    assert "Inga utfall" in response.content.decode()
    assert_no_inline_script(response)
    assert_no_inline_script(client.get(reverse("kpis:upload")))  # 403


def test_the_admin_pages_have_no_inline_script(client, hostile):
    client.force_login(User.objects.create_superuser("root", password="pw-root"))
    area = Area.objects.first()
    for url in (
        reverse("admin:index"),
        reverse("admin:kpis_area_changelist"),
        reverse("admin:kpis_area_change", args=[area.pk]),
        reverse("admin:kpis_department_add"),
        reverse("admin:auth_user_add"),
    ):
        assert_no_inline_script(client.get(url))


# --- login throttling ----------------------------------------------------------------


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def refused(response) -> bool:
    return response.status_code == 429 or (
        "För många misslyckade inloggningar" in response.content.decode()
    )


def test_repeated_failed_logins_lock_the_username(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("styr", "styrgrupp")
    make_user("ctrl", "controller")

    for _ in range(5):
        response = login(client, "styr", "fel-lösenord")
        assert "_auth_user_id" not in client.session
        assert response.status_code in (200, 429)

    response = login(client, "styr", "pw-styr")  # the right password, too late
    assert refused(response), response.status_code
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert_no_inline_script(response)

    other = login(client, "ctrl", "pw-ctrl")  # another user from the same address
    assert other.status_code == 302
    assert other["Location"] == reverse("start")  # each role's first page from there
    assert client.session["_auth_user_id"] == str(User.objects.get(username="ctrl").pk)


def test_a_successful_login_resets_the_count(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("styr", "styrgrupp")

    for _ in range(4):
        login(client, "styr", "fel")
    assert login(client, "styr", "pw-styr").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "styr", "fel")
    assert login(client, "styr", "pw-styr").status_code == 302


# --- uploads -------------------------------------------------------------------------


def upload(client, data: bytes, *, name="utfall.csv", url="kpis:upload"):
    return client.post(reverse(url), {"kind": "actuals", "file": SimpleUploadedFile(name, data)})


def problems_on_page(response) -> list[str]:
    assert response.status_code == 400, response.status_code
    return list(response.context["problems"])


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Period", "Ansvar", "Konto", "Belopp"])
    book.active.append(["2024-03", "0101", "4601", 1000])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_with(member: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, data)
    return out.getvalue()


def with_declared_sizes(data: bytes, size: int) -> bytes:
    """The archive with every member's uncompressed size in its headers set to `size`."""
    forged = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = forged.find(signature)
        while at != -1:
            struct.pack_into("<I", forged, at + offset, size)
            at = forged.find(signature, at + 4)
    return bytes(forged)


TOO_LARGE = "Excel-filen är för stor uppackad och har inte lästs."
UNREADABLE = "Filen kunde inte läsas som Excel-arbetsbok (.xlsx)."


@override_settings(UPLOAD_MAX_BYTES=1024)
@pytest.mark.parametrize("url", ["kpis:upload", "kpis:national_upload"])
def test_a_file_over_the_size_limit_is_refused(ctrl, registers, url):
    data = b"Period;Ansvar;Konto;Belopp\n" + b"2024-03;0101;4601;1\n" * 100  # 2 kB

    response = upload(ctrl, data, url=url)

    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize("url", ["kpis:upload", "kpis:national_upload"])
def test_a_zip_bomb_is_refused_with_a_swedish_message(ctrl, registers, monkeypatch, url):
    monkeypatch.setattr(extracts, "MAX_XLSX_UNPACKED_BYTES", 100_000)
    bomb = zip_with("xl/worksheets/sheet1.xml", b"0" * 5_000_000)  # 5 MB in about 5 kB
    assert len(bomb) < 20_000

    response = upload(ctrl, bomb, name="bomb.xlsx", url=url)

    assert problems_on_page(response) == [TOO_LARGE]
    assert TOO_LARGE in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_a_workbook_declaring_more_than_the_limit_is_refused_unread(ctrl, registers):
    declared = extracts.MAX_XLSX_UNPACKED_BYTES + 1
    bomb = with_declared_sizes(workbook(), declared // 2)  # several members: over the limit

    assert problems_on_page(upload(ctrl, bomb, name="bomb.xlsx")) == [TOO_LARGE]


def test_a_workbook_understating_its_size_is_not_unpacked(ctrl, registers):
    """Headers that lie the other way: the reader stops at the declared size."""
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    sheet += b"<sheetData>" + b"<row><c><v>1</v></c></row>" * 400_000 + b"</sheetData></worksheet>"
    data = with_declared_sizes(zip_with("xl/worksheets/sheet1.xml", sheet), 100)

    assert problems_on_page(upload(ctrl, data, name="liten.xlsx")) == [UNREADABLE]


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_workbook_is_refused_with_a_swedish_message(ctrl, registers, cut):
    data = workbook()
    truncated = data[: int(len(data) * cut)]

    response = upload(ctrl, truncated, name="trasig.xlsx")

    assert problems_on_page(response) == [UNREADABLE]
    assert UNREADABLE in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_a_zip_that_is_no_workbook_is_refused(ctrl, registers):
    response = upload(ctrl, zip_with("readme.txt", b"ingen arbetsbok"), name="x.xlsx")

    assert problems_on_page(response) == [UNREADABLE]


# --- CSV formula injection -----------------------------------------------------------

SWEDISH_NUMBER = re.compile(r"-?\d+(,\d+)?")
MACHINE_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def cells_of(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def injection_problems(rows: list[list[str]], number: re.Pattern) -> list[str]:
    """Text cells a spreadsheet would run, and numbers that were quoted."""
    problems = []
    for row in rows:
        for cell in row:
            if number.fullmatch(cell):
                continue
            if cell.startswith(FORMULA_PREFIXES):
                problems.append(f"formula: {cell!r}")
            if cell.startswith("'") and number.fullmatch(cell[1:]):
                problems.append(f"quoted number: {cell!r}")
    return problems


def test_the_injection_check_finds_formulas_and_quoted_numbers():
    rows = [["=1+2", "'=1+2", "-5", "'-5", "-Text", "'-Text", "@x", "+1", "12,5"]]
    assert injection_problems(rows, SWEDISH_NUMBER) == [
        "formula: '=1+2'",
        'quoted number: "\'-5"',
        "formula: '-Text'",
        "formula: '@x'",
        "formula: '+1'",
    ]


def test_a_bad_scope_comes_back_as_plain_text_or_escaped(client, hostile):
    client.force_login(make_user("styr", "styrgrupp"))
    evil = "area:<script>alert(1)</script>"

    response = client.get(reverse("kpis:dashboard_csv", args=["agency-r12"]), {"urval": evil})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"

    response = client.get(reverse("kpis:dashboard"), {"urval": evil})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert_no_inline_script(response)


def test_every_dashboard_download_neutralises_formulas(client, hostile):
    client.force_login(make_user("styr", "styrgrupp"))
    scopes = ["hsf"]
    scopes += [f"area:{name}" for name in Area.objects.values_list("name", flat=True)]
    scopes += [f"department:{name}" for name in Department.objects.values_list("name", flat=True)]
    scopes += ["unit:0101"]
    texts, numbers = set(), set()
    for scope in scopes:
        for code in dashboard.dashboard_codes(Scope.parse(scope, units=True)):
            params = {"urval": scope, "manad": "2025-03"}
            if code in ("agency-by-department", "agency-by-unit"):
                params.update(fran="2025-01", till="2025-03")
            response = client.get(reverse("kpis:dashboard_csv", args=[code]), params)
            assert response.status_code == 200, (code, scope, response.content[:200])
            rows = cells_of(response.content.decode("utf-8"), ";")
            assert not injection_problems(rows, SWEDISH_NUMBER), (code, scope)
            for row in rows[1:]:
                texts.update(c for c in row if not SWEDISH_NUMBER.fullmatch(c))
                numbers.update(c for c in row if SWEDISH_NUMBER.fullmatch(c))

    # The hostile names are there, each behind an apostrophe.
    for name in [*EVIL_AREAS, *EVIL_DEPARTMENTS, *EVIL_UNITS, "=Region X"]:
        assert "'" + name in texts, name
        assert name not in texts
    assert "<script>alert(1)</script>" in texts  # harmless in a CSV: kept as it is
    # Negative numbers stay numbers.
    assert any(n.startswith("-") for n in numbers)
    assert "-90000,00" in numbers  # agency-ytd change_sek for one unit's area: 3 x -30 000


def test_the_export_command_neutralises_formulas(hostile):
    scopes = ["hsf"]
    scopes += [f"area:{name}" for name in Area.objects.values_list("name", flat=True)]
    scopes += [f"department:{name}" for name in Department.objects.values_list("name", flat=True)]
    texts, numbers = set(), set()
    for name, export in EXPORTS.items():
        if export.months == YEAR:
            continue  # the survey's rows are fixed index codes (tests/test_survey_export.py)
        if export.months == DATE:
            continue  # section 12 a's list: test_the_placements_list_neutralises_formulas
        months = {
            MONTH: ["--month", "2025-03"],
            RANGE: ["--from", "2025-01", "--to", "2025-03"],
        }.get(export.months, [])
        # agency-by-unit: a department's units, or one unit
        by_unit = [s for s in scopes if s.startswith("department:")] + ["unit:0101"]
        for scope in by_unit if name == "agency-by-unit" else scopes:
            for by in [[], *(["--by", choice] for choice in export.by)]:
                out = io.StringIO()
                call_command("export_kpi", name, "--scope", scope, *months, *by, stdout=out)
                rows = cells_of(out.getvalue(), ",")
                assert len(rows) > 1, (name, scope, by)
                assert not injection_problems(rows, MACHINE_NUMBER), (name, scope, by)
                for row in rows[1:]:
                    texts.update(c for c in row if not MACHINE_NUMBER.fullmatch(c))
                    numbers.update(c for c in row if MACHINE_NUMBER.fullmatch(c))

    for name in [*EVIL_AREAS, *EVIL_DEPARTMENTS, *EVIL_UNITS]:
        assert "'" + name in texts, name
        assert name not in texts
    assert "-90000.00" in numbers
    # The age band -29 is a number to a spreadsheet, not a formula: no apostrophe.
    assert "-29" in numbers and "'-29" not in texts


HOSTILE_PLACEMENTS = """KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar
=K1;<script>alert('namn')</script>;@Bolaget;-Läkare;0101;2024-01-10;;
+K2;=HYPERLINK("http://x");Medpool AB;Läkare;3001;2025-01-01;2025-06-30;100
K3;Eva Fors;Medpool AB;Läkare;3002;2025-01-01;2025-06-30;100
"""


def test_the_placements_list_neutralises_formulas(client, hostile):
    """Consultant ids, names, agencies, professions and departments a spreadsheet would
    run: behind an apostrophe in export_kpi and in the list's CSV; escaped on the pages."""
    placement_services.placements_import(data=HOSTILE_PLACEMENTS.encode(), file_name="p.csv")
    out = io.StringIO()
    call_command("export_kpi", "placements-12a", "--on", "2026-03-15", stdout=out)
    rows = cells_of(out.getvalue(), ",")
    assert not injection_problems(rows, MACHINE_NUMBER)
    texts = {cell for row in rows[1:] for cell in row}
    assert {"'=K1", "'+K2", "'=1+2", "'@Verksamhet fyra"} <= texts
    assert "<script>alert(1)</script>" in texts  # the department: harmless in a CSV

    client.force_login(make_user("bem", "bemanning"))
    response = client.get(reverse("placements:csv"), {"datum": "2026-03-15"})
    rows = cells_of(response.content.decode("utf-8"), ";")
    assert not injection_problems(rows, SWEDISH_NUMBER)
    texts = {cell for row in rows[1:] for cell in row}
    assert {"'=K1", "'@Bolaget", "'-Läkare", '\'=HYPERLINK("http://x")', "'=1+2"} <= texts

    for path in (
        reverse("placements:list") + "?datum=2026-03-15",
        reverse("placements:consultant", args=["=K1"]),
        reverse("placements:consultant", args=["K3"]),
    ):
        response = client.get(path)
        assert "<script>alert" not in response.content.decode(), path
        assert_no_inline_script(response)

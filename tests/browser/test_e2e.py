"""The site in headless Chromium: each role logs in through the form and lands on its first
page; a controller uploads an Excel file and a Windows-1252 CSV, confirms, reads the charts
and tables, downloads a CSV and undoes an import; a controller uploads sick leave and the
steering group reads it; an HR partner lands on the survey, uploads two years and the
employee counts and reads a unit compared upward and with last year; the upload flow works
with the keyboard alone.

The staffing office (bemanning) uploads placements, reads the list by urgency for a day
and an area, opens a consultant's timeline and records an action.

The controller's files (organisation and account mapping of tests/conftest.py):

    file                  month    ansvar  konto        belopp (kr)     timmar
    utfall-jan-feb.xlsx   2025-01  0101    4601 läkare     123 456,78   10
                          2025-01  0101    5111 own      2 000 000
                          2025-02  0101    4601 läkare     234 567      12
                          2025-02  2001    4611 ssk         45 678,90    3
                          2025-02  0101    5111 own      2 000 000
    utfall-mars.csv       2025-03  0101    4601 läkare   1 234 567,50   12,5
                          2025-03  2001    4611 ssk         98 765,40
                          2025-03  3001    4621 övriga       5 000       2
                          2025-03  0101    5111 own      2 000 000

By hand, chart 2's table (agency cost per month, tkr, whole administration):

    month   läkare   ssk   övriga   total
    jan        123     0       0      123   123 456,78
    feb        235    46       0      280   234 567 + 45 678,90 = 280 245,90
    mar      1 235    99       5    1 338   1 234 567,50 + 98 765,40 + 5 000 = 1 338 332,90

(a month with actuals but no cost in a category shows 0 there, not a gap),

and chart 8's (hours, cost per hour) for March: läkare 12,5 h -> "13" (half up),
1 234 567,50 / 12,5 = 98 765,40 kr/h -> "98 765 kr"; övriga 2 h, 5 000 / 2 = 2 500 kr/h.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group

from kpis.models import Department, ImportBatch
from kpis.placements.models import PlacementAccessLog
from tests import sick_leave_data
from tests.browser.conftest import LSO, SURVEY_EMPLOYEES, survey_answers
from tests.test_placements_pages import PLACEMENTS

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_LABEL = "Fil (CSV eller Excel .xlsx)"

JAN_FEB = [
    (dt.datetime(2025, 1, 1), "0101", 4601, 123456.78, 10),
    (dt.datetime(2025, 1, 1), "0101", 5111, 2000000, None),
    (dt.datetime(2025, 2, 1), "0101", 4601, 234567, 12),
    (dt.datetime(2025, 2, 1), "2001", 4611, 45678.9, 3),
    (dt.datetime(2025, 2, 1), "0101", 5111, 2000000, None),
]

# As Swedish Excel saves "CSV (semikolonavgränsad)": Windows-1252, CRLF, decimal comma,
# a no-break space as thousands separator, and a column the import does not read.
MARCH_CSV = (
    "Period;Ansvar;Konto;Belopp;Timmar;Benämning\r\n"
    "2025-03;0101;4601;1\u00a0234\u00a0567,50;12,5;Läkare, bemanning Öjebyn\r\n"
    "2025-03;2001;4611;98 765,40;;Sjuksköterskor natt\r\n"
    "2025-03;3001;4621;5000;2;Övriga yrkesgrupper\r\n"
    "2025-03;0101;5111;2000000;;Månadslöner\r\n"
).encode("cp1252")


def tkr(*values: str) -> list[str]:
    return [value.replace(" ", NBSP) + NBSP + "tkr" for value in values]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Utfall"
    sheet.append(["Period", "Ansvar", "Konto", "Belopp", "Timmar"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(row) -> list[str]:
    """A table row's cells as the page shows them (no-break spaces kept)."""
    return [text.strip() for text in row.locator("th, td").all_text_contents()]


def table_row(page, section: str, header: str):
    """The row of chart `section`'s first table whose row header is `header`."""
    return page.locator(f"#{section} table.chart-data").first.locator(
        "tbody tr", has=page.locator("th", has_text=re.compile(f"^{re.escape(header)}"))
    )


def wait_for_charts(page) -> int:
    """Wait until every chart container holds Plotly's SVG; the number of charts."""
    containers = page.locator("[data-figure]")
    count = containers.count()
    assert count > 0, "no charts on the page"
    for i in range(count):
        containers.nth(i).locator(".main-svg").first.wait_for(state="attached")
    drawn = page.locator("[data-figure].js-plotly-plot").count()
    assert drawn == count, f"{drawn} of {count} charts drawn"
    return count


def upload(tab, *, name: str, data: bytes, mime: str, step: str) -> None:
    page = tab.page
    page.get_by_label("Utfall").check()
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    tab.shot(f"{step}-chosen")
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    assert re.fullmatch(r"/importera/\d+/bekrafta/", tab.path()), tab.page.url
    tab.shot(f"{step}-confirm")


def confirm(tab, *, rows: int, step: str) -> int:
    """Save the checked upload of `rows` rows; the new batch's id, from the success message."""
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Spara importen").click()
    assert tab.path() == "/importer/"
    tab.shot(f"{step}-saved")
    message = tab.page.get_by_role("status").filter(has_text="sparad").inner_text()
    match = re.fullmatch(
        rf"Import (\d+) sparad: {rows} rader, \d+ månad(er)?\. Hela månaderna ersattes\.",
        message.strip(),
    )
    assert match, message
    return int(match.group(1))


def summary_row(page, month: str, label: str) -> list[str]:
    row = page.locator("table", has=page.locator("caption", has_text="Belopp per månad")).locator(
        "tbody tr",
        has=page.locator(f"td:text-is('{month}') + td:text-is('{label}')"),
    )
    return cells(row)


# --- roles ------------------------------------------------------------------------------


ROLES = {
    # role: username, where a login from the site's address (/) lands, pages allowed,
    # pages refused. The login goes through the start page to the role's first page.
    "styrgrupp": (
        "styr",
        "/",
        ["/", "/sjukfranvaro/", "/medarbetarundersokning/", "/bemanning/timmar/"],
        ["/importera/", "/importer/", "/medarbetarundersokning/importera/", "/bemanning/"],
    ),
    "controller": (
        "ctrl",
        "/",
        [
            "/importera/",
            "/importer/",
            "/nationell-jamforelse/",
            "/sjukfranvaro/",
            "/bemanning/timmar/",
        ],
        ["/medarbetarundersokning/importera/", "/bemanning/", "/bemanning/importera/"],
    ),
    # hr: the survey (its first page, not a refusal) and sick leave (view and import),
    # not the cost dashboard nor the ledger's tools.
    "hr": (
        "hrp",
        "/medarbetarundersokning/",
        [
            "/sjukfranvaro/",
            "/importera/",
            "/importer/",
            "/medarbetarundersokning/importera/",
            "/medarbetarundersokning/importer/",
        ],
        ["/?urval=hsf", "/nationell-jamforelse/", "/bemanning/"],
    ),
    # bemanning: the consultants' placements (section 12 a), nothing else.
    "bemanning": (
        "bem",
        "/bemanning/",
        ["/bemanning/importera/", "/bemanning/importer/", "/bemanning/timmar/"],
        ["/?urval=hsf", "/sjukfranvaro/", "/medarbetarundersokning/", "/importera/"],
    ),
    "superuser": ("root", "/", ["/importera/", "/admin/", "/medarbetarundersokning/"], []),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_logs_in_through_the_form_and_sees_what_it_may(tab, people, role):
    assert Group.objects.get(name="controller").permissions.exists()
    username, landing, allowed, refused = ROLES[role]
    page = tab.page

    tab.goto("/", "anonymous")  # not logged in: the login form, asking where to return
    assert tab.path() == "/konto/inloggning/?next=/"
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(f"pw-{username}")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Logga in").click()
    assert tab.path() == landing
    assert navigation.value.status == 200
    tab.shot("logged-in")
    assert page.get_by_role("heading", name="Ingen behörighet").count() == 0
    if role == "hr":
        assert page.get_by_role("heading", level=1).inner_text() == "Medarbetarundersökning"
    if role == "bemanning":
        assert page.get_by_role("heading", level=1).inner_text() == "Inhyrda konsulter (12 a §)"

    for path in allowed:
        tab.goto(path, f"allowed-{path}")
    for path in refused:
        tab.goto(path, f"refused-{path}", status=403)
        # The refusal offers the way back to the user's own first page.
        with page.expect_navigation():
            page.get_by_role("link", name="Till din startsida").click()
        assert tab.path() == landing
    # The brand in the navigation bar leads there too.
    with page.expect_navigation():
        page.get_by_role("link", name="hyrdash", exact=True).click()
    assert tab.path() == landing
    if role == "styrgrupp":
        tab.goto("/", "dashboard")
        navigation = page.get_by_role("navigation", name="Huvudmeny")
        assert navigation.get_by_role("link", name="Hyrpersonal").is_visible()
        assert navigation.get_by_role("link", name="Importera").count() == 0
    tab.assert_no_console_errors()


# --- the controller's month ---------------------------------------------------------


def test_a_controller_uploads_excel_and_csv_reads_the_charts_downloads_and_undoes(
    tab, people, registers
):
    page = tab.page
    assert b"\xf6" in MARCH_CSV  # "ö" in Windows-1252: not UTF-8, as Excel saves it
    with pytest.raises(UnicodeDecodeError):
        MARCH_CSV.decode("utf-8")
    tab.login("ctrl", next_path="/importera/")
    tab.shot("upload")

    # 1. January and February from Excel: the summary shows what will be stored.
    upload(tab, name="utfall-jan-feb.xlsx", data=xlsx(JAN_FEB), mime=XLSX_TYPE, step="xlsx")
    assert page.get_by_text("utfall-jan-feb.xlsx").is_visible()
    assert summary_row(page, "2025-01", "Hyrpersonal läkare") == [
        "2025-01",
        "Hyrpersonal läkare",
        f"123{NBSP}456,78",
        "0,00",
        f"123{NBSP}456,78",
    ]
    assert summary_row(page, "2025-02", "Hyrpersonal sjuksköterskor/barnmorskor")[2] == (
        f"45{NBSP}678,90"
    )
    xlsx_id = confirm(tab, rows=5, step="xlsx")

    # 2. March from a Windows-1252 semicolon CSV with decimal commas.
    tab.goto("/importera/", "upload-again")
    upload(tab, name="utfall-mars.csv", data=MARCH_CSV, mime="text/csv", step="csv")
    assert summary_row(page, "2025-03", "Hyrpersonal läkare")[2] == f"1{NBSP}234{NBSP}567,50"
    assert summary_row(page, "2025-03", "Hyrpersonal övriga")[2] == f"5{NBSP}000,00"
    csv_id = confirm(tab, rows=4, step="csv")

    # Back to the confirmation page with the browser: the import is saved, and once only.
    page.go_back()
    assert re.fullmatch(r"/importera/\d+/bekrafta/", tab.path()), page.url
    tab.shot("back-after-confirm")
    assert page.get_by_role("heading", level=1).inner_text() == "Importen är redan sparad"
    assert page.get_by_text(f"är sparad som import {csv_id}.").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Till importhistoriken").click()
    assert tab.path() == "/importer/"
    assert ImportBatch.objects.count() == 2

    history = page.locator("table", has=page.locator("caption", has_text="Importer"))
    for batch_id, name in ((xlsx_id, "utfall-jan-feb.xlsx"), (csv_id, "utfall-mars.csv")):
        row = history.locator("tbody tr", has=page.locator(f"td:first-child:text-is('{batch_id}')"))
        assert name in row.inner_text()
        assert "Aktiv" in row.inner_text()
    assert set(ImportBatch.objects.values_list("file_name", flat=True)) == {
        "utfall-jan-feb.xlsx",
        "utfall-mars.csv",
    }

    # 3. The dashboard for March: Plotly (a static file) loads and draws every chart.
    with page.expect_response(re.compile(r"/static/vendor/plotly-basic\.min\.js$")) as plotly:
        tab.goto("/?manad=2025-03&urval=hsf", None)
    assert plotly.value.status == 200
    assert page.evaluate("typeof window.Plotly") == "object"
    assert wait_for_charts(page) >= 8
    tab.shot("dashboard-march")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Hyrpersonal – Hela förvaltningen, mars 2025"
    )
    monthly = "agency-monthly"
    assert cells(table_row(page, monthly, "jan 2025"))[1:] == tkr("123", "0", "0", "123")
    assert cells(table_row(page, monthly, "feb 2025"))[1:] == tkr("235", "46", "0", "280")
    assert cells(table_row(page, monthly, "mar 2025"))[1:] == tkr("1 235", "99", "5", "1 338")
    march_hours = cells(table_row(page, "agency-hours", "mar 2025"))
    assert march_hours[1] == "13"  # läkare 12,5 h
    assert march_hours[4] == f"98{NBSP}765{NBSP}kr"  # läkare kr per hour
    assert march_hours[6] == f"2{NBSP}500{NBSP}kr"  # övriga kr per hour

    # 4. The table behind chart 2 as CSV for Swedish Excel.
    with page.expect_download() as download:
        # The chart's name is a visually hidden span: Chromium names it "CSV : Kostnad…".
        page.get_by_role("link", name=re.compile(r"^Ladda ner CSV ?: Kostnad per månad$")).click()
    assert download.value.suggested_filename == "hyrdash-agency-monthly-hsf-2025-03.csv"
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert body == (
        # BOM: Excel reads the file as UTF-8. No month is closed yet: all preliminary.
        "\ufeffmonth;profession;amount_sek;preliminary\n"
        "2025-01;hyr_lakare;123456,78;1\n"
        "2025-01;hyr_ssk_bm;0,00;1\n"
        "2025-01;hyr_ovriga;0,00;1\n"
        "2025-02;hyr_lakare;234567,00;1\n"
        "2025-02;hyr_ssk_bm;45678,90;1\n"
        "2025-02;hyr_ovriga;0,00;1\n"
        "2025-03;hyr_lakare;1234567,50;1\n"
        "2025-03;hyr_ssk_bm;98765,40;1\n"
        "2025-03;hyr_ovriga;5000,00;1\n"
    )

    # 5. Undo the March import from the history; the dashboard is back to February.
    tab.goto("/importer/", "history")
    asked = []

    def accept(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Ångra import {csv_id}").click()
    assert asked == ["Ångra importen? Dess månader får tillbaka sina tidigare värden."]
    tab.shot("undone")
    assert page.get_by_role("status").filter(has_text="ångrad").inner_text().strip() == (
        f"Import {csv_id} (utfall-mars.csv) är ångrad; månaderna har sina tidigare värden."
    )
    assert page.get_by_role("button", name=f"Ångra import {csv_id}").count() == 0
    assert page.get_by_role("button", name=f"Ångra import {xlsx_id}").is_visible()

    tab.goto("/?manad=2025-03&urval=hsf", None)
    wait_for_charts(page)
    tab.shot("dashboard-after-undo")
    assert page.get_by_text("Mars 2025 har inga utfall; visar februari 2025.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Hyrpersonal – Hela förvaltningen, februari 2025"
    )
    assert table_row(page, monthly, "mar 2025").count() == 0
    assert cells(table_row(page, monthly, "feb 2025"))[1] == tkr("235")[0]
    assert page.locator("#id_manad option[value='2025-03']").count() == 0
    tab.assert_no_console_errors()


# --- a correction of one unit -----------------------------------------------------------

# December 2025 for three units, then a correction of 0101 alone: by hand, egen_lon
# 1 000 000 + 500 000 + 250 000 = 1 750 000, after the correction 1 100 000 + 750 000.
DECEMBER = (
    "Period;Ansvar;Konto;Belopp\n2025-12;0101;5111;1 000 000\n"
    "2025-12;2001;5111;500 000\n2025-12;3001;5111;250 000\n"
)
DECEMBER_0101 = "Period;Ansvar;Konto;Belopp\n2025-12;0101;5111;1 100 000\n"


def test_a_controller_corrects_one_unit_without_wiping_the_month(tab, people, registers):
    from kpis.costs.services import costs_import
    from kpis.models import DepartmentMonthlyCost

    costs_import(data=DECEMBER.encode(), file_name="december.csv", kind="actuals")
    page = tab.page
    tab.login("ctrl", next_path="/importera/")

    # 1. The one-unit file: the page warns and names the units it lacks.
    upload(tab, name="rattelse.csv", data=DECEMBER_0101.encode(), mime="text/csv", step="fix")
    warning = page.get_by_role("alert").filter(has_text="täcker klart mindre")
    assert warning.locator("h2").inner_text() == (
        "Filen täcker klart mindre än det som är sparat för 2025-12."
    )
    assert "saknas: 2001 Kirurgavdelning 1, 3001 Folktandvården Lycksele" in (warning.inner_text())

    # 2. Saving without a choice is stopped by the required choice, in the browser.
    page.get_by_role("button", name="Spara importen").click()
    assert re.fullmatch(r"/importera/\d+/bekrafta/", tab.path())
    assert page.evaluate("document.querySelector('input[name=replaces]').validity.valueMissing")
    assert ImportBatch.objects.count() == 1

    # 3. Only the unit in the file: the others keep December.
    page.get_by_label(re.compile(r"^Uppdatera bara enheterna i filen")).check()
    tab.shot("fix-chosen")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara importen").click()
    assert tab.path() == "/importer/"
    fix = ImportBatch.objects.latest("id")
    assert page.get_by_role("status").filter(has_text="sparad").inner_text().strip() == (
        f"Import {fix.id} sparad: 1 rader, 1 månad. Bara filens enhet ersattes; andra "
        "enheter behöll sina värden."
    )
    history = page.locator("tbody tr", has=page.locator(f"td:first-child:text-is('{fix.id}')"))
    assert "Bara filens enheter" in history.inner_text()
    lon = sum(r.amount for r in DepartmentMonthlyCost.objects.filter(category="egen_lon"))
    assert lon == 1_850_000

    # 4. Back: saved already, nothing stored twice.
    page.go_back()
    tab.shot("fix-back")
    assert page.get_by_role("heading", level=1).inner_text() == "Importen är redan sparad"
    assert ImportBatch.objects.count() == 2
    tab.assert_no_console_errors()


# --- sick leave ------------------------------------------------------------------------

# The extract of tests/sick_leave_data.py (2024-01 .. 2025-03, five groups a month, worked
# out by hand there), as Swedish Excel saves it: Windows-1252 ("Kön", "Åldersgrupp"), CRLF.
SICK_LEAVE_CSV = sick_leave_data.extract().decode("utf-8").replace("\n", "\r\n").encode("cp1252")


def confirm_summary(page, month: str, label: str) -> list[str]:
    """A row of the confirmation page's summary table (month, what, new, stored, difference)."""
    return cells(
        page.locator("main table.table-striped").locator(
            "tbody tr", has=page.locator(f"td:text-is('{month}') + td:text-is('{label}')")
        )
    )


def test_a_controller_uploads_sick_leave_and_the_steering_group_reads_it(
    tab, context, people, registers
):
    """By hand (tests/sick_leave_data.py), R12 in March 2025 (April 2024 .. March 2025):

    administration  ordinary 11 x 13 950 + 12 150 = 165 600, sick 12 x 816 - 36 + 150 = 9 906
                    -> 5,98 %; day 1-14: 10 x 446 + 410 + 596 = 5 466 -> short-term 3,30 %;
                    day 60-: 12 x 240 = 2 880 -> long-term share 2 880 / 9 906 = 29,07 %
    The areas' R12 are withheld: in 2024-06 the administration's 9 men, LSO's 3 and
    NSO's 6 are few, and every area's total is a complement then
    (tests/test_sick_leave_series.py), so no window holding June shows them.
    December 2024 (January .. December 2024): administration 9 756 / 165 600 -> 5,89 %.
    """
    page = tab.page
    assert b"K\xf6n" in SICK_LEAVE_CSV  # "ö" in Windows-1252, as Excel saves it

    # 1. The controller uploads the extract: checked, summarised, confirmed.
    tab.login("ctrl", next_path="/importera/?typ=sick_leave")
    assert page.get_by_label("Sjukfrånvaro").is_checked()  # preselected by ?typ
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[
            {"name": "sjukfranvaro-2025-03.csv", "mimeType": "text/csv", "buffer": SICK_LEAVE_CSV}
        ]
    )
    tab.shot("chosen")
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    assert re.fullmatch(r"/importera/\d+/bekrafta/", tab.path()), page.url
    tab.shot("confirm")
    assert page.get_by_text("sjukfranvaro-2025-03.csv").is_visible()
    # January 2025: 20 + 6 + 40 + 15 + 12 = 93 employees, 13 950 hours, 966 sick hours.
    assert confirm_summary(page, "2025-01", "Anställda") == [
        "2025-01",
        "Anställda",
        "93",
        "0",
        "93",
    ]
    assert confirm_summary(page, "2025-01", "Ordinarie arbetstid (timmar)")[2] == f"13{NBSP}950,00"
    assert confirm_summary(page, "2025-01", "Sjuktimmar")[2] == "966,00"
    assert confirm_summary(page, "2024-06", "Sjuktimmar")[2] == "780,00"  # 3 young men
    batch_id = confirm(tab, rows=75, step="sick-leave")
    row = page.locator("tbody tr", has=page.locator(f"td:first-child:text-is('{batch_id}')"))
    assert "Sjukfrånvaro" in row.inner_text()
    assert "Aktiv" in row.inner_text()
    assert ImportBatch.objects.get(pk=batch_id).kind == ImportBatch.Kind.SICK_LEAVE

    # 2. The page for the administration, March 2025 (preliminary: no month is closed).
    tab.goto("/sjukfranvaro/", None)
    assert wait_for_charts(page) == 4
    tab.shot("sick-leave-hsf")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sjukfrånvaro – Hela förvaltningen, mars 2025"
    )
    # The month's badge (each chart's "Om måttet" panel has a "Preliminär" term too).
    assert page.locator(".badge-preliminary").get_by_text("Preliminär", exact=True).is_visible()
    pct = lambda text: text.replace(" ", NBSP)  # noqa: E731
    r12 = "sick-leave-r12"
    assert cells(table_row(page, r12, "mar 2025")) == [
        "mar 2025 (prel.)",
        pct("5,98 %"),
        "..",
        "..",
        "..",
    ]
    assert cells(table_row(page, r12, "dec 2024"))[:2] == ["dec 2024 (prel.)", pct("5,89 %")]
    assert cells(table_row(page, r12, "nov 2024"))[1:] == ["–"] * 4  # no 12 months yet
    # The 6 men of NSO (and no men in Tandvården) are too few: men, and so women, withheld.
    assert cells(table_row(page, "sick-leave-gender", "mar 2025"))[1:] == [
        pct("5,98 %"),
        "..",
        "..",
    ]
    assert cells(table_row(page, "sick-leave-duration", "mar 2025"))[1:] == [
        "446",
        "130",
        "240",
        pct("3,30 %"),
        pct("29,07 %"),
    ]

    # 3. Länssjukvårdsområde 1 in December 2024, through the form.
    page.get_by_label("Månad", exact=True).select_option("2024-12")
    page.get_by_label("Urval", exact=True).select_option("area:Länssjukvårdsområde 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    wait_for_charts(page)
    tab.shot("sick-leave-lso-december")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sjukfrånvaro – Länssjukvårdsområde 1, december 2024"
    )
    assert cells(table_row(page, r12, "dec 2024"))[1:] == ["..", ".."]  # June in the window

    # 4. The controller closes every month through March: none is preliminary.
    tab.goto("/sjukfranvaro/", None)
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng till och med 2025-03").click()
    wait_for_charts(page)
    tab.shot("march-closed")
    assert page.get_by_text("Månaderna till och med 2025-03 är stängda.").is_visible()
    # The page's status line (the charts' "Om måttet" panels say how far too).
    status = page.locator("p", has_text="Månaden är stängd.")
    assert status.is_visible()
    assert "Stängt till och med mars 2025." in status.inner_text()
    assert cells(table_row(page, r12, "mar 2025"))[0] == "mar 2025"
    assert cells(table_row(page, r12, "dec 2024"))[0] == "dec 2024"

    # 5. The steering group reads the same page, without the controller's tools.
    context.clear_cookies()
    tab.login("styr", next_path="/sjukfranvaro/")
    wait_for_charts(page)
    tab.shot("sick-leave-styrgrupp")
    assert cells(table_row(page, r12, "mar 2025"))[1] == pct("5,98 %")
    assert page.get_by_role("button", name=re.compile(r"^(Stäng|Öppna) ")).count() == 0
    navigation = page.get_by_role("navigation", name="Huvudmeny")
    assert navigation.get_by_role("link", name="Sjukfrånvaro").get_attribute("aria-current") == (
        "page"
    )
    tab.goto("/importera/?typ=sick_leave", "styrgrupp-refused", status=403)
    tab.assert_no_console_errors()


# --- the employee survey ----------------------------------------------------------------


def survey_upload(tab, *, kind: str, year: int, name: str, data: bytes, step: str) -> None:
    page = tab.page
    tab.goto("/medarbetarundersokning/importera/", None)
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Undersökningsår").fill(str(year))
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    tab.shot(f"{step}-chosen")
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    assert re.fullmatch(r"/medarbetarundersokning/importera/\d+/bekrafta/", tab.path()), page.url
    tab.shot(f"{step}-confirm")


def survey_confirm(tab, *, rows: int, year: int, step: str) -> int:
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Spara importen").click()
    assert tab.path() == "/medarbetarundersokning/importer/"
    tab.shot(f"{step}-saved")
    message = tab.page.get_by_role("status").filter(has_text="sparad").inner_text().strip()
    match = re.fullmatch(rf"Import (\d+) sparad: {rows} rader för {year}\.", message)
    assert match, message
    return int(match.group(1))


def survey_rows(page, section: str, index: str) -> list[list[str]]:
    """The rows of survey chart `section`'s table for one index: group, year, value, respondents."""
    rows = page.locator(f"#{section} table.chart-data tbody tr").filter(
        has=page.locator("th", has_text=re.compile(f"^{re.escape(index)}$"))
    )
    return [cells(rows.nth(i))[1:] for i in range(rows.count())]


def test_hr_lands_on_the_survey_uploads_two_years_and_reads_the_comparison(
    tab, people, hr_partner, registers
):
    """HR partner for Länssjukvårdsområde 1 (LSO). The answers (tests/browser/conftest.py,
    every respondent of a unit alike; a 1-5 answer x scores (x - 1) x 25):

        unit  2024: n  motivation  leadership  eNPS      2023: n, all 3 / 3 / 6
        2001        6   4 -> 75     5 -> 100    9 promoter      5
        2002        8   3 -> 50     4 -> 75     7 passive       5
        0101        5   2 -> 25     2 -> 25     5 critic        5
        0102        5   5 -> 100    5 -> 100   10 promoter      5
        3001        5   3 -> 50     3 -> 50     8 passive       5

    Unit 2001 (Kirurgavdelning 1) in 2024: HME (75 x 6 + 100 x 6) / 12 = 87,5; 2023: 50,0;
    eNPS 100 - 0 = 100,0; 2023 all critics: -100,0; response rate 6 / 8 employees = 75,0 %.
    Kirurgiskt centrum = LSO (its one department), 14 respondents: HME (450 + 600 + 400 +
    600) / 28 = 73,2; motivation 850 / 14 = 60,7; eNPS 6 / 14 promoters = 42,9; rate
    14 / 18 = 77,8 %. The administration, 29: HME (1 725 + 2 075) / 58 = 65,5; motivation
    1 725 / 29 = 59,5; eNPS (11 - 5) / 29 = 20,7; rate 29 / 40 = 72,5 %.
    """
    page = tab.page

    # 1. From the site's address: the login, then the survey page (not a refusal).
    tab.goto("/", None)
    tab.login("hrp", next_path="/", lands="/medarbetarundersokning/")
    assert page.get_by_role("heading", name="Inga resultat ännu").is_visible()
    tab.shot("landed-on-the-survey")
    navigation = page.get_by_role("navigation", name="Huvudmeny")
    assert navigation.get_by_role("link", name="Hyrpersonal").count() == 0

    # 2. Two years of answers and this year's employees, each checked and confirmed.
    survey_upload(
        tab, kind="Svar", year=2023, name="mu-2023.csv", data=survey_answers(2023), step="2023"
    )
    assert page.get_by_text("25 svarande i 5 enheter").is_visible()
    assert cells(page.locator("tbody tr", has=page.locator("td:text-is('Tandvården')"))) == [
        "Tandvården",
        "5",
    ]
    first = survey_confirm(tab, rows=25, year=2023, step="2023")
    survey_upload(
        tab, kind="Svar", year=2024, name="mu-2024.csv", data=survey_answers(2024), step="2024"
    )
    assert page.get_by_text("29 svarande i 5 enheter").is_visible()
    assert cells(page.locator("tbody tr", has=page.locator(f"td:text-is('{LSO}')"))) == [
        LSO,
        "14",
    ]
    second = survey_confirm(tab, rows=29, year=2024, step="2024")
    survey_upload(
        tab,
        kind="Antal medarbetare",
        year=2024,
        name="medarbetare-2024.csv",
        data=SURVEY_EMPLOYEES,
        step="employees",
    )
    assert page.get_by_text("40 medarbetare i 5 enheter").is_visible()
    third = survey_confirm(tab, rows=5, year=2024, step="employees")
    history = page.locator("table", has=page.locator("caption", has_text="Importer"))
    for batch_id, name in ((first, "mu-2023.csv"), (second, "mu-2024.csv"), (third, "medarbetare")):
        row = history.locator("tbody tr", has=page.locator(f"td:first-child:text-is('{batch_id}')"))
        assert name in row.inner_text()
        assert "Används" in row.inner_text()

    # 3. The administration in 2024, compared with 2023: seven charts and their tables,
    # then HME per area (chart 8) and HME question by question (chart 9).
    tab.goto("/medarbetarundersokning/", None)
    assert wait_for_charts(page) == 9
    tab.shot("survey-hsf")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Medarbetarundersökning 2024 – Hela förvaltningen"
    )
    figures = page.locator("table.survey-figures tbody tr")
    assert cells(figures.nth(0)) == ["Hela förvaltningen 2024", "29", "40", f"72,5{NBSP}%"]
    assert cells(figures.nth(1)) == ["Hela förvaltningen 2023", "25", "–", "–"]
    assert survey_rows(page, "hme", "HME totalt") == [
        ["Hela förvaltningen", "2024", "65,5", "29"],
        ["Hela förvaltningen", "2023", "50,0", "25"],
    ]
    assert survey_rows(page, "enps", "eNPS") == [
        ["Hela förvaltningen", "2024", "20,7", "29"],
        ["Hela förvaltningen", "2023", "\u2212100,0", "25"],
    ]

    # 4. Unit 2001 of HR's area, through the form: compared upward and with last year.
    page.get_by_label("Urval", exact=True).select_option("unit:2001")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert wait_for_charts(page) == 9
    tab.shot("survey-unit-comparison")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Medarbetarundersökning 2024 – 2001 Kirurgavdelning 1"
    )
    assert survey_rows(page, "svarsfrekvens", "Svarsfrekvens") == [
        ["2001 Kirurgavdelning 1", "2024", f"75,0{NBSP}%", "6"],
        ["2001 Kirurgavdelning 1", "2023", "–", "5"],
        ["Kirurgiskt centrum", "2024", f"77,8{NBSP}%", "14"],
        [LSO, "2024", f"77,8{NBSP}%", "14"],
        ["Hela förvaltningen", "2024", f"72,5{NBSP}%", "29"],
    ]
    assert survey_rows(page, "hme", "HME totalt") == [
        ["2001 Kirurgavdelning 1", "2024", "87,5", "6"],
        ["2001 Kirurgavdelning 1", "2023", "50,0", "5"],
        ["Kirurgiskt centrum", "2024", "73,2", "14"],
        [LSO, "2024", "73,2", "14"],
        ["Hela förvaltningen", "2024", "65,5", "29"],
    ]
    assert [row[2] for row in survey_rows(page, "hme", "Motivation")] == [
        "75,0",
        "50,0",
        "60,7",
        "60,7",
        "59,5",
    ]
    assert [row[2] for row in survey_rows(page, "enps", "eNPS")] == [
        "100,0",
        "\u2212100,0",
        "42,9",
        "42,9",
        "20,7",
    ]
    # Units of other areas are not HR's to choose, nor to open.
    assert page.locator("#id_urval option[value='unit:0101']").count() == 0
    tab.goto("/medarbetarundersokning/?urval=unit:0101", "other-area-unit", status=404)
    tab.assert_no_console_errors()


# --- keyboard only ----------------------------------------------------------------------

# The focused element, whether it can be seen, and the contrast of its focus indicator
# (outline, or a box-shadow ring, blended over the background behind the element)
# against that background: WCAG 1.4.11 asks 3:1 of what shows a state such as focus.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const colour = (text) => {
    const m = /rgba?\\(([^)]*)\\)/.exec(text || "");
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r, g, b, a};
  };
  let behind = {r: 255, g: 255, b: 255, a: 1};
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = colour(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0) { behind = c; break; }
  }
  const over = (c) => ({
    r: c.r * c.a + behind.r * (1 - c.a),
    g: c.g * c.a + behind.g * (1 - c.a),
    b: c.b * c.a + behind.b * (1 - c.a),
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (c) => {
    const [hi, lo] = [lum(over(c)), lum(behind)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const marks = [];
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
    marks.push(colour(style.outlineColor));
  }
  for (const ring of style.boxShadow === "none" ? [] : style.boxShadow.split(/,(?![^(]*\\))/)) {
    const [, , blur = 0, spread = 0] = ring.replace(/rgba?\\([^)]*\\)/, "").trim()
      .split(/\\s+/).map(parseFloat);
    if (blur > 0 || spread > 0) marks.push(colour(ring));
  }
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent;
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    name: label.trim(),
    checked: !!el.checked,
    visible: box.width > 0 && box.height > 0 && el.checkVisibility({opacityProperty: true}),
    inViewport: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    indicatorContrast: Math.max(0, ...marks.filter((c) => c && c.a > 0).map(contrast)),
  };
}"""


class Keyboard:
    """Tab through a page as a keyboard user, checking every stop is visible and marked."""

    def __init__(self, tab):
        self.tab = tab
        self.page = tab.page
        self.stops: list[str] = []

    def focused(self) -> dict:
        focused = self.page.evaluate(FOCUSED)
        where = f"{focused['tag']} {focused['type']} {focused['name']!r} on {self.tab.path()}"
        assert focused["tag"] != "body", f"focus lost on {self.tab.path()}"
        assert focused["visible"] and focused["inViewport"], f"focused but not visible: {where}"
        contrast = focused["indicatorContrast"]
        assert contrast >= 3, f"focus indicator {contrast:.2f}:1 (3:1 needed): {where}"
        self.stops.append(where)
        return focused

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        return self.focused()

    def tab_to(self, wanted, *, limit: int = 30, backwards: bool = False) -> dict:
        for _ in range(limit):
            focused = self.press("Shift+Tab" if backwards else "Tab")
            if wanted(focused):
                return focused
        raise AssertionError("not reached with the keyboard; stops:\n" + "\n".join(self.stops))

    def activate(self, key: str = "Enter") -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)


def named(text: str):
    return lambda focused: focused["name"].startswith(text)


def test_the_upload_flow_works_with_the_keyboard_alone(tab, people, registers):
    page = tab.page
    tab.login("ctrl", next_path="/importer/")
    keys = Keyboard(tab)

    # From the import history to the upload page through the navigation bar.
    focused = keys.press("Tab")
    assert focused["name"] == "Hoppa till innehållet"  # the skip link shows when focused
    tab.shot("skip-link")
    keys.tab_to(lambda f: f["tag"] == "a" and f["name"] == "Importera")
    tab.shot("nav-importera")
    keys.activate()
    assert tab.path() == "/importera/"

    # The skip link jumps past the navigation to the form's first field.
    assert keys.press("Tab")["name"] == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    kind = keys.press("Tab")
    assert (kind["type"], kind["name"], kind["checked"]) == ("radio", "Utfall", True)
    tab.shot("kind")
    file_input = keys.press("Tab")
    assert file_input["type"] == "file"
    tab.shot("file")
    # Back to the kind with Shift+Tab, choose it with Space, forward again.
    assert keys.press("Shift+Tab")["name"] == "Utfall"
    page.keyboard.press("Space")
    assert keys.focused()["checked"]
    assert keys.press("Tab")["type"] == "file"
    # The operating system's file dialog cannot be driven: set the file on the focused input.
    page.locator(":focus").set_input_files(
        files=[{"name": "utfall-mars.csv", "mimeType": "text/csv", "buffer": MARCH_CSV}]
    )
    assert keys.focused()["type"] == "file"
    keys.tab_to(named("Kontrollera filen"), limit=3)
    tab.shot("check-button")
    keys.activate()
    assert re.fullmatch(r"/importera/\d+/bekrafta/", tab.path())
    tab.shot("confirm")

    # Confirm: past "Spara importen" to "Avbryt", back with Shift+Tab, Enter saves.
    keys.tab_to(named("Avbryt"))
    keys.tab_to(named("Spara importen"), limit=1, backwards=True)
    tab.shot("save-button")
    keys.activate()
    assert tab.path() == "/importer/"
    tab.shot("saved")
    assert page.get_by_role("status").filter(has_text="sparad").is_visible()
    assert ImportBatch.objects.filter(file_name="utfall-mars.csv", undone_at=None).exists()
    tab.assert_no_console_errors()


# --- the staffing office's consultants (section 12 a) -----------------------------------


def test_bemanning_uploads_placements_and_reads_the_list_by_urgency(tab, people, registers):
    """The placements of tests/test_placements_pages.py, worked out by hand there: on
    2026-03-15 K5 has passed day 721, K1 reaches it within 90 days, the rest are clear."""
    Department.objects.filter(name="Kirurgiskt centrum").update(units_separate=True)
    page = tab.page
    tab.login("bem", next_path="/", lands="/bemanning/")
    assert page.get_by_role("heading", name="Inga placeringar ännu").is_visible()

    # 1. The upload: checked, what it changes shown, confirmed.
    with page.expect_navigation():
        page.get_by_role("link", name="Importera placeringar").click()
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": "bemlo.csv", "mimeType": "text/csv", "buffer": PLACEMENTS}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    assert re.fullmatch(r"/bemanning/importera/\d+/bekrafta/", tab.path()), page.url
    tab.shot("confirm")
    new = page.locator("tr", has=page.locator("th", has_text="Nya placeringar"))
    assert cells(new) == ["Nya placeringar", "10"]
    with page.expect_navigation():
        page.get_by_role("button", name="Spara importen").click()
    assert tab.path() == "/bemanning/importer/"
    message = page.get_by_role("status").filter(has_text="sparad").inner_text().strip()
    assert re.fullmatch(r"Import \d+ sparad: 10 rader, 10 nya placeringar, 0 ändrade\.", message)

    # 2. The list on 2026-03-15, chosen in the form: most urgent first.
    navigation = page.get_by_role("navigation", name="Huvudmeny")
    with page.expect_navigation():
        navigation.get_by_role("link", name="Inhyrda konsulter").click()
    page.get_by_label("Per dag").fill("2026-03-15")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    tab.shot("list")
    rows = page.locator("#placements-list tbody tr")
    assert rows.count() == 8
    assert cells(rows.nth(0))[1:] == [
        "Tandvård Södra Lappland",
        "Tandvården",
        "Psykolog",
        "Medpool AB",
        "796",
        "2025-12-30",
        "2026-01-30",
        "Dag 721 passerad",
        "–",
    ]
    assert cells(rows.nth(1))[1:] == [
        "Primärvård Skellefteå",
        "Närsjukvårdsområde Skellefteå",
        "Läkare",
        "Vårdkraft AB",
        "714",
        "2026-03-22",
        "2026-04-22",
        "Dag 721 inom 90 dagar",
        "–",
    ]

    # 3. One area.
    page.get_by_label("Område").select_option("Tandvården")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert [cells(rows.nth(i))[0] for i in range(rows.count())] == ["Eva ForsK5", "Bo BergK2"]

    # 4. A consultant: the timeline drawn, an action recorded.
    with page.expect_navigation():
        page.get_by_role("link", name="Bo Berg").click()
    page.locator("[data-figure] .main-svg").first.wait_for(state="attached")
    tab.shot("consultant")
    assert page.get_by_role("heading", level=2, name=re.compile("^2001 Kirurgavdelning 1")).count()
    page.get_by_role("combobox", name="Åtgärd").select_option(
        label="Erbjudande om anställning lämnat"
    )
    page.get_by_role("textbox", name="Datum").fill("2026-03-20")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara åtgärden").click()
    assert page.get_by_role("status").inner_text().strip() == "Åtgärden är sparad."
    actions = page.locator("table", has=page.locator("caption", has_text="Registrerade åtgärder"))
    assert cells(actions.locator("tbody tr").first)[:3] == [
        "2026-03-20",
        "Erbjudande om anställning lämnat",
        "bem",
    ]

    # Every view of the list and of a consultant is in the access log.
    log = list(PlacementAccessLog.objects.order_by("id").values_list("who", "what", "filters"))
    assert {who for who, _what, _filters in log} == {"bem"}
    assert ("bem", "list", {"datum": "2026-03-15", "omrade": "Tandvården"}) in log
    assert log[-1] == ("bem", "consultant", {"konsult": "K2", "datum": "2026-03-15"})
    tab.assert_no_console_errors()

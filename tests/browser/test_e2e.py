"""The site in headless Chromium: each role logs in through the form; a controller uploads an
Excel file and a Windows-1252 CSV, confirms, reads the charts and tables, downloads a CSV
and undoes an import; the upload flow works with the keyboard alone.

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

from kpis.models import ImportBatch

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
    match = re.fullmatch(rf"Import (\d+) sparad: {rows} rader, \d+ månad(er)?\.", message.strip())
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
        ["/", "/sjukfranvaro/", "/medarbetarundersokning/"],
        ["/importera/", "/importer/", "/medarbetarundersokning/importera/"],
    ),
    "controller": (
        "ctrl",
        "/",
        ["/importera/", "/importer/", "/nationell-jamforelse/", "/sjukfranvaro/"],
        ["/medarbetarundersokning/importera/"],
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
        ["/", "/nationell-jamforelse/"],
    ),
    # bemanning: no page at all; the start page says so instead of refusing.
    "bemanning": (
        "bem",
        "/start/",
        [],
        ["/", "/sjukfranvaro/", "/medarbetarundersokning/", "/importera/"],
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
        assert page.get_by_role("heading", name="Ditt konto har inga sidor ännu").is_visible()

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

    history = page.locator("table", has=page.locator("caption", has_text="Importer"))
    for batch_id, name in ((xlsx_id, "utfall-jan-feb.xlsx"), (csv_id, "utfall-mars.csv")):
        row = history.locator("tbody tr", has=page.locator(f"td:text-is('{batch_id}')"))
        assert name in row.inner_text()
        assert "Aktiv" in row.inner_text()
    assert set(ImportBatch.objects.values_list("file_name", flat=True)) == {
        "utfall-jan-feb.xlsx",
        "utfall-mars.csv",
    }

    # 3. The dashboard for March: Plotly (a static file) loads and draws every chart.
    with page.expect_response(re.compile(r"/static/vendor/plotly\.min\.js$")) as plotly:
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
        "\ufeffmonth;profession;amount_sek\n"  # BOM: Excel reads the file as UTF-8
        "2025-01;hyr_lakare;123456,78\n"
        "2025-01;hyr_ssk_bm;0,00\n"
        "2025-01;hyr_ovriga;0,00\n"
        "2025-02;hyr_lakare;234567,00\n"
        "2025-02;hyr_ssk_bm;45678,90\n"
        "2025-02;hyr_ovriga;0,00\n"
        "2025-03;hyr_lakare;1234567,50\n"
        "2025-03;hyr_ssk_bm;98765,40\n"
        "2025-03;hyr_ovriga;5000,00\n"
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

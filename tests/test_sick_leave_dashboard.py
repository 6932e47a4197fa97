"""The sick-leave page (/sjukfranvaro/) and its CSV downloads, on tests/sick_leave_data.py.

By hand (tests/sick_leave_data.py): R12 2025-01 for the administration 9 906 / 165 600
= 5,98 %, for Närsjukvårdsområde Skellefteå 2 994 / 46 800 = 6,40 %, for
Länssjukvårdsområde 1 6 264 / 97 200 = 6,44 %, for Tandvården 3,00 %. Women R12
2025-01: (10 x 744 + 744 + 894) / (12 x 10 800) = 9 078 / 129 600 = 7,00 %, but the
2024-06 small month withholds both genders' R12 until 2025-05.
"""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from hyrdash.lib.formatting import NBSP
from kpis.models import Area, Department, Target
from kpis.sick_leave import services
from tests.sick_leave_data import (
    KIRURGI,
    LSO,
    NSO,
    PV_SKE,
    TANDVARDEN,
    close_through,
    import_sick_leave,
)
from tests.test_security import assert_no_inline_script

CODES = ["sick-leave-r12", "sick-leave-gender", "sick-leave-age", "sick-leave-duration"]


@pytest.fixture
def data(registers):
    batch = import_sick_leave()
    close_through("2025-02")
    return batch


@pytest.fixture
def styr(client, styrgrupp_user):
    client.force_login(styrgrupp_user)
    return client


@pytest.fixture
def hr(client, hr_user):
    client.force_login(hr_user)
    return client


def page(client, **params):
    response = client.get(reverse("kpis:sick_leave"), params)
    return response, response.content.decode()


def figure(html: str, code: str) -> dict:
    match = re.search(
        rf'<script id="fig-{re.escape(code)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no json_script for {code}"
    return json.loads(match.group(1))


def table_rows(response, code: str) -> dict[str, list]:
    """The chart's table as {month label: [cell values as shown]}."""
    chart = next(c for c in response.context["charts"] if c.code == code)
    rows = {}
    for row in chart.tables[0].rows:
        cells = row["cells"]
        rows[cells[0]["value"]] = [c["value"] for c in cells[1:]]
    return rows


def download(client, code: str, **params) -> list[list[str]]:
    response = client.get(reverse("kpis:sick_leave_csv", args=[code]), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def scopes() -> list[str]:
    return (
        ["hsf"]
        + [f"area:{name}" for name in Area.objects.values_list("name", flat=True)]
        + [f"department:{name}" for name in Department.objects.values_list("name", flat=True)]
        + ["care:sjukhusvård", "care:primärvård", "care:tandvård", "care:övrigt"]
    )


# --- the page -----------------------------------------------------------------------------


def test_the_page_shows_the_newest_month_for_the_administration(styr, data):
    response, html = page(styr)

    assert response.status_code == 200
    assert "Sjukfrånvaro – Hela förvaltningen, mars 2025" in html
    assert [c.code for c in response.context["charts"]] == CODES
    for code in CODES:
        assert figure(html, code)["data"], code
    r12 = table_rows(response, "sick-leave-r12")
    # Columns: the administration, then its areas (LSO, NSO, Tandvården). The areas'
    # totals were complements in 2024-06 (the administration's 9 men), so their R12
    # waits for a window without June.
    assert r12["jan 2025"][0] == pytest.approx(9906 / 165600 * 100)
    assert r12["jan 2025"][1:4] == ["..", "..", ".."]
    assert f"5,98{NBSP}%" in html


def test_it_renders_every_scope_without_inline_script(styr, data):
    for scope in scopes():
        response, html = page(styr, urval=scope, manad="2025-01")
        assert response.status_code == 200, scope
        assert not list(response.context["messages"]), scope
        assert len(response.context["charts"]) == 4
        assert_no_inline_script(response)


def test_lines_per_area_for_the_administration_and_per_department_for_an_area(styr, data):
    response, html = page(styr)
    names = [t.get("name") for t in figure(html, "sick-leave-r12")["data"]]
    assert "Hela förvaltningen" in names
    header = [c.label for c in response.context["charts"][0].tables[0].columns]
    assert [h for h in header if h in (LSO, NSO, TANDVARDEN)] == [LSO, NSO, TANDVARDEN]

    response, html = page(styr, urval=f"area:{LSO}")
    header = [c.label for c in response.context["charts"][0].tables[0].columns]
    assert LSO in header and KIRURGI in header
    assert response.context["charts"][0].heading == "Sjukfrånvaro R12 per verksamhet"

    response, html = page(styr, urval="care:sjukhusvård")
    assert response.context["charts"][0].heading == "Sjukfrånvaro R12"


def test_a_withheld_value_shows_as_two_dots_and_a_gap(styr, data):
    response, html = page(styr, urval=f"area:{NSO}", manad="2025-01")

    gender = table_rows(response, "sick-leave-gender")
    # NSO's 6 men, and its women with them: withheld every month; NSO's R12 too, as
    # its total was a complement in 2024-06.
    assert gender["jan 2025"] == ["..", "..", ".."]
    traces = {t.get("name") for t in figure(html, "sick-leave-gender")["data"]}
    assert "Män" not in traces and "Kvinnor" not in traces
    assert ".. i tabellen: värdet visas inte" in html


def test_the_small_month_withholds_r12_by_gender_for_the_administration(styr, data):
    response, _html = page(styr, manad="2025-03")

    gender = table_rows(response, "sick-leave-gender")
    assert gender["dec 2024"] == [pytest.approx(9756 / 165600 * 100), "..", ".."]
    age = table_rows(response, "sick-leave-age")
    # R12 2025-03 (apr 2024-mar 2025) holds jan's peak: (10 x 816 + 780 + 966) / 165 600
    assert age["mar 2025 (prel.)"][0] == pytest.approx(9906 / 165600 * 100)
    assert ".." in age["mar 2025 (prel.)"][1:]


def test_hr_closes_through_a_month_and_reopens_from_one(hr, data):
    response, html = page(hr)

    assert response.context["preliminary"]
    assert "Preliminär" in html
    assert "Stängt till och med februari 2025." in html
    assert "Stäng till och med 2025-03" in html
    assert "mar 2025 (prel.)" in table_rows(response, "sick-leave-r12")
    assert "feb 2025" in table_rows(response, "sick-leave-r12")  # closed: final

    response = hr.post(
        reverse("kpis:month_status"),
        {"manad": "2025-03", "closed": "1", "kind": "sick_leave", "next": "/sjukfranvaro/"},
        follow=True,
    )
    assert "Månaderna till och med 2025-03 är stängda." in response.content.decode()
    response, html = page(hr)
    assert not response.context["preliminary"]
    assert "Öppna 2025-03 och senare igen" in html
    assert not any("(prel.)" in label for label in table_rows(response, "sick-leave-r12"))

    # An older month has the button too: reopening January reopens February and March.
    response, html = page(hr, manad="2025-01")
    assert "Öppna 2025-01 och senare igen" in html
    response = hr.post(
        reverse("kpis:month_status"),
        {"manad": "2025-01", "closed": "", "kind": "sick_leave", "next": "/sjukfranvaro/"},
        follow=True,
    )
    assert (
        "2025-01 och månaderna efter är öppna och visas som preliminära."
        in response.content.decode()
    )
    response, html = page(hr)
    rows_ = table_rows(response, "sick-leave-r12")
    assert "dec 2024" in rows_
    assert all(f"{m} 2025 (prel.)" in rows_ for m in ("jan", "feb", "mar"))
    assert "Stängt till och med december 2024." in html


def test_the_steering_group_sees_no_month_controls(styr, data):
    _response, html = page(styr)

    assert "Stäng till och med" not in html
    assert "Skriv kommentar" not in html


def test_a_target_draws_a_line_and_a_column(styr, data):
    Target.objects.create(measure="sick_leave", year=2025, scope_kind="hsf", pct="5.50")

    response, html = page(styr)

    r12 = table_rows(response, "sick-leave-r12")
    assert r12["jan 2025"][-1] == pytest.approx(5.5)
    assert r12["dec 2024"][-1] is None or r12["dec 2024"][-1] != r12["dec 2024"][-1]  # none
    assert any(t.get("name") == "Mål" for t in figure(html, "sick-leave-r12")["data"])
    assert "med mål per år" in figure(html, "sick-leave-r12")["layout"]["title"]["text"]


def test_an_area_has_the_administrations_target_only_when_marked_to_follow_it(styr, data):
    Target.objects.create(measure="sick_leave", year=2025, scope_kind="hsf", pct="5.50")

    response, html = page(styr, urval=f"area:{LSO}")
    assert not any(
        t.get("name", "").startswith("Mål") for t in figure(html, "sick-leave-r12")["data"]
    )
    chart = next(c for c in response.context["charts"] if c.code == "sick-leave-r12")
    assert [c.label for c in chart.tables[0].columns][-1] != "Mål"

    Target.objects.create(
        measure="sick_leave",
        year=2025,
        scope_kind="area",
        area=Area.objects.get(name=LSO),
        follows_hsf=True,
    )
    response, html = page(styr, urval=f"area:{LSO}")
    # LSO's own R12 line is withheld in this data (its total was a complement in
    # 2024-06), so the chart draws no target beside it; the table names it.
    chart = next(c for c in response.context["charts"] if c.code == "sick-leave-r12")
    assert chart.tables[0].columns[-1].label == "Mål (förvaltningens)"
    assert table_rows(response, "sick-leave-r12")["jan 2025"][-1] == pytest.approx(5.5)


def test_the_scope_select_lists_the_departments_under_their_area(styr, data):
    response, _html = page(styr)

    groups = dict(response.context["scope_choices"])
    assert groups[NSO] == [(f"department:{PV_SKE}", PV_SKE)]
    assert groups[LSO] == [(f"department:{KIRURGI}", KIRURGI)]


def test_wrong_parameters_fall_back_with_a_message(styr, data):
    response, html = page(styr, manad="2030-01", urval="area:Finns inte")

    assert [str(m) for m in response.context["messages"]] == [
        "Januari 2030 har ingen sjukfrånvaro; visar mars 2025.",
        "Området Finns inte finns inte. Visar hela förvaltningen.",
    ]
    assert "Sjukfrånvaro – Hela förvaltningen, mars 2025" in html


def test_without_sick_leave_the_page_says_so_and_hr_gets_the_upload_link(hr, registers):
    response, html = page(hr)

    assert response.status_code == 200
    assert "Ingen sjukfrånvaro ännu" in html
    assert f'href="{reverse("kpis:upload")}?typ=sick_leave"' in html
    assert hr.get(reverse("kpis:sick_leave_csv", args=["sick-leave-r12"])).status_code == 404


def test_the_navigation_links_the_page_for_those_who_may_see_it(hr, data):
    _response, html = page(hr)

    assert 'aria-current="page" href="/sjukfranvaro/">Sjukfrånvaro</a>' in html
    assert 'href="/importera/">Importera</a>' in html
    assert "Nationell jämförelse" not in html  # the ledger's controller tools


# --- the downloads ------------------------------------------------------------------------


def test_each_chart_downloads_its_table_in_swedish_excel_format(styr, data):
    response, html = page(styr, manad="2025-01")
    for chart in response.context["charts"]:
        assert chart.csv_url == (
            f"{reverse('kpis:sick_leave_csv', args=[chart.code])}?manad=2025-01&urval=hsf"
        )
        assert chart.csv_url.replace("&", "&amp;") in html

    rows = download(styr, "sick-leave-r12", manad="2025-01")

    assert rows[0] == [
        "month", "group", "employees", "ordinary_hours", "sick_hours", "rate_pct",
        "rate_r12_pct", "long_term_share_r12_pct", "preliminary", "suppressed",
    ]  # fmt: skip
    assert rows[-4:] == [
        ["2025-01", "total", "93", "13950,00", "966,00", "6,925", "5,982", "29,073", "0", "0"],
        # The areas' R12: withheld, their totals were complements in 2024-06.
        ["2025-01", LSO, "55", "8250,00", "525,00", "6,364", "", "", "0", "1"],
        ["2025-01", NSO, "26", "3900,00", "387,00", "9,923", "", "", "0", "1"],
        ["2025-01", TANDVARDEN, "12", "1800,00", "54,00", "3,000", "", "", "0", "1"],
    ]
    assert rows[1][0] == "2024-01"  # 36 months back from 2025-01: all there is


def test_the_downloads_withhold_what_the_page_withholds(styr, data):
    rows = download(styr, "sick-leave-gender", manad="2024-05", urval=f"area:{NSO}")

    assert rows[-3:] == [
        ["2024-05", "total", "26", "3900,00", "237,00", "6,077", "", "", "0", "0"],
        ["2024-05", "K", "", "", "", "", "", "", "0", "1"],
        ["2024-05", "M", "", "", "", "", "", "", "0", "1"],
    ]
    # The derivation attack across downloads: the administration's men minus the other
    # areas' men. LSO's 15 men are shown, so the administration's are withheld.
    men = {
        scope: download(styr, "sick-leave-gender", manad="2024-05", urval=scope)[-1]
        for scope in ("hsf", f"area:{LSO}", f"area:{TANDVARDEN}", f"department:{PV_SKE}")
    }
    assert men["hsf"][4] == ""  # withheld: else hsf - 45 gives NSO's men
    assert men[f"area:{LSO}"][4] == "45,00"
    assert men[f"department:{PV_SKE}"][4] == ""


def test_the_duration_download(styr, data):
    rows = download(styr, "sick-leave-duration", manad="2025-01")

    assert rows[-1] == [
        "2025-01", "93", "966,00", "596,00", "130,00", "240,00", "4,272", "3,301", "29,073",
        "0", "0",
    ]  # fmt: skip
    disposition = styr.get(
        reverse("kpis:sick_leave_csv", args=["sick-leave-duration"]),
        {"manad": "2025-01", "urval": f"area:{NSO}"},
    )["Content-Disposition"]
    assert disposition == (
        'attachment; filename="hyrdash-sick-leave-duration-area-narsjukvardsomrade-'
        'skelleftea-2025-01.csv"'
    )


def test_a_bad_download_is_refused(styr, data):
    url = reverse("kpis:sick_leave_csv", args=["sick-leave-r12"])
    assert styr.get(reverse("kpis:sick_leave_csv", args=["agency-r12"])).status_code == 404
    response = styr.get(url, {"urval": "area:<script>"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_replaced_month_shows_at_once(styr, data):
    services.sick_leave_import(
        data=b"Period;Ansvar;K\xc3\xb6n;\xc3\x85ldersgrupp;Antal anst\xc3\xa4llda;"
        b"Ordinarie arbetstid;Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-\n"
        b"2025-03;0101;K;30-49;40;6000;300;0;0\n",
        file_name="mars.csv",
        replaces="months",
    )

    rows = download(styr, "sick-leave-r12", manad="2025-03", urval=f"area:{NSO}")

    assert rows[-2][:5] == ["2025-03", "total", "40", "6000,00", "300,00"]

"""The cost dashboard's drill-down: the administration -> an area -> a department -> a unit,
from the names in the charts' tables and a breadcrumb, the scope in the URL (urval), and
who gets it (kpis.roles: those who see the cost dashboard; costs are no personal data,
so a unit's costs are shown; sick leave never offers a unit).

The data set is tests/test_dashboard.py's (actuals 2025-01 .. 2026-03):

    area                           department               unit                  agency
    Närsjukvårdsområde Skellefteå  Primärvård Skellefteå    0101 Hälsocentral Boliden  läkare
    Länssjukvårdsområde 1          Kirurgiskt centrum       2001 Kirurgavdelning 1     ssk
    Tandvården                     Tandvård Södra Lappland  3001 Folktandvården Lycksele  övriga

(0102 and 2002 have no rows.)
"""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from hyrdash.lib.formatting import NBSP
from kpis.models import Area
from survey.models import HrAccess
from tests.conftest import make_user
from tests.sick_leave_data import import_sick_leave
from tests.test_dashboard import (  # noqa: F401
    LSO,
    NSO,
    TANDVARDEN,
    costs,
    ctrl_client,
    figure,
    page,
    styr_client,
)

KIRURGI = "Kirurgiskt centrum"
PV_SKE = "Primärvård Skellefteå"


def link(scope: str, **extra: str) -> str:
    """A link to the dashboard for `scope` in March 2026, as the page writes it."""
    return escape(
        f"{reverse('kpis:dashboard')}?{urlencode({'manad': '2026-03', 'urval': scope, **extra})}"
    )


def section(html: str, code: str) -> str:
    return html.split(f'<section id="{code}"')[1].split("</section>")[0]


def breadcrumb(html: str) -> str:
    return html.split('<nav class="org-path"')[1].split("</nav>")[0]


def crumbs(response) -> list[tuple[str, str]]:
    return [(c["label"], c["href"]) for c in response.context["breadcrumb"]]


def url(scope: str) -> str:
    return f"{reverse('kpis:dashboard')}?{urlencode({'manad': '2026-03', 'urval': scope})}"


# --- every level --------------------------------------------------------------------------


def test_the_administration_links_its_areas_and_departments(styr_client, costs):  # noqa: F811
    response, html = page(styr_client, manad="2026-03")

    nav = breadcrumb(html)
    assert '<li class="breadcrumb-item active" aria-current="page">Hela förvaltningen</li>' in nav
    assert "<a " not in nav
    # chart 5: each area's column header
    for area in (LSO, NSO, TANDVARDEN):
        assert f'<a href="{link(f"area:{area}")}">{area}</a></th>' in section(
            html, "agency-r12-by-area"
        )
    # chart 4b's targets: the care types and areas by row
    targets = section(html, "skr-measure-scopes")
    assert f'<th scope="row"><a href="{link("care:sjukhusvård")}">Sjukhusvård</a></th>' in targets
    assert f'<th scope="row"><a href="{link(f"area:{LSO}")}">{LSO}</a></th>' in targets
    # chart 7: each department by row
    departments = section(html, "agency-by-department")
    for department in (KIRURGI, PV_SKE):
        assert (
            f'<th scope="row"><a href="{link(f"department:{department}")}">{department}</a></th>'
            in departments
        )
    assert 'id="agency-by-unit"' not in html


def test_an_area_links_its_departments(styr_client, costs):  # noqa: F811
    response, html = page(styr_client, manad="2026-03", urval=f"area:{LSO}")

    assert crumbs(response) == [("Hela förvaltningen", url("hsf")), (LSO, url(f"area:{LSO}"))]
    nav = breadcrumb(html)
    assert f'<li class="breadcrumb-item"><a href="{link("hsf")}">Hela förvaltningen</a></li>' in nav
    assert f'aria-current="page">{LSO}</li>' in nav
    departments = section(html, "agency-by-department")
    assert f'<a href="{link(f"department:{KIRURGI}")}">{KIRURGI}</a>' in departments
    assert PV_SKE not in departments  # another area's


def test_a_department_lists_and_links_its_units(styr_client, costs):  # noqa: F811
    response, html = page(styr_client, manad="2026-03", urval=f"department:{KIRURGI}")

    assert crumbs(response) == [
        ("Hela förvaltningen", url("hsf")),
        (LSO, url(f"area:{LSO}")),
        (KIRURGI, url(f"department:{KIRURGI}")),
    ]
    assert 'id="agency-by-department"' not in html
    units = section(html, "agency-by-unit")
    assert "7. Kostnad per enhet och yrkesgrupp" in units
    assert "Kostnad hyrpersonal per enhet och yrkesgrupp jan–mar 2026 jämfört med jan–mar 2025" in (
        units
    )
    # 2001: ssk 3 x 400 000 = 1 200 tkr against 3 x 500 000 = 1 500 tkr
    assert (
        f'<th scope="row"><a href="{link("unit:2001")}">2001 Kirurgavdelning 1</a></th>'
        f'<td>Ssk/Bm</td><td class="num">1{NBSP}200{NBSP}tkr</td>'
        f'<td class="num">1{NBSP}500{NBSP}tkr</td>'
    ) in units
    assert "2002" not in units  # no agency cost in either period
    assert (
        f'href="/csv/agency-by-unit/?{escape(urlencode({"manad": "2026-03", "urval": f"department:{KIRURGI}"}))}"'
        in units
    )


def test_a_unit_shows_its_own_costs_under_the_whole_path(styr_client, costs):  # noqa: F811
    response, html = page(styr_client, manad="2026-03", urval="unit:2001")

    assert response.status_code == 200
    assert crumbs(response) == [
        ("Hela förvaltningen", url("hsf")),
        (LSO, url(f"area:{LSO}")),
        (KIRURGI, url(f"department:{KIRURGI}")),
        ("2001 Kirurgavdelning 1", url("unit:2001")),
    ]
    nav = breadcrumb(html)
    for label, scope in [
        ("Hela förvaltningen", "hsf"),
        (LSO, f"area:{LSO}"),
        (KIRURGI, f"department:{KIRURGI}"),
    ]:
        assert f'<a href="{link(scope)}">{label}</a>' in nav
    assert 'aria-current="page">2001 Kirurgavdelning 1</li>' in nav
    assert "Hyrpersonal – 2001 Kirurgavdelning 1, mars 2026" in html
    # its own year to date: ssk 3 x 400 000 = 1,2 mkr
    assert f'<p class="ytd-value mb-1">1,2{NBSP}mkr</p>' in html
    # the unit's row names itself: no link to the page it is on
    units = section(html, "agency-by-unit")
    assert '<th scope="row">2001 Kirurgavdelning 1</th>' in units
    # the unit is in the select as the chosen "other" scope
    assert '<option value="unit:2001" selected>2001 Kirurgavdelning 1</option>' in html


def test_a_care_type_sits_under_the_administration(styr_client, costs):  # noqa: F811
    response, _html = page(styr_client, manad="2026-03", urval="care:sjukhusvård")

    assert crumbs(response) == [
        ("Hela förvaltningen", url("hsf")),
        ("Sjukhusvård", url("care:sjukhusvård")),
    ]


def test_the_links_keep_the_month_and_the_departments_range(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03", fran="2026-01", till="2026-02")

    expected = link(f"department:{KIRURGI}", fran="2026-01", till="2026-02")
    assert f'<a href="{expected}">{KIRURGI}</a>' in section(html, "agency-by-department")


# --- the charts' labels: the same links as the tables' --------------------------------------


def table_links(html: str, code: str) -> list[tuple[str, str]]:
    """(name, URL) of every link in chart `code`'s tables, in the tables' order."""
    tables = re.findall(r"<table.*?</table>", section(html, code), re.S)
    return [
        (unescape(name), unescape(href))
        for table in tables
        for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', table)
    ]


def bar_links(fig: dict) -> dict[str, str]:
    """category -> URL of every linked bar; each category always with the same URL."""
    links: dict[str, str] = {}
    for trace in fig["data"]:
        if trace.get("type") == "bar" and "meta" in trace:
            for name, href in zip(trace["y"], trace["meta"]["hrefs"], strict=True):
                assert links.setdefault(name, href) == href
    return links


def test_the_charts_bars_lines_and_panels_carry_the_tables_links(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03")

    # chart 5: each area's line (its traces: closed and preliminary months) its page
    areas = figure(html, "agency-r12-by-area")
    lines = {t["legendgroup"]: t["meta"]["href"] for t in areas["data"] if "meta" in t}
    assert lines == {area: url(f"area:{area}") for area in (LSO, NSO, TANDVARDEN)}
    assert lines == dict(table_links(html, "agency-r12-by-area"))
    assert all("meta" in t for t in areas["data"] if t.get("legendgroup") in lines)
    # chart 4b: each panel (its axes: x, x2, ...) the page of the scope its title names,
    # in the order of the ratio table's columns
    panels = figure(html, "skr-measure-scopes")
    by_axis: dict[str, set] = {}
    for trace in panels["data"]:
        if "xaxis" in trace:
            by_axis.setdefault(trace["xaxis"], set()).add(trace.get("meta", {}).get("href"))
    titles = [
        re.sub(r"<[^>]+>", "", a["text"].replace("<br>", " "))
        for a in panels["layout"]["annotations"]
    ]
    headers = table_links(html, "skr-measure-scopes")[: len(titles)]
    assert [name for name, _href in headers] == titles
    assert titles[0] == "Hela förvaltningen" and LSO in titles
    assert [by_axis["x" if i == 0 else f"x{i + 1}"] for i in range(len(titles))] == [
        {href} for _name, href in headers
    ]
    assert by_axis[f"x{titles.index(LSO) + 1}"] == {url(f"area:{LSO}")}
    # chart 7: each department's bars
    departments = bar_links(figure(html, "agency-by-department"))
    assert departments == {
        KIRURGI: url(f"department:{KIRURGI}"),
        PV_SKE: url(f"department:{PV_SKE}"),
        "Tandvård Södra Lappland": url("department:Tandvård Södra Lappland"),
    }
    assert departments == dict(table_links(html, "agency-by-department"))


def test_an_areas_department_bars_and_a_departments_unit_bars_link(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03", urval=f"area:{LSO}")
    departments = bar_links(figure(html, "agency-by-department"))
    assert departments == {KIRURGI: url(f"department:{KIRURGI}")}
    assert departments == dict(table_links(html, "agency-by-department"))

    _response, html = page(styr_client, manad="2026-03", urval=f"department:{KIRURGI}")
    units = bar_links(figure(html, "agency-by-unit"))
    assert units == {"2001 Kirurgavdelning 1": url("unit:2001")}
    assert units == dict(table_links(html, "agency-by-unit"))


def test_a_units_bars_link_nowhere(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03", urval="unit:2001")
    fig = figure(html, "agency-by-unit")
    assert [t for t in fig["data"] if t.get("type") == "bar"]
    assert bar_links(fig) == {} == dict(table_links(html, "agency-by-unit"))


def test_an_unknown_unit_falls_back_with_a_message(styr_client, costs):  # noqa: F811
    response, html = page(styr_client, urval="unit:9999")

    assert "Enheten 9999 finns inte. Visar hela förvaltningen." in [
        str(m) for m in response.context["messages"]
    ]
    assert "Hyrpersonal – Hela förvaltningen, mars 2026" in html


def test_each_level_downloads_its_own_chart_7(styr_client, costs):  # noqa: F811
    def download(series, scope):
        return styr_client.get(
            reverse("kpis:dashboard_csv", args=[series]), {"manad": "2026-03", "urval": scope}
        )

    response = download("agency-by-unit", f"department:{KIRURGI}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="hyrdash-agency-by-unit-department-kirurgiskt-centrum-'
        '2026-01-2026-03.csv"'
    )
    assert response.content.decode("utf-8-sig").splitlines() == [
        "unit;unit_name;profession;amount_sek;amount_prev_sek",
        "2001;Kirurgavdelning 1;hyr_ssk_bm;1200000,00;1500000,00",
    ]
    assert download("agency-by-unit", "unit:2001").status_code == 200
    assert download("skr-measure", "unit:2001").status_code == 200
    # chart 7 of another level is not this page's
    assert download("agency-by-unit", f"area:{LSO}").status_code == 404
    assert download("agency-by-department", f"department:{KIRURGI}").status_code == 404


def test_a_controller_comments_on_a_units_page(ctrl_client, costs):  # noqa: F811
    _response, html = page(ctrl_client, manad="2026-03", urval="unit:2001")
    assert '<input type="hidden" name="urval" value="unit:2001">' in html

    response = ctrl_client.post(
        reverse("kpis:commentary"),
        {
            "manad": "2026-03",
            "chart": "skr-target-path",
            "urval": "unit:2001",
            "text": "Två vakanser tillsatta.",
            "next": url("unit:2001"),
        },
    )
    assert response.status_code == 302
    _response, html = page(ctrl_client, manad="2026-03", urval="unit:2001")
    assert "Två vakanser tillsatta." in section(html, "skr-target-path")
    _response, html = page(ctrl_client, manad="2026-03", urval=f"department:{KIRURGI}")
    assert "Två vakanser tillsatta." not in html  # the unit's own


# --- who gets it ------------------------------------------------------------------------


@pytest.fixture
def hr_of_lso(registers):
    """An HR partner for Länssjukvårdsområde 1 only (survey.HrAccess)."""
    user = make_user("hr-lso", "hr")
    access = HrAccess.objects.create(user=user)
    access.areas.set(Area.objects.filter(name=LSO))
    return user


@pytest.mark.parametrize(
    "scope",
    ["hsf", f"area:{LSO}", f"area:{NSO}", f"department:{KIRURGI}", "unit:2001", "unit:0101"],
)
def test_hr_gets_no_cost_page_at_any_level_not_even_in_its_own_area(
    client,
    costs,  # noqa: F811
    hr_of_lso,
    scope,
):
    client.force_login(hr_of_lso)
    assert client.get(reverse("kpis:dashboard"), {"urval": scope}).status_code == 403
    response = client.get(reverse("kpis:dashboard_csv", args=["agency-by-unit"]), {"urval": scope})
    assert response.status_code == 403


def test_hr_gets_no_unit_on_the_sick_leave_page(client, registers, hr_of_lso):
    import_sick_leave()
    client.force_login(hr_of_lso)

    response = client.get(reverse("kpis:sick_leave"), {"urval": "unit:2001"})
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Okänt urval unit:2001") for m in messages), messages
    html = response.content.decode()
    # (the language form's `next` is the address asked for: not a link the page offers)
    assert not re.search(r'href="[^"]*urval=unit', html)
    assert 'value="unit:' not in html
    assert 'class="org-path"' not in html  # the drill-down is the cost dashboard's


def test_everyone_who_sees_the_costs_gets_the_links(client, costs, controller_user, superuser):  # noqa: F811
    for user in (controller_user, superuser, make_user("styr-2", "styrgrupp")):
        client.force_login(user)
        html = client.get(
            reverse("kpis:dashboard"), {"manad": "2026-03", "urval": f"department:{KIRURGI}"}
        ).content.decode()
        assert f'<a href="{link("unit:2001")}">2001 Kirurgavdelning 1</a>' in html, user


def test_the_view_permission_alone_is_enough_and_without_it_nothing(client, costs):  # noqa: F811
    # Permissions, not group names: a user with kpis.view_dashboard only.
    user = make_user("viewer")
    client.force_login(user)
    assert client.get(reverse("kpis:dashboard"), {"urval": "unit:2001"}).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client.force_login(user)
    html = client.get(
        reverse("kpis:dashboard"), {"manad": "2026-03", "urval": f"department:{KIRURGI}"}
    ).content.decode()
    assert f'<a href="{link("unit:2001")}">' in html

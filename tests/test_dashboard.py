"""The steering group's cost dashboard (/) and its CSV downloads (/csv/<series>/).

The data set is imported through the real import service on the `registers`
organisation (tests/conftest.py): actuals for 2025-01 .. 2026-03, every month

    unit  care type    area                             account      2025        2026
    0101  primärvård   Närsjukvårdsområde Skellefteå    4601 läkare  1 000 000   1 200 000
    0101                                                5111 own    10 000 000  10 000 000
    2001  sjukhusvård  Länssjukvårdsområde 1            4611 ssk       500 000     400 000
    2001                                                5111 own    40 000 000  40 000 000
    3001  tandvård     Tandvården                       4621 övriga    100 000     100 000
    3001                                                5111 own     5 000 000   5 000 000

and a budget for 2026: 0101 5111 11 000 000 every month.

By hand, year to date March 2026 vs March 2025 (whole administration):
läkare 3,6 vs 3,0 mkr (+ 0,6 mkr, ökning 20 %), ssk 1,2 vs 1,5 mkr
(− 0,3 mkr, minskning 20 %), övriga 0,3 vs 0,3 mkr, total 5,1 vs 4,8 mkr
(+ 0,3 mkr, ökning 6,3 %). Per scope the total is the one profession there:
primärvård/Skellefteå 3,6 mkr, sjukhusvård/LSO 1 1,2 mkr, tandvård 0,3 mkr.

SKR measure, 2026-03, whole administration: agency R12 = 9 × 1 600 000
(Apr-Dec 2025) + 3 × 1 700 000 = 19 500 000; own-staff R12 = 12 × 55 000 000 =
660 000 000; ratio 19 500 000 / 660 000 000 = 2,9545... %; target 2026 3,44 %.
"""

import datetime as dt
import json
import re
from urllib.parse import quote

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from hyrdash.lib.formatting import NBSP
from kpis import batches
from kpis.costs import selection as dashboard
from kpis.costs import services as cost_services
from kpis.models import ImportBatch
from kpis.national import services as national_services
from kpis.organisation.selectors import Scope

NSO = "Närsjukvårdsområde Skellefteå"
LSO = "Länssjukvårdsområde 1"
TANDVARDEN = "Tandvården"
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02", "2026-03"]

# scope key -> year-to-date total March 2026 as the card shows it, worked out above: in
# mkr, but tandvård's 300 000 kr (and 300 000 kr the year before) in tkr.
SCOPES = {
    "hsf": "5,1 mkr",
    "care:primärvård": "3,6 mkr",
    "care:sjukhusvård": "1,2 mkr",
    "care:tandvård": "300 tkr",
    f"area:{NSO}": "3,6 mkr",
    f"area:{LSO}": "1,2 mkr",
    f"area:{TANDVARDEN}": "300 tkr",
}

# The charts of the administration's, a care type's and an area's pages (a department's
# and a unit's have chart 7 per unit: tests/test_drilldown.py), and those with a figure.
CODES = dashboard.dashboard_codes(Scope())
FIGURES = [code for code in CODES if code not in dashboard.TABLE_ONLY]

CAPTIONS = [
    "Kostnader hyrpersonal ack mars 2026 jämfört med samma period 2025 per yrkesgrupp",
    "Kostnader hyrpersonal per månad och yrkesgrupp 2024–mars 2026",
    "Kostnaden för hyrpersonal R12 per månad",
    "Hyrkostnadernas andel av kostnaden för egen personal R12 (SKR-mått)",
    "Vad krävs för att nå målet 2026?",
    "SKR-mått R12 (%) per månad för hela förvaltningen, varje vårdtyp och varje område",
    "Kostnad hyrpersonal R12 per område och månad",
    "Personalkostnader 2026 per månad: utfall, budget och utfall 2025",
    "Kostnad hyrpersonal per verksamhet och yrkesgrupp jan–mar 2026 jämfört med jan–mar 2025",
    "Köpta hyrtimmar och kostnad per timme per månad och yrkesgrupp",
    "Andel hyrpersonal per kvartal, Västerbotten och riket (procent)",
    "Andel hyrpersonal per region 2026 K1",
]

NATIONAL_CSV = """Period;Region;Andel
2026-Q1;Riket;2,5
2026-Q1;Region Stockholm;0,9
2026-Q1;Region Västerbotten;3,9
2026-Q1;Region Norrbotten;11,8
"""


def amount(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def cost_file(rows: list[tuple[str, str, str, float, float | None]]) -> bytes:
    lines = ["Period;Ansvar;Konto;Belopp;Timmar"]
    for period, ansvar, konto, value, hours in rows:
        lines.append(f"{period};{ansvar};{konto};{amount(value)};{'' if hours is None else hours}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def actuals_rows():
    for month in MONTHS:
        new = month.startswith("2026")
        yield month, "0101", "4601", 1_200_000 if new else 1_000_000, 10
        yield month, "0101", "5111", 10_000_000, None
        yield month, "2001", "4611", 400_000 if new else 500_000, 5
        yield month, "2001", "5111", 40_000_000, None
        yield month, "3001", "4621", 100_000, 1
        yield month, "3001", "5111", 5_000_000, None


@pytest.fixture
def costs(registers):
    cost_services.costs_import(
        data=cost_file(list(actuals_rows())),
        file_name="utfall.csv",
        kind=ImportBatch.Kind.ACTUALS,
    )
    budget = [(f"2026-{m:02d}", "0101", "5111", 11_000_000, None) for m in range(1, 13)]
    cost_services.costs_import(
        data=cost_file(budget), file_name="budget.csv", kind=ImportBatch.Kind.BUDGET
    )


@pytest.fixture
def national(db):
    national_services.national_import(data=NATIONAL_CSV.encode("utf-8"))


@pytest.fixture
def styr_client(client, styrgrupp_user):
    client.force_login(styrgrupp_user)
    return client


@pytest.fixture
def ctrl_client(client, controller_user):
    client.force_login(controller_user)
    return client


def page(client, **params):
    response = client.get(reverse("kpis:dashboard"), params)
    return response, response.content.decode()


def figure(html: str, code: str) -> dict:
    match = re.search(
        rf'<script id="fig-{re.escape(code)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no json_script for {code}"
    return json.loads(match.group(1))


# --- the page ------------------------------------------------------------------------


@pytest.mark.parametrize("scope", list(SCOPES))
def test_it_renders_every_chart_for_each_scope(styr_client, costs, national, scope):
    response, html = page(styr_client, urval=scope)

    assert response.status_code == 200
    for code in FIGURES:
        assert f'id="fig-{code}"' in html
        assert f'data-figure="fig-{code}"' in html
    for code in CODES:
        assert f'<section id="{code}"' in html
    for caption in CAPTIONS:
        assert caption in html
    assert html.count('role="img"') == len(FIGURES)
    # The numbers shown come from the series: the total card's year to date.
    total = SCOPES[scope].replace(" ", NBSP)
    assert f'<p class="ytd-value mb-1">{total}</p>' in html


def test_it_shows_the_change_against_last_year_as_the_decks_write_it(styr_client, costs):
    _, html = page(styr_client)

    assert f"+{NBSP}0,6{NBSP}mkr, ökning 20{NBSP}%" in html
    assert f"\u2212{NBSP}0,3{NBSP}mkr, minskning 20{NBSP}%" in html
    assert f"+{NBSP}0,3{NBSP}mkr, ökning 6,3{NBSP}%" in html
    assert f'<td class="num">3,6{NBSP}mkr</td>' in html


def test_it_draws_figures_with_swedish_separators_and_titles(styr_client, costs, national):
    _, html = page(styr_client)

    skr = figure(html, "skr-measure")
    assert skr["layout"]["separators"] == ", "
    assert skr["layout"]["title"]["text"].startswith(
        "Hyrkostnadernas andel av kostnaden för egen personal R12 (SKR-mått)"
    )
    ratio = next(t for t in skr["data"] if t.get("name") == "SKR-mått R12" and "2026-03" in t["x"])
    assert ratio["y"][ratio["x"].index("2026-03")] == pytest.approx(19_500_000 / 660_000_000 * 100)
    target = next(t for t in skr["data"] if t.get("name") == "Mål")
    assert target["y"][target["x"].index("2026-03")] == pytest.approx(3.44)
    assert figure(html, "agency-r12")["layout"]["title"]["text"].startswith(
        "Kostnaden för hyrpersonal R12 (tkr)"
    )
    assert figure(html, "agency-ytd")["layout"]["title"]["text"].startswith(
        "Kostnader hyrpersonal – ack mars 2026"
    )
    for code in FIGURES:
        fig = figure(html, code)
        assert "plotly.js" not in json.dumps(fig)  # the figure, not the library
        go.Figure(fig)  # valid for plotly


def test_it_marks_the_selected_month_preliminary_until_it_is_closed(styr_client, costs):
    _, html = page(styr_client)
    assert 'class="badge badge-preliminary"' in html
    assert "mar 2026 (prel.)" in html
    assert '<tr class="preliminary">' in html

    batches.month_status_set(period=dt.date(2026, 3, 1), closed=True)
    _, html = page(styr_client)
    assert 'class="badge badge-preliminary"' not in html


def test_it_keeps_month_and_scope_in_the_url(styr_client, costs):
    response, html = page(styr_client, manad="2026-02", urval=f"area:{TANDVARDEN}")

    assert response.status_code == 200
    assert "Hyrpersonal – Tandvården, februari 2026" in html
    assert '<option value="2026-02" selected>' in html
    assert f'<option value="area:{TANDVARDEN}" selected>' in html
    query = f"manad=2026-02&amp;urval=area%3A{quote(TANDVARDEN)}"
    assert f'href="/csv/skr-measure/?{query}"' in html
    assert 'data-filename="hyrdash-skr-measure-area-tandvarden-2026-02"' in html  # PNG
    assert '<form method="get" action="/"' in html


def test_it_defaults_to_the_last_month_with_actuals(styr_client, costs):
    _, html = page(styr_client)

    assert "Hyrpersonal – Hela förvaltningen, mars 2026" in html
    assert '<option value="2026-03" selected>' in html
    months = re.findall(r'<option value="(\d{4}-\d{2})"', html.split('id="id_manad"')[1])
    assert months[:3] == ["2026-03", "2026-02", "2026-01"]  # newest first


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"manad": "2026-13"}, "förstås inte"),
        ({"manad": "mars"}, "förstås inte"),
        ({"manad": "1999-01"}, "Januari 1999 har inga utfall; visar mars 2026."),
        ({"urval": "area:Ingenstans"}, "Området Ingenstans finns inte."),
        ({"urval": "care:veterinärvård"}, "Okänd vårdtyp veterinärvård"),
        ({"urval": "hsf\x00"}, None),
        ({"urval": "x" * 5000}, "Okänt urval"),
        ({"fran": "2026-03", "till": "2026-01"}, "börjar efter att den slutar"),
        ({"fran": "igår"}, "Perioden för kostnad per verksamhet förstås inte"),
    ],
)
def test_it_falls_back_with_a_message_on_bad_parameters(styr_client, costs, params, message):
    response, html = page(styr_client, **params)

    assert response.status_code == 200
    assert 'id="fig-skr-measure"' in html
    if message:
        assert message in html


def test_it_shows_a_months_range_for_the_department_chart(styr_client, costs):
    _, html = page(styr_client, fran="2026-01", till="2026-02")

    assert (
        "Kostnad hyrpersonal per verksamhet och yrkesgrupp jan–feb 2026 jämfört med jan–feb 2025"
        in html
    )
    assert '<input type="hidden" name="fran" value="2026-01">' in html


def test_it_shows_the_months_commentary_under_its_chart(styr_client, costs):
    cost_services.commentary_save(
        period=dt.date(2026, 3, 1), chart="skr-measure", text="Under målet sedan januari."
    )
    _, html = page(styr_client)

    section = html.split('id="skr-measure"')[1].split("</section>")[0]
    assert "Under målet sedan januari." in section
    assert "Skriv kommentar" not in html  # the steering group reads, controllers write


def test_controllers_get_their_tools_on_the_page(ctrl_client, costs):
    _, html = page(ctrl_client)

    assert html.count('name="chart" value="') == len(CODES)
    assert 'action="/manad/status/"' in html


def test_it_explains_a_missing_national_table(styr_client, costs):
    _, html = page(styr_client)

    assert "Ingen nationell jämförelse är uppladdad ännu." in html
    assert 'id="fig-national"' not in html


def test_it_highlights_our_region_in_the_national_comparison(styr_client, costs, national):
    _, html = page(styr_client)

    assert "Region Västerbotten: 3,9" in html  # in the chart's text summary
    fig = figure(html, "national")
    ours = next(t for t in fig["data"] if t["name"] == "Västerbotten")
    assert ours["x"] == [3.9]
    assert fig["layout"]["annotations"][0]["text"] == f"Riket 2,5{NBSP}%"


def test_it_has_no_inline_script(styr_client, costs, national):
    _, html = page(styr_client)

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "onclick" not in html


def test_it_reads_the_database_a_fixed_number_of_times(
    styr_client, costs, national, django_assert_max_num_queries
):
    # 20: 14, the departments of the scope select, the placements for the counts under
    # chart 8 (12 a §), the data version (the page cache's key), and for the "Om måttet"
    # panels the account mapping and the newest import of actuals and of budget.
    with django_assert_max_num_queries(20):
        page(styr_client, urval=f"area:{NSO}")
    # A unit's page reads its department's units and their sums too.
    with django_assert_max_num_queries(22):
        page(styr_client, urval="unit:0101")


def test_a_page_asked_for_again_is_served_from_the_cache(
    styr_client, costs, national, django_assert_max_num_queries
):
    """The second request reads the session, the user and its permissions, the data
    version and the scope select's departments; nothing of the figures."""
    first = styr_client.get("/", {"urval": f"area:{NSO}"})
    assert first["X-Hyrdash-Cache"] == "miss"
    with django_assert_max_num_queries(6):
        again = styr_client.get("/", {"urval": f"area:{NSO}"})
    assert again["X-Hyrdash-Cache"] == "hit"
    assert without_csrf(again.content) == without_csrf(first.content)


def without_csrf(content: bytes) -> bytes:
    """The page without its CSRF tokens, which Django masks anew for every response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_it_shows_the_empty_state_without_data(client, controller_user, styrgrupp_user, registers):
    client.force_login(controller_user)
    response, html = page(client)
    assert response.status_code == 200
    assert "Inga utfall ännu" in html
    assert 'href="/importera/"' in html

    client.force_login(styrgrupp_user)
    _, html = page(client)
    assert "Inga utfall ännu" in html
    assert 'class="btn btn-primary" href="/importera/"' not in html


def test_every_figure_on_the_page_is_valid_plotly(styr_client, costs, national):
    # The page builds its figures without plotly.py's validation (kpis/charts.py,
    # _figure); here each one goes through it, so a wrong property name still fails.
    for url in ("/", "/?urval=care:primärvård", "/?urval=area:Länssjukvårdsområde 1"):
        page = styr_client.get(url).content.decode()
        figures = re.findall(r'<script id="fig-[^"]*" type="application/json">(.*?)</script>', page)
        assert len(figures) >= 9
        for figure in figures:
            go.Figure(json.loads(figure))  # raises ValueError on an invalid property


# --- permissions ---------------------------------------------------------------------


def test_the_steering_group_and_controllers_can_view_it(
    client, costs, styrgrupp_user, controller_user
):
    for user in (styrgrupp_user, controller_user):
        client.force_login(user)
        assert client.get(reverse("kpis:dashboard")).status_code == 200
        assert client.get(reverse("kpis:dashboard_csv", args=["agency-r12"])).status_code == 200


def test_hr_gets_403(client, costs, hr_user):
    client.force_login(hr_user)
    assert client.get(reverse("kpis:dashboard") + "?urval=hsf").status_code == 403
    assert client.get(reverse("kpis:dashboard_csv", args=["agency-r12"])).status_code == 403


def test_hr_typing_the_site_address_goes_to_their_start_page(client, costs, hr_user):
    client.force_login(hr_user)
    response = client.get(reverse("kpis:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_anonymous_users_are_sent_to_the_login(client, costs):
    for url in (reverse("kpis:dashboard"), reverse("kpis:dashboard_csv", args=["agency-r12"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- CSV downloads -------------------------------------------------------------------


def download(client, series, **params):
    return client.get(reverse("kpis:dashboard_csv", args=[series]), params)


def test_it_downloads_the_skr_measure_as_swedish_csv(styr_client, costs):
    response = download(styr_client, "skr-measure", manad="2026-03")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="hyrdash-skr-measure-hsf-2026-03.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "month;agency_r12_sek;own_staff_r12_sek;ratio_pct;target_pct;preliminary"
    assert lines[1] == "2025-12;19200000,00;660000000,00;2,909;3,700;1"
    assert lines[-1] == "2026-03;19500000,00;660000000,00;2,955;3,440;1"


def test_the_download_is_the_table_the_page_shows(styr_client, costs):
    _, html = page(styr_client, urval=f"area:{NSO}")
    response = download(styr_client, "agency-ytd", urval=f"area:{NSO}", manad="2026-03")

    assert response["Content-Disposition"] == (
        'attachment; filename="hyrdash-agency-ytd-area-narsjukvardsomrade-skelleftea-2026-03.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "hyr_lakare;3600000,00;3000000,00;600000,00;20,000"
    assert lines[4] == "total;3600000,00;3000000,00;600000,00;20,000"
    assert f'<td class="num">3,6{NBSP}mkr</td>' in html


def test_it_downloads_the_department_range(styr_client, costs):
    response = download(
        styr_client, "agency-by-department", manad="2026-03", fran="2026-01", till="2026-02"
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="hyrdash-agency-by-department-hsf-2026-01-2026-02.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert "Primärvård Skellefteå;hyr_lakare;2400000,00;2000000,00" in lines
    assert "Kirurgiskt centrum;hyr_ssk_bm;800000,00;1000000,00" in lines


def test_it_downloads_the_national_table(styr_client, costs, national):
    response = download(styr_client, "national")

    assert response["Content-Disposition"] == 'attachment; filename="hyrdash-national-2026-Q1.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "quarter;region;share_pct;is_average"
    assert lines[1] == "2026-Q1;Region Norrbotten;11,800;0"


def test_every_chart_can_be_downloaded(styr_client, costs, national):
    for code in CODES:
        response = download(styr_client, code, urval="care:primärvård")
        assert response.status_code == 200, code
        assert response.content.startswith(b"\xef\xbb\xbf")


def test_an_unknown_series_is_404(styr_client, costs):
    assert download(styr_client, "salaries").status_code == 404


def test_bad_download_parameters_are_400(styr_client, costs):
    response = download(styr_client, "agency-r12", manad="2026-13")

    assert response.status_code == 400
    assert "förstås inte" in response.content.decode()


def test_a_download_without_data_is_404(styr_client, registers):
    assert download(styr_client, "agency-r12").status_code == 404

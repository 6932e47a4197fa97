"""The target path on the cost dashboard ("Vad krävs för att nå målet?", chart 4a), its CSV,
`export_kpi skr-target-path` and the projection in the SKR chart: one function
(kpis.costs.series.skr_target_path) behind all of them (the pack: tests/test_pack.py).

The data set is tests/test_dashboard.py's: actuals 2025-01 .. 2026-03, every month

    unit  area                            agency                        own staff
    0101  Närsjukvårdsområde Skellefteå   läkare 1 000 000 (2026: 1 200 000)   10 000 000
    2001  Länssjukvårdsområde 1           ssk 500 000 (2026: 400 000)          40 000 000
    3001  Tandvården                      övriga 100 000                        5 000 000

and a budget for 2026 with own staff (0101 5111) 11 000 000 every month. Targets: the
seeds' (the administration 3,70 % in 2025 and 3,44 % in 2026).

By hand, the administration in March 2026:
- agency January-March 2026: 3 x 1 700 000 = 5 100 000;
- own staff R12 at December: 3 x 55 000 000 + 9 x 11 000 000 = 165 000 000 + 99 000 000
  = 264 000 000;
- allowed per month: (3,44 / 100 x 264 000 000 - 5 100 000) / 9 = (9 081 600 - 5 100 000)
  / 9 = 3 981 600 / 9 = 442 400;
- run rate: (1 700 000 x 3) / 3 = 1 700 000;
- December at the run rate: (5 100 000 + 9 x 1 700 000) / 264 000 000 x 100
  = 20 400 000 / 264 000 000 x 100 = 7,7273 %.
"""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from hyrdash.lib.formatting import NBSP
from kpis.costs import services as cost_services
from kpis.models import Area, ImportBatch, Target
from kpis.organisation.selectors import Scope
from tests.test_dashboard import (  # noqa: F401
    TANDVARDEN,
    actuals_rows,
    cost_file,
    costs,
    figure,
    page,
    styr_client,
)

MARCH = {
    "year": 2026,
    "target_pct": 3.44,
    "months_left": 9,
    "agency_ytd_sek": 5_100_000,
    "own_staff_r12_dec_sek": 264_000_000,
    "agency_allowed_per_month_sek": 442_400,
    "agency_run_rate_per_month_sek": 1_700_000,
    "projected_pct": 20_400_000 / 264_000_000 * 100,
}


def export(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("export_kpi", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def panel(response):
    return next(c for c in response.context["charts"] if c.code == "skr-target-path")


def page_values(response) -> dict:
    """The panel's table as {export column: the value the page shows}, year from the
    caption's chart: the cells carry their export column (`field`)."""
    (table, *_rest) = panel(response).tables
    return {row["cells"][1]["field"]: row["cells"][1]["value"] for row in table.rows}


def section(html: str) -> str:
    return html.split('<section id="skr-target-path"')[1].split("</section>")[0]


def t(text: str) -> str:
    """A text as the page writes it: a no-break space between a number and its unit."""
    return re.sub(r"(\d) (%|mkr|tkr)", rf"\1{NBSP}\2", text)


# --- a year with budget -----------------------------------------------------------------


def test_the_page_answers_for_a_year_with_budget(styr_client, costs):  # noqa: F811
    response, html = page(styr_client, manad="2026-03")

    values = page_values(response)
    assert values == pytest.approx({k: v for k, v in MARCH.items() if k != "year"})
    chart = panel(response)
    assert chart.number == "4a" and chart.heading == "Vad krävs för att nå målet?"
    assert chart.lead == t(
        "Målet 3,44 % för 2026 nås om kostnaden för hyrpersonal är högst 0,4 mkr per månad "
        "resten av året. Nuvarande takt, 1,7 mkr per månad, är högre: SKR-måttet blir då "
        "7,73 % i december."
    )
    body = section(html)
    assert chart.lead in body
    assert "Vad krävs för att nå målet 2026? Hela förvaltningen, mars 2026 (preliminär)" in body
    for label, shown in [
        ("Mål för 2026", "3,44 %"),
        ("Månader kvar av året", "9"),
        ("Kostnad för hyrpersonal jan–mar 2026", "5,1 mkr"),
        ("Kostnad för egen personal R12 i december (utfall och budget)", "264,0 mkr"),
        ("Tillåten kostnad för hyrpersonal per återstående månad", "0,4 mkr"),
        ("Takt: kostnad för hyrpersonal per månad, snitt av de tre senaste", "1,7 mkr"),
        ("Prognos för SKR-måttet i december med nuvarande takt", "7,73 %"),
    ]:
        assert f'<th scope="row">{label}</th><td class="num">{t(shown)}</td>' in body
    # its CSV link, and the panel sits right after the SKR chart
    assert 'href="/csv/skr-target-path/?manad=2026-03&amp;urval=hsf"' in body
    assert html.index('id="skr-measure"') < html.index('id="skr-target-path"')
    assert html.index('id="skr-target-path"') < html.index('id="skr-measure-scopes"')


def test_the_export_equals_the_pages_table(styr_client, costs):  # noqa: F811
    response, _html = page(styr_client, manad="2026-03", urval="hsf")
    shown = page_values(response)

    (row,) = export("skr-target-path", "--scope", "hsf", "--month", "2026-03")
    assert list(row) == [
        "year",
        "target_pct",
        "months_left",
        "agency_ytd_sek",
        "own_staff_r12_dec_sek",
        "agency_allowed_per_month_sek",
        "agency_run_rate_per_month_sek",
        "projected_pct",
    ]
    assert row == {
        "year": "2026",
        "target_pct": "3.440",
        "months_left": "9",
        "agency_ytd_sek": "5100000.00",
        "own_staff_r12_dec_sek": "264000000.00",
        "agency_allowed_per_month_sek": "442400.00",
        "agency_run_rate_per_month_sek": "1700000.00",
        "projected_pct": "7.727",
    }
    # every field of the export is the page's, to the export's rounding
    for name, value in shown.items():
        assert number(row[name]) == pytest.approx(value, abs=0.0005), name

    # and the page's CSV download is the same row in Swedish Excel's format
    response = styr_client.get(
        reverse("kpis:dashboard_csv", args=["skr-target-path"]), {"manad": "2026-03"}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="hyrdash-skr-target-path-hsf-2026-03.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        ";".join(row),
        "2026;3,440;9;5100000,00;264000000,00;442400,00;1700000,00;7,727",
    ]


def test_the_skr_chart_draws_the_projection_dashed_to_december(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03")

    fig = figure(html, "skr-measure")
    (projection,) = [t for t in fig["data"] if t.get("name") == "Prognos med nuvarande takt"]
    assert projection["line"]["dash"] == "dash"
    assert projection["x"] == ["2026-03", *(f"2026-{m:02d}" for m in range(4, 13))]
    # from March's actual measure: 19 500 000 / 660 000 000
    assert projection["y"][0] == pytest.approx(19_500_000 / 660_000_000 * 100)
    assert projection["y"][-1] == pytest.approx(MARCH["projected_pct"])
    # and the chart's text summary for screen readers says so
    summary = html.split('id="chart-skr-measure"')[1].split('aria-label="')[1].split('"')[0]
    assert t("prognos med nuvarande takt, 7,73 % i december (tabell 4a)") in summary
    (target,) = [t for t in fig["data"] if t.get("name") == "Mål"]
    assert target["x"][-1] == "2026-12" and target["y"][-1] == pytest.approx(3.44)
    # its numbers: the projection table under 4a, ending with the export's December
    (rows,) = export("skr-projection", "--month", "2026-03")[-1:]
    assert rows["month"] == "2026-12" and number(rows["projected_pct"]) == pytest.approx(
        7.727, abs=0.0005
    )
    assert "Prognos för SKR-måttet R12 per månad till december med nuvarande takt" in (
        section(html)
    )
    assert f'<th scope="row">dec 2026</th><td class="num">{t("7,73 %")}</td>' in (section(html))


# --- a missing budget month --------------------------------------------------------------


@pytest.fixture
def half_a_budget(registers):
    """tests/test_dashboard.py's actuals, but a budget for January-June 2026 only."""
    cost_services.costs_import(
        data=cost_file(list(actuals_rows())), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    budget = [(f"2026-{m:02d}", "0101", "5111", 11_000_000, None) for m in range(1, 7)]
    cost_services.costs_import(
        data=cost_file(budget), file_name="budget.csv", kind=ImportBatch.Kind.BUDGET
    )


def test_a_missing_budget_month_leaves_the_fields_that_need_it_empty_and_says_why(
    styr_client,  # noqa: F811
    half_a_budget,
):
    response, html = page(styr_client, manad="2026-03")

    values = page_values(response)
    for name in ("own_staff_r12_dec_sek", "agency_allowed_per_month_sek", "projected_pct"):
        assert values[name] is None, name
    assert values["agency_ytd_sek"] == pytest.approx(5_100_000)
    assert values["agency_run_rate_per_month_sek"] == pytest.approx(1_700_000)
    reason = "Budget saknas för jul 2026, aug 2026, sep 2026, okt 2026, nov 2026, dec 2026."
    assert panel(response).lead == reason
    assert reason in section(html)
    (row,) = export("skr-target-path", "--month", "2026-03")
    assert row["own_staff_r12_dec_sek"] == row["agency_allowed_per_month_sek"] == ""
    assert row["projected_pct"] == ""
    # the dashed continuation goes as far as the budget: April-June
    (projection,) = [
        trace
        for trace in figure(html, "skr-measure")["data"]
        if trace.get("name") == "Prognos med nuvarande takt"
    ]
    assert projection["x"] == ["2026-03", "2026-04", "2026-05", "2026-06"]


# --- December --------------------------------------------------------------------------


def test_in_december_the_panel_says_whether_the_year_reached_its_target(
    styr_client,  # noqa: F811
    costs,  # noqa: F811
):
    # 2025: agency 12 x 1 600 000 = 19 200 000, own staff 12 x 55 000 000 = 660 000 000:
    # 2,909 %, under the 3,70 % of 2025.
    response, html = page(styr_client, manad="2025-12")

    values = page_values(response)
    assert values["months_left"] == 0
    assert values["agency_allowed_per_month_sek"] is None
    assert values["projected_pct"] == pytest.approx(19_200_000 / 660_000_000 * 100)
    assert panel(response).lead == t(
        "Målet 3,70 % för 2025 nåddes: SKR-måttet för året blev 2,91 %. "
        "Året är slut: inga månader kvar att fördela kostnad på."
    )
    assert len(panel(response).tables) == 1  # no months left to project
    assert '<th scope="row">SKR-måttet i december</th>' in section(html)
    (row,) = export("skr-target-path", "--month", "2025-12")
    assert row["months_left"] == "0" and row["agency_allowed_per_month_sek"] == ""


# --- a target already out of reach --------------------------------------------------------


def test_a_target_out_of_reach_says_so_with_the_gap_in_mkr(styr_client, costs):  # noqa: F811
    # Tandvården (3001) with a target of 0,10 % for 2026: own staff 3 x 5 000 000 + 9 x 0
    # (no budget rows) = 15 000 000; the target allows 15 000 for the year and 300 000 is
    # spent: 285 000 over, (15 000 - 300 000) / 9 = -31 666,67 a month; December at the
    # run rate (300 000 + 9 x 100 000) / 15 000 000 = 8 %.
    Target.objects.create(
        year=2026, scope_kind="area", area=Area.objects.get(name=TANDVARDEN), pct="0.10"
    )
    response, html = page(styr_client, manad="2026-03", urval=f"area:{TANDVARDEN}")

    values = page_values(response)
    assert values["agency_allowed_per_month_sek"] == pytest.approx(-285_000 / 9)
    assert values["projected_pct"] == pytest.approx(8.0)
    lead = panel(response).lead
    assert lead == t(
        "Målet kan inte längre nås i år: kostnaden för hyrpersonal är redan 0,3 mkr över vad "
        "målet tillåter för hela året. Med nuvarande takt, 100 tkr per månad, blir "
        "SKR-måttet 8,00 % i december."
    )
    assert lead in section(html)
    # a negative allowance, in tkr beside the run rate
    assert f'<td class="num">{t("−32 tkr")}</td>' in section(html)
    (row,) = export("skr-target-path", "--scope", f"area:{TANDVARDEN}", "--month", "2026-03")
    assert number(row["agency_allowed_per_month_sek"]) == pytest.approx(-31_666.67, abs=0.005)


def test_a_scope_without_a_target_still_projects(styr_client, costs):  # noqa: F811
    response, _html = page(styr_client, manad="2026-03", urval="unit:2001")

    values = page_values(response)
    assert values["target_pct"] is None
    assert values["agency_allowed_per_month_sek"] is None
    # 2001: (3 x 400 000 + 9 x 400 000) / (3 x 40 000 000 + 9 x 0) = 4 800 000 / 120 000 000
    assert values["projected_pct"] == pytest.approx(4.0)
    assert panel(response).lead == t(
        "Inget mål är satt för 2026. Med nuvarande takt, 400 tkr per månad, blir SKR-måttet "
        "4,00 % i december."
    )
    assert Scope.parse("unit:2001", units=True).label == "2001 Kirurgavdelning 1"

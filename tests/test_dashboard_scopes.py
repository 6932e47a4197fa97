"""The cost dashboard below the administration: departments in the scope select, amounts
in the unit that reads, comments that belong to their scope, and only the targets a
controller decided.

The data set is tests/test_dashboard.py's (actuals 2025-01 .. 2026-03, nothing closed):

    department               area                           unit  agency a month
    Primärvård Skellefteå    Närsjukvårdsområde Skellefteå  0101  läkare 1 000 000 (2026: 1 200 000)
    Kirurgiskt centrum       Länssjukvårdsområde 1          2001  ssk 500 000 (2026: 400 000)
    Tandvård Södra Lappland  Tandvården                     3001  övriga 100 000

Targets: the seeds' (kpis 0004): the administration 3,70 % (2025) and 3,44 % (2026),
sjukhusvård 2,00 % and primärvård 13,00 % (2026).
"""

import re

import pytest
from django.urls import reverse

from hyrdash.lib.formatting import NBSP
from kpis.models import Area, Commentary, Target
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

PV_SKE = "Primärvård Skellefteå"
KIRURGI = "Kirurgiskt centrum"
TANDVARD_SL = "Tandvård Södra Lappland"


def section(html: str, code: str) -> str:
    return html.split(f'id="{code}"')[1].split("</section>")[0]


def text(value: str) -> str:
    """A figure as the page writes it, with a no-break space before its unit."""
    return value.replace(" ", NBSP)


# --- the scope select -----------------------------------------------------------------


def test_the_scope_select_lists_the_departments_under_their_area(styr_client, costs):  # noqa: F811
    _, html = page(styr_client)

    select = html.split('id="id_urval"')[1].split("</select>")[0]
    groups = {
        label: re.findall(r'<option value="([^"]*)"', body)
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    }
    assert groups["Område"] == [f"area:{LSO}", f"area:{NSO}", f"area:{TANDVARDEN}"]
    assert groups[LSO] == [f"department:{KIRURGI}"]
    assert groups[NSO] == [f"department:{PV_SKE}"]
    assert groups[TANDVARDEN] == [f"department:{TANDVARD_SL}"]

    _, html = page(styr_client, urval=f"department:{KIRURGI}")
    assert f'<option value="department:{KIRURGI}" selected>' in html
    assert "Annat urval" not in html  # a department is one of the choices now


# --- the unit -------------------------------------------------------------------------


def test_a_small_department_reads_in_tkr(styr_client, costs):  # noqa: F811
    # Tandvård Södra Lappland: övriga 100 000 a month, 300 000 kr January to March in
    # both years: "0,3 mkr" would say little, "300 tkr" says it.
    response, html = page(styr_client, urval=f"department:{TANDVARD_SL}")

    ytd = section(html, "agency-ytd")
    assert f'<p class="ytd-value mb-1">{text("300 tkr")}</p>' in ytd
    assert f"0{NBSP}tkr, oförändrat" in ytd
    assert "mkr" not in ytd.split("<table")[0]  # the cards
    chart = next(c for c in response.context["charts"] if c.code == "agency-ytd")
    assert [c.unit for c in chart.tables[0].columns[1:4]] == ["tkr", "tkr", "tkr"]
    bars = figure(html, "agency-ytd")
    assert bars["layout"]["yaxis"]["title"]["text"] == "tkr"
    assert bars["data"][1]["y"][2] == pytest.approx(300.0)  # övriga 2026, in tkr
    monthly = figure(html, "agency-monthly")
    assert monthly["layout"]["yaxis"]["title"]["text"] == "tkr"
    assert "i tusental kronor. Mars 2026: " + text("100 tkr") in html
    # its R12, 12 × 100 000 = 1 200 000 kr, is large enough for mkr: "1,2 mkr"
    assert figure(html, "agency-r12-by-area")["layout"]["yaxis"]["title"]["text"] == "mkr"


def test_the_administration_and_an_area_read_in_mkr(styr_client, costs):  # noqa: F811
    _, html = page(styr_client, urval=f"area:{NSO}")

    # läkare 3 × 1 200 000 against 3 × 1 000 000
    ytd = section(html, "agency-ytd")
    assert f'<p class="ytd-value mb-1">{text("3,6 mkr")}</p>' in ytd
    assert f"+{NBSP}0,6{NBSP}mkr, ökning 20{NBSP}%" in ytd
    assert figure(html, "agency-ytd")["layout"]["yaxis"]["title"]["text"] == "mkr"
    assert figure(html, "agency-monthly")["layout"]["yaxis"]["title"]["text"] == "mkr"


# --- comments per scope ---------------------------------------------------------------


def comment(client, scope: str, words: str, chart: str = "agency-ytd"):
    data = {"manad": "2026-03", "chart": chart, "urval": scope, "text": words}
    return client.post(reverse("kpis:commentary"), data | {"next": "/"}, follow=True)


def test_a_comment_belongs_to_its_scope(ctrl_client, costs):  # noqa: F811
    comment(ctrl_client, "hsf", "Färre hyrläkare i primärvården Skellefteå.")
    comment(ctrl_client, f"department:{KIRURGI}", "Två sjuksköterskor anställda.")
    assert sorted(Commentary.objects.values_list("scope", "text")) == [
        (f"department:{KIRURGI}", "Två sjuksköterskor anställda."),
        ("hsf", "Färre hyrläkare i primärvården Skellefteå."),
    ]

    # the administration's page: its own comment, not the department's
    ytd = section(page(ctrl_client)[1], "agency-ytd")
    assert "Färre hyrläkare" in ytd and "Två sjuksköterskor" not in ytd
    assert "Förvaltningens kommentar" not in ytd

    # the department's page: its own comment, and the administration's apart, marked
    ytd = section(page(ctrl_client, urval=f"department:{KIRURGI}")[1], "agency-ytd")
    own = ytd.split(f"Kommentar för {KIRURGI}</h3>")[1].split("</div>")[0]
    assert "Två sjuksköterskor anställda." in own
    administration = ytd.split("Förvaltningens kommentar</h3>")[1].split("</div>")[0]
    assert "Färre hyrläkare i primärvården Skellefteå." in administration
    # the controller's form edits the department's comment
    form = ytd.split('class="mt-2 controller-tools"')[1]
    assert f'name="urval" value="department:{KIRURGI}"' in form
    assert ">Två sjuksköterskor anställda.</textarea>" in form

    # another department: the administration's comment only, never as its own
    ytd = section(page(ctrl_client, urval=f"department:{PV_SKE}")[1], "agency-ytd")
    assert "Förvaltningens kommentar" in ytd and "Färre hyrläkare" in ytd
    assert "Två sjuksköterskor" not in ytd
    assert f"Kommentar för {PV_SKE}</h3>" not in ytd

    # an empty text removes the department's comment and leaves the administration's
    comment(ctrl_client, f"department:{KIRURGI}", "")
    assert list(Commentary.objects.values_list("scope", flat=True)) == ["hsf"]


def test_a_comment_for_an_unknown_scope_is_refused(ctrl_client, costs):  # noqa: F811
    response = comment(ctrl_client, "area:Ingenstans", "Text.")

    assert [str(m) for m in response.context["messages"]] == [
        "Kommentaren kunde inte sparas: Området Ingenstans finns inte."
    ]
    assert not Commentary.objects.exists()


# --- targets as decided -----------------------------------------------------------------


def skr_targets(html: str) -> list[dict]:
    return [t for t in figure(html, "skr-measure")["data"] if t.get("name", "").startswith("Mål")]


def skr_header(response) -> list[str]:
    chart = next(c for c in response.context["charts"] if c.code == "skr-measure")
    return [column.label for column in chart.tables[0].columns]


def test_a_scope_without_its_own_target_shows_none(styr_client, costs):  # noqa: F811
    response, html = page(styr_client, urval=f"area:{TANDVARDEN}")

    assert skr_targets(html) == []
    assert skr_header(response) == ["Månad", "Hyrpersonal R12", "Egen personal R12", "SKR-mått"]
    summary = section(html, "skr-measure").split('aria-label="')[1].split('"')[0]
    assert "mål" not in summary
    assert "med mål per år" not in figure(html, "skr-measure")["layout"]["title"]["text"]

    # primärvård has its own 13,00 % for 2026, none for 2025; the target goes on to
    # December beside the projection
    response, html = page(styr_client, urval="care:primärvård")
    (target,) = skr_targets(html)
    assert target["name"] == "Mål"
    assert dict(zip(target["x"], target["y"], strict=True)) == {
        "2025-12": None,
        **{f"2026-{m:02d}": 13.0 for m in range(1, 13)},
    }


def test_a_scope_that_follows_the_administration_says_so(styr_client, costs):  # noqa: F811
    Target.objects.create(
        year=2026, scope_kind="area", area=Area.objects.get(name=TANDVARDEN), follows_hsf=True
    )
    response, html = page(styr_client, urval=f"area:{TANDVARDEN}")

    (target,) = skr_targets(html)
    assert target["name"] == "Mål (förvaltningens)"
    assert dict(zip(target["x"], target["y"], strict=True))["2026-03"] == pytest.approx(3.44)
    assert dict(zip(target["x"], target["y"], strict=True))["2025-12"] is None  # not for 2025
    assert skr_header(response)[-1] == "Mål (förvaltningens)"
    assert "förvaltningens mål " + text("3,44 %") in section(html, "skr-measure")


def test_a_scope_with_its_own_and_the_administrations_targets_marks_each(
    styr_client,  # noqa: F811
    costs,  # noqa: F811
):
    area = Area.objects.get(name=TANDVARDEN)
    Target.objects.create(year=2025, scope_kind="area", area=area, pct="4.00")
    Target.objects.create(year=2026, scope_kind="area", area=area, follows_hsf=True)
    response, html = page(styr_client, urval=f"area:{TANDVARDEN}")

    (target,) = skr_targets(html)
    assert target["name"] == "Mål"
    assert target["customdata"][0] == ""  # 2025-12: the area's own 4,00 %
    assert target["customdata"][-1] == " (förvaltningens)"  # 2026-03
    chart = next(c for c in response.context["charts"] if c.code == "skr-measure")
    targets = [row["cells"][-1]["value"] for row in chart.tables[0].rows]
    assert targets[0] == 4.0
    assert targets[-1] == text("3,44 %") + " (förvaltningens)"
    # chart 4b's table of targets per scope and year marks the same cell
    scopes = next(c for c in response.context["charts"] if c.code == "skr-measure-scopes")
    rows = {row["cells"][0]["value"]: row["cells"][1:] for row in scopes.tables[1].rows}
    assert [c["value"] for c in rows[TANDVARDEN]] == [4.0, text("3,44 %") + " (förvaltningens)"]
    assert [c["value"] for c in rows["Hela förvaltningen"]] == [3.7, 3.44]


def test_a_target_must_be_a_number_or_follow_the_administration(db):
    from django.core.exceptions import ValidationError

    area = Area.objects.create(name="Område X")
    with pytest.raises(ValidationError) as refused:
        Target(year=2026, scope_kind="area", area=area).full_clean()
    assert refused.value.messages == [
        "Ange antingen ett eget mål eller att urvalet följer förvaltningens mål "
        "(förvaltningen själv har alltid ett eget)."
    ]
    with pytest.raises(ValidationError):
        Target(year=2026, scope_kind="area", area=area, pct="3.00", follows_hsf=True).full_clean()
    with pytest.raises(ValidationError):  # the administration follows nobody
        Target(year=2026, scope_kind="hsf", follows_hsf=True).full_clean()

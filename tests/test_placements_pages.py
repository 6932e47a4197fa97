"""Section 12 a on the site: the list by urgency and its filters, a consultant's
timeline and actions, the transition decision, the access log, the counts on the cost
dashboard, the hours beside the ledger's, and export_kpi placements-12a.

The organisation is the `registers` fixture (tests/conftest.py): 0101, 0102 in Primärvård
Skellefteå (Närsjukvårdsområde Skellefteå); 2001, 2002 in Kirurgiskt centrum
(Länssjukvårdsområde 1), whose units are operating units of their own here; 3001 in
Tandvård Södra Lappland (Tandvården).

The placements, worked out by hand on 2026-03-15 (window 2023-03-16 to 2026-03-15;
day 721 = first day + 720 days for an unbroken run):

    K1 0101 2024-04-01..2025-03-31, 0102 2025-04-01.. (ongoing): one department, one
       operating unit, unbroken from 2024-04-01: 714 days; day 721 2026-03-22 (7 days
       ahead: within 90 days), offer by 2026-04-22.
    K2 2001 2025-01-01..2025-06-30 and 2025-03-01..2025-12-31 (overlap counts once):
       2025-01-01..2025-12-31 = 365 days, never 721: clear.
       3001 2024-06-01..2024-12-31: 214 days at another operating unit, clear.
    K3 2001 2024-04-01..2025-03-31 (365) and 2002 2025-04-01.. (349 on the day): two
       operating units (Kirurgiskt centrum's units are their own), clear at both;
       together they would be K1's 714. At 2002 the ongoing placement reaches day 721 on
       2025-04-01 + 720 = 2027-03-22 if it runs on (clear: a year ahead).
    K4 0101 2026-01-01..2027-12-31 (booked ahead): 31 + 28 + 15 = 74 days; day 721
       2027-12-22 (clear: more than 90 days ahead), offer by 2028-01-22.
    K5 3001 2024-01-10.. (ongoing, across 2024-02-29): 796 days; day 721 2025-12-30
       (passed), offer by 2026-01-30.
    K6 0101 2022-01-01..2023-06-30: straddles the window start, 546 days in all, never
       721; in the window 2023-03-16..2023-06-30 = 107 days, clear.

Most urgent first: passed (K5), within 90 days (K1), then clear by qualifying days
(ties by consultant), as rules.sort_by_urgency orders them.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from kpis.costs import services as cost_services
from kpis.models import Department, ImportBatch
from kpis.placements.models import PlacementAccessLog, PlacementAction
from kpis.placements.services import placements_import
from tests.conftest import make_user
from tests.test_dashboard import without_csrf

D = dt.date
ON = D(2026, 3, 15)
HEADER = "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar"
PLACEMENTS = "\n".join(
    [
        HEADER,
        "K1;Anna Alm;Vårdkraft AB;Läkare;0101;2024-04-01;2025-03-31;",
        "K1;Anna Alm;Vårdkraft AB;Läkare;0102;2025-04-01;;",
        "K2;Bo Berg;Medpool AB;Sjuksköterska;2001;2025-01-01;2025-06-30;",
        "K2;Bo Berg;Medpool AB;Sjuksköterska;2001;2025-03-01;2025-12-31;",
        "K2;Bo Berg;Medpool AB;Sjuksköterska;3001;2024-06-01;2024-12-31;",
        "K3;Cilla Dahl;Vårdkraft AB;Läkare;2001;2024-04-01;2025-03-31;",
        "K3;Cilla Dahl;Vårdkraft AB;Läkare;2002;2025-04-01;;",
        "K4;Dan Ek;Läkarlinjen AB;Läkare;0101;2026-01-01;2027-12-31;",
        "K5;Eva Fors;Medpool AB;Psykolog;3001;2024-01-10;;",
        "K6;Fia Hed;Vårdkraft AB;Sjuksköterska;0101;2022-01-01;2023-06-30;",
        "",
    ]
).encode()
EXPORT_ON_2026_03_15 = """consultant_id,operating_unit,qualifying_days,day_721_date,offer_deadline,status
K5,Tandvård Södra Lappland,796,2025-12-30,2026-01-30,passed
K1,Primärvård Skellefteå,714,2026-03-22,2026-04-22,within_90_days
K2,2001,365,,,clear
K3,2001,365,,,clear
K3,2002,349,2027-03-22,2027-04-22,clear
K2,Tandvård Södra Lappland,214,,,clear
K6,Primärvård Skellefteå,107,,,clear
K4,Primärvård Skellefteå,74,2027-12-22,2028-01-22,clear
"""


@pytest.fixture
def placements(registers):
    Department.objects.filter(name="Kirurgiskt centrum").update(units_separate=True)
    placements_import(data=PLACEMENTS, file_name="bemlo.csv")


@pytest.fixture
def bem(client, placements, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = make_user("bem", "bemanning")
    client.force_login(user)
    return client


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_kpi", "placements-12a", *args, stdout=out)
    return out.getvalue()


def logged() -> list[tuple[str, str, dict]]:
    return [(log.who, log.what, log.filters) for log in PlacementAccessLog.objects.order_by("id")]


def list_rows(response) -> list[tuple[str, str, str, str, str, str]]:
    """(consultant id, operating unit, qualifying days, day 721, offer by, status)."""
    return [
        (
            row["consultant_id"],
            row["operating_unit"],
            row["qualifying_days"],
            row["day_721"],
            row["deadline"],
            row["status"],
        )
        for row in response.context["rows"]
    ]


# --- export_kpi -------------------------------------------------------------------------


def test_the_export_has_ids_operating_units_and_the_hand_worked_figures(placements):
    assert export("--on", "2026-03-15") == EXPORT_ON_2026_03_15
    assert "Alm" not in export("--on", "2026-03-15")  # no names in the export


def test_the_export_of_one_area(placements):
    assert export("--on", "2026-03-15", "--scope", "area:Tandvården") == (
        "consultant_id,operating_unit,qualifying_days,day_721_date,offer_deadline,status\n"
        "K5,Tandvård Södra Lappland,796,2025-12-30,2026-01-30,passed\n"
        "K2,Tandvård Södra Lappland,214,,,clear\n"
    )


def test_a_reference_date_before_any_placement_gives_nothing_counted(placements):
    """2021-12-31: nobody has a qualifying day yet; K5's day 721 lies ahead (2025-12-30)
    but more than 90 days, K6 (2022-01-01..2023-06-30, 546 days) never reaches it."""
    rows = export("--on", "2021-12-31").splitlines()[1:]
    assert all(",0," in row for row in rows)
    assert "K6,Primärvård Skellefteå,0,,,clear" in rows
    assert "K5,Tandvård Södra Lappland,0,2025-12-30,2026-01-30,clear" in rows


def test_each_export_is_logged_without_a_user_of_the_site(placements):
    export("--on", "2026-03-15")
    export("--on", "2026-03-15", "--scope", "area:Tandvården")
    (who, what, filters), (_who, _what, area_filters) = logged()
    assert who.startswith("export_kpi (")
    assert what == "export_kpi"
    assert filters == {"on": "2026-03-15", "scope": "hsf"}
    assert area_filters == {"on": "2026-03-15", "scope": "area:Tandvården"}


def test_a_units_own_operating_units_can_be_switched_off(placements):
    """Kirurgiskt centrum counted as one operating unit: K3's two placements add up to
    365 + 349 = 714 days, day 721 on 2026-03-22 like K1's."""
    Department.objects.filter(name="Kirurgiskt centrum").update(units_separate=False)
    assert "K3,Kirurgiskt centrum,714,2026-03-22,2026-04-22,within_90_days" in export(
        "--on", "2026-03-15"
    )


# --- the list ----------------------------------------------------------------------------


def test_the_list_is_sorted_by_urgency_and_logged(bem):
    response = bem.get(reverse("placements:list"), {"datum": "2026-03-15"})
    assert response.status_code == 200
    assert list_rows(response) == [
        ("K5", "Tandvård Södra Lappland", "796", "2025-12-30", "2026-01-30", "passed"),
        ("K1", "Primärvård Skellefteå", "714", "2026-03-22", "2026-04-22", "within_90_days"),
        ("K2", "2001 Kirurgavdelning 1", "365", "–", "–", "clear"),
        ("K3", "2001 Kirurgavdelning 1", "365", "–", "–", "clear"),
        ("K3", "2002 Operation", "349", "2027-03-22", "2027-04-22", "clear"),
        ("K2", "Tandvård Södra Lappland", "214", "–", "–", "clear"),
        ("K6", "Primärvård Skellefteå", "107", "–", "–", "clear"),
        ("K4", "Primärvård Skellefteå", "74", "2027-12-22", "2028-01-22", "clear"),
    ]
    page = response.content.decode()
    assert "Eva Fors" in page  # the names are on this page
    assert [(t["label"], t["count"]) for t in response.context["totals"]] == [
        ("Dag 721 passerad", 1),
        ("Dag 721 inom 90 dagar", 1),
        ("Under gränsen", 6),
    ]
    assert logged() == [("bem", "list", {"datum": "2026-03-15"})]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"omrade": "Tandvården"},
            [("K5", "Tandvård Södra Lappland"), ("K2", "Tandvård Södra Lappland")],
        ),
        # K2's profession is at both of its operating units.
        (
            {"yrkesgrupp": "Sjuksköterska"},
            [
                ("K2", "2001 Kirurgavdelning 1"),
                ("K2", "Tandvård Södra Lappland"),
                ("K6", "Primärvård Skellefteå"),
            ],
        ),
        ({"bemanningsforetag": "Läkarlinjen AB"}, [("K4", "Primärvård Skellefteå")]),
        (
            {"omrade": "Närsjukvårdsområde Skellefteå", "bemanningsforetag": "Vårdkraft AB"},
            [("K1", "Primärvård Skellefteå"), ("K6", "Primärvård Skellefteå")],
        ),
    ],
)
def test_the_list_filters_by_area_profession_and_agency_and_logs_the_filter(bem, params, expected):
    response = bem.get(reverse("placements:list"), {"datum": "2026-03-15", **params})
    assert [(row[0], row[1]) for row in list_rows(response)] == expected
    assert logged() == [("bem", "list", {"datum": "2026-03-15", **params})]


def test_a_filter_it_does_not_know_is_not_used_and_said_so(bem):
    response = bem.get(
        reverse("placements:list"), {"datum": "2026-02-30", "yrkesgrupp": "Kock"}, follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Urvalet förstås inte för per dag, yrkesgrupp; det visas utan det."
    ]
    assert len(response.context["rows"]) == 8


def test_the_csv_has_the_names_and_is_logged(bem):
    response = bem.get(reverse("placements:csv"), {"datum": "2026-03-15", "omrade": "Tandvården"})
    assert response["Content-Disposition"] == (
        'attachment; filename="inhyrda-konsulter-12a-2026-03-15.csv"'
    )
    assert response.content.decode("utf-8-sig").splitlines() == [
        "consultant_id;consultant_name;operating_unit;area;professions;agencies;"
        "qualifying_days;day_721_date;offer_deadline;status;latest_action;latest_action_date",
        "K5;Eva Fors;Tandvård Södra Lappland;Tandvården;Psykolog;Medpool AB;796;2025-12-30;"
        "2026-01-30;passed;;",
        "K2;Bo Berg;Tandvård Södra Lappland;Tandvården;Sjuksköterska;Medpool AB;214;;;clear;;",
    ]
    assert logged() == [("bem", "csv", {"datum": "2026-03-15", "omrade": "Tandvården"})]


# --- one consultant ------------------------------------------------------------------------


def test_a_consultant_page_shows_the_timeline_per_operating_unit_and_is_logged(bem):
    response = bem.get(reverse("placements:consultant", args=["K3"]), {"datum": "2026-03-15"})
    assert response.status_code == 200
    view = response.context["view"]
    assert view["name"] == "Cilla Dahl"
    assert [
        (unit["operating_unit"], unit["qualifying_days"], unit["status"], len(unit["placements"]))
        for unit in view["units"]
    ] == [("2001 Kirurgavdelning 1", "365", "clear", 1), ("2002 Operation", "349", "clear", 1)]
    assert view["units"][1]["placements"][0]["end"] == "pågår"
    bars = view["figure"]["data"][0]
    assert bars["base"] == ["2024-04-01", "2025-04-01"]
    assert bars["y"] == ["2001 Kirurgavdelning 1", "2002 Operation"]
    assert view["summary"].startswith("Tidslinje: 2 placeringar vid 2 driftsenheter.")
    assert logged() == [("bem", "consultant", {"konsult": "K3", "datum": "2026-03-15"})]


def test_an_unknown_consultant_is_not_found(bem):
    assert bem.get(reverse("placements:consultant", args=["K99"])).status_code == 404
    assert logged() == []


def test_an_action_is_recorded_with_date_and_author(bem):
    response = bem.post(
        reverse("placements:action", args=["K5"]),
        {"kind": "offer_made", "date": "2026-01-20", "note": "Erbjudande skickat."},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Åtgärden är sparad."]
    action = PlacementAction.objects.get()
    assert (action.consultant_id, action.kind, action.date, action.note) == (
        "K5",
        "offer_made",
        D(2026, 1, 20),
        "Erbjudande skickat.",
    )
    assert action.recorded_by.username == "bem"
    response = bem.get(reverse("placements:list"), {"datum": "2026-03-15"})
    assert "Erbjudande om anställning lämnat 2026-01-20" in response.content.decode()


def test_an_action_without_a_date_is_refused(bem):
    response = bem.post(
        reverse("placements:action", args=["K5"]), {"kind": "offer_made"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Åtgärden kunde inte sparas: ange åtgärd och datum."
    ]
    assert not PlacementAction.objects.exists()


def test_the_transition_decision_is_recorded_once_per_consultant_placed_by_its_day(bem):
    """Everyone with a placement that started by 2026-04-30 and had not ended before
    2023-05-01 (the 36-month window ending on 2026-04-30): K1-K6. K4 started 2026-01-01;
    K6, the oldest, ended 2023-06-30, inside the window (its days from 2023-05-01 still
    count on the decision's day). A second click adds nobody. Those not covered:
    tests/test_placements_transition.py."""
    response = bem.post(reverse("placements:transition"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Övergångsbeslutet är registrerat för 6 konsulter som inte hade det."
    ]
    actions = PlacementAction.objects.filter(kind="transition_offer")
    assert sorted(actions.values_list("consultant_id", flat=True)) == [
        "K1", "K2", "K3", "K4", "K5", "K6",
    ]  # fmt: skip
    assert {a.date for a in actions} == {D(2026, 4, 30)}
    response = bem.post(reverse("placements:transition"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Övergångsbeslutet är registrerat för 0 konsulter som inte hade det."
    ]


# --- the counts on the cost dashboard ---------------------------------------------------------

COSTS = """Period;Ansvar;Konto;Belopp;Timmar
2025-01;0101;4601;100 000;55
2025-02;0101;4601;50 000;40
2025-02;0101;5111;1 000 000;
"""


@pytest.fixture
def on_2026_03_15(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: ON)


def test_the_cost_dashboard_shows_counts_per_area_and_status_but_no_names(
    client, placements, on_2026_03_15
):
    """On 2026-03-15: Närsjukvårdsområde Skellefteå K1 within 90 days, K4 and K6 clear;
    Länssjukvårdsområde 1 K2 at 2001, K3 at 2001 and 2002, clear; Tandvården K5 passed,
    K2 clear."""
    cost_services.costs_import(
        data=COSTS.encode(), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    client.force_login(make_user("styr", "styrgrupp"))
    response = client.get(reverse("kpis:dashboard"))
    hours = next(chart for chart in response.context["charts"] if chart.code == "agency-hours")
    counts = hours.tables[-1]
    assert counts.caption == (
        "Inhyrda konsulter per område och status enligt 12 a § lagen om uthyrning av "
        "arbetstagare, 2026-03-15 (antal konsulter per driftsenhet)"
    )
    assert [column.label for column in counts.columns] == [
        "Område",
        "Dag 721 passerad",
        "Dag 721 inom 90 dagar",
        "Under gränsen",
        "Totalt",
    ]
    assert [[cell["value"] for cell in row["cells"]] for row in counts.rows] == [
        ["Länssjukvårdsområde 1", 0, 0, 3, 3],
        ["Närsjukvårdsområde Skellefteå", 0, 1, 2, 3],
        ["Tandvården", 1, 0, 1, 2],
    ]
    # Without the CSRF tokens: a random token may hold "K1".
    page = without_csrf(response.content).decode()
    assert "Anna Alm" not in page and "K1" not in page
    assert '<a href="/bemanning/timmar/">Jämför med timmarna i bemanningssystemet</a>' in page
    assert logged() == []  # counts are no view of the list


def test_the_cost_dashboard_has_no_counts_without_placements(client, registers):
    cost_services.costs_import(
        data=COSTS.encode(), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    client.force_login(make_user("styr", "styrgrupp"))
    response = client.get(reverse("kpis:dashboard"))
    hours = next(chart for chart in response.context["charts"] if chart.code == "agency-hours")
    assert len(hours.tables) == 1


def test_the_cost_dashboard_counts_the_consultants_of_an_import_at_once(
    client, registers, on_2026_03_15
):
    """The dashboard kept before the placements' import is not shown after it: the
    counts are part of what its charts are kept under (kpis.costs.cached), the costs
    unchanged."""
    cost_services.costs_import(
        data=COSTS.encode(), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    client.force_login(make_user("styr", "styrgrupp"))

    def tables() -> int:
        response = client.get(reverse("kpis:dashboard"))
        charts = response.context["charts"]
        return len(next(chart for chart in charts if chart.code == "agency-hours").tables)

    assert tables() == 1
    placements_import(data=PLACEMENTS, file_name="bemlo.csv")
    assert tables() == 2


# --- hours beside the ledger's ---------------------------------------------------------------


def test_the_hours_per_month_stand_beside_the_ledgers(client, registers, on_2026_03_15):
    """One placement of 100 hours, 2025-01-20..2025-02-08 (20 days, 5 hours a day):
    January 12 days = 60 hours, February 8 days = 40. The ledger: 55 and 40 hours.
    Differences 5 and 0. A placement without hours is left out and said so."""
    placements_import(
        data="\n".join(
            [
                HEADER,
                "K1;Anna Alm;Vårdkraft AB;Läkare;0101;2025-01-20;2025-02-08;100",
                "K2;Bo Berg;Medpool AB;Läkare;0102;2025-01-01;;",
            ]
        ).encode(),
        file_name="bemlo.csv",
    )
    cost_services.costs_import(
        data=COSTS.encode(), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    client.force_login(make_user("ctrl", "controller", is_staff=True))
    response = client.get(reverse("placements:hours"))
    chart = response.context["chart"]
    assert [[cell["value"] for cell in row["cells"]] for row in chart.tables[0].rows] == [
        ["jan 2025", 60.0, 55.0, 5.0],
        ["feb 2025", 40.0, 40.0, 0.0],
    ]
    assert chart.note.endswith("1 placeringar utan slutdatum eller timmar räknas inte in.")
    assert "Anna Alm" not in response.content.decode()
    assert logged() == []


# --- the access log in the admin ----------------------------------------------------------------


def test_only_the_superuser_reads_the_access_log(client, bem):
    bem.get(reverse("placements:list"))
    url = reverse("admin:kpis_placementaccesslog_changelist")
    client.force_login(make_user("ctrl", "controller", is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.create_superuser("root", password="pw-root"))
    page = client.get(url).content.decode()
    assert "bem" in page and "Listan" in page
    log = PlacementAccessLog.objects.get()
    assert (
        client.get(reverse("admin:kpis_placementaccesslog_change", args=[log.id])).status_code
        == 200
    )
    assert (
        client.post(reverse("admin:kpis_placementaccesslog_delete", args=[log.id])).status_code
        == 403
    )


def test_the_hours_page_without_any_data_says_so(client, registers):
    client.force_login(make_user("styr", "styrgrupp"))
    response = client.get(reverse("placements:hours"), {"omrade": "Okänt"}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Området Okänt finns inte; visar hela förvaltningen."
    ]
    chart = response.context["chart"]
    assert chart.tables[0].rows == []
    assert chart.figure["layout"]["annotations"][0]["text"] == "Inga timmar ännu"

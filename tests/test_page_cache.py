"""The page cache never shows a stale figure: after each change a page depends on, the
next request shows the new numbers at once, and a page served from the cache is the
page computed afresh (byte for byte but the CSRF tokens Django masks anew each time).

The data are tests/test_dashboard.py's (its docstring works the figures out)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from django.core.cache import cache
from django.db import transaction

from hyrdash.lib import pagecache
from kpis import data_version
from kpis.accounts.services import accounts_import
from kpis.batches import months_close
from kpis.costs import services as cost_services
from kpis.models import ImportBatch, Target
from kpis.national.services import national_import
from kpis.organisation.services import org_import
from kpis.registry import batch_undo
from tests.conftest import ORG_CSV
from tests.test_dashboard import (  # noqa: F401 (fixtures)
    NATIONAL_CSV,
    cost_file,
    costs,
    national,
    styr_client,
    without_csrf,
)

URLS = [
    "/?manad=2026-03&urval=hsf",
    "/?manad=2026-03&urval=area:Närsjukvårdsområde Skellefteå",
    "/csv/agency-ytd/?manad=2026-03&urval=hsf",
    "/csv/agency-monthly/?manad=2026-03&urval=care:primärvård",
]


def pages(client) -> list[tuple[str, bytes]]:
    found = []
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        found.append((response.get("X-Hyrdash-Cache", ""), without_csrf(response.content)))
    return found


def correction():
    """2026-03 again with 0101's doctors at 2 000 000 instead of 1 200 000."""
    rows = [
        ("2026-03", "0101", "4601", 2_000_000, 10),
        ("2026-03", "0101", "5111", 10_000_000, None),
        ("2026-03", "2001", "4611", 400_000, 5),
        ("2026-03", "2001", "5111", 40_000_000, None),
        ("2026-03", "3001", "4621", 100_000, 1),
        ("2026-03", "3001", "5111", 5_000_000, None),
    ]
    batch, _check = cost_services.costs_import(
        data=cost_file(rows),
        file_name="rattelse.csv",
        kind=ImportBatch.Kind.ACTUALS,
        replaces=ImportBatch.Replaces.MONTHS,
    )
    return batch


def undo_latest():
    batch_undo(batch_id=ImportBatch.objects.order_by("-id").first().id)


def move_0101():
    """Unit 0101 moves to Länssjukvårdsområde 1's surgical department."""
    moved = ORG_CSV.replace(
        "0101;Hälsocentral Boliden;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå",
        "0101;Hälsocentral Boliden;Kirurgiskt centrum;Länssjukvårdsområde 1",
    )
    org_import(data=moved.encode())


def a_unit_renamed():
    org_import(data=ORG_CSV.replace("Hälsocentral Boliden", "Hälsocentralen i Boliden").encode())


def new_target(pct: Decimal):
    """The administration's 2026 SKR target changed in the admin (a model save)."""
    target = Target.objects.get(year=2026, scope_kind="hsf", measure="skr")
    target.pct = pct
    target.save()


ACTIONS = {
    "import": correction,
    "undo": undo_latest,  # of the correction made before the pages are asked for
    "close a month": lambda: months_close(kind="actuals", through=dt.date(2026, 2, 1)),
    "a comment": lambda: cost_services.commentary_save(
        period=dt.date(2026, 3, 1), chart="agency-ytd", text="Färre hyrläkare i Skellefteå"
    ),
    "a target": lambda: new_target(Decimal("2.50")),
    "a mapping": lambda: accounts_import(
        data="Konto;Benämning;Kategori\n4601;Inhyrda läkare;hyr_ovriga\n".encode()
    ),
    "a move in the register": move_0101,
    "the national comparison": lambda: national_import(
        data=NATIONAL_CSV.replace("3,9", "4,4").encode()
    ),
}


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_after_each_change_the_next_page_is_the_fresh_one(
    styr_client,  # noqa: F811
    costs,  # noqa: F811
    national,  # noqa: F811
    action,
):
    if action is undo_latest:
        correction()
    before = pages(styr_client)
    assert {hit for hit, _page in before} == {"miss"}
    assert [page for _hit, page in pages(styr_client)] == [page for _hit, page in before]
    assert {hit for hit, _page in pages(styr_client)} == {"hit"}

    action()
    after = pages(styr_client)
    assert {hit for hit, _page in after} == {"miss"}  # nothing kept from before the change
    assert after != before  # the change shows
    cache.clear()
    fresh = pages(styr_client)
    assert [page for _hit, page in after] == [page for _hit, page in fresh]


def test_a_rolled_back_import_keeps_the_cached_pages(styr_client, costs, national):  # noqa: F811
    before = pages(styr_client)
    with pytest.raises(RuntimeError), transaction.atomic():
        correction()
        raise RuntimeError("the import failed after writing")
    assert {hit for hit, _page in pages(styr_client)} == {"hit"}
    assert [page for _hit, page in pages(styr_client)] == [page for _hit, page in before]


def test_after_an_import_from_the_site_the_newest_pages_are_ready(
    client,
    costs,  # noqa: F811
    national,  # noqa: F811
    settings,
    controller_user,
    styrgrupp_user,
):
    """The controller's confirmation computes the newest month's dashboard for the
    administration, each care type and each area before it answers: the steering
    group's first request is a hit, and the page is the one computed afresh."""
    from tests.test_upload_views import upload_and_confirm  # noqa: PLC0415

    settings.PAGE_CACHE_WARM = True
    client.force_login(controller_user)
    march = "\n".join(
        f"2026-03;{ansvar};{konto};{value}".replace(".", ",")
        for ansvar, konto, value in [
            ("0101", "4601", 1_500_000),
            ("0101", "5111", 10_000_000),
            ("2001", "4611", 400_000),
            ("2001", "5111", 40_000_000),
            ("3001", "4621", 100_000),
            ("3001", "5111", 5_000_000),
        ]
    )
    client.force_login(styrgrupp_user)
    before = without_csrf(client.get("/").content)
    client.force_login(controller_user)
    upload_and_confirm(client, "Period;Ansvar;Konto;Belopp\n" + march + "\n", replaces="months")
    client.force_login(styrgrupp_user)
    scopes = ["hsf", "care:primärvård", "area:Tandvården"]
    warmed = {}
    for scope in scopes:
        response = client.get("/", {"urval": scope})
        assert response["X-Hyrdash-Cache"] == "hit", scope
        warmed[scope] = without_csrf(response.content)
    assert warmed["hsf"] != before
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # computed when first asked for
    assert client.get("/", {"urval": "hsf"})["X-Hyrdash-Cache"] == "miss"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    cache.clear()
    for scope in scopes:
        assert without_csrf(client.get("/", {"urval": scope}).content) == warmed[scope]


MARCH_AGAIN = (
    "Period;Ansvar;Konto;Belopp\n2026-03;0101;4601;1 700 000\n2026-03;0101;5111;10 000 000\n"
)


@pytest.fixture
def warm_spy(monkeypatch):
    """The cost kinds' `warm`, recording how many atomic blocks it ran in and whether the
    import's batch was already there; `fail`: a database error in it, swallowed there as
    the warmers swallow what goes wrong."""
    import dataclasses  # noqa: PLC0415

    from django.db import connection  # noqa: PLC0415

    from kpis import registry  # noqa: PLC0415

    calls = []
    spy = {"calls": calls, "fail": False}

    def warm():
        calls.append((len(connection.atomic_blocks), ImportBatch.objects.count()))
        if spy["fail"]:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM no_such_table")
            except Exception:  # noqa: BLE001,S110 (as kpis.costs.cached.warm does)
                pass
            return 0
        return registry.cost_cached.warm()

    for kind in (ImportBatch.Kind.ACTUALS, ImportBatch.Kind.BUDGET):
        entry = dataclasses.replace(registry.KINDS[kind], warm=warm)
        monkeypatch.setitem(registry.KINDS, kind, entry)
    return spy


@pytest.fixture
def upload_march_again(client, costs, national, settings, controller_user):  # noqa: F811
    """March 2026 from the site again, as the controller (0101's doctors at 1 700 000),
    with warming on; returns how many imports there were before."""
    from tests.test_upload_views import upload_and_confirm  # noqa: PLC0415

    settings.PAGE_CACHE_WARM = True

    def upload() -> int:
        batches = ImportBatch.objects.count()
        client.force_login(controller_user)
        upload_and_confirm(client, MARCH_AGAIN, replaces="units")
        return batches

    return upload


def test_the_dashboards_are_warmed_before_the_import_commits(
    client, styrgrupp_user, warm_spy, upload_march_again
):
    """The confirmation computes the dashboards inside the import's transaction (the
    view's atomic block and the warming's savepoint, inside the test's own), from its rows
    (the batch is there), so the pages are in the cache when the import becomes visible;
    the first page after it is a hit with the new figures, the page computed afresh."""
    from django.db import connection  # noqa: PLC0415

    from hyrdash.lib import pagecache  # noqa: PLC0415

    client.force_login(styrgrupp_user)
    before = without_csrf(client.get("/").content)
    outside = len(connection.atomic_blocks)  # the test's transaction
    batches = upload_march_again()
    assert warm_spy["calls"] == [(outside + 2, batches + 1)]
    client.force_login(styrgrupp_user)
    response = client.get("/")
    assert response["X-Hyrdash-Cache"] == "hit"
    warmed = without_csrf(response.content)
    assert warmed != before
    cache.clear()
    pagecache.forget_in_process()
    response = client.get("/")
    assert response["X-Hyrdash-Cache"] == "miss"
    assert without_csrf(response.content) == warmed


def test_a_database_error_while_warming_loses_no_import(
    client, styrgrupp_user, warm_spy, upload_march_again
):
    """On PostgreSQL a failed statement aborts the transaction; the warming's savepoint
    takes the failure alone and the import is stored (without it the import's atomic
    block fails and the confirmation with it)."""
    warm_spy["fail"] = True
    batches = upload_march_again()
    assert len(warm_spy["calls"]) == 1
    assert ImportBatch.objects.count() == batches + 1
    client.force_login(styrgrupp_user)
    response = client.get("/", {"manad": "2026-03", "urval": "unit:0101"})
    assert response.status_code == 200


# --- the sick-leave page ------------------------------------------------------------------
# The data are tests/sick_leave_data.py's (its docstring works the figures out).

SICK_LEAVE_URLS = [
    "/sjukfranvaro/?manad=2025-03&urval=hsf",
    "/sjukfranvaro/?manad=2025-03&urval=area:Närsjukvårdsområde Skellefteå",
    "/sjukfranvaro/csv/sick-leave-r12/?manad=2025-03&urval=hsf",
    "/sjukfranvaro/csv/sick-leave-gender/?manad=2025-03&urval=area:Länssjukvårdsområde 1",
]


def sick_leave_pages(client) -> list[tuple[str, bytes]]:
    found = []
    for url in SICK_LEAVE_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        found.append((response.get("X-Hyrdash-Cache", ""), without_csrf(response.content)))
    return found


@pytest.fixture
def sick_leave(registers):
    from tests.sick_leave_data import import_sick_leave  # noqa: PLC0415

    return import_sick_leave()


def sick_leave_correction():
    """2025-03 again with 0101's women at 300 sick hours day 1-14 instead of 120."""
    from tests.sick_leave_data import import_sick_leave, rows  # noqa: PLC0415

    march = [r for r in rows() if r[0] == "2025-03"]
    march = [(*r[:6], 300, *r[7:]) if r[1:3] == ("0101", "K") else r for r in march]
    return import_sick_leave(march, name="sjukfranvaro_rattelse.csv")


def a_stricter_limit(settings):
    """The largest group never shown raised from 10 to 12: Tandvården's 12 women are
    withheld now (and what would give them away)."""
    settings.SICK_LEAVE_MAX_HIDDEN_GROUP = 12


def a_sick_leave_target(settings):
    Target.objects.create(measure="sick_leave", year=2025, scope_kind="hsf", pct="5.50")


SICK_LEAVE_ACTIONS = {
    "import": lambda settings: sick_leave_correction(),
    "undo": lambda settings: undo_latest(),  # of the correction made before the pages
    "close a month": lambda settings: months_close(kind="sick_leave", through=dt.date(2025, 3, 1)),
    "a target": a_sick_leave_target,
    "a stricter limit": a_stricter_limit,
}


@pytest.mark.parametrize("action", SICK_LEAVE_ACTIONS.values(), ids=SICK_LEAVE_ACTIONS.keys())
def test_after_each_change_the_next_sick_leave_page_is_the_fresh_one(
    styr_client,  # noqa: F811
    sick_leave,
    settings,
    action,
):
    if SICK_LEAVE_ACTIONS["undo"] is action:
        sick_leave_correction()
    before = sick_leave_pages(styr_client)
    assert {hit for hit, _page in before} == {"miss"}
    assert [page for _hit, page in sick_leave_pages(styr_client)] == [p for _h, p in before]
    assert {hit for hit, _page in sick_leave_pages(styr_client)} == {"hit"}

    action(settings)
    after = sick_leave_pages(styr_client)
    assert {hit for hit, _page in after} == {"miss"}  # nothing kept from before the change
    assert [page for _hit, page in after] != [page for _hit, page in before]
    cache.clear()
    fresh = sick_leave_pages(styr_client)
    assert [page for _hit, page in after] == [page for _hit, page in fresh]


# Not a register change: on PostgreSQL an update of the register can reorder the rows
# the dashboard's data are read in, which is another digest (its charts are computed
# again: never a stale figure, only a miss). Sick leave's summed rows are kept under the
# register's state, which a unit's name is not part of.
DASHBOARD_UNTOUCHED = {
    "a sick-leave target": a_sick_leave_target,
}


@pytest.mark.parametrize("action", DASHBOARD_UNTOUCHED.values(), ids=DASHBOARD_UNTOUCHED.keys())
def test_a_change_that_leaves_the_dashboards_inputs_as_they_were_computes_no_chart(
    styr_client,  # noqa: F811
    costs,  # noqa: F811
    national,  # noqa: F811
    sick_leave,
    settings,
    monkeypatch,
    action,
):
    """A sick-leave target raises the version every page reads its data under (a target
    is every page's), but the dashboards show none: their data and the rest of what
    their charts are computed from are read again, come out the same, and the charts
    kept under their digest answer (kpis.costs.cached.dashboard_charts); the pages are
    the ones computed afresh."""
    from kpis.costs import page as cost_page  # noqa: PLC0415

    kept_through(
        lambda: action(settings),
        lambda: pages(styr_client),
        data_version.COST_PAGES,
        monkeypatch,
        (cost_page, "build_charts"),
    )


def test_a_cost_import_keeps_the_sick_leave_pages_and_computes_the_dashboards_anew(
    styr_client,  # noqa: F811
    costs,  # noqa: F811
    sick_leave,
):
    """A cost import changes no sick-leave figure: those pages stay in the cache (a cold
    one costs seconds on the server), the same bytes as computed afresh; the
    dashboards are computed anew."""
    sick_before = sick_leave_pages(styr_client)
    pages(styr_client)
    correction()
    sick_after = sick_leave_pages(styr_client)
    assert {hit for hit, _page in sick_after} == {"hit"}
    assert {hit for hit, _page in pages(styr_client)} == {"miss"}
    cache.clear()
    fresh = sick_leave_pages(styr_client)
    assert [page for _hit, page in sick_after] == [page for _hit, page in fresh]
    assert [page for _hit, page in fresh] == [page for _hit, page in sick_before]


def test_a_stricter_limit_withholds_at_once_what_the_kept_page_showed(
    styr_client,  # noqa: F811
    sick_leave,
    settings,
):
    """Tandvården's 12 women (1 800 ordinary hours, 54 sick: 3,000 %) are shown under the
    limit of 10; under 12 the CSV kept for 10 is not served: their month is withheld at
    once (the R12 is withheld under both, as 2024-06's complement is in its window)."""
    url = "/sjukfranvaro/csv/sick-leave-r12/?manad=2025-03&urval=area:Tandvården"
    march = "2025-03;total;12;1800,00;54,00;3,000;;;1;1\n"
    assert march in styr_client.get(url).content.decode("utf-8-sig")
    assert styr_client.get(url)["X-Hyrdash-Cache"] == "hit"

    a_stricter_limit(settings)
    response = styr_client.get(url)
    assert response["X-Hyrdash-Cache"] == "miss"
    assert "2025-03;total;;;;;;;1;1\n" in response.content.decode("utf-8-sig")


def test_a_move_in_the_register_computes_the_sick_leave_page_anew_with_the_same_figures(
    styr_client,  # noqa: F811
    sick_leave,
):
    """The register's move applies from 2025-04, the first month without sick leave: the
    pages are computed anew (the version rose) and show the same figures, as published
    figures never change with a re-organisation."""
    before = sick_leave_pages(styr_client)
    move_0101()
    after = sick_leave_pages(styr_client)
    assert {hit for hit, _page in after} == {"miss"}
    assert [page for _hit, page in after] == [page for _hit, page in before]


def kept_through(change, read_pages, subjects, monkeypatch, *functions) -> None:
    """`change` raises the version of the pages showing `subjects` but changes nothing
    their charts are computed from: the pages after it are the ones before, none of
    `functions` ((module, name) pairs) is called, and they are the pages computed
    afresh."""
    before = read_pages()
    version = data_version.current(*subjects)
    change()
    assert data_version.current(*subjects) != version
    computed = calls(monkeypatch, *functions)
    after = read_pages()

    assert computed == []
    assert [page for _hit, page in after] == [page for _hit, page in before]
    monkeypatch.undo()
    cache.clear()
    pagecache.forget_in_process()
    assert [page for _hit, page in read_pages()] == [page for _hit, page in after]


def calls(monkeypatch, *functions) -> list[str]:
    """The names of `functions` ((module, name) pairs) in the order they are called from
    now on, each still doing its work. hidden_by_month is called once per computation of
    the cells (sick_leave_cells itself is called for every chart and answers from the
    data's memos)."""
    called = []
    for module, name in functions:
        original = getattr(module, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            called.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return called


SICK_LEAVE_UNTOUCHED = {
    "a comment": ACTIONS["a comment"],
    "a cost target": ACTIONS["a target"],
    "a mapping": ACTIONS["a mapping"],
    "a unit renamed in the register": a_unit_renamed,
}


@pytest.mark.parametrize("action", SICK_LEAVE_UNTOUCHED.values(), ids=SICK_LEAVE_UNTOUCHED.keys())
def test_a_change_that_leaves_sick_leave_as_it_was_computes_no_sick_leave_page(
    styr_client,  # noqa: F811
    costs,  # noqa: F811
    sick_leave,
    monkeypatch,
    action,
):
    """A comment, a cost target, a mapping or a unit's new name raises the version
    every page reads its data under, but sick leave's data come out the same: its cells
    and decisions, charts and CSV tables are kept under the data's digest
    (kpis.sick_leave.cached.content), so only the data are read again; the pages are
    the bytes computed afresh."""
    from kpis.sick_leave import page as sick_leave_page  # noqa: PLC0415
    from kpis.sick_leave import series as sick_leave_series  # noqa: PLC0415

    kept_through(
        action,
        lambda: sick_leave_pages(styr_client),
        data_version.SICK_LEAVE_PAGES,
        monkeypatch,
        (sick_leave_series, "hidden_by_month"),  # once per computation of the cells
        (sick_leave_page, "build_charts"),
        (sick_leave_page, "series_table"),
    )


def test_a_sick_leave_target_computes_the_charts_and_keeps_the_cells(
    styr_client,  # noqa: F811
    sick_leave,
    settings,
    monkeypatch,
):
    """The cells and their decisions are kept under the fields they are computed from
    (kpis.sick_leave.cached.CELL_FIELDS): a target changes the charts (its line), not a
    cell; the page is the one computed afresh."""
    from kpis.sick_leave import page as sick_leave_page  # noqa: PLC0415
    from kpis.sick_leave import series as sick_leave_series  # noqa: PLC0415

    before = sick_leave_pages(styr_client)
    computed = calls(
        monkeypatch, (sick_leave_series, "hidden_by_month"), (sick_leave_page, "build_charts")
    )
    a_sick_leave_target(settings)
    after = sick_leave_pages(styr_client)

    assert set(computed) == {"build_charts"}  # the two pages; no cell
    assert [page for _hit, page in after] != [page for _hit, page in before]
    monkeypatch.undo()
    cache.clear()
    pagecache.forget_in_process()
    assert [page for _hit, page in sick_leave_pages(styr_client)] == [p for _h, p in after]


def test_the_cells_from_their_fields_alone_are_the_cells_of_all_the_data(sick_leave, settings):
    """`cached.cells` computes from a SickLeaveData of CELL_FIELDS only: the same cells as
    from all of it, with a target, a closed month and a department moved to another
    area before the data's last month (the areas' departments month by month differ)."""
    from kpis.sick_leave import cached as sick_leave_cached  # noqa: PLC0415
    from kpis.sick_leave import selectors, series  # noqa: PLC0415
    from tests.sick_leave_data import import_sick_leave, rows  # noqa: PLC0415

    a_sick_leave_target(settings)
    months_close(kind="sick_leave", through=dt.date(2025, 2, 1))
    moved = ORG_CSV.replace(
        "Tandvård Södra Lappland;Tandvården", "Tandvård Södra Lappland;Länssjukvårdsområde 1"
    )
    org_import(data=moved.encode())
    april = [("2025-04", *r[1:]) for r in rows() if r[0] == "2025-03"]
    import_sick_leave(april, name="april.csv")
    data = selectors.sick_leave_data()
    assert data.targets and data.closed_through is not None
    assert data.department_areas[data.months[0]] != data.department_areas[data.months[-1]]

    kept = sick_leave_cached.cells(data)

    pd.testing.assert_frame_equal(kept, series.sick_leave_cells(selectors.sick_leave_data()))
    assert kept["hidden"].any()


def a_department_renamed():
    from kpis.models import Department  # noqa: PLC0415

    department = Department.objects.get(name="Primärvård Skellefteå")
    department.name = "Primärvården i Skellefteå"
    department.save()


def an_area_renamed():
    from kpis.models import Area  # noqa: PLC0415

    area = Area.objects.get(name="Tandvården")
    area.name = "Folktandvården"
    area.save()


def a_units_care_type():
    from kpis.models import Unit  # noqa: PLC0415

    unit = Unit.objects.get(ansvar="0101")
    unit.care_type = "specialiserad"
    unit.save()


def a_placement_moved_back():
    """0101's placement from 2025-02 on in Länssjukvårdsområde 1's surgery (as the
    register's history records a move, kpis.UnitPlacement), written directly."""
    from kpis.models import Department, UnitPlacement  # noqa: PLC0415

    placement = UnitPlacement.objects.get(unit__ansvar="0101")
    surgery = Department.objects.get(name="Kirurgiskt centrum")
    UnitPlacement.objects.create(
        unit=placement.unit,
        valid_from=dt.date(2025, 2, 1),
        department=surgery,
        area=surgery.area,
        care_type=placement.care_type,
    )


SICK_LEAVE_FRAME_CHANGES = {
    "a sick-leave import": lambda: sick_leave_correction(),
    "a unit moved in the register": move_0101,
    "a department renamed": a_department_renamed,
    "an area renamed": an_area_renamed,
    "a unit's care type": a_units_care_type,
    "a placement": a_placement_moved_back,
}


@pytest.mark.parametrize(
    "action", SICK_LEAVE_FRAME_CHANGES.values(), ids=SICK_LEAVE_FRAME_CHANGES.keys()
)
def test_the_summed_rows_are_summed_again_after_each_change_of_what_they_read(
    sick_leave, monkeypatch, action
):
    """kpis.sick_leave.cached.sick_leave_frame keeps the rows summed by department under
    sick leave's own data version and the register's state: each change of the rows in
    use or of the register they are summed by sums them again, the same as summed
    afresh; a comment does not."""
    from kpis.sick_leave import cached as sick_leave_cached  # noqa: PLC0415
    from kpis.sick_leave import selectors  # noqa: PLC0415

    summed = []
    original = selectors.sick_leave_frame
    monkeypatch.setattr(selectors, "sick_leave_frame", lambda: summed.append(1) or original())
    before = sick_leave_cached.sick_leave_frame()
    ACTIONS["a comment"]()
    assert sick_leave_cached.sick_leave_frame() is before
    assert summed == [1]

    action()
    after = sick_leave_cached.sick_leave_frame()

    assert summed == [1, 1]
    pd.testing.assert_frame_equal(after, original())
    assert not after.equals(before)


def test_every_field_of_the_sick_leave_data_is_in_its_digest(sick_leave):
    """What is computed from the data is kept under `content`, the digest of every field
    of SickLeaveData: a change of any one gives another key. A new field fails here
    until the test changes it too."""
    from dataclasses import fields, replace  # noqa: PLC0415

    from kpis.sick_leave import cached as sick_leave_cached  # noqa: PLC0415
    from kpis.sick_leave import selectors  # noqa: PLC0415

    data = selectors.sick_leave_data()
    rows = data.rows.copy()
    rows.loc[0, "sick_hours_60"] += 0.01
    march = pd.Period("2025-03", freq="M")
    changed = {
        "rows": rows,
        "months": data.months[:-1],
        "max_hidden": data.max_hidden + 1,
        "targets": {**data.targets, (2025, "hsf"): 5.5},
        "closed_through": march,
        "areas": [*data.areas, "Nytt område"],
        "departments": {**data.departments, "Ny verksamhet": "Nytt område"},
        "department_areas": {**data.department_areas, march: {"Ny verksamhet": "Tandvården"}},
        "withheld": {march: frozenset({("hsf", "K")})},
    }
    assert set(changed) == {f.name for f in fields(data) if f.compare}
    digest = sick_leave_cached.content(data)
    assert sick_leave_cached.content(replace(data, cache={})) == digest
    for name, value in changed.items():
        assert sick_leave_cached.content(replace(data, **{name: value}, cache={})) != digest, name


def test_after_a_sick_leave_import_from_the_site_the_newest_pages_are_ready(
    client,
    sick_leave,
    settings,
    hr_user,
    styrgrupp_user,
):
    """HR's confirmation computes the newest month's sick-leave page for the
    administration, each care type and each area before it answers: the steering
    group's first request is a hit, and the page is the one computed afresh."""
    from tests.sick_leave_data import extract, rows  # noqa: PLC0415
    from tests.test_upload_views import upload_and_confirm  # noqa: PLC0415

    settings.PAGE_CACHE_WARM = True
    client.force_login(styrgrupp_user)
    before = without_csrf(client.get("/sjukfranvaro/").content)
    april = [("2025-04", *r[1:]) for r in rows() if r[0] == "2025-03"]
    client.force_login(hr_user)
    upload_and_confirm(client, extract(april), name="april.csv", kind="sick_leave")
    client.force_login(styrgrupp_user)
    scopes = ["hsf", "care:primärvård", "area:Tandvården"]
    warmed = {}
    for scope in scopes:
        response = client.get("/sjukfranvaro/", {"urval": scope})
        assert response["X-Hyrdash-Cache"] == "hit", scope
        assert "april 2025" in response.content.decode(), scope
        warmed[scope] = without_csrf(response.content)
    assert warmed["hsf"] != before
    cache.clear()
    for scope in scopes:
        assert without_csrf(client.get("/sjukfranvaro/", {"urval": scope}).content) == warmed[scope]


def test_warming_stops_when_its_time_is_up(monkeypatch):
    """pagecache.warm runs the jobs in order; once the time is up it starts no more (a
    job started is finished). The clock here moves 4 s at each look: the deadline is
    0 + 10; the first job starts at 4, the second at 8, the third would at 12."""
    from hyrdash.lib import pagecache  # noqa: PLC0415

    now = iter(range(0, 100, 4))
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: next(now))
    ran = []
    jobs = [lambda n=n: ran.append(n) for n in range(5)]
    assert pagecache.warm(jobs, seconds=10) == (2, False)
    assert ran == [0, 1]
    assert pagecache.warm(jobs[:2], seconds=100) == (2, True)


def test_a_value_being_computed_is_waited_for_not_computed_again(monkeypatch):
    """While another request computes a page (its lock is in the cache), a request for
    the same page waits and reads the kept value; one that waits in vain computes it."""
    from hyrdash.lib import pagecache  # noqa: PLC0415

    found = pagecache.key("a-page", 1)
    cache.add(found + ":computing", 1)
    looks = []

    def another_request_keeps_it(seconds):
        looks.append(seconds)
        if len(looks) == 3:
            cache.set(found, "computed by the other request", timeout=None)

    monkeypatch.setattr(pagecache.time, "sleep", another_request_keeps_it)
    computed = []
    value = pagecache.cached("a-page", (1,), lambda: computed.append(1) or "computed here")
    assert value == "computed by the other request"
    assert computed == []
    assert len(looks) == 3

    found = pagecache.key("a-page", 2)
    cache.add(found + ":computing", 1)
    monkeypatch.setattr(pagecache, "WAIT", 0.0)  # the other request died
    assert pagecache.cached("a-page", (2,), lambda: "computed here") == "computed here"
    assert cache.get(found) == "computed here"
    assert cache.get(found + ":computing") is None


def test_a_new_release_never_reads_a_page_an_older_one_kept(tmp_path, monkeypatch):
    """Every key holds the digest of the code, templates and translations
    (pagecache.release): a release that mends a measure or a chart computes its pages
    anew under the same data version."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "measure.py").write_text("RATE = 1\n")
    (tmp_path / "app" / "page.html").write_text("<p>{{ rate }}</p>\n")
    (tmp_path / "app" / "notes.md").write_text("not code\n")
    first = pagecache.code_digest(tmp_path, ["app", "missing"])
    assert pagecache.code_digest(tmp_path, ["app", "missing"]) == first
    (tmp_path / "app" / "notes.md").write_text("still not code\n")
    assert pagecache.code_digest(tmp_path, ["app"]) == first
    (tmp_path / "app" / "measure.py").write_text("RATE = 2\n")
    mended = pagecache.code_digest(tmp_path, ["app"])
    assert mended != first
    (tmp_path / "app" / "page.html").write_text("<p>{{ rate|floatformat }}</p>\n")
    assert pagecache.code_digest(tmp_path, ["app"]) != mended

    assert pagecache.cached("page", (1,), lambda: "old release") == "old release"
    monkeypatch.setattr(pagecache, "release", lambda: "another")
    assert pagecache.cached("page", (1,), lambda: "new release") == "new release"


def test_the_release_digest_reads_the_sites_code(settings):
    assert settings.PAGE_CACHE_CODE == ["hyrdash", "kpis", "survey", "templates", "locale"]
    assert pagecache.release() == pagecache.code_digest(settings.BASE_DIR, settings.PAGE_CACHE_CODE)
    assert pagecache.code_digest(settings.BASE_DIR, ["kpis"]) != pagecache.code_digest(
        settings.BASE_DIR, ["survey"]
    )

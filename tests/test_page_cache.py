"""The page cache never shows a stale figure: after each change a page depends on, the
next request shows the new numbers at once, and a page served from the cache is the
page computed afresh (byte for byte but the CSRF tokens Django masks anew each time).

The data are tests/test_dashboard.py's (its docstring works the figures out)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction

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
    cache.clear()
    for scope in scopes:
        assert without_csrf(client.get("/", {"urval": scope}).content) == warmed[scope]

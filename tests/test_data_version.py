"""The data version (kpis.data_version) rises with every change a page shows, in the
transaction of the change, and with nothing else; a page's version only with the
subjects the page shows; the page cache's keys (hyrdash.lib.pagecache) follow it, the
language and the parts a page names."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from hyrdash.lib import pagecache
from kpis import data_version
from kpis.batches import months_close, months_reopen
from kpis.costs import services as cost_services
from kpis.models import Department, ImportBatch, PendingUpload, Target, Unit
from kpis.national.services import national_import
from kpis.organisation.selectors import Scope
from kpis.pack.selectors import TextSlideRow
from kpis.pack.services import pack_texts_save
from kpis.placements.models import PlacementAccessLog
from kpis.placements.services import placements_import, transition_record
from kpis.registry import batch_undo
from survey import services as survey_services
from tests.conftest import ORG_CSV
from tests.sick_leave_data import import_sick_leave

COSTS = b"Period;Ansvar;Konto;Belopp;Timmar\n2025-01;0101;4601;100 000;55\n"
PLACEMENTS = (
    "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar\n"
    "K1;Anna Alm;Vårdkraft AB;Läkare;0101;2024-04-01;;\n"
).encode()


def rises(action) -> bool:
    before = data_version.current()
    action()
    return data_version.current() > before


PAGES = {
    "costs": data_version.COST_PAGES,
    "sick leave": data_version.SICK_LEAVE_PAGES,
    "survey": data_version.SURVEY_PAGES,
    "placements": data_version.PLACEMENT_PAGES,
    "pack": (),  # every subject
}


def pages_raised(action) -> set[str]:
    """The pages whose version `action` raises (each page's subjects, kpis.data_version)."""
    before = {page: data_version.current(*subjects) for page, subjects in PAGES.items()}
    action()
    after = {page: data_version.current(*subjects) for page, subjects in PAGES.items()}
    assert all(after[page] >= before[page] for page in PAGES)  # never falls
    return {page for page in PAGES if after[page] > before[page]}


SURVEY_ANSWERS = "RespondentID;Ansvar;HME_M1;ENPS\n" + "".join(
    f"r{i};0101;4;{i % 11}\n" for i in range(7)
)


def import_costs(data: bytes = COSTS):
    batch, _check = cost_services.costs_import(
        data=data, file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    return batch


@pytest.mark.django_db
def test_the_version_starts_at_zero_and_rises_with_each_change():
    assert data_version.current() == 0 and data_version.count() == 0
    data_version.data_changed()
    first = data_version.current()
    data_version.data_changed()
    assert data_version.count() == 2
    assert data_version.current() > first > 0
    assert data_version.current() >> data_version.TOKEN_BITS == 2


def test_registers_raise_it(db, accounts, tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(ORG_CSV, encoding="utf-8")
    assert rises(lambda: call_command("import_org", str(path)))
    assert rises(lambda: Unit.objects.filter(ansvar="0101").first().save())  # the admin saves


# Each change a page shows, after a cost import, and the pages whose version it raises
# ("pack": the steering pack's, every subject's).
COSTS_ALL = {"costs", "pack"}
EVERY_PAGE = {"costs", "sick leave", "survey", "placements", "pack"}
CHANGES = [
    pytest.param(
        lambda: import_costs(COSTS.replace(b"100 000", b"90 000")), COSTS_ALL, id="a cost import"
    ),
    pytest.param(
        lambda: months_close(kind="actuals", through=dt.date(2025, 1, 1)),
        COSTS_ALL,
        id="close a month",
    ),
    pytest.param(
        lambda: cost_services.commentary_save(
            period=dt.date(2025, 1, 1), chart="agency-monthly", text="Ny text"
        ),
        EVERY_PAGE,
        id="a comment",
    ),
    pytest.param(
        lambda: Target.objects.create(year=2031, scope_kind="hsf", pct=2),
        EVERY_PAGE,  # the SKR measure's or sick leave's, which an edit may change
        id="a target",
    ),
    pytest.param(
        lambda: national_import(data=b"Period;Region;Andel\n2025-Q1;Riket;4,1\n"),
        COSTS_ALL,
        id="national comparison (bulk)",
    ),
    pytest.param(
        lambda: pack_texts_save(
            month=pd.Period("2025-01", freq="M"),
            scope=Scope(),
            rows=[TextSlideRow(order=1, title="Rubrik", text="• punkt")],
        ),
        {"pack"},
        id="pack text slides (bulk)",
    ),
    pytest.param(
        lambda: placements_import(data=PLACEMENTS, file_name="bemlo.csv"),
        {"costs", "placements", "pack"},  # the dashboard counts consultants under 12 a
        id="placements",
    ),
    pytest.param(import_sick_leave, {"sick leave", "pack"}, id="a sick-leave import"),
    pytest.param(
        lambda: months_close(kind="sick_leave", through=dt.date(2024, 1, 1)),
        {"sick leave", "pack"},
        id="closing a sick-leave month",
    ),
    pytest.param(
        lambda: survey_services.answers_import(
            data=SURVEY_ANSWERS.encode(), file_name="mu.csv", year=2024
        ),
        {"survey", "pack"},
        id="a survey import",
    ),
    pytest.param(
        lambda: Unit.objects.filter(ansvar="0101").first().save(),
        EVERY_PAGE,
        id="a unit in the admin",
    ),
]


@pytest.mark.parametrize(("action", "pages"), CHANGES)
def test_each_change_raises_the_pages_that_show_it_and_no_other(registers, request, action, pages):
    """A cost import leaves the sick-leave and survey pages in the cache (a cold
    sick-leave page costs seconds), and so on; the registers are every page's."""
    import_costs()
    if "closing a sick-leave month" in request.node.name:
        import_sick_leave()  # a month with data to close
    assert pages_raised(action) == pages


def test_an_unknown_subject_is_refused(db):
    with pytest.raises(ValueError, match="okänt|unknown"):
        data_version.data_changed("overtime")


def test_undo_and_reopen_raise_it(registers):
    batch = import_costs()
    months_close(kind="actuals", through=dt.date(2025, 1, 1))
    assert rises(lambda: months_reopen(kind="actuals", start=dt.date(2025, 1, 1)))
    assert rises(lambda: batch_undo(batch_id=batch.id))


def test_the_transition_decision_in_bulk_raises_it(registers):
    placements_import(data=PLACEMENTS, file_name="bemlo.csv")
    assert rises(transition_record)


def test_what_no_page_shows_leaves_it(registers, controller_user):
    import_costs()
    assert not rises(import_costs)  # the same file again changes nothing
    assert not rises(
        lambda: PendingUpload.objects.create(
            kind=ImportBatch.Kind.ACTUALS,
            file_name="x.csv",
            data=b"",
            checksum="0" * 64,
            created_by=controller_user,
        )
    )
    assert not rises(lambda: PlacementAccessLog.objects.create(who="bem", what="list"))


def test_a_rolled_back_change_leaves_it(registers):
    before = data_version.current()
    with transaction.atomic():
        Department.objects.update(units_separate=False)  # no signal
        Target.objects.create(year=2031, scope_kind="hsf", pct=2)
        assert data_version.current() > before  # inside the transaction
        transaction.set_rollback(True)
    assert data_version.current() == before


def test_a_rolled_back_change_leaves_a_version_no_later_change_has(db):
    """Pages computed inside a change's transaction (a cost import warms its dashboards
    before it commits) are kept under its version: rolled back, that version must never
    come back, though the next change reaches the same count."""
    data_version.data_changed(data_version.COSTS)
    with transaction.atomic():
        data_version.data_changed(data_version.COSTS)
        rolled_back = data_version.current(*data_version.COST_PAGES)
        transaction.set_rollback(True)
    data_version.data_changed(data_version.COSTS)
    assert data_version.count(*data_version.COST_PAGES) == 2
    assert data_version.current(*data_version.COST_PAGES) != rolled_back
    assert data_version.current(*data_version.COST_PAGES) >> data_version.TOKEN_BITS == 2


def test_a_cached_part_is_computed_once_per_key():
    calls = []

    def compute():
        calls.append(1)
        return {"value": len(calls)}

    pagecache.reset_outcome()
    assert pagecache.cached("page", (1, "hsf"), compute) == {"value": 1}
    assert pagecache.outcome() == "miss"
    pagecache.reset_outcome()
    assert pagecache.cached("page", (1, "hsf"), compute) == {"value": 1}
    assert pagecache.outcome() == "hit"
    assert pagecache.cached("page", (2, "hsf"), compute) == {"value": 2}  # a new version
    assert pagecache.cached("page", (2, "area:X"), compute) == {"value": 3}
    with translation.override("en"):
        assert pagecache.cached("page", (2, "hsf"), compute) == {"value": 4}
    assert pagecache.cached("other", (2, "hsf"), compute) == {"value": 5}
    assert len(calls) == 5


def _redis_up() -> bool:
    import socket  # noqa: PLC0415

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_page_cache_works_on_redis_as_several_app_servers_share_it(settings):
    """CACHE_URL=redis://... gives Django's RedisCache (hyrdash/settings.py); a page kept
    by one server is found by another (two cache connections here)."""
    from django.core.cache import caches  # noqa: PLC0415
    from django.core.cache.backends.redis import RedisCache  # noqa: PLC0415

    options = {"KEY_PREFIX": "hyrdash-test"}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            **options,
        }
    }
    caches["default"].clear()
    assert pagecache.cached("page", (1,), lambda: "computed") == "computed"
    another_server = RedisCache("redis://127.0.0.1:6379/15", options)
    assert another_server.get(pagecache.key("page", 1)) == "computed"
    assert pagecache.cached("page", (1,), lambda: "computed again") == "computed"
    caches["default"].clear()


def test_a_subjects_data_is_kept_in_the_process_for_its_newest_versions():
    """in_process: one object per key in the worker (the pages' memos go with it), the
    newest IN_PROCESS versions of a name; the shared cache still gets it, so another
    worker need not compute it."""
    from django.core.cache import cache  # noqa: PLC0415

    made = []

    def compute():
        made.append(object())
        return made[-1]

    first = pagecache.cached("data", (1,), compute, in_process=True)
    cache.clear()  # the process keeps it
    assert pagecache.cached("data", (1,), compute, in_process=True) is first
    assert cache.get(pagecache.key("data", 1)) is None
    second = pagecache.cached("data", (2,), compute, in_process=True)
    third = pagecache.cached("data", (3,), compute, in_process=True)
    assert cache.get(pagecache.key("data", 3)) is not None  # shared too
    assert pagecache.cached("data", (2,), compute, in_process=True) is second
    assert pagecache.cached("data", (3,), compute, in_process=True) is third
    assert len(made) == 3
    pagecache.cached("data", (1,), compute, in_process=True)  # version 1 was dropped
    assert len(made) == 4

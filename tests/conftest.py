"""Shared fixtures: users per role, a small organisation and the default account mapping."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import translation

from hyrdash.lib import pagecache

ROOT = Path(__file__).resolve().parent.parent

ORG_CSV = """Ansvar;Enhet;Verksamhet;Område;Vårdtyp
0101;Hälsocentral Boliden;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå;primärvård
0102;Hälsocentral Ursviken;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå;Primärvård
2001;Kirurgavdelning 1;Kirurgiskt centrum;Länssjukvårdsområde 1;sjukhusvård
2002;Operation;Kirurgiskt centrum;Länssjukvårdsområde 1;SJUKHUSVÅRD
3001;Folktandvården Lycksele;Tandvård Södra Lappland;Tandvården;tandvård
"""


@pytest.fixture(autouse=True)
def swedish_after_each_test():
    """Every test starts in Swedish: a request in English leaves English active in the
    thread (LocaleMiddleware activates a language and never deactivates it), and the
    next test's messages would come out in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def cache_of_its_own(settings, request):
    """Every test starts with an empty cache of its own: no decision or page computed by
    another test (or another run, in the default folder cache) can answer for it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    settings.PAGE_CACHE_WARM = False  # tests/test_page_cache.py turns it on
    pagecache.forget_in_process()  # what the process keeps too (versions restart at 0)
    yield
    pagecache.forget_in_process()


def make_user(username: str, *groups: str, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def styrgrupp_user(db):
    return make_user("styr", "styrgrupp")


@pytest.fixture
def controller_user(db):
    return make_user("ctrl", "controller", is_staff=True)


@pytest.fixture
def hr_user(db):
    return make_user("hrp", "hr")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-root")


@pytest.fixture
def accounts(db):
    call_command("import_accounts", str(ROOT / "fixtures" / "konton.csv"), stdout=None)


@pytest.fixture
def org(db, tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(ORG_CSV, encoding="utf-8")
    call_command("import_org", str(path))


@pytest.fixture
def registers(accounts, org):
    """The default account mapping and a five-unit organisation in three areas."""

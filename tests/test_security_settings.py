"""The secret key a deployment may start with, login throttling per user name, and
the client address behind a proxy (hyrdash/settings.py, hyrdash/client_ip.py).

Settings as a deployment sees them run in a fresh process, as in tests/test_settings.py;
the throttling runs through the login form in this process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from hyrdash.client_ip import client_ip
from tests.conftest import make_user
from tests.test_settings import PROJECT_ROOT, SETTINGS_VARIABLES

# Read by hyrdash/settings.py too; tests/test_settings.py does not list them.
MORE_VARIABLES = ("TRUSTED_PROXIES", "LOGIN_FAILURE_LIMIT", "LOGIN_COOLOFF_MINUTES")


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python <args>`` in a fresh process with only ``env`` of the settings' variables."""
    environ = {
        k: v for k, v in os.environ.items() if k not in (*SETTINGS_VARIABLES, *MORE_VARIABLES)
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def compose_fallback_secret_key() -> str:
    text = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    match = re.search(r"SECRET_KEY:\s*\$\{SECRET_KEY:-([^}]*)\}", text)
    assert match, "docker-compose.yml no longer has a SECRET_KEY fallback: update this test"
    return match.group(1)


# --- the secret key --------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(compose_fallback_secret_key(), id="compose-fallback"),
        pytest.param("change-me", id="change-me"),
        pytest.param("changeme", id="changeme"),
        pytest.param("CHANGE-ME", id="upper-case"),
        pytest.param("insecure-development-key-only-used-with-debug", id="development-key"),
    ],
)
def test_a_placeholder_secret_key_stops_a_start_with_debug_off(key):
    result = run("manage.py", "check", SECRET_KEY=key, DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is a published placeholder" in result.stderr


def test_a_django_insecure_key_stops_a_start_without_showing_the_key():
    key = "django-insecure-" + secrets.token_urlsafe(50)  # long enough, but Django's placeholder
    result = run("manage.py", "check", SECRET_KEY=key, DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is a published placeholder" in result.stderr
    assert key not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(secrets.token_urlsafe(50)[:49], id="49-characters"),
        pytest.param("ab" * 40, id="two-distinct-characters"),
    ],
)
def test_a_short_or_repetitive_secret_key_stops_a_start(key):
    result = run("manage.py", "check", SECRET_KEY=key, DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr
    assert key not in result.stderr + result.stdout


def test_a_random_key_of_50_characters_starts():
    result = run("manage.py", "check", SECRET_KEY=secrets.token_urlsafe(50)[:50], DEBUG="0")

    assert result.returncode == 0, result.stderr


def test_debug_mode_accepts_the_placeholder():
    # Local development (DEBUG=1) keeps working with the compose fallback.
    result = run("manage.py", "check", SECRET_KEY=compose_fallback_secret_key(), DEBUG="1")

    assert result.returncode == 0, result.stderr


# --- throttling and proxy settings as a deployment sees them -----------------------------

PRINT_AXES = """
import json
from django.conf import settings
names = [
    "AXES_LOCKOUT_PARAMETERS", "AXES_FAILURE_LIMIT", "AXES_CLIENT_IP_CALLABLE",
    "AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT", "TRUSTED_PROXIES",
]
values = {name: getattr(settings, name) for name in names}
values["cooloff_minutes"] = settings.AXES_COOLOFF_TIME.total_seconds() / 60
print(json.dumps(values))
"""


def production_settings(**env: str) -> subprocess.CompletedProcess[str]:
    return run(
        "-c",
        PRINT_AXES,
        DJANGO_SETTINGS_MODULE="hyrdash.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        **env,
    )


def test_production_locks_per_user_name_with_a_cooloff_and_reads_only_remote_addr():
    result = production_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)

    assert values["AXES_LOCKOUT_PARAMETERS"] == ["username"]
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["cooloff_minutes"] == 15
    assert values["AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT"] is False
    assert values["AXES_CLIENT_IP_CALLABLE"] == "hyrdash.client_ip.client_ip"
    assert values["TRUSTED_PROXIES"] == []


def test_limit_cooloff_and_proxies_come_from_the_environment():
    result = production_settings(
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_COOLOFF_MINUTES="30",
        TRUSTED_PROXIES="10.0.0.5, 172.18.0.0/16 ,::1",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)

    assert values["AXES_FAILURE_LIMIT"] == 8
    assert values["cooloff_minutes"] == 30
    assert values["TRUSTED_PROXIES"] == ["10.0.0.5", "172.18.0.0/16", "::1"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRUSTED_PROXIES": "10.0.0.5,proxy.example.se"}, "TRUSTED_PROXIES must list IP"),
        ({"LOGIN_FAILURE_LIMIT": "0"}, "must be at least 1"),
        ({"LOGIN_COOLOFF_MINUTES": "0"}, "must be at least 1"),
    ],
)
def test_bad_throttling_or_proxy_settings_stop_a_start(env, message):
    result = production_settings(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


# --- login throttling through the login form ---------------------------------------------


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def logs_in(client, username, **meta) -> bool:
    response = login(client, username, "pw-" + username, **meta)
    ok = response.status_code == 302 and "_auth_user_id" in client.session
    client.logout()
    return ok


def locked(client, username, **meta) -> bool:
    """The right password is refused with the lockout page."""
    response = login(client, username, "pw-" + username, **meta)
    return response.status_code == 429 and "_auth_user_id" not in client.session


LIMIT = django_settings.AXES_FAILURE_LIMIT
COOLOFF = django_settings.AXES_COOLOFF_TIME


def test_the_test_settings_are_the_production_defaults():
    assert django_settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert LIMIT == 5
    assert COOLOFF.total_seconds() == 15 * 60


def test_a_spray_from_one_address_locks_no_user_below_the_limit_and_not_the_address(
    client, db, fast_passwords
):
    names = [f"user{i}" for i in range(10)]
    for name in names:
        make_user(name)

    # One address tries LIMIT - 1 passwords on each of ten users: 40 failures.
    for name in names:
        for attempt in range(LIMIT - 1):
            assert login(client, name, f"guess-{attempt}").status_code == 200

    # No user name is locked, and neither is the address.
    for name in names:
        assert logs_in(client, name), name
    assert not AccessAttempt.objects.exists()  # each login reset its user's count


def test_a_spray_locks_each_user_name_once_it_reaches_the_limit(client, db, fast_passwords):
    names = [f"user{i}" for i in range(4)]
    for name in names:
        make_user(name)
    make_user("bystander")

    for attempt in range(LIMIT):
        for name in names:
            login(client, name, f"guess-{attempt}")

    for name in names:
        assert locked(client, name), name
    # The address that sprayed is not locked: another user logs in from it.
    assert logs_in(client, "bystander")


def test_failures_from_many_addresses_add_up_for_one_user_name(client, db, fast_passwords):
    make_user("styr")
    for i in range(LIMIT):
        login(client, "styr", "fel", REMOTE_ADDR=f"198.51.100.{i + 1}")

    assert locked(client, "styr", REMOTE_ADDR="198.51.100.200")


def test_locking_user_a_from_address_x_leaves_user_b_alone(client, db, fast_passwords):
    make_user("a")
    make_user("b")
    x, y = "192.0.2.10", "192.0.2.20"

    for _ in range(LIMIT):
        login(client, "a", "fel", REMOTE_ADDR=x)

    assert locked(client, "a", REMOTE_ADDR=x)
    assert locked(client, "a", REMOTE_ADDR=y)  # the user name is locked, from anywhere
    assert logs_in(client, "b", REMOTE_ADDR=x)
    assert logs_in(client, "b", REMOTE_ADDR=y)


def age_attempts(delta: dt.timedelta) -> None:
    """Move every recorded failure ``delta`` into the past."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


def test_the_lock_ends_after_the_cooloff(client, db, fast_passwords):
    make_user("styr")
    for _ in range(LIMIT):
        login(client, "styr", "fel")
    assert locked(client, "styr")

    age_attempts(COOLOFF - dt.timedelta(minutes=1))
    assert locked(client, "styr")  # a minute left

    age_attempts(dt.timedelta(minutes=2))
    assert logs_in(client, "styr")


def test_tries_during_the_lock_do_not_extend_it(client, db, fast_passwords):
    make_user("styr")
    for _ in range(LIMIT):
        login(client, "styr", "fel")

    age_attempts(COOLOFF - dt.timedelta(minutes=5))
    for _ in range(3):
        assert login(client, "styr", "fel").status_code == 429
    assert locked(client, "styr")

    age_attempts(dt.timedelta(minutes=6))  # the cool-off since the lock has passed
    assert logs_in(client, "styr")


# --- the client address ----------------------------------------------------------------

PROXY = "10.0.0.2"
CLIENT = "203.0.113.9"


def recorded_address(client, **meta) -> str:
    AccessAttempt.objects.all().delete()
    login(client, "nobody", "fel", **meta)
    return AccessAttempt.objects.get().ip_address


def test_x_forwarded_for_is_ignored_without_trusted_proxies(client, db, settings):
    settings.TRUSTED_PROXIES = []

    address = recorded_address(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)

    assert address == PROXY


def test_x_forwarded_for_is_used_through_a_trusted_proxy(client, db, settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert recorded_address(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT) == CLIENT
    # A client's own X-Forwarded-For sits left of what the proxy appended: ignored.
    spoofed = f"198.51.100.66, {CLIENT}"
    assert recorded_address(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=spoofed) == CLIENT
    # Not from the proxy: the header is the sender's own word.
    assert recorded_address(client, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR="192.0.2.1") == CLIENT


def address(settings, remote: str | None, forwarded: str | None = None) -> str | None:
    meta = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return client_ip(request)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # No trusted proxies: REMOTE_ADDR, whatever the header says.
        ([], PROXY, CLIENT, PROXY),
        ([], PROXY, None, PROXY),
        # From a trusted proxy, without the header: the proxy itself.
        ([PROXY], PROXY, None, PROXY),
        ([PROXY], PROXY, " , ", PROXY),
        # Two proxies in a chain (outer 10.0.0.7 appended the client, inner 10.0.0.2 the outer).
        (["10.0.0.0/24"], PROXY, f"{CLIENT}, 10.0.0.7", CLIENT),
        (["10.0.0.0/24"], PROXY, f"6.6.6.6, {CLIENT}, 10.0.0.7", CLIENT),
        # Only one of the two is trusted: the outer one is as good as a client.
        ([PROXY], PROXY, f"{CLIENT}, 10.0.0.7", "10.0.0.7"),
        # Every entry a trusted proxy: the left-most.
        (["10.0.0.0/24"], PROXY, "10.0.0.9, 10.0.0.7", "10.0.0.9"),
        # Garbage where the client should be: the proxy's address, never the garbage.
        ([PROXY], PROXY, "not-an-address", PROXY),
        ([PROXY], PROXY, f"{CLIENT}, 1.2.3.4:5678", PROXY),
        # IPv6.
        (["fd00::/8"], "fd00::2", "2001:db8::1", "2001:db8::1"),
        (["fd00::/8"], PROXY, "2001:db8::1", PROXY),
        # No REMOTE_ADDR at all.
        ([PROXY], None, CLIENT, None),
    ],
)
def test_client_ip(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted

    assert address(settings, remote, forwarded) == expected


@pytest.mark.parametrize("value", ["9", "5", "0"])
def test_a_sick_leave_limit_under_the_law_stops_a_start(value):
    """ÅRL 5 kap. 18 a §: no figure for a group of at most ten; a region may hide more."""
    result = production_settings(SICK_LEAVE_MAX_HIDDEN_GROUP=value)

    assert result.returncode != 0
    assert "SICK_LEAVE_MAX_HIDDEN_GROUP must be at least 10" in result.stderr


def test_a_sick_leave_limit_of_twelve_starts():
    assert production_settings(SICK_LEAVE_MAX_HIDDEN_GROUP="12").returncode == 0

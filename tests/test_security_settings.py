"""The secret key a deployment may start with (hyrdash/settings.py).

Settings as a deployment sees them run in a fresh process, as in tests/test_settings.py.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest

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

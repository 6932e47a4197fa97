"""Settings as a deployment sees them: `manage.py check` in a fresh process.

The test suite itself runs with DEBUG=1; these tests start `manage.py` with a
clean environment so they see the production defaults.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Everything hyrdash/settings.py reads: removed so each test sets what it needs.
SETTINGS_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "UPLOAD_MAX_BYTES",
    "LOG_LEVEL",
    "DB_CONN_MAX_AGE",
    "STATIC_ROOT",
)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = manage("check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_refuses_to_start_with_empty_secret_key():
    result = manage("check", SECRET_KEY="", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_mode_starts_without_secret_key():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_with_production_defaults():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_invalid_boolean_is_refused():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_static_files_collect_without_missing_references(tmp_path):
    # The manifest storage fails on a reference to a missing file (a source map, a font).
    result = manage(
        "collectstatic",
        "--noinput",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        STATIC_ROOT=str(tmp_path / "static"),
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_gunicorn_workers_take_the_switch_interval(monkeypatch):
    """hyrdash/gunicorn_conf.py (the image's and the benchmarks' gunicorn settings) sets
    the interpreter's switch interval in each worker it forks, and freezes what the worker
    holds once the site is loaded."""
    import gc  # noqa: PLC0415
    import importlib  # noqa: PLC0415

    monkeypatch.setenv("GIL_SWITCH_INTERVAL", "0.002")
    from hyrdash import gunicorn_conf  # noqa: PLC0415

    conf = importlib.reload(gunicorn_conf)
    assert (conf.worker_class, conf.workers, conf.threads) == ("gthread", 3, 4)
    before = sys.getswitchinterval()
    try:
        conf.post_fork(server=None, worker=None)
        assert abs(sys.getswitchinterval() - 0.002) < 1e-9
        conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        sys.setswitchinterval(before)
        gc.unfreeze()

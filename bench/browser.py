"""Benchmark: time to the first and to every drawn chart in Chromium, on the demo region.

    .venv/bin/python bench/browser.py                    # a scratch SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/browser.py

Steps:

1. A scratch database: SQLite in a temporary folder, or, when DATABASE_URL names a
   PostgreSQL server, `hyrdash_bench_browser` there (created, dropped at the end). It
   is migrated and filled by `manage.py load_demo` (the demo region through the real
   import commands: costs since 2021, sick leave, two survey years, the demo users).
2. `collectstatic` and gunicorn with the production settings, as bench/load.py starts
   it (`--workers`, `--threads`), a fresh file cache for the page cache.
3. Debian's Chromium (/usr/bin/chromium, headless, driven by playwright; never
   `playwright install`) at 1280 x 900, logged in as the steering group's demo user
   through the login form. For the cost dashboard, sick leave and the survey, `--reps`
   times each:
   - cold: the data version raised first, as a change of another subject's data or of
     a register does (a comment, a mapping, a target), and a new browser context (an
     empty browser cache: Plotly and the stylesheets are fetched again), the session
     cookie kept. The survey computes everything again (its pages are kept per data
     version); the dashboard and sick leave read their data again and find their
     charts kept under a digest of what they are computed from (kpis.costs.cached,
     kpis.sick_leave.cached);
   - "changed": the page's own data changed first. The dashboard: a comment on the
     newest month's agency-cost chart saved anew, so its charts are computed again.
     Sick leave: the administration's sick-leave target of the newest year edited, as in
     the admin: the data read and the charts computed again; the cells with their
     disclosure decisions are kept, as they do not depend on targets (a move of units
     computes those too: about 0.1 s more, plus a decision for each month whose figures
     the move restated);
   - warm: the same page again in that context (the server's page cache and the
     browser's cache both warm).
   Before each cold load the bench waits `--settle` seconds (1) after closing the last
   context: Chromium tearing down one page's processes while the next is computed took
   the server's second core (a cold sick-leave page's first byte: 422 ms in Chromium,
   285 ms from curl, session 9).
   Each load waits for the "charts-all-drawn" mark of static/js/charts.js and reads,
   from the Performance API, relative to the start of the navigation: the first byte of
   the page, DOMContentLoaded, the first "chart-drawn" mark and "charts-all-drawn"; and
   from gunicorn's access log the page's time on the server.
4. Medians per page and state, and the goals of issue 17: the first chart drawn in
   under 1 s, every chart in under 2 s.

No timing is asserted anywhere; the figures are printed (bench/RESULTS.md keeps them).
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scratch  # noqa: E402
from load import Server, _load  # noqa: E402 - gunicorn as bench/load.py runs it

# BENCH_SCRATCH_DB: another name (hyrdash_bench...), when two people run it on one server
SCRATCH_DB = os.environ.get("BENCH_SCRATCH_DB", "hyrdash_bench_browser")
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}
USER = "styrgrupp"  # load_demo's steering-group user
# (label, path, what makes the page cold)
PAGES = [
    ("dashboard", "/", "version"),
    ("dashboard", "/", "its data"),
    ("sick leave", "/sjukfranvaro/", "version"),
    ("sick leave", "/sjukfranvaro/", "its data"),
    ("survey", "/medarbetarundersokning/", "version"),
]
FIRST_GOAL_MS = 1000
ALL_GOAL_MS = 2000
TIMEOUT_MS = 60_000

# What the page's Performance API says, in ms from the start of the navigation.
MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const first = performance.getEntriesByName("chart-drawn")[0];
  const all = performance.getEntriesByName("charts-all-drawn")[0];
  return {
    ttfb: nav.responseStart,
    dom: nav.domContentLoadedEventEnd,
    first: first ? first.startTime : null,
    all: all ? all.startTime : null,
    charts: performance.getEntriesByName("chart-drawn").length,
    containers: document.querySelectorAll("[data-figure]").length,
  };
}"""
ALL_DRAWN = "() => performance.getEntriesByName('charts-all-drawn').length > 0"

# For a charts.js without the marks (--charts-js, an earlier version): when each chart
# container first got data-drawn, seen by a MutationObserver installed before the page.
WATCH = """(() => {
  const seen = new Set();
  window.__drawn = {first: null, all: null};
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      if (r.target.dataset && r.target.dataset.drawn && !seen.has(r.target)) {
        seen.add(r.target);
        if (window.__drawn.first === null) window.__drawn.first = now;
      }
    }
    const all = document.querySelectorAll("[data-figure]").length;
    if (all && seen.size === all && window.__drawn.all === null) window.__drawn.all = now;
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-drawn"]});
})();"""
WATCHED = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    ttfb: nav.responseStart, dom: nav.domContentLoadedEventEnd,
    first: window.__drawn.first, all: window.__drawn.all,
    charts: document.querySelectorAll("[data-figure][data-drawn]").length,
    containers: document.querySelectorAll("[data-figure]").length,
  };
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reps", type=int, default=5, help="cold and warm loads per page (5)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--settle",
        type=float,
        default=1.0,
        help="seconds to wait after closing a browser context, before the next cold load (1)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per worker; above 1 gthread, as the Docker image runs (4; 1: sync)",
    )
    parser.add_argument(
        "--keep-alive", type=int, default=None, help="gunicorn's --keep-alive (gthread)"
    )
    parser.add_argument(
        "--small", action="store_true", help="load_demo --small (a few units, 15 months)"
    )
    parser.add_argument(
        "--charts-js",
        type=Path,
        help="serve this file as static/js/charts.js (an earlier version, to compare); its "
        "charts are timed by when they get data-drawn, as it has no marks",
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing; `make browser-deps` installs it.", file=sys.stderr)
        return 2

    signal.signal(signal.SIGTERM, _interrupt)
    work = Path(tempfile.mkdtemp(prefix="hyrdash-browser-"))
    admin_url = os.environ.get("DATABASE_URL", "")
    postgres = urlsplit(admin_url).scheme in {"postgres", "postgresql", "pgsql"}
    database_url = (
        scratch.url_for(admin_url, SCRATCH_DB) if postgres else f"sqlite:///{work / 'demo.sqlite3'}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hyrdash.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(work / "static"),
        "CACHE_URL": f"file://{work / 'cache'}",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    server = None
    created = False
    try:
        if postgres:
            scratch.create(admin_url, SCRATCH_DB)
            created = True
        print(
            f"hyrdash browser benchmark: {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {_chromium_version()}, database "
            f"{'PostgreSQL ' + SCRATCH_DB if postgres else 'SQLite (scratch file)'}"
        )
        print(f"load average at the start: {_load()}")
        prepare(env, small=args.small)
        os.environ.update(env)  # this process raises the data version in the same database
        # Playwright's sync API keeps an asyncio loop running on this thread; the ORM
        # calls here are synchronous all the same (not the server's setting).
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        server = Server(args.workers, args.threads, env, work / "gunicorn.log", args.keep_alive)
        server.start()
        return measure(args, server)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if server is not None:
            server.stop()
        if created:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            scratch.drop(admin_url, SCRATCH_DB)
        shutil.rmtree(work, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _chromium_version() -> str:
    try:
        return subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "Chromium"


def manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, timeout=1800
    )


def prepare(env: dict[str, str], *, small: bool) -> None:
    start = time.perf_counter()
    manage(env, "migrate", "--verbosity", "0")
    # --force: the server's settings are production's (DEBUG off); the database is scratch.
    demo = ["load_demo", "--force", *(["--small"] if small else [])]
    subprocess.run(
        [sys.executable, "manage.py", *demo],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=1800,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"migrated and load_demo{' --small' if small else ''} in {time.perf_counter() - start:.0f} s"
    )
    start = time.perf_counter()
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    print(f"collectstatic in {time.perf_counter() - start:.0f} s")


def measure(args, server: Server) -> int:
    from playwright.sync_api import sync_playwright

    from kpis import data_version
    from kpis.management.commands.load_demo import demo_password

    results: dict[tuple[str, str], list[dict]] = {}
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
        )
        try:
            # Log in once; each cold context starts with the session cookie only.
            context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
            page = context.new_page()
            page.goto(server.base + "/konto/inloggning/")
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", demo_password(USER))
            with page.expect_navigation():
                page.get_by_role("button", name="Logga in").click()
            state = context.storage_state()
            context.close()
            if not any(c["name"] == "sessionid" for c in state["cookies"]):
                print(f"could not log in as {USER}", file=sys.stderr)
                return 1

            print(
                f"Chromium at {VIEWPORT['width']} x {VIEWPORT['height']}, user {USER}; "
                f"{args.reps} cold and warm loads per page, interleaved, {args.settle:g} s "
                "settling before each cold one"
                + (
                    f"; charts.js replaced by {args.charts_js}, timed by data-drawn"
                    if args.charts_js
                    else ""
                )
            )
            for rep in range(args.reps):
                for label, path, change in PAGES:
                    time.sleep(args.settle)
                    if change == "version":
                        data_version.data_changed()  # as a change elsewhere does
                    elif path == "/":
                        new_comment(rep)
                    else:
                        new_sick_leave_target(rep)
                    context = browser.new_context(
                        viewport=VIEWPORT, locale="sv-SE", storage_state=state
                    )
                    context.set_default_timeout(TIMEOUT_MS)
                    page = context.new_page()
                    if args.charts_js:
                        page.add_init_script(WATCH)
                        page.route("**/static/js/charts.*js", serve(args.charts_js))
                    errors: list[str] = []
                    page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
                    for state_name in ("cold" if change == "version" else "changed", "warm"):
                        logged = server.access_log.stat().st_size
                        figures = load(page, server.base + path, watched=bool(args.charts_js))
                        figures["server"] = server_ms(server.access_log, logged, path)
                        if change != "version" and state_name == "warm":
                            continue  # the same as the other warm sick-leave loads
                        results.setdefault((label, state_name), []).append(figures)
                        if figures["charts"] != figures["containers"] or not figures["all"]:
                            problems.append(f"{label} {state_name}: {figures}")
                    if errors:
                        problems.append(f"{label}: script errors {errors[:3]}")
                    context.close()
        finally:
            browser.close()

    report(results)
    print(f"load average at the end: {_load()}")
    if problems:
        print("PROBLEMS:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    return 0


def server_ms(access_log: Path, offset: int, path: str) -> float:
    """The page's time on the server (gunicorn's access log, bench/load.py's format: its
    first line for `path` written after `offset`), in ms."""
    with access_log.open() as log:
        log.seek(offset)
        for line in log:
            method, logged_path, status, micros, *_rest = line.split()
            if method == "GET" and logged_path == path and status == "200":
                return int(micros) / 1000
    raise SystemExit(f"{path}: not in gunicorn's access log")


def new_comment(rep: int) -> None:
    """A controller's comment on the newest month's agency-cost chart saved anew (as the
    dashboard's form does): the page's charts are computed again."""
    from kpis.batches import months_with_data
    from kpis.costs.services import commentary_save
    from kpis.models import ImportBatch

    month = months_with_data(kind=ImportBatch.Kind.ACTUALS)[-1]
    commentary_save(
        period=month.to_timestamp().date(), chart="agency-ytd", text=f"Kommentar {rep + 1}."
    )


def new_sick_leave_target(rep: int) -> None:
    """The administration's sick-leave target of the newest year with sick leave set
    anew (a model save, as in the admin: the data version rises and the sick-leave
    data differ), another value each time."""
    from kpis.batches import months_with_data
    from kpis.models import ImportBatch, Target

    year = months_with_data(kind=ImportBatch.Kind.SICK_LEAVE)[-1].year
    target, _created = Target.objects.get_or_create(
        measure=Target.Measure.SICK_LEAVE, year=year, scope_kind=Target.ScopeKind.HSF
    )
    target.pct = Decimal("6.00") + Decimal(rep + 1) / 100
    target.save()


def load(page, url: str, *, watched: bool = False) -> dict:
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise SystemExit(f"{url}: HTTP {response and response.status}")
    if watched:
        page.wait_for_function("() => window.__drawn.all !== null")
        return page.evaluate(WATCHED)
    page.wait_for_function(ALL_DRAWN)
    return page.evaluate(MEASURE)


def serve(path: Path):
    body = path.read_bytes()

    def fulfil(route):
        route.fulfill(status=200, body=body, content_type="text/javascript; charset=utf-8")

    return fulfil


def report(results: dict[tuple[str, str], list[dict]]) -> None:
    def median(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    def spread(rows: list[dict], key: str) -> str:
        values = [r[key] for r in rows]
        return f"{min(values):,.0f}-{max(values):,.0f}"

    print()
    print("ms from the start of the navigation, median (min-max):")
    print(
        f"  {'page':<12} {'':<7} {'charts':>6} {'server':>7} {'first byte':>11} {'DOM ready':>10} "
        f"{'first chart':>20} {'all charts':>20}"
    )
    goals = []
    for (label, state), rows in results.items():
        print(
            f"  {label:<12} {state:<7} {rows[0]['charts']:>6} {median(rows, 'server'):>7,.0f} "
            f"{median(rows, 'ttfb'):>11,.0f} "
            f"{median(rows, 'dom'):>10,.0f} "
            f"{median(rows, 'first'):>7,.0f} ({spread(rows, 'first'):>11}) "
            f"{median(rows, 'all'):>7,.0f} ({spread(rows, 'all'):>11})"
        )
        first, every = median(rows, "first"), median(rows, "all")
        goals.append(
            f"{label} {state}: first {first:,.0f} ms "
            f"{'met' if first < FIRST_GOAL_MS else 'MISSED'}, all {every:,.0f} ms "
            f"{'met' if every < ALL_GOAL_MS else 'MISSED'}"
        )
    print(
        f"goals (issue 17, medians): first chart under {FIRST_GOAL_MS:,} ms, every chart "
        f"under {ALL_GOAL_MS:,} ms"
    )
    for goal in goals:
        print(f"  {goal}")


if __name__ == "__main__":
    sys.exit(main())

"""Load test: gunicorn with the production settings, 20 dashboard users and an uploading controller.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/load.py [--seconds 60] [--users 20]

The database in DATABASE_URL is only used to (re)create a scratch database,
`hyrdash_bench_load`, which is migrated, filled and dropped at the end; no real
data is touched. SQLite is refused. Steps:

1. The benchmark data of bench/dashboard.py, through the real services (its
   `load`): 2,000 units in 100 departments across 6 areas, the 30-account
   mapping, the national comparison, 60 months of actuals (1,000,000 ledger
   rows by default, `--rows`), a budget, months closed but the last one.
2. `--users` users in the `styrgrupp` group and one in `controller`, each
   with its own user name (django-axes counts failures per user name and
   address, and there are none).
3. `collectstatic` into a temporary STATIC_ROOT (WhiteNoise's manifest
   storage), then gunicorn, as the Docker image runs it (`hyrdash.wsgi`, 3
   sync workers: `--workers`; `--threads N` for gthread workers instead),
   bound to 127.0.0.1 on a free port, with the
   production settings: DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   DATABASE_URL to the scratch database; only SECURE_SSL_REDIRECT=0 and
   SECURE_COOKIES=0, since the run speaks plain HTTP on the loopback.
4. Every simulated user logs in once through the login form (CSRF token
   included), before the clock starts; a few dashboard pages warm the
   workers up; then one user alone times the page and the static file (the
   server's figures without the crowd). None of this is counted in step 6.
5. For `--seconds`: each dashboard user in a loop opens the dashboard for a
   random scope (hsf, a care type, an area) and a random month, downloads
   one of the charts' CSV after one page in five, and thinks for a random
   0..2x`--think` seconds. The controller meanwhile uploads a generated
   extract (`--upload-rows` rows of a new month, a different month each time
   so no upload is identical to an earlier one) through the two steps of
   /importera/: form, check (POST), summary page, confirm (POST), imports
   list. One more client fetches a static file (css/hyrdash.css under its
   hashed name from the manifest) every 0.25 s, to compare the dashboard's
   latency with what the same server answers a trivial request in the same
   minute.
6. Requests per second, median and p95 latency per kind of request, errors
   (a status outside 2xx/3xx, an exception, or a response that is not what
   the step expects: a dashboard without its charts, a CSV that is not CSV,
   an upload that does not lead to its summary), the ratio of the dashboard's
   p95 to the static file's p95, and a check that every confirmed upload is
   stored.

gunicorn is stopped and the scratch database and static folder are removed at
the end, on failure or Ctrl-C too (`--keep-db` keeps the database).
Goal (issue 4): 0 errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The dashboard benchmark's data (registers, 60 months of actuals, budget, closed months)
# and extract writer; the import benchmark's month labels.
import dashboard as dashboard_bench  # noqa: E402
import scratch  # noqa: E402
from import_costs import month_labels  # noqa: E402

SCRATCH_DB = "hyrdash_bench_load"
PASSWORD = "Lasttest-" + secrets.token_urlsafe(12)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM_RE = re.compile(r"/importera/(\d+)/bekrafta/$")
DASHBOARD_MARK = 'id="fig-skr-measure"'
CSV_SHARE = 0.2
STATIC_PAUSE = 0.25
TIMEOUT = 120  # seconds a client waits for one response

# Kinds of request, in the order they are printed.
KINDS = [
    ("dashboard", "dashboard page  GET /?urval=..&manad=.."),
    ("csv", "CSV download    GET /csv/<serie>/?.."),
    ("upload_form", "upload 1: form  GET /importera/"),
    ("upload_check", "upload 2: check POST /importera/"),
    ("upload_summary", "upload 3: summary GET /importera/<id>/bekrafta/"),
    ("upload_confirm", "upload 4: confirm POST /importera/<id>/bekrafta/"),
    ("upload_list", "upload 5: imports GET /importer/"),
    ("static", "static file     GET /static/css/hyrdash.<hash>.css"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the run (60)")
    parser.add_argument("--users", type=int, default=20, help="concurrent dashboard users (20)")
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean think time in seconds between a user's pages, uniform in 0..2x (2)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker; above 1 the gthread worker class (1: sync, as the "
        "Docker image runs)",
    )
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=None,
        help="gunicorn's --keep-alive seconds for gthread workers (gunicorn's default: 2; 0 "
        "closes each connection after its answer)",
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="ledger rows of actuals loaded (1,000,000)"
    )
    parser.add_argument(
        "--upload-rows", type=int, default=5_000, help="rows of each uploaded extract (5,000)"
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--keep-db", action="store_true", help=f"keep {SCRATCH_DB} afterwards")
    args = parser.parse_args()

    admin_url = os.environ.get("DATABASE_URL", "")
    if not scratch.postgres_url_or_help(admin_url, "load.py", SCRATCH_DB):
        return 2

    # SIGTERM as Ctrl-C: the finally blocks stop gunicorn and drop the database.
    signal.signal(signal.SIGTERM, _interrupt)

    work = Path(tempfile.mkdtemp(prefix="hyrdash-load-"))  # STATIC_ROOT and gunicorn's log
    static_root = work / "static"
    scratch_url = scratch.url_for(admin_url, SCRATCH_DB)
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hyrdash.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": scratch_url,
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",  # no line per login from django-axes
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(server_env)  # the same settings in this process (loading, collectstatic)
    server = None
    created = False
    try:
        scratch.create(admin_url, SCRATCH_DB)
        created = True
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        import logging

        logging.getLogger("axes").setLevel(logging.WARNING)
        setup = prepare(args, static_root)
        server = Server(
            args.workers, args.threads, server_env, work / "gunicorn.log", args.keep_alive
        )
        server.start()
        return run(args, setup, server)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if server is not None:
            server.stop()
        if created:
            from django.db import connections

            connections.close_all()
            if not args.keep_db:
                scratch.drop(admin_url, SCRATCH_DB)
        shutil.rmtree(work, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


# --- the scratch database -----------------------------------------------------------


# --- data, users, static files --------------------------------------------------------


class Setup:
    def __init__(self):
        self.scopes: list[str] = []
        self.months: list[str] = []
        self.users: list[str] = []
        self.controller = ""
        self.static_path = ""
        self.facts: dict[str, object] = {}


def prepare(args, static_root: Path) -> Setup:
    import pandas as pd
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from kpis import roles
    from kpis.models import Area, ImportBatch, LedgerRow
    from kpis.organisation.selectors import DASHBOARD_CARE_TYPES

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    print(
        f"hyrdash load test, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, pandas {pd.__version__}, "
        f"PostgreSQL {server_version.split()[0]}, database {SCRATCH_DB}"
    )
    print(f"load average at the start: {_load()}")

    print(f"loading the benchmark data of bench/dashboard.py ({args.rows:,} ledger rows):")
    start = time.perf_counter()
    dashboard_bench.load(dashboard_bench.DataSet("load", args.rows, SCRATCH_DB))
    print(f"  loaded in {time.perf_counter() - start:.0f} s")

    # One password hash for all: the server still checks it at every login.
    hashed = make_password(PASSWORD)
    setup = Setup()
    setup.users = [f"last-styrgrupp-{i:02d}" for i in range(1, args.users + 1)]
    setup.controller = "last-controller"
    User.objects.bulk_create(
        [User(username=name, password=hashed) for name in [*setup.users, setup.controller]]
    )
    Group.objects.get(name=roles.STYRGRUPP).user_set.add(
        *User.objects.filter(username__in=setup.users)
    )
    Group.objects.get(name=roles.CONTROLLER).user_set.add(
        User.objects.get(username=setup.controller)
    )

    setup.scopes = [
        "hsf",
        *(f"care:{c.value}" for c in DASHBOARD_CARE_TYPES),
        *(f"area:{name}" for name in Area.objects.order_by("name").values_list("name", flat=True)),
    ]
    setup.months = month_labels(dashboard_bench.MONTHS, dashboard_bench.FIRST_MONTH)
    setup.facts = {
        "ledger": LedgerRow.objects.count(),
        "batches": dict(
            ImportBatch.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
        ),
    }

    start = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    setup.static_path = "/static/" + staticfiles_storage.stored_name("css/hyrdash.css")
    print(
        f"collectstatic into {static_root} in {time.perf_counter() - start:.1f} s "
        f"({sum(1 for p in static_root.rglob('*') if p.is_file())} files)"
    )
    connection.close()
    return setup


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


# --- gunicorn -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own session (process group), its output in a log file."""

    def __init__(
        self,
        workers: int,
        threads: int,
        env: dict[str, str],
        log: Path,
        keep_alive: int | None = None,
    ):
        self.workers, self.threads, self.env, self.log = workers, threads, env, log
        self.keep_alive = keep_alive
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import requests

        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "hyrdash.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            *(["--worker-class", "sync"] if self.threads == 1 else []),
            *(
                ["--worker-class", "gthread", "--threads", str(self.threads)]
                if self.threads > 1
                else []
            ),
            *(["--keep-alive", str(self.keep_alive)] if self.keep_alive is not None else []),
            "--chdir",
            str(ROOT),
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        kind = "sync" if self.threads == 1 else f"gthread x {self.threads} threads"
        if self.keep_alive is not None:
            kind += f", keep-alive {self.keep_alive} s"
        print(f"gunicorn: {self.workers} {kind} workers on {self.base} (pid {self.process.pid})")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if requests.get(self.base + "/konto/inloggning/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 60 s:\n{self.tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the master stops its workers gracefully
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session, started here
            self.process.wait(timeout=10)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.text().splitlines()[-lines:])


# --- the clients ------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.done: list[float] = []  # perf_counter when each response was complete
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []
        self.uploads_confirmed = 0

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.done.append(time.perf_counter())
            if error:
                self.errors[kind] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {error}")


class Client:
    """One simulated person: a requests session (cookies), timed requests."""

    def __init__(self, base: str, stats: Stats):
        import requests

        self.base, self.stats = base, stats
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "hyrdash-bench-load"

    def request(self, kind: str, method: str, path: str, check, **kwargs):
        """A timed request without following redirects; `check(response)` returns an error
        text or None. Returns the response, or None after an exception."""
        start = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, allow_redirects=False, timeout=TIMEOUT, **kwargs
            )
            response.content  # noqa: B018 - the body is part of the time
        except Exception as exc:  # noqa: BLE001 - every failure counts as an error
            self.stats.add(kind, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
            return None
        seconds = time.perf_counter() - start
        error = None
        if not 200 <= response.status_code < 400:
            error = f"{method} {path}: HTTP {response.status_code}"
        else:
            problem = check(response)
            if problem:
                error = f"{method} {path}: HTTP {response.status_code}, {problem}"
        self.stats.add(kind, seconds, error)
        return response

    def login(self, username: str) -> str | None:
        """Log in through the form; an error text, or None."""
        try:
            page = self.session.get(self.base + "/konto/inloggning/", timeout=TIMEOUT)
            token = CSRF_RE.search(page.text)
            if page.status_code != 200 or token is None:
                return f"login form: HTTP {page.status_code}"
            response = self.session.post(
                self.base + "/konto/inloggning/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "username": username,
                    "password": PASSWORD,
                    "next": "",
                },
                allow_redirects=False,
                timeout=TIMEOUT,
            )
        except Exception as exc:  # noqa: BLE001
            return f"login: {type(exc).__name__}: {exc}"
        if response.status_code != 302 or "sessionid" not in self.session.cookies:
            return f"login as {username}: HTTP {response.status_code}, not logged in"
        return None


def expect_status(code: int, marker: str | None = None, location=None):
    def check(response):
        if response.status_code != code:
            return f"expected HTTP {code}"
        if marker is not None and marker not in response.text:
            return f"{marker!r} missing from the page"
        if location is not None and not location(response.headers.get("Location", "")):
            return f"redirected to {response.headers.get('Location')!r}"
        return None

    return check


def expect_csv(response):
    if response.status_code != 200:
        return "expected HTTP 200"
    if not response.headers.get("Content-Type", "").startswith("text/csv"):
        return f"Content-Type {response.headers.get('Content-Type')!r}"
    if not response.content.startswith("\ufeff".encode()):
        return "no BOM at the start of the CSV"
    return None


def dashboard_user(client: Client, setup: Setup, args, stop: threading.Event, seed: int):
    from hyrdash.lib.page import MONTH, SCOPE
    from kpis.costs.selection import CHART_CODES

    rng = random.Random(seed)
    page = expect_status(200, DASHBOARD_MARK)
    while not stop.is_set():
        query = urlencode({SCOPE: rng.choice(setup.scopes), MONTH: rng.choice(setup.months)})
        client.request("dashboard", "GET", f"/?{query}", page)
        if rng.random() < CSV_SHARE and not stop.is_set():
            client.request("csv", "GET", f"/csv/{rng.choice(CHART_CODES)}/?{query}", expect_csv)
        stop.wait(rng.uniform(0, 2 * args.think))


def controller(client: Client, args, stop: threading.Event, stats: Stats, seed: int):
    """The two-step upload of a new month's extract, again and again."""
    rng = random.Random(seed)
    months = month_labels(1000, (2026, 1))  # new months after the loaded 2021-2025
    for number, month in enumerate(months):
        if stop.is_set():
            break
        frame = dashboard_bench.ledger_frame(args.upload_rows, [month], seed=seed + number)
        data = dashboard_bench.extract_bytes(frame)

        form = client.request("upload_form", "GET", "/importera/", expect_status(200, "csrf"))
        token = form is not None and CSRF_RE.search(form.text)
        if not token:
            stop.wait(1)
            continue
        checked = client.request(
            "upload_check",
            "POST",
            "/importera/",
            expect_status(302, location=CONFIRM_RE.search),
            data={"csrfmiddlewaretoken": token.group(1), "kind": "actuals"},
            files={"file": (f"huvudbok_{month}.csv", data, "text/csv")},
        )
        found = checked is not None and CONFIRM_RE.search(checked.headers.get("Location", ""))
        if not found:
            stop.wait(1)
            continue
        path = f"/importera/{found.group(1)}/bekrafta/"
        summary = client.request(
            "upload_summary", "GET", path, expect_status(200, f"huvudbok_{month}.csv")
        )
        token = summary is not None and CSRF_RE.search(summary.text)
        if not token:
            stop.wait(1)
            continue
        confirmed = client.request(
            "upload_confirm",
            "POST",
            path,
            expect_status(302, location=lambda url: url.endswith("/importer/")),
            data={"csrfmiddlewaretoken": token.group(1), "confirm": "1"},
        )
        if confirmed is not None and confirmed.status_code == 302:
            listing = client.request(
                "upload_list", "GET", "/importer/", expect_status(200, f"huvudbok_{month}.csv")
            )
            if listing is not None and listing.status_code == 200:
                with stats.lock:
                    stats.uploads_confirmed += 1
        stop.wait(rng.uniform(0, 2 * args.think))


def static_client(client: Client, setup: Setup, stop: threading.Event):
    check = expect_status(200, "{")  # a stylesheet
    while not stop.is_set():
        client.request("static", "GET", setup.static_path, check)
        stop.wait(STATIC_PAUSE)


# --- the run ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run(args, setup: Setup, server: Server) -> int:
    from kpis.models import ImportBatch, PendingUpload

    stats = Stats()
    stop = threading.Event()

    # Log in every simulated person first, all at once, before the clock starts.
    people = [Client(server.base, stats) for _ in range(len(setup.users) + 2)]
    names = [*setup.users, setup.controller]
    start = time.perf_counter()
    login_errors = []
    login_lock = threading.Lock()

    def log_in(client, name):
        error = client.login(name)
        if error:
            with login_lock:
                login_errors.append(error)

    threads = [
        threading.Thread(target=log_in, args=(c, n), daemon=True)
        for c, n in zip(people, names, strict=False)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 10)
    print(
        f"{len(names)} users logged in through /konto/inloggning/ in "
        f"{time.perf_counter() - start:.1f} s"
        + (f"; {len(login_errors)} FAILED: {login_errors[:3]}" if login_errors else "")
    )
    if login_errors:
        print(server.tail(), file=sys.stderr)
        return 1

    # Warm-up, not counted: two dashboard pages per worker, so no worker meets its first
    # page (imports, Plotly's templates) inside the timed minute.
    warm_errors = []
    start = time.perf_counter()

    def warm_up(client):
        try:
            response = client.session.get(server.base + "/?urval=hsf", timeout=TIMEOUT)
            if response.status_code != 200 or DASHBOARD_MARK not in response.text:
                warm_errors.append(f"HTTP {response.status_code}")
        except Exception as exc:  # noqa: BLE001
            warm_errors.append(f"{type(exc).__name__}: {exc}")

    threads = [
        threading.Thread(target=warm_up, args=(client,), daemon=True)
        for client in people[: min(2 * args.workers * args.threads, args.users)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 10)
    print(
        f"warm-up: {len(threads)} dashboard pages in {time.perf_counter() - start:.1f} s, "
        "not counted" + (f"; FAILED: {warm_errors[:3]}" if warm_errors else "")
    )
    if warm_errors:
        print(server.tail(), file=sys.stderr)
        return 1

    # The same server with nobody else on it: one page and the static file, one at a time.
    alone = Stats()
    lone = Client(server.base, alone)
    lone.session.cookies.update(people[0].session.cookies)
    for _ in range(3):
        lone.request("dashboard", "GET", "/?urval=hsf", expect_status(200, DASHBOARD_MARK))
        lone.request("static", "GET", setup.static_path, expect_status(200, "{"))
    if alone.errors:
        print(f"alone: FAILED: {alone.samples[:3]}\n{server.tail()}", file=sys.stderr)
        return 1
    page_alone = statistics.median(alone.latency["dashboard"])
    static_alone = statistics.median(alone.latency["static"])
    print(
        f"one user alone, median of 3: dashboard {page_alone * 1000:.0f} ms, "
        f"static {static_alone * 1000:.1f} ms"
    )

    print(
        f"running {args.seconds:.0f} s: {args.users} dashboard users (think time "
        f"0..{2 * args.think:.0f} s, a CSV download after {CSV_SHARE:.0%} of pages), "
        f"1 controller uploading {args.upload_rows:,}-row extracts, 1 client on "
        f"{setup.static_path} every {STATIC_PAUSE} s"
    )
    load_before = _load()
    threads = [
        threading.Thread(
            target=dashboard_user,
            args=(people[i], setup, args, stop, args.seed + i),
            daemon=True,
        )
        for i in range(args.users)
    ]
    threads.append(
        threading.Thread(
            target=controller,
            args=(people[args.users], args, stop, stats, args.seed + 1000),
            daemon=True,
        )
    )
    threads.append(
        threading.Thread(target=static_client, args=(people[-1], setup, stop), daemon=True)
    )
    started = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        stop.wait(args.seconds)
    finally:
        stop.set()  # no new request; those under way finish
    for thread in threads:
        thread.join(TIMEOUT + 30)
    elapsed = time.perf_counter() - started
    load_after = _load()

    total = sum(len(v) for v in stats.latency.values())
    inside = sum(1 for done in stats.done if done <= started + args.seconds)
    errors = sum(stats.errors.values())
    ms = 1000
    print()
    print(f"load average: {load_before} before, {load_after} after")
    print(
        f"{inside:,} requests answered within the {args.seconds:.0f} s = "
        f"{inside / args.seconds:.2f} requests/s; {total - inside} more started inside and "
        f"answered after it (the run ended after {elapsed:.0f} s)"
    )
    print(
        f"dashboard pages: {len(stats.latency['dashboard']) / elapsed:.2f}/s over the "
        f"{elapsed:.0f} s; errors: {errors}"
    )
    print()
    print(
        f"  {'request':<52} {'count':>6} {'errors':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}"
    )
    for kind, label in KINDS:
        values = stats.latency.get(kind, [])
        print(
            f"  {label:<52} {len(values):>6} {stats.errors.get(kind, 0):>6} "
            f"{statistics.median(values) * ms if values else float('nan'):>10.0f} "
            f"{percentile(values, 0.95) * ms:>8.0f} "
            f"{max(values) * ms if values else float('nan'):>8.0f}"
        )
    upload_steps = [k for k, _ in KINDS if k.startswith("upload_")]
    flows = stats.uploads_confirmed
    print()
    dashboard_p95 = percentile(stats.latency["dashboard"], 0.95)
    static_p95 = percentile(stats.latency["static"], 0.95)
    print(
        f"dashboard p95 / static p95: {dashboard_p95 * ms:.0f} ms / {static_p95 * ms:.0f} ms "
        f"= {dashboard_p95 / static_p95:.1f} (one user alone: median "
        f"{page_alone * ms:.0f} ms / {static_alone * ms:.1f} ms = {page_alone / static_alone:.0f})"
    )

    # Every confirmed upload stored, nothing left pending.
    stored = ImportBatch.objects.filter(kind="actuals", file_name__startswith="huvudbok_").count()
    pending = PendingUpload.objects.count()
    print(
        f"uploads: {flows} confirmed through the two steps, {stored} stored as imports, "
        f"{pending} left pending; upload requests: "
        + ", ".join(f"{k.removeprefix('upload_')} {len(stats.latency[k])}" for k in upload_steps)
    )
    consistent = stored == flows and pending == 0
    if not consistent:
        errors += 1
        print("  MISMATCH between confirmed and stored uploads")

    log = server.text()
    server_errors = log.count("Traceback") + log.count("Internal Server Error")
    timeouts = log.count("WORKER TIMEOUT")
    print(f"gunicorn log: {server_errors} tracebacks or server errors, {timeouts} worker timeouts")
    if server_errors or timeouts:
        errors += 1
        print(server.tail())
    if stats.samples:
        print("first errors:")
        for sample in stats.samples:
            print(f"  {sample}")
    print(f"goal: 0 errors: {'met' if errors == 0 else 'MISSED'}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

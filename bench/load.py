"""Load test: gunicorn with the production settings, 20 steering-group users and an uploading controller.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/load.py [--seconds 60] [--users 20]

The database in DATABASE_URL is only used to (re)create a scratch database,
`hyrdash_bench_load`, which is migrated, filled and dropped at the end; no real
data is touched. SQLite is refused. Steps:

1. The benchmark data of bench/dashboard.py, through the real services (its
   `load`): 2,000 units in 100 departments across 6 areas, the 30-account
   mapping, the national comparison, 60 months of actuals (1,000,000 ledger
   rows by default, `--rows`), a budget, months closed but the last one; the
   demo's generators' sick leave for the last 48 months of every unit
   (`--sick-leave-months`, through sick_leave_import) and two survey years for
   the units of 15 departments (through answers_import, population_import).
2. `--users` users in the `styrgrupp` group and one in `controller`, each
   with its own user name (django-axes counts failures per user name and
   address, and there are none).
3. `collectstatic` into a temporary STATIC_ROOT (WhiteNoise's manifest
   storage), then gunicorn, as the Docker image runs it (its settings,
   hyrdash/gunicorn_conf.py; `--workers`, `--threads`, `--keep-alive`), bound to 127.0.0.1 on a free
   port, with the production settings: DEBUG=0, a random SECRET_KEY,
   ALLOWED_HOSTS=127.0.0.1, DATABASE_URL to the scratch database, the page
   cache in a fresh file cache folder (`--cache redis`: Redis database
   `--redis-db` on 127.0.0.1:6379, which must be empty); only
   SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0, since the run speaks plain HTTP
   on the loopback. gunicorn's access log gives each request's server time.
4. Every simulated user logs in once through the login form (CSRF token
   included), before the clock starts; two rounds of the pages warm the
   workers up; then one user alone asks for each page cold (the data version
   raised first, as any import raises it) and warm (again), 3 times, and the
   static file (server time from gunicorn's access log). None of this is
   counted in step 5.
5. For `--seconds`: each steering-group user in a loop opens the dashboard,
   sick leave or the survey (`--mix`, 60/20/20) for a random scope, the newest
   month (year) for `--newest` of the pages (80 %), a random one otherwise,
   downloads one of the dashboard's CSVs after one dashboard page in five, and
   thinks for a random 0..2x`--think` seconds. The controller meanwhile
   uploads a generated extract (`--upload-rows` rows of a new month, a
   different month each time so no upload is identical to an earlier one)
   through the two steps of /importera/: form, check (POST), summary page,
   confirm (POST: the import, then the newest month's dashboards computed
   into the page cache), imports list. Every upload raises the data version:
   every page is computed anew after it. One more client fetches a static
   file (css/hyrdash.css under its hashed name) every 0.25 s.
6. Pages per second, p50 and p95 latency per kind of request and the page
   cache's hit rate (its X-Hyrdash-Cache header), each page's hits and misses apart
   (what its tail is made of), errors (a status outside
   2xx/3xx, an exception, or a response that is not what the step expects: a
   page without its charts, a CSV that is not CSV, an upload that does not
   lead to its summary), the goals of issue 17 and a check that every
   confirmed upload is stored.

gunicorn is stopped and the scratch database and static folder are removed at
the end, on failure or Ctrl-C too (`--keep-db` keeps the database).
Goals (issue 4, issue 17): 0 errors; each page's p95 under 1 s, the static file's under
50 ms; one user alone: a warm dashboard under 100 ms on the server. No goal is asserted.
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

# BENCH_SCRATCH_DB: another name (hyrdash_bench...), when two people run it on one server
SCRATCH_DB = os.environ.get("BENCH_SCRATCH_DB", "hyrdash_bench_load")
DATA_SEED = 20241217
SURVEY_DEPARTMENTS = 15  # of 100: 300 units, about the demo region's 288 (load_survey)  # the sick-leave extract, the survey years, the units' sizes
PASSWORD = "Lasttest-" + secrets.token_urlsafe(12)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM_RE = re.compile(r"/importera/(\d+)/bekrafta/$")
CSV_SHARE = 0.2
STATIC_PAUSE = 0.25
TIMEOUT = 120  # seconds a client waits for one response

# Kinds of request, in the order they are printed.
KINDS = [
    ("dashboard", "dashboard page  GET /?urval=..&manad=.."),
    ("sick_leave", "sick leave page GET /sjukfranvaro/?urval=..&manad=.."),
    ("survey", "survey page     GET /medarbetarundersokning/?ar=..&urval=.."),
    ("csv", "CSV download    GET /csv/<serie>/?.."),
    ("upload_form", "upload 1: form  GET /importera/"),
    ("upload_check", "upload 2: check POST /importera/"),
    ("upload_summary", "upload 3: summary GET /importera/<id>/bekrafta/"),
    ("upload_confirm", "upload 4: confirm POST /importera/<id>/bekrafta/"),
    ("upload_list", "upload 5: imports GET /importer/"),
    ("static", "static file     GET /static/css/hyrdash.<hash>.css"),
]
PAGES = ("dashboard", "sick_leave", "survey")  # what a steering-group user opens
PAGE_PATHS = {
    "dashboard": "/",
    "sick_leave": "/sjukfranvaro/",
    "survey": "/medarbetarundersokning/",
}
PAGE_MARK = 'data-figure="'  # a page with its charts
CACHE_HEADER = "X-Hyrdash-Cache"
REDIS = "redis://127.0.0.1:6379/{db}"
# Goals (issue 17): under load, each page's p95 and the static file's; one user alone.
PAGE_P95_GOAL = 1.0
STATIC_P95_GOAL = 0.050
WARM_GOAL = 0.100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the run (60)")
    parser.add_argument("--users", type=int, default=20, help="concurrent dashboard users (20)")
    parser.add_argument(
        "--newest",
        type=float,
        default=0.8,
        help="share of pages for the newest month (year), with no month in the address, as "
        "the steering group opens them; the others for a random month (0.8)",
    )
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
        default=4,
        help="threads per gunicorn worker; above 1 the gthread worker class, as the Docker "
        "image runs (4; 1: sync workers)",
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
    parser.add_argument(
        "--sick-leave-months",
        type=int,
        default=48,
        help="months of sick leave loaded, the last of the ledger's (48; 0: none, and no "
        "sick-leave page in the mix)",
    )
    parser.add_argument(
        "--mix",
        default="60,20,20",
        help="shares of the dashboard, sick-leave and survey pages a user opens (60,20,20)",
    )
    parser.add_argument(
        "--cache",
        choices=("file", "redis"),
        default="file",
        help="the page cache: Django's file cache in a fresh folder (file, the default "
        "CACHE_URL) or Redis on 127.0.0.1:6379 (redis)",
    )
    parser.add_argument(
        "--redis-db",
        type=int,
        default=15,
        help="Redis database number for --cache redis; it must be empty and is emptied "
        "afterwards (15)",
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--keep-db", action="store_true", help=f"keep {SCRATCH_DB} afterwards")
    args = parser.parse_args()
    try:
        shares = [float(v) for v in args.mix.split(",")]
        if len(shares) != len(PAGES) or min(shares) < 0 or sum(shares) <= 0:
            raise ValueError
    except ValueError:
        parser.error("--mix takes three shares, dashboard,sick leave,survey, e.g. 60,20,20")
    if not args.sick_leave_months:
        shares[1] = 0.0
    args.shares = dict(zip(PAGES, shares, strict=True))

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
        "CACHE_URL": (
            REDIS.format(db=args.redis_db) if args.cache == "redis" else f"file://{work / 'cache'}"
        ),
    }
    args.cache_label = f"{args.cache}, CACHE_URL={server_env['CACHE_URL']}"
    os.environ.update(server_env)  # the same settings in this process (loading, collectstatic)
    server = None
    created = False
    if args.cache == "redis" and not _redis_empty(server_env["CACHE_URL"]):
        shutil.rmtree(work, ignore_errors=True)
        return 2
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
        if args.cache == "redis":
            _redis_flush(server_env["CACHE_URL"])
        shutil.rmtree(work, ignore_errors=True)


def _redis_empty(url: str) -> bool:
    """Whether the Redis database of `url` answers and holds nothing (the run starts with
    an empty cache and empties it afterwards)."""
    import redis

    try:
        size = redis.Redis.from_url(url).dbsize()
    except redis.RedisError as exc:
        print(f"--cache redis: {url} does not answer: {exc}", file=sys.stderr)
        return False
    if size:
        print(
            f"--cache redis: {url} holds {size} keys; name an empty database with --redis-db",
            file=sys.stderr,
        )
        return False
    return True


def _redis_flush(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as exc:
        print(f"could not empty {url}: {exc}", file=sys.stderr)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


# --- the scratch database -----------------------------------------------------------


# --- data, users, static files --------------------------------------------------------


class Setup:
    def __init__(self):
        self.scopes: list[str] = []
        self.months: list[str] = []
        self.sick_months: list[str] = []  # the sick-leave extract's months
        self.survey_years: list[int] = []
        self.survey_scopes: list[str] = []  # what a steering-group user may choose
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

    units = bench_units()
    months = month_labels(dashboard_bench.MONTHS, dashboard_bench.FIRST_MONTH)
    sick_months = months[-args.sick_leave_months :] if args.sick_leave_months else []
    if sick_months:
        start = time.perf_counter()
        rows = load_sick_leave(units, sick_months)
        print(
            f"sick leave: {rows:,} rows ({len(units):,} units x gender x age band, "
            f"{len(sick_months)} months, {int(units['employees'].sum()):,} employees) imported "
            f"through sick_leave_import in {time.perf_counter() - start:.0f} s"
        )
    start = time.perf_counter()
    respondents = load_survey(units)
    print(
        f"survey (the units of {SURVEY_DEPARTMENTS} departments): "
        + ", ".join(f"{year} {n:,} respondents" for year, n in respondents.items())
        + f" imported through answers_import and population_import in "
        f"{time.perf_counter() - start:.0f} s"
    )

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
    setup.months = months
    setup.sick_months = sick_months
    setup.survey_years = sorted(respondents)
    setup.survey_scopes = ["hsf", *(s for s in setup.scopes if s.startswith("area:"))]
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


# The region of bench/dashboard.py's organisation as the demo's generators want it: each
# unit's kind (from its care type) and employees (the demo's sizes for that kind).
KINDS_BY_CARE = {
    "sjukhusvård": ("ward", "ward", "op", "clinic", "diag", "lab", "psych", "obstetric"),
    "primärvård": ("hc", "hc", "hc", "rehab", "psych"),
    "tandvård": ("dental",),
    "övrigt": ("admin", "admin", "amb", "lab"),
}


def bench_units():
    """Per unit of bench/dashboard.py's organisation: ansvar, kind and employees."""
    import io

    import numpy as np
    import pandas as pd

    from kpis.organisation.demo import KIND_SIZE

    rng = np.random.default_rng(DATA_SEED)
    org = pd.read_csv(io.BytesIO(dashboard_bench.org_csv()), sep=";", dtype=str)
    kinds = [rng.choice(KINDS_BY_CARE[care]) for care in org["Vårdtyp"]]
    employees = [int(rng.integers(KIND_SIZE[k][0], KIND_SIZE[k][1] + 1)) for k in kinds]
    return pd.DataFrame({"ansvar": org["Ansvar"], "kind": kinds, "employees": employees})


def load_sick_leave(units, months: list[str]) -> int:
    """The payroll's sick-leave extract for `months` from the demo's generator
    (kpis.sick_leave.demo: per unit, gender and age band), through sick_leave_import."""
    import io

    import numpy as np

    from kpis.sick_leave.demo import SICK_LEAVE_COLUMNS, sick_leave_rows
    from kpis.sick_leave.services import sick_leave_import

    rows = sick_leave_rows(np.random.default_rng([DATA_SEED, 9]), units, months)
    buffer = io.StringIO()
    rows[SICK_LEAVE_COLUMNS].to_csv(
        buffer, sep=";", index=False, decimal=",", float_format="%.2f", lineterminator="\r\n"
    )
    data = buffer.getvalue().encode("utf-8-sig")
    batch, _check = sick_leave_import(data=data, file_name="sjukfranvaro.csv")
    if batch is None or batch.row_count != len(rows):
        raise SystemExit(f"the sick-leave import stored {batch and batch.row_count} rows")
    return len(rows)


def load_survey(units) -> dict[int, int]:
    """The demo's survey years (survey.demo.generate: 2023 and 2024, every respondent's
    answers to the whole questionnaire) for the units of the first SURVEY_DEPARTMENTS
    departments (every area has some) at their own sizes, through answers_import and
    population_import; respondents per year.

    The demo region's size (288 units, 9,400 employees): for all 2,000 units the
    import's disclosure audit (hyrdash.lib.disclosure.audit, dense matrices of figures x
    cells) needed more than 5 GB and did not finish (bench/RESULTS.md)."""
    from unittest import mock

    from survey import demo as survey_demo
    from survey.models import Questionnaire
    from survey.questionnaires import spec_for
    from survey.services import answers_import, population_import

    per_department = dashboard_bench.UNITS // dashboard_bench.DEPARTMENTS
    units = units.iloc[: SURVEY_DEPARTMENTS * per_department].reset_index(drop=True)
    questionnaire = Questionnaire.for_year(max(survey_demo.YEARS))
    questions = survey_demo.questions_of(spec_for(questionnaire))
    # The generator scales the units to the demo region's 9,400 employees: here they keep
    # their sizes (bench_units), about 35 a unit.
    with mock.patch.object(survey_demo, "EMPLOYEES", int(units["employees"].sum())):
        years = survey_demo.generate(units, questions, seed=DATA_SEED)
    respondents = {}
    for year_data in years:
        frame = year_data.answers.copy()
        for column in frame.columns[2:]:
            frame[column] = frame[column].map(lambda v: "" if v != v else str(int(v)))
        answers = frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")
        staff = year_data.population.to_csv(sep=";", index=False, lineterminator="\r\n")
        year = year_data.year
        batch, _ = answers_import(data=answers, file_name=f"mu_svar_{year}.csv", year=year)
        if batch is None:
            raise SystemExit(f"the survey answers of {year} were not stored")
        population_import(
            data=staff.encode("utf-8-sig"), file_name=f"mu_antal_{year}.csv", year=year
        )
        respondents[year] = len(frame)
    return respondents


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
        # gunicorn's access log: method, path, status, the request's time on the server
        # in microseconds, and the page cache's header.
        self.access_log = log.with_name("access.log")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import requests

        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:hyrdash.gunicorn_conf",  # the image's settings; the options below win
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
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s %({x-hyrdash-cache}o)s",
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

    def access_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def server_times(self, since: int) -> list[tuple[str, float, str]]:
        """(path, seconds on the server, cache header) of the requests gunicorn logged
        after byte `since` of its access log."""
        with self.access_log.open("rb") as log:
            log.seek(since)
            lines = log.read().decode("utf-8", errors="replace").splitlines()
        found = []
        for line in lines:
            parts = line.split(" ")
            if len(parts) >= 4 and parts[3].isdigit():
                header = parts[4] if len(parts) > 4 and parts[4] != "-" else ""
                found.append((parts[1], int(parts[3]) / 1e6, header))
        return found

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
        self.retries = 0  # GETs sent again after a closed kept-alive connection
        # kind -> "hit"/"miss" -> count, from the page cache's response header
        self.cache: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        # (kind, "hit"/"miss") -> latencies: what a kind's tail is made of
        self.by_cache: dict[tuple[str, str], list[float]] = defaultdict(list)

    def retry(self) -> None:
        with self.lock:
            self.retries += 1

    def add(self, kind: str, seconds: float, error: str | None = None, cache: str = "") -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.done.append(time.perf_counter())
            if cache:
                self.cache[kind][cache] += 1
                self.by_cache[kind, cache].append(seconds)
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
        import requests

        start = time.perf_counter()
        try:
            try:
                response = self.session.request(
                    method, self.base + path, allow_redirects=False, timeout=TIMEOUT, **kwargs
                )
            except requests.ConnectionError:
                # A kept-alive connection the server closed as it was reused (gthread's
                # keep-alive): a browser sends a GET again on a new one, so does this
                # client, once; counted and printed. Any other failure is an error.
                if method != "GET":
                    raise
                self.stats.retry()
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
        self.stats.add(kind, seconds, error, response.headers.get(CACHE_HEADER, ""))
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


def page_query(kind: str, setup: Setup, rng: random.Random, newest: float) -> str:
    """A random selection of page `kind`: a scope and, with probability 1 - `newest`, a
    random month (a year for the survey); else none, so the page shows the newest one,
    as it does for the steering group's link to the site."""
    from hyrdash.lib.page import MONTH, SCOPE

    latest = rng.random() < newest
    if kind == "survey":
        chosen = {SCOPE: rng.choice(setup.survey_scopes)}
        return urlencode(chosen if latest else {"ar": rng.choice(setup.survey_years), **chosen})
    months = setup.sick_months if kind == "sick_leave" else setup.months
    chosen = {SCOPE: rng.choice(setup.scopes)}
    return urlencode(chosen if latest else {**chosen, MONTH: rng.choice(months)})


def scope_of(query: str) -> str:
    from urllib.parse import parse_qs

    from hyrdash.lib.page import SCOPE

    return parse_qs(query)[SCOPE][0]


def dashboard_user(client: Client, setup: Setup, args, stop: threading.Event, seed: int):
    """A steering-group member: a page (the dashboard, sick leave or the survey, as
    --mix shares them) for a random selection, a dashboard chart's CSV after one
    dashboard page in five, then a pause."""
    from kpis.costs.selection import dashboard_codes
    from kpis.organisation.selectors import Scope

    rng = random.Random(seed)
    page = expect_status(200, PAGE_MARK)
    kinds, weights = list(args.shares), list(args.shares.values())
    while not stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        query = page_query(kind, setup, rng, args.newest)
        client.request(kind, "GET", f"{PAGE_PATHS[kind]}?{query}", page)
        if kind == "dashboard" and rng.random() < CSV_SHARE and not stop.is_set():
            # A chart the page shows for its scope (a unit's and an area's differ).
            codes = dashboard_codes(Scope.parse(scope_of(query)))
            client.request("csv", "GET", f"/csv/{rng.choice(codes)}/?{query}", expect_csv)
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


def hit_rate(stats: Stats, kinds: list[str]) -> str:
    """'83 % (50/60)': hits among the responses of `kinds` that carried the page
    cache's header; '-' when none did."""
    hits = sum(stats.cache[k].get("hit", 0) for k in kinds if k in stats.cache)
    seen = sum(sum(stats.cache[k].values()) for k in kinds if k in stats.cache)
    return f"{hits / seen:.0%} ({hits}/{seen})" if seen else "-"


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


ALONE_REPS = 3


def one_user_alone(server: Server, setup: Setup, person: Client, pages: list[str]):
    """The same server with nobody else on it, one request at a time: each page cold
    (the data version raised first, as every import, undo or edit raises it, so no
    cached part of any page is valid) and then warm (the same page again), ALONE_REPS
    times; the static file. Server time from gunicorn's access log, client time beside
    it. Returns {(kind, "cold"|"warm"): (server medians, client medians)}, or None."""
    from kpis import data_version

    alone = Stats()
    lone = Client(server.base, alone)
    lone.session.cookies.update(person.session.cookies)
    asked: list[tuple[str, str]] = []  # (label, path) in the order asked
    time.sleep(0.5)  # the warm-up's last lines logged (after their answers) before `since`
    since = server.access_offset()
    for _ in range(ALONE_REPS):
        data_version.data_changed()  # committed: the bench's connection autocommits
        for kind in pages:
            for state in ("cold", "warm"):
                lone.request(
                    f"{kind} {state}", "GET", PAGE_PATHS[kind], expect_status(200, PAGE_MARK)
                )
                asked.append((f"{kind} {state}", PAGE_PATHS[kind]))
        lone.request("static", "GET", setup.static_path, expect_status(200, "{"))
        asked.append(("static", setup.static_path))
    if alone.errors:
        print(f"alone: FAILED: {alone.samples[:3]}\n{server.tail()}", file=sys.stderr)
        return None
    time.sleep(0.5)  # gunicorn logs a request after it has answered it
    logged = server.server_times(since)
    paths = [path for _label, path in asked]
    if [path for path, _s, _c in logged] != paths:
        print(f"alone: the access log does not match the requests: {logged}", file=sys.stderr)
        return None
    server_s: dict[str, list[float]] = defaultdict(list)
    headers: dict[str, list[str]] = defaultdict(list)
    for (label, _path), (_p, seconds, header) in zip(asked, logged, strict=True):
        server_s[label].append(seconds)
        headers[label].append(header or "-")
    ms = 1000
    print(
        f"one user alone, median of {ALONE_REPS} (ms on the server, gunicorn's access log; "
        "in the client; the page cache's header):"
    )
    result = {}
    for label in [*(f"{k} {s}" for k in pages for s in ("cold", "warm")), "static"]:
        server_median = statistics.median(server_s[label])
        client_median = statistics.median(alone.latency[label])
        result[label] = (server_median, client_median)
        print(
            f"  {label:<16} server {server_median * ms:>7.1f}   client "
            f"{client_median * ms:>7.1f}   {'/'.join(sorted(set(headers[label])))}"
        )
    warm = result["dashboard warm"][0]
    print(
        f"  goal: a warm dashboard under {WARM_GOAL * ms:.0f} ms on the server: "
        f"{warm * ms:.0f} ms, {'met' if warm < WARM_GOAL else 'MISSED'}; cold: "
        f"{result['dashboard cold'][0] * ms:.0f} ms (before the page cache: 935 ms, issue 17)"
    )
    return result


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

    # Warm-up, not counted: two rounds of the pages per worker, so no worker meets its
    # first page (imports, Plotly's templates) inside the timed minute. The first survey
    # page of each year computes the year's results, kept then in the cache.
    warm_errors = []
    start = time.perf_counter()
    pages = [kind for kind in PAGES if args.shares[kind] > 0]

    def warm_up(client):
        for kind in pages:
            try:
                response = client.session.get(server.base + PAGE_PATHS[kind], timeout=TIMEOUT)
                if response.status_code != 200 or PAGE_MARK not in response.text:
                    warm_errors.append(f"{kind}: HTTP {response.status_code}")
            except Exception as exc:  # noqa: BLE001
                warm_errors.append(f"{kind}: {type(exc).__name__}: {exc}")

    threads = [
        threading.Thread(target=warm_up, args=(client,), daemon=True)
        for client in people[: min(2 * args.workers * args.threads, args.users)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 10)
    print(
        f"warm-up: {len(threads)} x {len(pages)} pages in {time.perf_counter() - start:.1f} s, "
        "not counted" + (f"; FAILED: {warm_errors[:3]}" if warm_errors else "")
    )
    if warm_errors:
        print(server.tail(), file=sys.stderr)
        return 1

    alone = one_user_alone(server, setup, people[0], pages)
    if alone is None:
        return 1

    mix = ", ".join(
        f"{kind.replace('_', ' ')} {share / sum(args.shares.values()):.0%}"
        for kind, share in args.shares.items()
    )
    print(
        f"running {args.seconds:.0f} s: {args.users} steering-group users (pages: {mix}; "
        f"{args.newest:.0%} for the newest month, the others a random one; "
        f"think time 0..{2 * args.think:.0f} s, a CSV download after {CSV_SHARE:.0%} of "
        f"dashboard pages), 1 controller uploading {args.upload_rows:,}-row extracts, 1 "
        f"client on {setup.static_path} every {STATIC_PAUSE} s; page cache: "
        f"{args.cache_label}"
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
    pages_done = sum(len(stats.latency[kind]) for kind in PAGES)
    print(
        f"pages: {pages_done / elapsed:.2f}/s over the {elapsed:.0f} s ("
        + ", ".join(
            f"{kind.replace('_', ' ')} {len(stats.latency[kind]) / elapsed:.2f}/s" for kind in PAGES
        )
        + f"); errors: {errors}; GETs sent again after a closed kept-alive connection: "
        f"{stats.retries}"
    )
    print()
    print(
        f"  {'request':<60} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'cache hits':>10}"
    )
    for kind, label in KINDS:
        values = stats.latency.get(kind, [])
        print(
            f"  {label:<60} {len(values):>6} {stats.errors.get(kind, 0):>6} "
            f"{statistics.median(values) * ms if values else float('nan'):>8.0f} "
            f"{percentile(values, 0.95) * ms:>8.0f} "
            f"{max(values) * ms if values else float('nan'):>8.0f} {hit_rate(stats, [kind]):>10}"
        )
    for kind in PAGES:
        parts = []
        for state, label in (("hit", "hits"), ("miss", "misses")):
            values = stats.by_cache.get((kind, state), [])
            if values:
                parts.append(
                    f"{label} {len(values)}: p50 {statistics.median(values) * ms:,.0f}, "
                    f"p95 {percentile(values, 0.95) * ms:,.0f} ms"
                )
        if parts:
            print(f"  {kind.replace('_', ' ')}: " + "; ".join(parts))
    upload_steps = [k for k, _ in KINDS if k.startswith("upload_")]
    flows = stats.uploads_confirmed
    print()
    cached_kinds = [k for k in (*PAGES, "csv") if stats.cache.get(k)]
    uncached = [k for k in PAGES if stats.latency.get(k) and k not in cached_kinds]
    print(
        f"page cache ({args.cache_label}): hit rate {hit_rate(stats, cached_kinds)} of the "
        f"responses that used it ({', '.join(cached_kinds) or 'none'})"
        + (f"; not cached: {', '.join(uncached)}" if uncached else "")
    )
    static_p95 = percentile(stats.latency["static"], 0.95)
    goals = []
    for kind in PAGES:
        if stats.latency.get(kind):
            p95 = percentile(stats.latency[kind], 0.95)
            goals.append(
                f"{kind.replace('_', ' ')} p95 {p95 * ms:,.0f} ms < {PAGE_P95_GOAL * ms:,.0f}: "
                f"{'met' if p95 < PAGE_P95_GOAL else 'MISSED'}"
            )
    goals.append(
        f"static p95 {static_p95 * ms:,.0f} ms < {STATIC_P95_GOAL * ms:.0f}: "
        f"{'met' if static_p95 < STATIC_P95_GOAL else 'MISSED'}"
    )
    print("goals (issue 17): " + "; ".join(goals))
    dashboard_cold, dashboard_warm = alone["dashboard cold"][0], alone["dashboard warm"][0]
    print(
        f"one user alone (server): dashboard cold {dashboard_cold * ms:.0f} ms, warm "
        f"{dashboard_warm * ms:.0f} ms (goal < {WARM_GOAL * ms:.0f}: "
        f"{'met' if dashboard_warm < WARM_GOAL else 'MISSED'}), static "
        f"{alone['static'][0] * ms:.1f} ms"
    )

    # Every confirmed upload stored, nothing left pending.
    stored = ImportBatch.objects.filter(kind="actuals", file_name__startswith="huvudbok_").count()
    # A finished upload keeps its row, with what became of it (hyrdash.lib.uploads.finish).
    pending = PendingUpload.objects.filter(outcome="").count()
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

"""Benchmark: the cost dashboard page on 10,000 and 1,000,000 ledger rows, against raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \\
        .venv/bin/python bench/dashboard.py

The database in DATABASE_URL is only used to (re)create two scratch databases,
`hyrdash_bench_dash_small` and `hyrdash_bench_dash_large`, which are migrated
and filled here and dropped at the end; no real data is touched. Steps:

1. The same organisation in both (2,000 units in 100 departments across 6
   areas, care types mixed), the 30-account mapping of bench/import_costs.py,
   the national comparison fixture, months closed but the last one, and a
   user in the `styrgrupp` group, all through the real services.
2. Actuals over the same 60 months (2021-01 .. 2025-12) through
   `costs_import`: 10,000 ledger rows in the small database, 1,000,000 in
   the large one; plus the same budget extract (2024-2025, one unit per
   department, 4,800 rows) in both.
3. The full page, `GET /?urval=hsf` and `GET /?urval=area:<name>`, through
   Django's test client (session, middleware, view, template), after a
   warm-up, the two databases interleaved so a busy machine hurts both
   alike. Medians of wall time, and of CPU time (this process plus its
   PostgreSQL backend).
4. Queries per page (connection.queries), to show the count is fixed.
5. Raw SQL: the GROUP BY over the ledger's current rows that computes the
   page's aggregates without the monthly sums, and the page's own query over
   DepartmentMonthlyCost (captured from `cost_selectors.cost_frame`, so the exact
   SQL the page sends).
6. Where the page's time goes: time.perf_counter around the public functions
   the view calls (cost_selectors.cost_data, cost_selection.series_table,
   cost_page.build_charts, the charts.*_figure functions, charts.to_json,
   the view's render), patched for those runs only.

Goals (issue 3, "Fast"): the 1M-row page within 1.5x of the 10k-row page; the
page's server time within 3x of the raw SQL over the 1M-row ledger.
`--profile` writes a cProfile of the 1M-row page to bench/output/.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "output"
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The import benchmark's account mapping, areas, care types, unit codes, months and CSV
# writer: the same extracts, so the two benchmarks describe the same region.
import scratch  # noqa: E402
from import_costs import (  # noqa: E402
    ACCOUNTS,
    AREAS,
    CARE_TYPES,
    FIRST_MONTH,
    MONTHS,
    UNITS,
    Clock,
    accounts_csv,
    ansvar_codes,
    month_labels,
    write_csv,
)

DEPARTMENTS = 100
BUDGET_MONTHS = 24
SEED = 20240515
# Bump when the generated data changes shape, so --reuse-db does not reuse old data.
GENERATOR_VERSION = 1


class DataSet:
    def __init__(self, label: str, rows: int, database: str):
        self.label, self.rows, self.database = label, rows, database
        self.wrapper = None  # its own Django connection
        self.clock = None
        self.client = None
        self.facts: dict[str, object] = {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--small-rows", type=int, default=10_000)
    parser.add_argument("--large-rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=15, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page first")
    parser.add_argument("--keep-db", action="store_true", help="keep the scratch databases")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse scratch databases kept by an earlier --keep-db run with the same rows",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the 1M-row pages")
    args = parser.parse_args()

    admin_url = os.environ.get("DATABASE_URL", "")
    databases = "hyrdash_bench_dash_small, hyrdash_bench_dash_large"
    if not scratch.postgres_url_or_help(admin_url, "dashboard.py", databases):
        return 2
    sets = [
        DataSet("10k", args.small_rows, "hyrdash_bench_dash_small"),
        DataSet("1M", args.large_rows, "hyrdash_bench_dash_large"),
    ]
    if args.small_rows != 10_000:
        sets[0].label = f"{args.small_rows:,}"
    if args.large_rows != 1_000_000:
        sets[1].label = f"{args.large_rows:,}"
    fresh = {}
    for data_set in sets:
        reuse = args.reuse_db and _loaded(admin_url, data_set)
        if not reuse:
            scratch.create(admin_url, data_set.database)
        fresh[data_set.database] = not reuse

    os.environ["DATABASE_URL"] = scratch.url_for(admin_url, sets[0].database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrdash.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)  # force_login's audit lines
    try:
        run(args, sets, fresh)
    finally:
        for data_set in sets:
            if data_set.wrapper is not None:
                data_set.wrapper.close()
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            for data_set in sets:
                scratch.drop(admin_url, data_set.database)
    return 0


# --- scratch databases ------------------------------------------------------------


def _loaded(url: str, data_set: DataSet) -> bool:
    """Whether a kept database holds this script's data for this number of rows."""
    import psycopg2

    try:
        conn = psycopg2.connect(scratch.url_for(url, data_set.database))
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT version, ledger_rows FROM bench_dashboard_meta")
            return cursor.fetchone() == (GENERATOR_VERSION, data_set.rows)
    except psycopg2.Error:
        return False
    finally:
        conn.close()


@contextmanager
def using(data_set: DataSet):
    """Make the data set's connection Django's default connection."""
    from django.db import connections

    previous = connections["default"]
    connections["default"] = data_set.wrapper
    try:
        yield
    finally:
        connections["default"] = previous


def open_connection(data_set: DataSet) -> None:
    from django.db import connections
    from django.db.utils import load_backend

    settings = copy.deepcopy(connections["default"].settings_dict)
    settings["NAME"] = data_set.database
    data_set.wrapper = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")


# --- generated data -----------------------------------------------------------------


def org_csv() -> bytes:
    """2,000 units in 100 departments of 20 across 6 areas; every fifth department mixes
    two care types."""
    lines = ["Ansvar;Enhet;Verksamhet;Område;Vårdtyp"]
    per_department = UNITS // DEPARTMENTS
    for i, ansvar in enumerate(ansvar_codes()):
        department = i // per_department
        area = AREAS[department % len(AREAS)]
        care = CARE_TYPES[department % len(CARE_TYPES)]
        if department % 5 == 0 and i % 2:
            care = CARE_TYPES[(department + 1) % len(CARE_TYPES)]
        lines.append(f"{ansvar};Enhet {i + 1};Verksamhet {department + 1:03d};{area};{care}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _unit_accounts(rng):
    """The (unit, account) pairs a month can book, as in bench/import_costs.py: salaries,
    payroll overheads and pensions, three other own-staff accounts and two agency
    accounts per unit, a ninth account for every third unit (~16,700 pairs)."""
    import numpy as np

    konton = np.array([a[0] for a in ACCOUNTS])
    categories = np.array([a[2] for a in ACCOUNTS])
    agency = np.flatnonzero(np.char.startswith(categories, "hyr_"))
    always = np.flatnonzero(np.isin(konton, ["5111", "5411", "5511"]))
    other_own = np.setdiff1d(np.flatnonzero(np.char.startswith(categories, "egen_")), always)
    weights = np.where(np.char.startswith(konton[agency], "460"), 4.0, 1.0)
    units, accounts = [], []
    for unit in range(UNITS):
        chosen = list(always)
        chosen += list(rng.choice(other_own, 3, replace=False))
        chosen += list(rng.choice(agency, 2, replace=False, p=weights / weights.sum()))
        if unit % 3 == 0:
            spare = np.setdiff1d(np.arange(len(konton)), chosen)
            chosen.append(rng.choice(spare))
        units += [unit] * len(chosen)
        accounts += chosen
    return np.array(units), np.array(accounts)


def ledger_frame(rows: int, months: list[str], seed: int):
    """`rows` ledger rows spread evenly over `months`: every month books a random subset
    of the (unit, account) pairs (all of them for 1,000,000 rows over 60 months)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    pair_units, pair_accounts = _unit_accounts(rng)
    pairs = len(pair_units)
    per_month = -(-rows // len(months))
    if per_month > pairs:
        raise SystemExit(f"{rows:,} rows need more than {len(months)} months of {pairs} rows.")
    picks = [
        np.arange(pairs) if per_month == pairs else np.sort(rng.choice(pairs, per_month, False))
        for _ in months
    ]
    pick = np.concatenate(picks)[:rows]
    month_index = np.repeat(np.arange(len(months)), per_month)[:rows]
    unit_index, account_index = pair_units[pick], pair_accounts[pick]

    konton = np.array([a[0] for a in ACCOUNTS])
    categories = np.array([a[2] for a in ACCOUNTS])
    is_agency = np.char.startswith(categories[account_index], "hyr_")
    level = rng.lognormal(mean=12.0, sigma=1.0, size=UNITS)
    amount = level[unit_index] * rng.lognormal(mean=-0.6, sigma=0.8, size=rows)
    amount = np.where(is_agency, amount * rng.uniform(0.05, 0.4, size=rows), amount)
    amount = np.where(rng.random(rows) < 0.01, -amount * 0.1, amount).round(2)
    hours = np.where(is_agency, (amount / rng.uniform(900, 1600, size=rows)).round(1), np.nan)
    return pd.DataFrame(
        {
            "Period": np.array(months)[month_index],
            "Ansvar": np.array(ansvar_codes())[unit_index],
            "Konto": konton[account_index],
            "Belopp": amount,
            "Timmar": hours,
        }
    )


def budget_frame(months: list[str]):
    """The budget: the first unit of each department, salaries and doctors on agency."""
    import numpy as np
    import pandas as pd

    codes = ansvar_codes()[:: UNITS // DEPARTMENTS]
    records = []
    for d, ansvar in enumerate(codes):
        for m, month in enumerate(months):
            own = 2_000_000 + 10_000 * d + 1_000 * m
            records.append((month, ansvar, "5111", float(own), np.nan))
            records.append((month, ansvar, "4601", round(own * 0.04, 2), np.nan))
    return pd.DataFrame.from_records(
        records, columns=["Period", "Ansvar", "Konto", "Belopp", "Timmar"]
    )


def extract_bytes(frame) -> bytes:
    with tempfile.TemporaryDirectory(prefix="hyrdash-bench-dash-") as folder:
        path = Path(folder) / "extract.csv"
        write_csv(frame, path)
        return path.read_bytes()


def load(data_set: DataSet) -> None:
    """Fill the data set's database through the real services."""
    import datetime as dt

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection

    from kpis import roles
    from kpis.accounts.services import accounts_import
    from kpis.batches import month_status_set
    from kpis.costs.services import commentary_save, costs_import
    from kpis.national.services import national_import
    from kpis.organisation.services import org_import

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    org_import(data=org_csv())
    accounts_import(data=accounts_csv())
    national_import(data=(ROOT / "fixtures" / "nationell_jamforelse.csv").read_bytes())
    setup = time.perf_counter() - start

    months = month_labels(MONTHS, FIRST_MONTH)
    start = time.perf_counter()
    actuals = extract_bytes(ledger_frame(data_set.rows, months, seed=SEED))
    budget = extract_bytes(budget_frame(months[-BUDGET_MONTHS:]))
    generated = time.perf_counter() - start

    start = time.perf_counter()
    batch, _ = costs_import(data=actuals, file_name="utfall.csv", kind="actuals")
    imported = time.perf_counter() - start
    if batch is None or batch.row_count != data_set.rows:
        raise SystemExit(f"the actuals import stored {batch and batch.row_count} rows")
    costs_import(data=budget, file_name="budget.csv", kind="budget")

    # Every month closed but the last; a comment on the last month's headline chart.
    for label in months[:-1]:
        month_status_set(period=dt.date(int(label[:4]), int(label[5:]), 1), closed=True)
    last = dt.date(int(months[-1][:4]), int(months[-1][5:]), 1)
    commentary_save(period=last, chart="agency-ytd", text="Läkare står för ökningen.")
    user = User.objects.create_user("bench-styrgrupp", password=None)
    user.groups.add(Group.objects.get(name=roles.STYRGRUPP))

    with connection.cursor() as cursor:
        # What autovacuum would have done by the time anyone looks at the page.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CREATE TABLE bench_dashboard_meta (version int, ledger_rows int)")
        cursor.execute(
            "INSERT INTO bench_dashboard_meta VALUES (%s, %s)", [GENERATOR_VERSION, data_set.rows]
        )
    print(
        f"  {data_set.label:>4}: migrated and registers in {setup:.1f} s, extracts generated in "
        f"{generated:.1f} s, {data_set.rows:,} rows imported in {imported:.1f} s"
    )


def describe(data_set: DataSet) -> None:
    from django.db import connection

    from kpis.models import Area, DepartmentMonthlyCost, LedgerRow, MonthlyCost

    data_set.facts = {
        "ledger": LedgerRow.objects.count(),
        "actuals": LedgerRow.objects.filter(batch__kind="actuals").count(),
        "budget": LedgerRow.objects.filter(batch__kind="budget").count(),
        "monthly": MonthlyCost.objects.count(),
        "department": DepartmentMonthlyCost.objects.count(),
        "areas": list(Area.objects.values_list("name", flat=True)),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        data_set.facts["size"] = cursor.fetchone()[0]


# --- timing -------------------------------------------------------------------------


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def get(data_set: DataSet, url: str):
    """One page request: (wall s, CPU s), asserting it rendered the charts."""
    start = data_set.clock.now()
    response = data_set.client.get(url)
    spent = data_set.clock.since(start)
    if response.status_code != 200 or b'id="fig-skr-measure"' not in response.content:
        raise SystemExit(f"GET {url} on {data_set.label} answered {response.status_code}")
    return spent


class Phases:
    """Wall seconds spent in public functions, patched on their modules for one request."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def patched(self, targets: list[tuple[object, str, str]]):
        originals = [(module, attr, getattr(module, attr)) for module, attr, _ in targets]

        def timed(label, function):
            def wrapper(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    self.seconds[label] += time.perf_counter() - start

            return wrapper

        for (module, attr, label), (_, _, function) in zip(targets, originals, strict=True):
            setattr(module, attr, timed(label, function))
        try:
            yield self
        finally:
            for module, attr, function in originals:
                setattr(module, attr, function)


PHASE_ROWS = [
    ("cost_data", "cost_selectors.cost_data (2 queries of sums + registers)"),
    ("other_reads", "cost_selectors.commentaries, national_shares"),
    ("series", "series tables (cost_selection.series_table x 10)"),
    ("figures", "Plotly figures (charts.*_figure)"),
    ("to_json", "figures to JSON (charts.to_json)"),
    ("build_other", "tables and texts (rest of build_charts)"),
    ("template", "template (render)"),
    ("rest", "rest: middleware, session, auth, selection"),
]


def phase_targets():
    from hyrdash.lib import chart_style
    from kpis.costs import charts, views
    from kpis.costs import page as cost_page
    from kpis.costs import selection as cost_selection
    from kpis.costs import selectors as cost_selectors
    from kpis.national import selectors as national_selectors

    targets = [
        (cost_selectors, "cost_data", "cost_data"),
        (cost_selectors, "commentaries", "other_reads"),
        (national_selectors, "national_shares", "other_reads"),
        (cost_selection, "series_table", "series"),
        (cost_page, "build_charts", "build_charts"),
        (chart_style, "to_json", "to_json"),
        (views, "render", "template"),
    ]
    targets += [
        (charts, name, "figures")
        for name in dir(charts)
        if name.endswith("_figure") and not name.startswith("_")
    ]
    return targets


def timed_phases(data_set: DataSet, url: str) -> dict[str, float]:
    phases = Phases()
    with phases.patched(phase_targets()):
        wall, _ = get(data_set, url)
    s = phases.seconds
    out = {key: s[key] for key in ("cost_data", "other_reads", "series", "figures", "to_json")}
    out["build_other"] = s["build_charts"] - s["series"] - s["figures"] - s["to_json"]
    out["template"] = s["template"]
    out["rest"] = wall - sum(out.values())
    out["total"] = wall
    return out


def query_count(data_set: DataSet, url: str) -> tuple[int, list[str]]:
    from django.db import connection, reset_queries

    force = connection.force_debug_cursor
    connection.force_debug_cursor = True  # connection.queries records without DEBUG too
    reset_queries()
    try:
        data_set.client.get(url)
        queries = list(connection.queries)
    finally:
        connection.force_debug_cursor = force
    return len(queries), [q["sql"] for q in queries]


def _table_of(sql: str) -> str:
    import re

    match = re.search(r'\bFROM\s+"?(\w+)"?', sql, re.I)
    return match.group(1).removeprefix("kpis_").removeprefix("auth_") if match else sql[:20]


def raw_sqls() -> dict[str, str]:
    """The GROUP BYs over the ledger's current rows, written without the monthly sums."""
    from kpis.models import Account, BatchMonth, Department, ImportBatch, LedgerRow, Unit

    def over_ledger(place: str) -> str:
        return f"""
            SELECT b.kind, l.period, {place}, u.care_type, a.category,
                   SUM(l.amount), SUM(l.hours)
            FROM {LedgerRow._meta.db_table} l
            JOIN {BatchMonth._meta.db_table} bm
              ON bm.batch_id = l.batch_id AND bm.period = l.period AND bm.is_current
            JOIN {ImportBatch._meta.db_table} b ON b.id = l.batch_id
            JOIN {Unit._meta.db_table} u ON u.id = l.unit_id
            JOIN {Department._meta.db_table} d ON d.id = u.department_id
            JOIN {Account._meta.db_table} a ON a.id = l.account_id
            GROUP BY b.kind, l.period, {place}, u.care_type, a.category
        """

    return {
        "area": over_ledger("d.area_id"),
        "department": over_ledger("d.id"),
    }


def page_sql() -> list[str]:
    """The SQL the page sends for its sums, captured from cost_selectors.cost_frame."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kpis.costs import selectors as cost_selectors

    with CaptureQueriesContext(connection) as captured:
        for kind in ("actuals", "budget"):
            cost_selectors.cost_frame(kind=kind)
    return [q["sql"] for q in captured.captured_queries]


def time_sql(data_set: DataSet, sqls: list[str]) -> tuple[float, int]:
    """Run the statements and fetch every row: (wall s, rows).

    Wall time only: PostgreSQL may scan the ledger with parallel workers, whose CPU
    the backend's /proc entry does not count.
    """
    from django.db import connection

    start = data_set.clock.now()
    rows = 0
    with connection.cursor() as cursor:
        for sql in sqls:
            if sql.lstrip().upper().startswith("COPY"):  # the page reads its sums by COPY
                buffer = io.StringIO()
                cursor.cursor.copy_expert(sql, buffer)
                rows += buffer.getvalue().count("\n")
            else:
                cursor.execute(sql)
                rows += len(cursor.fetchall())
    wall, _ = data_set.clock.since(start)
    return wall, rows


# --- the run ------------------------------------------------------------------------


def run(args, sets: list[DataSet], fresh: dict[str, bool]) -> None:
    import pandas as pd
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server,) = cursor.fetchone()
    print(
        f"hyrdash dashboard benchmark: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, pandas {pd.__version__}, PostgreSQL {server.split()[0]}"
    )
    connection.close()

    print("loading (real services: org_import, accounts_import, costs_import)")
    for data_set in sets:
        open_connection(data_set)
        with using(data_set):
            if fresh[data_set.database]:
                load(data_set)
            else:
                from django.core.management import call_command

                call_command("migrate", verbosity=0)  # migrations added since it was kept
                print(f"  {data_set.label:>4}: reusing {data_set.database}")
            describe(data_set)
            data_set.clock = Clock()
            data_set.client = Client(HTTP_HOST="localhost")
            data_set.client.force_login(User.objects.get(username="bench-styrgrupp"))

    print()
    print("data set   ledger rows (actuals + budget)   monthly sums   per department   database")
    for s in sets:
        f = s.facts
        parts = f"({f['actuals']:,} + {f['budget']:,})"
        print(
            f"  {s.label:>4}   {f['ledger']:>11,} {parts:<20}"
            f"{f['monthly']:>10,}   {f['department']:>14,}   {f['size'] / 1e6:6.0f} MB"
        )
    if sets[0].facts["areas"] != sets[1].facts["areas"]:
        raise SystemExit("the two data sets have different areas")
    area = sets[0].facts["areas"][0]
    pages = {"hsf": "/?urval=hsf", "area": f"/?urval={quote(f'area:{area}')}"}
    print(f"pages: GET {pages['hsf']} and GET /?urval=area:{area}")
    print(f"load average before timing: {os.getloadavg()[0]:.1f} (1 min)")

    # Warm-up, then the timed requests, the data sets and pages interleaved.
    for _ in range(args.warmup):
        for data_set in sets:
            with using(data_set):
                for url in pages.values():
                    get(data_set, url)
    walls, cpus = defaultdict(list), defaultdict(list)
    for _ in range(args.reps):
        for data_set in sets:
            with using(data_set):
                for page, url in pages.items():
                    wall, cpu = get(data_set, url)
                    walls[data_set.label, page].append(wall)
                    cpus[data_set.label, page].append(cpu)

    counts = {}
    for data_set in sets:
        with using(data_set):
            for page, url in pages.items():
                counts[data_set.label, page] = query_count(data_set, url)

    # Raw SQL, interleaved too.
    ledger = raw_sqls()
    statements = {"area": [ledger["area"]], "department": [ledger["department"]]}
    page_statements = {}
    for data_set in sets:
        with using(data_set):
            page_statements[data_set.label] = page_sql()
    sql_walls, sql_rows = defaultdict(list), {}
    for rep in range(args.warmup + args.reps):
        for data_set in sets:
            with using(data_set):
                runs = {**statements, "page": page_statements[data_set.label]}
                for name, sqls in runs.items():
                    wall, rows = time_sql(data_set, sqls)
                    sql_rows[data_set.label, name] = rows
                    if rep >= args.warmup:
                        sql_walls[data_set.label, name].append(wall)

    breakdown = defaultdict(lambda: defaultdict(list))
    for _ in range(max(3, args.reps // 2)):
        for data_set in sets:
            with using(data_set):
                for page, url in pages.items():
                    for key, value in timed_phases(data_set, url).items():
                        breakdown[data_set.label, page][key].append(value)
    print(f"load average after timing: {os.getloadavg()[0]:.1f} (1 min)")

    small, large = sets[0].label, sets[1].label
    ms = 1000

    print()
    print(
        f"Page through the test client: median of {args.reps} after {args.warmup} warm-up, "
        "wall ms (CPU ms: this process + its PostgreSQL backend)"
    )
    print(f"  page   {small:>16} {large:>18}   {large}/{small}: wall   CPU")
    worst = 0.0
    for page in pages:
        a, b = median(walls[small, page]), median(walls[large, page])
        ca, cb = median(cpus[small, page]), median(cpus[large, page])
        worst = max(worst, b / a)
        print(
            f"  {page:<5} {a * ms:7.0f} ({ca * ms:5.0f} CPU) {b * ms:8.0f} ({cb * ms:5.0f} CPU)"
            f"   {b / a:11.2f} x {cb / ca:5.2f} x"
        )
    verdict = "met" if worst <= 1.5 else "MISSED"
    print(f"  goal: {large} page within 1.5x of the {small} page (wall): {verdict}")
    print(
        "  wall min-max ms: "
        + ", ".join(
            f"{label} {page} {min(values) * ms:.0f}-{max(values) * ms:.0f}"
            for (label, page), values in walls.items()
        )
    )

    print()
    print("Queries per page (connection.queries)")
    for page in pages:
        found = {label: counts[label, page] for label in (small, large)}
        tables = ", ".join(_table_of(sql) for sql in found[large][1])
        same = found[small][0] == found[large][0]
        print(
            f"  {page:<5} {found[small][0]} on {small}, {found[large][0]} on {large}"
            f"{'' if same else '  DIFFERENT'}: {tables}"
        )

    print()
    print(f"Raw SQL, executed and fetched to Python: median of {args.reps}, wall ms (result rows)")
    names = {
        "area": "ledger GROUP BY month x area x care type x category",
        "department": "ledger GROUP BY month x department x care type x category",
        "page": "the page's query over DepartmentMonthlyCost (x2 kinds)",
    }
    print(f"  {'':<57} {small:>16} {large:>18}")
    for name, text in names.items():
        cells = [
            f"{median(sql_walls[label, name]) * ms:8.1f} ({sql_rows[label, name]:>6,})"
            for label in (small, large)
        ]
        print(f"  {text:<57} {cells[0]:>18} {cells[1]:>18}")

    print()
    print("Page server time vs the raw SQL over the ledger (month x area x care type x category)")
    met = True
    for label in (small, large):
        raw = median(sql_walls[label, "area"])
        for page in pages:
            page_wall = median(walls[label, page])
            ratio = page_wall / raw
            if label == large:
                met = met and ratio <= 3
            print(
                f"  {label:>4} {page:<5} page {page_wall * ms:6.0f} ms / raw SQL {raw * ms:7.1f} ms"
                f" = {ratio:6.2f} x"
            )
    print(
        f"  goal: page within 3x of the raw SQL on the {large}-row ledger: {'met' if met else 'MISSED'}"
    )

    print()
    print(
        f"Where the page's time goes: median ms of {len(breakdown[small, 'hsf']['total'])} "
        "requests (perf_counter around the public functions)"
    )
    columns = [(label, page) for label in (small, large) for page in pages]
    print(f"  {'':<46}" + "".join(f"{f'{label} {page}':>10}" for label, page in columns))
    for key, text in [*PHASE_ROWS, ("total", "total (test client GET)")]:
        print(
            f"  {text:<46}"
            + "".join(f"{median(breakdown[column][key]) * ms:10.0f}" for column in columns)
        )
    print("  (each row is a median of its own, so the rows need not add up to the total)")

    if args.profile:
        profile(sets[1], pages)


def profile(data_set: DataSet, pages: dict[str, str]) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with using(data_set):
        for page, url in pages.items():
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(3):
                get(data_set, url)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(30)
            path = OUTPUT / f"dashboard_profile_{data_set.label}_{page}.txt"
            path.write_text(out.getvalue(), encoding="utf-8")
            print(f"\ncProfile of 3 requests, {data_set.label} {page}: {path.relative_to(ROOT)}")
            print("\n".join(out.getvalue().splitlines()[:60]))


if __name__ == "__main__":
    sys.exit(main())

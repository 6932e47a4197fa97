"""Benchmark: the steering pack (.pptx) for the administration and every area on the
1,000,000-row benchmark ledger, with sick leave for every unit.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \\
        .venv/bin/python bench/pack.py

The database in DATABASE_URL is only used to (re)create the scratch database
`hyrdash_bench_pack`, which is migrated, filled and dropped at the end; no real data is
touched. Steps:

1. bench/dashboard.py's data set, through its own `load`: 2,000 units in 100 departments
   across 6 areas, the 30-account mapping, 1,000,000 actuals ledger rows over 60 months
   (2021-01 .. 2025-12) and a budget for 2024-2025, all months closed but the last, the
   national comparison, a comment on the last month.
2. Sick leave for every unit over the last `--sick-leave-months` months (default 48, what
   the pack's R12 chart reads), one row per unit, gender and age band (2,000 x 6 rows a
   month), through `sick_leave_import`; two text slides for the administration.
3. `kpis.pack.services.pack_build` (what the page's download and `steering_pack` call) for
   the last month, for the administration and each area: once cold (a fresh process:
   the sick-leave suppression of every month is computed on the first pack, then kept per
   process as on a server), then `--reps` times each, interleaved. Medians of wall and CPU
   seconds (this process plus its PostgreSQL backend).
4. Where a pack's time goes: the reads (costs, sick leave), the small-group suppression,
   the deck writer (python-pptx, the charts' workbooks, the deterministic zip) and the
   rest (series, slides, provenance), timed around those functions for one pack.

Goal (issue 14): under 3 s a pack. No survey is loaded: bench/survey.py times that part
(its year's results are computed once and cached).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scratch  # noqa: E402
from dashboard import DataSet, describe, load  # noqa: E402
from import_costs import FIRST_MONTH, MONTHS, Clock, ansvar_codes, month_labels  # noqa: E402

DATABASE = "hyrdash_bench_pack"
SEED = 20241114
GENERATOR_VERSION = 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="actuals ledger rows")
    parser.add_argument("--sick-leave-months", type=int, default=48, help="0: no sick leave")
    parser.add_argument("--reps", type=int, default=5, help="timed packs per scope")
    parser.add_argument("--keep-db", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--reuse-db", action="store_true", help="reuse a database kept by --keep-db"
    )
    parser.add_argument("--save", help="write the administration's pack to this file")
    args = parser.parse_args()

    admin_url = os.environ.get("DATABASE_URL", "")
    if not scratch.postgres_url_or_help(admin_url, "pack.py", DATABASE):
        return 2
    reuse = args.reuse_db and _loaded(admin_url, args)
    if not reuse:
        scratch.create(admin_url, DATABASE)
    os.environ["DATABASE_URL"] = scratch.url_for(admin_url, DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrdash.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    try:
        run(args, fresh=not reuse)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            scratch.drop(admin_url, DATABASE)
    return 0


def _loaded(url: str, args) -> bool:
    import psycopg2

    try:
        conn = psycopg2.connect(scratch.url_for(url, DATABASE))
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT version, ledger_rows, sick_months FROM bench_pack_meta")
            return cursor.fetchone() == (GENERATOR_VERSION, args.rows, args.sick_leave_months)
    except psycopg2.Error:
        return False
    finally:
        conn.close()


# --- the data ---------------------------------------------------------------------------


def sick_leave_extract(months: list[str]) -> bytes:
    """Every unit, gender and age band in each month: 0-4 employees a row (about 12 a unit,
    240 a department), 160 ordinary hours each, about 6 % of it sick, a third long-term."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    codes = ansvar_codes()
    groups = [(g, a) for g in ("K", "M") for a in ("-29", "30-49", "50-")]
    lines = [
        "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
        "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-"
    ]
    base = rng.integers(0, 5, size=(len(codes), len(groups)))
    for month in months:
        sick = rng.uniform(0.02, 0.10, size=base.shape)
        for u, ansvar in enumerate(codes):
            for k, (gender, age) in enumerate(groups):
                employees = int(base[u, k])
                hours = 160.0 * employees
                total = round(hours * sick[u, k], 1)
                short, middle = round(total * 0.5, 1), round(total * 0.2, 1)
                long_ = round(total - short - middle, 1)
                lines.append(
                    f"{month};{ansvar};{gender};{age};{employees};{hours:.1f};"
                    f"{short};{middle};{long_}".replace(".", ",")
                )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def load_pack_data(args) -> None:
    import datetime as dt

    from django.db import connection

    from kpis.models import PackText
    from kpis.sick_leave.services import sick_leave_import

    months = month_labels(MONTHS, FIRST_MONTH)
    if args.sick_leave_months:
        start = time.perf_counter()
        extract = sick_leave_extract(months[-args.sick_leave_months :])
        batch, _ = sick_leave_import(data=extract, file_name="sjukfranvaro.csv")
        print(
            f"  sick leave: {batch.row_count:,} rows ({len(extract) / 1e6:.0f} MB) imported "
            f"in {time.perf_counter() - start:.1f} s"
        )
    last = dt.date(int(months[-1][:4]), int(months[-1][5:]), 1)
    for order, title in enumerate(("Summering pågående aktiviteter", "Prioriterade åtgärder")):
        PackText.objects.create(
            period=last,
            scope="hsf",
            order=order + 1,
            title=title,
            text="Stärka chefer och deras förutsättningar att leda\n  ST-tjänster",
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "CREATE TABLE bench_pack_meta (version int, ledger_rows int, sick_months int)"
        )
        cursor.execute(
            "INSERT INTO bench_pack_meta VALUES (%s, %s, %s)",
            [GENERATOR_VERSION, args.rows, args.sick_leave_months],
        )


# --- timing -----------------------------------------------------------------------------


class Phases:
    """Wall seconds in the functions a pack spends its time in, patched for one pack."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    def timed(self, label, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start

        return wrapper

    @contextmanager
    def patched(self):
        from kpis import registry
        from kpis.pack import services
        from kpis.sick_leave import series as sick_leave_series

        exports = dict(registry.SERIES_EXPORTS)
        loads = {}
        for name, export in exports.items():
            if export.load not in loads:
                label = "read sick leave" if name.startswith("sick") else "read costs"
                loads[export.load] = self.timed(label, export.load)
            registry.SERIES_EXPORTS[name] = dataclasses.replace(export, load=loads[export.load])
        originals = [
            (services, "build_deck", "deck writer"),
            (sick_leave_series, "sick_leave_cells", "sick-leave suppression"),
        ]
        saved = [(module, attr, getattr(module, attr)) for module, attr, _ in originals]
        for module, attr, label in originals:
            setattr(module, attr, self.timed(label, getattr(module, attr)))
        try:
            yield self
        finally:
            registry.SERIES_EXPORTS.update(exports)
            for module, attr, function in saved:
                setattr(module, attr, function)


def build(clock, month, scope):
    from kpis.pack.services import pack_build, pack_scope

    start = clock.now()
    pack = pack_build(month=month, scope=pack_scope(scope))
    return clock.since(start), pack


def run(args, *, fresh: bool) -> None:
    import pandas as pd
    from django.core.management import call_command
    from django.db import connection

    from kpis.batches import months_with_data
    from kpis.models import Area

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server,) = cursor.fetchone()
    print(
        f"hyrdash steering-pack benchmark: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, pandas {pd.__version__}, PostgreSQL {server.split()[0]}"
    )
    data_set = DataSet("1M", args.rows, DATABASE)
    if fresh:
        print("loading (bench/dashboard.py's data set, then sick leave, through the services)")
        load(data_set)
        load_pack_data(args)
    else:
        call_command("migrate", verbosity=0)
        print(f"reusing {DATABASE}")
    describe(data_set)
    facts = data_set.facts
    print(
        f"  {facts['ledger']:,} ledger rows ({facts['actuals']:,} actuals, {facts['budget']:,} "
        f"budget), {facts['department']:,} department sums, database {facts['size'] / 1e6:.0f} MB"
    )
    month = months_with_data(kind="actuals")[-1]
    scopes = ["hsf", *(f"area:{a}" for a in Area.objects.values_list("name", flat=True))]
    clock = Clock()
    print(f"packs for {month}; load average before timing: {os.getloadavg()[0]:.1f} (1 min)")

    phases = Phases()
    with phases.patched():
        (cold_wall, cold_cpu), pack = build(clock, month, "hsf")
    print(
        f"  first pack of the process (hsf): {cold_wall:.2f} s wall, {cold_cpu:.2f} s CPU, "
        f"{pack.slide_count} slides, {len(pack.content) / 1e3:.0f} kB"
    )
    if args.save:
        Path(args.save).write_bytes(pack.content)
    walls, cpus, slides = defaultdict(list), defaultdict(list), {}
    for _ in range(args.reps):
        for scope in scopes:
            (wall, cpu), pack = build(clock, month, scope)
            walls[scope].append(wall)
            cpus[scope].append(cpu)
            slides[scope] = pack.slide_count
    print()
    print(f"pack_build, median of {args.reps} (s)          wall     CPU   slides")
    for scope in scopes:
        print(
            f"  {scope:<38} {statistics.median(walls[scope]):6.2f}  "
            f"{statistics.median(cpus[scope]):6.2f}   {slides[scope]:>4}"
        )
    worst = max(max(v) for v in walls.values())
    print(f"  slowest single pack: {worst:.2f} s (goal: under 3 s)")

    phases = Phases()
    with phases.patched():
        (wall, _cpu), _pack = build(clock, month, "hsf")
    print()
    print("where the administration's pack goes (s, one warm pack)")
    shown = 0.0
    for label in ("read costs", "read sick leave", "sick-leave suppression", "deck writer"):
        print(f"  {label:<44} {phases.seconds[label]:6.2f}")
        shown += phases.seconds[label]
    print(f"  {'series, slides, provenance (the rest)':<44} {wall - shown:6.2f}")
    print(f"  {'total':<44} {wall:6.2f}")
    _check(io.BytesIO(pack.content))


def _check(stream) -> None:
    """The pack opens again, with a chart on most slides."""
    from pptx import Presentation

    deck = Presentation(stream)
    charts = sum(any(s.has_chart for s in slide.shapes) for slide in deck.slides)
    if charts < 10:
        raise SystemExit(f"the pack has only {charts} charts")


if __name__ == "__main__":
    raise SystemExit(main())

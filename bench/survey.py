"""Benchmark: the employee survey, import and pages, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \\
        .venv/bin/python bench/survey.py

The database in DATABASE_URL is only used to (re)create a scratch database,
`hyrdash_bench_survey`, which is migrated and filled here; no real data is
touched. Steps:

1. The demo organisation (288 units in 6 areas, kpis.demo) through org_import.
2. An answers file of 7,000 respondents x 60 questions (the 2024 questionnaire's
   HME, HSE and eNPS questions and its first 39 psychosocial ones; about 2 %
   blank, HSE blank for staff without patient contact), as Swedish Excel CSV.
3. `answers_import` of that file for one year, end to end, with the time of
   its steps (parse and check, sums per unit, write), then the employee counts.
4. The full survey page (every chart, as a superuser) for the administration
   and for every area, rendered through Django's test client: the first round
   computes the shown years' results (every group; what to hide is read from the
   decisions the import kept on the batch) and caches them; the best of three later
   rounds finds them cached.
5. Four more years imported, and the same pages again: printed as the ratio to
   one year. A page reads two years (the chosen one and the one before), so
   neither its time nor an import's should grow with the number of years.
6. The first (uncached) computation of a year's results, wall and CPU seconds,
   with the part that decides what to hide (survey.protection: the disclosure
   audit and protect()), for a bench year and for the demo's years 2023 and 2024
   (survey.demo, the full questionnaire), imported last.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from pathlib import Path

import scratch

ROOT = Path(__file__).resolve().parent.parent
SCRATCH_DB = "hyrdash_bench_survey"
RESPONDENTS = 7_000
QUESTIONS = 60
FIRST_YEAR = 2020
SEED = 20241120


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--respondents", type=int, default=RESPONDENTS)
    parser.add_argument("--years", type=int, default=5, help="years imported in all (>= 2)")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--database",
        default=SCRATCH_DB,
        help=f"scratch database name, starting with {scratch.PREFIX} (default {SCRATCH_DB})",
    )
    args = parser.parse_args()
    if not args.database.startswith(scratch.PREFIX) or not args.database.isidentifier():
        parser.error(f"--database must be a plain name starting with {scratch.PREFIX}")

    admin_url = os.environ.get("DATABASE_URL", "")
    if not scratch.postgres_url_or_help(admin_url, "survey.py", args.database):
        return 2
    os.environ["DATABASE_URL"] = scratch.create(admin_url, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrdash.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            scratch.drop(admin_url, args.database)
    return 0


def timed(label: str, call, results: dict | None = None):
    started = time.perf_counter()
    value = call()
    seconds = time.perf_counter() - started
    print(f"  {label:<58} {seconds:8.2f} s")
    if results is not None:
        results[label] = seconds
    return value, seconds


def answers_csv(spec, units, *, respondents: int, year: int) -> bytes:
    """7,000 respondents spread over the units by size, 60 questions, Swedish Excel CSV."""
    import numpy as np
    import pandas as pd

    from survey import demo as survey_demo

    questions = survey_demo.questions_of(spec)
    fixed = [q for q in questions if not q.code.startswith("PS_")]
    chosen = fixed + [q for q in questions if q.code.startswith("PS_")][: QUESTIONS - len(fixed)]
    frame = survey_demo.generate(units, chosen, years=(year,), seed=SEED + year)[0].answers
    rng = np.random.default_rng(SEED + year)
    rows = rng.choice(len(frame), size=respondents, replace=respondents > len(frame))
    frame = frame.iloc[rows].reset_index(drop=True)
    frame["RespondentID"] = [f"B{year}-{i:06d}" for i in range(len(frame))]
    for column in frame.columns[2:]:
        values = frame[column]
        frame[column] = values.map(lambda v: "" if pd.isna(v) else str(int(v)))
    text = frame.to_csv(sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def run(args) -> None:
    import numpy as np
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from kpis import demo
    from kpis.models import Area
    from kpis.organisation import demo as org_demo
    from kpis.organisation.services import org_import
    from survey import demo as survey_demo
    from survey import services
    from survey.models import Questionnaire
    from survey.questionnaires import spec_for

    setup_test_environment()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per login otherwise
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"Python {platform.python_version()}, PostgreSQL {version}, {os.cpu_count()} CPU")
    units = org_demo._build_units(np.random.default_rng(demo.DEFAULT_SEED))
    org = org_demo.org_frame(units).to_csv(sep=";", index=False).encode("utf-8")
    org_import(data=org)
    spec = spec_for(Questionnaire.objects.get(year=2024))
    staff = survey_demo.population(units)
    population = (
        "Ansvar;Antal medarbetare\n"
        + "".join(f"{a};{n}\n" for a, n in zip(units["ansvar"], staff, strict=True))
    ).encode("utf-8")
    admin = User.objects.create_superuser("bench", password="bench-survey")
    client = Client()
    client.force_login(admin)
    scopes = ["hsf"] + [f"area:{name}" for name in Area.objects.values_list("name", flat=True)]

    def pages(year: int) -> float:
        total = 0.0
        for scope in scopes:
            started = time.perf_counter()
            response = client.get(reverse("survey:results"), {"ar": str(year), "urval": scope})
            total += time.perf_counter() - started
            assert response.status_code == 200, (scope, response.status_code)
        return total

    files = {}
    for i in range(args.years):
        year = FIRST_YEAR + i
        files[year] = answers_csv(spec, units, respondents=args.respondents, year=year)
    size = len(files[FIRST_YEAR]) / 1024 / 1024
    print(
        f"Answers file: {args.respondents:,} respondents x {QUESTIONS} questions, "
        f"{size:.1f} MB CSV; {len(units)} units in {len(scopes) - 1} areas".replace(",", " ")
    )

    print(f"\nOne year ({FIRST_YEAR}):")
    data = files[FIRST_YEAR]
    check, _ = timed(
        "parse and check (answers_check)",
        lambda: services.answers_check(data=data, year=FIRST_YEAR),
    )
    timed(
        "import end to end (answers_import)",
        lambda: services.answers_import(data=data, file_name="svar.csv", year=FIRST_YEAR),
    )
    timed(
        "employee counts (population_import)",
        lambda: services.population_import(data=population, file_name="antal.csv", year=FIRST_YEAR),
    )
    first_import = _best(
        lambda i: services.answers_import(
            data=data + b"\r\n" * (i + 1), file_name="svar-igen.csv", year=FIRST_YEAR
        )
    )
    print(f"  {'import again (replaces the year), best of 3':<58} {first_import:8.2f} s")
    cold_one = pages(FIRST_YEAR)
    pages_one = min(pages(FIRST_YEAR) for _ in range(3))
    report_pages(cold_one, pages_one, len(scopes))

    last = FIRST_YEAR + args.years - 1
    print(f"\n{args.years} years ({FIRST_YEAR}-{last}):")
    for year in range(FIRST_YEAR + 1, last + 1):
        services.population_import(data=population, file_name="antal.csv", year=year)
        timed(
            f"import {year}",
            lambda year=year: services.answers_import(
                data=files[year], file_name="svar.csv", year=year
            ),
        )
    last_import = _best(
        lambda i: services.answers_import(
            data=files[last] + b"\r\n" * (i + 1), file_name="svar-igen.csv", year=last
        )
    )
    print(f"  {f'import {last} again, best of 3':<58} {last_import:8.2f} s")
    cold_many = pages(last)
    pages_many = min(pages(last) for _ in range(3))
    report_pages(cold_many, pages_many, len(scopes))
    print("\nRatio to one year:")
    print(
        f"  import: {last_import / first_import:.2f}   pages, first round: "
        f"{cold_many / cold_one:.2f}   pages, best of 3: {pages_many / pages_one:.2f}"
    )

    print("\nFirst (uncached) computation of a year's results:")
    first_computation(f"bench year {last}", last)
    demo_years = survey_demo.generate(units, survey_demo.questions_of(spec))
    for year_data in demo_years:
        frame = year_data.answers.copy()
        for column in frame.columns[2:]:
            frame[column] = frame[column].map(lambda v: "" if v != v else str(int(v)))
        text = frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8")
        services.answers_import(data=text, file_name="demo.csv", year=year_data.year)
        first_computation(f"demo {year_data.year}", year_data.year)


def first_computation(label: str, year: int) -> None:
    """A year's results computed as on a page's first view (survey.results.year_results),
    and the part of it that decides what to hide (survey.protection), wall and CPU s."""
    from survey import protection, results, selectors
    from survey.models import SurveyBatch
    from survey.questionnaires import spec_for

    batch = SurveyBatch.objects.get(year=year, kind="answers", is_current=True)
    tree = selectors.tree_of_batch(batch)
    spec = spec_for(batch.questionnaire)
    sums = selectors.unit_sums(batch)
    staff = selectors.employees(year)
    threshold = selectors.threshold_for(year)

    def clock(call):
        wall, cpu = time.perf_counter(), time.process_time()
        value = call()
        return value, time.perf_counter() - wall, time.process_time() - cpu

    table, wall, cpu = clock(
        lambda: results.year_results(
            sums, tree, threshold=threshold, measures=spec.measures, employees=staff
        )
    )
    published = protection.publication(sums, tree, spec.measures)
    hidden, hide_wall, hide_cpu = clock(
        lambda: protection.hidden_values(published, threshold=threshold)
    )
    figures = sum(len(block.figure_keys()) for block in published.blocks)
    primary = len(published.primary(threshold))
    print(
        f"  {label}: {len(sums['unit'].unique())} units, {figures} figures in "
        f"{len(published.blocks)} blocks, {primary} values primary, {len(hidden)} hidden"
    )
    print(
        f"    {'year_results (sums per group, values, what to hide)':<56} {wall:6.2f} s wall {cpu:6.2f} s CPU"
    )
    print(
        f"    {'  of which what to hide (survey.protection)':<56} {hide_wall:6.2f} s wall {hide_cpu:6.2f} s CPU"
    )
    assert (table["status"] == results.HIDDEN).sum() >= primary


def report_pages(cold: float, warm: float, count: int) -> None:
    """The first round computes each year's results; later rounds find them cached."""
    label = f"full page for hsf and every area ({count} pages)"
    print(f"  {label + ', first round':<58} {cold:8.2f} s  ({cold / count * 1000:.0f} ms a page)")
    print(f"  {label + ', best of 3':<58} {warm:8.2f} s  ({warm / count * 1000:.0f} ms a page)")


def _best(call, times: int = 3) -> float:
    """The fastest of `times` calls of call(i) (each a different file: a real import)."""
    best = float("inf")
    for i in range(times):
        started = time.perf_counter()
        batch, _check = call(i)
        assert batch is not None
        best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    sys.exit(main())

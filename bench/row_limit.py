"""How long and how much memory refusing an oversized extract takes (issue 12, item 5).

    DEBUG=1 .venv/bin/python bench/row_limit.py [--without-limit]

Each case runs in a fresh Python process (Django set up, nothing else), which reads one
file with hyrdash.lib.tabular.read_table and prints its wall and CPU seconds and how
much its peak resident memory grew (ru_maxrss: calamine's Rust memory included):

- the row bomb: an XLSX of 190 KB whose sheet holds 3,000,000 rows (78 MB of XML);
- one cell at XFD100000 in a 1.5 KB workbook (calamine alone would ask for 52 GB);
- a CSV of 3,000,001 short lines (9 MB);
- for comparison, a 200,000-row workbook as openpyxl writes it, read whole, and the
  time its measuring (hyrdash.lib.sheet_size) takes of that.

--without-limit also reads the row bomb with the limits raised past it, as before the
limit (minutes, gigabytes).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrdash.settings")
django.setup()
from django.conf import settings
from hyrdash.lib import sheet_size
from hyrdash.lib.tabular import Column, ExtractError, read_table
data = open(sys.argv[1], "rb").read()
if sys.argv[2] == "nolimit":
    settings.MAX_EXTRACT_ROWS = settings.MAX_EXTRACT_CELLS = 10**12
before = resource.getrusage(resource.RUSAGE_SELF)
wall = time.perf_counter()
if sys.argv[2] == "measure":
    sheet_size.workbook_extents(data)
    outcome = "measured"
else:
    try:
        outcome = f"read {len(read_table(data, [Column('Period')]))} rows"
    except ExtractError as exc:
        outcome = "refused: " + str(exc)[:60] + " ..."
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(f"{time.perf_counter() - wall:.2f}|{cpu:.2f}|{(after.ru_maxrss - before.ru_maxrss) / 1024:.0f}|{outcome}")
"""


def files(directory: Path) -> list[tuple[str, Path, str]]:
    import openpyxl

    sys.path.insert(0, str(ROOT))
    from tests.big_files import HEADER_ROW_AT_A1, rows_bomb
    from tests.big_files import workbook as make

    bomb = directory / "bomb.xlsx"
    bomb.write_bytes(rows_bomb())
    far = directory / "far.xlsx"
    far.write_bytes(make(HEADER_ROW_AT_A1, b'<row r="100000"><c r="XFD100000"><v>2</v></c></row>'))
    lines = directory / "lines.csv"
    lines.write_bytes(b"Period;Ansvar;Konto;Belopp\r\n" + b";\r\n" * 2_999_999 + b";")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Period", "Ansvar", "Konto", "Belopp", "Timmar"])
    for i in range(200_000):
        sheet.append(["2024-03", f"{i % 300:04d}", 4601 + i % 20, (i * 7.31) % 10_000, None])
    out = io.BytesIO()
    book.save(out)
    legit = directory / "legit.xlsx"
    legit.write_bytes(out.getvalue())
    return [
        ("row bomb: XLSX, 3,000,000 rows", bomb, "read"),
        ("one cell at XFD100000", far, "read"),
        ("CSV of 3,000,001 short lines", lines, "read"),
        ("200,000-row workbook (openpyxl), read whole", legit, "read"),
        ("  of which measuring it (sheet_size)", legit, "measure"),
    ]


def run(path: Path, mode: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().split("|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without-limit", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        cases = files(Path(directory))
        if options.without_limit:
            cases.append(("row bomb, limits raised past it", cases[0][1], "nolimit"))
        print(f"load average at start: {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
        print("| file | size | wall s | CPU s | peak RSS growth MB | outcome |")
        print("|---|---:|---:|---:|---:|---|")
        for name, path, mode in cases:
            wall, cpu, rss, outcome = run(path, mode)
            size = path.stat().st_size
            print(f"| {name} | {size:,} B | {wall} | {cpu} | {rss} | {outcome} |")
        with zipfile.ZipFile(cases[0][1]) as archive:
            xml = archive.getinfo("xl/worksheets/sheet1.xml").file_size
        print(f"(the row bomb's sheet: {xml:,} bytes of XML)")


if __name__ == "__main__":
    main()

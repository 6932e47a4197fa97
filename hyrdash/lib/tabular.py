"""Reading Swedish extract files (CSV or XLSX, as Swedish Excel writes them) into clean frames.

Nothing here touches the database. Every problem found is collected with its
row and column, in Swedish, and raised together as one `ExtractError`, so the
user can fix the whole file at once.

Row numbers are the file's own: the header is row 1, the first data row is row 2,
as Excel shows them.

The reading and the column parsers every subject's extract uses; each subject's
`extracts` module declares its own columns and rules on top of these.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib import sheet_size
from hyrdash.lib.cells import (  # noqa: F401 (the column parsers, as extracts import them)
    AMOUNT_RE,
    PERIOD_RE,
    as_amounts,
    filled,
    parse_amounts,
    parse_periods,
)
from hyrdash.lib.formatting import format_number
from hyrdash.lib.problems import (  # noqa: F401 (what extracts import with the reading)
    AMOUNT_EXPLANATION,
    MAX_AMOUNT,
    MAX_LISTED_PROBLEMS,
    NEGATIVE_EXPLANATION,
    PERIOD_EXPLANATION,
    TOO_LARGE_EXPLANATION,
    ExtractError,
    Problem,
    blank_problems,
    duplicate_problems,
    in_column_order,
    invalid_problems,
    quote,
)
from hyrdash.lib.workbook import (
    cell_text,
    column_texts,
    refuse_past_limits,
    xlsx_numbers,
    xlsx_rows,
)


@dataclass(frozen=True)
class Column:
    name: str  # as users write it, used in messages
    required: bool = True
    # Columns a file may have in its place (Debet and Kredit instead of Belopp): a file
    # with all of them need not have this one, and the extract reads it from them.
    instead: tuple[str, ...] = ()


# Finance systems write title rows above the header ("Utdrag huvudbok HSF", "Period
# 2026-10, utskrivet 2026-11-05"): the header is looked for among the file's first rows.
MAX_HEADER_ROW = 20

# A closing total row's first filled cell: "Summa", "Totalt", "Total", "Totalsumma", alone
# or followed by a colon or more words ("Summa period 2026-10").
TOTAL_LABEL_RE = re.compile(r"(?:summa|totalsumma|totalt|total)(?:[\s:.].*)?", re.IGNORECASE)


@dataclass(frozen=True)
class TotalRow:
    """A closing total row under a file's rows ("Summa;;;1 234,56"), taken out of the
    table by `read_table(total_row=True)`: its file row and the declared columns' cells
    as text."""

    row: int
    cells: dict[str, str]


# --- reading the raw table ------------------------------------------------------------


def read_table(
    data: bytes,
    columns: Sequence[Column],
    *,
    numbers: Collection[str] = (),
    total_row: bool = False,
) -> pd.DataFrame:
    """Read an uploaded file into a frame of stripped strings, one column per `columns`.

    Columns are matched case-insensitively on their header; other columns are
    ignored; absent optional columns are filled with "", but for a column's `instead`
    columns, which are left out when the file has the column itself. The frame's index
    is the file row number. Fully empty rows are dropped.

    The header is the first of the file's first MAX_HEADER_ROW rows that has every
    required column (title rows above it are not read), else the one with most of
    the declared columns, else the first row that is not blank. `attrs` says where:
    `header_row` (the file's row number) and `absent`, the optional columns the file
    does not have. With `total_row`, a closing total row (its first filled cell "Summa",
    "Totalt", ...: TOTAL_LABEL_RE) is not a row of the table but `attrs["total_row"]`
    (TotalRow), for the extract to check against its sums; without one it is None.

    The columns named in `numbers` may come back as float64 instead: exactly
    `parse_amounts` of their text (NaN where blank, and no cell that is not a
    number), read by the CSV reader itself (see `_csv_numbers`) or taken from a
    workbook's number cells (see `xlsx_numbers`). Otherwise they come back as text
    like the others.
    """
    header, frame, total = _raw_table(data, columns, numbers, total_row=total_row)
    table = _select_columns(header, frame, columns)
    names = [_header_key(h) for h in header]
    table.attrs["header_row"] = frame.attrs["header_row"]
    table.attrs["absent"] = {c.name for c in columns if c.name.lower() not in names}
    table.attrs["total_row"] = None
    if total is not None:
        row, cells = total
        cells = [*cells, *[""] * (len(names) - len(cells))]
        table.attrs["total_row"] = TotalRow(
            row=row,
            cells={
                c.name: cell_text(cells[names.index(c.name.lower())])
                for c in columns
                if c.name.lower() in names
            },
        )
    return table


def read_wide_table(data: bytes, columns: Sequence[Column]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Like `read_table`, and every other column too: (the declared columns, the others).

    For files where some columns are data, such as one column per survey question.
    The others are named by their header as written (stripped), stripped strings,
    on the same index. Rows empty in every column are dropped. A header given
    twice, or a column with values but no header, is a problem.
    """
    header, frame, _total = _raw_table(data, columns)
    declared = _select_columns(header, frame, columns, drop_empty=False)
    names = [str(h).strip().lstrip("\ufeff") for h in header]
    taken = {column.name.lower() for column in columns}
    problems, others, seen = [], {}, set()
    for position, name in enumerate(names):
        if name.lower() in taken:
            continue
        cells = frame[position].astype("str").str.strip()
        if not name:
            if (cells != "").any():
                problems.append(
                    Problem(
                        None,
                        None,
                        _("Kolumn nr %(number)s har värden men ingen rubrik.")
                        % {"number": position + 1},
                    )
                )
            continue
        if name.lower() in seen:
            problems.append(Problem(None, name, _("förekommer flera gånger i rubrikraden.")))
            continue
        seen.add(name.lower())
        others[name] = cells
    if problems:
        raise ExtractError(problems)
    rest = pd.DataFrame(others, index=frame.index, dtype="str")
    if len(declared):
        nonempty = (declared != "").any(axis=1)
        if len(rest.columns):
            nonempty |= (rest != "").any(axis=1)
        declared, rest = declared[nonempty], rest[nonempty]
    return declared, rest


def _raw_table(
    data: bytes, columns: Sequence[Column], numbers: Collection[str] = (), *, total_row=False
) -> tuple[list, pd.DataFrame, tuple[int, list] | None]:
    """The header row (found as `read_table` says), the rows under it (columns
    numbered, index the file's row; attrs["header_row"]) and, with `total_row`, the
    closing total row taken out of them as (file row, cells) or None; the `numbers`
    columns perhaps as floats (`read_table`)."""
    if not data:
        raise ExtractError([Problem(None, None, _("Filen är tom."))])
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_table(data, columns, numbers, total_row=total_row)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractError(
            [
                Problem(
                    None,
                    None,
                    _(
                        "Filen är en äldre Excel-fil (.xls), som inte stöds. "
                        "Spara den som Excel-arbetsbok (.xlsx) eller CSV och försök igen."
                    ),
                )
            ]
        )
    refuse_past_limits(rows=sheet_size.csv_lines(data))
    return _csv_table(data, columns, numbers, total_row=total_row)


def _header_fit(cells: Iterable[object], columns: Sequence[Column]) -> tuple[bool, int]:
    """How well a row would do as the header: (it has every required column, or the
    columns a required one may be left out for; how many declared columns it has)."""
    keys = {_header_key(cell) for cell in cells}
    declared = {column.name.lower() for column in columns}
    count = len(keys & declared)
    complete = count > 0 and all(
        column.name.lower() in keys
        or (column.instead and all(name.lower() in keys for name in column.instead))
        for column in columns
        if column.required
    )
    return complete, count


def _header_choice(rows: Iterable[tuple[int, list]], columns: Sequence[Column]) -> int | None:
    """Which of the first rows is the header (see read_table): `rows` are (position,
    cells) of the rows that are not blank, top down, within MAX_HEADER_ROW rows."""
    first = best = None
    most = 0
    for position, cells in rows:
        if first is None:
            first = position
        complete, count = _header_fit(cells, columns)
        if complete:
            return position
        if count > most:
            best, most = position, count
    return best if best is not None else first


def _is_total(cells: Iterable[object]) -> bool:
    """Whether a row is a closing total row: its first filled cell says so (TOTAL_LABEL_RE)."""
    for cell in cells:
        text = cell_text(cell)
        if text:
            return TOTAL_LABEL_RE.fullmatch(text) is not None
    return False


def _select_columns(
    header: list, frame: pd.DataFrame, columns: Sequence[Column], *, drop_empty: bool = True
) -> pd.DataFrame:
    names = [_header_key(h) for h in header]
    # The columns a file's own column makes unneeded (Debet and Kredit beside Belopp).
    unneeded = {
        name.lower()
        for column in columns
        if column.name.lower() in names
        for name in column.instead
    }
    problems = []
    picked: dict[str, pd.Series] = {}
    for column in columns:
        key = column.name.lower()
        if key in unneeded:
            continue
        if key in names:
            picked[column.name] = _column_text(frame, names.index(key))
        elif _may_be_absent(column, names):
            picked[column.name] = pd.Series("", index=frame.index, dtype="str")
        else:
            problems.append(Problem(None, None, _missing_column(column)))
    if problems:
        found = ", ".join(quote(str(h).strip()) for h in header if str(h).strip())
        problems.append(
            Problem(None, None, _("Filens kolumner är: %(names)s.") % {"names": found or _("inga")})
        )
        raise ExtractError(problems)
    table = pd.DataFrame(picked, index=frame.index)
    # Drop rows that are empty in every column we read (Excel writes trailing ";;;").
    if drop_empty and len(table):
        # A row stays if any column has a value: look at columns until every row has one,
        # amounts read as numbers first (NaN is quicker to find than "" among 1M strings).
        nonempty = np.zeros(len(table), dtype=bool)
        for name in sorted(table.columns, key=lambda name: table[name].dtype != "float64"):
            nonempty |= filled(table[name])
            if nonempty.all():
                break
        else:
            table = table[nonempty]
    return table


def _column_text(frame: pd.DataFrame, position: int) -> pd.Series:
    """A column of the raw table as stripped text, or as it is if amounts read as numbers."""
    series = frame[position]
    if series.dtype == "float64":
        return series
    series = series.astype("str")
    return series if frame.attrs.get("stripped") else _stripped(series)  # see _csv_numbers


def _may_be_absent(column: Column, names: list[str]) -> bool:
    """Whether a file without `column` may be read: it is optional, or the file has the
    columns it may have instead."""
    return not column.required or bool(
        column.instead and all(name.lower() in names for name in column.instead)
    )


def _missing_column(column: Column) -> str:
    if not column.instead:
        return _("Kolumnen %(name)s saknas.") % {"name": quote(column.name)}
    return _("Kolumnen %(name)s saknas (eller kolumnerna %(first)s och %(last)s).") % {
        "name": quote(column.name),
        "first": ", ".join(quote(name) for name in column.instead[:-1]),
        "last": quote(column.instead[-1]),
    }


def _header_key(cell: object) -> str:
    """A header cell as columns are matched on it: stripped, without BOM, lower case."""
    return str(cell).strip().lstrip("\ufeff").lower()


def _stripped(values: pd.Series) -> pd.Series:
    """values.str.strip(). Most columns hold no whitespace at all: one pass over their
    joined text in C says so for a fifth of the cost of stripping cell by cell."""
    try:
        text = "".join(values.tolist())
    except TypeError:  # a missing value
        return values.str.strip()
    return values if text.split(None, 1) == [text] else values.str.strip()


def _csv_table(
    data: bytes, columns: Sequence[Column], numbers: Collection[str] = (), *, total_row=False
) -> tuple[list[str], pd.DataFrame, tuple[int, list] | None]:
    text = _decode(data)
    if "\r" in text and '"' in text:
        # A quoted cell may hold a line end, which the CSV reader keeps as written: make
        # them all "\n", as cells have always had them. Otherwise leave the line ends to
        # the reader, which ends lines at "\r\n", "\r" and "\n" alike (LINE_END_RE), and
        # spare copying the whole text (1M rows: 0.07 s).
        text = _one_line_end(text)
    # Skip blank lines, lines of bare separators and title lines above the header,
    # keeping row numbers.
    start, end, rows, skipped = _header_line(text, columns)
    first_line = text[start:end]
    delimiter = _delimiter(first_line)
    total = None
    if total_row:
        found = _total_line(text, rows, delimiter)
        if found is not None:
            cut, cells = found
            text, total = text[:cut], cells
    header, body = _csv_body(text, start, end, rows, skipped, delimiter, numbers)
    body.attrs["header_row"] = skipped + 1
    if total is not None:
        total = (skipped + 2 + len(body), total)
    return header, body, total


# How much text a part of read_table_parts holds: about 65,000 rows of a ledger extract.
PART_CHARS = 2_000_000


def read_table_parts(
    data: bytes,
    columns: Sequence[Column],
    *,
    numbers: Collection[str] = (),
) -> Iterator[pd.DataFrame] | None:
    """`read_table`'s table of a CSV in parts of about PART_CHARS characters of text
    (whole lines), each part read when asked for, so a caller can work on one while the next is read; or None when the file
    cannot be read so, and `read_table` reads it whole.

    Each part is exactly the rows `read_table` would give of those lines: the same
    columns, index (the file's row numbers), `attrs` and empty rows dropped; a part
    may be empty. Read so are CSV files without quotes (a quoted cell may hold a line
    end) and without a closing total row (it is checked against the whole file's
    sums). A part the reader takes otherwise than the whole file would (a row with
    more fields than the header, for one) raises PartsDeclined: read the file whole.
    Problems of the whole file (empty, too many rows, unknown encoding) raise
    ExtractError, as `read_table` does.
    """
    if not data or data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return None
    refuse_past_limits(rows=sheet_size.csv_lines(data))
    text = _decode(data)
    if '"' in text:
        return None
    start, end, rows, skipped = _header_line(text, columns)
    first_line = text[start:end]
    delimiter = _delimiter(first_line)
    if _total_line(text, rows, delimiter) is not None:
        return None
    header = first_line.split(delimiter)
    names = [_header_key(h) for h in header]
    attrs = {
        "header_row": skipped + 1,
        "absent": {c.name for c in columns if c.name.lower() not in names},
        "total_row": None,
    }
    return _table_parts(text, rows, header, first_line, delimiter, numbers, columns, attrs)


class PartsDeclined(Exception):
    """A part of a file read by read_table_parts might not read as the whole file does."""


def _table_parts(text, position, header, first_line, delimiter, numbers, columns, attrs):
    row = attrs["header_row"] + 1  # the file row of the next part's first line
    while position < len(text):
        cut = text.find("\n", position + max(1, PART_CHARS) - 1)
        stop = len(text) if cut < 0 else cut + 1
        part = text[position:stop]
        position = stop
        ends = part.count("\n") + part.count("\r") - part.count("\r\n")
        lines = ends + (0 if part.endswith(("\n", "\r")) else 1)
        frame = _csv_numbers(first_line, part, delimiter, numbers) if numbers else None
        if frame is None:
            frame = _part_text(first_line, part, delimiter)
        if len(frame) != lines or frame.shape[1] != len(header):
            raise PartsDeclined(f"{len(frame)} rows of {lines} lines")
        frame.index = pd.RangeIndex(row, row + lines)
        row += lines
        table = _select_columns(header, frame, columns)
        table.attrs.update(attrs)
        yield table


def _part_text(first_line: str, part: str, delimiter: str) -> pd.DataFrame:
    """A part's lines as text, read as `_csv_body` reads the whole file's: under the
    header line, which sets the number of columns."""
    try:
        frame = _text_cells(first_line + "\n" + _one_line_end(part), delimiter)
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        raise PartsDeclined(str(exc)) from exc
    return frame.iloc[1:]


def _text_cells(text: str, delimiter: str) -> pd.DataFrame:
    """CSV lines as a frame of their cells' text, as written (no header, no NA)."""
    return pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        header=None,
        dtype="str",
        keep_default_na=False,
        skip_blank_lines=False,
        quoting=csv.QUOTE_MINIMAL,
        engine="c",
    )


def _delimiter(line: str) -> str:
    return ";" if ";" in line else "\t" if "\t" in line else ","


def _line_cells(line: str) -> list[str]:
    """One line of a CSV as its cells (quotes taken off), split at its own delimiter."""
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def _total_line(text: str, rows: int, delimiter: str) -> tuple[int, list[str]] | None:
    """Where the file's last line that is not blank starts, and its cells, when it is a
    closing total row (_is_total); None otherwise. Only lines from `rows` on count."""
    size = 4096
    while True:
        tail_start = max(rows, len(text) - size)
        # The tail's first line may begin before it: only whole lines are looked at.
        starts = [tail_start] if tail_start == rows else []
        starts += [m.end() for m in LINE_END_RE.finditer(text, tail_start)]
        for line_start in reversed(starts):
            match = LINE_END_RE.search(text, line_start)
            line = text[line_start : match.start() if match else len(text)]
            if line.strip(" \t;,"):
                cells = next(csv.reader([line], delimiter=delimiter), [])
                return (line_start, cells) if _is_total(cells) else None
        if tail_start == rows:
            return None
        size *= 4


def _csv_body(
    text: str,
    start: int,
    end: int,
    rows: int,
    skipped: int,
    delimiter: str,
    numbers: Collection[str],
) -> tuple[list[str], pd.DataFrame]:
    """The header line's cells and the rows under it (see _csv_table)."""
    first_line = text[start:end]
    if numbers:
        body = _csv_numbers(first_line, text[rows:], delimiter, numbers)
        if body is not None:
            body.index = pd.RangeIndex(2 + skipped, 2 + skipped + len(body))
            return first_line.split(delimiter), body
    text = _one_line_end(text[start:])
    try:
        frame = _text_cells(text, delimiter)
    except pd.errors.EmptyDataError as exc:
        raise ExtractError([Problem(None, None, _("Filen är tom."))]) from exc
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = match.groups()
            raise ExtractError(
                [
                    Problem(
                        int(line) + skipped,
                        None,
                        _(
                            "raden har %(saw)s fält men rubrikraden har %(expected)s. "
                            "Kontrollera avgränsare och citattecken."
                        )
                        % {"saw": saw, "expected": expected},
                    )
                ]
            ) from exc
        raise ExtractError(
            [Problem(None, None, _("Filen kunde inte läsas som CSV. Kontrollera formatet."))]
        ) from exc
    if frame.empty:
        raise ExtractError([Problem(None, None, _("Filen är tom."))])
    header = [str(v) for v in frame.iloc[0].tolist()]
    body = frame.iloc[1:]
    body.index = pd.RangeIndex(2 + skipped, 2 + skipped + len(body))
    return header, body


# Every character that may follow the header of a CSV whose amounts the CSV reader
# parses itself: digits, signs, decimal and field separators, spaces, quotes, line
# ends ("\r" too: _csv_table leaves it only in files without quotes), and the "-" and
# ":" of dates. The reader's number parser accepts more than AMOUNT_RE, but only with
# letters (1e5, inf, Infinity); with these characters alone, a cell it reads as a
# number is one AMOUNT_RE accepts, read to the same float, and every other cell makes
# it fail.
PLAIN_CSV_BYTES = b'0123456789+-.,:;\t "\r\n'


def _csv_numbers(
    first_line: str, rest: str, delimiter: str, numbers: Collection[str]
) -> pd.DataFrame | None:
    """The rows under the header line `first_line` (the text after it, `rest`) with
    the `numbers` columns read as floats by pandas' CSV reader, or None when that could
    differ from `parse_amounts` of their text, which the caller then reads.

    Parsing in the reader spares making a million strings and reading them again
    (1M rows: 0.17 s to read instead of 0.38 s, and no 0.4 s in parse_amounts). It
    is used only when it must agree: a header without quotes (so its line is its
    row), nothing but PLAIN_CSV_BYTES below it, one decimal sign (a comma, or a
    point in a comma-separated file), every cell a number or blank, no infinity
    (more digits than a float holds), and as many columns as the header.
    """
    if '"' in first_line:
        return None
    header = first_line.split(delimiter)
    names = [_header_key(h) for h in header]
    positions = {names.index(name.lower()) for name in numbers if name.lower() in names}
    if not positions or not rest.isascii():
        return None
    rest = rest.encode("ascii")
    if rest.translate(None, PLAIN_CSV_BYTES):
        return None
    try:
        frame = pd.read_csv(
            io.BytesIO(rest),
            sep=delimiter,
            header=None,
            dtype={i: "float64" if i in positions else "str" for i in range(len(header))},
            decimal="." if delimiter == "," else ",",
            # Only a blank cell is missing (not "NA" and the like, as in the text).
            na_values={i: [""] for i in positions},
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except ValueError:  # a cell that is no plain number, a long row, no rows at all
        return None
    if frame.shape[1] != len(header):
        return None
    if any(np.isinf(frame[i].to_numpy()).any() for i in positions):
        return None
    # Of PLAIN_CSV_BYTES, a cell can only begin or end with a space or a tab, or with a
    # line end inside quotes: with none of them in the file, every cell is stripped
    # already and _select_columns need not look (1M rows: 20 ms a column).
    frame.attrs["stripped"] = not any(byte in rest for byte in (b" ", b"\t", b'"'))
    return frame


# A line end, as the CSV reader and _one_line_end take them ("\r\r\n" is two).
LINE_END_RE = re.compile(r"\r\n?|\n")


def _one_line_end(text: str) -> str:
    """`text` with every line end (LINE_END_RE) written "\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header_line(text: str, columns: Sequence[Column] = ()) -> tuple[int, int, int, int]:
    """Where in `text` the header line starts, ends and the rows under it start, and
    how many lines are above it: blank, bare separators (Excel writes ";;;") or title
    lines (see read_table)."""
    lines = []  # (start, end, next line's start) of the first MAX_HEADER_ROW lines
    start = 0
    while len(lines) < MAX_HEADER_ROW:
        match = LINE_END_RE.search(text, start)
        lines.append((start, match.start(), match.end()) if match else (start, len(text), None))
        if match is None:
            break
        start = match.end()
    filled = [
        (number, _line_cells(text[a:b]))
        for number, (a, b, _next) in enumerate(lines)
        if text[a:b].strip(" \t;,")
    ]
    chosen = _header_choice(filled, columns)
    if chosen is None:  # nothing but blank lines so far: the first line that is not blank
        start, skipped = (lines[-1][2] or len(text)), len(lines)
        while match := LINE_END_RE.search(text, start):
            if text[start : match.start()].strip(" \t;,"):
                return start, match.start(), match.end(), skipped
            start, skipped = match.end(), skipped + 1
        return start, len(text), len(text), skipped
    line_start, line_end, after = lines[chosen]
    return line_start, line_end, len(text) if after is None else after, chosen


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Swedish Excel writes CSV; line
    ends as written."""
    if b"\x00" in data[:4096]:
        raise ExtractError(
            [Problem(None, None, _("Filen är varken en CSV-fil eller en Excel-arbetsbok (.xlsx)."))]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ExtractError(
                [
                    Problem(
                        None,
                        None,
                        _(
                            "Filens teckenkodning känns inte igen. "
                            "Spara den som CSV (UTF-8) eller CSV (semikolonavgränsad)."
                        ),
                    )
                ]
            ) from exc
    return text


def _xlsx_table(
    data: bytes, columns: Sequence[Column], numbers: Collection[str] = (), *, total_row=False
) -> tuple[list[str], pd.DataFrame, tuple[int, list] | None]:
    """The first sheet's header row (see read_table) and the rows under it, as text
    (cell_text); the `numbers` columns perhaps as floats (xlsx_numbers); the closing
    total row taken out of them (with `total_row`)."""
    rows = xlsx_rows(data)
    first = [(i, row) for i, row in enumerate(rows[:MAX_HEADER_ROW]) if any(map(cell_text, row))]
    header_at = _header_choice(first, columns)
    if header_at is None:
        header_at = next((i for i, row in enumerate(rows) if any(map(cell_text, row))), None)
    if header_at is None:
        raise ExtractError([Problem(None, None, _("Filen är tom."))])
    total = None
    if total_row:
        last = next(
            (i for i in range(len(rows) - 1, header_at, -1) if any(map(cell_text, rows[i]))),
            None,
        )
        if last is not None and _is_total(rows[last]):
            total, rows = (last + 1, rows[last]), rows[:last]
    header = [cell_text(cell) for cell in rows[header_at]]
    names = [_header_key(h) for h in header]
    positions = {names.index(name.lower()) for name in numbers if name.lower() in names}
    body = rows[header_at + 1 :]
    index = pd.RangeIndex(header_at + 2, header_at + 2 + len(body))
    by_position = {}
    for i in range(len(header)):
        # A column at a time: a cell of each row (200,000 rows: 5 ms a column, where
        # transposing the rows with zip(*rows) took 0.13 s).
        cells = list(map(itemgetter(i), body))
        values = xlsx_numbers(cells) if i in positions else None
        if values is None:
            by_position[i] = pd.Series(column_texts(cells), index=index, dtype=object)
        else:
            by_position[i] = pd.Series(values, index=index)
    frame = pd.DataFrame(by_position, index=index)
    frame.attrs["stripped"] = True  # cell_text strips every cell (see _select_columns)
    frame.attrs["header_row"] = header_at + 1
    return header, frame, total


def read_rows(data: bytes, columns: Sequence[Column]) -> tuple[pd.DataFrame, list[Problem]]:
    """`read_table` of a file that must have rows (else "Filen innehåller inga rader."),
    with the problems of its blank cells in every column."""
    table = read_table(data, columns)
    if table.empty:
        raise ExtractError([Problem(None, None, _("Filen innehåller inga rader."))])
    return table, blank_problems(table, [c.name for c in columns])


def choice_problems(
    table: pd.DataFrame, column: str, codes: pd.Series, allowed: Sequence[str], explanation: str
) -> list[Problem]:
    """Cells of `column` whose code (`codes`, e.g. lower-cased) is not one of `allowed`;
    `explanation` has %(allowed)s for the allowed codes. Blank cells are left to
    blank_problems."""
    return invalid_problems(
        table,
        column,
        ~codes.isin(list(allowed)) & (codes != ""),
        explanation % {"allowed": ", ".join(allowed)},
    )


def total_row_problems(
    total: TotalRow | None, sums: Mapping[str, pd.Series], *, whole: Collection[str] = ()
) -> list[Problem]:
    """Check a closing total row (read_table's attrs["total_row"]) against the file: for
    each column of `sums` (name -> its amounts, parsed and rounded to öre, NaN where
    blank) whose cell in the total row is filled, the total must be a number and equal
    the column's sum to the öre. Columns with cells that are no numbers are left out by
    the caller: those cells have their own problems. The message writes the sums with
    two decimals, those of the `whole` columns (counts) with none."""
    if total is None:
        return []
    problems = []
    for column, values in sums.items():
        written = total.cells.get(column, "")
        if not written:
            continue
        stated = parse_amounts(pd.Series([written], dtype="str"))[0]
        if np.isnan(stated):
            problems.append(Problem(total.row, column, f"{quote(written)} {AMOUNT_EXPLANATION}"))
            continue
        # In öre, as integers: a sum of floats is not exact.
        summed = int(np.round(values.fillna(0.0).to_numpy() * 100).astype(np.int64).sum())
        if round(stated * 100) != summed:
            problems.append(
                Problem(
                    total.row,
                    column,
                    _("summaraden anger %(stated)s men raderna ovanför summerar till %(sum)s.")
                    % {
                        "stated": format_number(stated, 0 if column in whole else 2),
                        "sum": format_number(summed / 100, 0 if column in whole else 2),
                    },
                )
            )
    return problems

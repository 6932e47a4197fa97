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
import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from hyrdash.lib import sheet_size
from hyrdash.lib.formatting import format_number

# How many problems a report lists before it says "and N more".
MAX_LISTED_PROBLEMS = 200

# An XLSX is a zip: refuse archives that would unpack to more than this (zip bombs).
MAX_XLSX_UNPACKED_BYTES = 500 * 1024 * 1024

# Besides, a file is measured before it is read (hyrdash.lib.sheet_size): at most
# settings.MAX_EXTRACT_ROWS rows (the header row too) and, for a workbook, at most
# settings.MAX_EXTRACT_CELLS cells from A1 to its last row and column.
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_CELLS = 20_000_000


AMOUNT_RE = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"

PERIOD_RE = r"(\d{4})-?(\d{2})(?:-(\d{2}))?(?:[ T]00:00(?::00(?:\.0+)?)?)?"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an uploaded file. `row` is the file's row number."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        values = {"row": self.row, "column": self.column, "message": self.message}
        if self.row is not None and self.column:
            return _("Rad %(row)s, kolumn %(column)s: %(message)s") % values
        if self.row is not None:
            return _("Rad %(row)s: %(message)s") % values
        if self.column:
            return _("Kolumn %(column)s: %(message)s") % values
        return str(self.message)


class ExtractError(Exception):
    """The file cannot be imported; `problems` says why, row by row."""

    def __init__(self, problems: Sequence[Problem]):
        # Stable: problems of one row keep the order they were found in (column order).
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        listed = [str(p) for p in self.problems[:MAX_LISTED_PROBLEMS]]
        rest = len(self.problems) - len(listed)
        if rest > 0:
            listed.append(_("… och %(count)s fel till.") % {"count": rest})
        return listed


@dataclass(frozen=True)
class Column:
    name: str  # as users write it, used in messages
    required: bool = True


def quote(value: object) -> str:
    """A value as messages quote it: ”value” (Swedish quotation marks; English “value”)."""
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return pgettext("a value quoted in a message", "”%(value)s”") % {"value": text}


# --- reading the raw table ------------------------------------------------------------


def read_table(
    data: bytes, columns: Sequence[Column], *, numbers: Collection[str] = ()
) -> pd.DataFrame:
    """Read an uploaded file into a frame of stripped strings, one column per `columns`.

    Columns are matched case-insensitively on their header; other columns are
    ignored; absent optional columns are filled with "". The frame's index is
    the file row number. Fully empty rows are dropped.

    The columns named in `numbers` may come back as float64 instead: exactly
    `parse_amounts` of their text (NaN where blank, and no cell that is not a
    number), read by the CSV reader itself (see `_csv_numbers`) or taken from a
    workbook's number cells (see `_xlsx_numbers`). Otherwise they come back as text
    like the others.
    """
    header, frame = _raw_table(data, numbers)
    return _select_columns(header, frame, columns)


def read_wide_table(data: bytes, columns: Sequence[Column]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Like `read_table`, and every other column too: (the declared columns, the others).

    For files where some columns are data, such as one column per survey question.
    The others are named by their header as written (stripped), stripped strings,
    on the same index. Rows empty in every column are dropped. A header given
    twice, or a column with values but no header, is a problem.
    """
    header, frame = _raw_table(data)
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


def _raw_table(data: bytes, numbers: Collection[str] = ()) -> tuple[list, pd.DataFrame]:
    """The header row and the rows under it (columns numbered, index the file's row);
    the `numbers` columns perhaps as floats (`read_table`)."""
    if not data:
        raise ExtractError([Problem(None, None, _("Filen är tom."))])
    if data.startswith(b"PK\x03\x04"):
        header, frame = _xlsx_table(data, numbers)
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
    else:
        _refuse_past_limits(rows=sheet_size.csv_lines(data))
        header, frame = _csv_table(data, numbers)
    return header, frame


def _refuse_past_limits(*, rows: int, columns: int = 1) -> None:
    """ExtractError when a table of `rows` x `columns` is past MAX_EXTRACT_ROWS rows or
    MAX_EXTRACT_CELLS cells."""
    max_rows = getattr(settings, "MAX_EXTRACT_ROWS", DEFAULT_MAX_ROWS)
    max_cells = getattr(settings, "MAX_EXTRACT_CELLS", DEFAULT_MAX_CELLS)
    values = {"rows": format_number(rows), "columns": format_number(columns)}
    values |= {"cells": format_number(rows * columns), "limit": format_number(max_rows)}
    if rows > max_rows:
        text = _("Filen har %(rows)s rader; högst %(limit)s rader läses (rubrikraden medräknad).")
    elif rows * columns > max_cells:
        values["limit"] = format_number(max_cells)
        text = _(
            "Excel-filens första blad sträcker sig över %(rows)s rader och %(columns)s kolumner, "
            "%(cells)s celler; högst %(limit)s celler läses. Ta bort tomma rader och kolumner "
            "under och till höger om tabellen."
        )
    else:
        return
    split = _("Dela upp filen, till exempel per år, och importera delarna var för sig.")
    raise ExtractError([Problem(None, None, f"{text % values} {split}")])


def _select_columns(
    header: list, frame: pd.DataFrame, columns: Sequence[Column], *, drop_empty: bool = True
) -> pd.DataFrame:
    names = [_header_key(h) for h in header]
    problems = []
    picked: dict[str, pd.Series] = {}
    for column in columns:
        key = column.name.lower()
        if key in names:
            series = frame[names.index(key)]
            if series.dtype != "float64":  # not amounts read as numbers already
                series = series.astype("str")
                if not frame.attrs.get("stripped"):  # see _csv_numbers
                    series = _stripped(series)
            picked[column.name] = series
        elif column.required:
            problems.append(
                Problem(None, None, _("Kolumnen %(name)s saknas.") % {"name": quote(column.name)})
            )
        else:
            picked[column.name] = pd.Series("", index=frame.index, dtype="str")
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


def _header_key(cell: object) -> str:
    """A header cell as columns are matched on it: stripped, without BOM, lower case."""
    return str(cell).strip().lstrip("\ufeff").lower()


def filled(values: pd.Series) -> np.ndarray:
    """Where a column of text cells is not blank (""), as a numpy array: three times
    faster than `values != ""` on pandas' string columns, which matters at 1M rows.
    For amounts read as numbers (`read_table`), where they are not NaN."""
    if values.dtype == "float64":
        return values.notna().to_numpy()
    try:
        return values.to_numpy(dtype=object).astype(bool)
    except TypeError:  # a missing value (pd.NA has no truth value)
        return (values != "").to_numpy(dtype=bool, na_value=False)


def _stripped(values: pd.Series) -> pd.Series:
    """values.str.strip(). Most columns hold no whitespace at all: one pass over their
    joined text in C says so for a fifth of the cost of stripping cell by cell."""
    try:
        text = "".join(values.tolist())
    except TypeError:  # a missing value
        return values.str.strip()
    return values if text.split(None, 1) == [text] else values.str.strip()


def _csv_table(data: bytes, numbers: Collection[str] = ()) -> tuple[list[str], pd.DataFrame]:
    text = _decode(data)
    if "\r" in text and '"' in text:
        # A quoted cell may hold a line end, which the CSV reader keeps as written: make
        # them all "\n", as cells have always had them. Otherwise leave the line ends to
        # the reader, which ends lines at "\r\n", "\r" and "\n" alike (LINE_END_RE), and
        # spare copying the whole text (1M rows: 0.07 s).
        text = _one_line_end(text)
    # Skip blank lines (or lines of bare separators) above the header, keeping row numbers.
    start, end, rows, skipped = _header_line(text)
    first_line = text[start:end]
    delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    if numbers:
        body = _csv_numbers(first_line, text[rows:], delimiter, numbers)
        if body is not None:
            body.index = pd.RangeIndex(2 + skipped, 2 + skipped + len(body))
            return first_line.split(delimiter), body
    text = _one_line_end(text[start:])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype="str",
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
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


def _header_line(text: str) -> tuple[int, int, int, int]:
    """Where in `text` the header line starts, ends and the rows under it start, and
    how many lines above it are blank or bare separators (Excel writes ";;;")."""
    start = skipped = 0
    while match := LINE_END_RE.search(text, start):
        if text[start : match.start()].strip(" \t;,"):
            return start, match.start(), match.end(), skipped
        start, skipped = match.end(), skipped + 1
    return start, len(text), len(text), skipped


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


def _xlsx_table(data: bytes, numbers: Collection[str] = ()) -> tuple[list[str], pd.DataFrame]:
    """The first sheet's header row (its first row with a cell that is not blank) and
    the rows under it, as text (_cell_text); the `numbers` columns perhaps as floats
    (_xlsx_numbers)."""
    rows = _xlsx_rows(data)
    header_at = next((i for i, row in enumerate(rows) if any(map(_cell_text, row))), None)
    if header_at is None:
        raise ExtractError([Problem(None, None, _("Filen är tom."))])
    header = [_cell_text(cell) for cell in rows[header_at]]
    names = [_header_key(h) for h in header]
    positions = {names.index(name.lower()) for name in numbers if name.lower() in names}
    body = rows[header_at + 1 :]
    index = pd.RangeIndex(header_at + 2, header_at + 2 + len(body))
    columns = {}
    for i in range(len(header)):
        # A column at a time: a cell of each row (200,000 rows: 5 ms a column, where
        # transposing the rows with zip(*rows) took 0.13 s).
        cells = list(map(itemgetter(i), body))
        values = _xlsx_numbers(cells) if i in positions else None
        if values is None:
            columns[i] = pd.Series(_column_texts(cells), index=index, dtype=object)
        else:
            columns[i] = pd.Series(values, index=index)
    frame = pd.DataFrame(columns, index=index)
    frame.attrs["stripped"] = True  # _cell_text strips every cell (see _select_columns)
    return header, frame


def _xlsx_numbers(cells: list) -> np.ndarray | None:
    """A column of cells as floats, NaN where blank, when that is exactly
    `parse_amounts` of their text (_cell_text), else None.

    Amounts in a workbook are numbers already: calamine reads them as floats, whose
    text (_float_text) reads back as the same float, but for the sign of a zero
    ("0"). Reading them as they are spares writing 200,000 floats as text and parsing
    it again (0.2 s). Only for a column of finite floats and blank cells (None or
    ""); a text, a boolean, a date, an integer, an infinity or NaN (calamine reads
    "inf" and "NaN" as floats) leaves the column to the text, which says what is
    wrong with it.
    """
    types = set(map(type, cells))
    if types <= {float}:
        values = np.array(cells, dtype="float64")
        floats = len(cells)
    elif types <= {float, str, type(None)}:
        others = [cell for cell in cells if type(cell) is not float]
        if any(others):  # a text other than "" (one of spaces too: rare, the text strips it)
            return None
        values = np.array([c if type(c) is float else np.nan for c in cells], dtype="float64")
        floats = len(cells) - len(others)
    else:
        return None
    if np.count_nonzero(np.isfinite(values)) != floats:  # a cell is inf or NaN
        return None
    return values + 0.0  # -0.0 as 0.0, as its text "0" reads


def _xlsx_rows(data: bytes) -> list[list]:
    """The first sheet's cells as calamine reads them, row by row, all of one length."""
    from python_calamine import CalamineWorkbook

    unreadable = Problem(None, None, _("Filen kunde inte läsas som Excel-arbetsbok (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    # NotImplementedError: a zip whose entries need a newer zip version than Python reads.
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError) as exc:
        raise ExtractError([unreadable]) from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ExtractError(
            [Problem(None, None, _("Excel-filen är för stor uppackad och har inte lästs."))]
        )
    _refuse_large_sheet(data, unreadable)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ExtractError([Problem(None, None, _("Excel-filen har inget kalkylblad."))])
        sheet = workbook.get_sheet_by_index(0)
        # The sheet measured before was calamine's: this only confirms it, before the
        # cells become Python values.
        _refuse_past_limits(rows=sheet.height, columns=sheet.width)
        raw = sheet.to_python(skip_empty_area=False)
    except ExtractError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ExtractError([unreadable]) from exc
    lengths = set(map(len, raw))
    width = max(lengths, default=0)
    if len(lengths) > 1:
        raw = [[*row, *[None] * (width - len(row))] for row in raw]
    return raw


def _refuse_large_sheet(data: bytes, unreadable: Problem) -> None:
    """Measure the workbook's first sheet before calamine reads it and refuse it past
    the limits (hyrdash.lib.sheet_size)."""
    try:
        extents = sheet_size.workbook_extents(data)
    except Exception as exc:  # a broken archive or XML: calamine would not read it either
        raise ExtractError([unreadable]) from exc
    for extent in extents:
        _refuse_past_limits(rows=extent.rows, columns=extent.columns)


def _column_texts(cells: Sequence[object]) -> list[str]:
    """_cell_text of every cell of a column, a column at a time: in an extract every
    cell of a column has the same type, and its dates and texts repeat (200,000 rows:
    0.5 s instead of 3 s cell by cell)."""
    types = set(map(type, cells))
    if types <= {str}:
        return list(map(str.strip, cells))
    if len(types) == 1 or types <= {float, type(None)}:
        # Of one type (or floats and blanks), equal cells have one text: write each
        # distinct cell once, as dates and codes repeat (200,000 rows: 10 ms, not 20 ms
        # of dates or 40 ms of account numbers). Amounts seldom repeat: one at a time.
        sample = cells[:1000]
        if types <= {float, type(None)} and len(set(sample)) * 2 > len(sample):
            return ["" if cell is None else _float_text(cell) for cell in cells]
        known = {cell: _cell_text(cell) for cell in set(cells)}
        return list(map(known.__getitem__, cells))
    known: dict[tuple[type, object], str] = {}
    texts = []
    for cell in cells:
        if type(cell) is float:
            texts.append(_float_text(cell))
            continue
        key = (type(cell), cell)
        text = known.get(key)
        if text is None:
            text = known[key] = _cell_text(cell)
        texts.append(text)
    return texts


def _cell_text(cell: object) -> str:
    """An Excel cell as the text a CSV export would hold (dates as ÅÅÅÅ-MM-DD)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "SANT" if cell else "FALSKT"
    if isinstance(cell, dt.datetime | dt.date):
        return cell.strftime("%Y-%m-%d")
    if isinstance(cell, float):
        return _float_text(cell)
    return str(cell).strip()


def _float_text(cell: float) -> str:
    if cell.is_integer():
        return str(int(cell))
    text = repr(cell)
    if "e" in text:
        # Formula residues such as 1.4e-14: written out, as a CSV export would.
        text = format(Decimal(text), "f")
    return text


# --- parsing columns ------------------------------------------------------------------


def parse_amounts(values: pd.Series) -> pd.Series:
    """Swedish or English number text -> float (NaN where it is not a finite number).

    Accepts decimal comma or point, spaces, no-break spaces and apostrophes as
    thousands separators, a Unicode minus. When both "," and "." occur, the
    rightmost one is the decimal separator ("1.234,50" and "1,234.50"). A lone
    comma is always a decimal comma, as Swedish files write it.
    """
    # Blank cells are no numbers: leave them out of the string work (most of the
    # hours column of a ledger extract is blank).
    blank = ~filled(values)
    if not blank.any():
        return _parse_amount_texts(values)
    numbers = np.full(len(values), np.nan)
    if not blank.all():
        numbers[~blank] = _parse_amount_texts(values[~blank]).to_numpy()
    return pd.Series(numbers, index=values.index, name=values.name)


def _parse_amount_texts(values: pd.Series) -> pd.Series:
    if not len(values):
        return pd.Series([], index=values.index, name=values.name, dtype="float64")
    if _only_characters(values, "0123456789,+-") or _only_characters(values, "0123456789.+-"):
        # What finance systems and Excel export: nothing to remove, a comma (or, with no
        # comma anywhere, a point) is the decimal sign. With only these characters, what
        # float() reads is what AMOUNT_RE accepts, so one pass over the joined text
        # replaces a regular expression per cell (1M cells: 0.3 s instead of 1.5 s); any
        # other text goes the general way.
        cells = "\n".join(values.tolist()).replace(",", ".").split("\n")
        try:
            numbers = np.array(cells, dtype="float64")
        except ValueError:
            text = pd.Series(cells, index=values.index, dtype="str")
        else:
            numbers[np.isinf(numbers)] = np.nan  # more digits than a float holds
            return pd.Series(numbers, index=values.index, name=values.name)
    else:
        text = values.str.replace(r"[\s\u00a0\u202f']", "", regex=True)
        text = text.str.replace("\u2212", "-", regex=False)
        has_comma = text.str.contains(",", regex=False)
        has_point = text.str.contains(".", regex=False)
        if (has_comma & has_point).any():
            comma_last = text.str.rfind(",") > text.str.rfind(".")
            both = has_comma & has_point
            text = text.mask(both & comma_last, text.str.replace(".", "", regex=False))
            text = text.mask(both & ~comma_last, text.str.replace(",", "", regex=False))
        if has_comma.any():
            text = text.str.replace(",", ".", regex=False)
    valid = text.str.fullmatch(AMOUNT_RE)
    numbers = pd.to_numeric(text.where(valid, None), errors="coerce").astype("float64")
    # More digits than a float holds ("999…9", 400 of them) read as infinity: not a number.
    return numbers.mask(numbers.abs() == float("inf"))


def parse_periods(values: pd.Series) -> pd.Series:
    """Month text (2024-03, 202403, 2024-03-01, an Excel date) -> 'YYYY-MM' or NaN."""
    # An extract has few distinct periods: read each once (1M rows: 6.6 s -> 0.2 s).
    codes, distinct = pd.factorize(values)
    parsed = _parse_period_texts(pd.Series(distinct, dtype=values.dtype)).to_numpy()
    return pd.Series(np.append(parsed, pd.NA)[codes], index=values.index, dtype="object")


def _only_characters(values: pd.Series, allowed: str) -> bool:
    """Whether every value is a string of `allowed` (ASCII) characters only: one pass
    over all the text in C instead of one call per cell."""
    try:
        text = "".join(values.tolist()).encode("utf-8")
    except (TypeError, UnicodeEncodeError):  # a missing value, a lone surrogate
        return False
    return not text.translate(None, allowed.encode("ascii"))


def _parse_period_texts(values: pd.Series) -> pd.Series:
    parts = values.str.extract(f"^{PERIOD_RE}$")
    year = pd.to_numeric(parts[0], errors="coerce")
    month = pd.to_numeric(parts[1], errors="coerce")
    day = pd.to_numeric(parts[2], errors="coerce")
    valid = year.between(1900, 2200) & month.between(1, 12) & (day.isna() | day.between(1, 31))
    result = pd.Series(pd.NA, index=values.index, dtype="object")
    ok = valid.fillna(False).astype(bool)
    if ok.any():
        result[ok] = (
            year[ok].astype(int).astype(str) + "-" + month[ok].astype(int).astype(str).str.zfill(2)
        )
    return result


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


def in_column_order(problems: list[Problem], columns: Sequence[Column]) -> list[Problem]:
    """Problems sorted by column as the file declares them; ExtractError then sorts by
    row, stably, so each row's problems read left to right."""
    order = {column.name: i for i, column in enumerate(columns)}
    return sorted(problems, key=lambda p: order.get(p.column or "", -1))


def blank_problems(
    table: pd.DataFrame, columns: Iterable[str], given: Mapping[str, np.ndarray] | None = None
) -> list[Problem]:
    """A problem for every blank cell of `columns`; `given` may hold their `filled`."""
    problems = []
    for column in columns:
        present = given[column] if given is not None else filled(table[column])
        for row in table.index[~present]:
            problems.append(Problem(int(row), column, _("värde saknas.")))
    return problems


def invalid_problems(
    table: pd.DataFrame, column: str, invalid: pd.Series, explanation: str
) -> list[Problem]:
    """Problems for the rows where `invalid` is true, quoting the cell."""
    rows = table.index[invalid.to_numpy()]
    cells = table.loc[rows, column]
    return [
        Problem(int(row), column, f"{quote(cell)} {explanation}")
        for row, cell in zip(rows, cells, strict=True)
    ]


def duplicate_problems(table: pd.DataFrame, column: str, what: str) -> list[Problem]:
    dup = table[column].duplicated(keep="first") & (table[column] != "")
    return invalid_problems(
        table, column, dup, _("förekommer flera gånger (%(what)s).") % {"what": what}
    )


# What follows a quoted cell in a message (lazy: translated when the message is made).
PERIOD_EXPLANATION = gettext_lazy("är ingen giltig månad (skriv ÅÅÅÅ-MM, ÅÅÅÅMM eller ÅÅÅÅ-MM-DD).")

AMOUNT_EXPLANATION = gettext_lazy("är inget tal.")

# Amounts and hours are stored as decimals with 14 and 12 digits before the comma: a
# larger value is a mistake in the file (an ansvar or a date in the amount column).
MAX_AMOUNT = 10**12
NEGATIVE_EXPLANATION = gettext_lazy("är negativt; antal och timmar kan inte vara mindre än 0.")

TOO_LARGE_EXPLANATION = gettext_lazy("är orimligt stort (högst 999 999 999 999,99).")


def as_amounts(values: pd.Series) -> pd.Series:
    """parse_amounts of a column of `read_table`, which may have read it so already."""
    return values if values.dtype == "float64" else parse_amounts(values)

"""How large an uploaded file's table is, found before it is read, in bounded memory.

A workbook of a few hundred kilobytes can hold millions of rows: its sheet is XML
that compresses a thousandfold. The reader (calamine) builds the first sheet as a
dense table from its first to its last cell, row by row and column by column, and
then Python's values of every cell: 3,000,000 rows of a 190 KB file kept a worker
busy 120 s at 2.4 GB, and one cell at XFD100000 in a 500-byte file makes calamine
ask for 52 GB and abort the process. So the sheet's extent is measured first, from
its XML streamed out of the zip a megabyte at a time (`sheet_extent`), and the file
is refused when it is too large; likewise a CSV's lines (`csv_lines`).

The extent is calamine's: rows from the first to the last row holding a cell, columns
likewise. Every common writer (Excel, LibreOffice, openpyxl, xlsxwriter) gives each
row and cell its reference (r="B7"), so the extent is the largest reference, found
with a few scans of each megabyte in C (bytes.count, a regular expression for "a
reference past the largest so far"). Rows and cells without a reference are counted:
each is the one after the previous, so they add at most their number (rows) and the
most cells in a row (columns). Memory: a chunk and its copies, a few megabytes,
whatever the file (tests/test_row_limit.py measures it).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from xml.etree import ElementTree

import numpy as np

CHUNK = 1 << 20

# The first sheet's XML is found through these (small) parts; larger ones are no workbook.
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
MAX_PART_BYTES = 16 * 1024 * 1024

# A reference: column letters, row number (longer than Excel's XFD1048576: calamine
# reads whatever is there).
MAX_LETTERS, MAX_DIGITS = 7, 10
# (A literal start, not \sr=: the regular expression engine then skips to each "r=".)
REF_RE = re.compile(rb'r="([A-Z]{0,7})([0-9]{1,10})"')  # a row's has no letters

# A cell whose first attribute is not its reference.
UNREFERENCED_CELL_RE = re.compile(rb'<c(?:[>/]|\s(?!r="))')
# Element names with a namespace prefix (<x:row>), which calamine reads as unprefixed.
PREFIXED_RE = re.compile(rb"</?[A-Za-z_][\w.-]*:(?:row|c)[\s>/]")
UNPREFIX_RE = re.compile(rb"<(/?)[A-Za-z_][\w.-]*:")
PREFIX_MARKS = (b":row", b":c")


@dataclass(frozen=True)
class Extent:
    """A sheet's size: `row_elements` rows written, `rows` x `columns` its extent counted
    from A1 (calamine's starts at the first cell: at most this)."""

    row_elements: int
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def csv_lines(data: bytes) -> int:
    """The lines of a text file: ends "\\r\\n", "\\r" or "\\n", and a last line without one."""
    ends = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return ends + (1 if data and not data.endswith((b"\n", b"\r")) else 0)


def first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The path of the workbook's first sheet in the archive (what calamine reads as
    sheet 0), or None when the workbook does not say."""
    try:
        names = {info.filename: info for info in archive.infolist()}
        parts = [names[WORKBOOK], names[WORKBOOK_RELS]]
        if any(part.file_size > MAX_PART_BYTES for part in parts):
            return None
        workbook = ElementTree.fromstring(archive.read(WORKBOOK))
        rels = ElementTree.fromstring(archive.read(WORKBOOK_RELS))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return None
    sheet = next((e for e in workbook.iter() if _local(e.tag) == "sheet"), None)
    if sheet is None:
        return None
    rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Id") == rid:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else join(dirname(WORKBOOK), target)
            path = normpath(path)
            return path if path in names else None
    return None


def workbook_extents(data: bytes) -> list[Extent]:
    """The extent of a workbook's first sheet (sheet_extent), or of every sheet when the
    workbook does not say which is first."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = first_sheet(archive)
        paths = [first] if first else [
            name for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ]  # fmt: skip
        return [sheet_extent(archive, path) for path in paths]


def sheet_extent(archive: zipfile.ZipFile, path: str) -> Extent:
    """The extent of the sheet at `path` in the archive, read once, a CHUNK at a time."""
    scan = _Scan()
    with archive.open(path) as stream:
        while chunk := stream.read(CHUNK):
            scan.feed(chunk)
    return scan.extent()


class _Scan:
    """Counts and the largest reference, a chunk at a time, in linear time and memory
    of a chunk."""

    def __init__(self):
        self.carry = b""  # after the last ">" of what was fed: an unfinished tag
        self.row_elements = self.rows_with_ref = 0
        self.unreferenced_cells = False
        self.highest_row = self.widest_column = 0
        self.open_row_cells = self.most_cells_in_a_row = 0
        self._past = _past_pattern(0, 0)

    def feed(self, chunk: bytes) -> None:
        text = self.carry + chunk
        cut = text.rfind(b">") + 1
        if cut == 0 and len(text) < 4 * CHUNK:
            self.carry = text
            return
        text, self.carry = (text[:cut], text[cut:]) if cut else (text, b"")
        if any(mark in text for mark in PREFIX_MARKS) and PREFIXED_RE.search(text):
            text = UNPREFIX_RE.sub(rb"<\1", text)
        self.row_elements += text.count(b"<row") - text.count(b"<rowBreaks")
        self.rows_with_ref += text.count(b'<row r="')
        if self.unreferenced_cells or UNREFERENCED_CELL_RE.search(text):
            self.unreferenced_cells = True
            self._cells_per_row(text)
        self._references(text)

    def extent(self) -> Extent:
        self.feed(b"")
        # A row without a reference is the one after the previous; a cell without one
        # the one after the previous cell of its row.
        rows = self.highest_row + (self.row_elements - self.rows_with_ref)
        columns = self.widest_column
        if self.unreferenced_cells:
            columns += max(self.most_cells_in_a_row, self.open_row_cells)
        return Extent(self.row_elements, max(rows, self.row_elements), columns)

    def _cells_per_row(self, text: bytes) -> None:
        """The most cells in a row, in numpy over the chunk's bytes: where each cell
        ("<c " "<c>" "<c/") and each "</row>" begins, and the cells between row ends."""
        data = np.frombuffer(text + b"\0" * 5, dtype=np.uint8)  # every start has 5 after it
        opening = data[:-5] == ord("<")
        third = data[2:-3]
        cell = opening & (data[1:-4] == ord("c"))
        cell &= (third == ord(" ")) | (third == ord(">")) | (third == ord("/"))
        cells = np.flatnonzero(cell)
        closing = opening & (data[1:-4] == ord("/")) & (third == ord("r"))
        ends = np.flatnonzero(closing & (data[3:-2] == ord("o")) & (data[4:-1] == ord("w")))
        before = np.searchsorted(cells, ends)  # cells that begin before each row's end
        if len(ends):
            counts = np.diff(before, prepend=0)
            counts[0] += self.open_row_cells
            self.most_cells_in_a_row = max(self.most_cells_in_a_row, int(counts.max()))
        self.open_row_cells = len(cells) - int(before[-1]) if len(ends) else (
            self.open_row_cells + len(cells)
        )  # fmt: skip

    def _references(self, text: bytes) -> None:
        row, column = self.highest_row, self.widest_column
        # Writers put rows and cells in order: the last reference is the largest, and
        # one scan for a larger one then finds none.
        last = REF_RE.match(text, max(text.rfind(b'r="'), 0))
        if last is not None:
            row = max(row, int(last.group(2)))
            column = max(column, _column_number(last.group(1)))
        past = self._past
        if (row, column) != (self.highest_row, self.widest_column):
            past = _past_pattern(row, column)
        for match in past.finditer(text):
            row = max(row, int(match.group(2) or match.group(4)))
            column = max(column, _column_number(match.group(1) or match.group(3)))
        if (row, column) != (self.highest_row, self.widest_column):
            self.highest_row, self.widest_column = row, column
            self._past = _past_pattern(row, column)


def _past_pattern(row: int, column: int) -> re.Pattern:
    """A reference with a row past `row` (groups 3, 4) or a column past `column`
    (groups 1, 2)."""
    return re.compile(
        rb'r="(?:(%s)([0-9]{1,10})|([A-Z]{0,7})(%s))"' % (_letters_past(column), _digits_past(row))
    )


def _count(previous: bytes, chunk: bytes, pattern: bytes) -> int:
    """Occurrences of `pattern` ending in `chunk` (one that began in `previous` too)."""
    return (previous[-(len(pattern) - 1) :] + chunk).count(pattern)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _column_letters(number: int) -> bytes:
    letters = b""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def _past(text: bytes, alphabet: bytes, longest: int) -> bytes:
    """A regular expression for the strings over `alphabet` (in order, as digits) that
    are larger than `text` as numbers written in it: more characters, or as many and
    larger at the first difference. At most `longest` characters."""
    first, last = chr(alphabet[0]), chr(alphabet[-1])
    any_ = f"[{first}-{last}]"
    options = []
    if len(text) < longest:
        options.append(f"{any_}{{{len(text) + 1},{longest}}}")
    for i, char in enumerate(text):
        if char != alphabet[-1]:
            higher = f"[{chr(char + 1)}-{last}]"
            options.append(re.escape(text[:i].decode()) + higher + f"{any_}{{{len(text) - i - 1}}}")
    return ("|".join(options) or "(?!)").encode()


def _letters_past(column: int) -> bytes:
    letters = _column_letters(column) if column else b""
    return _past(letters, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", MAX_LETTERS)


def _digits_past(row: int) -> bytes:
    text = str(row).encode() if row else b""
    return _past(text, b"0123456789", MAX_DIGITS)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]

"""Reading an Excel workbook's first sheet (calamine) and the limits every extract is
read within: its cells as the text a CSV export would hold, its amount columns as
floats where that is the same, refused unread past the size limits (a zip bomb, a
sheet past MAX_EXTRACT_ROWS rows or MAX_EXTRACT_CELLS cells). hyrdash.lib.tabular
reads the table from these."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from hyrdash.lib import sheet_size
from hyrdash.lib.formatting import format_number
from hyrdash.lib.problems import ExtractError, Problem

# An XLSX is a zip: refuse archives that would unpack to more than this (zip bombs).
MAX_XLSX_UNPACKED_BYTES = 500 * 1024 * 1024

# Besides, a file is measured before it is read (hyrdash.lib.sheet_size): at most
# settings.MAX_EXTRACT_ROWS rows (the header row too) and, for a workbook, at most
# settings.MAX_EXTRACT_CELLS cells from A1 to its last row and column.
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_CELLS = 20_000_000


def refuse_past_limits(*, rows: int, columns: int = 1) -> None:
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


def xlsx_numbers(cells: list) -> np.ndarray | None:
    """A column of cells as floats, NaN where blank, when that is exactly
    `parse_amounts` of their text (cell_text), else None.

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


def xlsx_rows(data: bytes) -> list[list]:
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
        refuse_past_limits(rows=sheet.height, columns=sheet.width)
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
        refuse_past_limits(rows=extent.rows, columns=extent.columns)


def column_texts(cells: Sequence[object]) -> list[str]:
    """cell_text of every cell of a column, a column at a time: in an extract every
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
        known = {cell: cell_text(cell) for cell in set(cells)}
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
            text = known[key] = cell_text(cell)
        texts.append(text)
    return texts


def cell_text(cell: object) -> str:
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

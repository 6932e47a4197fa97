"""Write a slide deck (.pptx) from plain descriptions of its slides.

The steering group gets the same charts every month and edits the deck before the
meeting, so charts are native, editable PowerPoint charts with their data in the
embedded workbook, not pictures. This module knows nothing about the app: callers
pass ready-made Swedish strings and numbers, and get the file's bytes back.

The same input gives the same bytes (the build time is part of the input), so a
rebuilt deck can be compared with an archived one and a test can pin the output.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Literal, NamedTuple

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from hyrdash.lib.deck_charts import CHART_TYPES, MUTED, TEXT, WHITE, DataLabels, add_chart

# Excel number format codes are stored in one notation whatever the language: ","
# groups thousands and "." marks decimals. PowerPoint, Excel and LibreOffice show
# them with the viewer's separators, so Swedish Office shows "1 234,5". Writing the
# Swedish separators into the code ("# ##0,0") would make them literal text.
WHOLE = "#,##0"
ONE_DECIMAL = "#,##0.0"
TWO_DECIMALS = "#,##0.00"


def number_format(decimals: int, suffix: str = "") -> str:
    """An Excel format code with `decimals` decimals and a literal suffix.

    Percent values that are already percentages (3.44, not 0.0344) need a quoted
    " %" suffix: Excel's own % code would multiply them by 100.
    """
    code = WHOLE + ("." + "0" * decimals if decimals > 0 else "")
    return code + (f'"{suffix}"' if suffix else "")


ChartKind = Literal["line", "bar", "clustered_bar", "bar_horizontal"]

SLIDE_WIDTH = Emu(12192000)  # 13.333 in: 16:9
SLIDE_HEIGHT = Emu(6858000)  # 7.5 in
MARGIN = Inches(0.5)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
MAX_TABLE_ROWS = 24


@dataclass(frozen=True)
class Series:
    """One series of a chart. None (or NaN) is a real gap (no value that month), not zero."""

    name: str
    values: Sequence[float | None]
    color: str | None = None  # "RRGGBB"; None takes the next palette colour


@dataclass(frozen=True)
class ChartSpec:
    """What one chart shows; the slide decides where it goes.

    kind: "line"; "bar" or "clustered_bar" (vertical columns, several series side
    by side: the two names draw the same chart); "bar_horizontal" (long category
    names, e.g. regions, drawn top to bottom in the given order).
    dashed_series: lines drawn dashed, bars drawn hollow with a dashed edge (budget,
    target). marked_categories (e.g. a preliminary month) get a "*" after their label
    and `marked_note` as a footnote. data_labels "auto": a line's last value, every
    bar while there is room (see deck_charts). Past 24 categories lines lose their
    markers; past 12, PowerPoint labels every 2nd, 3rd, ... category.
    """

    kind: ChartKind
    categories: Sequence[str]
    series: Sequence[Series]
    number_format: str = ONE_DECIMAL
    unit_label: str = ""
    dashed_series: AbstractSet[str] = frozenset()
    marked_categories: AbstractSet[str] = frozenset()
    marked_note: str = "Preliminär uppgift"
    data_labels: DataLabels = "auto"
    axis_number_format: str | None = None  # None: same as number_format
    value_axis_min: float | None = 0.0  # None: let the office suite choose

    def __post_init__(self):
        if self.kind not in CHART_TYPES:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        if not self.series:
            raise ValueError("a chart needs at least one series")
        names = [s.name for s in self.series]
        if len(set(names)) != len(names):
            raise ValueError(f"series names repeat: {names}")
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"series {s.name!r}: {len(s.values)} values, not one per category")
        _require_subset("dashed_series", self.dashed_series, names)
        _require_subset("marked_categories", self.marked_categories, self.categories)


def _require_subset(field: str, given: AbstractSet[str], known: Sequence[str]) -> None:
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError(f"{field} names unknown entries: {unknown}")


@dataclass(frozen=True)
class Bullet:
    """A bullet below another one (level 1 or 2); a plain str is a level 0 bullet."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class TitleSlide:
    title: str
    subtitle: str = ""
    lines: Sequence[str] = ()


@dataclass(frozen=True)
class ChartSlide:
    """One chart with the headline above it and the month's comment below it."""

    title: str
    headline: str
    chart: ChartSpec
    comment: str | None = None
    note: str | None = None  # small print at the bottom: source, definitions


@dataclass(frozen=True)
class TableSlide:
    """A table of ready strings. Columns whose cells all look like numbers align right."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    note: str | None = None


@dataclass(frozen=True)
class TextSlide:
    title: str
    bullets: Sequence[str | Bullet]
    headline: str = ""


@dataclass(frozen=True)
class ProvenanceSlide:
    """Where the figures come from: (label, value) rows such as an extract and its date."""

    title: str
    rows: Sequence[tuple[str, str]]
    note: str | None = None


Slide = TitleSlide | ChartSlide | TableSlide | TextSlide | ProvenanceSlide


@dataclass(frozen=True, kw_only=True)
class CoreProps:
    """The file's document properties. `created` must carry a time zone: the file
    stores UTC, and a naive local time would silently be off by an hour or two."""

    title: str
    author: str
    created: dt.datetime
    subject: str = ""
    keywords: str = ""
    comments: str = ""  # any length (the other texts at most 255 characters)
    category: str = ""
    revision: int = 1
    last_modified_by: str | None = None  # None: the author
    language: str = "sv-SE"

    def __post_init__(self):
        if self.created.tzinfo is None or self.created.utcoffset() is None:
            raise ValueError("CoreProps.created must be timezone-aware")


class Box(NamedTuple):
    left: int
    top: int
    width: int
    height: int


def build_deck(slides: Sequence[Slide], *, core: CoreProps) -> bytes:
    """The .pptx file's bytes: 16:9, one slide per description, in order."""
    prs = Presentation()
    _widen_template(prs)
    for spec in slides:
        _ADDERS[type(spec)](prs, spec)
    _set_core_properties(prs, core)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _deterministic_zip(buffer.getvalue(), core.created)


# ---- the template -----------------------------------------------------------


def _widen_template(prs) -> None:
    """Make the default 4:3 template 16:9, master and layouts included, so a slide the
    user adds in PowerPoint later gets placeholders that fit the wider slide."""
    scale = SLIDE_WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.placeholders:
            shape.left, shape.width = round(shape.left * scale), round(shape.width * scale)


def _set_core_properties(prs, core: CoreProps) -> None:
    """Every property is set, so nothing of the template's own metadata or of the
    clock leaks into the file."""
    props = prs.core_properties
    created = core.created.astimezone(dt.UTC).replace(tzinfo=None)
    props.title, props.subject, props.author = core.title, core.subject, core.author
    props.keywords, props.category = core.keywords, core.category
    # python-pptx refuses text over 255 characters (the limit of Office's own dialog),
    # but the format has none: comments such as a list of the extracts a deck was built
    # from are written into the element directly.
    props._element._get_or_add("description").text = core.comments
    props.created = props.modified = created
    props.last_modified_by = core.author if core.last_modified_by is None else core.last_modified_by
    props.revision = core.revision
    props.language = core.language


# ---- text -------------------------------------------------------------------


def _style_run(run, size: float, *, bold: bool = False, color: RGBColor = TEXT) -> None:
    font = run.font
    font.size, font.bold = Pt(size), bold
    font.color.rgb = color
    font.language_id = MSO_LANGUAGE_ID.SWEDISH


def _fill_text(frame, paragraphs: Sequence[str], size: float, **style) -> None:
    """Replace the frame's text with one paragraph per string, all in one style."""
    frame.word_wrap = True
    frame.clear()
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        _style_run(run, size, **style)


def _text_box(slide, box: Box, paragraphs: Sequence[str], size: float, **style):
    shape = slide.shapes.add_textbox(*box)
    _fill_text(shape.text_frame, paragraphs, size, **style)
    return shape


def _place(shape, box: Box) -> None:
    """Move a layout's placeholder: the layouts were drawn for another slide size."""
    shape.left, shape.top, shape.width, shape.height = box


def _text_height(paragraphs: Sequence[str], size: float, width: int) -> int:
    """Rough height of wrapped text: an average character is about half the font
    size wide. The office suite cannot be asked, and erring high only costs space."""
    per_line = max(1, int(width / Pt(size) / 0.5))
    lines = sum(max(1, math.ceil(len(p) / per_line)) for p in paragraphs)
    return int(Pt(size) * 1.25 * lines + Inches(0.15))


def _fitting_size(paragraphs: Sequence[str], width: int, height: int, sizes: Sequence[int]) -> int:
    """The largest font size at which the text fits, else the smallest one."""
    for size in sizes:
        if _text_height(paragraphs, size, width) <= height:
            return size
    return sizes[-1]


def _set_title(slide, title: str, box: Box, size: float = 28) -> None:
    """The title goes into the layout's title placeholder, so PowerPoint's outline,
    navigation and screen readers know it as the slide's title."""
    shape = slide.shapes.title
    size = _fitting_size([title], box.width, box.height, (size, size - 4, size - 8))
    _place(shape, box)
    _fill_text(shape.text_frame, [title], size, bold=True)
    shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    shape.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM


def _add_slide_number(slide) -> None:
    """A slide number field (not fixed text), so it stays right when slides move."""
    box = Box(SLIDE_WIDTH - MARGIN - Inches(1), SLIDE_HEIGHT - Inches(0.45), Inches(1), Pt(20))
    paragraph = _text_box(slide, box, ["‹#›"], 11, color=MUTED).text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    run = paragraph.runs[0]._r
    run.tag = qn("a:fld")  # same children as a run: rPr, t
    run.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    run.set("type", "slidenum")


def _content_slide(prs, title: str, layout: int = 5):
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    _set_title(slide, title, Box(MARGIN, Inches(0.25), CONTENT_WIDTH, Inches(0.8)))
    _add_slide_number(slide)
    return slide


def _stack_bottom(slide, paragraph_groups: Sequence[tuple[Sequence[str], float, RGBColor]]) -> int:
    """Text blocks stacked upwards from the slide's bottom; returns the top of the stack."""
    bottom = SLIDE_HEIGHT - Inches(0.45)
    for paragraphs, size, color in reversed(paragraph_groups):
        height = _text_height(paragraphs, size, CONTENT_WIDTH - Inches(1.2))
        bottom -= height
        box = Box(MARGIN, bottom, CONTENT_WIDTH - Inches(1.2), height)
        _text_box(slide, box, paragraphs, size, color=color)
    return bottom


BODY_TOP = Inches(1.15)


# ---- slides -----------------------------------------------------------------


def _add_title_slide(prs, spec: TitleSlide) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    _set_title(slide, spec.title, Box(MARGIN, Inches(1.6), CONTENT_WIDTH, Inches(1.9)), size=40)
    subtitle = slide.placeholders[1]
    _place(subtitle, Box(MARGIN, Inches(3.7), CONTENT_WIDTH, Inches(0.8)))
    _fill_text(subtitle.text_frame, [spec.subtitle], 24, color=MUTED)
    subtitle.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    if spec.lines:
        box = Box(MARGIN, Inches(4.7), CONTENT_WIDTH, Inches(2.2))
        _text_box(slide, box, spec.lines, 16, color=MUTED)


def _headline(slide, text: str, size: float) -> int:
    """The slide's message in one line under the title; returns where the body starts."""
    if not text:
        return BODY_TOP
    _text_box(slide, Box(MARGIN, BODY_TOP, CONTENT_WIDTH, Pt(size * 1.8)), [text], size, bold=True)
    return BODY_TOP + Pt(size * 2)


def _add_chart_slide(prs, spec: ChartSlide) -> None:
    slide = _content_slide(prs, spec.title)
    top = _headline(slide, spec.headline, 20)
    footnotes = [f"* {spec.chart.marked_note}"] if spec.chart.marked_categories else []
    footnotes += [spec.note] if spec.note else []
    blocks = []
    if spec.comment:
        blocks.append((spec.comment.split("\n"), 16, TEXT))
    if footnotes:
        blocks.append((footnotes, 11, MUTED))
    bottom = _stack_bottom(slide, blocks)
    box = Box(MARGIN, top, CONTENT_WIDTH, bottom - top - Inches(0.05))
    add_chart(slide, box, spec.chart, ". ".join(filter(None, [spec.title, spec.headline])))


def _add_text_slide(prs, spec: TextSlide) -> None:
    slide = _content_slide(prs, spec.title, layout=1)
    top = _headline(slide, spec.headline, 22)
    body = slide.placeholders[1]
    box = Box(MARGIN, top, CONTENT_WIDTH, SLIDE_HEIGHT - Inches(0.55) - top)
    _place(body, box)
    bullets = [b if isinstance(b, Bullet) else Bullet(b) for b in spec.bullets]
    texts = [b.text for b in bullets]
    size = _fitting_size(texts, box.width - Inches(0.6), box.height, (24, 22, 20, 18, 16, 14))
    _fill_text(body.text_frame, texts, size)
    for paragraph, bullet in zip(body.text_frame.paragraphs, bullets, strict=True):
        paragraph.level = bullet.level
        paragraph.space_before = Pt(size * 0.5)
        if bullet.level:
            paragraph.runs[0].font.size = Pt(size - 2)


def _add_table_slide(prs, spec: TableSlide) -> None:
    slide = _content_slide(prs, spec.title)
    bottom = _stack_bottom(slide, [([spec.note], 11, MUTED)] if spec.note else [])
    box = Box(MARGIN, BODY_TOP, CONTENT_WIDTH, bottom - BODY_TOP)
    _add_table(slide, box, spec.columns, spec.rows)


def _add_provenance_slide(prs, spec: ProvenanceSlide) -> None:
    slide = _content_slide(prs, spec.title)
    bottom = _stack_bottom(slide, [([spec.note], 11, MUTED)] if spec.note else [])
    box = Box(MARGIN, BODY_TOP, CONTENT_WIDTH, bottom - BODY_TOP)
    _add_table(slide, box, None, [list(row) for row in spec.rows], bold_first_column=True)


_ADDERS: dict[type, Callable] = {
    TitleSlide: _add_title_slide,
    ChartSlide: _add_chart_slide,
    TextSlide: _add_text_slide,
    TableSlide: _add_table_slide,
    ProvenanceSlide: _add_provenance_slide,
}


# ---- tables -----------------------------------------------------------------

_NO_VALUE = {"", "-", "–", "−", "..", "x"}  # blank, a dash, SCB's ".." and "x"
_NUMBER_LIKE = re.compile(
    r"^[−+\-–]?\s?[\d\s\u00a0]+(,\d+)?\s?(%|mkr|tkr|kr|st|p\.e\.)?$", re.IGNORECASE
)


def _numeric_columns(rows: Sequence[Sequence[str]], count: int) -> set[int]:
    """Columns whose filled cells all look like numbers: they align right so the
    digits line up, as in the ledger reports the controllers know."""
    numeric = set()
    for column in range(count):
        cells = [row[column].strip() for row in rows if row[column].strip() not in _NO_VALUE]
        if cells and all(_NUMBER_LIKE.match(cell) for cell in cells):
            numeric.add(column)
    return numeric


def _column_widths(lines: Sequence[Sequence[str]], total: int) -> list[int]:
    """Widths in proportion to the longest text of each column, with a floor."""
    longest = [max(6, *(len(line[c]) for line in lines)) for c in range(len(lines[0]))]
    widths = [int(total * n / sum(longest)) for n in longest]
    widths[-1] += total - sum(widths)
    return widths


def _add_table(slide, box: Box, header, rows, *, bold_first_column: bool = False) -> None:
    width = len(header) if header else len(rows[0]) if rows else 0
    if not rows or any(len(row) != width for row in rows):
        raise ValueError("a table needs rows, each with one cell per column")
    if len(rows) > MAX_TABLE_ROWS:
        raise ValueError(f"{len(rows)} rows do not fit a slide (at most {MAX_TABLE_ROWS})")
    lines = [list(header), *rows] if header else list(rows)
    size = next(
        size for limit, size in ((9, 16), (13, 14), (17, 12), (99, 10)) if len(lines) <= limit
    )
    row_height = min(int(Pt(size) * 2.1), box.height // len(lines))
    table = slide.shapes.add_table(len(lines), width, *box[:3], row_height * len(lines)).table
    table.first_row = bool(header)
    for column, column_width in zip(table.columns, _column_widths(lines, box.width), strict=True):
        column.width = column_width
    numeric = _numeric_columns(rows, width)
    for r, line in enumerate(lines):
        table.rows[r].height = row_height
        for c, text in enumerate(line):
            is_header = r == 0 and bool(header)
            style = {
                "bold": is_header or (c == 0 and bold_first_column),
                "color": WHITE if is_header else TEXT,
            }
            _fill_cell(
                table.cell(r, c),
                text,
                size,
                PP_ALIGN.RIGHT if c in numeric else PP_ALIGN.LEFT,
                style,
            )


def _fill_cell(cell, text: str, size: float, alignment, style: dict) -> None:
    cell.margin_top = cell.margin_bottom = Pt(2)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _fill_text(cell.text_frame, [text], size, **style)
    cell.text_frame.paragraphs[0].alignment = alignment


# ---- a deterministic zip ----------------------------------------------------


def _zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    utc = when.astimezone(dt.UTC)
    return max(utc, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]


def _rezip(blob: bytes, when: dt.datetime, rewrite: Callable[[str, bytes], bytes]) -> bytes:
    """The same entries in the same order, each stamped with `when` instead of the
    moment of writing, so two builds of the same deck are byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_zip_time(when))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, rewrite(info.filename, source.read(info)))
    return out.getvalue()


_XLSX_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _deterministic_zip(blob: bytes, when: dt.datetime) -> bytes:
    """Rewrite the package, and each chart's embedded workbook, whose writer stamps
    its own document properties with the current time."""
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def workbook_entry(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return _XLSX_TIMES.sub(rb"\g<1>" + stamp + rb"\g<3>", data)

    def package_entry(name: str, data: bytes) -> bytes:
        return _rezip(data, when, workbook_entry) if name.endswith(".xlsx") else data

    return _rezip(blob, when, package_entry)

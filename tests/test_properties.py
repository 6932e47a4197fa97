"""Property-based tests (hypothesis) of the extract parsers and the upload view.

Whatever a user uploads, the parsers either return a correct frame or raise
`ExtractError` whose every line is a clean Swedish message; no other exception
ever escapes, and the upload page never answers with a server error.
"""

import csv
import datetime as dt
import io
import math
import re
import zipfile
from decimal import Decimal
from unittest import mock

import openpyxl
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from hyrdash.lib import tabular as extracts
from hyrdash.lib import workbook
from hyrdash.lib.tabular import ExtractError, parse_amounts, parse_periods
from kpis.accounts.extracts import parse_accounts
from kpis.costs.extracts import parse_cost_extract
from kpis.models import PendingUpload
from kpis.national.extracts import parse_national
from kpis.organisation.extracts import parse_org

CARE_TYPES = ["sjukhusvård", "primärvård", "tandvård", "övrigt"]
CATEGORIES = ["hyr_lakare", "hyr_ssk_bm", "hyr_ovriga", "egen_lon", "ignorera"]
COST_HEADER = ["Period", "Ansvar", "Konto", "Belopp", "Timmar"]
NBSP = "\u00a0"

PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
QUARTER = re.compile(r"\d{4}-Q[1-4]")
# A message line: an optional "Rad N, kolumn X: " prefix, then one of the parsers'
# Swedish sentences; a sentence about a cell quotes it (”…”) and explains in Swedish.
SWEDISH_LINE = re.compile(
    r"(?:(?:Rad \d+(?:, kolumn [^:\n]+)?|Kolumn [^:\n]+): )?"
    r"(?:Filen |Filens |Kolumnen ”|Excel-filen |raden har \d+ fält |värde saknas\.$"
    r"|verksamheten ”|… och \d+ fel till\.$"
    r"|”.*” (?:är |förekommer flera gånger))",
    re.DOTALL,
)


def assert_swedish_error(error: ExtractError) -> None:
    lines = error.lines()
    assert lines, "an ExtractError must say what is wrong"
    assert str(error) == "\n".join(lines)
    for line in lines:
        assert isinstance(line, str)
        assert line.strip(), f"blank message line in {lines!r}"
        assert SWEDISH_LINE.match(line), f"not one of the Swedish messages: {line!r}"


def parse_or_error(parse, data: bytes, *args):
    """The parsed frame, or None after checking the error is a clean Swedish one."""
    try:
        frame = parse(data, *args)
    except ExtractError as error:
        assert_swedish_error(error)
        event(f"{parse.__name__}: ExtractError")
        return None
    event(f"{parse.__name__}: frame")
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    assert frame.index.is_unique and frame.index.is_monotonic_increasing
    assert all(isinstance(row, int) and row >= 2 for row in frame.index)
    return frame


def is_nonblank_text(values: pd.Series) -> bool:
    return all(isinstance(v, str) and v != "" and v == v.strip() for v in values)


def check_cost_frame(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["period", "ansvar", "konto", "amount", "hours"]
    assert frame["amount"].dtype == "float64"
    assert frame["hours"].dtype == "float64"
    assert all(math.isfinite(a) for a in frame["amount"])
    assert all(math.isnan(h) or math.isfinite(h) for h in frame["hours"])
    assert all(isinstance(p, str) and PERIOD.fullmatch(p) for p in frame["period"])
    assert is_nonblank_text(frame["ansvar"])
    assert is_nonblank_text(frame["konto"])


def check_org_frame(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["ansvar", "unit", "department", "area", "care_type"]
    for column in frame.columns:
        assert is_nonblank_text(frame[column])
    assert set(frame["care_type"]) <= set(CARE_TYPES)
    assert frame["ansvar"].is_unique
    assert (frame.groupby("department")["area"].nunique() == 1).all()


def check_account_frame(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["konto", "name", "category"]
    for column in frame.columns:
        assert is_nonblank_text(frame[column])
    assert set(frame["category"]) <= set(CATEGORIES)
    assert frame["konto"].is_unique


def check_national_frame(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["quarter", "region", "share_pct"]
    assert all(isinstance(q, str) and QUARTER.fullmatch(q) for q in frame["quarter"])
    assert is_nonblank_text(frame["region"])
    assert frame["share_pct"].dtype == "float64"
    assert frame["share_pct"].between(0, 100).all()


def xlsx(rows, *, first_row: int = 1) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet.cell(row=first_row + i, column=j + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = xlsx([COST_HEADER[:4], ["2024-03", "0101", "4601", 1234.5]])
VALID_CSV = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1 234,50\n"
VALID_REGISTERS = [
    "Ansvar;Enhet;Verksamhet;Område;Vårdtyp\n"
    "0101;Hälsocentral Boliden;Primärvård Skellefteå;Närsjukvårdsområde Skellefteå;primärvård\n"
    "2001;Kirurgavdelning 1;Kirurgiskt centrum;Länssjukvårdsområde 1;sjukhusvård\n",
    "Konto;Benämning;Kategori\n4601;Hyrläkare;hyr_lakare\n5011;Månadslön;egen_lon\n",
    "Period;Region;Andel\n2024-Q3;Västerbotten;3,1 %\n2024 K3;Norrbotten;12,5\n",
]


# --- strategies -----------------------------------------------------------------------

# Characters that matter to the parsers, drawn often; any other character sometimes.
SPECIAL = list(";,\t\"'\n\r -+.,0123456789%QKåäöÅÄÖ\u00a0\u202f\u2212\ufeff\x00")
cell_chars = st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=["Cs"]))
cell_text = st.text(cell_chars, max_size=12)

periods = st.builds(dt.date, st.integers(1900, 2200), st.integers(1, 12), st.just(1))
amounts = st.decimals(
    min_value=Decimal("-99999999999.99"),
    max_value=Decimal("99999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` truncated, or with a stretch of it overwritten by random bytes."""
    cut = draw(st.integers(0, len(data)))
    if draw(st.booleans()):
        return data[:cut]
    junk = draw(st.binary(min_size=1, max_size=64))
    return data[:cut] + junk + data[cut + len(junk) :]


@st.composite
def zip_archives(draw) -> bytes:
    """A zip with XLSX-like member names and random content."""
    names = ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=4)):
            archive.writestr(name, draw(st.binary(max_size=200)))
    return buffer.getvalue()


PREFIXES = [
    b"PK\x03\x04",  # zip (XLSX)
    b"\xd0\xcf\x11\xe0",  # OLE (old .xls)
    b"\xef\xbb\xbf",  # UTF-8 BOM
    b"\xff\xfe",  # UTF-16 LE BOM
    b"\xfe\xff",  # UTF-16 BE BOM
    b"\xef\xbb\xbfPeriod;Ansvar;Konto;Belopp\n",
    b"Period;Ansvar;Konto;Belopp;Timmar\n",
    b"Ansvar;Enhet;Verksamhet;Omr\xe5de;V\xe5rdtyp\n",
    "Ansvar;Enhet;Verksamhet;Område;Vårdtyp\n".encode(),
    b"Konto;Ben\xe4mning;Kategori\n",
    b"Period;Region;Andel\n",
]
random_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=600)),
    mutated(VALID_XLSX),
    mutated(VALID_CSV),
    st.sampled_from(VALID_REGISTERS)
    .flatmap(lambda text: st.sampled_from([text.encode("utf-8"), text.encode("cp1252")]))
    .flatmap(mutated),
    zip_archives(),
)


@st.composite
def header_case(draw, name: str) -> str:
    style = draw(st.sampled_from(["as is", "upper", "lower", "mixed"]))
    if style == "upper":
        return name.upper()
    if style == "lower":
        return name.lower()
    if style == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
        return "".join(c.upper() if f else c.lower() for c, f in zip(name, flips, strict=True))
    return name


def encode(text: str, encoding: str) -> bytes:
    """`text` in `encoding`; UTF-8 when Windows-1252 cannot write it."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def period_text(period: dt.date, style: str) -> str:
    return {
        "YYYY-MM": f"{period:%Y-%m}",
        "YYYYMM": f"{period:%Y%m}",
        "YYYY-MM-01": f"{period:%Y-%m-%d}",
    }[style]


def amount_text(amount: Decimal, style: str, negative: str = "leading") -> str:
    """`amount` as written in a file: Swedish "-1 234,56" (space or no-break space
    thousands separators, or none) or English "-1234.56"; a negative amount with its
    minus in front, behind as finance systems write it ("1 234,56-") or in accounting
    parentheses ("(1 234,56)")."""
    whole, cents = f"{abs(amount):.2f}".split(".")
    if style == "english":
        text = f"{whole}.{cents}"
    else:
        separator = {"swedish": " ", "swedish-nbsp": NBSP, "swedish-plain": ""}[style]
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        text = f"{separator.join(groups)},{cents}"
    if amount >= 0:
        return text
    return {"leading": f"-{text}", "trailing": f"{text}-", "parentheses": f"({text})"}[negative]


NEGATIVE_STYLES = ["leading", "trailing", "parentheses"]


# --- 1. random bytes ------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(random_bytes)
@example(b"")
@example(b"PK\x03\x04")
@example(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfeP\x00e\x00r\x00")
@example(b"\x81\x8d\x8f\x90\x9d")  # not UTF-8, and undefined in Windows-1252
@example(VALID_CSV)
@example(VALID_XLSX)
@example(VALID_REGISTERS[0].encode("cp1252"))
@example(VALID_REGISTERS[1].encode("utf-8"))
@example(VALID_REGISTERS[2].encode("utf-8-sig"))
def test_random_bytes_give_a_frame_or_a_swedish_error(data):
    frame = parse_or_error(parse_cost_extract, data)
    if frame is not None:
        check_cost_frame(frame)
    frame = parse_or_error(parse_org, data, CARE_TYPES)
    if frame is not None:
        check_org_frame(frame)
    frame = parse_or_error(parse_accounts, data, CATEGORIES)
    if frame is not None:
        check_account_frame(frame)
    frame = parse_or_error(parse_national, data)
    if frame is not None:
        check_national_frame(frame)


# --- 2. random CSV under a valid header -----------------------------------------------


PERIOD_STYLES = ["YYYY-MM", "YYYYMM", "YYYY-MM-01"]
AMOUNT_STYLES = ["swedish", "swedish-nbsp", "swedish-plain", "english"]
written_amounts = st.builds(amount_text, amounts, st.sampled_from(AMOUNT_STYLES))
# Text that is valid under each cost column, as a file would hold it.
VALID_TEXT = {
    "period": st.builds(period_text, periods, st.sampled_from(PERIOD_STYLES)),
    "ansvar": st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    "konto": st.from_regex(r"[0-9]{4,5}", fullmatch=True),
    "belopp": written_amounts,
    "timmar": st.one_of(st.just(""), written_amounts),
}


def noise(draw):
    """A coin for "spoil this cell?", with a bias drawn once per file: never, now and
    then, often or always, so that some files parse and some fail in few places."""
    percent = draw(st.sampled_from([0, 5, 30, 100]))
    return lambda: draw(st.integers(0, 99)) < percent


@st.composite
def csv_files(draw):
    """(bytes, number of data rows): a valid cost header in random case and order, then
    cells that are mostly valid for their column and otherwise random text, rows one
    cell short or long now and then, written raw or quoted by the csv module, in a
    random encoding."""
    names = draw(st.permutations(COST_HEADER[:4] + draw(st.sampled_from([[], ["Timmar"]]))))
    header = [draw(header_case(n)) for n in names]
    noisy = noise(draw)
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        row = [draw(cell_text if noisy() else VALID_TEXT[n.lower()]) for n in names]
        if noisy():
            row = row[:-1] if draw(st.booleans()) else [*row, draw(cell_text)]
        rows.append(row)
    separator = draw(st.sampled_from([";", ","]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=separator, lineterminator="\n").writerows([header, *rows])
        text = buffer.getvalue()
    else:
        text = "\n".join(separator.join(r) for r in [header, *rows]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return encode(text, encoding), len(rows)


@settings(max_examples=200, deadline=None)
@given(csv_files())
def test_random_csv_under_a_valid_header_gives_a_frame_or_a_swedish_error(file):
    data, row_count = file
    frame = parse_or_error(parse_cost_extract, data)
    if frame is not None:
        check_cost_frame(frame)
        assert len(frame) <= row_count + data.count(b"\n")


# --- 3. round trip of valid rows --------------------------------------------------------

cost_rows = st.lists(
    st.tuples(
        periods,
        st.sampled_from(["YYYY-MM", "YYYYMM", "YYYY-MM-01"]),
        st.from_regex(r"[0-9]{1,6}", fullmatch=True),  # ansvar, leading zeros and all
        st.from_regex(r"[0-9]{4,5}", fullmatch=True),  # konto
        amounts,
        st.sampled_from(["swedish", "swedish-nbsp", "swedish-plain", "english"]),
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=150, deadline=None)
@given(
    rows=cost_rows,
    separator=st.sampled_from([";", ","]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_valid_rows_round_trip_through_a_csv(rows, separator, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(COST_HEADER[:4])
    for period, period_style, ansvar, konto, amount, amount_style in rows:
        writer.writerow(
            [period_text(period, period_style), ansvar, konto, amount_text(amount, amount_style)]
        )

    frame = parse_cost_extract(encode(buffer.getvalue(), encoding))

    check_cost_frame(frame)
    assert list(frame.index) == list(range(2, 2 + len(rows)))
    assert list(frame["period"]) == [f"{r[0]:%Y-%m}" for r in rows]
    assert list(frame["ansvar"]) == [r[2] for r in rows]
    assert list(frame["konto"]) == [r[3] for r in rows]
    assert [Decimal(f"{a:.2f}") for a in frame["amount"]] == [r[4] for r in rows]
    assert frame["hours"].isna().all()


# --- 3b. files as finance systems write them ---------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(amounts, amounts, st.sampled_from(NEGATIVE_STYLES), st.booleans()),
        min_size=1,
        max_size=10,
    ),
    titles=st.lists(st.sampled_from(["Utdrag huvudbok HSF", "Period 2026-10", ""]), max_size=4),
    debit_credit=st.booleans(),
    total=st.sampled_from(["none", "right", "wrong"]),
    off_by=st.integers(1, 10**6),
    style=st.sampled_from(["swedish", "swedish-nbsp", "swedish-plain"]),
    xlsx_file=st.booleans(),
)
def test_a_finance_system_export_reads_its_amounts_and_checks_its_total(
    rows, titles, debit_credit, total, off_by, style, xlsx_file
):
    # Title rows above the header, negative amounts with the minus in front, behind or
    # in parentheses, Belopp or Debet and Kredit (both blank never), a closing total row.
    def written(amount, negative):
        return amount_text(amount, style, negative)

    header = ["Period", "Ansvar", "Konto", *(["Debet", "Kredit"] if debit_credit else ["Belopp"])]
    lines, expected = [], []
    for debit, credit, negative, credit_blank in rows:
        if debit_credit:
            credit = Decimal(0) if credit_blank else credit
            cells = [written(debit, negative), "" if credit_blank else written(credit, negative)]
            expected.append(debit - credit)
        else:
            cells = [written(debit, negative)]
            expected.append(debit)
        lines.append(["2026-10", "0101", "4601", *cells])
    sums = (
        [sum(r[0] for r in rows), sum(Decimal(0) if r[3] else r[1] for r in rows)]
        if debit_credit
        else [sum(r[0] for r in rows)]
    )
    if total == "wrong":
        sums[0] += Decimal(off_by) / 100
    if total != "none":
        lines.append(["Summa", "", "", *[written(v, "trailing") for v in sums]])
    table = [[t] for t in titles] + [header] + lines
    if xlsx_file:
        data = xlsx([[c if c != "" else None for c in row] for row in table])
    else:
        data = "\r\n".join(";".join(row) for row in table).encode("cp1252")
    header_row = len(titles) + 1

    if total == "wrong":
        with pytest.raises(ExtractError) as error:
            parse_cost_extract(data)
        column = "Debet" if debit_credit else "Belopp"
        [line] = error.value.lines()
        assert line.startswith(f"Rad {header_row + len(rows) + 1}, kolumn {column}: summaraden")
        return
    frame = parse_cost_extract(data)

    assert list(frame.index) == list(range(header_row + 1, header_row + 1 + len(rows)))
    assert [Decimal(f"{a:.2f}") for a in frame["amount"]] == expected
    layout = frame.attrs["layout"]
    assert (layout.header_row, layout.debit_credit) == (header_row, debit_credit)
    assert layout.total_row == (None if total == "none" else header_row + len(rows) + 1)


# --- 4. XLSX with random cells -----------------------------------------------------------

random_xlsx_cells = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=10),
    st.integers(-(10**15), 10**15),
    st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 3, 1), dt.date(2200, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2200, 12, 31)),
    st.booleans(),
)
# Cells that are valid under each cost column, as Excel would hold them.
VALID_CELLS = {
    "period": st.one_of(
        periods,
        periods.map(lambda p: dt.datetime.combine(p, dt.time())),
        periods.map(lambda p: f"{p:%Y-%m}"),
        periods.map(lambda p: int(f"{p:%Y%m}")),
    ),
    "ansvar": st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    "konto": st.integers(1000, 99999),
    "belopp": amounts.map(float),
    "timmar": st.one_of(st.none(), st.floats(0, 10000)),
}


@st.composite
def xlsx_rows(draw, header: tuple[str, ...]) -> list[list]:
    noisy = noise(draw)
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(random_xlsx_cells if noisy() else VALID_CELLS[n.lower()]) for n in header]
        rows.append(row[: draw(st.integers(0, len(row)))] if noisy() else row)
    return rows


@settings(max_examples=25, deadline=None)
@given(
    table=st.permutations(COST_HEADER)
    .flatmap(lambda h: st.tuples(*map(header_case, h)))
    .flatmap(lambda header: st.tuples(st.just(header), xlsx_rows(header))),
    first_row=st.integers(1, 3),
)
def test_random_xlsx_cells_give_a_frame_or_a_swedish_error(table, first_row):
    header, rows = table
    data = xlsx([list(header), *rows], first_row=first_row)

    frame = parse_or_error(parse_cost_extract, data)

    if frame is not None:
        check_cost_frame(frame)
        assert frame.index.min() >= first_row + 1


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            periods,
            st.sampled_from(["date", "datetime", "text", "number"]),
            st.from_regex(r"[0-9]{1,6}", fullmatch=True),
            st.integers(1000, 99999),
            amounts,
        ),
        min_size=1,
        max_size=10,
    )
)
def test_valid_xlsx_cells_round_trip(rows):
    cells = []
    for period, style, ansvar, konto, amount in rows:
        written = {
            "date": period,
            "datetime": dt.datetime.combine(period, dt.time()),
            "text": f"{period:%Y-%m}",
            "number": int(f"{period:%Y%m}"),
        }[style]
        cells.append([written, ansvar, konto, float(amount)])

    frame = parse_cost_extract(xlsx([COST_HEADER[:4], *cells]))

    check_cost_frame(frame)
    assert list(frame["period"]) == [f"{r[0]:%Y-%m}" for r in rows]
    assert list(frame["ansvar"]) == [r[2] for r in rows]
    assert list(frame["konto"]) == [str(r[3]) for r in rows]
    assert [Decimal(f"{a:.2f}") for a in frame["amount"]] == [r[4] for r in rows]


# --- 5. amounts and periods ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(cell_chars, max_size=20),
            st.from_regex(r"[+\-\u2212]?[0-9 ,.'\u00a0]{0,20}", fullmatch=True),
            st.integers(300, 400).map(lambda n: "9" * n),  # beyond what a float holds
            st.integers(300, 400).map(lambda n: "0," + "0" * n + "1"),
        ),
        max_size=10,
    )
)
@example(["9" * 400, "-" + "9" * 400, "1" + "0" * 309 + ",5"])
def test_parse_amounts_never_raises_and_gives_nan_or_a_finite_number(values):
    parsed = parse_amounts(pd.Series(values, dtype="str"))

    assert parsed.dtype == "float64"
    assert len(parsed) == len(values)
    assert all(math.isnan(v) or math.isfinite(v) for v in parsed)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.from_regex(r"[0-9,+\-]{1,12}", fullmatch=True), min_size=1, max_size=10))
@example(["1,5", "1,2,3", "-", "12", "+,5", "7,"])
@example(["1,5-", "12", "-5-", "5--", "-"])
def test_parse_amounts_reads_a_finance_system_column_as_each_cell_alone(values):
    # A column of digits, commas and signs only is read in one pass over its joined text;
    # each cell read on its own (with a space, so by the general path) must agree.
    column = parse_amounts(pd.Series(values, dtype="str"))
    one_by_one = [parse_amounts(pd.Series([value + " "], dtype="str"))[0] for value in values]

    assert column.tolist() == pytest.approx(one_by_one, nan_ok=True)


def test_a_finance_system_column_with_a_bad_cell_is_read_cell_by_cell():
    parsed = parse_amounts(pd.Series(["1,5", "1,2,3", "-", "12", "+,5", "7,"], dtype="str"))

    assert parsed.tolist() == pytest.approx([1.5, math.nan, math.nan, 12, 0.5, 7], nan_ok=True)


@settings(max_examples=200, deadline=None)
@given(
    amounts,
    st.sampled_from(["swedish", "swedish-nbsp", "swedish-plain", "english"]),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(NEGATIVE_STYLES),
)
def test_parse_amounts_reads_formatted_numbers(amount, style, padding, negative):
    text = padding + amount_text(amount, style, negative) + padding

    parsed = parse_amounts(pd.Series([text], dtype="str"))

    assert Decimal(f"{parsed[0]:.2f}") == amount


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(cell_chars, max_size=12), max_size=10))
def test_parse_periods_never_raises_and_gives_months_or_missing(values):
    parsed = parse_periods(pd.Series(values, dtype="str"))

    assert len(parsed) == len(values)
    assert all(pd.isna(p) or PERIOD.fullmatch(p) for p in parsed)


# --- 5b. amounts read as numbers by the CSV reader --------------------------------------------

# The characters of a CSV whose amounts the CSV reader parses itself (PLAIN_CSV_BYTES).
plain_cell = st.one_of(
    st.text(st.sampled_from(list('0123456789+-.,: "')), max_size=8),
    st.builds(
        amount_text,
        amounts,
        st.sampled_from(["swedish-plain", "english"]),
        st.sampled_from(["leading", "trailing"]),  # "1234,56-" is plain, but no float
    ),
    st.sampled_from(["", "-", ",", "+,5", "7,", " 12 ", "0,005", "1" + "0" * 12, "9" * 400]),
    st.sampled_from(["5-", "1234,56-", "-5-", "0-"]),
)
# Title lines a finance system writes above the header, and closing total lines (their
# amounts right or not: the parsers must agree either way).
TITLE_LINES = ["", "Utdrag huvudbok HSF{nl}Period 2026-10, utskrivet 2026-11-05{nl}{nl}"]
total_lines = st.one_of(
    st.just(""),
    st.builds(
        lambda label, cells: label + "".join(cells),
        st.sampled_from(["Summa", "Totalt", "SUMMA:"]),
        st.lists(st.one_of(st.just(";"), plain_cell.map(lambda c: ";" + c)), max_size=5),
    ),
)


@st.composite
def plain_csv_files(draw) -> bytes:
    """A cost header in random order, rows of plain cells (now and then one short or
    long), quoted by the csv module or not, lines ended by LF, CRLF or CR (or a mix),
    blank lines above the header."""
    names = draw(st.permutations(COST_HEADER[:4] + draw(st.sampled_from([[], ["Timmar"]]))))
    separator = draw(st.sampled_from([";", ","]))
    # Mostly the decimal sign the reader expects with this separator (see _csv_numbers).
    style = "english" if separator == "," else "swedish-plain"
    amount = st.builds(amount_text, amounts, st.just(style))
    valid = {**VALID_TEXT, "belopp": amount, "timmar": st.one_of(st.just(""), amount)}
    noisy = noise(draw)
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        row = [draw(plain_cell if noisy() else valid[n.lower()]) for n in names]
        if noisy():
            row = row[:-1] if draw(st.booleans()) else [*row, draw(plain_cell)]
        rows.append(row)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if separator == "," or draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows(rows)
        body = buffer.getvalue()
    else:
        ends = st.sampled_from([newline, newline, "\n", "\r\n", "\r", "\r\r\n", "\n\r"])
        body = "".join(separator.join(r) + draw(ends) for r in rows)
    above = draw(st.sampled_from(["", newline, ";;" + newline, "\r\n;\r"]))
    above += draw(st.sampled_from(TITLE_LINES)).format(nl=newline)
    total = draw(total_lines)
    if total:
        body += total.replace(";", separator) + newline
    return (above + separator.join(names) + newline + body).encode()


def cost_outcome(data: bytes):
    """parse_cost_extract's frame, or its error's lines."""
    try:
        return parse_cost_extract(data)
    except ExtractError as error:
        return error.lines()


@settings(max_examples=300, deadline=None)
@given(plain_csv_files())
@example(b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1e5\n")
def test_amounts_read_by_the_csv_reader_are_read_as_from_their_text(data):
    read_as_numbers = []

    def spy(*args):
        body = csv_numbers(*args)
        read_as_numbers.append(body is not None)
        return body

    csv_numbers = extracts._csv_numbers
    with mock.patch.object(extracts, "_csv_numbers", spy):
        fast = cost_outcome(data)
    with mock.patch.object(extracts, "_csv_numbers", lambda *args: None):
        text = cost_outcome(data)

    kind = "error" if isinstance(text, list) else "frame"
    event(f"{kind}, amounts read as numbers: {any(read_as_numbers)}")
    if isinstance(text, list):
        assert fast == text
        return
    pd.testing.assert_frame_equal(fast, text, check_exact=True)
    for column in ("amount", "hours"):  # bit for bit: the sign of a zero too
        assert fast[column].to_numpy().tobytes() == text[column].to_numpy().tobytes()


# --- regressions found by the properties above ------------------------------------------------


def test_an_amount_too_long_for_a_float_is_not_a_number():
    """A 400-digit amount once parsed as infinity and reached the database."""
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;" + b"9" * 400 + b"\n"

    with pytest.raises(ExtractError) as info:
        parse_cost_extract(data)

    assert info.value.lines() == [
        f"Rad 2, kolumn Belopp: ”{'9' * 57}…” är inget tal.",
    ]


# --- 6. through the web -------------------------------------------------------------------------

upload_bytes = st.one_of(
    random_bytes,
    csv_files().map(lambda file: file[0]),
    st.just(VALID_CSV),
)


@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")  # no collectstatic in tests
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=upload_bytes, kind=st.sampled_from(["actuals", "budget"]))
def test_uploading_random_bytes_never_gives_a_server_error(
    client, controller_user, registers, data, kind
):
    client.force_login(controller_user)
    try:
        response = client.post(
            reverse("kpis:upload"),
            {"kind": kind, "file": SimpleUploadedFile("extrakt.csv", data)},
        )
        assert response.status_code in (200, 302, 400)
        event(f"status {response.status_code}")
        if response.status_code == 400:
            for line in response.context["problems"]:
                assert line.strip()
        if response.status_code == 302:
            assert PendingUpload.objects.filter(created_by=controller_user).exists()
    finally:
        PendingUpload.objects.all().delete()


@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_uploading_an_amount_too_long_for_a_float_is_refused_in_swedish(
    client, controller_user, registers
):
    """Once a 500: the infinite amount made the pending upload's summary invalid JSON."""
    client.force_login(controller_user)
    data = b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;" + b"9" * 400 + b"\n"

    response = client.post(
        reverse("kpis:upload"),
        {"kind": "actuals", "file": SimpleUploadedFile("extrakt.csv", data)},
    )

    assert response.status_code == 400
    assert response.context["problems"] == [f"Rad 2, kolumn Belopp: ”{'9' * 57}…” är inget tal."]
    assert not PendingUpload.objects.exists()


excel_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(cell_chars, max_size=12),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(excel_cells, max_size=20),
    st.sampled_from(["mixed", "float", "text", "one type"]),
    st.booleans(),
)
def test_an_excel_column_reads_as_each_cell_alone(cells, kind, repeated):
    # Columns are converted a column at a time, with shortcuts for one type of cell
    # and for cells that repeat.
    if kind == "float":
        cells = [
            float(c) if isinstance(c, int | float) and not isinstance(c, bool) else None
            for c in cells
        ]
    elif kind == "text":
        cells = [str(c) for c in cells]
    elif kind == "one type":
        cells = [c for c in cells if type(c) is type(cells[0])]
    if repeated:
        cells = cells * 3

    assert workbook.column_texts(cells) == [workbook.cell_text(cell) for cell in cells]


# Amount cells of a workbook: numbers and blanks, as they mostly are (any float,
# however large or small, and amounts in öre), now and then another cell.
kronor = st.floats(-1e6, 1e6).map(lambda x: round(x, 2))
any_float = st.floats(allow_nan=False, allow_infinity=False, width=64)
workbook_amounts = st.one_of(*[kronor] * 6, any_float, st.sampled_from([None, ""]))
workbook_hours = st.one_of(kronor, kronor, any_float, st.none(), st.just(""))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(workbook_amounts, workbook_hours), min_size=1, max_size=5), st.data())
def test_number_cells_of_a_workbook_are_read_as_from_their_text(amounts, data):
    rows = [["2024-03", "0101", 4601, amount, hours] for amount, hours in amounts]
    if data.draw(st.booleans()):  # another cell in one of the amount columns
        row = data.draw(st.sampled_from(rows))
        row[data.draw(st.sampled_from([3, 4]))] = data.draw(random_xlsx_cells)
    titles = data.draw(st.sampled_from([[], [["Utdrag huvudbok HSF"], [None]]]))
    if data.draw(st.booleans()):  # a closing total row, right or not
        rows.append(["Summa", None, None, data.draw(workbook_amounts), data.draw(workbook_hours)])
    workbook = xlsx([*titles, COST_HEADER, *rows])

    fast = cost_outcome(workbook)
    with mock.patch.object(extracts, "xlsx_numbers", lambda cells: None):
        text = cost_outcome(workbook)

    if isinstance(text, list):
        event("error, too large" if "orimligt" in text[0] else "error")
        assert fast == text
        return
    event("frame")
    pd.testing.assert_frame_equal(fast, text, check_exact=True)
    for column in ("amount", "hours"):  # bit for bit: the sign of a zero too
        assert fast[column].to_numpy().tobytes() == text[column].to_numpy().tobytes()


@settings(max_examples=1000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
@example(-0.0)
@example(5e-324)
@example(1.4210854715202004e-14)
@example(2.0**53 + 2)
@example(1.7976931348623157e308)
@example(0.30000000000000004)
def test_a_float_cell_reads_back_from_its_text_as_itself(cell):
    # Why xlsx_numbers may take a workbook's floats as they are: _float_text writes
    # each so that parse_amounts reads the same float back (a zero without its sign).
    text = pd.Series([workbook._float_text(cell)], dtype="str")

    assert parse_amounts(text).to_numpy().tobytes() == pd.Series([cell + 0.0]).to_numpy().tobytes()
    assert workbook.xlsx_numbers([cell]).tobytes() == pd.Series([cell + 0.0]).to_numpy().tobytes()

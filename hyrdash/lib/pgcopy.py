"""PostgreSQL's binary COPY format, encoded with numpy a whole column at a time.

Text COPY needs every value formatted in Python and parsed again by the
server; for the 1,000,000 rows of a large ledger extract that was most of the
bulk write. Binary fields are built with array arithmetic and the server
reads them without parsing. The format: PostgreSQL's documentation of COPY,
"Binary Format". The encoders touch nothing of Django; `write_rows` and `copy_frame` use its connection
to send and read a whole table at once (SQLite gets plain executemany).

A column is (values, lengths): `values` a numpy array of fixed-size items as
sent, `lengths` None when every field is the whole item, else per row the
number of the item's leading bytes to send, -1 for NULL (text is sent
without its padding, a NULL field without value).
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext

import numpy as np
import pandas as pd
from django.db import connection

from hyrdash.lib import pgcopy


def write_rows(table: str, columns: list[tuple[str, str, object]]) -> None:
    """Insert rows given column by column, in one statement: binary COPY on PostgreSQL.

    Each column is (name, type, values) with type and values one of
    "bigint" and "integer": integers (8 and 4 bytes); "date": numpy datetime64[D];
    "text": (codes, labels) as
    pandas.factorize returns them, -1 for NULL; "cents": (hundredths as int64,
    where NULL or None) for a decimal with two decimals.
    """
    names = ", ".join(name for name, _type, _values in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            encoded = _encoded(columns)
            cursor.cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT binary)",
                pgcopy.PartsReader(pgcopy.copy_binary_parts(encoded)),
            )
            return
        placeholders = ", ".join(["%s"] * len(columns))
        values = [_python_values(kind, values) for _name, kind, values in columns]
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",
            list(zip(*values, strict=True)),
        )


def _encoded(columns: list[tuple[str, str, object]]) -> list[Column]:
    """write_rows' columns as binary COPY fields."""
    encoders = {
        "bigint": pgcopy.bigint,
        "integer": pgcopy.integer,
        "date": pgcopy.date,
        "text": lambda values: pgcopy.text_codes(*values),
        "cents": lambda values: pgcopy.numeric_cents(*values),
    }
    return [encoders[kind](values) for _name, kind, values in columns]


class CopyIn:
    """One binary COPY into `table` (PostgreSQL) that a thread of its own sends while
    the caller goes on: `send(columns)` encodes rows given as write_rows takes them and
    hands them over, `finish()` waits until PostgreSQL has stored them all (raising its
    error, if any), `abort()` makes the COPY fail (the caller's transaction must then
    roll back). So a file's next rows are read and checked while PostgreSQL stores the
    previous ones: psycopg2 waits for the server without holding the GIL.

    Until finish() or abort() returns, the connection is the thread's: the caller must
    not use it. At most `waiting` parts of up to 65,536 rows wait to be sent, so the
    memory it takes is bounded however many rows pass.
    """

    _END = object()
    _ABORT = object()

    def __init__(self, cursor, table: str, names: Sequence[str], *, waiting: int = 4):
        self._names = list(names)
        self._queue: queue.Queue = queue.Queue(maxsize=waiting)
        self._error: BaseException | None = None
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT binary)"
        self._thread = threading.Thread(
            target=self._copy, args=(cursor.cursor, sql), name=f"copy-{table}", daemon=True
        )
        self._thread.start()
        self._put(HEADER)

    def send(self, columns: list[tuple[str, str, object]]) -> None:
        if [name for name, _kind, _values in columns] != self._names:
            raise ValueError("CopyIn.send: other columns than the COPY's")
        for part in copy_binary_parts(_encoded(columns), framed=False):
            self._put(part)

    def finish(self) -> None:
        self._put(TRAILER)
        self._put(self._END)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        if not self._thread.is_alive():
            return
        try:  # what waits is not sent: the thread takes the abort next
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass
        self._queue.put(self._ABORT)
        self._thread.join()

    def _put(self, part) -> None:
        while True:
            if not self._thread.is_alive():
                raise self._error or RuntimeError("CopyIn: the COPY has ended")
            try:
                self._queue.put(part, timeout=0.2)
                return
            except queue.Full:
                continue

    def _copy(self, raw_cursor, sql: str) -> None:
        try:
            raw_cursor.copy_expert(sql, self)
        except BaseException as exc:  # the caller raises it (finish) or rolls back (abort)
            self._error = exc

    def read(self, size: int = -1) -> bytes:
        """What psycopg2 reads the COPY's data from (the thread's side)."""
        while True:
            part = self._queue.get()
            if part is self._ABORT:
                raise RuntimeError("CopyIn: aborted")
            if part is self._END:
                return b""
            if part:  # an empty read is the end of the file
                return part


def _python_values(kind: str, values) -> list:
    """A column of write_rows as the values the database driver takes (SQLite)."""
    if kind in ("bigint", "integer"):
        return [int(v) for v in values]
    if kind == "date":
        return [str(v) for v in np.asarray(values, dtype="datetime64[D]")]
    if kind == "text":
        codes, labels = values
        return [None if code < 0 else labels[code] for code in codes]
    cents, null = values
    text = [f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}" for c in cents.tolist()]
    if null is None:
        return text
    return [None if n else t for t, n in zip(text, null.tolist(), strict=True)]


def copy_frame(
    cursor, sql: str, params: list, *, columns: list[str], dtype: dict, na_values: dict
) -> pd.DataFrame:
    """The rows of `sql` (named `columns`) through PostgreSQL's COPY TO STDOUT as CSV.

    The same frame as DataFrame.from_records on the fetched rows: text as str,
    amounts and hours as floats, NULL hours as NaN. Recorded in
    connection.queries like any other query.
    """
    copy = f"COPY ({connection.ops.compose_sql(sql, params)}) TO STDOUT WITH (FORMAT csv)"
    buffer = io.StringIO()
    debug_sql = getattr(cursor, "debug_sql", None)  # Django's debug cursor (DEBUG, tests)
    with debug_sql(sql=copy) if debug_sql else nullcontext():
        cursor.cursor.copy_expert(copy, buffer)
    if not buffer.tell():
        return pd.DataFrame.from_records([], columns=columns)
    buffer.seek(0)
    return pd.read_csv(
        buffer,
        header=None,
        names=columns,
        dtype=dtype,
        keep_default_na=False,  # a name such as "NA" stays a name
        na_values=na_values,  # COPY writes NULL as an empty, unquoted field
    )


Column = tuple[np.ndarray, "np.ndarray | None"]


HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no header extension

TRAILER = b"\xff\xff"

PG_EPOCH = np.datetime64("2000-01-01", "D")


# numeric as sent: every value with the same five base-10000 digits, the first
# of weight 10000**3, and two decimals; PostgreSQL drops the leading zero digits.
_NUMERIC = np.dtype(
    [
        ("ndigits", ">i2"),
        ("weight", ">i2"),
        ("sign", ">u2"),
        ("dscale", ">i2"),
        ("digits", ">i2", (5,)),
    ]
)

_NUMERIC_NEGATIVE = 0x4000

# |cents| below this: at most 16 digits before the decimal comma.
MAX_CENTS = 10**18


def bigint(values) -> Column:
    return np.asarray(values).astype(">i8"), None


def date(values) -> Column:
    """numpy datetime64 values (a day) as date."""
    days = (np.asarray(values).astype("datetime64[D]") - PG_EPOCH).astype(">i4")
    return days, None


def text_codes(codes, labels: Sequence[str]) -> Column:
    """Text given as codes into `labels` (-1: NULL), as pandas.factorize returns it:
    each distinct label is encoded once however many rows it has."""
    codes = np.asarray(codes, dtype=np.int64)
    encoded = [label.encode("utf-8") for label in labels]
    width = max([1, *map(len, encoded)])
    fixed = np.array([*encoded, b""], dtype=f"S{width}")
    sizes = np.array([*map(len, encoded), -1], dtype=np.int32)
    return fixed[codes], sizes[codes]


def numeric_cents(cents, null=None) -> Column:
    """Integers in hundredths (öre) as numeric with two decimals; rows where `null` is
    true as NULL. Up to 16 digits before the decimal comma."""
    cents = np.asarray(cents, dtype=np.int64)
    if null is not None:
        null = np.asarray(null, dtype=bool)
        cents = np.where(null, 0, cents)
    magnitude = np.abs(cents)
    if len(cents) and not (magnitude < MAX_CENTS).all():
        raise ValueError("numeric_cents: a value has more than 16 integer digits")
    whole, fraction = np.divmod(magnitude, 100)
    out = np.zeros(len(cents), dtype=_NUMERIC)
    out["ndigits"] = 5
    out["weight"] = 3
    out["dscale"] = 2
    out["sign"] = np.where(cents < 0, _NUMERIC_NEGATIVE, 0)
    digits = out["digits"]
    for i, power in enumerate((10**12, 10**8, 10**4, 1)):
        digits[:, i] = whole // power % 10**4
    digits[:, 4] = fraction * 100
    if null is None or not null.any():
        return out, None
    return out, np.where(null, -1, _NUMERIC.itemsize).astype(np.int32)


def integer(values) -> Column:
    return np.asarray(values).astype(">i4"), None


def cents(values) -> tuple[np.ndarray, np.ndarray | None]:
    """Floats already rounded to two decimals (NaN: none) -> (hundredths as int64, where
    none, or None when every value is given): what numeric_cents takes."""
    values = np.asarray(values, dtype="float64")
    if np.isinf(values).any():
        raise ValueError("cents: a value is infinite")
    null = np.isnan(values)
    hundredths = np.rint(np.where(null, 0.0, values) * 100).astype(np.int64)
    return hundredths, (null if null.any() else None)


def copy_binary(columns: Sequence[Column]) -> bytes:
    """The rows of `columns` (equal lengths) as a COPY ... (FORMAT binary) stream."""
    return b"".join(copy_binary_parts(columns))


def copy_binary_parts(
    columns: Sequence[Column], rows_per_part: int = 65536, *, framed: bool = True
) -> Iterator[bytes]:
    """copy_binary's stream in parts of at most `rows_per_part` rows, each built when
    asked for: while PostgreSQL stores one part, the next one is being built. Without
    `framed`, only the rows, without the stream's header and trailer (CopyIn).

    Rows go out grouped by the number of bytes each of their fields sends (a NULL
    or a shorter text sends fewer), in their given order within a group: a table
    has no row order, and a group of rows of one size is one numpy array of fixed
    records written in one piece. Picking the sent bytes out of padded records
    row by row took 1.1 s of the 1.4 s of encoding 1,000,000 ledger rows.
    """
    count = len(columns[0][0])
    sent = [_sent_sizes(values, lengths) for values, lengths in columns]
    varying = [i for i, sizes in enumerate(sent) if sizes is not None]
    if not varying or not count:
        groups = [(np.arange(count), [values.dtype.itemsize for values, _ in columns])]
    else:
        groups = _groups_by_size(columns, sent, varying)
    if framed:
        yield HEADER
    for rows, sizes in groups:
        for start in range(0, len(rows), rows_per_part):
            yield _records(columns, rows[start : start + rows_per_part], sizes).tobytes()
    if framed:
        yield TRAILER


class PartsReader:
    """A file to read a sequence of byte strings from, one per read(): what
    psycopg2's copy_expert takes, without joining the parts first."""

    def __init__(self, parts: Iterable[bytes]):
        self._parts = iter(parts)

    def read(self, size: int = -1) -> bytes:
        for part in self._parts:
            if part:  # an empty read is the end of the file
                return part
        return b""


def _sent_sizes(values: np.ndarray, lengths: np.ndarray | None) -> np.ndarray | None:
    """Per row, how many bytes of the value are sent (None: all of them, every row)."""
    if lengths is None:
        return None
    return np.clip(lengths, 0, values.dtype.itemsize)


def _groups_by_size(columns, sent, varying) -> list[tuple[np.ndarray, list[int]]]:
    """The rows grouped by the sizes of their varying fields: [(rows, size per column)]."""
    if np.prod([columns[i][0].dtype.itemsize + 1 for i in varying], dtype=float) < 2**40:
        key = np.zeros(len(columns[0][0]), dtype=np.int64)
        for i in varying:
            key = key * (columns[i][0].dtype.itemsize + 1) + sent[i]
    else:  # too many sizes to number them in one integer
        sizes = np.stack([sent[i] for i in varying], axis=1)
        key = np.unique(sizes, axis=0, return_inverse=True)[1].ravel()
    if key.max() < 1 << 22:
        counts = np.bincount(key)
        distinct = np.flatnonzero(counts)
        counts = counts[distinct]
    else:
        distinct, counts = np.unique(key, return_counts=True)
    if len(distinct) <= 32:  # the usual case: one pass per group, no sorting
        grouped = [np.flatnonzero(key == value) for value in distinct]
    else:
        grouped = np.split(np.argsort(key, kind="stable"), np.cumsum(counts)[:-1])
    groups = []
    for rows in grouped:
        first = rows[0]
        sizes = [
            values.dtype.itemsize if sizes_sent is None else int(sizes_sent[first])
            for (values, _), sizes_sent in zip(columns, sent, strict=True)
        ]
        groups.append((rows, sizes))
    return groups


def _records(columns: Sequence[Column], rows: np.ndarray, sizes: list[int]) -> np.ndarray:
    """The given rows as fixed records: field count, then per column its length and
    the first `size` bytes of its value (none for NULL or an empty text)."""
    parts = [("fields", ">i2")]
    for i, ((values, _), size) in enumerate(zip(columns, sizes, strict=True)):
        parts.append((f"length{i}", ">i4"))
        if size:
            full = size == values.dtype.itemsize
            parts.append((f"value{i}", values.dtype if full else f"S{size}"))
    records = np.empty(len(rows), dtype=np.dtype(parts))
    records["fields"] = len(columns)
    everything = len(rows) == len(columns[0][0])
    for i, ((values, lengths), size) in enumerate(zip(columns, sizes, strict=True)):
        records[f"length{i}"] = size if lengths is None else lengths[rows]
        if not size:
            continue
        picked = values if everything else values[rows]
        if size < values.dtype.itemsize:
            # The value's leading bytes: seen as bytes, cut to the size sent.
            picked = np.ascontiguousarray(picked).view(f"S{values.dtype.itemsize}")
        records[f"value{i}"] = picked
    return records

"""PostgreSQL's binary COPY format, encoded with numpy a whole column at a time.

Text COPY needs every value formatted in Python and parsed again by the
server; for the 1,000,000 rows of a large ledger extract that was most of the
bulk write. Binary fields are built with array arithmetic and the server
reads them without parsing. The format: PostgreSQL's documentation of COPY,
"Binary Format". Nothing here touches Django.

A column is (values, lengths): `values` a numpy array of fixed-size items as
sent, `lengths` None when every field is the whole item, else per row the
number of the item's leading bytes to send, -1 for NULL (text is sent
without its padding, a NULL field without value).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

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
    null = np.isnan(values)
    hundredths = np.rint(np.where(null, 0.0, values) * 100).astype(np.int64)
    return hundredths, (null if null.any() else None)


def numeric_2dp(values) -> Column:
    """Floats already rounded to two decimals (NaN: NULL) as numeric: the value of
    their "%.2f" text. Integer parts up to 16 digits."""
    values = np.asarray(values, dtype="float64")
    if not (np.abs(values[~np.isnan(values)]) < 1e16).all():
        raise ValueError("numeric_2dp: a value is infinite or has more than 16 integer digits")
    return numeric_cents(*cents(values))


def copy_binary(columns: Sequence[Column]) -> bytes:
    """The rows of `columns` (equal lengths) as a COPY ... (FORMAT binary) stream."""
    count = len(columns[0][0])
    parts = [("fields", ">i2")]
    for i, (values, _) in enumerate(columns):
        parts += [(f"length{i}", ">i4"), (f"value{i}", values.dtype)]
    record = np.dtype(parts)
    records = np.empty(count, dtype=record)
    records["fields"] = len(columns)
    keep = None  # which bytes to send: the leading `length` bytes of each value
    for i, (values, lengths) in enumerate(columns):
        records[f"value{i}"] = values
        size = values.dtype.itemsize
        if lengths is None:
            records[f"length{i}"] = size
            continue
        records[f"length{i}"] = lengths
        if keep is None:
            keep = np.ones((count, record.itemsize), dtype=bool)
        offset = record.fields[f"value{i}"][1]
        sent = np.clip(lengths, 0, size)
        keep[:, offset : offset + size] = np.arange(size)[None, :] < sent[:, None]
    raw = records.view(np.uint8).reshape(count, record.itemsize)
    body = raw.tobytes() if keep is None else raw[keep].tobytes()
    return HEADER + body + TRAILER

"""PostgreSQL's binary COPY format, encoded with numpy a whole column at a time.

Text COPY needs every value formatted in Python and parsed again by the
server; for the 1,000,000 rows of a large ledger extract that was most of the
bulk write. Binary fields are built with array arithmetic and the server
reads them without parsing. The format: PostgreSQL's documentation of COPY,
"Binary Format". Nothing here touches Django.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Column = tuple[np.ndarray, "np.ndarray | None"]  # values as sent, rows where NULL (or None)

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


def bigint(values) -> Column:
    return np.asarray(values).astype(">i8"), None


def date(values) -> Column:
    """numpy datetime64 values (a day) as date."""
    days = (np.asarray(values).astype("datetime64[D]") - PG_EPOCH).astype(">i4")
    return days, None


def numeric_2dp(values) -> Column:
    """Floats already rounded to two decimals (NaN: NULL) as numeric: the value of
    their "%.2f" text. Integer parts up to 16 digits."""
    values = np.asarray(values, dtype="float64")
    null = np.isnan(values)
    magnitude = np.abs(np.where(null, 0.0, values))
    if not (magnitude < 1e16).all():
        raise ValueError("numeric_2dp: a value is infinite or has more than 16 integer digits")
    cents = np.rint(magnitude * 100).astype(np.int64)
    whole, fraction = np.divmod(cents, 100)
    out = np.zeros(len(values), dtype=_NUMERIC)
    out["ndigits"] = 5
    out["weight"] = 3
    out["dscale"] = 2
    out["sign"] = np.where(values < 0, _NUMERIC_NEGATIVE, 0)
    digits = out["digits"]
    for i, power in enumerate((10**12, 10**8, 10**4, 1)):
        digits[:, i] = whole // power % 10**4
    digits[:, 4] = fraction * 100
    return out, (null if null.any() else None)


def copy_binary(columns: Sequence[Column]) -> bytes:
    """The rows of `columns` (equal lengths) as a COPY ... (FORMAT binary) stream."""
    count = len(columns[0][0])
    parts = [("fields", ">i2")]
    for i, (values, _) in enumerate(columns):
        parts += [(f"length{i}", ">i4"), (f"value{i}", values.dtype)]
    record = np.dtype(parts)
    records = np.empty(count, dtype=record)
    records["fields"] = len(columns)
    keep = None  # which bytes to send: a NULL field has its length (-1) and no value
    for i, (values, null) in enumerate(columns):
        records[f"value{i}"] = values
        size = values.dtype.itemsize
        if null is None:
            records[f"length{i}"] = size
            continue
        records[f"length{i}"] = np.where(null, -1, size)
        if keep is None:
            keep = np.ones((count, record.itemsize), dtype=bool)
        offset = record.fields[f"value{i}"][1]
        keep[null, offset : offset + size] = False
    raw = records.view(np.uint8).reshape(count, record.itemsize)
    body = raw.tobytes() if keep is None else raw[keep].tobytes()
    return HEADER + body + TRAILER

"""A digest of values as they are, for cache keys that name what a page was computed from
(hyrdash.lib.pagecache): equal values give one digest in every process, different values
different ones.

`of(*values)` takes pandas frames, series and indexes (their values, index, columns and
dtypes), dicts and sets (in no particular order: their items are sorted by their own
digests, since a set of strings iterates in another order in every process), lists and
tuples (in order) and scalars (str, int, float, bool, None, Decimal, dates, pandas
Periods and Timestamps, numpy scalars). Anything else raises TypeError rather than being
digested by a repr that may leave out what it holds: a new kind of value must be taught
here before a key is made of it.

Python's own hash() differs between processes, and pickle's bytes are not canonical (a
dict's order, a set's), so neither can name a value across workers.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from decimal import Decimal

import numpy as np
import pandas as pd

_SCALARS = (str, int, float, bool, type(None), Decimal, datetime.date, datetime.time, pd.Period)


def of(*values: object) -> str:
    """The hex digest of `values` (see the module)."""
    found = _new()
    _feed(found, list(values))
    return found.hexdigest()


def of_fields(data) -> str:
    """The digest of a dataclass instance's fields that take part in its comparisons
    (`field(compare=False)` leaves out its memos), kept in its `cache` dict as
    "content": a subject's data read once per data version (kpis.costs.selectors.CostData,
    kpis.sick_leave.selectors.SickLeaveData)."""
    if "content" not in data.cache:
        data.cache["content"] = of(
            *(getattr(data, f.name) for f in dataclasses.fields(data) if f.compare)
        )
    return data.cache["content"]


def model_values(instance) -> list | None:
    """A Django model instance's stored values (every concrete field's), for `of`; None
    for None."""
    if instance is None:
        return None
    return [getattr(instance, f.attname) for f in instance._meta.concrete_fields]


def _new():
    return hashlib.blake2b(digest_size=20)


def _chunk(found, tag: bytes, data: bytes) -> None:
    found.update(tag + len(data).to_bytes(8, "big") + data)


def _token(value: object) -> str | None:
    """A canonical text of a scalar, or of a tuple of them (a dict's key, a set's item:
    sorted by it), with the type's name (1, 1.0, True and "1" differ); None for anything
    else."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, _SCALARS):
        return f"{type(value).__qualname__}:{value!r}"
    if isinstance(value, tuple):
        items = [_token(item) for item in value]
        if None not in items:
            return "(" + ",".join(f"{len(item)}:{item}" for item in items) + ")"
    return None


def _feed(found, value: object) -> None:
    token = _token(value)
    if token is not None:
        _chunk(found, b"V", token.encode())
    elif isinstance(value, pd.DataFrame):
        _chunk(found, b"F", repr([(str(c), str(t)) for c, t in value.dtypes.items()]).encode())
        _feed(found, value.index)
        _chunk(found, b"h", pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        _chunk(found, b"R", repr((str(value.name), str(value.dtype))).encode())
        _feed(found, value.index)
        _chunk(found, b"h", pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
    elif isinstance(value, pd.Index):
        levels = [str(value.dtype)] if value.nlevels == 1 else [str(t) for t in value.dtypes]
        _chunk(found, b"I", repr((list(value.names), levels)).encode())
        _chunk(found, b"h", pd.util.hash_pandas_object(value).to_numpy().tobytes())
    elif isinstance(value, dict):
        _chunk(found, b"D", str(len(value)).encode())
        for key_text, item in sorted((_key_text(key), item) for key, item in value.items()):
            _chunk(found, b"K", key_text.encode())
            _feed(found, item)
    elif isinstance(value, set | frozenset):
        texts = sorted(_key_text(item) for item in value)
        _chunk(found, b"S", "".join(f"{len(text)}:{text}" for text in texts).encode())
    elif isinstance(value, list | tuple):
        _chunk(found, b"L" if isinstance(value, list) else b"T", str(len(value)).encode())
        for item in value:
            _feed(found, item)
    else:
        raise TypeError(f"hyrdash.lib.digest cannot digest a {type(value).__qualname__}")


def _key_text(value: object) -> str:
    """A dict key's or set item's place in the order: its canonical text, or its digest."""
    token = _token(value)
    return "v" + token if token is not None else "d" + of(value)

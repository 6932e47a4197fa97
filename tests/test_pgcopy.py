"""Binary COPY encoding: PostgreSQL must store exactly what the "%.2f" text would give."""

import datetime as dt
import io
import struct
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from hyrdash.lib import pgcopy


def numeric_2dp(values):
    """Floats rounded to two decimals (NaN: NULL) as numeric, as the services send them."""
    return pgcopy.numeric_cents(*pgcopy.cents(values))


AMOUNTS = [
    0.0,
    0.01,
    -0.01,
    0.1 + 0.2,
    12.5,
    -0.0,
    1234567.89,
    -987654321.05,
    99999999999999.99,
    -99999999999999.99,
    round(2.675, 2),
    1e-9,
]


def test_it_writes_a_numeric_as_five_base_10000_digits():
    values, null = numeric_2dp(np.array([-1234567.89]))
    assert null is None
    fields = struct.unpack(">hhHh5h", values.tobytes())
    assert fields == (5, 3, 0x4000, 2, 0, 0, 123, 4567, 8900)


def decoded(stream: bytes) -> list[tuple]:
    """A binary COPY stream read back: per row, each field's bytes (None for NULL)."""
    assert stream.startswith(pgcopy.HEADER)
    assert stream.endswith(pgcopy.TRAILER)
    body, rows, at = stream[len(pgcopy.HEADER) : -len(pgcopy.TRAILER)], [], 0
    while at < len(body):
        (fields,) = struct.unpack_from(">h", body, at)
        at += 2
        row = []
        for _ in range(fields):
            (length,) = struct.unpack_from(">i", body, at)
            at += 4
            row.append(None if length < 0 else body[at : at + length])
            at += max(length, 0)
        rows.append(tuple(row))
    return rows


def test_it_marks_nan_as_null_and_leaves_its_bytes_out():
    stream = pgcopy.copy_binary([numeric_2dp(np.array([1.5, np.nan]))])
    rows = decoded(stream)
    one_and_a_half = struct.pack(">hhHh5h", 5, 3, 0, 2, 0, 0, 0, 1, 5000)
    assert sorted(rows, key=repr) == sorted([(one_and_a_half,), (None,)], key=repr)
    # A NULL is its length, -1, and nothing else: 2 + 4 bytes for the row.
    assert len(stream) == len(pgcopy.HEADER) + (2 + 4 + 18) + (2 + 4) + len(pgcopy.TRAILER)


def test_rows_of_every_size_are_written_once_each():
    # Texts of 0 to 40 bytes, NULLs among them and among the numbers: more than 32
    # groups of one size, the sorting path.
    count = 500
    labels = ["x" * n for n in range(41)]
    codes = np.array([(i * 7) % 42 - 1 for i in range(count)])
    hundredths = np.arange(count) - 250
    null = np.arange(count) % 5 == 0
    ids = np.arange(count)
    stream = pgcopy.copy_binary(
        [
            pgcopy.bigint(ids),
            pgcopy.text_codes(codes, labels),
            pgcopy.numeric_cents(hundredths, null),
        ]
    )
    rows = {struct.unpack(">q", row[0])[0]: row[1:] for row in decoded(stream)}
    assert sorted(rows) == list(range(count))
    for i in range(count):
        text, amount = rows[i]
        assert text == (None if codes[i] < 0 else labels[codes[i]].encode())
        if null[i]:
            assert amount is None
        else:
            fields = struct.unpack(">hhHh5h", amount)
            sign = -1 if fields[2] else 1
            assert sign * (fields[7] * 100 + fields[8] // 100) == hundredths[i]


def test_it_groups_rows_of_many_varying_columns():
    # Six text columns of 200 bytes: too many sizes to number in one integer.
    labels = ["a" * 200, "b"]
    codes = np.array([0, 1, -1, 1])
    stream = pgcopy.copy_binary([pgcopy.text_codes(codes, labels)] * 6)
    expected = [tuple([None if c < 0 else labels[c].encode()] * 6) for c in codes]
    assert sorted(decoded(stream), key=repr) == sorted(expected, key=repr)


def test_it_refuses_values_too_large_for_the_encoding():
    with pytest.raises(ValueError):
        numeric_2dp(np.array([1e16]))
    with pytest.raises(ValueError):
        numeric_2dp(np.array([np.inf]))


def test_it_writes_nothing_but_header_and_trailer_for_no_rows():
    stream = pgcopy.copy_binary([pgcopy.bigint(np.array([], dtype="int64"))])
    assert stream == pgcopy.HEADER + pgcopy.TRAILER


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="binary COPY is PostgreSQL's")
def test_postgresql_stores_what_the_text_would_give():
    count = len(AMOUNTS)
    hours = np.array([np.nan if i % 3 == 0 else a / 7 for i, a in enumerate(AMOUNTS)])
    hours = np.where(np.abs(hours) < 1e12, hours, np.nan).round(2)
    days = np.array(["2000-01-01", "1999-12-01", "2024-02-29"] * 4, dtype="datetime64[D]")
    stream = pgcopy.copy_binary(
        [
            pgcopy.bigint(np.arange(count)),
            pgcopy.date(days),
            numeric_2dp(np.array(AMOUNTS).round(2)),
            numeric_2dp(hours),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE copy_check "
            "(id bigint, day date, amount numeric(16, 2), hours numeric(14, 2))"
        )
        cursor.cursor.copy_expert(
            "COPY copy_check FROM STDIN WITH (FORMAT binary)", io.BytesIO(stream)
        )
        cursor.execute("SELECT id, day, amount::text, hours::text FROM copy_check ORDER BY id")
        stored = cursor.fetchall()
    expected = [
        (
            i,
            dt.date.fromisoformat(str(days[i])),
            f"{round(a, 2):.2f}".replace("-0.00", "0.00"),
            None if np.isnan(hours[i]) else f"{hours[i]:.2f}".replace("-0.00", "0.00"),
        )
        for i, a in enumerate(AMOUNTS)
    ]
    assert stored == expected
    assert Decimal(stored[6][2]) == Decimal("1234567.89")


def test_text_leaves_out_the_padding_and_a_null_field_value():
    stream = pgcopy.copy_binary([pgcopy.text_codes(np.array([1, -1, 0]), ["å", "abc"])])
    # "å" is two bytes in UTF-8; a NULL sends its length, -1, and no bytes.
    assert sorted(decoded(stream), key=repr) == sorted(
        [(b"abc",), (None,), ("å".encode(),)], key=repr
    )
    assert len(stream) == len(pgcopy.HEADER) + (6 + 3) + 6 + (6 + 2) + len(pgcopy.TRAILER)


def test_numeric_cents_is_exact_beyond_what_a_float_holds():
    values, null = pgcopy.numeric_cents(np.array([1234567890123456789 // 10]), None)
    assert null is None
    # 123456789012345678 hundredths: 1 234 567 890 123 456,78
    assert struct.unpack(">hhHh5h", values.tobytes()) == (5, 3, 0, 2, 1234, 5678, 9012, 3456, 7800)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="binary COPY is PostgreSQL's")
def test_postgresql_stores_text_and_cents_as_given():
    labels = ["hyr_lakare", "Närsjukvård Skellefteå", ""]
    stream = pgcopy.copy_binary(
        [
            pgcopy.text_codes(np.array([0, 1, 2, -1]), labels),
            pgcopy.numeric_cents(np.array([-5, 123456, 0, 7]), np.array([0, 0, 0, 1], bool)),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE text_check (name varchar(40), amount numeric(16, 2))"
        )
        cursor.cursor.copy_expert(
            "COPY text_check FROM STDIN WITH (FORMAT binary)", io.BytesIO(stream)
        )
        cursor.execute("SELECT name, amount::text FROM text_check")
        stored = cursor.fetchall()
    assert sorted(stored, key=repr) == sorted(
        [
            ("hyr_lakare", "-0.05"),
            ("Närsjukvård Skellefteå", "1234.56"),
            ("", "0.00"),
            (None, None),
        ],
        key=repr,
    )


def test_a_stream_in_parts_holds_the_same_rows():
    codes = np.array([0, 1, -1, 1, 0, 0, 1])
    columns = [
        pgcopy.bigint(np.arange(7)),
        pgcopy.text_codes(codes, ["lång text", "x"]),
        pgcopy.numeric_cents(np.arange(7) * 101, codes < 0),
    ]
    parts = list(pgcopy.copy_binary_parts(columns, rows_per_part=2))
    # Header; rows of "x" (3), "lång text" (3) and NULL (1) in parts of 2; trailer.
    assert len(parts) == 1 + 2 + 2 + 1 + 1
    joined = b"".join(parts)
    assert sorted(decoded(joined), key=repr) == sorted(
        decoded(pgcopy.copy_binary(columns)), key=repr
    )
    reader = pgcopy.PartsReader([b"", parts[0], b"", *parts[1:]])
    assert b"".join(iter(lambda: reader.read(1 << 20), b"")) == joined

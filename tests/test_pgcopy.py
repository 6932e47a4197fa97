"""Binary COPY encoding: PostgreSQL must store exactly what the "%.2f" text would give."""

import datetime as dt
import io
import struct
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from kpis import pgcopy

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
    values, null = pgcopy.numeric_2dp(np.array([-1234567.89]))
    assert null is None
    fields = struct.unpack(">hhHh5h", values.tobytes())
    assert fields == (5, 3, 0x4000, 2, 0, 0, 123, 4567, 8900)


def test_it_marks_nan_as_null_and_leaves_its_bytes_out():
    stream = pgcopy.copy_binary([pgcopy.numeric_2dp(np.array([1.5, np.nan]))])
    body = stream[len(pgcopy.HEADER) : -len(pgcopy.TRAILER)]
    first, second = body[: 2 + 4 + 18], body[2 + 4 + 18 :]
    assert struct.unpack(">hi", first[:6]) == (1, 18)
    assert second == struct.pack(">hi", 1, -1)


def test_it_refuses_values_too_large_for_the_encoding():
    with pytest.raises(ValueError):
        pgcopy.numeric_2dp(np.array([1e16]))
    with pytest.raises(ValueError):
        pgcopy.numeric_2dp(np.array([np.inf]))


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
            pgcopy.numeric_2dp(np.array(AMOUNTS).round(2)),
            pgcopy.numeric_2dp(hours),
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
    body = stream[len(pgcopy.HEADER) : -len(pgcopy.TRAILER)]
    assert body == (
        struct.pack(">hi", 1, 3)
        + b"abc"
        + struct.pack(">hi", 1, -1)
        # "å" is two bytes in UTF-8
        + struct.pack(">hi", 1, 2)
        + "å".encode()
    )


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
    assert stored == [
        ("hyr_lakare", "-0.05"),
        ("Närsjukvård Skellefteå", "1234.56"),
        ("", "0.00"),
        (None, None),
    ]

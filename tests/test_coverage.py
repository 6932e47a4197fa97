"""The rule that calls a file partial (hyrdash.lib.coverage), at its edges, and the
warning it gives. No database."""

import pytest

from hyrdash.lib.coverage import (
    MAX_FALL,
    MIN_UNIT_SHARE,
    Coverage,
    falls,
    is_partial,
    listed,
    new_periods_only,
    period_coverage,
    period_name,
    warning_lines,
)

NBSP = "\u00a0"
MINUS = "\u2212"


def test_the_thresholds_are_one_half():
    assert (MIN_UNIT_SHARE, MAX_FALL) == (0.5, 0.5)


@pytest.mark.parametrize(
    "stored, kept, partial",
    [
        (10, 5, False),  # exactly half the units: not partial
        (10, 4, True),  # fewer than half
        (2, 1, False),
        (1, 0, True),
        (3, 1, True),  # 1 < 1,5
        (3, 2, False),
        (0, 0, False),  # nothing stored: nothing to lose
    ],
)
def test_a_file_is_partial_below_half_the_units_with_data_now(stored, kept, partial):
    assert is_partial(units_stored=stored, units_kept=kept, falling=[]) is partial


@pytest.mark.parametrize(
    "stored, new, fell",
    [
        (1000.0, 500.0, False),  # falls by exactly half: not more than half
        (1000.0, 499.99, True),
        (1000.01, 500.01, False),  # 50 001 öre is not below 100 001 / 2
        (1000.01, 500.0, True),
        (1000.0, -1.0, True),
        (1000.0, 2000.0, False),
        (0.0, -5000.0, False),  # nothing stored: cannot fall
        (-1000.0, -5000.0, False),  # a negative sum (corrections) is not judged
        (123_456_789_012.34, 61_728_394_506.17, False),  # half, exactly, in öre
        (123_456_789_012.34, 61_728_394_506.16, True),
    ],
)
def test_a_figure_falls_by_more_than_half_in_ore(stored, new, fell):
    assert falls(stored, new) is fell


def test_a_falling_figure_alone_makes_a_file_partial():
    assert is_partial(units_stored=4, units_kept=4, falling=[{"figure": "egen_lon"}])


def test_period_coverage_compares_units_accounts_and_figures():
    coverage = period_coverage(
        period="2026-11",
        stored_units={1, 2, 3, 4},
        file_units={1, 9},
        unit_labels={2: "0102 Ursviken", 3: "2001 Kirurgen", 4: "2002 Operation"},
        stored={"a": 100.0, "b": 50.0},
        new={"a": 120.0},
        figures=["a", "b", "c"],
        stored_accounts={"4601", "4611"},
        file_accounts={"4601", "5111"},
    )

    assert coverage == Coverage(
        period="2026-11",
        units_stored=4,
        units_in_file=2,
        missing_units=["0102 Ursviken", "2001 Kirurgen", "2002 Operation"],
        missing_accounts=["4611"],
        falling=[{"figure": "b", "stored": 50.0, "new": 0.0}],
    )
    assert (coverage.units_kept, coverage.partial) == (1, True)
    assert Coverage.from_dict(coverage.as_dict()) == coverage


def test_a_long_list_of_units_is_cut_with_how_many_more():
    names = [f"{n:04d}" for n in range(1, 14)]

    assert listed(names) == "0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008, 0009, 0010 och 3 till"
    assert listed(names[:10]) == "0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008, 0009, 0010"


def test_the_warning_names_the_months_the_missing_units_and_the_falling_figures():
    partial = Coverage(
        period="2026-11",
        units_stored=4,
        units_in_file=1,
        missing_units=["0102 Ursviken", "2001 Kirurgen", "2002 Operation"],
        falling=[{"figure": "egen_lon", "stored": 1_900_000.0, "new": 410_000.0}],
    )
    complete = Coverage(period="2026-12", units_stored=4, units_in_file=4)

    lines = warning_lines([partial, complete], {"egen_lon": ("Egen personal: löner", 2)})

    assert lines == [
        "Filen täcker klart mindre än det som är sparat för 2026-11.",
        "2026-11: filen har 1 av 4 enheter som har värden nu; saknas: 0102 Ursviken, "
        "2001 Kirurgen, 2002 Operation.",
        # 410 000 / 1 900 000 - 1 = -78,4 %
        f"2026-11: Egen personal: löner minskar från 1{NBSP}900{NBSP}000,00 till "
        f"410{NBSP}000,00 ({MINUS}78{NBSP}%).",
    ]
    assert warning_lines([complete], {}) == []


# --- a period with nothing stored, compared with the nearest earlier one with data -------


def test_a_new_period_is_judged_against_the_earlier_period_by_the_same_rule():
    coverage = period_coverage(
        period="2026-12",
        stored_units={1, 2, 3, 4},
        file_units={1},
        unit_labels={2: "0102 Ursviken", 3: "2001 Kirurgen", 4: "2002 Operation"},
        stored={"egen_lon": 1_900_000.0},
        new={"egen_lon": 410_000.0},
        figures=["egen_lon"],
        compared_with="2026-10",
    )

    assert (coverage.compared_with, coverage.units_stored, coverage.units_kept) == ("2026-10", 4, 1)
    assert coverage.partial
    assert Coverage.from_dict(coverage.as_dict()) == coverage
    # A pending upload kept before compared_with existed reads as compared with itself.
    old = coverage.as_dict()
    del old["compared_with"]
    assert Coverage.from_dict(old).compared_with == ""


def test_the_warning_of_a_new_month_names_the_month_it_is_compared_with():
    new = Coverage(
        period="2026-12",
        units_stored=4,
        units_in_file=1,
        missing_units=["0102 Ursviken", "2001 Kirurgen", "2002 Operation"],
        falling=[{"figure": "egen_lon", "stored": 1_900_000.0, "new": 410_000.0}],
        compared_with="2026-10",
    )

    lines = warning_lines([new], {"egen_lon": ("Egen personal: löner", 2)})

    assert lines == [
        "Filen täcker klart mindre för 2026-12, som inte har några sparade värden än, "
        "jämfört med oktober 2026, senaste månaden med data.",
        "2026-12: filen har 1 av 4 enheter som har värden för oktober 2026; saknas: "
        "0102 Ursviken, 2001 Kirurgen, 2002 Operation.",
        f"2026-12: Egen personal: löner är 410{NBSP}000,00 mot 1{NBSP}900{NBSP}000,00 för "
        f"oktober 2026 ({MINUS}78{NBSP}%).",
    ]
    assert new_periods_only([new])


def test_the_warning_of_a_new_year_says_year():
    new = Coverage(
        period="2025",
        units_stored=2,
        units_in_file=1,
        missing_units=["0102 Ursviken"],
        falling=[{"figure": "respondents", "stored": 6.0, "new": 2.0}],
        compared_with="2024",
    )

    assert warning_lines([new], {"respondents": ("Svarande", 0)}) == [
        "Filen täcker klart mindre för 2025, som inte har några sparade värden än, "
        "jämfört med 2024, senaste året med data.",
        "2025: filen har 1 av 2 enheter som har värden för 2024; saknas: 0102 Ursviken.",
        f"2025: Svarande är 2 mot 6 för 2024 ({MINUS}67{NBSP}%).",
    ]


def test_a_file_partial_in_a_stored_and_a_new_month_names_both():
    stored = Coverage(
        period="2026-11", units_stored=4, units_in_file=1, missing_units=["a", "b", "c"]
    )
    new = Coverage(
        period="2026-12",
        units_stored=4,
        units_in_file=1,
        missing_units=["a", "b", "c"],
        compared_with="2026-11",
    )

    lines = warning_lines([stored, new], {})

    assert lines[:2] == [
        "Filen täcker klart mindre än det som är sparat för 2026-11.",
        "Filen täcker klart mindre för 2026-12, som inte har några sparade värden än, "
        "jämfört med november 2026, senaste månaden med data.",
    ]
    # Partial in a month with data: the uploader chooses what the file replaces.
    assert not new_periods_only([stored, new])
    assert not new_periods_only([Coverage(period="2026-12", units_stored=0, units_in_file=1)])


def test_period_names():
    assert period_name("2026-10") == "oktober 2026"
    assert period_name("2024") == "2024"

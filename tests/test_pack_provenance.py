"""The steering pack's provenance lists exactly the imports whose rows its figures read,
and says which of them updated only their file's units (issue 13): an older correction
whose units a newer one all holds is not read, nor a whole-month import whose every unit
corrections hold.

The files are tests/test_partial_imports.py's: NOVEMBER has units 0101, 0102, 2001 and
2002; CORRECTION_0101 holds 0101 alone.
"""

import pandas as pd

from kpis.models import ImportBatch
from kpis.pack.provenance import batch_row
from kpis.pack.selectors import batches_in_use
from kpis.registry import batch_undo
from kpis.sick_leave.services import sick_leave_import
from tests.test_partial_imports import (
    CORRECTION_0101,
    CORRECTION_0102,
    HEADER,
    NOVEMBER,
    SICK_CORRECTION,
    SICK_NOVEMBER,
    run,
)

YEAR = {"first": pd.Period("2026-01", freq="M"), "last": pd.Period("2026-12", freq="M")}


def in_use(kind="actuals"):
    """(file name, label of its provenance row) of each import the pack reads."""
    return [(b.file_name, batch_row(b)[0]) for b in batches_in_use(kind=kind, **YEAR)]


def test_an_older_correction_whose_units_a_newer_one_holds_is_not_listed(registers):
    run(NOVEMBER, name="november.csv")
    older = run(CORRECTION_0101, name="r1.csv", replaces="units")
    newer = run(f"{HEADER}\n2026-11;0101;5111;420 000\n", name="r2.csv", replaces="units")
    run(CORRECTION_0102, name="r3.csv", replaces="units")

    # r1's only unit, 0101, is r2's now: every row of r1 is out of use.
    assert in_use() == [
        ("november.csv", "Utfall 2026-11"),
        ("r2.csv", "Utfall 2026-11, endast filens enheter: 0101"),
        ("r3.csv", "Utfall 2026-11, endast filens enheter: 0102"),
    ]
    assert ImportBatch.objects.get(pk=older.id).months.get().is_current  # still marked

    batch_undo(batch_id=newer.id)

    assert in_use() == [
        ("november.csv", "Utfall 2026-11"),
        ("r1.csv", "Utfall 2026-11, endast filens enheter: 0101"),
        ("r3.csv", "Utfall 2026-11, endast filens enheter: 0102"),
    ]


def test_a_whole_month_import_is_listed_for_the_months_it_still_has_rows_in(registers):
    # October with 0101 alone, November with four units, in one file.
    run(f"{HEADER}\n2026-10;0101;5111;1 000\n" + NOVEMBER.removeprefix(f"{HEADER}\n"))
    run(f"{HEADER}\n2026-10;0101;5111;2 000\n", name="oktober.csv", replaces="units")

    # October's only unit is the correction's: the first file is read for November only.
    assert in_use() == [
        ("utfall.csv", "Utfall 2026-11"),
        ("oktober.csv", "Utfall 2026-10, endast filens enheter: 0101"),
    ]


def test_an_only_units_import_of_several_units_lists_those_in_use(registers):
    run(NOVEMBER, name="november.csv")
    run(
        f"{HEADER}\n2026-11;0101;5111;410 000\n2026-11;0102;5111;310 000\n",
        name="tva.csv",
        replaces="units",
    )
    run(CORRECTION_0102, name="r.csv", replaces="units")

    assert in_use() == [
        ("november.csv", "Utfall 2026-11"),
        ("tva.csv", "Utfall 2026-11, endast filens enheter: 0101"),
        ("r.csv", "Utfall 2026-11, endast filens enheter: 0102"),
    ]


def test_sick_leave_corrections_are_listed_the_same_way(registers):
    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    sick_leave_import(data=SICK_CORRECTION.encode(), file_name="r1.csv", replaces="units")
    sick_leave_import(data=SICK_CORRECTION.encode(), file_name="r2.csv", replaces="units")

    # The same file again as only units is identical to r1, in use: nothing is stored.
    assert in_use("sick_leave") == [
        ("nov.csv", "Sjukfrånvaro 2026-11"),
        ("r1.csv", "Sjukfrånvaro 2026-11, endast filens enheter: 0102"),
    ]
    sick_leave_import(
        data=SICK_CORRECTION.replace("30;0;0", "31;0;0").encode(),
        file_name="r2.csv",
        replaces="units",
    )
    assert in_use("sick_leave") == [
        ("nov.csv", "Sjukfrånvaro 2026-11"),
        ("r2.csv", "Sjukfrånvaro 2026-11, endast filens enheter: 0102"),
    ]

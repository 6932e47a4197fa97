"""Sick leave through export_kpi (kpis.series.sick_leave, sick_leave_duration): the
figures worked out by hand on tests/sick_leave_data.py, and the small-group rule,
including the derivation attack (a total minus the groups it shows).

CSV: comma, decimal point, hours with 2 decimals, % with 3, withheld values empty.
"""

import csv
import io

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from hyrdash.lib import periods
from kpis import batches
from kpis.costs import selectors as cost_selectors
from kpis.costs import series as cost_series
from kpis.models import Department, ImportBatch, Target
from kpis.organisation import selectors as org_selectors
from kpis.registry import batch_undo
from kpis.sick_leave import selectors as sick_leave_selectors
from kpis.sick_leave import series as sick_leave_series
from tests.sick_leave_data import (
    KIRURGI,
    LSO,
    NSO,
    PV_SKE,
    TANDVARD_SL,
    TANDVARDEN,
    close_through,
    import_sick_leave,
    rows,
)

COLUMNS = (
    "month,group,employees,ordinary_hours,sick_hours,rate_pct,rate_r12_pct,"
    "long_term_share_r12_pct,preliminary,suppressed"
)


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_kpi", *args, stdout=out)
    return out.getvalue()


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def records(*args: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export(*args))))


@pytest.fixture
def sick_leave(registers):
    batch = import_sick_leave()
    close_through("2025-02")
    return batch


# --- the figures ----------------------------------------------------------------------


def test_it_exports_the_administrations_sick_leave(sick_leave):
    assert export("sick-leave", "--from", "2024-11", "--to", "2025-01") == lines(
        COLUMNS,
        # 816 of 13 950 hours: 5,849 %; R12 not yet (12 months end 2024-12)
        "2024-11,total,93,13950.00,816.00,5.849,,,0,0",
        # R12: (11 x 816 + 780) / (11 x 13 950 + 12 150) = 9 756 / 165 600 = 5,891 %;
        # long-term 12 x 240 / 9 756 = 29,520 %
        "2024-12,total,93,13950.00,816.00,5.849,5.891,29.520,0,0",
        # 966 / 13 950 = 6,925 %; R12 (10 x 816 + 780 + 966) / 165 600 = 9 906 / 165 600
        # = 5,982 % (not the mean of the monthly rates); long-term 2 880 / 9 906 = 29,073 %
        "2025-01,total,93,13950.00,966.00,6.925,5.982,29.073,0,0",
    )


def test_an_area_its_department_and_its_care_type_are_the_same_people(sick_leave):
    expected = lines(
        COLUMNS,
        # NSO: 387 / 3 900 = 9,923 %. Its R12 is withheld: in 2024-06 NSO's total was a
        # complement (the administration's 9 men were few), and so it is for all three
        # names of the same 26 people.
        "2025-01,total,26,3900.00,387.00,9.923,,,0,1",
    )
    assert export("sick-leave", "--scope", f"area:{NSO}", "--month", "2025-01") == expected
    assert export("sick-leave", "--scope", f"department:{PV_SKE}", "--month", "2025-01") == (
        expected
    )
    assert export("sick-leave", "--scope", "care:primärvård", "--month", "2025-01") == expected


def test_months_are_closed_through_a_month_and_reopened_from_one(sick_leave):
    # closed through 2025-02 (the fixture): only the newest month is preliminary
    rows_ = records("sick-leave", "--from", "2025-01")
    assert [(r["month"], r["preliminary"]) for r in rows_] == [
        ("2025-01", "0"),
        ("2025-02", "0"),
        ("2025-03", "1"),
    ]

    batches.month_status_set(period=_date("2025-03"), closed=True, kind="sick_leave")
    assert records("sick-leave", "--month", "2025-03")[0]["preliminary"] == "0"
    # The ledger's months are another matter.
    batches.month_status_set(period=_date("2025-01"), closed=False)
    assert records("sick-leave", "--month", "2025-03")[0]["preliminary"] == "0"
    # Reopening January reopens February and March; December stays closed.
    batches.month_status_set(period=_date("2025-01"), closed=False, kind="sick_leave")
    rows_ = records("sick-leave-duration", "--from", "2024-12")
    assert [(r["month"], r["preliminary"]) for r in rows_] == [
        ("2024-12", "0"),
        ("2025-01", "1"),
        ("2025-02", "1"),
        ("2025-03", "1"),
    ]


def _date(month: str):
    return periods.period_date(month)


def test_the_duration_series_splits_sick_hours_by_day_of_the_sick_period(sick_leave):
    assert export("sick-leave-duration", "--month", "2025-01") == lines(
        "month,employees,sick_hours,sick_hours_1_14,sick_hours_15_59,sick_hours_60,"
        "short_term_rate_pct,short_term_rate_r12_pct,long_term_share_r12_pct,preliminary,"
        "suppressed",
        # day 1-14: 270 + 27 + 200 + 45 + 54 = 596 of 13 950: 4,272 %; R12 (10 x 446 + 410
        # + 596) / 165 600 = 3,301 %
        "2025-01,93,966.00,596.00,130.00,240.00,4.272,3.301,29.073,0,0",
    )


# --- the small-group rule ----------------------------------------------------------------


def test_a_group_under_the_threshold_and_its_complement_are_withheld(sick_leave):
    assert export(
        "sick-leave", "--scope", f"area:{NSO}", "--by", "gender", "--month", "2024-05"
    ) == (
        lines(
            COLUMNS,
            "2024-05,total,26,3900.00,237.00,6.077,,,0,0",
            # 6 men: withheld. 20 women would give them away as 26 - 20: withheld too.
            "2024-05,K,,,,,,,0,1",
            "2024-05,M,,,,,,,0,1",
        )
    )


def test_the_derivation_attack_fails_across_scopes(sick_leave):
    """NSO's 6 men: the administration's men (21) minus Länssjukvårdsområde 1's men
    (15, shown) would give them, so the administration's men are withheld, and with
    them its women (else 93 - K). Hiding the administration's men costs 21 employees;
    hiding LSO's men instead would take its four twins (department, care type: the
    same 15 people) too. No total minus shown groups on any page reveals them."""
    shown = published_cells("2024-12")

    assert ("hsf", "total") in shown
    assert ("hsf", "M") not in shown and ("hsf", "K") not in shown
    assert shown[(f"area:{LSO}", "M")] == 45.0  # sick hours of LSO's 15 men, shown
    assert (f"area:{NSO}", "M") not in shown
    assert (f"area:{NSO}", "K") not in shown
    assert (f"department:{PV_SKE}", "M") not in shown
    assert ("care:primärvård", "M") not in shown
    # Every equation of the organisation over what is published: nothing small follows.
    assert (f"area:{NSO}", "M") not in derivable_cells(shown)


def test_a_small_month_withholds_the_groups_r12_for_twelve_months(registers):
    """In 2024-06 Länssjukvårdsområde 1 had 3 young men: its men are withheld that
    month, and their R12 until the window no longer holds June: two neighbouring R12
    values and the shown months would give June's hours."""
    more = list(rows())
    for month in ("2025-04", "2025-05", "2025-06"):
        more += [(month, *r[1:]) for r in rows() if r[0] == "2025-03"]
    import_sick_leave(more)

    records_ = records("sick-leave", "--scope", f"area:{LSO}", "--by", "gender")
    men = {r["month"]: r for r in records_ if r["group"] == "M"}

    assert men["2024-06"]["employees"] == "" and men["2024-06"]["suppressed"] == "1"
    assert men["2024-07"]["employees"] == "15" and men["2024-07"]["suppressed"] == "0"
    for month in ("2024-12", "2025-03", "2025-05"):
        assert men[month]["rate_pct"] == "2.000"  # 45 / 2 250, shown
        assert men[month]["rate_r12_pct"] == "", month
        assert men[month]["suppressed"] == "1", month
    # 2025-06: the window 2024-07 .. 2025-06 is clear. 45 / 2 250 every month.
    assert men["2025-06"]["rate_r12_pct"] == "2.000"
    assert men["2025-06"]["suppressed"] == "0"


def test_an_empty_group_is_withheld_but_protects_nothing(sick_leave):
    # Tandvården has no men: its women are all of it, which is no secret.
    assert export("sick-leave", "--scope", f"area:{TANDVARDEN}", "--by", "gender", "--month",
                  "2024-05") == lines(
        COLUMNS,
        "2024-05,total,12,1800.00,54.00,3.000,,,0,0",
        "2024-05,K,12,1800.00,54.00,3.000,,,0,0",
        "2024-05,M,,,,,,,0,1",
    )  # fmt: skip


def test_the_largest_hidden_group_is_a_setting(sick_leave, settings):
    # The law hides at most ten; a region may hide more: with 12, Tandvården's 12 women
    # (all of Tandvården) are withheld too, and the administration's areas with them
    # (else 93 - 55 - 26).
    settings.SICK_LEAVE_MAX_HIDDEN_GROUP = 12

    rows_ = records("sick-leave", "--scope", f"area:{TANDVARDEN}", "--month", "2024-05")
    by_area = records("sick-leave", "--by", "area", "--month", "2024-05")

    assert [(r["group"], r["employees"]) for r in rows_] == [("total", "")]
    assert by_area[0]["employees"] == "93"
    assert [r["employees"] for r in by_area[1:]].count("") >= 2


def test_a_scope_under_the_threshold_shows_nothing(registers):
    import_sick_leave([("2024-05", "3001", "K", "30-49", 7, 1050, 20, 0, 0),
                       ("2024-05", "0101", "K", "30-49", 40, 6000, 300, 0, 0)])  # fmt: skip

    assert records("sick-leave", "--scope", f"area:{TANDVARDEN}") == [
        {"month": "2024-05", "group": "total", "employees": "", "ordinary_hours": "",
         "sick_hours": "", "rate_pct": "", "rate_r12_pct": "", "long_term_share_r12_pct": "",
         "preliminary": "1", "suppressed": "1"},
    ]  # fmt: skip
    # And the administration's areas: Tandvården's 7 would be 47 - 40, so NSO goes too.
    by_area = records("sick-leave", "--by", "area")
    assert [(r["group"], r["employees"]) for r in by_area] == [
        ("total", "47"),
        (LSO, ""),
        (NSO, ""),
        (TANDVARDEN, ""),
    ]


def test_by_age_and_by_area(sick_leave):
    assert [
        (r["group"], r["employees"], r["sick_hours"])
        for r in records("sick-leave", "--by", "age", "--month", "2024-05")
    ] == [
        ("total", "93", "816.00"),
        ("-29", "15", "45.00"),
        ("30-49", "38", "291.00"),  # 210 + 27 + 54
        ("50-", "40", "480.00"),
    ]
    assert [
        (r["group"], r["employees"], r["rate_r12_pct"])
        for r in records("sick-leave", "--by", "area", "--month", "2025-01")
    ] == [
        ("total", "93", "5.982"),
        # In 2024-06 LSO's 3 young men, the administration's 9 men and NSO's 6 are
        # withheld, and to keep them so every area's total (LSO's 43 - 40 women would
        # give its men; the three add up to the administration's 81): their R12 waits
        # for a window without June.
        (LSO, "55", ""),
        (NSO, "26", ""),
        (TANDVARDEN, "12", ""),
    ]
    # An area's parts are its departments; a department and a care type have none.
    assert [r["group"] for r in records("sick-leave", "--scope", f"area:{LSO}", "--by", "area",
                                        "--month", "2024-05")] == ["total", KIRURGI]  # fmt: skip
    for scope in (f"department:{TANDVARD_SL}", "care:tandvård"):
        rows_ = records("sick-leave", "--scope", scope, "--by", "area", "--month", "2024-05")
        assert [r["group"] for r in rows_] == ["total"]


def test_age_bands_are_written_as_numbers_not_as_formulas(sick_leave):
    text = export("sick-leave", "--by", "age", "--month", "2024-05")

    assert "\n2024-05,-29,15," in text  # not '-29


# --- the data behind the export ----------------------------------------------------------


def test_a_replaced_month_and_an_undone_import_change_the_export(sick_leave):
    corrected = [r for r in rows() if r[0] == "2025-03"]
    corrected[0] = (*corrected[0][:6], 420, 30, 60)  # 0101 K: 300 more sick hours
    batch = import_sick_leave(corrected, name="mars.csv")

    assert records("sick-leave", "--month", "2025-03")[0]["sick_hours"] == "1116.00"  # 816 + 300
    batch_undo(batch_id=batch.id)
    assert records("sick-leave", "--month", "2025-03")[0]["sick_hours"] == "816.00"
    batch_undo(batch_id=sick_leave.id)
    assert export("sick-leave") == lines(COLUMNS)


def test_no_sick_leave_gives_the_header_only(registers):
    assert export("sick-leave", "--by", "gender") == lines(COLUMNS)


def test_wrong_arguments_stop_with_a_swedish_message(sick_leave):
    with pytest.raises(CommandError, match="--by: ”kön” finns inte; välj gender, age, area."):
        export("sick-leave", "--by", "kön")
    with pytest.raises(CommandError, match="Serien agency-r12 tar inte --by."):
        export("agency-r12", "--by", "gender")
    with pytest.raises(CommandError, match="Serien sick-leave-duration tar inte --by."):
        export("sick-leave-duration", "--by", "age")
    with pytest.raises(CommandError, match="Verksamheten Finns inte finns inte."):
        export("sick-leave", "--scope", "department:Finns inte")


def test_a_target_of_the_scope_only_as_decided(sick_leave):
    Target.objects.create(measure="sick_leave", year=2025, scope_kind="hsf", pct="5.50")
    Target.objects.create(
        measure="sick_leave", year=2025, scope_kind="area",
        area=Department.objects.get(name=PV_SKE).area, pct="6.20",
    )  # fmt: skip
    Target.objects.create(measure="skr", year=2024, scope_kind="hsf", pct="9.99")
    data = sick_leave_selectors.sick_leave_data()
    march = cost_series.month_text  # noqa: F841 (keeps the import list honest)

    def target(scope, month):
        return sick_leave_series.sick_leave_target(
            data, scope=org_selectors.Scope.parse(scope), month=_period(month)
        )

    assert target("hsf", "2025-01") == 5.5
    assert target(f"area:{NSO}", "2025-01") == 6.2
    # no target of their own and not marked to follow: none
    assert target(f"area:{LSO}", "2025-01") is None
    assert target(f"department:{PV_SKE}", "2025-01") is None
    assert target("hsf", "2024-12") is None  # the SKR target is not sick leave's
    assert cost_selectors.targets() == {(2024, "hsf"): 9.99, **_seed_targets()}


def _period(month):
    import pandas as pd

    return pd.Period(month, freq="M")


def _seed_targets():
    return {
        (2025, "hsf"): 3.7,
        (2026, "hsf"): 3.44,
        (2026, "care:sjukhusvård"): 2.0,
        (2026, "care:primärvård"): 13.0,
        (2027, "hsf"): 2.0,
    }


# --- the attacker's view -----------------------------------------------------------------


def scopes() -> list[str]:
    return (
        ["hsf"]
        + [f"area:{a}" for a in (LSO, NSO, TANDVARDEN)]
        + [f"department:{d}" for d in (KIRURGI, PV_SKE, TANDVARD_SL)]
        + [f"care:{c}" for c in ("sjukhusvård", "primärvård", "tandvård", "övrigt")]
    )


def published_cells(month: str) -> dict[tuple[str, str], float]:
    """Every sick-hours figure export_kpi shows for the month, by (scope key, group)."""
    shown = {}
    for scope in scopes():
        for by in (None, "gender", "age", "area"):
            args = ["sick-leave", "--scope", scope, "--month", month]
            for row in records(*args, *(["--by", by] if by else [])):
                if row["sick_hours"] == "":
                    continue
                key = (scope, row["group"])
                if by == "area" and row["group"] != "total":
                    kind = "area" if scope == "hsf" else "department"
                    key = (f"{kind}:{row['group']}", "total")
                shown[key] = float(row["sick_hours"])
    return shown


def derivable_cells(shown: dict) -> set:
    """The hidden cells an attacker can work out from `shown` with the organisation's
    equations (written out here by hand, apart from the code under test)."""
    groups = ["total", "K", "M", "-29", "30-49", "50-"]
    areas = {LSO: [KIRURGI], NSO: [PV_SKE], TANDVARDEN: [TANDVARD_SL]}
    cares = ["sjukhusvård", "primärvård", "tandvård", "övrigt"]
    equations = []
    for scope in scopes():
        equations.append(((scope, "total"), [(scope, "K"), (scope, "M")]))
        equations.append(((scope, "total"), [(scope, g) for g in ("-29", "30-49", "50-")]))
    for group in groups:
        equations.append((("hsf", group), [(f"area:{a}", group) for a in areas]))
        equations.append((("hsf", group), [(f"care:{c}", group) for c in cares]))
        for area, departments in areas.items():
            equations.append(((f"area:{area}", group), [(f"department:{d}", group) for d in departments]))  # fmt: skip
    cells = sorted({c for p, ch in equations for c in (p, *ch)} - set(shown))
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = []
    for parent, children in equations:
        row = np.zeros(len(cells))
        for cell, sign in [(parent, 1), *((c, -1) for c in children)]:
            if cell in index:
                row[index[cell]] += sign
        if row.any():
            matrix.append(row)
    matrix = np.array(matrix)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for cell, i in index.items():
        unit = np.zeros((1, len(cells)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(cell)
    return found


def test_the_attackers_view_knows_the_shown_cells(sick_leave):
    """The test's own check: unhidden cells are derivable, as they should be."""
    shown = published_cells("2024-12")
    shown.pop((f"area:{TANDVARDEN}", "K"))  # pretend it were hidden: it equals the total
    assert (f"area:{TANDVARDEN}", "K") in derivable_cells(shown)


def test_the_sick_leave_series_are_offered_by_export_kpi():
    from kpis.management.commands.export_kpi import EXPORTS

    assert EXPORTS["sick-leave"].by == ("gender", "age", "area")
    assert EXPORTS["sick-leave"].load is sick_leave_selectors.sick_leave_data
    assert ImportBatch.Kind.SICK_LEAVE == "sick_leave"

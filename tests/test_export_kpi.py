"""The export_kpi command: every series as CSV on the data set of tests/test_series.py.

The data set (imported through import_costs, described in full at the top of
tests/test_series.py), in short, with m the month number:

    hsf per month      2025                  2026
    läkare             1 000·m + 10 000      2 000·m + 10 000
    ssk/bm             7 000                 6 000 (February 5 000: a -1 000 correction)
    övriga             0                     1 000 (no hours)
    own staff          500 000               500 000
    budget             -                     442 000

    primärvård (0101, 0102, area Närsjukvårdsområde Skellefteå, 150 000 own staff):
        läkare 1 000·m / 2 000·m, ssk 3 000 / 2 000
    sjukhusvård (2001, 2002, area Länssjukvårdsområde 1, 350 000 own staff):
        läkare 10 000, ssk 4 000 (Feb 2026 3 000), övriga 0 / 1 000
    tandvård (3001, area Tandvården): no rows.

CSV: comma, decimal point, SEK with 2 decimals, % with 3, missing values empty.
"""

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kpis.costs import series
from kpis.management.commands.export_kpi import EXPORTS
from kpis.models import Area, ImportBatch, Target
from kpis.registry import batch_undo
from kpis.sick_leave import series as sick_leave_series
from tests.conftest import ROOT
from tests.test_series import import_csv, import_main, row

NSO = "Närsjukvårdsområde Skellefteå"
LSO = "Länssjukvårdsområde 1"


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_kpi", *args, stdout=out)
    return out.getvalue()


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


@pytest.fixture
def main_data(registers, tmp_path):
    import_main(tmp_path)
    return tmp_path


def test_it_offers_exactly_the_series_of_the_subjects_and_the_survey():
    assert list(EXPORTS) == [
        *series.SERIES,
        *sick_leave_series.SERIES,
        "placements-12a",
        "survey",
    ]


# --- agency-ytd ------------------------------------------------------------------


def test_it_exports_agency_cost_year_to_date(main_data):
    assert export("agency-ytd", "--month", "2026-03") == lines(
        "profession,ytd_sek,ytd_prev_sek,change_sek,change_pct",
        # 2 000·(1+2+3) + 3·10 000 = 42 000 vs 1 000·6 + 30 000 = 36 000: 6 000/36 000 = 16.667 %
        "hyr_lakare,42000.00,36000.00,6000.00,16.667",
        # 6 000 + 5 000 + 6 000 = 17 000 vs 3·7 000 = 21 000: -4 000/21 000 = -19.048 %
        "hyr_ssk_bm,17000.00,21000.00,-4000.00,-19.048",
        # 3·1 000 vs 0: a change in % of nothing is empty
        "hyr_ovriga,3000.00,0.00,3000.00,",
        # 62 000 vs 57 000: 5 000/57 000 = 8.772 %
        "total,62000.00,57000.00,5000.00,8.772",
    )


def test_it_leaves_last_year_empty_in_the_first_year(main_data):
    # 2024 has no data: last year, the change and the change in % are empty.
    assert export("agency-ytd", "--month", "2025-03", "--scope", "hsf") == lines(
        "profession,ytd_sek,ytd_prev_sek,change_sek,change_pct",
        "hyr_lakare,36000.00,,,",  # 1 000·(1+2+3) + 3·10 000
        "hyr_ssk_bm,21000.00,,,",  # 3·7 000
        "hyr_ovriga,0.00,,,",
        "total,57000.00,,,",
    )


def test_it_restarts_year_to_date_in_january(main_data):
    assert export("agency-ytd", "--month", "2026-01", "--scope", "care:primärvård") == lines(
        "profession,ytd_sek,ytd_prev_sek,change_sek,change_pct",
        "hyr_lakare,2000.00,1000.00,1000.00,100.000",  # 2 000·1 vs 1 000·1
        "hyr_ssk_bm,2000.00,3000.00,-1000.00,-33.333",  # -1 000/3 000
        "hyr_ovriga,0.00,0.00,0.00,",  # 0 vs 0: no change in %
        "total,4000.00,4000.00,0.00,0.000",
    )


def test_it_exports_zeros_for_a_scope_without_rows(main_data):
    assert export("agency-ytd", "--month", "2026-03", "--scope", "area:Tandvården") == lines(
        "profession,ytd_sek,ytd_prev_sek,change_sek,change_pct",
        "hyr_lakare,0.00,0.00,0.00,",
        "hyr_ssk_bm,0.00,0.00,0.00,",
        "hyr_ovriga,0.00,0.00,0.00,",
        "total,0.00,0.00,0.00,",
    )


# --- agency-monthly and agency-r12 -----------------------------------------------


def test_it_exports_agency_cost_per_month(main_data):
    assert export("agency-monthly", "--from", "2025-12", "--to", "2026-01") == lines(
        "month,profession,amount_sek,preliminary",
        "2025-12,hyr_lakare,22000.00,0",  # 1 000·12 + 10 000
        "2025-12,hyr_ssk_bm,7000.00,0",
        "2025-12,hyr_ovriga,0.00,0",
        "2026-01,hyr_lakare,12000.00,1",  # 2 000·1 + 10 000
        "2026-01,hyr_ssk_bm,6000.00,1",
        "2026-01,hyr_ovriga,1000.00,1",
    )
    assert export("agency-monthly", "--month", "2026-02") == lines(
        "month,profession,amount_sek,preliminary",
        "2026-02,hyr_lakare,14000.00,1",  # 2 000·2 + 10 000
        "2026-02,hyr_ssk_bm,5000.00,1",  # 2 000 + 4 000 - 1 000 (the correction)
        "2026-02,hyr_ovriga,1000.00,1",
    )


def test_it_exports_every_month_without_a_range_and_open_ranges(main_data):
    rows = list(csv.reader(io.StringIO(export("agency-monthly"))))
    assert len(rows) == 1 + 24 * 3
    assert rows[1] == ["2025-01", "hyr_lakare", "11000.00", "0"]
    assert rows[-1] == ["2026-12", "hyr_ovriga", "1000.00", "1"]
    from_nov = list(csv.reader(io.StringIO(export("agency-monthly", "--from", "2026-11"))))
    assert [r[0] for r in from_nov[1:]] == ["2026-11"] * 3 + ["2026-12"] * 3
    to_jan = list(csv.reader(io.StringIO(export("agency-monthly", "--to", "2025-01"))))
    assert [r[0] for r in to_jan[1:]] == ["2025-01"] * 3
    # a month without data: only the header
    assert (
        export("agency-monthly", "--month", "2030-01")
        == "month,profession,amount_sek,preliminary\n"
    )


def test_it_exports_agency_r12_once_twelve_months_exist(main_data):
    # R12(2026-m) = 282 000 + the growth over 2025, 1 000·j per month j (February 1 000):
    # see tests/test_series.py.
    assert export("agency-r12") == lines(
        "month,agency_r12_sek,preliminary",
        *[f"2025-{m:02d},,0" for m in range(1, 12)],  # closed through 2025-12
        "2025-12,282000.00,0",  # 198 000 läkare + 84 000 ssk
        "2026-01,283000.00,1",
        "2026-02,284000.00,1",
        "2026-03,287000.00,1",
        "2026-04,291000.00,1",
        "2026-05,296000.00,1",
        "2026-06,302000.00,1",
        "2026-07,309000.00,1",
        "2026-08,317000.00,1",
        "2026-09,326000.00,1",
        "2026-10,336000.00,1",
        "2026-11,347000.00,1",
        "2026-12,359000.00,1",  # 276 000 läkare + 71 000 ssk + 12 000 övriga
    )


# --- skr-measure --------------------------------------------------------------------


def test_it_exports_the_skr_measure_with_the_years_target(main_data):
    assert export("skr-measure", "--from", "2025-11", "--to", "2026-02") == lines(
        "month,agency_r12_sek,own_staff_r12_sek,ratio_pct,target_pct,preliminary",
        "2025-11,,,,3.700,0",  # 11 months only; 2025's target 3.70
        "2025-12,282000.00,6000000.00,4.700,3.700,0",  # 282 000 / 6 000 000
        "2026-01,283000.00,6000000.00,4.717,3.440,1",  # 4.71667 %; 2026's target 3.44
        "2026-02,284000.00,6000000.00,4.733,3.440,1",  # 4.73333 %
    )


@pytest.mark.parametrize(
    ("scope", "month", "expected"),
    [
        # primärvård: R12 2 000·78 + 12·2 000 = 180 000 over 12·150 000; its own 2026 target
        ("care:primärvård", "2026-12", "2026-12,180000.00,1800000.00,10.000,13.000,1"),
        # 2025: 1 000·78 + 12·3 000 = 114 000 -> 6.333 %; no primärvård target for 2025
        ("care:primärvård", "2025-12", "2025-12,114000.00,1800000.00,6.333,,0"),
        # the same units as an area: no area target
        (f"area:{NSO}", "2026-12", "2026-12,180000.00,1800000.00,10.000,,1"),
        # sjukhusvård: 11·15 000 + 14 000 = 179 000 over 12·350 000 -> 4.262 %; target 2.00
        ("care:sjukhusvård", "2026-12", "2026-12,179000.00,4200000.00,4.262,2.000,1"),
        (f"area:{LSO}", "2026-12", "2026-12,179000.00,4200000.00,4.262,,1"),
        # no rows: R12 0, the ratio of 0 to 0 is empty; no target
        ("care:tandvård", "2026-12", "2026-12,0.00,0.00,,,1"),
        ("area:Tandvården", "2025-12", "2025-12,0.00,0.00,,,0"),
    ],
)
def test_it_exports_the_skr_measure_per_scope(main_data, scope, month, expected):
    assert export("skr-measure", "--scope", scope, "--month", month) == lines(
        "month,agency_r12_sek,own_staff_r12_sek,ratio_pct,target_pct,preliminary", expected
    )


# --- agency-r12-by-area -----------------------------------------------------------


def test_it_exports_r12_per_area(main_data):
    assert export("agency-r12-by-area", "--from", "2025-11", "--to", "2025-12") == lines(
        "month,area,agency_r12_sek,preliminary",
        f"2025-11,{LSO},,0",
        f"2025-11,{NSO},,0",
        "2025-11,Tandvården,,0",
        f"2025-12,{LSO},168000.00,0",  # 12·(10 000 + 4 000)
        f"2025-12,{NSO},114000.00,0",  # 1 000·78 + 12·3 000
        "2025-12,Tandvården,0.00,0",
    )
    # the areas add up to the administration's 359 000
    assert export("agency-r12-by-area", "--month", "2026-12") == lines(
        "month,area,agency_r12_sek,preliminary",
        f"2026-12,{LSO},179000.00,1",
        f"2026-12,{NSO},180000.00,1",
        "2026-12,Tandvården,0.00,1",
    )
    assert export("agency-r12-by-area", "--month", "2026-12", "--scope", "care:primärvård") == (
        lines("month,area,agency_r12_sek,preliminary", f"2026-12,{NSO},180000.00,1")
    )


# --- personnel-cost -----------------------------------------------------------------


def test_it_exports_personnel_cost_with_budget_and_last_year(main_data):
    assert export("personnel-cost", "--from", "2025-12", "--to", "2026-02") == lines(
        "month,actual_sek,budget_sek,actual_prev_year_sek,preliminary",
        # 500 000 + 1 000·12 + 10 000 + 7 000; no budget for 2025; no 2024
        "2025-12,529000.00,,,0",
        # 500 000 + 2 000·1 + 10 000 + 6 000 + 1 000; budget 442 000; 2025-01 518 000
        "2026-01,519000.00,442000.00,518000.00,1",
        # 500 000 + 4 000 + 10 000 + 5 000 + 1 000; 2025-02: 517 000 + 2 000
        "2026-02,520000.00,442000.00,519000.00,1",
    )
    assert export("personnel-cost", "--month", "2026-03", "--scope", "care:primärvård") == lines(
        "month,actual_sek,budget_sek,actual_prev_year_sek,preliminary",
        # 150 000 + 2 000·3 + 2 000; budget 110 000 + 2 000; 150 000 + 3 000 + 3 000
        "2026-03,158000.00,112000.00,156000.00,1",
    )


# --- agency-by-department --------------------------------------------------------------


def test_it_exports_agency_cost_per_department_against_last_year(main_data):
    assert export("agency-by-department", "--from", "2026-01", "--to", "2026-03") == lines(
        "department,profession,amount_sek,amount_prev_sek",
        "Kirurgiskt centrum,hyr_lakare,30000.00,30000.00",  # 3·10 000 both years
        "Kirurgiskt centrum,hyr_ssk_bm,11000.00,12000.00",  # 4 000 + 3 000 + 4 000 vs 3·4 000
        "Kirurgiskt centrum,hyr_ovriga,3000.00,0.00",
        "Primärvård Skellefteå,hyr_lakare,12000.00,6000.00",  # 2 000·6 vs 1 000·6
        "Primärvård Skellefteå,hyr_ssk_bm,6000.00,9000.00",  # 3·2 000 vs 3·3 000
        # Primärvård övriga is 0 in both periods and left out; Tandvård has no rows.
    )


def test_it_leaves_last_years_range_empty_without_data(main_data):
    # 2025-11 .. 2026-02 against 2024-11 .. 2025-02, which has no data.
    assert export(
        "agency-by-department", "--from", "2025-11", "--to", "2026-02", "--scope", "hsf"
    ) == lines(
        "department,profession,amount_sek,amount_prev_sek",
        "Kirurgiskt centrum,hyr_lakare,40000.00,",  # 4·10 000
        "Kirurgiskt centrum,hyr_ssk_bm,15000.00,",  # 4 000 + 4 000 + 4 000 + 3 000
        "Kirurgiskt centrum,hyr_ovriga,2000.00,",  # 0 + 0 + 1 000 + 1 000
        "Primärvård Skellefteå,hyr_lakare,29000.00,",  # 11 000 + 12 000 + 2 000 + 4 000
        "Primärvård Skellefteå,hyr_ssk_bm,10000.00,",  # 3 000 + 3 000 + 2 000 + 2 000
    )
    assert export(
        "agency-by-department", "--from", "2026-01", "--to", "2026-03", "--scope", "care:tandvård"
    ) == lines("department,profession,amount_sek,amount_prev_sek")


# --- agency-hours ----------------------------------------------------------------------


def test_it_exports_hours_and_cost_per_hour(main_data):
    assert export("agency-hours", "--month", "2026-03") == lines(
        "month,profession,hours,cost_per_hour_sek,preliminary",
        # 30 h (0101) + 20 h (2001); (6 000 + 10 000) / 50 h
        "2026-03,hyr_lakare,50.00,320.00,1",
        # 10 h on 0102; 2002 reports no hours: (2 000 + 4 000) / 10 h
        "2026-03,hyr_ssk_bm,10.00,600.00,1",
        # 1 000 SEK without hours: 0 h, no cost per hour
        "2026-03,hyr_ovriga,0.00,,1",
    )
    assert export("agency-hours", "--month", "2025-03", "--scope", "care:primärvård") == lines(
        "month,profession,hours,cost_per_hour_sek,preliminary",
        "2025-03,hyr_lakare,30.00,100.00,0",  # 1 000·3 / 10·3 h
        "2025-03,hyr_ssk_bm,30.00,100.00,0",  # 3 000 / 30 h
        "2025-03,hyr_ovriga,0.00,,0",
    )


# --- rounding ------------------------------------------------------------------------------


def test_it_rounds_sek_to_ore_and_percent_to_three_decimals(registers, tmp_path):
    import_csv(tmp_path, [row("2024-01", "0101", "4601", 3_000)], name="2024")
    import_csv(
        tmp_path,
        [row("2025-01", "0101", "4601", 1_000.10), row("2025-01", "2001", "4601", 2_001, 3)],
        name="2025",
    )
    assert export("agency-ytd", "--month", "2025-01") == lines(
        "profession,ytd_sek,ytd_prev_sek,change_sek,change_pct",
        # 1 000.10 + 2 001.00 = 3 001.10 vs 3 000: +1.10 = 0.03667 % -> 0.037
        "hyr_lakare,3001.10,3000.00,1.10,0.037",
        "hyr_ssk_bm,0.00,0.00,0.00,",
        "hyr_ovriga,0.00,0.00,0.00,",
        "total,3001.10,3000.00,1.10,0.037",
    )
    assert export("agency-hours", "--month", "2025-01") == lines(
        "month,profession,hours,cost_per_hour_sek,preliminary",
        # nothing is closed in this data set: preliminary
        "2025-01,hyr_lakare,3.00,1000.37,1",  # 3 001.10 / 3 h = 1 000.3667
        "2025-01,hyr_ssk_bm,0.00,,1",
        "2025-01,hyr_ovriga,0.00,,1",
    )
    # no target for 2024, not even for the administration: empty
    assert export("skr-measure", "--month", "2024-01") == lines(
        "month,agency_r12_sek,own_staff_r12_sek,ratio_pct,target_pct,preliminary", "2024-01,,,,,1"
    )


# --- the numbers come from the stored data ----------------------------------------------


def test_it_follows_a_month_replaced_by_a_new_import(main_data):
    assert export("agency-r12", "--month", "2026-02") == lines(
        "month,agency_r12_sek,preliminary", "2026-02,284000.00,1"
    )
    # A new extract of February 2026 replaces the whole month: only 50 000 läkare now.
    import_csv(
        main_data,
        [row("2026-02", "0101", "4601", 50_000)],
        name="feb",
        choice=["--replace-months"],
    )
    assert export("agency-monthly", "--month", "2026-02") == lines(
        "month,profession,amount_sek,preliminary",
        "2026-02,hyr_lakare,50000.00,1",
        "2026-02,hyr_ssk_bm,0.00,1",
        "2026-02,hyr_ovriga,0.00,1",
    )
    # February was 14 000 + 5 000 + 1 000 = 20 000, now 50 000: R12 284 000 + 30 000
    assert export("agency-r12", "--month", "2026-02") == lines(
        "month,agency_r12_sek,preliminary", "2026-02,314000.00,1"
    )
    # February's own staff is gone: 6 000 000 - 500 000; 314 000 / 5 500 000 = 5.709 %
    assert export("skr-measure", "--month", "2026-02") == lines(
        "month,agency_r12_sek,own_staff_r12_sek,ratio_pct,target_pct,preliminary",
        "2026-02,314000.00,5500000.00,5.709,3.440,1",
    )
    # undoing the new import brings the first extract's February back
    batch_undo(batch_id=ImportBatch.objects.filter(file_name="feb-actuals.csv").get().id)
    assert export("agency-r12", "--month", "2026-02") == lines(
        "month,agency_r12_sek,preliminary", "2026-02,284000.00,1"
    )


# --- arguments -----------------------------------------------------------------------------


def test_it_uses_the_whole_administration_by_default(main_data):
    assert export("agency-r12", "--month", "2026-12") == export(
        "agency-r12", "--month", "2026-12", "--scope", "hsf"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["agency-ytd"], "Serien agency-ytd kräver --month ÅÅÅÅ-MM."),
        (
            ["agency-ytd", "--from", "2026-01", "--to", "2026-03"],
            "Serien agency-ytd tar --month, inte --from/--to.",
        ),
        (
            ["agency-by-department"],
            "Serien agency-by-department kräver --from ÅÅÅÅ-MM och --to ÅÅÅÅ-MM.",
        ),
        (
            ["agency-by-department", "--from", "2026-01"],
            "Serien agency-by-department kräver --from ÅÅÅÅ-MM och --to ÅÅÅÅ-MM.",
        ),
        (
            ["agency-by-department", "--month", "2026-01"],
            "Serien agency-by-department tar --from och --to, inte --month.",
        ),
        (
            ["agency-by-department", "--from", "2026-03", "--to", "2026-01"],
            "--from (2026-03) ligger efter --to (2026-01).",
        ),
        (
            ["agency-r12", "--from", "2026-03", "--to", "2026-01"],
            "--from (2026-03) ligger efter --to (2026-01).",
        ),
        (
            ["agency-r12", "--month", "2026-13"],
            "--month: ”2026-13” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.",
        ),
        (
            ["agency-ytd", "--month", "mars 2026"],
            "--month: ”mars 2026” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.",
        ),
        (
            ["agency-monthly", "--from", "2026-3"],
            "--from: ”2026-3” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.",
        ),
        (
            ["agency-monthly", "--to", "202603"],
            "--to: ”202603” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.",
        ),
        (
            ["agency-monthly", "--month", "2026-01", "--from", "2025-01"],
            "Ange antingen --month eller --from/--to, inte båda.",
        ),
        (
            ["agency-r12", "--scope", "region"],
            "Okänt urval region: använd hsf, care:<vårdtyp>, area:<område>, "
            "department:<verksamhet> eller unit:<ansvar>.",
        ),
        # A unit's costs are no personal data; sick leave never takes a unit.
        (["agency-r12", "--scope", "unit:9999"], "Enheten 9999 finns inte."),
        (
            ["sick-leave", "--scope", "unit:0101"],
            "Okänt urval unit:0101: använd hsf, care:<vårdtyp>, area:<område> "
            "eller department:<verksamhet>.",
        ),
        (
            [
                "agency-by-unit",
                "--scope",
                "area:Tandvården",
                "--from",
                "2026-01",
                "--to",
                "2026-03",
            ],
            "Serien agency-by-unit tar urvalet department:<verksamhet> eller unit:<ansvar>, "
            "inte area:Tandvården.",
        ),
        (["skr-target-path"], "Serien skr-target-path kräver --month ÅÅÅÅ-MM."),
        (
            ["skr-target-path", "--from", "2026-01", "--to", "2026-03"],
            "Serien skr-target-path tar --month, inte --from/--to.",
        ),
        (
            ["agency-r12", "--scope", "care:akutvård"],
            "Okänd vårdtyp akutvård (tillåtna: sjukhusvård, primärvård, tandvård, övrigt).",
        ),
        (["agency-r12", "--scope", "area:Umeå"], "Området Umeå finns inte."),
        (["agency-r12", "--scope", "department:Akuten"], "Verksamheten Akuten finns inte."),
        (
            ["sjukfranvaro"],
            "Okänd serie ”sjukfranvaro”; välj en av: agency-ytd, agency-monthly, agency-r12, "
            "skr-measure, agency-r12-by-area, personnel-cost, agency-by-department, "
            "agency-by-unit, agency-hours, skr-target-path, skr-projection, sick-leave, "
            "sick-leave-duration, placements-12a, survey.",
        ),
        # Section 12 a's list is taken on a date (tests/test_placements_pages.py).
        (["placements-12a"], "Serien placements-12a kräver --on ÅÅÅÅ-MM-DD."),
        (
            ["placements-12a", "--month", "2026-03"],
            "Serien placements-12a tar --on, inte --month, --from eller --to.",
        ),
        (["placements-12a", "--year", "2026"], "Serien placements-12a tar inte --year."),
        (
            ["placements-12a", "--on", "2026-02-30"],
            "--on: ”2026-02-30” är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, till exempel 2026-03-15.",
        ),
        (
            ["placements-12a", "--on", "15/3 2026"],
            "--on: ”15/3 2026” är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, till exempel 2026-03-15.",
        ),
        (
            ["placements-12a", "--on", "2026-03-15", "--scope", "care:primärvård"],
            "Serien placements-12a tar urvalet hsf eller area:<område>, inte care:primärvård.",
        ),
        (["agency-r12", "--on", "2026-03-15"], "Serien agency-r12 tar inte --on."),
        (["survey", "--on", "2026-03-15"], "Serien survey tar inte --on."),
    ],
)
def test_it_refuses_bad_arguments_in_swedish(registers, args, message):
    with pytest.raises(CommandError) as caught:
        export(*args)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["agency-ytd"], "Serien agency-ytd kräver --month ÅÅÅÅ-MM."),
        (
            ["agency-r12", "--month", "2026-13"],
            "--month: ”2026-13” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.",
        ),
    ],
)
def test_it_exits_non_zero_without_a_traceback(args, message):
    # A real command line; these errors are found before the database is read.
    env = {**os.environ, "DEBUG": "1", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "manage.py", "export_kpi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"CommandError: {message}\n"


def test_it_says_which_months_are_preliminary_in_every_month_series(main_data):
    # closed through 2025-12 (import_main); a controller closes March 2026 too
    call_command("close_months", "--kind", "actuals", "--through", "2026-03", stdout=io.StringIO())
    for name, columns in series.SERIES.items():
        if "month" not in columns or name == "skr-projection":
            continue  # agency-ytd, agency-by-department: no months; the projection's months
            # come after the month asked for and are never actuals
        assert columns[-1] == "preliminary", name
        rows = list(
            csv.DictReader(io.StringIO(export(name, "--from", "2026-02", "--to", "2026-05")))
        )
        flags = {(r["month"], r["preliminary"]) for r in rows}
        assert flags == {("2026-02", "0"), ("2026-03", "0"), ("2026-04", "1"), ("2026-05", "1")}, (
            name
        )
    # reopening February reopens March too
    call_command(
        "close_months", "--kind", "actuals", "--reopen-from", "2026-02", stdout=io.StringIO()
    )
    rows = list(
        csv.DictReader(io.StringIO(export("agency-r12", "--from", "2026-01", "--to", "2026-03")))
    )
    assert [(r["month"], r["preliminary"]) for r in rows] == [
        ("2026-01", "0"),
        ("2026-02", "1"),
        ("2026-03", "1"),
    ]


def test_it_marks_a_scope_that_follows_the_administrations_target(main_data):
    Target.objects.create(
        year=2026, scope_kind="area", area=Area.objects.get(name=NSO), follows_hsf=True
    )
    assert export(
        "skr-measure", "--scope", f"area:{NSO}", "--from", "2025-12", "--to", "2026-01"
    ) == lines(
        "month,agency_r12_sek,own_staff_r12_sek,ratio_pct,target_pct,preliminary",
        "2025-12,114000.00,1800000.00,6.333,,0",  # not marked for 2025: no target
        "2026-01,114000.00,1800000.00,6.333,3.440,1",  # the administration's 3,44
    )


def test_it_uses_an_areas_own_target_when_a_controller_sets_one(main_data):
    Target.objects.create(
        year=2026, scope_kind="area", area=Area.objects.get(name=NSO), pct=Decimal("12.50")
    )
    assert export(
        "skr-measure", "--scope", f"area:{NSO}", "--from", "2025-12", "--to", "2026-01"
    ) == (
        lines(
            "month,agency_r12_sek,own_staff_r12_sek,ratio_pct,target_pct,preliminary",
            # 2025 has no target for the area
            "2025-12,114000.00,1800000.00,6.333,,0",
            # 114 000 - 1 000·1 - 3 000 + 2 000·1 + 2 000 = 114 000; the area's own 12.50
            "2026-01,114000.00,1800000.00,6.333,12.500,1",
        )
    )
    # the care type of the same units keeps its own target
    assert export("skr-measure", "--scope", "care:primärvård", "--month", "2026-01").endswith(
        ",13.000,1\n"
    )

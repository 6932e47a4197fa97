"""The cost KPI series (kpis.series) on a small data set imported through import_costs.

The organisation and the account mapping come from the `registers` fixture
(tests/conftest.py, fixtures/konton.csv):

    0101, 0102  primärvård   "Primärvård Skellefteå"   "Närsjukvårdsområde Skellefteå"
    2001, 2002  sjukhusvård  "Kirurgiskt centrum"      "Länssjukvårdsområde 1"
    3001        tandvård     "Tandvård Södra Lappland" "Tandvården"

    4601 hyr_lakare; 4611, 4612 hyr_ssk_bm; 4621 hyr_ovriga; 5111 egen_lon;
    5411 egen_po; 5511 egen_pension; 5711 ignorera

THE DATA SET (`import_main`): actuals for the 24 months 2025-01 .. 2026-12 and a
budget for 2026. m is the month number (1..12); Σm over a year = 78.

    actuals, every month           2025              2026
    0101 4601 läkare               1 000·m (10·m h)  2 000·m (10·m h)
    0101 5111 own staff              100 000           100 000
    0102 4611 ssk                      3 000 (30 h)      2 000 (10 h)
    0102 5411 own staff               50 000            50 000
    2001 4601 läkare                  10 000 (20 h)     10 000 (20 h)
    2001 4621 övriga                       -             1 000 (no hours)
    2001 5111 own staff              300 000           300 000
    2002 4611 ssk                      4 000             4 000
    2002 5511 own staff               50 000            50 000
    plus 2026-02 2002 4612 (ssk) -1 000  (a negative correction)
    plus 2025-06 2001 5711 777 777       (category "ignorera": never counted)
    3001 (tandvård) has no rows at all.

    budget 2026, every month: 0101 5111 110 000; 0102 4611 2 000;
    2001 5111 320 000; 2001 4601 10 000  ->  442 000 (primärvård 112 000).

Per month for the whole administration (hsf):
    läkare  L = 1 000·m + 10 000 (2025)   2 000·m + 10 000 (2026)
    ssk     S = 3 000 + 4 000 = 7 000     2 000 + 4 000 = 6 000 (Feb: 5 000)
    övriga  O = 0                         1 000
    own staff = 100 000 + 50 000 + 300 000 + 50 000 = 500 000 (both years)
Year sums: 2025 L 78 000 + 120 000 = 198 000, S 84 000, O 0 -> 282 000
           2026 L 156 000 + 120 000 = 276 000, S 72 000 - 1 000 = 71 000,
                O 12 000 -> 359 000
Agency R12(2026-m) = 282 000 + Σ_{j<=m} (A2026(j) - A2025(j)), where the
difference is 1 000·j - 1 000 + 1 000 = 1 000·j, except February:
2 000 - 2 000 + 1 000 = 1 000. So R12: 2025-12 282 000, 2026-01 283 000,
02 284 000, 03 287 000, 04 291 000, 05 296 000, 06 302 000, 07 309 000,
08 317 000, 09 326 000, 10 336 000, 11 347 000, 12 359 000 (= 282 000 + 78 000
- 1 000). Own-staff R12 = 12 · 500 000 = 6 000 000 from 2025-12.

The ledger's months are closed through 2025-12: every month-indexed series has
preliminary 0 in 2025 and 1 in 2026. Targets: the seeds' (kpis 0004), hsf 3,70 (2025)
and 3,44 (2026), sjukhusvård 2,00 and primärvård 13,00 (2026); nothing else.
"""

import io
import itertools
import math
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command

from kpis.costs import selectors, series
from kpis.models import Area, Target
from kpis.organisation.selectors import Scope

HEADER = "Period;Ansvar;Konto;Belopp;Timmar"
NSO = "Närsjukvårdsområde Skellefteå"
LSO = "Länssjukvårdsområde 1"
TANDVARDEN = "Tandvården"
PRIMARVARD_DEP = "Primärvård Skellefteå"
KIRURGI_DEP = "Kirurgiskt centrum"
LAK, SSK, OVR = "hyr_lakare", "hyr_ssk_bm", "hyr_ovriga"


# --- building the data set through the real import --------------------------------


def swedish(amount: float) -> str:
    """An amount as Swedish Excel writes it: '1 000,50', '-1 000,00'."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def row(period: str, ansvar: str, konto: str, amount: float, hours: float | None = None) -> str:
    return f"{period};{ansvar};{konto};{swedish(amount)};{'' if hours is None else hours}"


def import_csv(
    tmp_path: Path, lines: list[str], *, kind: str = "actuals", name: str = "x", choice=()
):
    """Write an extract (semicolon, decimal comma) and import it with import_costs;
    `choice` the command's choice for a partial file (--replace-months, --only-units)."""
    path = tmp_path / f"{name}-{kind}.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    call_command("import_costs", str(path), "--kind", kind, *choice, stdout=io.StringIO())


def months(year: int):
    return [(f"{year}-{m:02d}", m) for m in range(1, 13)]


def main_actuals() -> list[str]:
    lines = []
    for year in (2025, 2026):
        k = year - 2024  # 1 in 2025, 2 in 2026
        for period, m in months(year):
            lines += [
                row(period, "0101", "4601", 1000 * k * m, hours=10 * m),
                row(period, "0101", "5111", 100_000),
                row(period, "0102", "4611", 3000 if year == 2025 else 2000, 30 if k == 1 else 10),
                row(period, "0102", "5411", 50_000),
                row(period, "2001", "4601", 10_000, hours=20),
                row(period, "2001", "5111", 300_000),
                row(period, "2002", "4611", 4_000),
                row(period, "2002", "5511", 50_000),
            ]
            if year == 2026:
                lines.append(row(period, "2001", "4621", 1_000))
    lines.append(row("2026-02", "2002", "4612", -1_000))  # a correction
    lines.append(row("2025-06", "2001", "5711", 777_777))  # ignorera
    return lines


def main_budget() -> list[str]:
    lines = []
    for period, _m in months(2026):
        lines += [
            row(period, "0101", "5111", 110_000),
            row(period, "0102", "4611", 2_000),
            row(period, "2001", "5111", 320_000),
            row(period, "2001", "4601", 10_000),
        ]
    return lines


def import_main(tmp_path: Path) -> None:
    """The data set, with the ledger's months closed through 2025-12 (a controller closed
    2025): 2025's rows have preliminary 0, 2026's 1."""
    import_csv(tmp_path, main_actuals(), name="main")
    import_csv(tmp_path, main_budget(), kind="budget", name="main")
    call_command("close_months", "--kind", "actuals", "--through", "2025-12", stdout=io.StringIO())


@pytest.fixture
def main_data(registers, tmp_path):
    import_main(tmp_path)
    return selectors.cost_data()


# --- comparing tables -------------------------------------------------------------


def assert_rows(table: pd.DataFrame, expected: list[tuple]) -> None:
    """Row by row; None expects NaN (missing), numbers are compared to 1e-6."""
    actual = list(table.itertuples(index=False, name=None))
    assert len(actual) == len(expected), actual
    for got, want in zip(actual, expected, strict=True):
        assert len(got) == len(want), (got, want)
        for g, w in zip(got, want, strict=True):
            if w is None:
                assert isinstance(g, float) and math.isnan(g), (got, want)
            elif isinstance(w, str):
                assert g == w, (got, want)
            else:
                assert g == pytest.approx(w, abs=1e-6), (got, want)


def only(table: pd.DataFrame, month: str) -> pd.DataFrame:
    return table[table["month"] == month]


def scope(text: str) -> Scope:
    return Scope.parse(text, units=True)


# --- the series ------------------------------------------------------------------


def test_it_returns_exactly_the_export_columns(main_data):
    hsf = Scope()
    month = pd.Period("2026-03", freq="M")
    tables = {
        "agency-ytd": series.agency_ytd(main_data, scope=hsf, month=month),
        "agency-monthly": series.agency_monthly(main_data, scope=hsf),
        "agency-r12": series.agency_r12(main_data, scope=hsf),
        "skr-measure": series.skr_measure(main_data, scope=hsf),
        "agency-r12-by-area": series.agency_r12_by_area(main_data, scope=hsf),
        "personnel-cost": series.personnel_cost(main_data, scope=hsf),
        "agency-by-department": series.agency_by_department(
            main_data, scope=hsf, start=month, end=month
        ),
        "agency-hours": series.agency_hours(main_data, scope=hsf),
        "agency-by-unit": series.agency_by_unit(
            main_data, scope=scope(f"department:{KIRURGI_DEP}"), start=month, end=month
        ),
        "skr-target-path": series.skr_target_path_table(main_data, scope=hsf, month=month),
        "skr-projection": series.skr_projection(main_data, scope=hsf, month=month),
    }
    # The sick-leave series take SickLeaveData: tests/test_sick_leave_series.py.
    assert set(tables) == {name for name in series.SERIES if not name.startswith("sick-leave")}
    for name, table in tables.items():
        assert list(table.columns) == series.SERIES[name], name


def test_it_sums_agency_cost_year_to_date_per_profession(main_data):
    table = series.agency_ytd(main_data, scope=Scope(), month=pd.Period("2026-03", freq="M"))
    assert_rows(
        table,
        [
            # läkare: 2026 Jan-Mar 2 000·(1+2+3) + 3·10 000 = 42 000;
            # 2025 Jan-Mar 1 000·6 + 30 000 = 36 000; +6 000 = 6 000/36 000 = 16.667 %
            (LAK, 42_000, 36_000, 6_000, 6_000 / 36_000 * 100),
            # ssk: 6 000 + 5 000 (the -1 000 correction) + 6 000 = 17 000 vs 3·7 000 = 21 000
            (SSK, 17_000, 21_000, -4_000, -4_000 / 21_000 * 100),
            # övriga: 3·1 000 vs 0: change in % of 0 is undefined
            (OVR, 3_000, 0, 3_000, None),
            # total 42 000 + 17 000 + 3 000 = 62 000 vs 36 000 + 21 000 = 57 000
            ("total", 62_000, 57_000, 5_000, 5_000 / 57_000 * 100),
        ],
    )


def test_it_leaves_last_year_empty_when_there_is_no_last_year(main_data):
    table = series.agency_ytd(main_data, scope=Scope(), month=pd.Period("2025-03", freq="M"))
    # 2024 has no data: last year, change and change in % are all missing.
    assert_rows(
        table,
        [
            (LAK, 36_000, None, None, None),  # 1 000·6 + 3·10 000
            (SSK, 21_000, None, None, None),
            (OVR, 0, None, None, None),
            ("total", 57_000, None, None, None),
        ],
    )


def test_it_gives_zero_for_a_scope_without_rows(main_data):
    tandvard = scope("care:tandvård")  # 3001 has no rows in any month
    ytd = series.agency_ytd(main_data, scope=tandvard, month=pd.Period("2026-03", freq="M"))
    assert_rows(ytd, [(code, 0, 0, 0, None) for code in (LAK, SSK, OVR, "total")])
    r12 = series.agency_r12(main_data, scope=tandvard)
    assert len(r12) == 24
    assert_rows(only(r12, "2026-12"), [("2026-12", 0, 1)])
    # own staff R12 is 0 too, so the ratio is undefined; tandvård has no target.
    assert_rows(
        only(series.skr_measure(main_data, scope=tandvard), "2026-12"),
        [("2026-12", 0, 0, None, None, 1)],
    )


def test_it_lists_agency_cost_per_month_and_profession(main_data):
    table = series.agency_monthly(main_data, scope=Scope())
    assert len(table) == 24 * 3  # every month with data, three professions each
    assert_rows(
        table.head(3),
        # 2025-01: läkare 1 000 + 10 000; ssk 3 000 + 4 000; övriga nothing
        [("2025-01", LAK, 11_000, 0), ("2025-01", SSK, 7_000, 0), ("2025-01", OVR, 0, 0)],
    )
    assert_rows(
        series.agency_monthly(
            main_data,
            scope=Scope(),
            start=pd.Period("2026-02", freq="M"),
            end=pd.Period("2026-02", freq="M"),
        ),
        # läkare 2 000·2 + 10 000; ssk 2 000 + 4 000 - 1 000 (correction); övriga 1 000
        [("2026-02", LAK, 14_000, 1), ("2026-02", SSK, 5_000, 1), ("2026-02", OVR, 1_000, 1)],
    )


def test_it_gives_r12_only_from_the_twelfth_month(main_data):
    table = series.agency_r12(main_data, scope=Scope())
    expected = [(f"2025-{m:02d}", None) for m in range(1, 12)]
    expected += [("2025-12", 282)]
    expected += [
        (f"2026-{m:02d}", value)
        for m, value in enumerate(
            [283, 284, 287, 291, 296, 302, 309, 317, 326, 336, 347, 359], start=1
        )
    ]
    # in thousands above
    # closed through 2025-12: 2025 is final (0), 2026 preliminary (1)
    assert_rows(
        table,
        [(month, None if v is None else v * 1000, int(month > "2025-12")) for month, v in expected],
    )


def test_it_divides_r12_sums_for_the_skr_measure(main_data):
    table = series.skr_measure(main_data, scope=Scope())
    assert_rows(only(table, "2025-11"), [("2025-11", None, None, None, 3.70, 0)])
    assert_rows(
        table[table["month"].isin(["2025-12", "2026-03", "2026-12"])],
        [
            # 282 000 / 6 000 000 = 4.7 %; 2025's target 3.70
            ("2025-12", 282_000, 6_000_000, 4.7, 3.70, 0),
            # 287 000 / 6 000 000 = 4.78333 %; 2026's target 3.44
            ("2026-03", 287_000, 6_000_000, 287_000 / 60_000, 3.44, 1),
            ("2026-12", 359_000, 6_000_000, 359_000 / 60_000, 3.44, 1),
        ],
    )


def targets_of(text: str) -> list[float | None]:
    """The skr-measure's target in 2025-12 and 2026-12 for a scope, None where none."""
    table = series.skr_measure(selectors.cost_data(), scope=scope(text))
    found = [table["target_pct"][table["month"] == m].item() for m in ("2025-12", "2026-12")]
    return [None if math.isnan(value) else value for value in found]


def test_a_scope_has_only_the_targets_decided_for_it(main_data):
    assert targets_of("hsf") == [3.70, 3.44]
    # primärvård has its own 13.00 in 2026 only; nobody decided one for 2025
    assert targets_of("care:primärvård") == [None, 13.00]
    assert targets_of("care:sjukhusvård") == [None, 2.00]
    assert targets_of("care:tandvård") == [None, None]
    # no area has a target of its own
    assert targets_of(f"area:{NSO}") == [None, None]
    assert targets_of(f"department:{KIRURGI_DEP}") == [None, None]


def test_a_scope_marked_to_follow_has_the_administrations_target(main_data):
    area = Area.objects.get(name=NSO)
    Target.objects.create(year=2026, scope_kind="area", area=area, follows_hsf=True)
    Target.objects.create(year=2026, scope_kind="care", care_type="tandvård", follows_hsf=True)
    # 2026 follows the administration's 3,44; 2025 was not marked
    assert targets_of(f"area:{NSO}") == [None, 3.44]
    assert targets_of("care:tandvård") == [None, 3.44]
    # an own target is not replaced
    assert targets_of("care:primärvård") == [None, 13.00]


def test_it_computes_the_skr_measure_per_care_type(main_data):
    # primärvård (0101, 0102): agency 2025 1 000·m + 3 000, 2026 2 000·m + 2 000;
    # own staff 150 000 a month -> R12 1 800 000.
    # R12 2025-12: 78 000 + 36 000 = 114 000 -> 6.333 %; 2026-12: 156 000 + 24 000 = 180 000 -> 10 %
    primar = series.skr_measure(main_data, scope=scope("care:primärvård"))
    assert_rows(
        primar[primar["month"].isin(["2025-12", "2026-12"])],
        [
            ("2025-12", 114_000, 1_800_000, 114_000 / 18_000, None, 0),
            ("2026-12", 180_000, 1_800_000, 10.0, 13.00, 1),
        ],
    )
    # sjukhusvård (2001, 2002): agency 14 000 a month in 2025, 15 000 in 2026 (Feb 14 000);
    # own staff 350 000 -> R12 4 200 000. 2025-12: 168 000 -> 4 %; 2026-12: 179 000 -> 4.262 %
    sjukhus = series.skr_measure(main_data, scope=scope("care:sjukhusvård"))
    assert_rows(
        sjukhus[sjukhus["month"].isin(["2025-12", "2026-12"])],
        [
            ("2025-12", 168_000, 4_200_000, 4.0, None, 0),
            ("2026-12", 179_000, 4_200_000, 179_000 / 42_000, 2.00, 1),
        ],
    )


def test_it_gives_r12_per_area(main_data):
    table = series.agency_r12_by_area(main_data, scope=Scope())
    assert len(table) == 24 * 3  # every area of the register, even Tandvården without rows
    assert_rows(
        only(table, "2026-12"),
        [
            # sorted by name: Länssjukvårdsområde 1 = sjukhusvård, Närsjukvårdsområde = primärvård
            ("2026-12", LSO, 179_000, 1),
            ("2026-12", NSO, 180_000, 1),
            ("2026-12", TANDVARDEN, 0, 1),
        ],
    )
    assert_rows(only(table, "2025-11"), [("2025-11", a, None, 0) for a in (LSO, NSO, TANDVARDEN)])
    # within a care type only its areas; within an area only that area
    primar = series.agency_r12_by_area(main_data, scope=scope("care:primärvård"))
    assert_rows(only(primar, "2025-12"), [("2025-12", NSO, 114_000, 0)])
    area = series.agency_r12_by_area(main_data, scope=scope(f"area:{LSO}"))
    assert_rows(only(area, "2025-12"), [("2025-12", LSO, 168_000, 0)])


def test_it_compares_personnel_cost_with_budget_and_last_year(main_data):
    table = series.personnel_cost(main_data, scope=Scope())
    assert len(table) == 24
    assert_rows(
        table[table["month"].isin(["2025-06", "2026-02", "2026-03"])],
        [
            # 2025-m: 500 000 own + (1 000·m + 10 000) + 7 000 = 517 000 + 1 000·m; the
            # 777 777 on 5711 (ignorera) is not personnel cost. No budget, no 2024.
            ("2025-06", 523_000, None, None, 0),
            # 2026-m: 500 000 + (2 000·m + 10 000) + 6 000 + 1 000 = 517 000 + 2 000·m,
            # February with the -1 000 correction: 521 000 - 1 000. Budget 442 000.
            ("2026-02", 520_000, 442_000, 519_000, 1),
            ("2026-03", 523_000, 442_000, 520_000, 1),
        ],
    )
    primar = series.personnel_cost(main_data, scope=scope("care:primärvård"))
    assert_rows(
        only(primar, "2026-03"),
        # 150 000 + 2 000·3 + 2 000 = 158 000; budget 110 000 + 2 000;
        # 2025-03: 150 000 + 3 000 + 3 000 = 156 000
        [("2026-03", 158_000, 112_000, 156_000, 1)],
    )


def test_it_shows_budget_months_without_actuals(registers, tmp_path):
    import_csv(tmp_path, [row("2026-01", "0101", "5111", 100_000)], name="jan")
    import_csv(
        tmp_path,
        [row("2026-01", "0101", "5111", 90_000), row("2026-02", "0101", "5111", 95_000)],
        kind="budget",
    )
    table = series.personnel_cost(selectors.cost_data(), scope=Scope())
    # February has a budget but no actuals yet; nothing from 2025.
    assert_rows(table, [("2026-01", 100_000, 90_000, None, 1), ("2026-02", None, 95_000, None, 1)])


def test_it_sums_agency_cost_per_department_for_a_range(main_data):
    table = series.agency_by_department(
        main_data,
        scope=Scope(),
        start=pd.Period("2026-01", freq="M"),
        end=pd.Period("2026-03", freq="M"),
    )
    assert_rows(
        table,
        [
            # 2001: 3·10 000 both years; övriga 3·1 000 vs nothing in 2025
            (KIRURGI_DEP, LAK, 30_000, 30_000),
            # 2002: 4 000 + 3 000 + 4 000 = 11 000 vs 3·4 000 = 12 000
            (KIRURGI_DEP, SSK, 11_000, 12_000),
            (KIRURGI_DEP, OVR, 3_000, 0),
            # 0101: 2 000·(1+2+3) = 12 000 vs 1 000·6 = 6 000; 0102: 3·2 000 vs 3·3 000
            (PRIMARVARD_DEP, LAK, 12_000, 6_000),
            (PRIMARVARD_DEP, SSK, 6_000, 9_000),
            # Primärvård övriga: 0 in both periods, left out. Tandvård has no rows at all.
        ],
    )


def test_it_divides_agency_cost_by_hours(main_data):
    table = series.agency_hours(
        main_data,
        scope=Scope(),
        start=pd.Period("2026-03", freq="M"),
        end=pd.Period("2026-03", freq="M"),
    )
    assert_rows(
        table,
        [
            # läkare: 30 h (0101) + 20 h (2001); 6 000 + 10 000 = 16 000 SEK -> 320 SEK/h
            ("2026-03", LAK, 50, 320, 1),
            # ssk: 10 h only on 0102, cost 2 000 + 4 000 (2002 reports no hours) -> 600 SEK/h
            ("2026-03", SSK, 10, 600, 1),
            # övriga: 1 000 SEK but no hours reported: 0 h, cost per hour undefined
            ("2026-03", OVR, 0, None, 1),
        ],
    )
    primar = series.agency_hours(main_data, scope=scope("care:primärvård"))
    assert_rows(
        only(primar, "2025-03"),
        # 3 000 / 30 h = 100; 3 000 / 30 h = 100; no övriga
        [("2025-03", LAK, 30, 100, 0), ("2025-03", SSK, 30, 100, 0), ("2025-03", OVR, 0, None, 0)],
    )


def test_it_works_on_a_department(main_data):
    kirurgi = scope(f"department:{KIRURGI_DEP}")
    table = series.agency_r12(main_data, scope=kirurgi)
    # the same units as sjukhusvård: 12 · 14 000 = 168 000
    assert_rows(only(table, "2025-12"), [("2025-12", 168_000, 0)])
    # a department has no target
    assert_rows(
        only(series.skr_measure(main_data, scope=kirurgi), "2026-01"),
        # 168 000 - 14 000 + 15 000 = 169 000 over 4 200 000
        [("2026-01", 169_000, 4_200_000, 169_000 / 42_000, None, 1)],
    )


# --- a month without data inside the R12 window ----------------------------------


@pytest.fixture
def gap_data(registers, tmp_path):
    """2001 only: 1 000 läkare and 10 000 own staff a month, 2025-01 .. 2026-06, but no
    import covers 2025-06."""
    lines = []
    for year in (2025, 2026):
        for period, _m in months(year):
            if period == "2025-06" or period > "2026-06":
                continue
            lines += [row(period, "2001", "4601", 1_000), row(period, "2001", "5111", 10_000)]
    import_csv(tmp_path, lines, name="gap")
    return tmp_path


def test_it_leaves_r12_empty_while_the_window_has_a_month_without_data(gap_data):
    data = selectors.cost_data()
    table = series.agency_r12(data, scope=Scope())
    # 17 months with data: 2025-06 has no row at all
    assert "2025-06" not in set(table["month"])
    assert len(table) == 17
    # every window from 2025-12 to 2026-05 includes 2025-06; 2026-06 is 2025-07 .. 2026-06
    assert_rows(
        table[table["month"] >= "2025-12"],
        [(m, None, 1) for m in ("2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05")]
        + [("2026-06", 12_000, 1)],
    )
    assert_rows(
        only(series.skr_measure(data, scope=Scope()), "2026-06"),
        [("2026-06", 12_000, 120_000, 10.0, 3.44, 1)],
    )
    # the other monthly series leave the month out; last year's June is missing
    assert "2025-06" not in set(series.agency_monthly(data, scope=Scope())["month"])
    assert_rows(
        only(series.personnel_cost(data, scope=Scope()), "2026-06"),
        [("2026-06", 11_000, None, None, 1)],  # 1 000 + 10 000; no budget; 2025-06 missing
    )
    # year to date over the gap is missing too; 2026-06 vs 2025-06 then has no last year
    ytd = series.agency_ytd(data, scope=Scope(), month=pd.Period("2026-06", freq="M"))
    assert_rows(ytd.head(1), [(LAK, 6_000, None, None, None)])


def test_it_counts_zero_for_a_scope_without_rows_in_a_month_with_data(gap_data):
    # 2025-06 is imported, but only with a primärvård row: sjukhusvård has 0 there. (May's
    # unit is not in it: a partial new month, imported whole when told.)
    import_csv(
        gap_data,
        [row("2025-06", "0101", "4601", 500)],
        name="june",
        choice=["--replace-months"],
    )
    data = selectors.cost_data()
    sjukhus = series.agency_r12(data, scope=scope("care:sjukhusvård"))
    # 2025-12: 11 · 1 000 + 0 = 11 000; 2026-06: 12 · 1 000
    assert_rows(only(sjukhus, "2025-12"), [("2025-12", 11_000, 1)])
    assert_rows(only(sjukhus, "2026-06"), [("2026-06", 12_000, 1)])
    # the whole administration: 11 000 + 500
    assert_rows(only(series.agency_r12(data, scope=Scope()), "2025-12"), [("2025-12", 11_500, 1)])


def test_it_gives_empty_tables_without_any_import(db):
    data = selectors.cost_data()
    hsf = Scope()
    month = pd.Period("2026-03", freq="M")
    assert_rows(
        series.agency_ytd(data, scope=hsf, month=month),
        [(code, None, None, None, None) for code in (LAK, SSK, OVR, "total")],
    )
    for table in (
        series.agency_monthly(data, scope=hsf),
        series.agency_r12(data, scope=hsf),
        series.skr_measure(data, scope=hsf),
        series.agency_r12_by_area(data, scope=hsf),
        series.personnel_cost(data, scope=hsf),
        series.agency_by_department(data, scope=hsf, start=month, end=month),
        series.agency_hours(data, scope=hsf),
    ):
        assert len(table) == 0
    assert series.skr_target_path(data, scope=hsf, month=month).agency_ytd_sek is None


# --- a unit's costs (the drill-down's last level) ---------------------------------------


def test_it_sums_agency_cost_per_unit_of_a_department_for_a_range(main_data):
    department = scope(f"department:{KIRURGI_DEP}")
    march = pd.Period("2026-03", freq="M")
    table = series.agency_by_unit(main_data, scope=department, start=march, end=march)
    # 2001: läkare 10 000 both years, övriga 1 000 in 2026 only (0 in 2025: the month has
    # data); 2002: ssk 4 000 both years.
    assert_rows(
        table,
        [
            ("2001", "Kirurgavdelning 1", LAK, 10_000, 10_000),
            ("2001", "Kirurgavdelning 1", OVR, 1_000, 0),
            ("2002", "Operation", SSK, 4_000, 4_000),
        ],
    )
    # February 2026 has the correction: 4 000 - 1 000
    february = pd.Period("2026-02", freq="M")
    table = series.agency_by_unit(main_data, scope=department, start=february, end=february)
    assert_rows(table[table["unit"] == "2002"], [("2002", "Operation", SSK, 3_000, 4_000)])
    # One unit's own rows
    table = series.agency_by_unit(main_data, scope=scope("unit:2002"), start=march, end=march)
    assert_rows(table, [("2002", "Operation", SSK, 4_000, 4_000)])
    # Per unit it is a department's or a unit's: an area's would be every unit's ledger.
    with pytest.raises(ValueError):
        series.agency_by_unit(main_data, scope=scope(f"area:{LSO}"), start=march, end=march)


def test_a_units_series_are_its_own_rows(main_data):
    unit = scope("unit:0101")
    assert unit.label == "0101 Hälsocentral Boliden"
    assert unit.parent == PRIMARVARD_DEP
    # 0101: läkare 1 000·m (2025), 2 000·m (2026); own staff 100 000 a month.
    # R12 2026-03: 1 000·(4 + ... + 12) + 2 000·(1 + 2 + 3) = 72 000 + 12 000 = 84 000;
    # own staff 12 · 100 000 = 1 200 000; 84 000 / 1 200 000 = 7 %.
    table = series.skr_measure(main_data, scope=unit)
    assert_rows(only(table, "2026-03"), [("2026-03", 84_000, 1_200_000, 7.0, None, 1)])
    ytd = series.agency_ytd(main_data, scope=unit, month=pd.Period("2026-03", freq="M"))
    # 2 000 + 4 000 + 6 000 = 12 000 against 1 000 + 2 000 + 3 000 = 6 000: +100 %
    assert_rows(ytd[ytd["profession"] == "total"], [("total", 12_000, 6_000, 6_000, 100.0)])
    # budget 2026: 0101 5111 110 000 a month
    personnel = series.personnel_cost(main_data, scope=unit)
    assert only(personnel, "2026-03")["budget_sek"].iloc[0] == pytest.approx(110_000)


def test_a_departments_units_add_up_to_the_department(main_data):
    month = pd.Period("2026-03", freq="M")
    department = series.agency_monthly(main_data, scope=scope(f"department:{KIRURGI_DEP}"))
    units = pd.concat(
        series.agency_monthly(main_data, scope=scope(f"unit:{ansvar}"))
        for ansvar in ("2001", "2002")
    )
    summed = units.groupby(["month", "profession"])["amount_sek"].sum()
    assert department.set_index(["month", "profession"])["amount_sek"].to_dict() == (
        pytest.approx(summed.to_dict())
    )
    assert series.agency_ytd(main_data, scope=scope("unit:2001"), month=month)["ytd_sek"].iloc[
        -1
    ] + series.agency_ytd(main_data, scope=scope("unit:2002"), month=month)["ytd_sek"].iloc[
        -1
    ] == pytest.approx(
        series.agency_ytd(main_data, scope=scope(f"department:{KIRURGI_DEP}"), month=month)[
            "ytd_sek"
        ].iloc[-1]
    )


# --- the target path on the data set (KPI 12; the formulas: tests/test_target_path.py) ---


def target_row(data, text: str, month: str) -> dict:
    table = series.skr_target_path_table(data, scope=scope(text), month=pd.Period(month, freq="M"))
    assert len(table) == 1
    return table.iloc[0].to_dict()


def test_the_target_path_of_a_year_with_budget_out_of_reach(main_data):
    # hsf, September 2026, target 3,44 %:
    #   agency January-September = Σ (2 000·m + 17 000) - 1 000 = 90 000 + 153 000 - 1 000
    #     = 242 000 (2 000·m läkare 0101, 10 000 läkare 2001, 6 000 ssk, 1 000 övriga;
    #     February's correction -1 000)
    #   own staff = 9 · 500 000 + budget 3 · (110 000 + 320 000) = 4 500 000 + 1 290 000
    #     = 5 790 000
    #   allowed = (0,0344 · 5 790 000 - 242 000) / 3 = (199 176 - 242 000) / 3 = -14 274,67
    #   run rate = (2 000 · (7 + 8 + 9)) / 3 + 17 000 = 33 000
    #   December = (242 000 + 3 · 33 000) / 5 790 000 · 100 = 5,889 %
    row = target_row(main_data, "hsf", "2026-09")
    assert row == pytest.approx(
        {
            "year": 2026,
            "target_pct": 3.44,
            "months_left": 3,
            "agency_ytd_sek": 242_000,
            "own_staff_r12_dec_sek": 5_790_000,
            "agency_allowed_per_month_sek": -42_824 / 3,
            "agency_run_rate_per_month_sek": 33_000,
            "projected_pct": 341_000 / 5_790_000 * 100,
        }
    )
    path = series.skr_target_path(main_data, scope=Scope(), month=pd.Period("2026-09", freq="M"))
    assert path.reachable is False
    assert path.gap_sek == pytest.approx(42_824)


def test_the_target_path_of_a_care_type_within_reach(main_data):
    # primärvård (0101, 0102), September 2026, target 13 %: agency Σ 2 000·m + 9 · 2 000 =
    # 108 000; own staff 9 · 150 000 + 3 · 110 000 = 1 680 000; allowed (218 400 -
    # 108 000) / 3 = 36 800; run rate 16 000 + 2 000 = 18 000; December (108 000 + 54 000)
    # / 1 680 000 = 9,643 %
    row = target_row(main_data, "care:primärvård", "2026-09")
    assert row == pytest.approx(
        {
            "year": 2026,
            "target_pct": 13.0,
            "months_left": 3,
            "agency_ytd_sek": 108_000,
            "own_staff_r12_dec_sek": 1_680_000,
            "agency_allowed_per_month_sek": 36_800,
            "agency_run_rate_per_month_sek": 18_000,
            "projected_pct": 162_000 / 1_680_000 * 100,
        }
    )


def test_the_target_path_of_a_unit_has_no_target_but_a_projection(main_data):
    # 2001: agency 11 000 a month, own staff 300 000, budget 320 000
    path = series.skr_target_path(
        main_data, scope=scope("unit:2001"), month=pd.Period("2026-09", freq="M")
    )
    assert path.target_pct is None and path.agency_allowed_per_month_sek is None
    assert path.own_staff_r12_dec_sek == pytest.approx(2_700_000 + 960_000)
    assert path.projected_pct == pytest.approx(132_000 / 3_660_000 * 100)
    assert path.reason == "Inget mål är satt för 2026."


def test_the_target_path_in_december_is_the_years_measure(main_data):
    # 2026: agency 359 000 (the module docstring), own staff 6 000 000: 5,983 %; the
    # target allowed 206 400, so 152 600 over it
    path = series.skr_target_path(main_data, scope=Scope(), month=pd.Period("2026-12", freq="M"))
    assert path.months_left == 0
    assert path.agency_ytd_sek == pytest.approx(359_000)
    assert path.projected_pct == pytest.approx(359_000 / 6_000_000 * 100)
    assert path.reachable is False
    assert path.gap_sek == pytest.approx(152_600)
    assert (
        len(series.skr_projection(main_data, scope=Scope(), month=pd.Period("2026-12", freq="M")))
        == 0
    )


def test_the_projection_continues_r12_with_run_rate_and_budget(main_data):
    # hsf from September 2026: October's R12 = agency November 2025 - September 2026 +
    # the run rate 33 000; the actuals of November and December 2025 (1 000·m + 17 000,
    # 2025 has 7 000 ssk and no övriga: 1 000·m + 17 000) are 28 000 and 29 000.
    table = series.skr_projection(main_data, scope=Scope(), month=pd.Period("2026-09", freq="M"))
    assert list(table["month"]) == ["2026-10", "2026-11", "2026-12"]
    # R12 2026-09 = 326 000 (module docstring); October drops October 2025 (27 000) and
    # adds 33 000: 332 000; November drops 28 000: 337 000; December drops 29 000: 341 000.
    # Own staff: 11 · 500 000 + 430 000 = 5 930 000; 10 · 500 000 + 2 · 430 000 =
    # 5 860 000; 5 790 000.
    assert list(table["projected_pct"]) == pytest.approx(
        [332_000 / 5_930_000 * 100, 337_000 / 5_860_000 * 100, 341_000 / 5_790_000 * 100]
    )
    assert list(table["target_pct"]) == [3.44] * 3


# --- the whole series kept on the data ---------------------------------------------


def test_a_series_kept_on_the_data_is_cut_as_it_would_be_computed_afresh(registers, tmp_path):
    """A page computes each series whole once per data version and cuts it for each month
    and range it shows (series._whole): every chart's table of each month equals the one
    computed on freshly read data, whatever was cut before and whatever a caller changed
    in a table it was given (the personnel cost's table blanks the months after the
    selected one in its own copy; done to the kept series, a later month would lose its
    actuals)."""
    from kpis.costs import selection as cost_selection  # noqa: PLC0415

    import_main(tmp_path)
    kept = selectors.cost_data()
    national = {cost_selection.NATIONAL, cost_selection.NATIONAL_TREND}
    urvals = ["hsf", "care:primärvård", f"area:{LSO}", f"department:{KIRURGI_DEP}", "unit:2001"]
    for urval, month in itertools.product(urvals, ("2026-09", "2025-06", "2026-03", "2025-12")):
        start = str(pd.Period(month, freq="M") - 4)
        params = {"urval": urval, "manad": month, "fran": start, "till": month}
        selection, problems = cost_selection.parse_selection(params, data=kept)
        assert not problems and selection.month_text == month
        for code in set(cost_selection.dashboard_codes(selection.scope)) - national:
            shown = cost_selection.series_table(code, kept, selection)
            fresh = cost_selection.series_table(code, selectors.cost_data(), selection)
            pd.testing.assert_frame_equal(shown, fresh, obj=f"{code} {urval} {month}")
            shown.loc[:, shown.select_dtypes("float64").columns] = -1.0  # its copy only

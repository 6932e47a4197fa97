"""The demo region: sizes and magnitudes of the generator (no database), and one end-to-end
load of the reduced demo through the real import commands."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from kpis import demo
from kpis.costs import demo as cost_demo
from kpis.organisation import demo as org_demo

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)  # a fixed "today" so the checks do not move with the calendar


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.generate(today=TODAY)


@pytest.fixture(scope="module")
def costs(data) -> pd.DataFrame:
    """Actuals with category, year, area and care type."""
    units = data.org.set_index("Ansvar")
    frame = cost_demo.with_category(data.actuals)
    return frame.assign(
        Område=frame["Ansvar"].map(units["Område"]),
        Vårdtyp=frame["Ansvar"].map(units["Vårdtyp"]),
        Grupp=frame["Kategori"].map(
            lambda c: "hyr" if c.startswith("hyr_") else "egen" if c.startswith("egen_") else "-"
        ),
    )


def yearly(costs: pd.DataFrame, year: int, **where) -> pd.Series:
    """Sum per group (hyr, egen) for a year, optionally filtered on other columns."""
    rows = costs[costs["År"] == str(year)]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return rows.groupby("Grupp")["Belopp"].sum()


def year_to_date(costs: pd.DataFrame, year: int, month: int, category: str) -> float:
    rows = costs[
        (costs["År"] == str(year))
        & (costs["Period"].str[5:7].astype(int) <= month)
        & (costs["Kategori"] == category)
    ]
    return float(rows["Belopp"].sum())


# --- organisation ---------------------------------------------------------------------


def test_organisation_has_the_six_areas_about_300_units_and_40_departments(data):
    org = data.org
    assert list(org.columns) == ["Ansvar", "Enhet", "Verksamhet", "Område", "Vårdtyp"]
    assert set(org["Område"]) == set(org_demo.AREAS)
    assert 270 <= len(org) <= 330
    assert 35 <= org["Verksamhet"].nunique() <= 50
    assert set(org["Vårdtyp"]) == {"sjukhusvård", "primärvård", "tandvård", "övrigt"}
    # A department belongs to one area.
    assert (org.groupby("Verksamhet")["Område"].nunique() == 1).all()


def test_ansvar_codes_are_unique_digit_strings_some_with_a_leading_zero(data):
    ansvar = data.org["Ansvar"]
    assert ansvar.is_unique
    assert ansvar.str.fullmatch(r"\d{4}").all()
    assert 5 <= ansvar.str.startswith("0").sum() < len(ansvar) / 2


def test_care_types_follow_the_areas(data):
    org = data.org
    by_area = org.groupby("Område")["Vårdtyp"].agg(set)
    assert by_area[org_demo.LSO1] <= {"sjukhusvård", "övrigt"}
    assert by_area[org_demo.LSO2] <= {"sjukhusvård", "övrigt"}
    assert by_area[org_demo.TANDVARDEN] <= {"tandvård", "övrigt"}
    for area in (org_demo.NSO_UMEA, org_demo.NSO_SKE, org_demo.NSO_SL):
        assert {"primärvård", "sjukhusvård"} <= by_area[area]
    primary = org[org["Vårdtyp"] == "primärvård"]
    assert primary["Enhet"].str.contains("hälsocentral").sum() >= 30
    for place in ("Boliden", "Ursvik", "Anderstorp", "Erikslid", "Lycksele", "Storuman"):
        assert org["Enhet"].str.contains(place).any(), place
    assert (org["Vårdtyp"] == "övrigt").sum() <= 20


def test_accounts_match_the_shipped_mapping(data):
    with open(ROOT / "fixtures" / "konton.csv", encoding="utf-8-sig", newline="") as handle:
        mapping = {row["Konto"]: row["Kategori"] for row in csv.DictReader(handle, delimiter=";")}
    assert all(mapping[konto] == category for konto, category in cost_demo.ACCOUNT_CATEGORY.items())
    assert set(data.actuals["Konto"]) <= set(mapping)
    assert set(data.budget["Konto"]) <= set(mapping)


# --- actuals --------------------------------------------------------------------------


def test_actuals_cover_2021_to_the_last_full_month(data):
    periods = sorted(data.actuals["Period"].unique())
    assert periods[0] == "2021-01"
    assert periods[-1] == "2026-10"
    assert len(periods) == 70
    assert not data.actuals.duplicated(["Period", "Ansvar", "Konto"]).any()
    assert set(data.actuals["Ansvar"]) <= set(data.org["Ansvar"])


def test_last_full_month_is_the_previous_month():
    assert demo.last_full_month(dt.date(2026, 11, 22)) == (2026, 10)
    assert demo.last_full_month(dt.date(2027, 1, 1)) == (2026, 12)


def test_own_staff_cost_is_7_to_8_bn_a_year_split_as_in_a_ledger(costs):
    for year in (2023, 2024, 2025):
        assert 7.0e9 <= yearly(costs, year)["egen"] <= 8.0e9, year
    own = costs[(costs["År"] == "2024") & (costs["Grupp"] == "egen")]
    shares = own.groupby("Kategori")["Belopp"].sum() / own["Belopp"].sum()
    assert shares["egen_lon"] == pytest.approx(0.65, abs=0.03)
    assert shares["egen_po"] == pytest.approx(0.25, abs=0.02)
    assert shares["egen_pension"] == pytest.approx(0.08, abs=0.01)
    assert shares["egen_ovrigt"] == pytest.approx(0.02, abs=0.01)


def test_agency_cost_is_about_300_mkr_a_year_mostly_doctors(costs):
    for year in range(2021, 2026):
        agency = costs[(costs["År"] == str(year)) & (costs["Grupp"] == "hyr")]
        total = agency["Belopp"].sum()
        assert 240e6 <= total <= 360e6, year
        per_profession = agency.groupby("Kategori")["Belopp"].sum() / total
        assert 0.7 <= per_profession["hyr_lakare"] <= 0.8, year
        assert 0.13 <= per_profession["hyr_ssk_bm"] <= 0.22, year
        assert 0.04 <= per_profession["hyr_ovriga"] <= 0.10, year


def test_agency_share_peaks_2023_and_falls_toward_3_5_percent(costs):
    share = {y: yearly(costs, y)["hyr"] / yearly(costs, y)["egen"] for y in range(2021, 2027)}
    assert share[2023] == pytest.approx(0.047, abs=0.003)
    assert share[2023] == max(share.values())
    assert share[2024] < share[2023]
    assert 0.03 <= share[2025] <= 0.04
    assert 0.03 <= share[2026] <= 0.04


def test_primary_care_in_the_north_is_far_above_hospital_care_well_below(costs):
    for area in (org_demo.NSO_SKE, org_demo.NSO_SL):
        sums = yearly(costs, 2024, Område=area, Vårdtyp="primärvård")
        assert 0.12 <= sums["hyr"] / sums["egen"] <= 0.25, area
    hospital = yearly(costs, 2024, Vårdtyp="sjukhusvård")
    assert 0.015 <= hospital["hyr"] / hospital["egen"] < 0.04
    dental = yearly(costs, 2024, Vårdtyp="tandvård")
    assert dental["hyr"] / dental["egen"] < 0.015


def test_the_seeds_trends(costs):
    def change(year, month, category):
        now = year_to_date(costs, year, month, category)
        before = year_to_date(costs, year - 1, month, category)
        return now - before, now / before - 1

    # Year to date March 2023 vs 2022: nurses +2,1 Mkr (+32 %), doctors +6 Mkr (+11 %).
    nurses, doctors = change(2023, 3, "hyr_ssk_bm"), change(2023, 3, "hyr_lakare")
    assert 0.2 <= nurses[1] <= 0.45 and 1e6 <= nurses[0] <= 5e6
    assert 0.05 <= doctors[1] <= 0.17 and 3e6 <= doctors[0] <= 10e6
    # Year to date October 2024 vs 2023: nurses -10,9 %, doctors -0,7 %.
    nurses, doctors = change(2024, 10, "hyr_ssk_bm"), change(2024, 10, "hyr_lakare")
    assert -0.16 <= nurses[1] <= -0.06
    assert -0.04 <= doctors[1] <= 0.02


def test_agency_peaks_in_summer(costs):
    agency = costs[(costs["Grupp"] == "hyr") & costs["År"].isin(["2022", "2023", "2024"])]
    by_month = agency.groupby(agency["Period"].str[5:7])["Belopp"].sum()
    summer = by_month[["06", "07", "08"]].mean()
    rest = by_month.drop(["06", "07", "08"]).mean()
    assert summer > 1.15 * rest


def test_purchased_hours_fall_in_the_second_half_of_2024(costs):
    agency = costs[costs["Grupp"] == "hyr"]
    hours = agency.groupby("Period")["Timmar"].sum()
    h2_2023 = hours["2023-07":"2023-12"].sum()
    h2_2024 = hours["2024-07":"2024-12"].sum()
    assert h2_2024 < 0.95 * h2_2023


def test_hours_only_on_agency_rows_at_plausible_prices(costs):
    own = costs[costs["Grupp"] != "hyr"]
    assert own["Timmar"].isna().all()
    agency = costs[(costs["Grupp"] == "hyr") & (costs["Belopp"] > 0)]
    assert agency["Timmar"].notna().all() and (agency["Timmar"] > 0).all()
    price = agency["Belopp"] / agency["Timmar"]
    doctors = price[agency["Kategori"] == "hyr_lakare"]
    nurses = price[agency["Kategori"] == "hyr_ssk_bm"]
    assert 1300 <= doctors.median() <= 2000
    assert 800 <= nurses.median() <= 1100
    # Remote areas pay more per hour (price zones).
    remote = agency["Område"] == org_demo.NSO_SL
    umea = agency["Område"] == org_demo.NSO_UMEA
    assert price[remote & (agency["Kategori"] == "hyr_lakare")].median() > (
        1.1 * price[umea & (agency["Kategori"] == "hyr_lakare")].median()
    )


def test_agency_cost_only_in_some_units_some_corrections(data, costs):
    agency = costs[costs["Grupp"] == "hyr"]
    units_per_month = agency.groupby("Period")["Ansvar"].nunique()
    assert units_per_month.max() < len(data.org) / 2
    assert agency["Ansvar"].nunique() < len(data.org)
    assert (data.actuals["Belopp"] != 0).all()
    negative = (data.actuals["Belopp"] < 0).mean()
    assert 0.002 <= negative <= 0.03


# --- budget ---------------------------------------------------------------------------


def test_budget_is_close_to_actuals_and_lower_for_agency(data, costs):
    budget = cost_demo.with_category(data.budget)
    assert sorted(budget["År"].unique()) == [str(y) for y in range(2021, 2027)]
    assert budget.groupby("År")["Period"].nunique().eq(12).all()
    budget = budget.assign(Grupp=budget["Kategori"].str.split("_").str[0])
    for year in range(2021, 2026):
        planned = budget[budget["År"] == str(year)].groupby("Grupp")["Belopp"].sum()
        actual = yearly(costs, year)
        assert planned["egen"] == pytest.approx(actual["egen"], rel=0.03), year
        assert 0.5 * actual["hyr"] <= planned["hyr"] < 0.95 * actual["hyr"], year


# --- reproducibility, small demo, files -----------------------------------------------


def test_same_seed_same_data_other_seed_other_data(data):
    again = demo.generate(today=TODAY)
    pd.testing.assert_frame_equal(again.actuals, data.actuals)
    pd.testing.assert_frame_equal(again.budget, data.budget)
    pd.testing.assert_frame_equal(again.org, data.org)
    other = demo.generate(seed=demo.DEFAULT_SEED + 1, today=TODAY)
    assert not np.isclose(other.actuals["Belopp"].sum(), data.actuals["Belopp"].sum())


def test_small_demo_is_a_slice_of_the_full_one(data):
    small = demo.generate(today=TODAY, small=True)
    assert set(small.org["Område"]) == set(org_demo.SMALL_AREAS)
    assert len(small.org) == 12
    assert small.actuals["Period"].nunique() == demo.SMALL_MONTHS
    assert small.org["Ansvar"].str.startswith("0").any()
    same = data.actuals.merge(small.actuals, on=["Period", "Ansvar", "Konto"])
    assert len(same) == len(small.actuals)
    assert (same["Belopp_x"] == same["Belopp_y"]).all()
    assert small.actuals["Konto"].str.startswith("46").any()


def test_extract_files_read_back_as_written(tmp_path):
    from kpis.costs.extracts import parse_cost_extract
    from kpis.models import CareType
    from kpis.organisation.extracts import parse_org

    small = demo.generate(today=TODAY, small=True)
    extracts = demo.write_extracts(small, tmp_path)
    assert [e.kind for e in extracts] == [
        "org", "actuals", "actuals", "budget", "budget", "sick_leave", "sick_leave",
    ]  # fmt: skip
    org_file, actual_files, budget_files = extracts[0], extracts[1:3], extracts[3:5]
    assert org_file.path.suffix == ".xlsx"
    assert actual_files[0].path.read_bytes().startswith(b"\xef\xbb\xbfPeriod;Ansvar;")
    # The second year as Windows-1252 from Excel on Windows: no BOM, CRLF.
    assert actual_files[1].path.read_bytes().startswith(b"Period;Ansvar;Konto;Belopp;Timmar\r\n")
    assert budget_files[0].path.suffix == ".xlsx"
    assert budget_files[1].path.suffix == ".csv"

    org = parse_org(org_file.path.read_bytes(), CareType.values)
    assert org["ansvar"].tolist() == small.org["Ansvar"].tolist()
    for extract in extracts[1:5]:
        frame = parse_cost_extract(extract.path.read_bytes())
        source = small.actuals if extract.kind == "actuals" else small.budget
        source = source[source["Period"].str[:4] == str(extract.year)]
        assert frame["ansvar"].tolist() == source["Ansvar"].tolist()
        assert frame["konto"].tolist() == source["Konto"].tolist()
        assert frame["period"].tolist() == source["Period"].tolist()
        assert np.allclose(frame["amount"], source["Belopp"], atol=0.005)
        assert frame["hours"].isna().tolist() == source["Timmar"].isna().tolist()


def test_csv_numbers_use_a_decimal_comma():
    values = pd.Series([1234.5, -0.25, 100.0, float("nan"), 12.34])
    assert demo._number(values).tolist() == ["1234,5", "-0,25", "100", "", "12,34"]


# --- end to end -----------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_small_through_the_import_commands():
    from django.contrib.auth.models import User
    from django.db.models import Sum

    from kpis.models import ImportBatch, MonthlyCost, Unit

    out = io.StringIO()
    call_command("load_demo", small=True, force=True, stdout=out, stderr=io.StringIO())
    expected = demo.generate(small=True)  # same seed, same (real) today as the command

    assert set(Unit.objects.values_list("ansvar", flat=True)) == set(expected.org["Ansvar"])
    assert Unit.objects.filter(ansvar__startswith="0").exists()
    for kind, frame in (("actuals", expected.actuals), ("budget", expected.budget)):
        stored = {
            (row["period"].strftime("%Y-%m"), row["category"]): row["total"]
            for row in MonthlyCost.objects.filter(kind=kind)
            .values("period", "category")
            .annotate(total=Sum("amount"))
        }
        wanted = {
            (row.Period, row.Kategori): Decimal(f"{row.Belopp:.2f}")
            for row in cost_demo.with_category(frame)
            .groupby(["Period", "Kategori"], as_index=False)["Belopp"]
            .sum()
            .itertuples()
        }
        assert stored.keys() == wanted.keys(), kind
        assert all(abs(stored[key] - wanted[key]) <= Decimal("0.01") for key in wanted), kind
    hours = MonthlyCost.objects.filter(kind="actuals").aggregate(total=Sum("hours"))["total"]
    assert float(hours) == pytest.approx(expected.actuals["Timmar"].sum(), abs=0.01)

    batches = ImportBatch.objects.exclude(kind="sick_leave")
    files = (
        expected.actuals["Period"].str[:4].nunique() + expected.budget["Period"].str[:4].nunique()
    )
    assert batches.count() == files
    assert {b.created_by.username for b in batches} == {"controller"}
    # Sick leave, one file per year, imported as HR would (tests/test_demo_sick_leave.py).
    sick_files = expected.sick_leave["Period"].str[:4].nunique()
    sick = ImportBatch.objects.filter(kind="sick_leave")
    assert sick.count() == sick_files
    assert {b.created_by.username for b in sick} == {"hr"}
    files += sick_files

    # Every month but the last two is closed, for the ledger and for sick leave.
    from kpis.batches import closed_through

    last = pd.Period(expected.actuals["Period"].max(), freq="M")
    assert closed_through(kind="actuals") == last - 2
    last_sick = pd.Period(expected.sick_leave["Period"].max(), freq="M")
    assert closed_through(kind="sick_leave") == last_sick - 2

    controller = User.objects.get(username="controller")
    assert controller.is_staff and not controller.is_superuser
    assert controller.check_password("demo-controller")
    assert set(controller.groups.values_list("name", flat=True)) == {"controller"}
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="styrgrupp").groups.filter(name="styrgrupp").exists()
    assert User.objects.get(username="hr").groups.filter(name="hr").exists()
    # The survey years, through HR's import commands; the HR partner has one area.
    from survey.models import HrAccess, SurveyBatch

    survey_batches = SurveyBatch.objects.filter(is_current=True)
    assert sorted(survey_batches.values_list("year", "kind")) == [
        (2023, "answers"),
        (2023, "population"),
        (2024, "answers"),
        (2024, "population"),
    ]
    assert {b.created_by.username for b in survey_batches} == {"hr-strateg"}
    partner = HrAccess.objects.get(user__username="hr")
    assert list(partner.areas.values_list("name", flat=True)) == [org_demo.NSO_SKE]
    strategist = HrAccess.objects.get(user__username="hr-strateg")
    assert strategist.areas.count() == len(expected.org["Område"].unique())
    # The consultants' placements, as the staffing office (bemanning) would import them:
    # on today's date the list has every status (kpis/placements/demo.py).
    from django.utils import timezone

    from kpis.placements.models import PlacementBatch

    placements = PlacementBatch.objects.get()
    assert placements.created_by.username == "bemanning"
    assert placements.row_count >= 36
    assert User.objects.get(username="bemanning").has_perm("kpis.view_placements")
    export = io.StringIO()
    call_command(
        "export_kpi", "placements-12a", "--on", timezone.localdate().isoformat(), stdout=export
    )
    statuses = [line.rsplit(",", 1)[1] for line in export.getvalue().splitlines()[1:]]
    assert statuses.count("passed") == 8
    assert statuses.count("within_90_days") == 6
    assert statuses.count("clear") >= 20
    text = out.getvalue()
    assert "Demoanvändare (lösenord): styrgrupp / demo-styrgrupp" in text
    assert "bemanning / demo-bemanning" in text
    assert "hr-strateg / demo-hr-strateg" in text
    assert "Öppna http://127.0.0.1:8000/" in text

    # --if-empty: nothing more is imported, the logins are printed again.
    out = io.StringIO()
    call_command("load_demo", if_empty=True, small=True, address="0.0.0.0:8765", stdout=out)
    assert ImportBatch.objects.count() == files
    assert "Demoanvändare (lösenord)" in out.getvalue()
    # make run passes its address (ADDR) on.
    assert "Öppna http://0.0.0.0:8765/" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_refuses_without_debug_unless_forced(settings):
    from django.contrib.auth.models import User
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("load_demo", small=True, stdout=io.StringIO())
    assert not User.objects.exists()

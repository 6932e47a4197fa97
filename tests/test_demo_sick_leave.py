"""The demo region's sick leave (kpis.demo.sick_leave_rows): realistic levels, women
above men, winter peaks, files that read back, and small groups the page withholds."""

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest

from kpis import demo
from kpis.organisation import selectors as org_selectors
from kpis.organisation import services as org_services
from kpis.sick_leave import selectors as sick_leave_selectors
from kpis.sick_leave import series
from kpis.sick_leave import services as sick_leave_services
from kpis.sick_leave.extracts import parse_sick_leave

TODAY = dt.date(2026, 11, 22)
HOURS = ["Sjuktimmar dag 1-14", "Sjuktimmar dag 15-59", "Sjuktimmar dag 60-"]


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.generate(today=TODAY)


@pytest.fixture(scope="module")
def sick(data) -> pd.DataFrame:
    frame = data.sick_leave.copy()
    frame["sick"] = frame[HOURS].sum(axis=1)
    frame["year"] = frame["Period"].str[:4]
    return frame


def rate(frame: pd.DataFrame, by) -> pd.Series:
    sums = frame.groupby(by)[["sick", "Ordinarie arbetstid"]].sum()
    return sums["sick"] / sums["Ordinarie arbetstid"] * 100


def test_it_covers_every_unit_and_month_of_the_actuals(data):
    assert set(data.sick_leave["Period"]) == set(data.actuals["Period"])
    assert set(data.sick_leave["Ansvar"]) == set(data.org["Ansvar"])
    per_month = data.sick_leave.groupby("Period")["Antal anställda"].sum()
    assert per_month.between(9_000, 11_500).all()  # about 9 400 employees (domain.md)
    assert (data.sick_leave["Antal anställda"] > 0).all()


def test_r12_stays_between_5_5_and_7_percent(sick):
    monthly = sick.groupby("Period")[["sick", "Ordinarie arbetstid"]].sum()
    r12 = monthly.rolling(12).sum().dropna()
    r12 = r12["sick"] / r12["Ordinarie arbetstid"] * 100
    assert r12.between(5.5, 7.0).all(), r12.agg(["min", "max"])


def test_women_above_men_and_the_oldest_above_the_youngest_every_year(sick):
    by_gender = rate(sick, ["year", "Kön"]).unstack()
    assert (by_gender["K"] > by_gender["M"] + 1.5).all()
    by_age = rate(sick, ["year", "Åldersgrupp"]).unstack()
    assert (by_age["50-"] > by_age["-29"]).all()


def test_winter_peaks_above_summer_and_2022_the_highest(sick):
    monthly = rate(sick, "Period")
    for year in range(2021, 2026):
        winter = monthly[[f"{year}-01", f"{year}-02"]].mean()
        assert winter > monthly[f"{year}-07"] * 1.4, year
    assert monthly.idxmax() in ("2022-01", "2022-02")


def test_long_term_absence_is_a_large_share_growing_with_age(sick):
    share = (
        sick.groupby("Åldersgrupp")["Sjuktimmar dag 60-"].sum()
        / sick.groupby("Åldersgrupp")["sick"].sum()
    )
    assert 0.30 < sick["Sjuktimmar dag 60-"].sum() / sick["sick"].sum() < 0.50
    assert share["-29"] < share["30-49"] < share["50-"]


def test_sick_hours_never_exceed_the_ordinary_hours(sick):
    assert (sick["sick"] <= sick["Ordinarie arbetstid"]).all()
    assert (sick[HOURS] >= 0).all().all()


def test_the_smallest_departments_have_too_few_men_to_show(data):
    frame = data.sick_leave.merge(data.org, on="Ansvar")
    men = frame[frame["Kön"] == "M"].groupby(["Period", "Verksamhet"])["Antal anställda"].sum()
    small = men[men < 10]
    assert small.index.get_level_values("Verksamhet").str.startswith("Ledning").any()
    assert len(small) > 0


def test_sick_leave_files_read_back_as_written(tmp_path):
    small = demo.generate(today=TODAY, small=True)
    extracts = [e for e in demo.write_extracts(small, tmp_path) if e.kind == "sick_leave"]

    assert [e.path.suffix for e in extracts] == [".xlsx", ".csv"]
    assert not extracts[1].path.read_bytes().startswith(b"\xef\xbb\xbf")  # Windows-1252
    for extract in extracts:
        frame = parse_sick_leave(extract.path.read_bytes())
        source = small.sick_leave[small.sick_leave["Period"].str[:4] == str(extract.year)]
        assert frame["ansvar"].tolist() == source["Ansvar"].tolist()
        assert frame["age_band"].tolist() == source["Åldersgrupp"].tolist()
        assert frame["employees"].tolist() == source["Antal anställda"].tolist()
        assert np.allclose(frame["sick_hours_60"], source["Sjuktimmar dag 60-"], atol=0.005)


@pytest.mark.django_db
def test_the_small_demo_through_the_import_withholds_some_groups(tmp_path):
    small = demo.generate(today=TODAY, small=True)
    org_services.org_import(data=demo_org_csv(small))
    for extract in demo.write_extracts(small, tmp_path):
        if extract.kind == "sick_leave":
            sick_leave_services.sick_leave_import(data=extract.path.read_bytes(), file_name="x")
    data = sick_leave_selectors.sick_leave_data()

    department = small.org[small.org["Vårdtyp"] == "tandvård"]["Verksamhet"].iloc[0]
    table = series.sick_leave(
        data, scope=org_selectors.Scope("department", department), by="gender"
    )
    men = table[table["group"] == "M"]
    assert men["suppressed"].any()
    assert men.loc[men["suppressed"], "employees"].isna().all()
    total = series.sick_leave(data, scope=org_selectors.Scope())
    assert not total["suppressed"].any()
    assert total["rate_pct"].between(3, 10).all()


def demo_org_csv(small: demo.DemoData) -> bytes:
    out = io.StringIO()
    small.org.to_csv(out, sep=";", index=False)
    return out.getvalue().encode()

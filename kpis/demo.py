"""A synthetic but realistic region for demos: organisation, ledger actuals and budget.

Pure generation (numpy and pandas, no database): `generate()` builds, from the
subjects' demo modules (kpis.organisation.demo, kpis.costs.demo, kpis.sick_leave.demo), the data as
DataFrames shaped like the extracts controllers upload, `write_extracts()` writes
them as such files (XLSX and Swedish-Excel CSV in UTF-8 with BOM and
Windows-1252), and `load_demo` feeds those files through the real import
commands.

The figures follow the seeds (see shared/domain.md, "Figures from the seeds"):
own-staff cost about 7.5 bn SEK a year, agency cost about 300 Mkr a year with
doctors about three quarters of it, an agency share of about 4.7 % in 2023
falling toward 3.5 %, primary care in Skellefteå and södra Lappland far above
the average and hospital care well below it, growth 2022 -> 2023, a slight fall
2024, purchased hours falling in the second half of 2024, a summer peak. Sick leave
(domain KPI 9) sits at 5.5-7 %, women above men and the oldest above the youngest,
with winter peaks (the highest in early 2022) and a long-term share near 40 %; the
smallest departments have too few men for their figures to be shown.
Everything comes from one `numpy.random.Generator` with a fixed seed, so the same
seed and the same `today` give the same data.

All names are invented or are place names; no person is named.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kpis.costs.demo import (
    AGENCY_GROWTH_AFTER,
    AGENCY_SEASON,
    AGENCY_TOTAL,
    OWN_ACCOUNTS,
    OWN_GROWTH_AFTER,
    OWN_TOTAL,
    PROFESSIONS,
    _agency_rows,
    _budget_rows,
    _finish,
    _holiday_debt_rows,
    _monthly_curve,
    _own_expected,
    _own_rows,
    _story_factors,
)
from kpis.organisation.demo import (
    FIRST_YEAR,
    KIND_MIX,
    ORG_COLUMNS,
    SMALL_AREAS,
    SMALL_DEPARTMENTS,
    SMALL_UNITS,
    _build_units,
    org_frame,
)
from kpis.sick_leave.demo import SICK_LEAVE_COLUMNS, sick_leave_rows

DEFAULT_SEED = 2024

SMALL_MONTHS = 15

COST_COLUMNS = ["Period", "Ansvar", "Konto", "Belopp", "Timmar"]

# How a CSV file is saved: (encoding, line ending), as Swedish Excel on Windows saves it
# or as UTF-8 with a BOM.
WINDOWS = ("cp1252", "\r\n")
UTF8 = ("utf-8-sig", "\n")

# What the CSV files write with a decimal comma: amounts and hours.
NUMBER_COLUMNS = frozenset(["Belopp", "Timmar", *SICK_LEAVE_COLUMNS[5:]])


@dataclass
class DemoData:
    """The generated region. Costs have columns Period ('YYYY-MM'), Ansvar, Konto (str),
    Belopp (SEK, float, öre) and Timmar (float, NaN when blank)."""

    org: pd.DataFrame
    actuals: pd.DataFrame
    budget: pd.DataFrame
    units: pd.DataFrame  # the generator's view of the units (employees, agency intensity, ...)
    # The payroll system's sick-leave extract (SICK_LEAVE_COLUMNS): one row per month,
    # unit, gender and age band with employees, ordinary hours and sick hours.
    sick_leave: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class Extract:
    kind: str  # "org", "actuals", "budget" or "sick_leave"
    path: Path
    year: int | None = None


# --- time -----------------------------------------------------------------------------


def last_full_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1)
    previous = first - dt.timedelta(days=1)
    return previous.year, previous.month


# --- generation -----------------------------------------------------------------------


def generate(
    seed: int = DEFAULT_SEED, *, today: dt.date | None = None, small: bool = False
) -> DemoData:
    """Generate the demo region: actuals 2021-01 to the last full month before `today`,
    budget for every year with actuals and the current year.

    `small` keeps two areas, a few units and the last 15 months (for tests); its
    figures are the same as the full region's for those units and months.
    """
    today = today or dt.date.today()
    rng = np.random.default_rng(seed)
    last_year, last_month = last_full_month(today)
    years = list(range(FIRST_YEAR, max(last_year, today.year) + 1))
    n_months = len(years) * 12
    n_actual = (last_year - FIRST_YEAR) * 12 + last_month
    if n_actual < 1:
        raise ValueError(f"today must be after {FIRST_YEAR}-01")
    month_of_year = np.arange(n_months) % 12
    periods = np.array([f"{years[0] + m // 12}-{m % 12 + 1:02d}" for m in range(n_months)])

    units = _build_units(rng)
    n_units = len(units)

    # Own-staff level per unit and month: the national total shared by weight, with a
    # slow random drift per unit.
    national_own = _monthly_curve(OWN_TOTAL, years, OWN_GROWTH_AFTER)
    steps = rng.normal(0.0, 0.03, size=(n_units, len(years) + 1))
    drift_anchors = np.exp(np.cumsum(steps, axis=1))
    anchor_x = np.arange(len(years) + 1) * 12.0
    drift = np.stack([np.interp(np.arange(n_months), anchor_x, row) for row in drift_anchors])
    share = units["weight"].to_numpy()[:, None] * drift
    own_level = share / share.sum(axis=0) * national_own  # (units, months)

    own_accounts = list(OWN_ACCOUNTS)
    own_expected = _own_expected(units, own_level, month_of_year)  # (units, accounts, months)

    # Agency: intensity x own level x the unit's story, scaled per profession and month
    # to the national totals.
    mix = np.array([KIND_MIX[k] for k in units["kind"]])  # (units, 3)
    stories = np.stack([_story_factors(s, years) for s in units["story"]])
    raw_trend = rng.normal(0.0, 0.12, size=n_units)  # some units rise, some fall
    trend = np.exp(raw_trend[:, None] * (np.arange(n_months) - 30) / 12.0)
    base = own_level * units["intensity"].to_numpy()[:, None] * stories * trend
    agency_expected = np.zeros((n_units, 3, n_months))
    for p, profession in enumerate(PROFESSIONS):
        target = _monthly_curve(
            AGENCY_TOTAL[profession], years, AGENCY_GROWTH_AFTER, AGENCY_SEASON[profession]
        )
        raw = base * mix[:, p][:, None]
        total = raw.sum(axis=0)
        agency_expected[:, p, :] = np.where(total > 0, raw / np.where(total > 0, total, 1), 0.0)
        agency_expected[:, p, :] *= target

    actuals = pd.concat(
        [
            _own_rows(rng, units, own_expected, own_accounts, n_actual),
            _holiday_debt_rows(rng, units, own_expected, own_accounts, month_of_year, n_actual),
            _agency_rows(rng, units, agency_expected, month_of_year, years, n_actual),
        ],
        ignore_index=True,
    )
    budget = _budget_rows(rng, units, own_expected, own_accounts, agency_expected, years)

    actuals = _finish(actuals, units, periods)
    budget = _finish(budget, units, periods)
    # Sick leave from a generator of its own, so the costs stay what they were.
    sick_leave = sick_leave_rows(np.random.default_rng([seed, 9]), units, periods[:n_actual])
    if small:
        units, actuals, budget = _reduce(units, actuals, budget, periods[n_actual - 1])
        in_small = sick_leave["Ansvar"].isin(set(units["ansvar"]))
        sick_leave = sick_leave[in_small & (sick_leave["Period"] >= actuals["Period"].min())]
        sick_leave = sick_leave.reset_index(drop=True)
    return DemoData(
        org=org_frame(units),
        actuals=actuals,
        budget=budget,
        units=units,
        sick_leave=sick_leave,
    )


def _reduce(units, actuals, budget, last_period: str):
    kept = []
    for area in SMALL_AREAS:
        in_area = units[units["area"] == area]
        for department in list(dict.fromkeys(in_area["department"]))[:SMALL_DEPARTMENTS]:
            kept.extend(in_area[in_area["department"] == department].index[:SMALL_UNITS])
    units = units.loc[kept].reset_index(drop=True)
    ansvar = set(units["ansvar"])
    periods = sorted(actuals["Period"].unique())
    first_period = periods[max(0, periods.index(last_period) - SMALL_MONTHS + 1)]
    actuals = actuals[actuals["Ansvar"].isin(ansvar) & (actuals["Period"] >= first_period)]
    years = {p[:4] for p in actuals["Period"]}
    budget = budget[budget["Ansvar"].isin(ansvar) & budget["Period"].str[:4].isin(years)]
    return units, actuals.reset_index(drop=True), budget.reset_index(drop=True)


# --- files ----------------------------------------------------------------------------


def write_extracts(data: DemoData, directory: Path | str) -> list[Extract]:
    """Write the region as extract files, in import order: the organisation (XLSX), then
    per year the actuals and the budget (CSV as Swedish Excel saves it: ';', decimal
    comma, UTF-8 with BOM; the second actuals year in Windows-1252 with CRLF; the first
    budget year as XLSX with real dates and numeric account codes), then per year the
    sick leave (the first year as XLSX, the second in Windows-1252, the rest UTF-8)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    org = directory / "organisation.xlsx"
    extracts = [
        Extract("org", _write_xlsx(data.org[ORG_COLUMNS], org, "Organisation", _text_cells))
    ]
    actuals, budget, sick_leave = data.actuals, data.budget, data.sick_leave
    for i, year in enumerate(sorted(actuals["Period"].str[:4].unique())):
        table = actuals.loc[actuals["Period"].str[:4] == year, COST_COLUMNS]
        path = _write_csv(table, directory / f"utfall_{year}.csv", *(WINDOWS if i == 1 else UTF8))
        extracts.append(Extract("actuals", path, int(year)))
    for i, year in enumerate(sorted(budget["Period"].str[:4].unique())):
        table = budget.loc[budget["Period"].str[:4] == year, COST_COLUMNS]
        if i == 0:
            path = _write_xlsx(table, directory / f"budget_{year}.xlsx", "Budget", _cost_cells)
        else:
            path = _write_csv(table, directory / f"budget_{year}.csv", *UTF8)
        extracts.append(Extract("budget", path, int(year)))
    sick_years = sorted(sick_leave["Period"].str[:4].unique()) if len(sick_leave) else []
    for i, year in enumerate(sick_years):
        table = sick_leave.loc[sick_leave["Period"].str[:4] == year, SICK_LEAVE_COLUMNS]
        path = directory / f"sjukfranvaro_{year}.{'xlsx' if i == 0 else 'csv'}"
        if i == 0:
            _write_xlsx(table, path, "Sjukfrånvaro", _sick_leave_cells)
        else:
            _write_csv(table, path, *(WINDOWS if i == 1 else UTF8))
        extracts.append(Extract("sick_leave", path, int(year)))
    return extracts


def _number(values: pd.Series) -> pd.Series:
    """Decimal comma, no thousands separator, blank for NaN (as Swedish Excel saves CSV)."""
    text = values.map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    text = text.str.replace(r"\.00$", "", regex=True).str.replace(r"(\.\d)0$", r"\1", regex=True)
    return text.str.replace(".", ",", regex=False)


def _write_csv(table: pd.DataFrame, path: Path, encoding: str, newline: str) -> Path:
    """The table as Swedish Excel saves CSV: ';', NUMBER_COLUMNS with a decimal comma."""
    out = table.copy()
    for column in [c for c in table.columns if c in NUMBER_COLUMNS]:
        out[column] = _number(out[column])
    buffer = io.StringIO()
    out.to_csv(buffer, sep=";", index=False, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _write_xlsx(table: pd.DataFrame, path: Path, sheet_name: str, cells) -> Path:
    """One sheet: the table's column names, then each row as `cells(row)` writes it."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False, name=None):
        sheet.append(cells(row))
    workbook.save(path)
    return path


def _text_cells(row: tuple) -> list:
    """Every value as text (ansvar keeps its leading zeros)."""
    return [str(v) for v in row]


def _cost_cells(row: tuple) -> list:
    """Dates as dates, account codes, amounts and hours as numbers."""
    period, ansvar, konto, amount, hours = row
    hours = None if pd.isna(hours) else float(hours)
    return [_first_day(period), ansvar, int(konto), float(amount), hours]


def _sick_leave_cells(row: tuple) -> list:
    """Dates as dates, counts and hours as numbers, the age bands as text."""
    period, ansvar, gender, band, employees, *hours = row
    return [_first_day(period), ansvar, gender, band, int(employees), *map(float, hours)]


def _first_day(period: str) -> dt.datetime:
    """'2024-03' -> 2024-03-01 00:00, which Excel shows as a date."""
    return dt.datetime(int(period[:4]), int(period[5:7]), 1)

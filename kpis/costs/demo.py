"""The demo region's ledger: own-staff and agency cost per unit and account, purchased
hours and budget, following the seeds' figures (see kpis.demo).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpis.organisation.demo import _ANCHOR_STORIES, FIRST_YEAR, NSO_SKE, NSO_SL, PRIMAR, _profile

# The accounts the demo books on, with their category in fixtures/konton.csv.
ACCOUNT_CATEGORY = {
    "4601": "hyr_lakare",
    "4602": "hyr_lakare",
    "4611": "hyr_ssk_bm",
    "4612": "hyr_ssk_bm",
    "4613": "hyr_ssk_bm",
    "4621": "hyr_ovriga",
    "4622": "hyr_ovriga",
    "4629": "hyr_ovriga",
    "5111": "egen_lon",
    "5112": "egen_lon",
    "5121": "egen_lon",
    "5122": "egen_lon",
    "5131": "egen_lon",
    "5132": "egen_lon",
    "5141": "egen_lon",
    "5411": "egen_po",
    "5412": "egen_po",
    "5511": "egen_pension",
    "5512": "egen_pension",
    "5611": "egen_ovrigt",
    "5612": "egen_ovrigt",
    "5619": "egen_ovrigt",
    "5711": "ignorera",
}

AGENCY_CATEGORIES = ("hyr_lakare", "hyr_ssk_bm", "hyr_ovriga")

OWN_CATEGORIES = ("egen_lon", "egen_po", "egen_pension", "egen_ovrigt")

PROFESSIONS = AGENCY_CATEGORIES


# National totals per year, SEK. Own staff grows with pay rises; agency grows to 2023,
# falls slightly 2024 (nurses -11 %, doctors flat) and more from 2025. Between the
# yearly anchors the monthly level moves smoothly (see _monthly_curve).
OWN_TOTAL = {2020: 6.35e9, 2021: 6.55e9, 2022: 6.80e9, 2023: 7.05e9, 2024: 7.40e9,
             2025: 7.75e9, 2026: 8.05e9}  # fmt: skip

AGENCY_TOTAL = {
    "hyr_lakare": {2020: 185e6, 2021: 200e6, 2022: 230e6, 2023: 250e6, 2024: 244e6,
                   2025: 212e6, 2026: 208e6},
    "hyr_ssk_bm": {2020: 33e6, 2021: 37e6, 2022: 46e6, 2023: 58e6, 2024: 53e6,
                   2025: 45e6, 2026: 46e6},
    "hyr_ovriga": {2020: 15e6, 2021: 16e6, 2022: 19e6, 2023: 22e6, 2024: 21e6,
                   2025: 19e6, 2026: 18e6},
}  # fmt: skip

OWN_GROWTH_AFTER = 1.035  # per year beyond the table

AGENCY_GROWTH_AFTER = 0.95


# Own-staff cost per category as a share of the total.
OWN_CATEGORY_SHARE = {"egen_lon": 0.65, "egen_po": 0.25, "egen_pension": 0.08, "egen_ovrigt": 0.02}


# Own-staff accounts: konto -> (share of its category, noise sigma, probability that a
# unit books on it in a month, seasonal profile Jan..Dec).
OWN_ACCOUNTS = {
    "5111": (0.73, 0.01, 1.0, [1, 1, 1, 1, 1, 0.95, 0.6, 0.8, 1, 1, 1, 1]),
    "5112": (0.04, 0.20, 0.95, [0.8, 0.8, 0.8, 0.8, 0.9, 1.5, 2.1, 1.6, 0.9, 0.8, 0.8, 0.9]),
    "5121": (0.05, 0.08, 1.0, [1, 1, 1, 1, 1, 1.1, 1.3, 1.2, 1, 1, 1, 1.1]),
    "5122": (0.03, 0.25, 0.9, [0.9, 0.9, 0.9, 0.9, 0.9, 1.2, 1.6, 1.4, 0.9, 0.9, 1, 1.2]),
    "5131": (0.08, 0.15, 1.0, [0.4, 0.5, 0.6, 0.6, 0.6, 1.6, 3.9, 2.3, 0.5, 0.5, 0.5, 1.0]),
    "5132": (0.015, 0.30, 0.95, [1.4, 1.4, 1.2, 1, 0.9, 0.8, 0.6, 0.7, 0.9, 1, 1.1, 1.2]),
    "5141": (0.055, 0.06, 1.0, [1, 1, 1, 1, 1, 1.1, 1.2, 1.1, 1, 1, 1, 1.2]),
    "5411": (0.3142 / 0.3862, 0.005, 1.0, None),  # lagstadgade avgifter, follow the salaries
    "5412": (0.0720 / 0.3862, 0.01, 1.0, None),
    "5511": (1 / 1.2426, 0.03, 1.0, [1] * 11 + [1.35]),  # yearly adjustment in December
    "5512": (0.2426 / 1.2426, 0.03, 1.0, [1] * 11 + [1.35]),  # särskild löneskatt 24,26 %
    "5611": (0.6, 0.5, 0.7, [0.6, 1.2, 1.3, 1.2, 1.1, 0.7, 0.2, 0.4, 1.4, 1.5, 1.3, 1.0]),
    "5612": (0.2, 0.5, 0.4, [0.6, 0.6, 0.8, 0.8, 1, 1, 0.3, 0.5, 0.8, 0.8, 1, 3.0]),
    "5619": (0.2, 0.6, 0.5, [1] * 12),
}

# Small units book on fewer accounts: the others are folded into these.
FOLDED_INTO = {
    "5112": "5111", "5121": "5111", "5122": "5111", "5132": "5111", "5141": "5111",
    "5412": "5411", "5512": "5511", "5612": "5611", "5619": "5611",
}  # fmt: skip


# Agency seasonality: a summer peak, strongest for nurses.
AGENCY_SEASON = {
    "hyr_lakare": _profile([1.0, 0.95, 0.98, 0.95, 0.97, 1.08, 1.25, 1.18, 0.95, 0.92, 0.92, 0.95]),
    "hyr_ssk_bm": _profile([0.9, 0.85, 0.9, 0.88, 0.95, 1.2, 1.55, 1.4, 0.95, 0.85, 0.82, 0.85]),
    "hyr_ovriga": _profile([0.95, 0.95, 1, 1, 1, 1.05, 1.1, 1.05, 1, 0.98, 0.97, 0.95]),
}

# Price per hour in 2021 in the cheapest zone (SEK), by agency account.
HOURLY_PRICE_2021 = {
    "4601": 1300.0, "4602": 1200.0, "4611": 800.0, "4612": 840.0, "4613": 900.0,
    "4621": 950.0, "4622": 760.0, "4629": 820.0,
}  # fmt: skip

PRICE_GROWTH = 1.035  # per year

# The national agreement pays more outside the cities: price factor per area.
PRICE_ZONE = {NSO_SL: 1.22, NSO_SKE: 1.10}

# Bookkeeping of one month's semesterlöneskuld change (ignored by the KPIs), share of salaries.
HOLIDAY_DEBT_CHANGE = [0.06, 0.06, 0.05, 0.05, 0.04, -0.12, -0.20, -0.12, 0.05, 0.05, 0.04, 0.02]


# Budget is booked on one account per category.
BUDGET_ACCOUNT = {
    "egen_lon": "5111", "egen_po": "5411", "egen_pension": "5511", "egen_ovrigt": "5611",
    "hyr_lakare": "4601", "hyr_ssk_bm": "4611", "hyr_ovriga": "4629",
}  # fmt: skip


def _yearly(table: dict[int, float], year: int, growth: float) -> float:
    if year in table:
        return table[year]
    last = max(table)
    if year > last:
        return table[last] * growth ** (year - last)
    first = min(table)
    return table[first] / growth ** (first - year)


def _monthly_curve(
    table: dict[int, float], years: list[int], growth: float, season: np.ndarray | None = None
) -> np.ndarray:
    """Monthly values over `years`: smooth between mid-year anchors, each year summing to
    its yearly total (times the seasonal profile, if any)."""
    anchor_years = [years[0] - 1, *years, years[-1] + 1]
    anchor_x = np.array([(y - years[0]) * 12 + 5.5 for y in anchor_years])
    anchor_y = np.array([_yearly(table, y, growth) / 12 for y in anchor_years])
    months = np.arange(len(years) * 12)
    level = np.interp(months, anchor_x, anchor_y)
    if season is not None:
        level = level * season[months % 12]
    for i, year in enumerate(years):
        block = slice(i * 12, (i + 1) * 12)
        level[block] *= _yearly(table, year, growth) / level[block].sum()
    return level


def _story_factors(story: str | None, years: list[int]) -> np.ndarray:
    months = np.arange(len(years) * 12)
    if not isinstance(story, str):  # None (NaN in a pandas column): no story
        return np.ones(len(months))
    anchors = _ANCHOR_STORIES[story]
    x = [(int(k[:4]) - years[0]) * 12 + int(k[5:7]) - 1 for k in anchors]
    return np.interp(months, x, list(anchors.values()))


def _own_expected(units: pd.DataFrame, own_level: np.ndarray, month_of_year) -> np.ndarray:
    """Expected own-staff cost per unit x account x month (SEK), before noise."""
    lon_accounts = [k for k in OWN_ACCOUNTS if ACCOUNT_CATEGORY[k] == "egen_lon"]
    lon_shares = np.array([OWN_ACCOUNTS[k][0] for k in lon_accounts])
    lon_profiles = np.array([_profile(OWN_ACCOUNTS[k][3]) for k in lon_accounts])
    salary_profile = lon_shares @ lon_profiles / lon_shares.sum()
    result = np.zeros((len(units), len(OWN_ACCOUNTS), own_level.shape[1]))
    on_call = units["on_call"].to_numpy()
    for a, (konto, (share, _sigma, _p, profile)) in enumerate(OWN_ACCOUNTS.items()):
        category = ACCOUNT_CATEGORY[konto]
        season = salary_profile if profile is None else _profile(profile)
        if category in ("egen_po", "egen_pension") and profile is not None:
            season = salary_profile * _profile(profile)
            season = season / season.mean()
        result[:, a, :] = (
            own_level * OWN_CATEGORY_SHARE[category] * share * season[month_of_year][None, :]
        )
    # Units without on-call duty have no 5121; their share goes to monthly salaries.
    jour, monthly = own_accounts_index("5121"), own_accounts_index("5111")
    result[~on_call, monthly, :] += result[~on_call, jour, :]
    result[~on_call, jour, :] = 0.0
    return result


def own_accounts_index(konto: str) -> int:
    return list(OWN_ACCOUNTS).index(konto)


def _lognormal(rng, sigma: float | np.ndarray, size) -> np.ndarray:
    """Multiplicative noise with mean 1."""
    sigma = np.asarray(sigma, dtype=float)
    return np.exp(rng.normal(0.0, 1.0, size=size) * sigma - sigma**2 / 2)


def _own_rows(rng, units, own_expected, own_accounts, n_actual) -> pd.DataFrame:
    n_units, n_accounts, _ = own_expected.shape
    expected = own_expected[:, :, :n_actual].copy()
    # Small units book on fewer accounts.
    small = ~units["detailed"].to_numpy()
    for konto, target in FOLDED_INTO.items():
        a, t = own_accounts_index(konto), own_accounts_index(target)
        expected[small, t, :] += expected[small, a, :]
        expected[small, a, :] = 0.0
    sigma = np.array([OWN_ACCOUNTS[k][1] for k in own_accounts])[None, :, None]
    chance = np.array([OWN_ACCOUNTS[k][2] for k in own_accounts])[None, :, None]
    chance = np.broadcast_to(chance, expected.shape)
    booked = rng.random(expected.shape) < chance
    unit_month = _lognormal(rng, 0.015, (n_units, 1, n_actual))
    amount = expected / chance * unit_month * _lognormal(rng, sigma, expected.shape)
    # Corrections: sick-pay refunds and reversals on other personnel costs.
    correction = np.zeros(expected.shape, dtype=bool)
    for konto, probability in (("5132", 0.03), ("5619", 0.06)):
        a = own_accounts_index(konto)
        correction[:, a, :] = rng.random((n_units, n_actual)) < probability
    amount = np.where(correction, -amount * rng.uniform(0.2, 1.0, expected.shape), amount)
    u, a, m = np.nonzero(booked & (expected > 0))
    return pd.DataFrame(
        {
            "unit": u,
            "konto": np.array(own_accounts)[a],
            "month": m,
            "amount": amount[u, a, m],
            "hours": np.nan,
        }
    )


def _holiday_debt_rows(rng, units, own_expected, own_accounts, month_of_year, n_actual):
    """Förändring semesterlöneskuld (5711, ignored by the KPIs): first unit of each department."""
    lon = [own_accounts_index(k) for k in own_accounts if ACCOUNT_CATEGORY[k] == "egen_lon"]
    salaries = own_expected[:, lon, :n_actual].sum(axis=1)
    frames = []
    for _, group in units.groupby("department", sort=False):
        first = group.index[0]
        dept_salaries = salaries[group.index.to_numpy()].sum(axis=0)
        change = np.array(HOLIDAY_DEBT_CHANGE)[month_of_year[:n_actual]]
        amount = dept_salaries * change * _lognormal(rng, 0.2, n_actual)
        frames.append(
            pd.DataFrame(
                {
                    "unit": first,
                    "konto": "5711",
                    "month": np.arange(n_actual),
                    "amount": amount,
                    "hours": np.nan,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _agency_accounts(unit) -> list[list[tuple[str, float]]]:
    """Per profession: the accounts booked on and the share of each."""
    kind, area, name = unit.kind, unit.area, unit.name
    if (unit.care_type == PRIMAR and area in (NSO_SKE, NSO_SL)) or kind == "diag":
        doctors = [("4601", 0.7), ("4602", 0.3)]  # distansläkare
    else:
        doctors = [("4601", 1.0)]
    if kind == "op" or "intensiv" in name.lower():
        nurses = [("4613", 1.0)]
    elif kind == "obstetric":
        nurses = [("4612", 1.0)]
    else:
        nurses = [("4611", 1.0)]
    if kind == "lab":
        others = [("4622", 1.0)]
    elif kind in ("psych", "hc", "rehab"):
        others = [("4621", 1.0)]
    else:
        others = [("4629", 1.0)]
    return [doctors, nurses, others]


def _agency_rows(rng, units, agency_expected, month_of_year, years, n_actual) -> pd.DataFrame:
    expected = agency_expected[:, :, :n_actual]
    # Units with a lot of agency staff use it every month; others now and then.
    yearly = expected.sum(axis=2, keepdims=True) / (n_actual / 12)
    chance = np.clip(0.15 + yearly / 2.0e6, 0.15, 0.97)
    summer = np.isin(month_of_year[:n_actual], (5, 6, 7))[None, None, :]
    chance = np.clip(np.where(summer, chance * 1.3, chance), 0.05, 0.99)
    chance = np.broadcast_to(chance, expected.shape)
    booked = (rng.random(expected.shape) < chance) & (expected > 0)
    amount = expected / chance * _lognormal(rng, 0.3, expected.shape)
    # Keep the national total per profession and month as designed (the seeds' trends):
    # the randomness only decides which units book how much.
    realized = np.where(booked, amount, 0.0).sum(axis=0)
    amount *= np.where(realized > 0, expected.sum(axis=0) / np.where(realized > 0, realized, 1), 1)
    credit = booked & (rng.random(expected.shape) < 0.015)

    year_index = np.arange(n_actual) // 12 + (years[0] - FIRST_YEAR)
    price_year = PRICE_GROWTH ** (year_index + np.arange(n_actual) % 12 / 12)
    zones = units["area"].map(PRICE_ZONE).fillna(1.0).to_numpy()
    # Hospital units named after a remote town pay that town's price.
    zones = np.where(units["name"].str.contains("Lycksele"), PRICE_ZONE[NSO_SL], zones)
    zones = np.where(units["name"].str.contains("Skellefteå"), PRICE_ZONE[NSO_SKE], zones)

    frames = []
    accounts = [_agency_accounts(unit) for unit in units.itertuples()]
    u_all, p_all, m_all = np.nonzero(booked)
    for p in range(3):
        sel = p_all == p
        u, m = u_all[sel], m_all[sel]
        if not len(u):
            continue
        value, is_credit = amount[u, p, m], credit[u, p, m]
        # Credits: a share of a month's invoices returned; no hours.
        value = np.where(is_credit, -value * rng.uniform(0.05, 0.4, len(u)), value)
        split = [accounts[i][p] for i in u]
        n_parts = np.array([len(s) for s in split])
        for part in range(n_parts.max()):
            has = n_parts > part
            konto = np.array([s[part][0] for s, h in zip(split, has, strict=True) if h])
            fraction = np.array([s[part][1] for s, h in zip(split, has, strict=True) if h])
            part_value = value[has] * fraction * (_lognormal(rng, 0.1, has.sum()) if part else 1)
            nurses_zone = 1 + (zones[u[has]] - 1) * (0.6 if p == 1 else 1.0)
            price = (
                np.array([HOURLY_PRICE_2021[k] for k in konto])
                * nurses_zone
                * price_year[m[has]]
                * _lognormal(rng, 0.05, has.sum())
            )
            hours = np.round(part_value / price * 2) / 2
            hours = np.where(is_credit[has], np.nan, hours)
            frames.append(
                pd.DataFrame(
                    {
                        "unit": u[has],
                        "konto": konto,
                        "month": m[has],
                        "amount": part_value,
                        "hours": hours,
                    }
                )  # fmt: skip
            )
    return pd.concat(frames, ignore_index=True)


def _budget_rows(rng, units, own_expected, own_accounts, agency_expected, years) -> pd.DataFrame:
    """A yearly budget per unit and category close to the expected cost (own staff within
    ±3 %, agency lower: a target), spread over the months like the expected cost."""
    categories = list(OWN_CATEGORIES) + list(AGENCY_CATEGORIES)
    per_category = np.zeros((len(units), len(categories), own_expected.shape[2]))
    for c, category in enumerate(OWN_CATEGORIES):
        idx = [own_accounts_index(k) for k in own_accounts if ACCOUNT_CATEGORY[k] == category]
        per_category[:, c, :] = own_expected[:, idx, :].sum(axis=1)
    per_category[:, len(OWN_CATEGORIES) :, :] = agency_expected
    frames = []
    for i, _year in enumerate(years):
        block = per_category[:, :, i * 12 : (i + 1) * 12]
        yearly = block.sum(axis=2)
        factor = np.concatenate(
            [
                1 + np.clip(rng.normal(0.0, 0.012, (len(units), len(OWN_CATEGORIES))), -0.03, 0.03),
                rng.uniform(0.55, 0.85, (len(units), len(AGENCY_CATEGORIES))),
            ],
            axis=1,
        )
        # Agency budgets only where the unit has a meaningful agency cost.
        keep = yearly >= 20_000
        budget_year = np.where(keep, yearly * factor, 0.0)
        spread = block / np.where(yearly > 0, yearly, 1)[:, :, None]
        monthly = np.round(budget_year[:, :, None] * spread)
        u, c, m = np.nonzero(monthly)
        frames.append(
            pd.DataFrame(
                {
                    "unit": u,
                    "konto": np.array([BUDGET_ACCOUNT[k] for k in categories])[c],
                    "month": m + i * 12,
                    "amount": monthly[u, c, m],
                    "hours": np.nan,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _finish(rows: pd.DataFrame, units: pd.DataFrame, periods: np.ndarray) -> pd.DataFrame:
    """Extract-shaped frame sorted by period, ansvar and account, amounts in öre."""
    frame = pd.DataFrame(
        {
            "Period": periods[rows["month"].to_numpy()],
            "Ansvar": units["ansvar"].to_numpy()[rows["unit"].to_numpy()],
            "Konto": rows["konto"].astype("str").to_numpy(),
            "Belopp": rows["amount"].to_numpy(dtype=float).round(2),
            "Timmar": rows["hours"].to_numpy(dtype=float),
        }
    )
    frame = frame[frame["Belopp"] != 0]
    frame = frame.sort_values(["Period", "Ansvar", "Konto"], kind="stable")
    return frame.reset_index(drop=True)


# --- summaries ------------------------------------------------------------------------


def with_category(costs: pd.DataFrame) -> pd.DataFrame:
    """The cost rows with their category (Kategori) and year (År)."""
    return costs.assign(Kategori=costs["Konto"].map(ACCOUNT_CATEGORY), År=costs["Period"].str[:4])

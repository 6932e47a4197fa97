"""The demo region's sick leave: per month, unit, gender and age band, at 5,5-7 %,
women above men, the oldest above the youngest, with winter peaks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpis.organisation.demo import _profile
from kpis.sick_leave.extracts import AGE_BANDS, GENDERS

# --- sick leave -----------------------------------------------------------------------

SICK_LEAVE_COLUMNS = [
    "Period",
    "Ansvar",
    "Kön",
    "Åldersgrupp",
    "Antal anställda",
    "Ordinarie arbetstid",
    "Sjuktimmar dag 1-14",
    "Sjuktimmar dag 15-59",
    "Sjuktimmar dag 60-",
]


AGE_MIX = (0.16, 0.46, 0.38)

# kind -> share of women (health care is mostly women; ambulance staff about half).
WOMEN_SHARE = {
    "hc": 0.82, "sjukstuga": 0.85, "ward": 0.86, "op": 0.78, "obstetric": 0.95,
    "clinic": 0.80, "diag": 0.80, "lab": 0.84, "psych": 0.68, "amb": 0.50,
    "rehab": 0.86, "dental": 0.88, "admin": 0.72,
}  # fmt: skip

# Sick-leave rate (share of ordinary hours) by gender and age band, before the unit's,
# the season's and the year's factors: women above men, the oldest above the youngest.
SICK_RATE = {
    ("K", "-29"): 0.054, ("K", "30-49"): 0.063, ("K", "50-"): 0.074,
    ("M", "-29"): 0.031, ("M", "30-49"): 0.035, ("M", "50-"): 0.048,
}  # fmt: skip

# Share of sick hours on day 60 and later, by age band (long illness grows with age).
LONG_TERM_SHARE = {"-29": 0.25, "30-49": 0.38, "50-": 0.50}

# Winter peaks: colds and influenza in December-March, lowest in July.
SICK_SEASON = _profile([1.22, 1.28, 1.14, 1.0, 0.92, 0.85, 0.70, 0.80, 0.95, 1.04, 1.10, 1.18])

SICK_YEAR = {2021: 1.04, 2022: 1.06, 2023: 1.0, 2024: 0.97, 2025: 0.95}

# Omicron: January and February 2022 far above any other winter.
SICK_EPIDEMIC = {"2022-01": 1.35, "2022-02": 1.25}

# Scheduled hours per employee and month: working days x 8 h x a 90 % average post.
WORKING_DAYS = (21, 20, 22, 20, 20, 21, 22, 22, 21, 22, 21, 19)


def sick_leave_rows(rng, units: pd.DataFrame, periods) -> pd.DataFrame:
    """The payroll extract of sick leave for `periods` ('YYYY-MM'): per unit, gender and
    age band with employees, its ordinary hours and the sick hours by day of the sick
    period. Groups without employees have no row."""
    periods = list(periods)
    n_units, n_months = len(units), len(periods)
    women = np.array([WOMEN_SHARE[k] for k in units["kind"]])
    women = np.clip(women + rng.normal(0.0, 0.04, n_units), 0.3, 0.98)
    ages = rng.dirichlet(np.array(AGE_MIX) * 40, size=n_units)
    # Staff come and go a little every month.
    staff = units["employees"].to_numpy()[:, None] * rng.lognormal(0.0, 0.04, (n_units, n_months))
    unit_effect = rng.lognormal(-0.04, 0.28, n_units)  # some units are far above the rest
    month_of_year = np.array([int(p[5:7]) - 1 for p in periods])
    year = np.array([int(p[:4]) for p in periods])
    level = SICK_SEASON[month_of_year] * np.array(
        [SICK_YEAR.get(y, SICK_YEAR[max(SICK_YEAR)]) * SICK_EPIDEMIC.get(p, 1.0)
         for y, p in zip(year, periods, strict=True)]
    )  # fmt: skip
    hours_per_employee = np.array(WORKING_DAYS)[month_of_year] * 8 * 0.9

    frames = []
    for gender in GENDERS:
        share = women if gender == "K" else 1 - women
        for a, band in enumerate(AGE_BANDS):
            expected = staff * (share * ages[:, a])[:, None]
            employees = rng.poisson(expected)
            ordinary = employees * hours_per_employee[None, :]
            ordinary = ordinary * rng.lognormal(0.0, 0.03, ordinary.shape)
            rate = SICK_RATE[(gender, band)] * unit_effect[:, None] * level[None, :]
            # Few people: a single long illness moves the rate a lot.
            spread = 0.15 + 0.6 / np.sqrt(np.maximum(employees, 1))
            rate = np.clip(rate * rng.lognormal(-(spread**2) / 2, spread), 0.0, 0.6)
            sick = ordinary * rate
            # Short spells follow the season; long ones do not.
            short = np.clip(0.40 * SICK_SEASON[month_of_year][None, :], 0.2, 0.6)
            long = np.clip(
                LONG_TERM_SHARE[band] * rng.lognormal(0.0, 0.2, sick.shape), 0.0, 0.9 - short
            )
            middle = 1.0 - short - long
            u, m = np.nonzero(employees > 0)
            frames.append(
                pd.DataFrame(
                    {
                        "Period": np.array(periods)[m],
                        "Ansvar": units["ansvar"].to_numpy()[u],
                        "Kön": gender,
                        "Åldersgrupp": band,
                        "Antal anställda": employees[u, m],
                        "Ordinarie arbetstid": np.round(ordinary[u, m], 2),
                        "Sjuktimmar dag 1-14": np.round(
                            sick[u, m] * np.broadcast_to(short, sick.shape)[u, m], 2
                        ),
                        "Sjuktimmar dag 15-59": np.round(sick[u, m] * middle[u, m], 2),
                        "Sjuktimmar dag 60-": np.round(sick[u, m] * long[u, m], 2),
                    }
                )
            )
    rows = pd.concat(frames, ignore_index=True)
    order = {g: i for i, g in enumerate(GENDERS)} | {b: i for i, b in enumerate(AGE_BANDS)}
    rows = rows.sort_values(
        ["Period", "Ansvar", "Kön", "Åldersgrupp"],
        key=lambda c: c.map(order) if c.name in ("Kön", "Åldersgrupp") else c,
        kind="stable",
    )
    return rows.reset_index(drop=True)

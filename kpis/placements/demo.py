"""The demo region's consultant placements: a few dozen, as the staffing system exports
them, placed around `today` so the list shows every status. Pure generation, no database.

Relative to `today`:
- 8 consultants placed without a break for 760-900 days (passed), some moving between
  units of one department, which count together;
- 6 whose day 721 comes 5-88 days from now (within 90 days);
- one placed at two units of the department whose units are operating units of their
  own (SEPARATE: 500 days at each, clear at both, where together they would have passed);
- two at two departments for about 400 days each (clear at both);
- about twenty shorter or future-booked placements (clear).

All names are invented.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

PLACEMENT_COLUMNS = [
    "KonsultID",
    "Konsult",
    "Bemanningsföretag",
    "Yrkesgrupp",
    "Ansvar",
    "Startdatum",
    "Slutdatum",
    "Timmar",
]
FIRST_NAMES = ["Agnes", "Bertil", "Cecilia", "Dragan", "Elin", "Farid", "Greta", "Hampus",
               "Ingrid", "Jonas", "Karin", "Leo", "Maja", "Nils", "Olivia", "Pontus"]  # fmt: skip
LAST_NAMES = ["Alm", "Berg", "Dahl", "Ek", "Fors", "Hed", "Lind", "Moberg", "Nord", "Sjö",
              "Strand", "Vik"]  # fmt: skip
AGENCIES = ["Norrbemanning AB", "Vårdkraft Nord AB", "Medpool Sverige AB", "Läkarlinjen AB"]
PROFESSIONS = ["Läkare", "Läkare", "Sjuksköterska", "Barnmorska", "Psykolog"]
HOURS_PER_DAY = 5.4  # about 38 hours a week over calendar days


class _Builder:
    def __init__(self, org: pd.DataFrame, today: dt.date, seed: int):
        self.rng = np.random.default_rng(seed)
        self.today = today
        self.org = org
        self.rows: list[dict] = []
        self.count = 0

    def consultant(self) -> tuple[str, str, str, str]:
        self.count += 1
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        agency = str(self.rng.choice(AGENCIES))
        return f"K{1000 + self.count}", name, agency, str(self.rng.choice(PROFESSIONS))

    def place(self, who, ansvar: str, start: dt.date, end: dt.date | None) -> None:
        consultant_id, name, agency, profession = who
        hours = None if end is None else round(((end - start).days + 1) * HOURS_PER_DAY, 1)
        self.rows.append(
            {
                "KonsultID": consultant_id,
                "Konsult": name,
                "Bemanningsföretag": agency,
                "Yrkesgrupp": profession,
                "Ansvar": ansvar,
                "Startdatum": start.isoformat(),
                "Slutdatum": "" if end is None else end.isoformat(),
                "Timmar": "" if hours is None else f"{hours:.1f}".replace(".", ","),
            }
        )

    def days(self, count: int) -> dt.date:
        return self.today + dt.timedelta(days=int(count))

    def unit(self, department: str | None = None) -> str:
        units = self.org if department is None else self.org[self.org["Verksamhet"] == department]
        return str(self.rng.choice(units["Ansvar"].to_numpy()))


def separate_department(org: pd.DataFrame) -> str:
    """The demo department whose units are operating units of their own: the first (by
    name) with at least two units."""
    sizes = org.groupby("Verksamhet")["Ansvar"].count()
    return str(sizes[sizes >= 2].index.sort_values()[0])


def placements_demo(org: pd.DataFrame, *, today: dt.date, seed: int = 2024) -> pd.DataFrame:
    """The demo placements (PLACEMENT_COLUMNS, as text the way the export has them)."""
    build = _Builder(org, today, seed)
    departments = org.groupby("Verksamhet")["Ansvar"].count()
    shared = [
        name for name in departments[departments >= 2].index if name != separate_department(org)
    ]
    for i in range(8):  # passed
        who = build.consultant()
        start = build.days(-build.rng.integers(760, 900))
        end = None if i % 3 == 0 else build.days(build.rng.integers(10, 120))
        if i % 2 and shared:  # moves once between units of one department
            department = shared[i % len(shared)]
            middle = build.days(-build.rng.integers(100, 300))
            build.place(who, build.unit(department), start, middle - dt.timedelta(days=1))
            build.place(who, build.unit(department), middle, end)
        else:
            build.place(who, build.unit(), start, end)
    for k in (5, 20, 40, 60, 75, 88):  # day 721 within 90 days
        build.place(build.consultant(), build.unit(), build.days(k - 720), build.days(k + 150))
    separate = org[org["Verksamhet"] == separate_department(org)]["Ansvar"].to_numpy()
    who = build.consultant()
    build.place(who, str(separate[0]), build.days(-1000), build.days(-501))
    build.place(who, str(separate[1]), build.days(-500), build.days(-1))
    names = sorted(set(org["Verksamhet"]) - {separate_department(org)})
    for i in range(2):  # two departments, about 400 days each
        who = build.consultant()
        first, second = names[i % len(names)], names[(i + 1) % len(names)]
        build.place(who, build.unit(first), build.days(-820), build.days(-421))
        build.place(who, build.unit(second), build.days(-420), build.days(-20))
    for i in range(20):  # shorter, some booked ahead
        start = build.days(build.rng.integers(-600, 60))
        length = int(build.rng.integers(30, 300))
        end = None if i == 7 else start + dt.timedelta(days=length)
        build.place(build.consultant(), build.unit(), start, end)
    return pd.DataFrame(build.rows, columns=PLACEMENT_COLUMNS)


def write_placements(placements: pd.DataFrame, path: Path) -> Path:
    """The placements as the staffing system's CSV export: ';', UTF-8 with BOM."""
    buffer = io.StringIO()
    placements.to_csv(buffer, sep=";", index=False, lineterminator="\r\n")
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path

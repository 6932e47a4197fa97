"""The sick-leave data set shared by the sick-leave tests, imported through the real
service on the `registers` organisation (tests/conftest.py), worked out by hand.

Months 2024-01 .. 2025-03, every month (hours: ordinary; sick day 1-14, 15-59, 60-):

    unit  area (= its one department)       care         gender age    employees  hours
    0101  Närsjukvårdsområde Skellefteå     primärvård   K      30-49  20   3 000; 120, 30, 60
    0101                                                 M      30-49   6     900;  27,  0,  0
    2001  Länssjukvårdsområde 1             sjukhusvård  K      50-    40   6 000; 200,100,180
    2001                                                 M      -29    15   2 250;  45,  0,  0
    3001  Tandvården                        tandvård     K      30-49  12   1 800;  54,  0,  0

except 2025-01, when 0101's women had 270 sick hours day 1-14 (a winter peak), and
2024-06, when 2001's young men were 3 (ordinary 450, sick 9, 0, 0).

Per month (ordinary hours, all sick hours): NSO 3 900, 237 (387 in 2025-01); LSO
8 250, 525 (2024-06: 6 450, 489); Tandvården 1 800, 54; the administration 13 950,
816 (2024-06: 12 150, 780; 2025-01: 966).

Who is too small (fewer than 10): NSO's 6 men every month; Tandvården has no men at
all; 2024-06 also LSO's and the administration's 3 young men.

The pages' fixtures close the months through 2025-02 (`close_through`), as HR would once
payroll's corrections are in: only 2025-03 is preliminary.
"""

from hyrdash.lib import periods
from kpis import batches
from kpis.sick_leave import services

NSO = "Närsjukvårdsområde Skellefteå"
LSO = "Länssjukvårdsområde 1"
TANDVARDEN = "Tandvården"
PV_SKE = "Primärvård Skellefteå"
KIRURGI = "Kirurgiskt centrum"
TANDVARD_SL = "Tandvård Södra Lappland"

HEADER = (
    "Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;"
    "Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-"
)
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02", "2025-03"]


def rows():
    for month in MONTHS:
        peak = month == "2025-01"
        few = month == "2024-06"
        yield month, "0101", "K", "30-49", 20, 3000, 270 if peak else 120, 30, 60
        yield month, "0101", "M", "30-49", 6, 900, 27, 0, 0
        yield month, "2001", "K", "50-", 40, 6000, 200, 100, 180
        if few:
            yield month, "2001", "M", "-29", 3, 450, 9, 0, 0
        else:
            yield month, "2001", "M", "-29", 15, 2250, 45, 0, 0
        yield month, "3001", "K", "30-49", 12, 1800, 54, 0, 0


def number(value) -> str:
    return str(value).replace(".", ",")


def extract(records=None) -> bytes:
    lines = [HEADER]
    for record in records if records is not None else rows():
        lines.append(";".join(number(v) for v in record))
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_sick_leave(records=None, name="sjukfranvaro.csv"):
    batch, _check = services.sick_leave_import(data=extract(records), file_name=name)
    return batch


def close_through(month: str = "2025-02") -> None:
    """Close the sick-leave months through `month` (what HR does on the page)."""
    batches.months_close(kind="sick_leave", through=periods.period_date(month))

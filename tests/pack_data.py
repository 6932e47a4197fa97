"""The data set of the steering-pack tests, imported through the real services on the
`registers` organisation (tests/conftest.py) and worked out by hand.

Costs, as tests/test_dashboard.py: actuals 2025-01 .. 2026-03, every month

    unit  care type    area (department)                               account      2025        2026
    0101  primärvård   Närsjukvårdsområde Skellefteå (Primärvård Ske.) 4601 läkare  1 000 000   1 200 000
    0101                                                               5111 own    10 000 000  10 000 000
    2001  sjukhusvård  Länssjukvårdsområde 1 (Kirurgiskt centrum)      4611 ssk       500 000     400 000
    2001                                                               5111 own    40 000 000  40 000 000
    3001  tandvård     Tandvården (Tandvård Södra Lappland)            4621 övriga    100 000     100 000
    3001                                                               5111 own     5 000 000   5 000 000

hours 10 (läkare), 5 (ssk), 1 (övriga) a month; a 2026 budget, 0101 5111 11 000 000
every month; months up to 2026-02 closed, 2026-03 preliminary; SKR's 2026-Q1 table.

By hand, the pack of March 2026 for the administration:
- year to date: läkare 3,6 vs 3,0 mkr (+ 0,6 mkr, ökning 20,0 %), ssk 1,2 vs 1,5 mkr
  (− 0,3 mkr, minskning 20,0 %), övriga 0,3 vs 0,3 mkr; total 5,1 vs 4,8 mkr
  (+ 0,3 mkr, ökning 6,3 %);
- March 2026: 1,7 mkr of agency cost, March 2025: 1,6 mkr;
- R12 March 2026: 9 x 1 600 000 + 3 x 1 700 000 = 19 500 000 kr = 19 500 tkr (none in
  March 2025: the data starts in January 2025);
- SKR measure March 2026: 19 500 000 / (12 x 55 000 000) = 2,95 %, target 3,44 %;
- personnel cost Jan-Mar 2026: 3 x 56 700 000 = 170 100 tkr, budget 3 x 11 000 000 =
  33 000 tkr, Jan-Mar 2025: 3 x 56 600 000 = 169 800 tkr;
- agency cost Jan-Mar 2026 per department: 5 100 tkr, Jan-Mar 2025: 4 800 tkr;
- purchased hours: 16 every month.

Sick leave: tests/sick_leave_data.py a year later (2025-01 .. 2026-03), except that
Tandvården's 12 women are 8 in January 2025: too few to show, so Tandvården's R12 is
withheld for December 2025 (its 12 months include January) and shown from January
2026; R12 exists from December 2025 on.

The survey (HME_M1, HME_L1, HSE_1, HSE_10 on 1-5, ENPS on 0-10, every respondent of a
unit answering alike), threshold 5:

    2026  unit  respondents  M1  L1  HSE_1  HSE_10  ENPS   employees
          0101  5            2   2   3      4       5      6
          0102  5            5   5   5      4       10     7
          2001  6            4   5   4      4       9      8
          2002  8            3   4   4      4       7      10
          3001  3            3   3   3      4       8      9
    2025  every unit 5 respondents answering 3, 3, 3, 3, 6

2026, the administration: 27 respondents of 40 employees (67,5 %); HME = (10 x 25 +
10 x 100 + 6 x 75 + 6 x 100 + 8 x 50 + 8 x 75 + 6 x 50) / 54 = 3 600 / 54 = 66,7;
Motivation 1 625 / 27 = 60,2; Ledarskap 1 975 / 27 = 73,1; HSE 1 950 / 27 = 72,2;
question 10: 75,0; eNPS: 11 promoters, 11 passives, 5 critics: (11 - 5) / 27 = 22,2
(ambassadörer 40,7 %, passiva 40,7 %, kritiker 18,5 %). Tandvården (3 respondents) is
hidden, and Närsjukvårdsområde Skellefteå (10) with it, so that the administration
minus Länssjukvårdsområde 1 does not give Tandvården away. 2025: HME 50,0, eNPS −100.
"""

from __future__ import annotations

import datetime as dt

from kpis.batches import month_status_set
from kpis.costs import services as cost_services
from kpis.costs.services import commentary_save
from kpis.models import ImportBatch
from kpis.national import services as national_services
from survey import services as survey_services
from tests import sick_leave_data
from tests.test_dashboard import NATIONAL_CSV, actuals_rows, cost_file

MONTH = "2026-03"

COMMENTS = {
    "agency-ytd": "Läkarkostnaden ökar i primärvården.",
    "skr-measure": "Under målet sedan januari.",
    "personnel-cost": "Utfallet följer budget.",
    "sick-leave-r12": "Vinterns topp är förbi.",
    "hme": "Ledarskapet får högst värde.",
}

SURVEY_2026 = {  # unit: respondents, HME_M1, HME_L1, HSE_1, HSE_10, ENPS
    "0101": (5, 2, 2, 3, 4, 5),
    "0102": (5, 5, 5, 5, 4, 10),
    "2001": (6, 4, 5, 4, 4, 9),
    "2002": (8, 3, 4, 4, 4, 7),
    "3001": (3, 3, 3, 3, 4, 8),
}
EMPLOYEES_2026 = b"Ansvar;Antal medarbetare\n0101;6\n0102;7\n2001;8\n2002;10\n3001;9\n"


def survey_answers(year: int) -> bytes:
    lines = ["RespondentID;Ansvar;HME_M1;HME_L1;HSE_1;HSE_10;ENPS"]
    units = SURVEY_2026 if year == 2026 else dict.fromkeys(SURVEY_2026, (5, 3, 3, 3, 3, 6))
    for ansvar, (count, *answers) in units.items():
        lines += [
            f"{year}-{ansvar}-{i};{ansvar};" + ";".join(str(a) for a in answers)
            for i in range(count)
        ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def sick_leave_rows():
    """tests/sick_leave_data.py's rows a year later; Tandvården 8 women in January 2025."""
    for month, ansvar, *rest in sick_leave_data.rows():
        year, number = month.split("-")
        shifted = f"{int(year) + 1}-{number}"
        if shifted == "2025-01" and ansvar == "3001":
            rest = [rest[0], rest[1], 8, 1200, 36, 0, 0]
        yield (shifted, ansvar, *rest)


def load(*, sick_leave: bool = True, survey: bool = True) -> None:
    """Everything above, through the services (the `registers` fixture must be in place);
    the costs always, sick leave and the survey unless left out (they take the time)."""
    cost_services.costs_import(
        data=cost_file(list(actuals_rows())), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )
    budget = [(f"2026-{m:02d}", "0101", "5111", 11_000_000, None) for m in range(1, 13)]
    cost_services.costs_import(
        data=cost_file(budget), file_name="budget.csv", kind=ImportBatch.Kind.BUDGET
    )
    national_services.national_import(data=NATIONAL_CSV.encode("utf-8"))
    for month in [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02"]:
        month_status_set(period=dt.date(int(month[:4]), int(month[5:]), 1), closed=True)
    if sick_leave:
        sick_leave_data.import_sick_leave(list(sick_leave_rows()))
        # Sick leave's months closed through February too: March is the preliminary one.
        month_status_set(period=dt.date(2026, 2, 1), closed=True, kind=ImportBatch.Kind.SICK_LEAVE)
    if survey:
        for year in (2025, 2026):
            survey_services.answers_import(
                data=survey_answers(year), file_name=f"mu-{year}.csv", year=year
            )
        survey_services.population_import(
            data=EMPLOYEES_2026, file_name="medarbetare-2026.csv", year=2026
        )
    for chart, text in COMMENTS.items():
        commentary_save(period=dt.date(2026, 3, 1), chart=chart, text=text)

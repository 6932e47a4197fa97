"""A re-organisation changes no sick-leave figure already shown: units move from the
first month without sick leave (or, when the audit allows it, from an earlier month),
by import_org and in the admin, and the costs are restated to today's organisation.

On the `registers` organisation with tests/sick_leave_data.py (2024-01 .. 2025-03):
0101 (20 women, 6 men) is Primärvård Skellefteå, all of Närsjukvårdsområde
Skellefteå; 2001 (40 women, 15 men) is Kirurgiskt centrum, all of
Länssjukvårdsområde 1; 3001 (12 women) is Tandvård Södra Lappland, all of Tandvården.
0102 and 2002 have no sick leave (but for `sick_leave_0102`).
"""

import contextlib
import csv
import datetime as dt
import functools
import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from hyrdash.lib.exports import to_csv
from kpis.costs.services import costs_import
from kpis.models import Area, Department, Unit, UnitPlacement
from kpis.organisation import selectors
from kpis.organisation.selectors import Scope
from kpis.registry import SERIES_EXPORTS
from kpis.sick_leave import selectors as sick_leave_selectors
from kpis.sick_leave import series as sick_leave_series
from kpis.sick_leave.extracts import SICK_LEAVE_HOURS
from kpis.sick_leave.series import SICK_LEAVE_BY, sick_leave_cells
from tests.sick_leave_data import KIRURGI, LSO, MONTHS, NSO, PV_SKE, TANDVARD_SL, TANDVARDEN
from tests.sick_leave_data import import_sick_leave as sick_leave_import

START = pd.Period("1900-01", freq="M")
HEADER = "Ansvar;Enhet;Verksamhet;Område;Vårdtyp\n"
ORG = {
    "0101": ("Hälsocentral Boliden", PV_SKE, NSO, "primärvård"),
    "0102": ("Hälsocentral Ursviken", PV_SKE, NSO, "primärvård"),
    "2001": ("Kirurgavdelning 1", KIRURGI, LSO, "sjukhusvård"),
    "2002": ("Operation", KIRURGI, LSO, "sjukhusvård"),
    "3001": ("Folktandvården Lycksele", TANDVARD_SL, TANDVARDEN, "tandvård"),
}
CARE_TYPES = ("sjukhusvård", "primärvård", "tandvård", "övrigt")


@pytest.fixture
def sick_leave(registers):
    return sick_leave_import()


def org_file(tmp_path, **changes) -> str:
    """The registers' organisation with units changed: ansvar=(unit, department, area,
    care type)."""
    units = {**ORG, **{ansvar[1:]: value for ansvar, value in changes.items()}}
    text = HEADER + "".join(f"{a};{';'.join(v)}\n" for a, v in units.items())
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def import_org(path, *args) -> list[str]:
    out = io.StringIO()
    call_command("import_org", path, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_kpi", *args, stdout=out)
    return out.getvalue()


def every_sick_leave_figure() -> dict[tuple, str]:
    """export_kpi's sick leave for every scope (the administration, every area, department
    and care type), by gender, by age and by duration (each with the scope's total), by
    area where a scope has parts, every month: the CSV export_kpi writes, from one load
    of the data (export_kpi loads it per call)."""
    scopes = ["hsf"]
    scopes += [f"area:{name}" for name in (LSO, NSO, TANDVARDEN)]
    scopes += [f"department:{name}" for name in (KIRURGI, PV_SKE, TANDVARD_SL)]
    scopes += [f"care:{care}" for care in CARE_TYPES]
    data = SERIES_EXPORTS["sick-leave"].load()
    figures = {}
    for scope in scopes:
        variants = [("sick-leave", "gender"), ("sick-leave", "age"), ("sick-leave-duration", None)]
        if scope == "hsf" or scope.startswith("area:"):
            variants.append(("sick-leave", "area"))
        for name, by in variants:
            series = SERIES_EXPORTS[name]
            extra = {"by": by} if series.by else {}
            table = series.build(data, scope=Scope.parse(scope), start=None, end=None, **extra)
            figures[(scope, name, by)] = to_csv(table[list(series.columns)])
    return figures


@functools.cache
def shown_before_any_move() -> dict[tuple, str]:
    """every_sick_leave_figure() of the `sick_leave` fixture, worked out once (the data
    are the same in every test)."""
    return every_sick_leave_figure()


def sick_hours(scope: str, month: str) -> str:
    """The sick hours export_kpi shows for a scope's total in a month ('' if hidden)."""
    for line in export("sick-leave", "--scope", scope, "--month", month).splitlines()[1:]:
        fields = line.split(",")
        if fields[1] == "total":
            return fields[4]
    raise AssertionError(f"no total for {scope} {month}")


def placements(ansvar: str) -> list[tuple[str, str, str]]:
    return [
        (p.valid_from.strftime("%Y-%m"), p.department.name, p.care_type)
        for p in UnitPlacement.objects.filter(unit__ansvar=ansvar).select_related("department")
    ]


# --- the history and the selectors ------------------------------------------------------


def test_every_unit_is_placed_from_the_beginning_by_the_register_import(registers):
    assert placements("0101") == [("1900-01", PV_SKE, "primärvård")]
    assert UnitPlacement.objects.count() == len(ORG)


def test_a_frame_of_rows_gets_the_organisation_of_each_rows_month(registers):
    unit = Unit.objects.get(ansvar="0101")
    kirurgi = Department.objects.get(name=KIRURGI)
    UnitPlacement.objects.create(
        unit=unit,
        valid_from="2024-06-01",
        department=kirurgi,
        area=kirurgi.area,
        care_type="sjukhusvård",
    )
    rows = pd.DataFrame(
        {
            "unit_id": [unit.id, unit.id, unit.id],
            "period": pd.PeriodIndex(["2024-07", "2024-05", "2024-06"], freq="M"),
            "hours": [1.0, 2.0, 3.0],
        },
        index=[10, 11, 12],
    )
    placed = selectors.placements_as_of(rows)
    assert placed.index.tolist() == [10, 11, 12]
    assert placed["hours"].tolist() == [1.0, 2.0, 3.0]
    assert placed["department"].tolist() == [KIRURGI, PV_SKE, KIRURGI]
    assert placed["area"].tolist() == [LSO, NSO, LSO]
    assert placed["care_type"].tolist() == ["sjukhusvård", "primärvård", "sjukhusvård"]
    assert placed["department_id"].tolist()[0] == kirurgi.id

    may = selectors.organisation_as_of(pd.Period("2024-05", freq="M")).set_index("ansvar")
    june = selectors.organisation_as_of(pd.Period("2024-06", freq="M")).set_index("ansvar")
    assert (may.loc["0101", "department"], june.loc["0101", "department"]) == (PV_SKE, KIRURGI)
    assert may.loc["2001", "area"] == june.loc["2001", "area"] == LSO


def test_a_unit_without_a_recorded_placement_is_where_the_register_puts_it(registers):
    UnitPlacement.objects.filter(unit__ansvar="3001").delete()
    history = selectors.placement_history()
    unit = Unit.objects.get(ansvar="3001")
    row = history[history["unit_id"] == unit.id]
    assert row[["valid_from", "department", "area"]].values.tolist() == [
        [START, TANDVARD_SL, TANDVARDEN]
    ]


def test_the_default_month_is_the_first_without_sick_leave_undone_imports_too(registers):
    assert selectors.first_open_month() == START
    sick_leave_import()
    assert selectors.first_open_month() == pd.Period("2025-04", freq="M")
    from kpis.registry import batch_undo
    from kpis.sick_leave.services import sick_leave_import as import_service
    from tests.sick_leave_data import extract

    # One unit of three: a partial new month, imported as a whole month when told.
    later, _check = import_service(
        data=extract([("2025-05", "0101", "K", "30-49", 20, 3000, 120, 30, 60)]),
        file_name="maj.csv",
        replaces="months",
    )

    batch_undo(batch_id=later.id)
    # 2025-05 was shown until the undo: it stays known.
    assert selectors.first_open_month() == pd.Period("2025-06", freq="M")


def place(ansvar: str, month: str, department: str, care_type: str) -> None:
    """Record a placement directly (as moves_apply saves them)."""
    to = Department.objects.get(name=department)
    UnitPlacement.objects.create(
        unit=Unit.objects.get(ansvar=ansvar),
        valid_from=f"{month}-01",
        department=to,
        area=to.area,
        care_type=care_type,
    )


def test_the_stored_placements_and_the_same_history_in_pandas_sum_the_same_rows(sick_leave):
    place("0101", "2024-06", KIRURGI, "sjukhusvård")
    place("0101", "2024-09", PV_SKE, "primärvård")
    UnitPlacement.objects.filter(unit__ansvar="3001").delete()  # the register's, then
    keys = ["period", "area", "department", "care_type", "gender", "age_band"]

    stored = sick_leave_selectors.sick_leave_frame().sort_values(keys, ignore_index=True)
    planned = sick_leave_selectors.placed_frame(
        sick_leave_selectors.sick_leave_unit_frame(), selectors.placement_history()
    ).sort_values(keys, ignore_index=True)

    pd.testing.assert_frame_equal(stored, planned)
    july = stored[(stored["period"] == pd.Period("2024-07", freq="M"))]
    # 0101 counts in Kirurgiskt centrum in 2024-06 .. 2024-08, not before or after.
    assert july.groupby("department")["employees"].sum().to_dict() == {
        KIRURGI: 20 + 6 + 40 + 15,
        TANDVARD_SL: 12,
    }
    may = stored[(stored["period"] == pd.Period("2024-05", freq="M"))]
    assert may.groupby("department")["employees"].sum()[PV_SKE] == 26


def test_an_areas_departments_are_those_of_each_month(sick_leave):
    # Kirurgiskt centrum (2001, 2002) belongs to Närsjukvårdsområde Skellefteå from 2024-06.
    for ansvar in ("2001", "2002"):
        place(ansvar, "2024-06", KIRURGI, "sjukhusvård")
        UnitPlacement.objects.filter(unit__ansvar=ansvar, valid_from="2024-06-01").update(
            area=Area.objects.get(name=NSO)
        )
    data = sick_leave_selectors.sick_leave_data()

    def months(scope: str, group: str) -> list[str]:
        table = sick_leave_series.sick_leave(data, scope=Scope.parse(scope), by="area")
        return table.loc[table["group"] == group, "month"].tolist()

    assert months(f"area:{LSO}", KIRURGI) == MONTHS[:5]
    assert months(f"area:{NSO}", KIRURGI) == MONTHS[5:]
    assert months(f"area:{NSO}", PV_SKE) == MONTHS
    # The area's own figures follow: Närsjukvårdsområde Skellefteå's sick hours are
    # 237 in 2024-05 and 237 + 525 in 2024-07; Länssjukvårdsområde 1 has none then.
    assert sick_hours(f"area:{NSO}", "2024-05") == "237.00"
    assert sick_hours(f"area:{NSO}", "2024-07") == "762.00"
    assert sick_hours(f"area:{LSO}", "2024-05") == "525.00"
    assert sick_hours(f"area:{LSO}", "2024-07") == ""  # empty: withheld


def test_the_shown_figures_the_move_audit_reads_are_the_pages(sick_leave):
    from kpis.sick_leave.releases import sick_leave_releases

    releases = sick_leave_releases(None, pd.Period("2024-05", freq="M"))
    cells = sick_leave_series.sick_leave_cells(sick_leave_selectors.sick_leave_data())
    assert sorted(releases) == list(pd.period_range("2024-05", "2025-03", freq="M"))
    for month, release in releases.items():
        flags = cells["hidden"].xs(month, level="period")
        assert set(release.shown) == set(flags[~flags].index), month
    # 2024-06: the 3 young men of Länssjukvårdsområde 1, and so of the administration,
    # are a small group, hidden; so are Närsjukvårdsområde Skellefteå's 6 men.
    june = releases[pd.Period("2024-06", freq="M")]
    assert ("hsf", "-29") in june.sensitive and ("hsf", "-29") not in june.shown
    assert (f"area:{NSO}", "M") in june.sensitive and (f"area:{NSO}", "M") not in june.shown


# --- moves from the first month without sick leave ----------------------------------------


def test_the_figures_compared_are_export_kpis(sick_leave):
    figures = every_sick_leave_figure()
    assert figures == shown_before_any_move()
    assert len(figures) == 11 * 3 + 4
    assert figures[("hsf", "sick-leave", "gender")] == export(
        "sick-leave", "--scope", "hsf", "--by", "gender"
    )
    assert figures[(f"area:{NSO}", "sick-leave-duration", None)] == export(
        "sick-leave-duration", "--scope", f"area:{NSO}"
    )


def test_a_move_by_import_org_changes_no_sick_leave_figure_already_shown(sick_leave, tmp_path):
    shown = shown_before_any_move()
    assert sick_hours(f"area:{NSO}", "2024-05") == "237.00"

    lines = import_org(org_file(tmp_path, a0101=("Hälsocentral Boliden", KIRURGI, LSO,
                                                 "sjukhusvård")))  # fmt: skip

    assert lines[0] == (
        "Flyttade enheter och ändrade vårdtyper gäller från 2025-04, den första månaden utan "
        "sjukfrånvarodata: inga siffror som redan har visats ändras."
    )
    assert lines[-1] == (
        "1 enheter har ny verksamhet, nytt område eller ny vårdtyp från 2025-04: 0101"
    )
    assert placements("0101") == [
        ("1900-01", PV_SKE, "primärvård"),
        ("2025-04", KIRURGI, "sjukhusvård"),
    ]
    assert every_sick_leave_figure() == shown
    # A month imported after the move counts 0101 where it is now.
    sick_leave_import([("2025-04", "0101", "K", "30-49", 20, 3000, 120, 30, 60),
                       ("2025-04", "2001", "K", "50-", 40, 6000, 200, 100, 180)])  # fmt: skip
    assert sick_hours(f"department:{KIRURGI}", "2025-04") == "690.00"
    assert sick_hours(f"department:{KIRURGI}", "2025-03") == "525.00"


def test_a_department_emptied_by_a_move_keeps_its_earlier_months(sick_leave, tmp_path):
    shown = shown_before_any_move()
    moved = ("Hälsocentral Boliden", KIRURGI, LSO, "sjukhusvård")
    import_org(org_file(tmp_path, a0101=moved, a0102=(ORG["0102"][0], *moved[1:])))

    assert not Unit.objects.filter(department__name=PV_SKE).exists()
    assert Department.objects.filter(name=PV_SKE).exists()  # the history places units there
    assert every_sick_leave_figure() == shown


def test_a_move_in_the_admin_changes_no_sick_leave_figure_already_shown(sick_leave, client,
                                                                        superuser):  # fmt: skip
    shown = shown_before_any_move()
    client.force_login(superuser)
    unit = Unit.objects.get(ansvar="2001")
    url = reverse("admin:kpis_unit_change", args=[unit.id])

    page = client.get(url)
    assert (
        "Flyttade enheter och ändrade vårdtyper gäller från 2025-04, den första månaden utan "
        "sjukfrånvarodata: inga siffror som redan har visats ändras."
    ) in page.content.decode()

    response = client.post(url, _unit_form(unit, department=PV_SKE), follow=True)

    assert response.status_code == 200
    assert "Flytten gäller från 2025-04 för 2001." in response.content.decode()
    assert placements("2001") == [
        ("1900-01", KIRURGI, "sjukhusvård"),
        ("2025-04", PV_SKE, "sjukhusvård"),
    ]
    assert every_sick_leave_figure() == shown


def test_a_department_moved_to_another_area_in_the_admin_keeps_the_areas_figures(
    sick_leave, client, superuser
):
    shown = shown_before_any_move()
    client.force_login(superuser)
    department = Department.objects.get(name=KIRURGI)
    nso = Department.objects.get(name=PV_SKE).area
    url = reverse("admin:kpis_department_change", args=[department.id])
    response = client.post(url, {"name": KIRURGI, "area": nso.id}, follow=True)

    assert response.status_code == 200
    assert "Flytten gäller från 2025-04 för 2001, 2002." in response.content.decode()
    assert placements("2002")[-1] == ("2025-04", KIRURGI, "sjukhusvård")
    assert every_sick_leave_figure() == shown


APRIL = [
    ("2025-04", "0101", "K", "30-49", 20, 3000, 120, 30, 60),
    ("2025-04", "2001", "K", "50-", 40, 6000, 200, 100, 180),
]


def without_april(figures: dict[tuple, str]) -> dict[tuple, list[dict]]:
    """The figures of the months before 2025-04, without `preliminary` (2025-03 was the
    newest month, preliminary, until 2025-04 came)."""
    kept = {}
    for key, text in figures.items():
        rows = [row for row in csv.DictReader(io.StringIO(text)) if row["month"] < "2025-04"]
        kept[key] = [{k: v for k, v in row.items() if k != "preliminary"} for row in rows]
    return kept


def test_a_unit_moved_keeps_the_figures_shown_after_the_next_months_import(sick_leave, tmp_path):
    shown = without_april(shown_before_any_move())
    import_org(org_file(tmp_path, a0101=("Hälsocentral Boliden", KIRURGI, LSO, "sjukhusvård")))
    sick_leave_import(APRIL)
    assert without_april(every_sick_leave_figure()) == shown


def test_a_department_moved_to_another_area_keeps_the_figures_shown_after_the_next_import(
    sick_leave, client, superuser
):
    shown = without_april(shown_before_any_move())
    client.force_login(superuser)
    department = Department.objects.get(name=KIRURGI)
    nso = Department.objects.get(name=PV_SKE).area
    client.post(reverse("admin:kpis_department_change", args=[department.id]),
                {"name": KIRURGI, "area": nso.id})  # fmt: skip
    sick_leave_import(APRIL)
    assert without_april(every_sick_leave_figure()) == shown


def _unit_form(unit: Unit, *, department: str, from_month: str = "", care_type=None) -> dict:
    return {
        "ansvar": unit.ansvar,
        "name": unit.name,
        "department": Department.objects.get(name=department).id,
        "care_type": care_type or unit.care_type,
        "from_month": from_month,
    }


# --- costs are restated ---------------------------------------------------------------------


def agency_monthly(scope: str) -> list[str]:
    """export_kpi's agency cost per month and profession as month,profession,amount
    (without the preliminary column)."""
    rows = export("agency-monthly", "--scope", scope).splitlines()[1:]
    return [",".join(row.split(",")[:3]) for row in rows]


def test_costs_follow_the_moved_unit_for_every_month(sick_leave, tmp_path):
    costs_import(
        data=b"Period;Ansvar;Konto;Belopp\n2024-03;0101;4601;1000\n2025-03;0101;4601;500\n",
        file_name="utfall.csv",
        kind="actuals",
    )

    def agency(scope: str) -> list[str]:
        """The doctors' agency cost per month (rows month,profession,amount)."""
        return [row for row in agency_monthly(scope) if ",hyr_lakare," in row]

    before = agency(f"area:{NSO}")
    assert before == ["2024-03,hyr_lakare,1000.00", "2025-03,hyr_lakare,500.00"]
    assert agency(f"area:{LSO}") == ["2024-03,hyr_lakare,0.00", "2025-03,hyr_lakare,0.00"]
    import_org(org_file(tmp_path, a0101=("Hälsocentral Boliden", KIRURGI, LSO, "sjukhusvård")))
    # Restated: the whole of 0101's history is Länssjukvårdsområde 1's today.
    assert agency(f"area:{NSO}") == ["2024-03,hyr_lakare,0.00", "2025-03,hyr_lakare,0.00"]
    assert agency(f"area:{LSO}") == before


def test_costs_follow_a_unit_moved_in_the_admin(sick_leave, client, superuser):
    costs_import(
        data=b"Period;Ansvar;Konto;Belopp\n2024-03;2001;4601;1000\n",
        file_name="utfall.csv",
        kind="actuals",
    )
    client.force_login(superuser)
    unit = Unit.objects.get(ansvar="2001")
    url = reverse("admin:kpis_unit_change", args=[unit.id])
    client.post(url, _unit_form(unit, department=PV_SKE, care_type="primärvård"))
    assert "2024-03,hyr_lakare,1000.00" in agency_monthly(f"area:{NSO}")


# --- an earlier month ----------------------------------------------------------------------

WITHHOLDS = (
    "För att de omräknade siffrorna inte ska röja något tillsammans med dem som redan har "
    "visats döljs "
)


def import_org_rolled_back(path, *args) -> list[str]:
    """import_org's output, with nothing it saved kept."""

    class Undo(Exception):
        pass

    lines = []
    with contextlib.suppress(Undo), transaction.atomic():
        lines = import_org(path, *args)
        raise Undo
    return lines


def test_an_earlier_month_that_reveals_nothing_is_accepted(sick_leave, tmp_path):
    # 3001 is all of Tandvård Södra Lappland: under a new name from 2024-07, the new
    # department's figures are the old one's, and nothing new can be worked out. (In
    # 2024-06 Tandvården is withheld: it would give LSO's 3 young men away.)
    assert sick_hours(f"department:{TANDVARD_SL}", "2024-06") == ""
    assert sick_hours(f"department:{TANDVARD_SL}", "2024-07") == "54.00"
    lines = import_org(
        org_file(
            tmp_path, a3001=("Folktandvården Lycksele", "Tandvård Lycksele", TANDVARDEN, "tandvård")
        ),  # fmt: skip
        "--from",
        "2024-07",
    )

    assert lines[0] == (
        "Flyttade enheter och ändrade vårdtyper ska gälla från 2024-07, före 2025-04: "
        "sjukfrånvaron som redan har visats för de månaderna räknas om, och de omräknade "
        "siffrorna döljs så långt det behövs för att inget dolt värde ska kunna räknas fram; "
        "räcker det inte vägras flytten."
    )
    assert lines[-1] == (
        "1 enheter har ny verksamhet, nytt område eller ny vårdtyp från 2024-07: 3001"
    )
    assert placements("3001") == [
        ("1900-01", TANDVARD_SL, "tandvård"),
        ("2024-07", "Tandvård Lycksele", "tandvård"),
    ]
    assert sick_hours(f"department:{TANDVARD_SL}", "2024-05") == "54.00"  # as before
    assert sick_hours(f"department:{TANDVARD_SL}", "2024-07") == ""  # empty: withheld
    assert sick_hours("department:Tandvård Lycksele", "2024-07") == "54.00"


def test_a_unit_without_sick_leave_may_move_from_an_earlier_month(sick_leave, client,
                                                                  superuser):  # fmt: skip
    shown = shown_before_any_move()
    client.force_login(superuser)
    unit = Unit.objects.get(ansvar="0102")
    url = reverse("admin:kpis_unit_change", args=[unit.id])
    response = client.post(
        url, _unit_form(unit, department=KIRURGI, from_month="2024-02"), follow=True
    )
    assert "Flytten gäller från 2024-02 för 0102." in response.content.decode()
    assert placements("0102")[-1] == ("2024-02", KIRURGI, "primärvård")
    assert every_sick_leave_figure() == shown


def test_a_later_month_is_taken_as_it_is(sick_leave, tmp_path):
    path = org_file(tmp_path, a0101=("Hälsocentral Boliden", KIRURGI, LSO, "sjukhusvård"))
    lines = import_org(path, "--from", "2025-09")
    assert lines[0] == "Flyttade enheter och ändrade vårdtyper gäller från 2025-09."
    assert placements("0101")[-1] == ("2025-09", KIRURGI, "sjukhusvård")


def test_a_month_that_is_no_month_stops_import_org(registers, tmp_path):
    with pytest.raises(CommandError) as refused:
        import_org(org_file(tmp_path), "--from", "2024-13")
    assert str(refused.value) == (
        "--from: ”2024-13” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03."
    )


def test_a_month_that_is_no_month_is_refused_in_the_admin(registers, client, superuser):
    client.force_login(superuser)
    unit = Unit.objects.get(ansvar="0101")
    url = reverse("admin:kpis_unit_change", args=[unit.id])
    response = client.post(url, _unit_form(unit, department=KIRURGI, from_month="juni"))
    assert "”juni” är ingen månad; skriv ÅÅÅÅ-MM, till exempel 2024-03." in (
        response.content.decode()
    )


# --- the small demo region ---------------------------------------------------------------


def every_published_figure() -> dict[tuple, str]:
    """every_sick_leave_figure's series for every scope of the register as it is."""
    scopes = ["hsf", *(f"care:{care}" for care in CARE_TYPES)]
    scopes += [f"area:{name}" for name in Area.objects.values_list("name", flat=True)]
    scopes += [f"department:{name}" for name in Department.objects.values_list("name", flat=True)]
    data = SERIES_EXPORTS["sick-leave"].load()
    figures = {}
    for scope in scopes:
        for by in SICK_LEAVE_BY:
            table = SERIES_EXPORTS["sick-leave"].build(
                data, scope=Scope.parse(scope), start=None, end=None, by=by
            )
            figures[(scope, by)] = to_csv(table)
    return figures


@pytest.mark.django_db
def test_moves_in_the_small_demo_change_no_published_figure(client, superuser, tmp_path):
    call_command("load_demo", small=True, force=True, stdout=io.StringIO(), stderr=io.StringIO())
    shown = every_published_figure()
    first, last = SERIES_EXPORTS["sick-leave"].load().months[[0, -1]].strftime("%Y-%m").tolist()
    default = (pd.Period(last, freq="M") + 1).strftime("%Y-%m")

    # import_org: Norrhammars hälsocentral (5103) to the rural primary care.
    rows = [
        (u.ansvar, u.name, u.department.name, u.department.area.name, u.care_type)
        for u in Unit.objects.select_related("department__area")
    ]
    moved = [
        (a, n, "Primärvård Skellefteå landsbygd" if a == "5103" else d, ar, c)
        for a, n, d, ar, c in rows
    ]
    path = tmp_path / "org.csv"
    path.write_text(HEADER + "".join(";".join(r) + "\n" for r in moved), encoding="utf-8")
    # From the first month: allowed since the restated figures hide more (refused
    # before they could); rolled back here, the default month is what this test checks.
    assert import_org_rolled_back(str(path), "--from", first)[1].startswith(WITHHOLDS)
    import_org(str(path))
    assert placements("5103")[-1] == (default, "Primärvård Skellefteå landsbygd", "primärvård")

    # The admin: Folktandvården Skellefteå centrum (0203) to Allmäntandvård Umeå.
    client.force_login(superuser)
    unit = Unit.objects.get(ansvar="0203")
    url = reverse("admin:kpis_unit_change", args=[unit.id])
    notice_page = client.post(url, _unit_form(unit, department="Allmäntandvård Umeå",
                                              from_month=first))  # fmt: skip
    assert WITHHOLDS in notice_page.content.decode()  # said before saving; not saved
    assert placements("0203")[-1][0] == "1900-01"
    client.post(url, _unit_form(unit, department="Allmäntandvård Umeå"))
    assert placements("0203")[-1] == (default, "Allmäntandvård Umeå", "tandvård")

    assert every_published_figure() == shown


# --- the attack: unit 5802 of the demo region --------------------------------------

# The demo region's organisation (288 units) with its sick leave for three months. The
# full demo takes minutes to load (71 months, a disclosure decision of about a second
# each), so these months stand for them: 5802 (Utvecklingsenhet Närsjukvårdsområde
# Skellefteå) is one of the two units of "Ledning Närsjukvårdsområde Skellefteå", with
# groups of 2-8 people, and the other unit, 5801, is small too.
DEMO_MONTHS = ("2021-01", "2021-02", "2021-03")
LEDNING = "Ledning Närsjukvårdsområde Skellefteå"
TO = "Geriatrik och rehabilitering Skellefteå"
NSO_SKE = "Närsjukvårdsområde Skellefteå"


@pytest.fixture(scope="module")
def demo_region():
    from kpis.demo import generate

    return generate(today=dt.date(2026, 11, 22))


@pytest.fixture
def demo_5802(db, accounts, demo_region):
    """The demo region's register and its sick leave of DEMO_MONTHS, through the
    services (the disclosure decided as an import decides it)."""
    from kpis.organisation.services import org_import
    from kpis.sick_leave.services import sick_leave_import

    org = io.StringIO()
    demo_region.org.to_csv(org, sep=";", index=False)
    org_import(data=org.getvalue().encode())
    rows = demo_region.sick_leave[demo_region.sick_leave["Period"].isin(DEMO_MONTHS)]
    extract = io.StringIO()
    rows.to_csv(extract, sep=";", decimal=",", index=False)
    sick_leave_import(data=extract.getvalue().encode(), file_name="demo.csv")
    return rows


def every_figure_with_duration() -> tuple[pd.DataFrame, dict[tuple, str]]:
    """Every published sick-leave figure of the demo region: every scope x group x month
    as sick_leave_cells holds it, withheld values blank (what the pages, CSV and
    export_kpi print: R12 values are sums of these, withheld with `hidden_r12`); and
    export_kpi's series, every `by` and the duration, for the scopes the move touches
    (the administration, the area, both departments, the care type)."""
    data = SERIES_EXPORTS["sick-leave"].load()
    cells = sick_leave_cells(data)
    values = ["employees", "ordinary_hours", *SICK_LEAVE_HOURS]
    published = cells[values].astype("float64").mask(cells["hidden"])
    published = published.assign(hidden=cells["hidden"], hidden_r12=cells["hidden_r12"])
    scopes = ["hsf", f"area:{NSO_SKE}", f"department:{LEDNING}", f"department:{TO}",
              "care:övrigt"]  # fmt: skip
    series = {}
    for scope in scopes:
        for name, by in [*(("sick-leave", by) for by in SICK_LEAVE_BY),
                         ("sick-leave-duration", None)]:  # fmt: skip
            export = SERIES_EXPORTS[name]
            extra = {"by": by} if export.by else {}
            table = export.build(data, scope=Scope.parse(scope), start=None, end=None, **extra)
            series[(scope, name, by)] = to_csv(table[list(export.columns)])
    return published, series


def assert_same_figures(after, before) -> None:
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1] == before[1]


def published_rows(scope: str) -> pd.DataFrame:
    """export_kpi sick-leave by gender and age for a scope, as a frame by (month, group)."""
    frames = [
        pd.read_csv(io.StringIO(export("sick-leave", "--scope", scope, "--by", by)))
        for by in ("gender", "age")
    ]
    table = pd.concat(frames).drop_duplicates(["month", "group"])
    return table.set_index(["month", "group"]).sort_index()


def unit_figures(rows: pd.DataFrame, ansvar: str) -> pd.DataFrame:
    """A unit's own employees and hours by (month, group): total, genders, age bands."""
    own = rows[rows["Ansvar"] == ansvar].rename(
        columns={"Period": "month", "Antal anställda": "employees",
                 "Ordinarie arbetstid": "ordinary_hours"}
    )  # fmt: skip
    parts = [own.groupby("month")[["employees", "ordinary_hours"]].sum().assign(group="total")]
    for column in ("Kön", "Åldersgrupp"):
        split = own.groupby(["month", column])[["employees", "ordinary_hours"]].sum()
        parts.append(split.reset_index(column).rename(columns={column: "group"}))
    return pd.concat(parts).reset_index().set_index(["month", "group"]).sort_index()


def test_5802_moved_by_import_org_changes_no_figure_and_its_old_department_reveals_nothing(
    demo_5802, demo_region, tmp_path
):
    shown = every_figure_with_duration()
    before = published_rows(f"department:{LEDNING}")
    own = unit_figures(demo_5802, "5802")
    assert own["employees"].between(1, 10).all()  # every group of 5802 is small

    org = demo_region.org.copy()
    org.loc[org["Ansvar"] == "5802", "Verksamhet"] = TO
    path = tmp_path / "org.csv"
    org.to_csv(path, sep=";", index=False)

    # From the first month: the old figures and the restated ones would give 5802 away
    # (refused until now); the restated figures hide more instead.
    # Rolled back: the default month is what this test checks.
    withholds = import_org_rolled_back(str(path), "--from", DEMO_MONTHS[0])[1]
    assert withholds.startswith(WITHHOLDS), withholds
    assert f"sjukfrånvaron: {DEMO_MONTHS[0]} (" in withholds, withholds
    assert placements("5802") == [("1900-01", LEDNING, "övrigt")]

    lines = import_org(str(path))
    assert (
        lines[-1] == "1 enheter har ny verksamhet, nytt område eller ny vårdtyp från 2021-04: 5802"
    )
    assert_same_figures(every_figure_with_duration(), shown)

    # The attack: the old department's figures before minus after. Every figure is the
    # same, so the difference is 0 wherever both are shown, never 5802's own figures.
    after = published_rows(f"department:{LEDNING}")
    pd.testing.assert_frame_equal(after, before)
    difference = (before["employees"] - after["employees"]).dropna()
    assert (difference == 0).all()
    assert not (difference.reindex(own.index) == own["employees"]).any()


def test_5802_moved_in_the_admin_changes_no_figure(demo_5802, client, superuser):
    costs_import(
        data=b"Period;Ansvar;Konto;Belopp\n2021-01;5802;4601;1000\n",
        file_name="utfall.csv",
        kind="actuals",
    )
    assert agency_monthly(f"department:{LEDNING}")[0] == "2021-01,hyr_lakare,1000.00"
    shown = every_figure_with_duration()
    client.force_login(superuser)
    unit = Unit.objects.get(ansvar="5802")
    url = reverse("admin:kpis_unit_change", args=[unit.id])

    notice = client.post(url, _unit_form(unit, department=TO, from_month=DEMO_MONTHS[0]))
    page = notice.content.decode()
    assert WITHHOLDS in page and f"{DEMO_MONTHS[0]} (" in page  # said before saving
    assert Unit.objects.get(ansvar="5802").department.name == LEDNING

    response = client.post(url, _unit_form(unit, department=TO), follow=True)
    assert "Flytten gäller från 2021-04 för 5802." in response.content.decode()
    assert_same_figures(every_figure_with_duration(), shown)

    # Costs are not personal data: restated to today's organisation, as the page says.
    assert agency_monthly(f"department:{LEDNING}")[0] == "2021-01,hyr_lakare,0.00"
    assert agency_monthly(f"department:{TO}")[0] == "2021-01,hyr_lakare,1000.00"
    dashboard = client.get(reverse("kpis:dashboard")).content.decode()
    assert "Kostnaderna visas efter dagens organisation" in dashboard
    sick_leave_page = client.get(reverse("kpis:sick_leave")).content.decode()
    assert "Sjukfrånvaron räknas med organisationen som den var varje månad" in sick_leave_page

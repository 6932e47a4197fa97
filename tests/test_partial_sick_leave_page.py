"""The sick-leave upload page correcting a month that already has data: the confirmation
page's warning and required choice, "only the file's units" (Bara filens enheter) keeping
the other units' rows of the month, "whole months" replacing the month, and undo of each
from the history. The service and command are tested in tests/test_partial_imports.py.

The `registers` fixture (tests/conftest.py) has units 0101 Hälsocentral Boliden, 0102
Hälsocentral Ursviken, 2001 Kirurgavdelning 1, 2002 Operation and 3001. Every sum below is
worked out by hand next to its file.
"""

import pytest
from django.urls import reverse

from kpis.models import ImportBatch, Unit
from kpis.sick_leave.selectors import sick_leave_unit_frame
from kpis.sick_leave.services import sick_leave_import
from tests.test_import_sick_leave import HEADER
from tests.test_partial_imports import assert_the_choice_is_required, confirm_url, messages_of
from tests.test_partial_imports import upload as upload_file

NBSP = "\u00a0"
MINUS = "\u2212"

# October and November as payroll extracts them: three units.
OCTOBER_NOVEMBER = f"""{HEADER}
2026-10;0101;K;30-49;10;1 600;40;0;0
2026-10;0102;K;30-49;12;1 900;50;0;0
2026-10;2001;M;50-;20;3 200;80;10;0
2026-11;0101;K;30-49;10;1 650;44;0;0
2026-11;0102;K;30-49;12;1 950;55;0;0
2026-11;0102;M;-29;3;450;6;0;0
2026-11;2001;M;50-;20;3 300;70;12;8
"""
# Per (month, unit): employees, ordinary hours, sick hours (days 1-14 + 15-59 + 60-).
OCTOBER = {
    ("2026-10", "0101"): (10, 1600.0, 40.0),
    ("2026-10", "0102"): (12, 1900.0, 50.0),
    ("2026-10", "2001"): (20, 3200.0, 90.0),  # 80 + 10
}
NOVEMBER = {
    ("2026-11", "0101"): (10, 1650.0, 44.0),
    ("2026-11", "0102"): (15, 2400.0, 61.0),  # 12 + 3; 1 950 + 450; 55 + 6
    ("2026-11", "2001"): (20, 3300.0, 90.0),  # 70 + 12 + 8
}
# Payroll corrects 0102's November: its women 30-49 had 11 employees and fewer sick
# hours, two women 50- were missing, and the men -29 row was wrong (0102 had none).
CORRECTION_0102 = f"""{HEADER}
2026-11;0102;K;30-49;11;1 800;30;5;0
2026-11;0102;K;50-;2;300;0;0;0
"""
# 0102 in the file: 11 + 2 employees; 1 800 + 300 hours; 30 + 5 sick hours.
CORRECTED_0102 = {("2026-11", "0102"): (13, 2100.0, 35.0)}


def in_use():
    """The sick-leave rows in use (what the pages read: current_rows_sql through
    sick_leave_unit_frame) per (month, ansvar): employees, ordinary hours, sick hours."""
    frame = sick_leave_unit_frame()
    ansvar = dict(Unit.objects.values_list("id", "ansvar"))
    frame["sick_hours"] = (
        frame["sick_hours_1_14"] + frame["sick_hours_15_59"] + frame["sick_hours_60"]
    )
    sums = frame.groupby(["period", "unit_id"])[["employees", "ordinary_hours", "sick_hours"]]
    return {
        (str(period), ansvar[unit]): (int(row.employees), row.ordinary_hours, row.sick_hours)
        for (period, unit), row in sums.sum().iterrows()
    }


def stored_rows_of_0102():
    """0102's November rows in use, one per gender and age band."""
    frame = sick_leave_unit_frame()
    unit = Unit.objects.get(ansvar="0102").id
    rows = frame[(frame["unit_id"] == unit) & (frame["period"].astype(str) == "2026-11")]
    return sorted(
        (r.gender, r.age_band, int(r.employees), r.ordinary_hours) for r in rows.itertuples()
    )


@pytest.fixture
def ctrl(client, controller_user, registers):
    client.force_login(controller_user)
    sick_leave_import(data=OCTOBER_NOVEMBER.encode(), file_name="okt-nov.csv")
    assert in_use() == {**OCTOBER, **NOVEMBER}
    return client


def upload(client, text, name="rattelse-sjuk.csv"):
    return upload_file(client, text, name, kind="sick_leave")


def test_the_confirm_page_warns_of_a_one_unit_correction_and_requires_the_choice(ctrl):
    pending = upload(ctrl, CORRECTION_0102)

    page = ctrl.get(confirm_url(pending))

    # 1 of 3 units. Stored November: employees 10 + 15 + 20 = 45, ordinary hours
    # 1 650 + 2 400 + 3 300 = 7 350, sick hours 44 + 61 + 90 = 195. The file: 13, 2 100,
    # 35: 13/45 - 1 = -71,1 %, 2 100/7 350 - 1 = -71,4 %, 35/195 - 1 = -82,1 %.
    assert page.context["warning"] == [
        "Filen täcker klart mindre än det som är sparat för 2026-11.",
        "2026-11: filen har 1 av 3 enheter som har värden nu; saknas: 0101 Hälsocentral "
        "Boliden, 2001 Kirurgavdelning 1.",
        f"2026-11: Anställda minskar från 45 till 13 ({MINUS}71{NBSP}%).",
        f"2026-11: Ordinarie arbetstid (timmar) minskar från 7{NBSP}350,00 till "
        f"2{NBSP}100,00 ({MINUS}71{NBSP}%).",
        f"2026-11: Sjuktimmar minskar från 195,00 till 35,00 ({MINUS}82{NBSP}%).",
    ]
    # With only 0102 replaced: employees 45 - 15 + 13 = 43; hours 7 350 - 2 400 + 2 100
    # = 7 050; sick hours 195 - 61 + 35 = 169.
    assert [
        (r["period"], r["category"], r["new"], r["stored"], r["only_units"])
        for r in page.context["summary"]
    ] == [
        ("2026-11", "employees", 13.0, 45.0, 43.0),
        ("2026-11", "ordinary_hours", 2100.0, 7350.0, 7050.0),
        ("2026-11", "sick_hours", 35.0, 195.0, 169.0),
    ]
    content = page.content.decode()
    assert 'role="alert" id="coverage-warning"' in content
    assert "Med bara filens enheter" in content
    assert f'<td class="num">7{NBSP}050,00</td>' in content
    assert_the_choice_is_required(ctrl, pending, content)
    assert ImportBatch.objects.count() == 1
    assert in_use() == {**OCTOBER, **NOVEMBER}


def test_only_the_files_units_replaces_0102_and_the_other_units_keep_november(ctrl):
    pending = upload(ctrl, CORRECTION_0102)

    done = ctrl.post(confirm_url(pending), {"confirm": "1", "replaces": "units"}, follow=True)

    batch = ImportBatch.objects.latest("id")
    assert (batch.kind, batch.replaces) == ("sick_leave", "units")
    assert messages_of(done) == [
        f"Import {batch.id} sparad: 2 rader, 1 månad. Bara filens enhet ersattes; andra "
        "enheter behöll sina värden."
    ]
    # 0101 and 2001 keep their November rows, October is untouched, 0102 has the file's.
    assert in_use() == {**OCTOBER, **NOVEMBER, **CORRECTED_0102}
    # All of 0102's rows are the file's: the men -29 row is gone.
    assert stored_rows_of_0102() == [("K", "30-49", 11, 1800.0), ("K", "50-", 2, 300.0)]
    # November's sums as the page said: 10 + 13 + 20, 1 650 + 2 100 + 3 300, 44 + 35 + 90.
    november = [v for k, v in in_use().items() if k[0] == "2026-11"]
    assert [sum(column) for column in zip(*november, strict=True)] == [43, 7050.0, 169.0]
    history = done.content.decode()
    assert 'Bara filens enheter<br><small class="text-body-secondary">0102</small>' in history

    undone = ctrl.post(reverse("kpis:batch_undo", args=[batch.id]), follow=True)

    assert messages_of(undone) == [
        f"Import {batch.id} (rattelse-sjuk.csv, bara filens enheter) är ångrad; dess enheter "
        "har sina tidigare värden för dess månader."
    ]
    assert in_use() == {**OCTOBER, **NOVEMBER}
    assert stored_rows_of_0102() == [("K", "30-49", 12, 1950.0), ("M", "-29", 3, 450.0)]


def test_whole_months_replaces_november_and_leaves_october(ctrl):
    pending = upload(ctrl, CORRECTION_0102)

    done = ctrl.post(confirm_url(pending), {"confirm": "1", "replaces": "months"}, follow=True)

    batch = ImportBatch.objects.latest("id")
    assert (batch.kind, batch.replaces) == ("sick_leave", "months")
    assert messages_of(done) == [
        f"Import {batch.id} sparad: 2 rader, 1 månad. Hela månaderna ersattes."
    ]
    # November is the file: 0101 and 2001 have no November rows; October stays.
    assert in_use() == {**OCTOBER, **CORRECTED_0102}

    ctrl.post(reverse("kpis:batch_undo", args=[batch.id]))

    assert in_use() == {**OCTOBER, **NOVEMBER}


def test_a_newer_whole_month_extract_replaces_the_correction_too(ctrl):
    """After the correction, payroll's full re-extract of November is November: the
    correction's 0102 rows are no longer in use, whatever unit they were."""
    sick_leave_import(data=CORRECTION_0102.encode(), file_name="r.csv", replaces="units")
    november_again = "\n".join(
        [HEADER] + [line for line in OCTOBER_NOVEMBER.splitlines() if line.startswith("2026-11")]
    )
    pending = upload(ctrl, november_again + "\n", name="nov.csv")

    page = ctrl.get(confirm_url(pending))
    # Complete (3 of 3 units, no sum falling by half): whole months chosen already.
    assert page.context["warning"] == []
    ctrl.post(confirm_url(pending), {"confirm": "1"})

    assert ImportBatch.objects.latest("id").replaces == "months"
    assert in_use() == {**OCTOBER, **NOVEMBER}

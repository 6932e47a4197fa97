"""The region's transition decision (kpis.placements.services.transition_record): the
consultants working up to 2026-04-30 were offered employment. Covered: a placement in use
that started on or before 2026-04-30 and had not ended before the 36-month window ending
on that day began. That window is 2026-04-30 - 36 months + 1 day = 2023-04-30 + 1 day =
2023-05-01 to 2026-04-30 (rules.window_start). Days before it never count toward day 721
again, so a consultant whose placements all ended by 2023-04-30 has no untraceable time
left that could pass the limit.

The organisation is the `registers` fixture (tests/conftest.py): 0101, 0102, 2001, 3001.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from kpis.placements import rules
from kpis.placements.models import PlacementAction
from kpis.placements.services import (
    TRANSITION_DATE,
    TRANSITION_WINDOW_START,
    placements_import,
    transition_record,
)
from tests.conftest import make_user

D = dt.date
HEADER = "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar"
PLACEMENTS = "\n".join(
    [
        HEADER,
        # Ended the day before the window: not working then, not covered.
        "T1;Tove Alm;Vårdkraft AB;Läkare;0101;2021-05-01;2023-04-30;",
        # Ended on the window's first day: that day still counts on 2026-04-30.
        "T2;Ulf Berg;Medpool AB;Sjuksköterska;0102;2022-01-01;2023-05-01;",
        # Ongoing since 2024: covered.
        "T3;Vera Dahl;Vårdkraft AB;Läkare;2001;2024-06-01;;",
        # Ended years before, no placement since: not covered.
        "T4;Web Ek;Läkarlinjen AB;Läkare;3001;2019-01-01;2020-12-31;",
        # An old placement long over and one ending on the decision's day: covered by the
        # second alone.
        "T5;Xena Fors;Medpool AB;Psykolog;0101;2018-01-01;2019-06-30;",
        "T5;Xena Fors;Medpool AB;Psykolog;3001;2026-02-01;2026-04-30;",
        # Starts the day after the decision: not covered (its time is all traceable).
        "T6;Yngve Hed;Vårdkraft AB;Läkare;0102;2026-05-01;2026-12-31;",
        # Started on the decision's day, booked ahead: covered.
        "T7;Zara Ik;Medpool AB;Sjuksköterska;2001;2026-04-30;2027-04-30;",
        "",
    ]
).encode()


def recorded() -> list[str]:
    return sorted(
        PlacementAction.objects.filter(kind="transition_offer").values_list(
            "consultant_id", flat=True
        )
    )


def test_the_window_start_is_the_rules_and_is_2023_05_01():
    decided = {"date": TRANSITION_DATE, "window_start": TRANSITION_WINDOW_START}
    assert decided == {"date": D(2026, 4, 30), "window_start": D(2023, 5, 1)}
    assert rules.window_start(TRANSITION_DATE) == TRANSITION_WINDOW_START


def test_it_records_the_consultants_working_up_to_the_decisions_day(registers):
    placements_import(data=PLACEMENTS, file_name="bemlo.csv")

    assert transition_record() == 4

    # T1 ended 2023-04-30 and T4 2020-12-31, before the window; T6 started 2026-05-01.
    assert recorded() == ["T2", "T3", "T5", "T7"]
    assert set(
        PlacementAction.objects.filter(kind="transition_offer").values_list("date", flat=True)
    ) == {D(2026, 4, 30)}


def test_the_days_before_the_window_cannot_reach_day_721_the_days_in_it_can(registers):
    """Why the line is there: on 2026-04-30 T1's placement has no day left in the window,
    T2's has one (2023-05-01), counted by the same rule as the list."""
    t1 = [(D(2021, 5, 1), D(2023, 4, 30))]
    t2 = [(D(2022, 1, 1), D(2023, 5, 1))]

    assert rules.qualifying_days(t1, TRANSITION_DATE) == 0
    assert rules.qualifying_days(t2, TRANSITION_DATE) == 1


def test_the_placement_in_use_decides_a_re_export_moving_t1s_end_covers_t1(registers):
    """Only placements in use count: T1 re-exported with its end moved to 2023-05-01 (the
    same key, so the newer export's row is the one in use) is covered."""
    placements_import(data=PLACEMENTS, file_name="bemlo.csv")
    corrected = PLACEMENTS.replace(b"0101;2021-05-01;2023-04-30", b"0101;2021-05-01;2023-05-01")
    placements_import(data=corrected, file_name="bemlo-2.csv")

    assert transition_record() == 5

    assert recorded() == ["T1", "T2", "T3", "T5", "T7"]


def test_a_second_record_adds_only_the_newly_covered(registers):
    placements_import(data=PLACEMENTS, file_name="bemlo.csv")
    transition_record()
    # T4 turns out to have worked at 3001 again from 2025.
    again = PLACEMENTS + "T4;Web Ek;Läkarlinjen AB;Läkare;3001;2025-01-01;2025-12-31;\n".encode()
    placements_import(data=again, file_name="bemlo-2.csv")

    assert transition_record() == 1

    assert recorded() == ["T2", "T3", "T4", "T5", "T7"]


@pytest.fixture
def bem(client, registers, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    placements_import(data=PLACEMENTS, file_name="bemlo.csv")
    client.force_login(make_user("bem", "bemanning"))
    return client


def test_the_list_says_whom_the_decision_covers_and_the_button_records_them(bem):
    page = bem.get(reverse("placements:list"))

    text = " ".join(page.content.decode().split())
    assert (
        "Registrera beslutet som en åtgärd för varje konsult med en placering som började "
        "senast den dagen och inte slutade före 2023-05-01, då 36-månadersperioden fram "
        "till 2026-04-30 börjar: äldre dagar räknas aldrig mer mot dag 721."
    ) in text
    bem.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = " ".join(bem.get(reverse("placements:list")).content.decode().split())
    assert (
        "a placement that started on or before that day and had not ended before 2023-05-01, "
        "when the 36-month period up to 2026-04-30 begins: older days never count toward "
        "day 721 again."
    ) in english
    del bem.cookies[settings.LANGUAGE_COOKIE_NAME]

    response = bem.post(reverse("placements:transition"), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Övergångsbeslutet är registrerat för 4 konsulter som inte hade det."
    ]
    assert recorded() == ["T2", "T3", "T5", "T7"]

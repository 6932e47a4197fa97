"""Importing the staffing system's placements (kpis.placements.services, the
import_placements command and the two-step upload under /bemanning/importera/).

A placement is known by consultant, unit and start date. A new export replaces the
placements it holds and adds new ones; placements it does not list stay; an identical
file changes nothing; undo gives the placements their earlier rows back.

The organisation is the `registers` fixture (tests/conftest.py): units 0101 and 0102
(Primärvård Skellefteå), 2001 and 2002 (Kirurgiskt centrum), 3001 (Tandvård Södra Lappland).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.tabular import ExtractError
from kpis.placements.models import PendingPlacementUpload, Placement, PlacementBatch
from kpis.placements.services import placements_import, placements_undo
from tests.conftest import make_user

D = dt.date
HEADER = "KonsultID;Konsult;Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum;Timmar"


def csv(*lines: str) -> bytes:
    return "\r\n".join([HEADER, *lines, ""]).encode("utf-8-sig")


FIRST = csv(
    "K1;Anna Alm;Vårdkraft AB;Läkare;0101;2025-01-01;2025-06-30;900",
    "K1;Anna Alm;Vårdkraft AB;Läkare;0102;2025-07-01;;",
    "K2;Bo Berg;Medpool AB;Sjuksköterska;2001;2025-03-01;2025-12-31;1 500,5",
)
# The next export: K1 at 0101 ends later and has more hours (replaced), K2 is as before
# (unchanged), K3 is new; K1's placement at 0102 is not in this file (it stays).
SECOND = csv(
    "K1;Anna Alm;Vårdkraft AB;Läkare;0101;2025-01-01;2025-08-31;1200",
    "K2;Bo Berg;Medpool AB;Sjuksköterska;2001;2025-03-01;2025-12-31;1500,50",
    "K3;Cilla Dahl;Medpool AB;Barnmorska;3001;2026-01-15;2026-04-15;500",
)
FIRST_IN_USE = {
    ("K1", "0101", D(2025, 1, 1)): (D(2025, 6, 30), Decimal("900.00")),
    ("K1", "0102", D(2025, 7, 1)): (None, None),
    ("K2", "2001", D(2025, 3, 1)): (D(2025, 12, 31), Decimal("1500.50")),
}
SECOND_IN_USE = {
    ("K1", "0101", D(2025, 1, 1)): (D(2025, 8, 31), Decimal("1200.00")),
    ("K1", "0102", D(2025, 7, 1)): (None, None),
    ("K2", "2001", D(2025, 3, 1)): (D(2025, 12, 31), Decimal("1500.50")),
    ("K3", "3001", D(2026, 1, 15)): (D(2026, 4, 15), Decimal("500.00")),
}


def in_use() -> dict:
    return {
        (p.consultant_id, p.unit.ansvar, p.start): (p.end, p.hours)
        for p in Placement.objects.filter(is_current=True).select_related("unit")
    }


# --- the service ------------------------------------------------------------------------


def test_a_first_export_stores_every_placement(registers):
    batch, check = placements_import(data=FIRST, file_name="bemlo-jan.csv")
    assert (batch.row_count, batch.added, batch.replaced) == (3, 3, 0)
    assert (check.added, check.replaced, check.unchanged) == (3, 0, 0)
    assert in_use() == FIRST_IN_USE
    stored = Placement.objects.get(consultant_id="K2")
    assert (stored.consultant_name, stored.agency, stored.profession) == (
        "Bo Berg",
        "Medpool AB",
        "Sjuksköterska",
    )


def test_a_new_export_replaces_what_it_holds_adds_the_new_and_keeps_the_rest(registers):
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    batch, check = placements_import(data=SECOND, file_name="bemlo-feb.csv")
    assert (check.added, check.replaced, check.unchanged) == (1, 1, 1)
    assert (batch.added, batch.replaced) == (1, 1)
    assert in_use() == SECOND_IN_USE
    # Every import keeps its rows; one row per key is in use.
    assert Placement.objects.count() == 6
    assert Placement.objects.filter(is_current=True).count() == 4


def test_an_identical_file_changes_nothing(registers):
    first, _check = placements_import(data=FIRST, file_name="bemlo-jan.csv")
    batch, check = placements_import(data=FIRST, file_name="igen.csv")
    assert batch is None
    assert check.changes_nothing
    assert check.identical_to == first
    assert PlacementBatch.objects.count() == 1
    assert in_use() == FIRST_IN_USE


def test_a_file_saved_again_with_the_same_placements_changes_nothing(registers):
    """Other bytes (another order, a decimal point, no BOM), the same placements."""
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    again = "\n".join(
        [
            HEADER,
            "K2;Bo Berg;Medpool AB;Sjuksköterska;2001;2025-03-01;2025-12-31;1500.5",
            "K1;Anna Alm;Vårdkraft AB;Läkare;0101;2025-01-01;2025-06-30;900,00",
        ]
    ).encode()
    batch, check = placements_import(data=again, file_name="sparad-igen.csv")
    assert batch is None
    assert (check.added, check.replaced, check.unchanged) == (0, 0, 2)
    assert check.identical_to is None  # not the same file, but nothing to change
    assert PlacementBatch.objects.count() == 1


def test_undo_gives_the_placements_their_earlier_rows_back(registers):
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    second, _check = placements_import(data=SECOND, file_name="bemlo-feb.csv")
    placements_undo(batch_id=second.id)
    assert in_use() == FIRST_IN_USE  # K1 at 0101 ends 2025-06-30 again, K3 is gone
    second.refresh_from_db()
    assert second.is_undone
    with pytest.raises(ServiceError, match="^Importen är redan ångrad.$"):
        placements_undo(batch_id=second.id)


def test_undoing_the_older_import_keeps_what_the_newer_replaced(registers):
    first, _check = placements_import(data=FIRST, file_name="bemlo-jan.csv")
    placements_import(data=SECOND, file_name="bemlo-feb.csv")
    placements_undo(batch_id=first.id)
    # K1 at 0102 came only with the first import; the rest is the second's.
    assert in_use() == {key: value for key, value in SECOND_IN_USE.items() if key[1] != "0102"}


def test_after_an_undo_the_same_file_may_be_imported_again(registers):
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    second, _check = placements_import(data=SECOND, file_name="bemlo-feb.csv")
    placements_undo(batch_id=second.id)
    again, check = placements_import(data=SECOND, file_name="bemlo-feb.csv")
    assert again is not None
    assert (check.added, check.replaced, check.unchanged) == (1, 1, 1)
    assert in_use() == SECOND_IN_USE


def test_undoing_an_unknown_import_says_so(registers):
    with pytest.raises(ServiceError, match="^Importen finns inte.$"):
        placements_undo(batch_id=4711)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "K9;Ida Ek;Medpool AB;Läkare;0101;2025-05-01;2025-04-30;10",
            "Rad 3, kolumn Slutdatum: ”2025-04-30” är före startdatumet ”2025-05-01”.",
        ),
        (
            "K9;Ida Ek;Medpool AB;Läkare;9999;2025-05-01;2025-05-30;10",
            "Rad 3, kolumn Ansvar: ”9999” är ett okänt ansvar (finns inte i "
            "organisationsregistret).",
        ),
        (
            ";Ida Ek;Medpool AB;Läkare;0101;2025-05-01;2025-05-30;10",
            "Rad 3, kolumn KonsultID: värde saknas.",
        ),
        (
            "K1;Anna Alm;Vårdkraft AB;Läkare;0101;2025-01-01;2025-07-31;950",
            "Rad 3, kolumn Startdatum: samma konsult, ansvar och startdatum som rad 2.",
        ),
    ],
)
def test_a_bad_row_is_refused_with_row_and_column_and_nothing_is_stored(registers, line, problem):
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    data = csv("K1;Anna Alm;Vårdkraft AB;Läkare;0101;2025-01-01;2025-06-30;900", line)
    with pytest.raises(ExtractError) as info:
        placements_import(data=data, file_name="fel.csv")
    assert info.value.lines() == [problem]
    assert PlacementBatch.objects.count() == 1
    assert in_use() == FIRST_IN_USE


# --- the command ------------------------------------------------------------------------


def test_the_command_prints_the_import_number(registers, tmp_path):
    make_user("bem", "bemanning")
    path = tmp_path / "placeringar.csv"
    path.write_bytes(FIRST)
    out = io.StringIO()
    call_command("import_placements", str(path), user="bem", stdout=out)
    batch = PlacementBatch.objects.get()
    assert out.getvalue().startswith(
        f"Import {batch.id}: 3 rader, 3 nya placeringar, 0 ändrade, 0 oförändrade ("
    )
    assert out.getvalue().splitlines()[1] == (
        f"Ångra importen med: python manage.py undo_import {batch.id} --placements"
    )
    assert batch.created_by.username == "bem"

    out = io.StringIO()
    call_command("import_placements", str(path), stdout=out)
    assert f"Filen är identisk med import {batch.id} (placeringar.csv, " in out.getvalue()
    assert out.getvalue().endswith("; inget har ändrats.\n")


def test_undo_import_undoes_a_placements_import_by_its_number(registers, tmp_path):
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    second, _check = placements_import(data=SECOND, file_name="bemlo-feb.csv")
    out = io.StringIO()

    call_command("undo_import", str(second.id), "--placements", stdout=out)

    assert out.getvalue() == (
        f"Import {second.id} (bemlo-feb.csv) är ångrad; placeringarna den höll har sina "
        "tidigare uppgifter.\n"
    )
    assert in_use() == FIRST_IN_USE
    with pytest.raises(CommandError, match=rf"^Import {second.id}: Importen är redan ångrad\.$"):
        call_command("undo_import", str(second.id), "--placements", stdout=io.StringIO())


def test_the_command_refuses_a_bad_file_listing_every_problem(registers, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_bytes(csv(";Ida Ek;Medpool AB;Läkare;9999;2025-05-01;2025-04-30;10"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="^Filen importerades inte: 3 fel. Inget har sparats.$"):
        call_command("import_placements", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "Rad 2, kolumn KonsultID: värde saknas.",
        "Rad 2, kolumn Ansvar: ”9999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 2, kolumn Slutdatum: ”2025-04-30” är före startdatumet ”2025-05-01”.",
    ]
    assert not PlacementBatch.objects.exists()


# --- the upload pages -------------------------------------------------------------------


@pytest.fixture
def bem(client, registers, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(make_user("bem", "bemanning"))
    return client


def upload(client, data: bytes, name: str = "bemlo.csv"):
    return client.post(
        reverse("placements:upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def outcomes():
    """What became of each pending upload: (outcome, import number); none keeps its file."""
    assert not any(bytes(p.data) for p in PendingPlacementUpload.objects.filter(outcome__gt=""))
    return [(p.outcome, p.batch_id) for p in PendingPlacementUpload.objects.all()]


def test_the_upload_checks_shows_what_changes_and_stores_on_confirmation(bem):
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    response = upload(bem, SECOND, "bemlo-feb.csv")
    assert response.status_code == 302
    pending = PendingPlacementUpload.objects.get()
    assert response["Location"] == reverse("placements:upload_confirm", args=[pending.id])
    assert PlacementBatch.objects.count() == 1  # nothing stored before the confirmation

    page = bem.get(response["Location"]).content.decode()
    assert "<strong>bemlo-feb.csv</strong> är kontrollerad: 3 placeringar för 3 konsulter." in page
    assert '<th scope="row">Nya placeringar</th><td class="num">1</td>' in page
    assert (
        '<th scope="row">Ändrade placeringar (ersätter de sparade)</th><td class="num">1</td>'
        in page
    )
    assert '<th scope="row">Oförändrade placeringar</th><td class="num">1</td>' in page

    response = bem.post(response["Location"], {"confirm": "1"}, follow=True)
    batch = PlacementBatch.objects.latest("id")
    assert response.redirect_chain == [(reverse("placements:batches"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"Import {batch.id} sparad: 3 rader, 1 nya placeringar, 1 ändrade."
    ]
    assert in_use() == SECOND_IN_USE
    # Its file forgotten, its record kept: going back says what became of it.
    assert outcomes() == [("stored", batch.id)]


def test_back_after_confirming_says_the_import_is_saved_and_never_stores_it_twice(bem):
    response = upload(bem, FIRST, "bemlo-jan.csv")
    confirm_url = response["Location"]
    bem.post(confirm_url, {"confirm": "1"})
    batch = PlacementBatch.objects.get()

    again = bem.get(confirm_url)
    twice = bem.post(confirm_url, {"confirm": "1"})

    for page in (again, twice):
        content = page.content.decode()
        assert page.status_code == 200
        assert '<h1 class="h3">Importen är redan sparad</h1>' in content
        assert f"Filen <strong>bemlo-jan.csv</strong> är sparad som import {batch.id}." in content
        assert f'href="{reverse("placements:batches")}"' in content
    assert PlacementBatch.objects.count() == 1


def test_an_upload_can_be_cancelled(bem):
    response = upload(bem, FIRST)
    confirm_url = response["Location"]
    response = bem.post(confirm_url, {"cancel": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Importen avbröts; inget har sparats."
    ]
    assert not PlacementBatch.objects.exists()
    assert outcomes() == [("cancelled", None)]
    # Going back to the confirmation page says so; confirming there stores nothing.
    back = bem.post(confirm_url, {"confirm": "1"})
    assert '<h1 class="h3">Uppladdningen är avbruten</h1>' in back.content.decode()
    assert not PlacementBatch.objects.exists()


def test_an_unknown_upload_gets_a_swedish_page_not_a_technical_404(bem, settings):
    settings.DEBUG = True  # where Django would show its technical 404 page

    page = bem.get(reverse("placements:upload_confirm", args=[999]))

    assert page.status_code == 404
    assert '<h1 class="h3">Uppladdningen finns inte</h1>' in page.content.decode()


def test_a_bad_upload_lists_its_problems_and_stores_nothing(bem):
    response = upload(bem, csv("K9;Ida Ek;Medpool AB;Läkare;9999;2025-05-01;2025-06-30;10"))
    assert response.status_code == 400
    assert (
        "<li>Rad 2, kolumn Ansvar: ”9999” är ett okänt ansvar (finns inte i "
        "organisationsregistret).</li>" in response.content.decode()
    )
    assert not PendingPlacementUpload.objects.exists()


def test_an_upload_of_a_file_in_use_says_so_and_keeps_nothing(bem):
    batch, _check = placements_import(data=FIRST, file_name="bemlo-jan.csv")
    response = upload(bem, FIRST)
    assert response.status_code == 302
    messages = [str(m) for m in bem.get(response["Location"]).context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith(f"Filen är identisk med import {batch.id} (bemlo-jan.csv, ")
    assert messages[0].endswith(") och används redan; inget har ändrats.")
    assert not PendingPlacementUpload.objects.exists()


def test_the_history_lists_the_imports_and_undoes_one(bem):
    placements_import(data=FIRST, file_name="bemlo-jan.csv")
    second, _check = placements_import(data=SECOND, file_name="bemlo-feb.csv")
    page = bem.get(reverse("placements:batches")).content.decode()
    assert "bemlo-jan.csv" in page and "bemlo-feb.csv" in page
    response = bem.post(reverse("placements:batch_undo", args=[second.id]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"Import {second.id} (bemlo-feb.csv) är ångrad; placeringarna den höll har sina "
        "tidigare uppgifter."
    ]
    assert in_use() == FIRST_IN_USE

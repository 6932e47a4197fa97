"""The national comparison's upload in two steps, as every upload: the file is checked and
shown (each quarter's shares, new beside stored) before anything is written, and stored
only when the controller confirms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis.models import NationalShare, PendingUpload
from kpis.national.services import national_import

NBSP = "\u00a0"

STORED = """Period;Region;Andel
2024-Q3;Riket;3,0
2024-Q3;Region Gotland;5,5
"""

NEW = """Period;Region;Andel
2024-Q3;Riket;3,1
2024-Q3;Region Norrbotten;12,4
2024 K4;Riket;2,8
"""


@pytest.fixture
def ctrl(client, controller_user):
    client.force_login(controller_user)
    return client


def upload(client, text: str, name: str = "skr.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("kpis:national_upload"), {"file": file})


def shares() -> dict[tuple[str, str], float]:
    return {
        (share.quarter, share.region): float(share.share_pct)
        for share in NationalShare.objects.all()
    }


def test_the_check_shows_each_quarters_shares_new_beside_stored_and_writes_nothing(ctrl):
    national_import(data=STORED.encode())

    response = upload(ctrl, NEW)

    assert response.status_code == 302
    pending = PendingUpload.objects.get()
    assert response["Location"] == reverse("kpis:national_upload_confirm", args=[pending.id])
    assert pending.kind == PendingUpload.NATIONAL
    assert shares() == {("2024-Q3", "Riket"): 3.0, ("2024-Q3", "Region Gotland"): 5.5}
    page = ctrl.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Filen <strong>skr.csv</strong> är kontrollerad: 3 rader sparas." in html
    # Latest quarter first; in a quarter the highest new share first, a stored region
    # the file lacks last (it goes).
    assert [(row["quarter"], row["region"]) for row in page.context["summary"]] == [
        ("2024-Q4", "Riket"),
        ("2024-Q3", "Region Norrbotten"),
        ("2024-Q3", "Riket"),
        ("2024-Q3", "Region Gotland"),
    ]
    assert "Andel hyrpersonal 2024-Q3" in html
    assert f'<td>Riket</td><td class="num">3,1{NBSP}%</td><td class="num">3,0{NBSP}%</td>' in (html)
    assert f'<td>Region Gotland</td><td class="num">–</td><td class="num">5,5{NBSP}%</td>' in html
    assert shares() == {("2024-Q3", "Riket"): 3.0, ("2024-Q3", "Region Gotland"): 5.5}


def test_confirming_stores_the_quarters_in_the_file(ctrl):
    national_import(data=STORED.encode())
    confirm_url = upload(ctrl, NEW)["Location"]

    response = ctrl.post(confirm_url, {"confirm": "1"}, follow=True)

    assert response.redirect_chain == [(reverse("kpis:national_upload"), 302)]
    assert "Nationell jämförelse sparad för 2024-Q3, 2024-Q4." in response.content.decode()
    assert shares() == {
        ("2024-Q3", "Riket"): 3.1,
        ("2024-Q3", "Region Norrbotten"): 12.4,
        ("2024-Q4", "Riket"): 2.8,
    }
    pending = PendingUpload.objects.get()
    assert (pending.outcome, bytes(pending.data)) == ("stored", b"")
    # Confirmed twice, stored once: the page says it is saved already.
    again = ctrl.post(confirm_url, {"confirm": "1"})
    assert again.status_code == 200
    assert "Filen <strong>skr.csv</strong> är sparad. Den sparas inte en gång till." in (
        again.content.decode()
    )


def test_a_bad_file_is_refused_with_its_rows_and_columns_and_nothing_is_kept(ctrl):
    response = upload(ctrl, "Period;Region;Andel\n2024-Q3;Riket;3,1\n2024-Q5;Norrbotten;abc\n")

    assert response.status_code == 400
    assert list(response.context["problems"]) == [
        "Rad 3, kolumn Period: ”2024-Q5” är inget kvartal (skriv till exempel 2024-Q3 eller "
        "2024 K3).",
        "Rad 3, kolumn Andel: ”abc” är ingen andel i procent (0–100).",
    ]
    assert "Filen importerades inte. Inget har sparats." in response.content.decode()
    assert not PendingUpload.objects.exists()
    assert not NationalShare.objects.exists()


def test_cancelling_stores_nothing(ctrl):
    confirm_url = upload(ctrl, NEW)["Location"]

    response = ctrl.post(confirm_url, {"cancel": "1"}, follow=True)

    assert response.redirect_chain == [(reverse("kpis:national_upload"), 302)]
    assert "Importen avbröts; inget har sparats." in response.content.decode()
    assert not NationalShare.objects.exists()


def test_the_extracts_confirmation_page_does_not_take_a_national_table(ctrl):
    pending_id = int(upload(ctrl, NEW)["Location"].split("/")[-3])

    response = ctrl.post(reverse("kpis:upload_confirm", args=[pending_id]), {"confirm": "1"})

    assert response.status_code == 404
    assert not NationalShare.objects.exists()

"""The controllers' upload (check, then confirm), import history and undo, through the client."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kpis import urls as kpis_urls
from kpis.costs.services import costs_import
from kpis.models import (
    BatchMonth,
    ClosedThrough,
    ImportBatch,
    LedgerRow,
    MonthlyCost,
    PendingUpload,
)
from kpis.sick_leave.services import sick_leave_import
from tests.conftest import make_user

NBSP = "\u00a0"
MINUS = "\u2212"

# Checked by hand: see MARCH_APRIL_SUMS.
MARCH_APRIL = """Period;Ansvar;Konto;Belopp;Timmar
2024-03;0101;4601;100 000,00;120
2024-03;0101;4602;25 000,50;30,5
2024-03;0101;4611;-5 000;
2024-03;2001;5111;1 000 000;
2024-03;2001;5411;314 200;
2024-03;0101;9999;123,45;
2024-03;0102;8888;500;
2024-04;0101;4601;80 000;100
2024-04;0101;4601;-10 000;
2024-04;2001;5111;1 050 000;
2024-04;2002;9999;-23,45;
"""
MARCH_APRIL_SUMS = {
    ("2024-03", "0101", "hyr_lakare"): (Decimal("125000.50"), Decimal("150.50")),
    ("2024-03", "0101", "hyr_ssk_bm"): (Decimal("-5000.00"), None),
    ("2024-03", "2001", "egen_lon"): (Decimal("1000000.00"), None),
    ("2024-03", "2001", "egen_po"): (Decimal("314200.00"), None),
    ("2024-04", "0101", "hyr_lakare"): (Decimal("70000.00"), Decimal("100.00")),
    ("2024-04", "2001", "egen_lon"): (Decimal("1050000.00"), None),
}


def sums(kind="actuals"):
    return {
        (f"{m.period:%Y-%m}", m.unit.ansvar, m.category): (m.amount, m.hours)
        for m in MonthlyCost.objects.filter(kind=kind).select_related("unit")
    }


def nothing_stored():
    return not (
        ImportBatch.objects.exists()
        or BatchMonth.objects.exists()
        or LedgerRow.objects.exists()
        or MonthlyCost.objects.exists()
    )


def upload(client, data, *, name="utfall.csv", kind="actuals", **kwargs):
    if isinstance(data, str):
        data = data.encode()
    return client.post(
        reverse("kpis:upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
        **kwargs,
    )


def outcomes():
    """What became of each pending upload: (outcome, import number); none keeps its file."""
    assert not any(bytes(p.data) for p in PendingUpload.objects.filter(outcome__gt=""))
    return [(p.outcome, p.batch_id) for p in PendingUpload.objects.all()]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def confirm_url(pending):
    return reverse("kpis:upload_confirm", kwargs={"pending_id": pending.id})


def waiting(client=None):
    """The one pending upload waiting for its confirmation (of the client's user)."""
    pending = PendingUpload.objects.filter(outcome="")
    if client is not None:
        pending = pending.filter(created_by=client.session["_auth_user_id"])
    return pending.get()


def upload_and_confirm(client, data, *, name="utfall.csv", kind="actuals", replaces=None):
    """Both steps, following the redirects so their messages are shown (and consumed);
    `replaces` is the choice of what the file replaces (the page's default: none)."""
    upload(client, data, name=name, kind=kind)
    chosen = {"replaces": replaces} if replaces else {}
    response = client.post(confirm_url(waiting(client)), {"confirm": "1", **chosen}, follow=True)
    assert response.status_code == 200
    return ImportBatch.objects.latest("id")


@pytest.fixture
def ctrl(client, controller_user, registers):
    client.force_login(controller_user)
    return client


# --- who may do what ------------------------------------------------------------------


def kpis_urls_with_arguments():
    """Every URL of the kpis app, with placeholder arguments."""
    values = {"int": 1, "slug": "x", "str": "x", "path": "x"}
    for pattern in kpis_urls.urlpatterns:
        kwargs = {
            name: values[type(converter).__name__.removesuffix("Converter").lower()]
            for name, converter in pattern.pattern.converters.items()
        }
        yield reverse(f"kpis:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("url", list(kpis_urls_with_arguments()))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_the_login_page(client, db, url, method):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_login_check_covers_the_upload_and_undo_urls():
    urls = list(kpis_urls_with_arguments())

    assert reverse("kpis:upload") in urls
    assert reverse("kpis:batch_undo", kwargs={"batch_id": 1}) in urls


@pytest.mark.parametrize("role", ["styrgrupp_user", "hr_user"])
def test_only_controllers_may_upload_confirm_list_or_undo_ledger_extracts(
    client, registers, role, request
):
    controller = make_user("ctrl2", "controller")
    batch, _check = costs_import(data=MARCH_APRIL.encode(), file_name="x.csv", kind="actuals")
    pending = PendingUpload.objects.create(
        kind="actuals", file_name="p.csv", data=b"x", checksum="0", created_by=controller
    )
    client.force_login(request.getfixturevalue(role))
    confirm = confirm_url(pending)
    undo = reverse("kpis:batch_undo", kwargs={"batch_id": batch.id})
    # hr may import sick leave: the pages open, but no ledger extract gets through.
    hr = role == "hr_user"

    assert client.get(reverse("kpis:upload")).status_code == (200 if hr else 403)
    assert upload(client, MARCH_APRIL).status_code == (400 if hr else 403)
    assert client.get(confirm).status_code == (404 if hr else 403)  # not theirs
    assert client.post(confirm, {"confirm": "1"}).status_code == (404 if hr else 403)
    assert client.post(confirm, {"cancel": "1"}).status_code == (404 if hr else 403)
    assert client.get(reverse("kpis:batches")).status_code == (200 if hr else 403)
    assert client.post(undo).status_code == 403

    batch.refresh_from_db()
    assert batch.undone_at is None
    assert ImportBatch.objects.count() == 1
    assert PendingUpload.objects.filter(pk=pending.pk).exists()


def test_a_superuser_may_upload(client, superuser, registers):
    client.force_login(superuser)

    assert client.get(reverse("kpis:upload")).status_code == 200


# --- the two-step upload --------------------------------------------------------------


def test_the_upload_page_shows_the_form(ctrl):
    response = ctrl.get(reverse("kpis:upload"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert "Kontrollera filen" in content


def test_it_uploads_checks_confirms_and_stores_the_monthly_sums(ctrl, controller_user):
    response = upload(ctrl, MARCH_APRIL)

    pending = PendingUpload.objects.get()
    confirm = confirm_url(pending)
    assert response.status_code == 302
    assert response["Location"] == confirm
    assert nothing_stored()  # checked, not yet stored
    assert (pending.file_name, pending.kind, pending.row_count) == ("utfall.csv", "actuals", 8)

    page = ctrl.get(confirm)

    assert page.status_code == 200
    rows = [
        (r["period"], r["label"], r["new"], r["stored"], r["difference"])
        for r in page.context["summary"]
    ]
    assert rows == [
        ("2024-03", "Hyrpersonal läkare", 125000.5, 0.0, 125000.5),
        ("2024-03", "Hyrpersonal sjuksköterskor/barnmorskor", -5000.0, 0.0, -5000.0),
        ("2024-03", "Egen personal: löner", 1000000.0, 0.0, 1000000.0),
        ("2024-03", "Egen personal: personalomkostnader", 314200.0, 0.0, 314200.0),
        ("2024-04", "Hyrpersonal läkare", 70000.0, 0.0, 70000.0),
        ("2024-04", "Egen personal: löner", 1050000.0, 0.0, 1050000.0),
    ]
    content = page.content.decode()
    for shown in [
        f"125{NBSP}000,50",
        f"{MINUS}5{NBSP}000,00",
        f"1{NBSP}000{NBSP}000,00",
        f"314{NBSP}200,00",
        f"70{NBSP}000,00",
        f"1{NBSP}050{NBSP}000,00",
        "Egen personal: personalomkostnader",
    ]:
        assert shown in content
    # The skipped accounts, with row count and sum (9999: 123,45 - 23,45).
    assert page.context["pending"].skipped == [
        {"konto": "8888", "rows": 1, "amount": 500.0},
        {"konto": "9999", "rows": 2, "amount": 100.0},
    ]
    assert '<td>8888</td><td class="num">1</td><td class="num">500,00</td>' in content
    assert '<td>9999</td><td class="num">2</td><td class="num">100,00</td>' in content

    done = ctrl.post(confirm, {"confirm": "1"}, follow=True)

    batch = ImportBatch.objects.get()
    assert done.redirect_chain == [(reverse("kpis:batches"), 302)]
    assert messages_of(done) == [
        f"Import {batch.id} sparad: 8 rader, 2 månader. Hela månaderna ersattes."
    ]
    assert (batch.file_name, batch.kind, batch.created_by) == (
        "utfall.csv",
        "actuals",
        controller_user,
    )
    assert batch.row_count == 8
    assert sums() == MARCH_APRIL_SUMS
    assert outcomes() == [("stored", batch.id)]  # its file forgotten, its record kept


def test_the_confirm_page_shows_the_difference_against_stored_data(ctrl):
    upload_and_confirm(ctrl, MARCH_APRIL)
    april = "Period;Ansvar;Konto;Belopp\n2024-04;0101;4601;75 000\n2024-04;0102;4611;2 500\n"

    upload(ctrl, april, name="april.csv")
    pending = waiting()
    page = ctrl.get(confirm_url(pending))

    rows = [
        (r["period"], r["category"], r["new"], r["stored"], r["difference"])
        for r in page.context["summary"]
    ]
    assert rows == [
        ("2024-04", "hyr_lakare", 75000.0, 70000.0, 5000.0),
        ("2024-04", "hyr_ssk_bm", 2500.0, 0.0, 2500.0),
        # egen_lon is not in the new extract: April's 1 050 000 goes away.
        ("2024-04", "egen_lon", 0.0, 1050000.0, -1050000.0),
    ]
    assert f"{MINUS}1{NBSP}050{NBSP}000,00" in page.content.decode()
    # egen_lon falls from 1 050 000 to 0: the file is partial, the page needs a choice.
    assert page.context["partial"]

    ctrl.post(confirm_url(pending), {"confirm": "1", "replaces": "months"})

    expected = {k: v for k, v in MARCH_APRIL_SUMS.items() if k[0] == "2024-03"}
    expected[("2024-04", "0101", "hyr_lakare")] = (Decimal("75000.00"), None)
    expected[("2024-04", "0102", "hyr_ssk_bm")] = (Decimal("2500.00"), None)
    assert sums() == expected


def test_it_uploads_an_excel_workbook(ctrl):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Period", "Ansvar", "Konto", "Belopp", "Timmar"])
    sheet.append([dt.datetime(2024, 3, 1), "0101", 4601, 1000.5, 8])
    sheet.append([dt.datetime(2024, 3, 1), "0101", 4601, 499.5, None])
    sheet.append([dt.datetime(2024, 3, 1), "0102", 5111, 30000, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    upload_and_confirm(ctrl, buffer.getvalue(), name="utfall.xlsx")

    assert sums() == {
        ("2024-03", "0101", "hyr_lakare"): (Decimal("1500.00"), Decimal("8.00")),
        ("2024-03", "0102", "egen_lon"): (Decimal("30000.00"), None),
    }
    assert ImportBatch.objects.get().file_name == "utfall.xlsx"


def test_it_uploads_a_budget(ctrl):
    upload_and_confirm(ctrl, MARCH_APRIL, name="budget.csv", kind="budget")

    assert ImportBatch.objects.get().kind == "budget"
    assert sums("budget") == MARCH_APRIL_SUMS
    assert sums("actuals") == {}


def test_cancel_deletes_the_pending_upload(ctrl):
    upload(ctrl, MARCH_APRIL)
    pending = PendingUpload.objects.get()

    response = ctrl.post(
        confirm_url(pending),
        {"cancel": "1"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("kpis:upload"), 302)]
    assert messages_of(response) == ["Importen avbröts; inget har sparats."]
    assert outcomes() == [("cancelled", None)]
    assert nothing_stored()


def test_a_file_the_registers_no_longer_accept_is_refused_at_confirmation(ctrl):
    from kpis.models import Unit

    upload(ctrl, MARCH_APRIL)
    pending = PendingUpload.objects.get()
    # Between the check and the confirmation the register loses a unit the file uses.
    Unit.objects.filter(ansvar="2001").delete()

    response = ctrl.post(confirm_url(pending), {"confirm": "1"})

    assert response.status_code == 400
    assert all("”2001” är ett okänt ansvar" in line for line in response.context["problems"])
    assert len(response.context["problems"]) == 3  # its rows 5, 6 and 11
    assert response.context["form"].initial == {"kind": "actuals"}
    assert "Filen importerades inte. Inget har sparats." in response.content.decode()
    assert outcomes() == [("refused", None)]
    assert nothing_stored()


def test_a_bad_file_shows_the_problems_and_stores_nothing(ctrl):
    text = (
        "Period;Ansvar;Konto;Belopp\n"
        "2024-13;0101;4601;12,3x\n"
        "2024-03;0999;4601;10\n"
        "2024-03;0101;4601;\n"
    )

    response = upload(ctrl, text)

    assert response.status_code == 400
    assert response.context["problems"] == [
        "Rad 2, kolumn Period: ”2024-13” är ingen giltig månad "
        "(skriv ÅÅÅÅ-MM, ÅÅÅÅMM eller ÅÅÅÅ-MM-DD).",
        "Rad 2, kolumn Belopp: ”12,3x” är inget tal.",
        "Rad 3, kolumn Ansvar: ”0999” är ett okänt ansvar (finns inte i organisationsregistret).",
        "Rad 4, kolumn Belopp: värde saknas.",
    ]
    content = response.content.decode()
    assert "Filen importerades inte. Inget har sparats." in content
    assert "<li>Rad 2, kolumn Belopp: ”12,3x” är inget tal.</li>" in content
    assert "<li>Rad 4, kolumn Belopp: värde saknas.</li>" in content
    assert not PendingUpload.objects.exists()
    assert nothing_stored()


def test_a_file_with_a_missing_column_names_it_on_the_page(ctrl):
    response = upload(ctrl, "Period;Ansvar;Konto\n2024-03;0101;4601\n")

    assert response.status_code == 400
    assert response.context["problems"] == [
        "Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).",
        "Filens kolumner är: ”Period”, ”Ansvar”, ”Konto”.",
    ]
    assert (
        "<li>Kolumnen ”Belopp” saknas (eller kolumnerna ”Debet” och ”Kredit”).</li>"
        in response.content.decode()
    )


def test_an_old_excel_file_is_refused_on_the_page(ctrl):
    response = upload(ctrl, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), name="utfall.xls")

    assert response.status_code == 400
    assert response.context["problems"] == [
        "Filen är en äldre Excel-fil (.xls), som inte stöds. "
        "Spara den som Excel-arbetsbok (.xlsx) eller CSV och försök igen."
    ]
    assert nothing_stored()


def test_an_identical_file_is_recognised_and_changes_nothing(ctrl):
    batch = upload_and_confirm(ctrl, MARCH_APRIL)

    response = upload(ctrl, MARCH_APRIL, name="samma-igen.csv", follow=True)

    when = timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M")
    assert response.redirect_chain == [(reverse("kpis:upload"), 302)]
    assert messages_of(response) == [
        f"Filen är identisk med import {batch.id} (utfall.csv, {when}) "
        "och används redan; inget har ändrats."
    ]
    assert ImportBatch.objects.count() == 1
    assert outcomes() == [("stored", batch.id)]  # the first upload; none for the second
    assert sums() == MARCH_APRIL_SUMS


def test_confirming_a_file_imported_meanwhile_changes_nothing(ctrl):
    upload(ctrl, MARCH_APRIL)
    first = PendingUpload.objects.get()
    upload(ctrl, MARCH_APRIL)
    second = PendingUpload.objects.exclude(pk=first.pk).get()
    ctrl.post(confirm_url(first), {"confirm": "1"}, follow=True)

    response = ctrl.post(
        reverse("kpis:upload_confirm", kwargs={"pending_id": second.id}),
        {"confirm": "1"},
        follow=True,
    )

    assert messages_of(response) == ["Filen är identisk med en import som redan används."]
    assert ImportBatch.objects.count() == 1
    assert sorted(outcomes()) == [("identical", None), ("stored", ImportBatch.objects.get().id)]


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused(ctrl):
    header = b"Period;Ansvar;Konto;Belopp\n"
    row = b"2024-03;0101;4601;1\n"
    size = 3 * 512 * 1024  # 1,5 MB
    data = header + row * ((size - len(header)) // len(row))
    data += b" " * (size - len(data))

    response = upload(ctrl, data)

    assert response.status_code == 400  # the form again, with the error
    assert response.context["form"].errors == {
        "file": ["Filen är för stor (1,5 MB); högst 1 MB tas emot."]
    }
    assert "Filen är för stor (1,5 MB); högst 1 MB tas emot." in response.content.decode()
    assert not PendingUpload.objects.exists()
    assert nothing_stored()


def test_a_controller_cannot_confirm_another_controllers_upload(ctrl, client):
    upload(ctrl, MARCH_APRIL)
    pending = PendingUpload.objects.get()
    confirm = confirm_url(pending)
    client.force_login(make_user("ctrl2", "controller"))

    assert client.get(confirm).status_code == 404
    assert client.post(confirm, {"confirm": "1"}).status_code == 404
    assert client.post(confirm, {"cancel": "1"}).status_code == 404
    assert PendingUpload.objects.filter(pk=pending.pk).exists()
    assert nothing_stored()


def test_an_unknown_pending_upload_is_not_found(ctrl):
    response = ctrl.get(reverse("kpis:upload_confirm", kwargs={"pending_id": 999}))

    assert response.status_code == 404


# --- history and undo -----------------------------------------------------------------


def test_the_batches_page_lists_imports(ctrl, controller_user):
    controller_user.first_name, controller_user.last_name = "Karin", "Controller"
    controller_user.save()
    first, _ = costs_import(
        data=MARCH_APRIL.encode(), file_name="utfall-mars-april.csv", kind="actuals",
        user=controller_user,
    )  # fmt: skip
    second, _ = costs_import(
        data=b"Period;Ansvar;Konto;Belopp\n2024-05;0101;4601;1\n",
        file_name="budget-maj.csv",
        kind="budget",
        user=make_user("ctrl2", "controller"),
    )

    response = ctrl.get(reverse("kpis:batches"))

    assert response.status_code == 200
    assert list(response.context["page"]) == [second, first]
    content = response.content.decode()
    assert "utfall-mars-april.csv" in content
    assert "budget-maj.csv" in content
    assert "2024-03 – 2024-04 (2)" in content
    assert "2024-05 (1)" in content
    assert "Karin Controller" in content
    assert f"Ångra import {first.id}" in content
    assert f"Ångra import {second.id}" in content


def test_the_batches_page_lists_imports_made_without_a_user(ctrl):
    costs_import(data=MARCH_APRIL.encode(), file_name="kommandorad.csv", kind="actuals")

    response = ctrl.get(reverse("kpis:batches"))

    assert response.status_code == 200
    assert "kommandorad.csv" in response.content.decode()


def test_undo_by_post_restores_the_previous_data(ctrl, controller_user):
    first = upload_and_confirm(ctrl, MARCH_APRIL)
    second = upload_and_confirm(
        ctrl,
        "Period;Ansvar;Konto;Belopp\n2024-04;0101;4601;1\n",
        name="april.csv",
        replaces="months",
    )
    assert sums() != MARCH_APRIL_SUMS

    response = ctrl.post(reverse("kpis:batch_undo", kwargs={"batch_id": second.id}), follow=True)

    assert response.redirect_chain == [(reverse("kpis:batches"), 302)]
    assert messages_of(response) == [
        f"Import {second.id} (april.csv) är ångrad; månaderna har sina tidigare värden."
    ]
    assert sums() == MARCH_APRIL_SUMS
    second.refresh_from_db()
    assert second.undone_by == controller_user
    content = response.content.decode()
    assert "Ångrad" in content
    assert f"Ångra import {second.id}" not in content
    assert f"Ångra import {first.id}" in content


def test_undo_twice_says_it_is_already_undone(ctrl):
    batch = upload_and_confirm(ctrl, MARCH_APRIL)
    url = reverse("kpis:batch_undo", kwargs={"batch_id": batch.id})
    ctrl.post(url, follow=True)

    response = ctrl.post(url, follow=True)

    assert messages_of(response) == ["Importen är redan ångrad."]
    assert sums() == {}


def test_undo_of_an_unknown_batch_says_so(ctrl):
    response = ctrl.post(reverse("kpis:batch_undo", kwargs={"batch_id": 999}), follow=True)

    assert messages_of(response) == ["Importen finns inte."]


def test_undo_by_get_is_not_allowed(ctrl):
    batch, _ = costs_import(data=MARCH_APRIL.encode(), file_name="x.csv", kind="actuals")

    response = ctrl.get(reverse("kpis:batch_undo", kwargs={"batch_id": batch.id}))

    assert response.status_code == 405
    batch.refresh_from_db()
    assert batch.undone_at is None
    assert sums() == MARCH_APRIL_SUMS


# --- sick leave: controllers and HR -----------------------------------------------------

SICK_LEAVE = """Period;Ansvar;Kön;Åldersgrupp;Antal anställda;Ordinarie arbetstid;\
Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60-
2024-03;0101;K;30-49;20;3 000;120;30;60
2024-03;2001;M;50-;15;2 250,5;45;0;0
2024-04;0101;K;30-49;21;3 150;100;0;60
"""


@pytest.fixture
def hr(client, hr_user, registers):
    client.force_login(hr_user)
    return client


def kind_choices(response) -> list[str]:
    return [value for value, _label in response.context["form"].fields["kind"].choices]


def test_hr_uploads_checks_and_confirms_sick_leave(hr, hr_user):
    page = hr.get(reverse("kpis:upload"))

    assert page.status_code == 200
    assert kind_choices(page) == ["sick_leave"]
    assert "Importera sjukfrånvaro" in page.content.decode()

    response = upload(hr, SICK_LEAVE, name="sjuk.csv", kind="sick_leave")

    pending = PendingUpload.objects.get()
    assert response["Location"] == confirm_url(pending)
    assert (pending.kind, pending.row_count) == ("sick_leave", 3)
    confirm = hr.get(confirm_url(pending))
    rows = [
        (r["period"], r["label"], r["new"], r["stored"], r["difference"])
        for r in confirm.context["summary"]
    ]
    assert rows == [
        ("2024-03", "Anställda", 35.0, 0.0, 35.0),
        ("2024-03", "Ordinarie arbetstid (timmar)", 5250.5, 0.0, 5250.5),  # 3 000 + 2 250,5
        ("2024-03", "Sjuktimmar", 255.0, 0.0, 255.0),  # 120 + 30 + 60 + 45
        ("2024-04", "Anställda", 21.0, 0.0, 21.0),
        ("2024-04", "Ordinarie arbetstid (timmar)", 3150.0, 0.0, 3150.0),
        ("2024-04", "Sjuktimmar", 160.0, 0.0, 160.0),
    ]
    content = confirm.content.decode()
    assert "Anställda och timmar per månad" in content
    assert '<td class="num">35</td>' in content  # employees without decimals
    assert f"5{NBSP}250,50" in content

    done = hr.post(confirm_url(pending), {"confirm": "1"}, follow=True)

    batch = ImportBatch.objects.get()
    assert done.redirect_chain == [(reverse("kpis:batches"), 302)]
    assert messages_of(done) == [
        f"Import {batch.id} sparad: 3 rader, 2 månader. Hela månaderna ersattes."
    ]
    assert (batch.kind, batch.created_by) == ("sick_leave", hr_user)
    assert "Sjukfrånvaro" in done.content.decode()


def test_hr_may_not_upload_a_ledger_extract(hr):
    response = upload(hr, MARCH_APRIL, kind="actuals")

    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert not PendingUpload.objects.exists()


def test_a_sick_leave_file_with_problems_is_shown_and_not_kept(hr):
    bad = SICK_LEAVE.replace("2024-04;0101;K;30-49;21;3 150", "2024-04;0101;X;30-49;21;50")

    response = upload(hr, bad, name="sjuk.csv", kind="sick_leave")

    assert response.status_code == 400
    assert response.context["problems"] == [
        "Rad 4, kolumn Kön: ”X” är inget kön (tillåtna: K, M).",
        "Rad 4, kolumn Ordinarie arbetstid: ”50” är färre timmar än sjuktimmarna (dag 1-14, "
        "15-59 och 60- sammanlagt 160).",
    ]
    assert not PendingUpload.objects.exists()


def test_a_controller_may_upload_every_kind_and_the_page_can_preselect_one(ctrl):
    page = ctrl.get(reverse("kpis:upload"), {"typ": "sick_leave"})

    assert kind_choices(page) == ["actuals", "budget", "sick_leave"]
    assert page.context["form"].initial == {"kind": "sick_leave"}
    assert "Importera underlag" in page.content.decode()
    assert ctrl.get(reverse("kpis:upload"), {"typ": "nej"}).context["form"].initial == {}

    upload_and_confirm(ctrl, SICK_LEAVE, name="sjuk.csv", kind="sick_leave")

    assert ImportBatch.objects.get().kind == "sick_leave"


def test_hr_sees_and_undoes_only_sick_leave_imports(hr, hr_user):
    costs, _check = costs_import(data=MARCH_APRIL.encode(), file_name="u.csv", kind="actuals")
    sick, _check = sick_leave_import(data=SICK_LEAVE.encode(), file_name="sjuk.csv")

    page = hr.get(reverse("kpis:batches"))

    assert [b.id for b in page.context["page"]] == [sick.id]
    assert hr.post(reverse("kpis:batch_undo", args=[costs.id])).status_code == 403
    costs.refresh_from_db()
    assert costs.undone_at is None
    response = hr.post(reverse("kpis:batch_undo", args=[sick.id]), follow=True)
    sick.refresh_from_db()
    assert sick.undone_by == hr_user
    assert messages_of(response) == [
        f"Import {sick.id} (sjuk.csv) är ångrad; månaderna har sina tidigare värden."
    ]


def test_a_pending_ledger_upload_needs_the_ledger_permission(hr, hr_user):
    pending = PendingUpload.objects.create(
        kind="actuals", file_name="p.csv", data=b"x", checksum="0", created_by=hr_user
    )

    assert hr.get(confirm_url(pending)).status_code == 403
    assert hr.post(confirm_url(pending), {"confirm": "1"}).status_code == 403


def test_hr_closes_sick_leave_months_not_the_ledgers(hr):
    sick_leave_import(data=SICK_LEAVE.encode(), file_name="sjuk.csv")
    url = reverse("kpis:month_status")

    response = hr.post(url, {"manad": "2024-04", "closed": "1", "kind": "sick_leave"})

    assert response.status_code == 302
    status = ClosedThrough.objects.get()
    assert (status.kind, f"{status.period:%Y-%m}") == ("sick_leave", "2024-04")
    assert hr.post(url, {"manad": "2024-04", "closed": "1"}).status_code == 403
    assert hr.post(url, {"manad": "2024-04", "kind": "budget"}).status_code == 302  # bad form
    assert ClosedThrough.objects.count() == 1

"""A file that changes closed (final) months is imported all the same, controllers do
correct closed months, but the confirmation page and the commands say so, and the import
keeps which closed months it changed (ImportBatch.closed_months): the history shows it.

The files and units are tests/test_partial_imports.py's.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kpis.batches import months_close, months_reopen
from kpis.costs.services import costs_import
from kpis.models import ImportBatch, PendingUpload
from kpis.sick_leave.services import sick_leave_import
from tests.test_partial_imports import (
    CORRECTION_0101,
    HEADER,
    NOVEMBER,
    SICK_CORRECTION,
    SICK_NOVEMBER,
    run,
)

NOV = dt.date(2026, 11, 1)


def closed_warning(months):
    return (
        f"Filen ändrar månader som är stängda (slutliga): {months}. Sparas den ändras deras "
        "värden, och styrgruppens publicerade siffror för dem stämmer inte längre."
    )


@pytest.fixture
def ctrl(client, controller_user, registers):
    client.force_login(controller_user)
    return client


def upload(client, text, *, kind="actuals", name="rattelse.csv"):
    client.post(
        reverse("kpis:upload"), {"kind": kind, "file": SimpleUploadedFile(name, text.encode())}
    )
    pending = PendingUpload.objects.filter(outcome="").get()
    return reverse("kpis:upload_confirm", kwargs={"pending_id": pending.id})


def test_the_page_warns_that_closed_months_change_and_the_history_keeps_it(ctrl):
    run(NOVEMBER)
    months_close(kind="actuals", through=NOV)
    url = upload(ctrl, CORRECTION_0101)

    page = ctrl.get(url)

    assert page.context["closed_warning"] == closed_warning("2026-11")
    assert 'role="alert" id="closed-warning"' in page.content.decode()
    assert "Filen ändrar stängda månader" in page.content.decode()

    done = ctrl.post(url, {"confirm": "1", "replaces": "units"}, follow=True)

    batch = ImportBatch.objects.latest("id")
    assert batch.closed_months == ["2026-11"]
    assert [str(m) for m in done.context["messages"]] == [
        f"Import {batch.id} sparad: 2 rader, 1 månad. Bara filens enhet ersattes; andra "
        "enheter behöll sina värden. Stängda månader ändrades: 2026-11."
    ]
    history = done.content.decode()  # the import history, after the redirect
    assert history.count("Ändrade stängda månader: 2026-11") == 1  # the correction only


def test_open_months_give_no_warning_and_are_not_recorded(ctrl):
    run(NOVEMBER)
    months_close(kind="actuals", through=NOV)
    months_reopen(kind="actuals", start=NOV)
    url = upload(ctrl, CORRECTION_0101)

    page = ctrl.get(url)
    ctrl.post(url, {"confirm": "1", "replaces": "units"})

    assert page.context["closed_warning"] == ""
    assert 'id="closed-warning"' not in page.content.decode()
    assert ImportBatch.objects.latest("id").closed_months == []


def test_only_the_closed_months_of_a_file_are_named(registers):
    run(NOVEMBER.replace("2026-11", "2026-10"))
    run(NOVEMBER)
    months_close(kind="actuals", through=dt.date(2026, 10, 1))
    text = NOVEMBER.replace("2026-11", "2026-09") + NOVEMBER.replace(HEADER + "\n", "")

    batch = run(text, name="tva.csv")

    # September (before any data) and October's close are closed; November is open.
    assert batch.closed_months == ["2026-09"]


def test_the_months_of_one_kind_are_closed_for_that_kind_only(registers):
    run(NOVEMBER)
    months_close(kind="actuals", through=NOV)

    budget, _check = costs_import(data=NOVEMBER.encode(), file_name="budget.csv", kind="budget")

    assert budget.closed_months == []


def run_command(command, path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


def test_import_costs_warns_and_imports_a_file_of_closed_months(registers, tmp_path):
    run(NOVEMBER)
    months_close(kind="actuals", through=NOV)
    path = tmp_path / "rattelse.csv"
    path.write_text(CORRECTION_0101, encoding="utf-8")

    out, err = run_command("import_costs", path, "--kind", "actuals", "--only-units")

    batch = ImportBatch.objects.latest("id")
    assert err == [f"Varning: {closed_warning('2026-11')}"]
    assert out[-2:] == [
        "Stängda månader ändrades: 2026-11.",
        f"Ångra importen med: python manage.py undo_import {batch.id}",
    ]
    assert batch.closed_months == ["2026-11"]


def test_sick_leave_warns_of_its_own_closed_months(registers, tmp_path):
    sick_leave_import(data=SICK_NOVEMBER.encode(), file_name="nov.csv")
    months_close(kind="sick_leave", through=NOV)
    path = tmp_path / "r.csv"
    path.write_text(SICK_CORRECTION, encoding="utf-8")

    out, err = run_command("import_sick_leave", path, "--only-units")

    assert err == [f"Varning: {closed_warning('2026-11')}"]
    assert "Stängda månader ändrades: 2026-11." in out
    assert ImportBatch.objects.latest("id").closed_months == ["2026-11"]

"""Closing months through a month, and reopening from one: one rule for what is
preliminary (hyrdash.lib.periods.is_preliminary), the same on the page, in its charts and
tables, in the CSV downloads and in export_kpi (tests/test_export_kpi.py has every
series' `preliminary` column), and the close_months command.

The data set is tests/test_dashboard.py's: actuals for 2025-01 .. 2026-03, nothing
closed.
"""

import datetime as dt
import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.periods import is_preliminary, preliminary_column
from kpis import batches
from kpis.models import ClosedThrough
from tests.test_dashboard import costs, ctrl_client, download, figure, page  # noqa: F401

M = pd.Period


# --- the rule -----------------------------------------------------------------------------


def test_a_month_is_preliminary_after_the_last_closed_one():
    through = M("2026-02", freq="M")
    assert not is_preliminary(M("2025-06", freq="M"), closed_through=through)
    assert not is_preliminary(M("2026-02", freq="M"), closed_through=through)  # its edge
    assert is_preliminary(M("2026-03", freq="M"), closed_through=through)
    assert is_preliminary("2026-03", closed_through=through)  # 'YYYY-MM' too
    # nothing closed: every month is preliminary
    assert is_preliminary(M("2021-01", freq="M"), closed_through=None)
    assert preliminary_column(["2026-01", "2026-02", "2026-03"], closed_through=through) == [
        0,
        0,
        1,
    ]


# --- the service --------------------------------------------------------------------------


def month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:]), 1)


def test_closing_a_month_closes_every_month_before_it(costs):  # noqa: F811
    assert batches.closed_through(kind="actuals") is None

    assert batches.months_close(kind="actuals", through=month("2026-02")) == M("2026-02", "M")
    assert batches.closed_through(kind="actuals") == M("2026-02", "M")
    # closing an earlier month changes nothing: reopening is another action
    assert batches.months_close(kind="actuals", through=month("2025-05")) == M("2026-02", "M")
    assert ClosedThrough.objects.get(kind="actuals").period == dt.date(2026, 2, 1)
    # sick leave has its own months, none of them closed
    assert batches.closed_through(kind="sick_leave") is None


def test_a_month_without_data_cannot_be_closed(costs):  # noqa: F811
    with pytest.raises(ServiceError) as refused:
        batches.months_close(kind="actuals", through=month("2026-04"))
    assert str(refused.value) == (
        "2026-04 kan inte stängas: det finns inga uppgifter för månaden ännu."
    )
    with pytest.raises(ServiceError):  # no sick leave at all
        batches.months_close(kind="sick_leave", through=month("2026-01"))
    assert not ClosedThrough.objects.exists()


def test_reopening_a_month_reopens_the_months_after_it(costs):  # noqa: F811
    batches.months_close(kind="actuals", through=month("2026-03"))

    assert batches.months_reopen(kind="actuals", start=month("2026-01")) == M("2025-12", "M")
    assert batches.closed_through(kind="actuals") == M("2025-12", "M")
    # reopening a month that is open already changes nothing
    assert batches.months_reopen(kind="actuals", start=month("2026-02")) == M("2025-12", "M")
    assert batches.closed_through(kind="actuals") == M("2025-12", "M")


# --- the page -----------------------------------------------------------------------------


def post_status(client, manad: str, closed: bool):
    data = {"manad": manad, "closed": "1" if closed else "", "next": f"/?manad={manad}"}
    response = client.post(reverse("kpis:month_status"), data, follow=True)
    return [str(m) for m in response.context["messages"]]


def test_a_controller_closes_through_a_month_on_the_page(ctrl_client, costs):  # noqa: F811
    _, html = page(ctrl_client, manad="2026-02")
    assert "Ingen månad är stängd ännu." in html
    assert ">mars 2025 (prel.)</option>" in html  # nothing closed: everything preliminary
    assert "Stäng till och med 2026-02" in html

    assert post_status(ctrl_client, "2026-02", closed=True) == [
        "Månaderna till och med 2026-02 är stängda."
    ]
    response, html = page(ctrl_client)
    assert "Stängt till och med februari 2026." in html
    # the month selector, the tables, the charts and the CSV agree: only March is open
    assert '<option value="2026-03" selected>mars 2026 (prel.)</option>' in html
    assert '<option value="2026-02">februari 2026</option>' in html
    assert '<option value="2025-03">mars 2025</option>' in html
    r12 = next(c for c in response.context["charts"] if c.code == "agency-r12")
    marked = [row["cells"][0]["value"] for row in r12.tables[0].rows if row["preliminary"]]
    assert marked == ["mar 2026 (prel.)"]
    dotted = [t for t in figure(html, "agency-r12")["data"] if t.get("line", {}).get("dash")]
    assert [t["x"] for t in dotted] == [["2026-02", "2026-03"], ["2026-03"], [None]]
    lines = download(ctrl_client, "agency-r12", manad="2026-03").content.decode("utf-8-sig")
    assert lines.splitlines()[-2:] == ["2026-02;19400000,00;0", "2026-03;19500000,00;1"]


def test_closing_says_what_it_did_and_refuses_a_month_without_data(ctrl_client, costs):  # noqa: F811
    post_status(ctrl_client, "2026-02", closed=True)

    assert post_status(ctrl_client, "2025-06", closed=True) == [
        "2025-06 är redan stängd: månaderna till och med 2026-02 är stängda."
    ]
    # (then the page it goes back to says it has no such month)
    assert post_status(ctrl_client, "2026-04", closed=True)[0] == (
        "2026-04 kan inte stängas: det finns inga uppgifter för månaden ännu."
    )
    assert batches.closed_through(kind="actuals") == M("2026-02", "M")


def test_reopening_on_the_page_reopens_the_later_months(ctrl_client, costs):  # noqa: F811
    post_status(ctrl_client, "2026-03", closed=True)
    _, html = page(ctrl_client, manad="2026-01")
    assert "Öppna 2026-01 och senare igen" in html

    assert post_status(ctrl_client, "2026-01", closed=False) == [
        "2026-01 och månaderna efter är öppna och visas som preliminära."
    ]
    _, html = page(ctrl_client)
    assert "Stängt till och med december 2025." in html
    for option in ("mars 2026 (prel.)", "februari 2026 (prel.)", "januari 2026 (prel.)"):
        assert f">{option}</option>" in html
    assert '<option value="2025-12">december 2025</option>' in html


# --- the command --------------------------------------------------------------------------


def close_months(*args: str) -> str:
    out = io.StringIO()
    call_command("close_months", *args, stdout=out)
    return out.getvalue()


def test_close_months_closes_and_reopens_as_the_page_does(costs):  # noqa: F811
    assert close_months("--kind", "actuals") == "Utfall: ingen månad är stängd.\n"
    assert close_months("--kind", "actuals", "--through", "2026-02") == (
        "Utfall: Månaderna till och med 2026-02 är stängda.\n"
    )
    assert close_months("--kind", "actuals") == "Utfall: stängt till och med 2026-02.\n"
    assert close_months("--kind", "actuals", "--reopen-from", "2025-11") == (
        "Utfall: 2025-11 och månaderna efter är öppna och visas som preliminära.\n"
    )
    assert batches.closed_through(kind="actuals") == M("2025-10", "M")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "actuals", "--through", "2026-04"],
            "2026-04 kan inte stängas: det finns inga uppgifter för månaden ännu.",
        ),
        (
            ["--kind", "actuals", "--through", "mars"],
            "--through: ”mars” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.",
        ),
        (
            ["--kind", "sick_leave", "--through", "2026-01"],
            "2026-01 kan inte stängas: det finns inga uppgifter för månaden ännu.",
        ),
        (
            ["--kind", "actuals", "--through", "2026-01", "--user", "ingen"],
            "Användaren ingen finns inte.",
        ),
    ],
)
def test_close_months_refuses_in_swedish(costs, args, message):  # noqa: F811
    with pytest.raises(CommandError) as refused:
        close_months(*args)
    assert str(refused.value) == message
    assert not ClosedThrough.objects.exists()

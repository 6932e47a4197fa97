"""The "Om måttet" panel under each chart of the cost dashboard (kpis.costs.about): the
definition and formula, the accounts of each category as the mapping is now, the data's
source and latest import, and what "preliminär" means; in Swedish and in English.

The data set is tests/test_dashboard.py's: an actuals import (utfall.csv) and a budget
import (budget.csv), the default account mapping (fixtures/konton.csv), no month closed.
"""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kpis import batches
from kpis.costs import services as cost_services
from kpis.models import Account, ImportBatch
from kpis.registry import batch_undo
from tests.test_dashboard import (  # noqa: F401
    CODES,
    cost_file,
    costs,
    national,
    page,
    styr_client,
)


def about(html: str, code: str) -> str:
    section = html.split(f'<section id="{code}"')[1].split("</section>")[0]
    found = re.search(r'<details class="about-measure.*?</details>', section, re.S)
    assert found, f"no Om måttet under {code}"
    return found.group(0)


def imported(kind: str) -> str:
    batch = ImportBatch.objects.filter(kind=kind, undone_at=None).latest("created_at")
    when = timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M")
    return f"nr {batch.pk}, {when}, {batch.file_name}"


def test_every_chart_explains_its_measure(styr_client, costs, national):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03")

    for code in CODES:
        panel = about(html, code)
        assert "<summary>Om måttet<span" in panel, code
        assert "<dt>Definition</dt>" in panel, code
        assert "<dt>Beräkning</dt>" in panel, code


def test_the_skr_measure_says_how_it_is_computed_and_from_which_accounts(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03")
    panel = about(html, "skr-measure")

    assert (
        escape("SKR-mått = kostnad för hyrpersonal R12 ÷ kostnad för egen personal R12 × 100")
        in panel
    )
    assert "aldrig ett medelvärde av månadernas kvoter" in panel
    # the categories and their accounts, from the mapping
    assert (
        "<li><strong>Hyrpersonal läkare:</strong> 4601 Inhyrd personal läkare, "
        "4602 Inhyrd personal läkare, distans</li>"
    ) in panel
    assert "<strong>Egen personal: löner:</strong> 5111 Månadslöner, 5112 Timlöner" in panel
    assert "<strong>Egen personal: pensioner:</strong> 5511 Pensionskostnader" in panel
    assert "5711" not in panel  # ignorera: in no category
    # its sources: actuals and budget, each with its latest import
    assert f"Senaste import: {imported('actuals')}." in panel
    assert f"Senaste import: {imported('budget')}." in panel
    assert "utfall.csv" in panel and "budget.csv" in panel
    # what preliminary means, and that nothing is closed yet
    assert "Preliminär betyder att månaden inte är stängd av controller" in panel
    assert "Ingen månad är stängd ännu." in panel


def test_a_chart_of_agency_cost_lists_only_agency_accounts(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03")
    panel = about(html, "agency-r12")

    assert "Hyrpersonal sjuksköterskor/barnmorskor:" in panel
    assert "Egen personal" not in panel
    assert "budget.csv" not in panel  # the budget is not this chart's
    assert "R12 (rullande tolv månader) för en månad = summan av den månaden och de elva före" in (
        panel
    )


def test_the_target_path_explains_its_formulas(styr_client, costs):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03")
    panel = about(html, "skr-target-path")

    assert "Egen personal R12 i december = utfall för egen personal januari till vald" in panel
    assert "Negativ: målet kan inte längre nås i år." in panel
    assert "Takt = medelvärdet av kostnaden för hyrpersonal vald månad och de två före." in panel
    assert "budget.csv" in panel


def test_the_panels_follow_the_mapping_and_the_imports_as_they_are_now(styr_client, costs):  # noqa: F811
    # A controller moves an account to another category, closes February and imports
    # actuals again, then undoes that import.
    Account.objects.filter(konto="4602").update(category="hyr_ovriga")
    batches.month_status_set(period=dt.date(2026, 2, 1), closed=True)
    batch, _check = cost_services.costs_import(
        data=cost_file([("2026-03", "0101", "4601", 1_300_000, 10)]),
        file_name="utfall-mars.csv",
        kind=ImportBatch.Kind.ACTUALS,
        replaces="units",  # one unit's correction: the others keep their rows
    )
    _response, html = page(styr_client, manad="2026-03")
    panel = about(html, "agency-ytd")
    assert "<strong>Hyrpersonal läkare:</strong> 4601 Inhyrd personal läkare</li>" in panel
    assert (
        "<strong>Hyrpersonal övriga:</strong> 4602 Inhyrd personal läkare, distans, "
        "4621 Inhyrd personal psykologer"
    ) in panel
    assert f"Senaste import: nr {batch.pk}, " in panel and "utfall-mars.csv" in panel
    assert "Stängt till och med februari 2026." in panel

    batch_undo(batch_id=batch.pk)
    _response, html = page(styr_client, manad="2026-03")
    panel = about(html, "agency-ytd")
    assert "utfall-mars.csv" not in panel
    assert "utfall.csv" in panel


def test_the_national_comparison_names_its_source_and_quarters(styr_client, costs, national):  # noqa: F811
    _response, html = page(styr_client, manad="2026-03")
    panel = about(html, "national")

    assert "SKR:s kvartalsstatistik, inlagd av controller (Period;Region;Andel)." in panel
    assert "Uppladdade kvartal: 2026-Q1." in panel
    assert "Konton i varje kategori" not in panel  # SKR's figures, not the ledger's
    assert "<dt>Preliminär</dt>" not in panel


def test_the_panel_is_english_in_english(styr_client, costs):  # noqa: F811
    styr_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _response, html = page(styr_client, manad="2026-03")
    panel = about(html, "skr-measure")

    assert "<summary>About the measure<span" in panel
    assert "<dt>Definition</dt>" in panel
    assert "Agency staff: doctors:" in panel  # the category's English label
    assert "Preliminary means" in panel
    assert "Om måttet" not in panel and "Senaste import" not in panel

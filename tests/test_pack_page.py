"""The pack page (/styrgruppspaket/), its download, the controllers' text slides, and
`manage.py steering_pack`, on the data set of tests/pack_data.py."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from pptx import Presentation

from kpis.models import Area, PackText
from tests import pack_data
from tests.conftest import make_user

PAGE = "/styrgruppspaket/"
DOWNLOAD = "/styrgruppspaket/ladda-ner/"
TEXTS = "/styrgruppspaket/texter/"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@pytest.fixture
def data(registers):
    """The costs of tests/pack_data.py (its sick leave and survey only where a test asks)."""
    pack_data.load(sick_leave=False, survey=False)


@pytest.fixture
def all_data(registers):
    pack_data.load()


@pytest.fixture
def styr(client, styrgrupp_user):
    client.force_login(styrgrupp_user)
    return client


@pytest.fixture
def ctrl(client, controller_user):
    client.force_login(controller_user)
    return client


def titles(content: bytes) -> list[str]:
    return [slide.shapes.title.text for slide in Presentation(io.BytesIO(content)).slides]


def text_slide(month: str, order: int, title: str, text: str, scope: str = "hsf") -> PackText:
    year, number = month.split("-")
    return PackText.objects.create(
        period=dt.date(int(year), int(number), 1), scope=scope, order=order, title=title, text=text
    )


def formset_data(*forms: dict, month="2026-03", scope="hsf") -> dict:
    data = {
        "manad": month,
        "urval": scope,
        "texter-TOTAL_FORMS": str(len(forms)),
        "texter-INITIAL_FORMS": "0",
    }
    for i, form in enumerate(forms):
        data.update({f"texter-{i}-{key}": value for key, value in form.items()})
    return data


# --- the page -------------------------------------------------------------------------


def test_the_steering_group_picks_a_month_and_a_scope_and_gets_the_download_link(styr, data):
    text_slide("2026-03", 1, "Prioriterade åtgärder", "Stärka chefer")
    response = styr.get(PAGE, {"manad": "2026-02", "urval": "area:Tandvården"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{DOWNLOAD}?manad=2026-02&amp;urval=area%3ATandv%C3%A5rden"' in html
    assert "Paketet för Tandvården, februari 2026" in html
    assert '<option value="2026-03">mars 2026 (prel.)</option>' in html
    assert "Inga textbilder för månaden." in html
    assert "texter-TOTAL_FORMS" not in html  # the steering group reads, does not write
    assert (
        "steering_pack --month 2026-02 --scope &quot;area:Tandvården&quot; "
        "-o styrgruppspaket-area-tandvarden-2026-02.pptx"
    ) in html
    html = styr.get(PAGE).content.decode()  # the newest month, the administration
    assert "Paketet för Hela förvaltningen, mars 2026" in html
    assert '<h3 class="h6">Prioriterade åtgärder</h3>' in html
    assert 'class="nav-link active" aria-current="page" href="/styrgruppspaket/"' in html


def test_a_department_or_a_month_without_actuals_falls_back_with_a_message(styr, data):
    html = styr.get(PAGE, {"manad": "2024-05", "urval": "department:Kirurgiskt centrum"})
    html = html.content.decode()
    assert "Maj 2024 har inga utfall; visar mars 2026." in html
    assert (
        "Styrgruppspaketet görs för hela förvaltningen (hsf), en vårdtyp (care:&lt;vårdtyp&gt;) "
        "eller ett område (area:&lt;område&gt;), inte för department:Kirurgiskt centrum. Visar "
        "hela förvaltningen."
    ) in html


def test_the_page_without_actuals_says_so(styr, registers):
    html = styr.get(PAGE).content.decode()
    assert "Paketet kan byggas när en controller har importerat utfall för minst en månad." in html


# --- the download -----------------------------------------------------------------------


def test_the_download_is_the_months_pack_for_the_scope(styr, data):
    response = styr.get(DOWNLOAD, {"manad": "2026-03", "urval": "care:primärvård"})
    assert response.status_code == 200
    assert response["Content-Type"] == PPTX
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="styrgruppspaket-care-primarvard-2026-03.pptx"'
    )
    found = titles(response.content)
    assert found[0] == "Inhyrd personal – mars 2026"
    assert found[1].endswith("– Primärvård")
    assert found[-1] == "Underlag"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"manad": "2026-13"}, "Månaden ”2026-13” förstås inte (skriv ÅÅÅÅ-MM); visar mars 2026."),
        ({"manad": "2019-01"}, "Januari 2019 har inga utfall; visar mars 2026."),
        ({"urval": "area:Finns inte"}, "Området Finns inte finns inte. Visar hela förvaltningen."),
    ],
)
def test_a_download_with_a_wrong_selection_is_refused_with_the_reason(styr, data, params, message):
    response = styr.get(DOWNLOAD, params)
    assert response.status_code == 400
    assert response.content.decode() == message


def test_a_download_before_any_actuals_is_refused(styr, registers):
    response = styr.get(DOWNLOAD)
    assert (response.status_code, response.content.decode()) == (400, "Det finns inga utfall ännu.")


def test_the_pack_leaves_out_what_the_user_may_not_see(client, all_data):
    """A custom group with the dashboard only: no sick leave, no survey in its pack."""
    user = make_user("bara-kostnader")
    user.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client.force_login(user)
    found = titles(client.get(DOWNLOAD).content)
    assert not [t for t in found if t.startswith(("Sjukfrånvaro", "Medarbetarundersökning"))]
    client.force_login(make_user("styr2", "styrgrupp"))  # who may see both gets both
    found = titles(client.get(DOWNLOAD).content)
    assert "Sjukfrånvaro R12 – ack mars 2026 (%) – Hela förvaltningen" in found
    assert "Medarbetarundersökning 2026: HME – Hela förvaltningen" in found
    assert "Nationell jämförelse – andel hyrpersonal per region 2026-Q1" in found


# --- the text slides --------------------------------------------------------------------


def test_a_controller_starts_from_last_months_text_slides_and_saves_them(ctrl, data):
    text_slide("2026-02", 1, "Summering pågående aktiviteter", "Lönesatsningar")
    text_slide("2026-02", 2, "Prioriterade åtgärder", "Stärka chefer")
    html = ctrl.get(PAGE).content.decode()
    assert (
        "Förifyllt med textbilderna från februari 2026. Spara dem för att de ska komma med i "
        "månadens paket."
    ) in html
    assert 'value="Summering pågående aktiviteter"' in html
    assert not PackText.objects.filter(period=dt.date(2026, 3, 1)).exists()  # not yet

    response = ctrl.post(
        TEXTS,
        formset_data(
            {"order": "2", "title": "Summering pågående aktiviteter", "text": "Lönesatsningar"},
            {"order": "1", "title": "Prioriterade åtgärder", "text": "Stärka chefer\n  och HR"},
            {"order": "", "title": "", "text": ""},  # the empty extra form
        ),
        follow=True,
    )
    assert response.redirect_chain == [(f"{PAGE}?manad=2026-03&urval=hsf", 302)]
    assert "2 textbilder sparade för mars 2026." in response.content.decode()
    saved = PackText.objects.filter(period=dt.date(2026, 3, 1), scope="hsf")
    assert [(t.order, t.title, t.text) for t in saved] == [
        (1, "Prioriterade åtgärder", "Stärka chefer\n  och HR"),
        (2, "Summering pågående aktiviteter", "Lönesatsningar"),
    ]
    assert "Förifyllt" not in response.content.decode()
    found = titles(ctrl.get(DOWNLOAD).content)
    assert found.index("Prioriterade åtgärder") + 1 == found.index("Summering pågående aktiviteter")


def test_a_deleted_text_slide_is_gone_from_the_pack(ctrl, data):
    text_slide("2026-03", 1, "Status nationell upphandling", "Överprövning")
    ctrl.post(
        TEXTS,
        formset_data(
            {"order": "1", "title": "Status nationell upphandling", "text": "x", "DELETE": "on"}
        ),
    )
    assert not PackText.objects.exists()
    assert "Status nationell upphandling" not in titles(ctrl.get(DOWNLOAD).content)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": "", "text": "En punkt"}, "Ange en rubrik för textbilden."),
        ({"title": "Rubrik", "text": "  \n "}, "Skriv minst en punkt."),
        (
            {"title": "Rubrik", "text": "\n".join(f"Punkt {i}" for i in range(13))},
            "Högst 12 punkter får plats på en bild; den här har 13.",
        ),
    ],
)
def test_a_text_slide_that_does_not_fit_is_refused_and_nothing_saved(ctrl, data, form, message):
    text_slide("2026-03", 1, "Gammal", "Kvar")
    response = ctrl.post(TEXTS, formset_data(form))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Textbilderna sparades inte: rätta det som är markerat." in html
    assert message in html
    assert [t.title for t in PackText.objects.all()] == ["Gammal"]


def test_text_slides_need_a_month_and_a_pack_scope(ctrl, data):
    response = ctrl.post(TEXTS, formset_data(month="mars"))
    assert (response.status_code, response.content.decode()) == (
        400,
        "Månaden förstås inte (skriv ÅÅÅÅ-MM).",
    )
    response = ctrl.post(TEXTS, formset_data(scope="care:okänd"))
    assert response.status_code == 400
    assert response.content.decode().startswith("Okänd vårdtyp okänd")


# --- the command ------------------------------------------------------------------------


def test_the_command_writes_the_same_pack_as_the_page(styr, data, tmp_path):
    path = tmp_path / "paket.pptx"
    out = io.StringIO()
    call_command(
        "steering_pack",
        "--month",
        "2026-03",
        "--scope",
        "area:Tandvården",
        "-o",
        str(path),
        stdout=out,
    )
    written = titles(path.read_bytes())
    assert out.getvalue() == f"Skrev {path} ({len(written)} bilder).\n"
    downloaded = titles(
        styr.get(DOWNLOAD, {"manad": "2026-03", "urval": "area:Tandvården"}).content
    )
    assert written == downloaded


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--month", "2026-3"],
            "--month: ”2026-3” är ingen giltig månad; skriv ÅÅÅÅ-MM, till exempel 2024-03.",
        ),
        (["--month", "2024-01"], "Januari 2024 har inga utfall; välj en månad med utfall."),
        (["--month", "2026-03", "--scope", "area:Okänt"], "Området Okänt finns inte."),
        (
            ["--month", "2026-03", "--scope", "department:Kirurgiskt centrum"],
            "Styrgruppspaketet görs för hela förvaltningen (hsf), en vårdtyp (care:<vårdtyp>) "
            "eller ett område (area:<område>), inte för department:Kirurgiskt centrum.",
        ),
    ],
)
def test_the_command_says_what_is_wrong(data, tmp_path, args, message):
    with pytest.raises(CommandError) as error:
        call_command("steering_pack", *args, "-o", str(tmp_path / "p.pptx"))
    assert str(error.value) == message
    assert not (tmp_path / "p.pptx").exists()


def test_the_page_is_in_the_navigation_for_those_who_may_see_it(
    client, data, hr_user, styrgrupp_user
):
    client.force_login(hr_user)
    assert reverse("kpis:pack") not in client.get("/sjukfranvaro/").content.decode()
    client.force_login(styrgrupp_user)
    assert f'href="{reverse("kpis:pack")}"' in client.get("/sjukfranvaro/").content.decode()


def test_in_english_the_pack_is_english_with_english_numbers(styr, data):
    styr.post(reverse("set_language"), {"language": "en", "next": PAGE})
    html = styr.get(PAGE).content.decode()
    assert "Download the steering pack (.pptx)" in html
    deck = Presentation(io.BytesIO(styr.get(DOWNLOAD).content))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == "Agency staff – March 2026"
    headline = [s.text_frame.text for s in slides[1].shapes if s.has_text_frame][2]
    assert (
        headline
        == "Doctors: +\u00a00.6\u00a0MSEK, up 20.0\u00a0% · Nurses/midwives: \u2212\u00a00.3\u00a0MSEK, down 20.0\u00a0%"
    )
    assert deck.core_properties.language == "en-GB"


def test_an_area_without_units_gets_a_pack_without_survey_slides(styr, all_data):
    Area.objects.create(name="Nytt område")
    response = styr.get(DOWNLOAD, {"urval": "area:Nytt område"})
    assert response.status_code == 200
    deck = Presentation(io.BytesIO(response.content))
    assert not [s for s in deck.slides if s.shapes.title.text.startswith("Medarbetar")]
    (table,) = [s.table for s in list(deck.slides)[-1].shapes if s.has_table]
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert rows["Medarbetarundersökning"] == "inga enheter i urvalet"

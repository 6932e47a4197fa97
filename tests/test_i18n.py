"""English: the catalog is complete, the committed .mo matches the .po, pages switch.

The Swedish texts are the msgids; locale/en/LC_MESSAGES/django.po holds the English.
The compiled django.mo is committed too (a fresh machine may have no GNU gettext to
run compilemessages), so these tests check that it was compiled from the .po as it
is now. How to update both: README.md, "Languages".
"""

from __future__ import annotations

import gettext
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from hyrdash.lib import formatting
from hyrdash.lib.tabular import ExtractError
from kpis.costs import services
from kpis.costs.extracts import parse_cost_extract
from kpis.models import ImportBatch
from tests.test_dashboard import actuals_rows, cost_file

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# printf-style (%(name)s, %s, %%) and brace ({name}) placeholders.
PLACEHOLDER = re.compile(r"%\([^)]+\)[a-z]|%[a-z%]|\{[a-z_0-9]*\}")


# --- a small .po reader ----------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key GNUTranslations files it under: context EOT msgid."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text[1:-1])


def read_po(path: Path) -> list[Entry]:  # noqa: C901 (a line-by-line .po parser, one branch per line kind)
    """The entries of a .po file (obsolete #~ entries left out), header included."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if line.startswith("#"):
            if target is not None:  # a comment after the strings starts a new entry
                finish()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, text = match.groups()
            starts = keyword == "msgctxt" or (keyword == "msgid" and entry.msgctxt is None)
            if starts and target is not None:
                finish()
            if keyword == "msgstr":
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = unquote(text)
            else:
                target = (keyword, 0)
                setattr(entry, keyword, unquote(text))
                entry.line = entry.line or number
        elif line.startswith('"') and target is not None:
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += unquote(line)
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + unquote(line))
        else:
            raise ValueError(f"{path.name}:{number}: cannot read {raw!r}")
    finish()
    return entries


def messages() -> list[Entry]:
    return [entry for entry in read_po(PO) if entry.msgid]


def test_the_po_reader_reads_plurals_contexts_and_continued_lines(tmp_path):
    path = tmp_path / "x.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Två "\n"rader"\nmsgstr "Two \\"lines\\""\n\n'
        'msgctxt "unit"\nmsgid "kr"\nmsgstr "SEK"\n\n'
        'msgid "%(n)s rad"\nmsgid_plural "%(n)s rader"\nmsgstr[0] "%(n)s row"\n'
        'msgstr[1] "%(n)s rows"\n\n#~ msgid "gammal"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, two, unit, plural = read_po(path)
    assert header.msgstr == {0: "Language: en\n"}
    assert (two.msgid, two.msgstr[0], two.flags) == ("Två rader", 'Two "lines"', {"python-format"})
    assert (unit.key, unit.msgstr[0]) == ("unit\x04kr", "SEK")
    assert plural.msgid_plural == "%(n)s rader"
    assert plural.msgstr == {0: "%(n)s row", 1: "%(n)s rows"}


# --- the catalog -----------------------------------------------------------------------


def test_english_is_a_language_with_a_catalog():
    assert "en" in dict(settings.LANGUAGES)
    assert PO.parent.parent.parent in [Path(p) for p in settings.LOCALE_PATHS]
    assert PO.is_file() and MO.is_file()


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = read_po(PO)
    header = entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags, "the header is fuzzy"
    assert "Language: en" in header.msgstr[0]
    problems = []
    for entry in entries[1:]:
        where = f"django.po:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        forms = 2 if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(forms)) or not all(entry.msgstr.values()):
            problems.append(f"{where}: not translated")
    assert len(entries) > 300
    assert not problems, "\n".join(problems)


def test_translations_keep_every_placeholder():
    problems = []
    for entry in messages():
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for index, text in entry.msgstr.items():
            source = sources[min(index, len(sources) - 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(f"django.po:{entry.line}: {source!r} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
def test_every_text_marked_for_translation_is_in_the_catalog(tmp_path, settings, monkeypatch):
    # makemessages as the README runs it, on a copy of the code, templates and locale/
    # (it writes the catalog next to the sources): a text marked for translation but
    # missing from the committed .po would show in English pages as Swedish.
    for folder in ("hyrdash", "kpis", "survey", "templates", "locale"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], verbosity=0)

    fresh = read_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(fresh) > 500  # it did read the sources
    missing = {entry.key for entry in fresh} - {entry.key for entry in read_po(PO)}
    assert sorted(missing) == []


def test_the_committed_mo_is_compiled_from_the_po():
    """Run compilemessages (README, "Languages") when this fails, and commit the .mo."""
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    expected: dict[object, str] = {}
    for entry in messages():
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
    # GNUTranslations keeps the catalog in _catalog (the header under ""): compare all
    # of it, so a message dropped from the .po but left in the .mo is caught too.
    catalog = {key: value for key, value in compiled._catalog.items() if key != ""}
    stale = sorted(str(key) for key in catalog.keys() - expected.keys())
    missing = sorted(str(key) for key in expected.keys() - catalog.keys())
    changed = sorted(
        str(key) for key in expected.keys() & catalog.keys() if expected[key] != catalog[key]
    )
    assert not (stale or missing or changed), (
        "django.mo is out of date: run compilemessages\n"
        f"only in the .mo: {stale}\nonly in the .po: {missing}\ndifferent: {changed}"
    )


def test_django_uses_the_catalog():
    # Through a variable: makemessages would take gettext("...") here for a message.
    swedish = ["Hyrpersonal", "Sjukfrånvaro"]
    with translation.override("en"):
        assert [translation.gettext(text) for text in swedish] == ["Agency staff", "Sick leave"]
    with translation.override("sv"):
        assert [translation.gettext(text) for text in swedish] == swedish


# --- numbers ---------------------------------------------------------------------------

NBSP = formatting.NBSP


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "sv",
            ["1 234 567,89", "\u22122,5", "3,44 %", "300 000 kr", "1 235 tkr", "2,1 mkr"],
        ),
        (
            "en",
            ["1,234,567.89", "\u22122.5", "3.44 %", "300,000 SEK", "1,235 kSEK", "2.1 MSEK"],
        ),
    ],
)
def test_numbers_follow_the_language(language, expected):
    with translation.override(language):
        shown = [
            formatting.format_number(1234567.891, 2),
            formatting.format_number(-2.5, 1),
            formatting.format_pct(3.444, 2),
            formatting.format_kr(300_000),
            formatting.format_tkr(1_234_567),
            formatting.format_mkr(2_100_000),
        ]
    assert [text.replace(NBSP, " ") for text in shown] == expected


def test_the_change_against_last_year_in_english():
    with translation.override("en"):
        assert (
            formatting.format_change_text(6_000_000, 11.2) == f"+{NBSP}6.0{NBSP}MSEK, up 11{NBSP}%"
        )
        assert formatting.format_change_text(-5_900_000, -0.7) == (
            f"\u2212{NBSP}5.9{NBSP}MSEK, down 0.7{NBSP}%"
        )
        assert formatting.format_change_text(0, 0) == f"0.0{NBSP}MSEK, unchanged"
        assert formatting.plotly_separators() == ".,"
    with translation.override("sv"):
        assert formatting.plotly_separators() == ", "


def test_an_upload_checks_problems_in_english():
    broken = b"Period;Ansvar;Konto;Belopp\n2024-13;0101;4601;abc\n"
    lines = {}
    for language in ("sv", "en"):
        with translation.override(language):
            with pytest.raises(ExtractError) as error:
                parse_cost_extract(broken)
            lines[language] = error.value.lines()
    assert lines["sv"][1] == "Rad 2, kolumn Belopp: ”abc” är inget tal."
    assert lines["en"][1] == "Row 2, column Belopp: “abc” is not a number."
    assert lines["en"][0].startswith("Row 2, column Period: “2024-13” is not a valid month")


# --- pages -------------------------------------------------------------------------------


@pytest.fixture
def costs(registers):
    services.costs_import(
        data=cost_file(list(actuals_rows())), file_name="utfall.csv", kind=ImportBatch.Kind.ACTUALS
    )


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def figure_layout(html: str, code: str) -> dict:
    match = re.search(
        rf'<script id="fig-{code}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, code
    return json.loads(match.group(1))["layout"]


def choose(client, language: str, next_path: str = "/"):
    """Pick a language with the switch in the navigation bar (a POST to set_language)."""
    response = client.post(reverse("set_language"), {"language": language, "next": next_path})
    assert response.status_code == 302
    assert response["Location"] == next_path
    return response


def test_the_cost_dashboard_is_swedish_by_default_and_english_when_chosen(
    client, styrgrupp_user, costs
):
    client.force_login(styrgrupp_user)
    url = reverse("kpis:dashboard")

    swedish = client.get(url)
    html, text = swedish.content.decode(), text_of(swedish)
    assert swedish.status_code == 200
    assert '<html lang="sv">' in html
    assert "Hyrpersonal – Hela förvaltningen, mars 2026" in text
    assert "1. Kostnader hittills i år" in text
    assert "Byt språk till English" in text
    # Swedish numbers: decimal comma, space between thousands, mkr/tkr.
    assert "3,6 mkr + 0,6 mkr, ökning 20 %" in text
    assert "1 000 tkr" in text
    assert figure_layout(html, "agency-r12")["separators"] == ", "

    choose(client, "en", url)
    english = client.get(url)
    html, text = english.content.decode(), text_of(english)
    assert english.status_code == 200
    assert '<html lang="en">' in html
    assert "Agency staff – Whole administration, March 2026" in text
    assert "Sick leave" in text  # the menu
    assert "Choose month and selection" in html
    assert "Change language to Svenska" in text
    # The charts' headings, tables and text summaries, not only the templates.
    for heading in ["1. Costs so far this year", "4. The SKR measure", "8. Purchased agency hours"]:
        assert heading in text
    assert "Agency staff cost R12 per month" in text  # a table caption
    assert "The figures are in the table below the chart." in html  # a chart's aria-label
    assert figure_layout(html, "agency-r12")["title"]["text"].startswith(
        "Agency staff cost R12 (kSEK)"
    )
    # English numbers: decimal point, comma between thousands, MSEK/kSEK; never "mkr".
    assert "3.6 MSEK + 0.6 MSEK, up 20 %" in text
    assert "1,000 kSEK" in text
    assert figure_layout(html, "agency-r12")["separators"] == ".,"
    for swedish_word in ["Hyrpersonal –", "Kostnad R12", "mkr", "tkr", "ökning", "(prel.)"]:
        assert swedish_word not in text, swedish_word

    choose(client, "sv", url)
    assert "Hyrpersonal – Hela förvaltningen" in text_of(client.get(url))


def test_the_login_page_can_be_switched_before_logging_in(client):
    url = reverse("login")
    swedish = text_of(client.get(url))
    assert "Logga in" in swedish and "Användarnamn" in swedish

    choose(client, "en", url)
    english = text_of(client.get(url))
    assert "Log in" in english and "Username" in english and "Password" in english
    assert "Logga in" not in english


def test_a_browser_asking_for_english_still_gets_swedish_until_english_is_chosen(client):
    # Swedish first: an English Windows or browser alone does not switch the site.
    url = reverse("login")
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert "Logga in" in text_of(response)

    choose(client, "en", url)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert "Log in" in text_of(response)

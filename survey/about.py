"""The survey page's "Om måttet" panels: for each chart what its measure is, as
survey.metrics computes it (the index value, eNPS and its parts, the response rate), the
anonymity rule with the year's threshold, and where the data come from with the imports
the year's figures are made of (the answers in use, the employee counts).

The panels are made in survey.pages.computed, which the view keeps in the page cache
under the survey's data version: an import raises it, so a panel never names an older
import than the figures it explains.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.page import About, import_line

from .metrics import ENPS, RESPONSE_RATE

SCORE = gettext_lazy(
    "Varje svar 1–5 blir poäng 0–100: (svar − 1) × 25; för en fråga där ett högt svar är "
    "negativt (5 − svar) × 25."
)
INDEX = gettext_lazy(
    "Indexvärde (0–100) = summan av poängen för alla svar på indexets frågor ÷ antalet "
    "sådana svar. Indexet vägs efter svar: den som besvarat tre av frågorna väger tre gånger "
    "så tungt som den som besvarat en."
)
RESPONDENTS = gettext_lazy("Svarande = de som besvarat minst en av indexets frågor.")
ENPS_CLASSES = gettext_lazy(
    "Frågan om man skulle rekommendera arbetsgivaren besvaras 0–10: ambassadörer 9–10, "
    "passiva 7–8, kritiker 0–6."
)
ENPS_VALUE = gettext_lazy(
    "eNPS = andel ambassadörer (%) − andel kritiker (%) bland dem som besvarat frågan "
    "(−100 till 100)."
)
ENPS_SHARES = gettext_lazy(
    "Andel kritiker, passiva och ambassadörer = antalet i gruppen ÷ alla som besvarat "
    "frågan × 100; de tre andelarna blir tillsammans 100 %."
)
RATE = gettext_lazy(
    "Svarsfrekvens (%) = svarande ÷ antal medarbetare × 100. Svarande är alla som finns i "
    "svarsfilen för gruppens enheter; antalet medarbetare kommer ur den inlagda filen med "
    "antal medarbetare per enhet (utan den ingen svarsfrekvens)."
)
QUESTION = gettext_lazy(
    "Frågans värde (0–100) = medelvärdet av poängen för frågans svar: indexets formel över "
    "en fråga. Svarande = de som besvarat frågan."
)

DEFINITIONS = {
    "svarsfrekvens": gettext_lazy(
        "Hur stor del av medarbetarna som svarade på undersökningen, för gruppen, "
        "föregående år och nivåerna ovanför."
    ),
    "hme": gettext_lazy(
        "HME (Hållbart medarbetarengagemang, SKR): ett totalindex över nio frågor och tre "
        "delindex (motivation, ledarskap och styrning) över tre frågor var."
    ),
    "hse": gettext_lazy(
        "HSE (Hållbart säkerhetsengagemang): ett index över frågorna 1–9; "
        "utfallsfrågorna (10 och 11) visas var för sig, var och en som ett index över en "
        "fråga."
    ),
    "psykosocial": gettext_lazy(
        "Den psykosociala arbetsmiljöns dimensioner: varje dimension ett index över sina frågor."
    ),
    "psykosocial-teman": gettext_lazy(
        "Den psykosociala arbetsmiljöns teman: varje tema ett index över sina frågor, "
        "under sin dimension."
    ),
    "enps": gettext_lazy(
        "eNPS (employee Net Promoter Score): hur många som skulle rekommendera "
        "arbetsgivaren, minus hur många som inte skulle det."
    ),
    "enps-fordelning": gettext_lazy(
        "Hur svaren på eNPS-frågan fördelar sig på kritiker, passiva och ambassadörer."
    ),
}


def _formula(kind: str) -> list[str]:
    """The formula lines of a measure of `kind` (an index, eNPS, the response rate)."""
    if kind == RESPONSE_RATE:
        return [str(RATE)]
    if kind == ENPS:
        return [str(ENPS_CLASSES), str(ENPS_VALUE)]
    return [str(SCORE), str(INDEX), str(RESPONDENTS)]


def anonymity(threshold: int) -> str:
    return _(
        "Anonymitet: inget värde visas för en grupp med färre än %(threshold)s svarande "
        "(årets gräns), och inte heller ett värde som skulle kunna räknas fram ur andra "
        "visade värden, till exempel en verksamhet minus dess övriga enheter (dold). Samma "
        "regel gäller tabellerna och CSV-filerna."
    ) % {"threshold": threshold}


def sources(year: int, answers, population) -> list[str]:
    """The year's imports: the answers in use (`answers`, a SurveyBatch) and the employee
    counts in use (`population`, a SurveyBatch or None)."""
    return [
        import_line(
            _(
                "Svar: medarbetarundersökningens svarsfil för %(year)s, en rad per "
                "respondent med enhet och svar, importerad av HR."
            )
            % {"year": year},
            answers,
        ),
        import_line(
            _("Antal medarbetare per enhet för %(year)s (för svarsfrekvensen).") % {"year": year},
            population,
        ),
        _(
            "Organisationen är den som gällde när svaren importerades: en senare "
            "omorganisation ändrar inga resultat."
        ),
    ]


def about_panel(
    code: str,
    *,
    year: int,
    threshold: int,
    answers,
    population,
    index: str = "",
    index_label: str = "",
    index_kind: str = "index",
) -> About:
    """Chart `code`'s panel (survey.pages.CHART_CODES). Charts 8 and 9 explain the chosen
    `index` (its code, label and kind: index, enps or response_rate)."""
    if code == "index-per-grupp":
        definition = _(
            "%(index)s för grupperna sida vid sida, överst den grupp de ingår i som jämförelse."
        ) % {"index": index_label}
        formula = _formula(index_kind)
    elif code == "index-per-fraga":
        definition = _("Varje fråga i %(index)s för sig.") % {"index": index_label}
        formula = [str(SCORE), str(QUESTION)]
    else:
        definition = str(DEFINITIONS[code])
        kind = {"svarsfrekvens": RESPONSE_RATE, "enps": ENPS}.get(code, "index")
        formula = (
            [str(ENPS_CLASSES), str(ENPS_SHARES)] if code == "enps-fordelning" else _formula(kind)
        )
    return About(
        definition=definition,
        formula=[*formula, anonymity(threshold)],
        sources=sources(year, answers, population),
    )

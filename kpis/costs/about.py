"""The cost dashboard's "Om måttet" panels: for each chart what the measure is, how it is
computed, which accounts make up each of its categories (the account mapping as it is
now), where its data come from with their latest import, and what "preliminär" means.

The texts are the definitions the code computes (kpis.costs.metrics, series and
target_path; hyrdash.lib.periods), written for the steering group.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.page import About, import_line, preliminary_line
from kpis.costs import selection as codes
from kpis.costs.selectors import MeasureSources
from kpis.models import AGENCY_CATEGORIES, OWN_STAFF_CATEGORIES, Category, ImportBatch

ACTUALS, BUDGET = ImportBatch.Kind.ACTUALS, ImportBatch.Kind.BUDGET

R12 = gettext_lazy(
    "R12 (rullande tolv månader) för en månad = summan av den månaden och de elva före; den "
    "finns bara när alla tolv månader har utfall."
)
SKR = gettext_lazy(
    "SKR-mått = kostnad för hyrpersonal R12 ÷ kostnad för egen personal R12 × 100: en kvot "
    "av summor, aldrig ett medelvärde av månadernas kvoter. Nämnaren är kostnaden för den "
    "egna anställda personalen, inte egen plus inhyrd."
)
TARGET = gettext_lazy(
    "Målet är årets mål för urvalet: dess eget, eller förvaltningens där urvalet är markerat "
    "att följa det; ett urval utan mål visar inget."
)

# code -> (definition, formula lines, categories, kinds of import)
TEXTS = {
    codes.AGENCY_YTD: (
        gettext_lazy(
            "Kostnaden för inhyrd personal (hyrpersonal) från januari till vald månad, per "
            "yrkesgrupp och totalt, jämfört med samma månader föregående år."
        ),
        [
            gettext_lazy("Ack = summan av januari till och med vald månad."),
            gettext_lazy(
                "Förändring = ack i år − ack samma period i fjol; förändring (%) = "
                "förändringen ÷ ack i fjol × 100."
            ),
        ],
        AGENCY_CATEGORIES,
        (ACTUALS,),
    ),
    "agency-monthly": (
        gettext_lazy("Kostnaden för hyrpersonal per månad, en linje per år."),
        [gettext_lazy("Månadens kostnad = summan av månadens belopp på hyrpersonalens konton.")],
        AGENCY_CATEGORIES,
        (ACTUALS,),
    ),
    "agency-r12": (
        gettext_lazy("Kostnaden för hyrpersonal rullande tolv månader."),
        [R12],
        AGENCY_CATEGORIES,
        (ACTUALS,),
    ),
    "skr-measure": (
        gettext_lazy(
            "SKR-måttet (Sveriges Kommuner och Regioners mått): kostnaden för hyrpersonal i "
            "procent av kostnaden för egen personal, båda rullande tolv månader, med årets mål. "
            "Den streckade fortsättningen till december är prognosen om nuvarande takt håller "
            "(se Vad krävs för att nå målet?)."
        ),
        [R12, SKR, TARGET],
        AGENCY_CATEGORIES + OWN_STAFF_CATEGORIES,
        (ACTUALS, BUDGET),
    ),
    codes.SKR_TARGET_PATH: (
        gettext_lazy(
            "Hur stor kostnad för hyrpersonal varje återstående månad av året får ha för att "
            "SKR-måttet i december ska nå årets mål, och vilket mått nuvarande takt ger."
        ),
        [
            gettext_lazy(
                "Egen personal R12 i december = utfall för egen personal januari till vald "
                "månad + budget för egen personal resten av året (saknas en budgetmånad kan "
                "den inte räknas)."
            ),
            gettext_lazy(
                "Tillåten kostnad för hyrpersonal per månad = (mål ÷ 100 × egen personal R12 i "
                "december − kostnad för hyrpersonal januari till vald månad) ÷ månader kvar. "
                "Negativ: målet kan inte längre nås i år."
            ),
            gettext_lazy(
                "Takt = medelvärdet av kostnaden för hyrpersonal vald månad och de två före."
            ),
            gettext_lazy(
                "Prognos för SKR-måttet i december = (kostnad för hyrpersonal januari till "
                "vald månad + takt × månader kvar) ÷ egen personal R12 i december × 100."
            ),
            TARGET,
        ],
        AGENCY_CATEGORIES + OWN_STAFF_CATEGORIES,
        (ACTUALS, BUDGET),
    ),
    codes.SKR_SCOPES: (
        gettext_lazy(
            "SKR-måttet rullande tolv månader för hela förvaltningen, varje vårdtyp och varje "
            "område, med varje urvals mål."
        ),
        [R12, SKR, TARGET],
        AGENCY_CATEGORIES + OWN_STAFF_CATEGORIES,
        (ACTUALS,),
    ),
    "agency-r12-by-area": (
        gettext_lazy("Kostnaden för hyrpersonal rullande tolv månader per område i urvalet."),
        [R12],
        AGENCY_CATEGORIES,
        (ACTUALS,),
    ),
    "personnel-cost": (
        gettext_lazy(
            "Personalkostnaden per månad: egen personal och hyrpersonal, utfall mot budget "
            "och mot samma månad föregående år."
        ),
        [
            gettext_lazy(
                "Personalkostnad = kostnaden för egen personal + kostnaden för hyrpersonal."
            )
        ],
        AGENCY_CATEGORIES + OWN_STAFF_CATEGORIES,
        (ACTUALS, BUDGET),
    ),
    codes.BY_DEPARTMENT: (
        gettext_lazy(
            "Kostnaden för hyrpersonal per verksamhet och yrkesgrupp för vald period, jämfört "
            "med samma månader ett år tidigare."
        ),
        [gettext_lazy("Summan av periodens månader; saknas en månad visas summan som –.")],
        AGENCY_CATEGORIES,
        (ACTUALS,),
    ),
    codes.BY_UNIT: (
        gettext_lazy(
            "Kostnaden för hyrpersonal per enhet (ansvar) och yrkesgrupp för vald period, "
            "jämfört med samma månader ett år tidigare. Kostnader är inga personuppgifter och "
            "visas för varje enhet."
        ),
        [gettext_lazy("Summan av periodens månader; saknas en månad visas summan som –.")],
        AGENCY_CATEGORIES,
        (ACTUALS,),
    ),
    "agency-hours": (
        gettext_lazy(
            "Köpta hyrtimmar: timmarna som rapporteras på hyrpersonalens konton, och kostnaden "
            "per timme."
        ),
        [
            gettext_lazy(
                "Kostnad per timme = yrkesgruppens kostnad för månaden ÷ dess timmar samma "
                "månad; timmar som inte rapporterats räknas som 0."
            )
        ],
        AGENCY_CATEGORIES,
        (ACTUALS,),
    ),
    codes.NATIONAL_TREND: (
        gettext_lazy(
            "Vår regions andel hyrpersonal och riksgenomsnittet per kvartal, ur SKR:s "
            "statistik. Andelarna gäller hela regionen, oavsett valt urval."
        ),
        [gettext_lazy("Andelarna räknas inte här: de läggs in som SKR publicerar dem, i procent.")],
        (),
        (),
    ),
    codes.NATIONAL: (
        gettext_lazy(
            "Andelen hyrpersonal per region och riksgenomsnittet för ett kvartal, ur SKR:s "
            "statistik. Andelarna gäller hela regionen, oavsett valt urval."
        ),
        [gettext_lazy("Andelarna räknas inte här: de läggs in som SKR publicerar dem, i procent.")],
        (),
        (),
    ),
}


def _import_line(kind: str, batch: ImportBatch | None) -> str:
    source = {
        ACTUALS: _(
            "Utfall: ekonomisystemets huvudbok, utdrag per månad, ansvar och konto, "
            "importerat av controller."
        ),
        BUDGET: _("Budget: ekonomisystemets budget per månad, ansvar och konto."),
    }[kind]
    return import_line(source, batch)


def _preliminary(closed_through: pd.Period | None) -> str:
    text = _(
        "Preliminär betyder att månaden inte är stängd av controller: siffrorna kan ändras, "
        "till exempel när ett nytt utdrag för månaden importeras. Preliminära månader är "
        "prickade i diagrammen och märkta (prel.) i tabellerna."
    )
    return preliminary_line(text, closed_through)


def about_panel(
    code: str, sources: MeasureSources, *, closed_through: pd.Period | None
) -> About | None:
    """Chart `code`'s panel; None for a chart without one."""
    if code not in TEXTS:
        return None
    definition, formula, categories, kinds = TEXTS[code]
    lines = [_import_line(kind, sources.latest.get(kind)) for kind in kinds]
    if kinds:
        lines.append(
            _(
                "Organisationen är dagens: när en enhet flyttar räknas dess kostnader till "
                "den nya verksamheten och det nya området, även bakåt i tiden."
            )
        )
    if code in (codes.NATIONAL, codes.NATIONAL_TREND):
        lines.append(
            _(
                "SKR:s kvartalsstatistik, inlagd av controller (Period;Region;Andel). "
                "Uppladdade kvartal: %(quarters)s."
            )
            % {"quarters": ", ".join(sources.national_quarters) or "–"}
        )
    return About(
        definition=str(definition),
        formula=[str(line) for line in formula],
        categories=[(str(Category(c).label), sources.accounts.get(str(c), [])) for c in categories],
        sources=lines,
        preliminary=_preliminary(closed_through) if kinds else "",
    )

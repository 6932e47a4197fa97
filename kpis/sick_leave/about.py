"""The sick-leave page's "Om måttet" panels: for each chart what the measure is, how it is
computed (kpis.sick_leave.metrics: ratios of sums, R12), which values are withheld
(ÅRL 5 kap. 18 a §, with the limit in force: settings.SICK_LEAVE_MAX_HIDDEN_GROUP, as
SickLeaveData.max_hidden carries it), where the data come from with their latest import
(kpis.sick_leave.selectors.latest_import), and what "preliminär" means.

The panels are made with the charts (page.build_charts), inside the page cache's
computation: a new import raises the sick-leave data version, so the panel's latest
import is never older than the figures it explains.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrdash.lib.page import About, import_line, preliminary_line

RATE = gettext_lazy(
    "Sjukfrånvaro (%) = sjuktimmar ÷ ordinarie arbetstid × 100, där sjuktimmar är alla "
    "timmar med sjukfrånvaro (dag 1–14, 15–59 och 60 och senare i sjukperioden) och "
    "ordinarie arbetstid de schemalagda timmarna."
)
R12 = gettext_lazy(
    "R12 (rullande tolv månader) för en månad = summan av sjuktimmarna den månaden och de "
    "elva före ÷ summan av den ordinarie arbetstiden samma tolv månader × 100: en kvot av "
    "summor, aldrig ett medelvärde av månadernas procent. Den finns bara när alla tolv "
    "månaderna har data."
)
TARGET = gettext_lazy(
    "Målet är årets mål för urvalet: dess eget, eller förvaltningens där urvalet är markerat "
    "att följa det."
)

DEFINITIONS = {
    "sick-leave-r12": gettext_lazy(
        "Sjukfrånvaron i procent av ordinarie arbetstid, rullande tolv månader, för urvalet "
        "och dess delar (områdena under hela förvaltningen, verksamheterna under ett "
        "område), med årets mål."
    ),
    "sick-leave-gender": gettext_lazy(
        "Sjukfrånvaron i procent av ordinarie arbetstid, rullande tolv månader, för "
        "kvinnor och män i urvalet och för alla."
    ),
    "sick-leave-age": gettext_lazy(
        "Sjukfrånvaron i procent av ordinarie arbetstid, rullande tolv månader, per "
        "åldersgrupp i urvalet och för alla."
    ),
    "sick-leave-duration": gettext_lazy(
        "Hur sjukfrånvaron fördelar sig på korta och långa sjukperioder, rullande tolv "
        "månader: korttidssjukfrånvaron i procent av ordinarie arbetstid, och "
        "långtidssjukfrånvarons andel av all sjukfrånvaro."
    ),
}

DURATION_FORMULA = [
    gettext_lazy(
        "Korttid R12 (%) = sjuktimmar dag 1–14 i sjukperioden under tolv månader ÷ ordinarie "
        "arbetstid samma tolv månader × 100."
    ),
    gettext_lazy(
        "Långtidsandel R12 (%) = sjuktimmar dag 60 och senare under tolv månader ÷ alla "
        "sjuktimmar samma tolv månader × 100. Timmarna dag 15–59 räknas varken som kort- "
        "eller långtid men ingår i alla sjuktimmar."
    ),
]


def withheld(max_hidden: int) -> str:
    """The small-group rule, with the limit in force."""
    return _(
        "Värden som inte visas (..): enligt årsredovisningslagen (ÅRL 5 kap. 18 a §) redovisas "
        "ingen sjukfrånvaro för en grupp med högst %(max)s anställda, och inte heller när den "
        "kan hänföras till en enskild. Därför visas inget värde för en grupp som en månad "
        "hade 1–%(max)s anställda, inte heller ett värde som skulle gå att räkna fram ur de "
        "visade (till exempel området minus dess övriga verksamheter). Ett R12-värde visas "
        "bara när alla dess tolv månader visas. Samma regel gäller CSV-filerna."
    ) % {"max": max_hidden}


def source(batch) -> str:
    """The data's source and its latest import (`batch`, an ImportBatch, or None)."""
    return import_line(
        _(
            "Sjukfrånvaro: lönesystemets utdrag per månad, enhet, kön och åldersgrupp "
            "(anställda, ordinarie arbetstid och sjuktimmar dag 1–14, 15–59 och 60–), "
            "importerat av HR eller controller."
        ),
        batch,
    )


def preliminary(closed_through: pd.Period | None) -> str:
    text = _(
        "Preliminär betyder att månaden inte är stängd: lönesystemets rättelser av en månad "
        "kommer med nästa månads utdrag, så siffrorna kan ändras tills HR eller controller "
        "stänger månaden. Preliminära månader är prickade i diagrammen och märkta (prel.) i "
        "tabellerna."
    )
    return preliminary_line(text, closed_through)


def about_panel(code: str, *, max_hidden: int, latest, closed_through: pd.Period | None) -> About:
    """Chart `code`'s panel (page.CHARTS' codes; KeyError for another)."""
    formula = [RATE, R12]
    if code == "sick-leave-duration":
        formula = DURATION_FORMULA
    if code == "sick-leave-r12":
        formula = [*formula, TARGET]
    return About(
        definition=str(DEFINITIONS[code]),
        formula=[str(line) for line in formula] + [withheld(max_hidden)],
        sources=[
            source(latest),
            _("Varje enhet räknas till den verksamhet och det område den hörde till den månaden."),
        ],
        preliminary=preliminary(closed_through),
    )

"""The placements' hours chart's "Om måttet" panel: what the two series of hours are
(kpis.placements.metrics.hours_per_month and hours_comparison), where they come from and
their latest imports. Made with the chart in the page cache's computation, which the
placements' and the costs' data versions key: an import of either names itself at once.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hyrdash.lib.page import About, import_line


def about_panel(*, placements, actuals) -> About:
    """The panel; `placements` the newest placements import (PlacementBatch), `actuals`
    the newest ledger import (ImportBatch), either None."""
    return About(
        definition=_(
            "Köpta timmar per månad enligt bemanningssystemets placeringar och enligt "
            "huvudboken, och skillnaden mellan dem, så att det som inte stämmer mellan "
            "systemen syns."
        ),
        formula=[
            _(
                "Bemanningssystemet: varje placerings bokade timmar fördelas jämnt på "
                "placeringens kalenderdagar och summeras per månad; en placering utan "
                "slutdatum eller timmar räknas inte in."
            ),
            _("Huvudboken: timmarna som rapporterats på hyrpersonalens konton samma månad."),
            _("Skillnad = bemanningssystemets timmar − huvudbokens timmar."),
        ],
        sources=[
            import_line(
                _("Placeringar: bemanningssystemets utdrag, importerat av bemanning."),
                placements,
            ),
            import_line(
                _(
                    "Utfall: ekonomisystemets huvudbok, utdrag per månad, ansvar och konto, "
                    "importerat av controller."
                ),
                actuals,
            ),
        ],
    )

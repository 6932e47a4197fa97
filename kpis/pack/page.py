"""The pack page: which month and scope (GET or POST parameters manad and urval), and
what the page lists."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.page import MONTH, SCOPE, MonthSelection, clean_param, month_options, parse_month
from kpis.costs.selectors import CostData
from kpis.organisation.selectors import Scope, ScopeError, parse_month_and_scope
from kpis.pack.services import pack_filename, pack_scope
from kpis.pack.slides import is_preliminary


@dataclass(frozen=True)
class PackSelection(MonthSelection):
    month: pd.Period
    scope: Scope
    range_given: bool = False  # the shared selection form asks

    def params(self) -> dict[str, str]:
        return {MONTH: self.month_text, SCOPE: self.scope.key}

    def query(self) -> str:
        return urlencode(self.params())


def parse_selection(params, *, months: CostData) -> tuple[PackSelection, list[str]]:
    """The month (one with actuals, default the newest) and the scope (the
    administration, a care type or an area), and messages for what was ignored."""
    month, scope, problems = parse_month_and_scope(
        params,
        months=months.months_actuals,
        default=months.last_month,
        no_data=_("%(month)s har inga utfall; visar %(shown)s."),
    )
    try:
        scope = pack_scope(scope.key)
    except ScopeError as exc:
        problems.append(_("%(problem)s Visar hela förvaltningen.") % {"problem": exc})
        scope = Scope()
    return PackSelection(month, scope), problems


def parse_posted(params) -> PackSelection:
    """The month and scope a form posts: any well-formed month (the month's actuals may
    have been undone meanwhile) and a pack scope; ValueError with a message otherwise."""
    month = parse_month(clean_param(params.get(MONTH)))
    if month is None:
        raise ValueError(_("Månaden förstås inte (skriv ÅÅÅÅ-MM)."))
    return PackSelection(month, pack_scope(clean_param(params.get(SCOPE)) or None))


def command_line(selection: PackSelection) -> str:
    """The same pack from the command line, for the page to show."""
    filename = pack_filename(month=selection.month, scope=selection.scope)
    return (
        f"python manage.py steering_pack --month {selection.month_text} "
        f'--scope "{selection.scope.key}" -o {filename}'
    )


def month_choices(months: CostData) -> list[tuple[str, str]]:
    return month_options(months.months_actuals, lambda m: is_preliminary(months, m))


def contents() -> list[str]:
    """What a pack holds, in order, for the page."""
    return [
        _("Titelbild: region, urval, månad och om månaden är preliminär"),
        _("Kostnader för hyrpersonal hittills i år per yrkesgrupp jämfört med samma period i fjol"),
        _("Kostnad per månad, en linje per år"),
        _("Kostnad R12 (tkr)"),
        _("SKR-måttet R12 med mål"),
        _("SKR-måttet per vårdtyp och område"),
        _("Kostnad R12 per område (mkr)"),
        _(
            "Personalkostnader: utfall mot budget och fjolårets utfall (för hela förvaltningen "
            "också sjukhusvård och primärvård)"
        ),
        _("Kostnad per verksamhet och yrke de tre senaste månaderna jämfört med i fjol"),
        _("Köpta hyrtimmar"),
        _("Textbilderna nedan"),
        _("Nationell jämförelse"),
        _("Sjukfrånvaro R12"),
        _("Medarbetarundersökningen när månadens år har en: svarsfrekvens, HME, HSE och eNPS"),
        _("Underlag: importerna, månadernas status, när paketet byggdes och versionen"),
    ]

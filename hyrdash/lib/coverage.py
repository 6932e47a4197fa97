"""How much of what is stored a new file covers, period by period (a month of the ledger
or of sick leave, a survey year), and the rule that calls a file partial. Pure: the
subjects' services count what is stored and what the file holds, this compares.

A controller's correction often holds one unit's rows; imported as a whole month it
would wipe every other unit. So a file that covers clearly less than what is stored is
never applied to whole periods unless the uploader says so (kpis: replace the whole
months or update only the file's units; the survey: replace the year).

A period with nothing stored is compared with the nearest earlier period that has data
(the previous month with data, the previous survey year): a 3-row file of a new month
would otherwise become everybody's default month unwarned. The subject chooses the
figures compared: the ledger compares a new month by its units alone (its sums swing
with the season), sick leave and the survey their sums too. For such a period both of
kpis' choices mean the same (the file's units are all the month has); the uploader
still confirms it explicitly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from fractions import Fraction

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hyrdash.lib.errors import ServiceError
from hyrdash.lib.formatting import format_number, format_pct

# The rule (is_partial): a file is partial for a period that has data now when it holds
# fewer than MIN_UNIT_SHARE of the units with data now, or when a figure compared whose
# stored sum is above 0 falls by more than MAX_FALL. A period with nothing stored is
# judged the same way against the nearest earlier period with data (Coverage.compared_with).
# Exact fractions: amounts are compared in öre, as integers.
MIN_UNIT_SHARE = Fraction(1, 2)
MAX_FALL = Fraction(1, 2)

# How many missing units (or accounts) a warning names before "och N till".
MAX_LISTED_UNITS = 10


@dataclass
class Coverage:
    """One period of a file against what is stored for it now.

    `missing_units` and `missing_accounts` are labels ("0102 Hälsocentral Ursviken",
    "4611") of those with data now that the file lacks, sorted; `falling` the figures
    (codes, as the confirmation page's rows) that fall by more than MAX_FALL, with their
    stored and new sums.

    `compared_with` is empty when the period has data now. For a period with nothing
    stored it is the nearest earlier period with data ("2026-10", "2024"), and the
    stored counts, missing units and accounts and falling figures are that period's."""

    period: str
    units_stored: int
    units_in_file: int
    missing_units: list[str] = field(default_factory=list)
    missing_accounts: list[str] = field(default_factory=list)
    falling: list[dict] = field(default_factory=list)  # figure, stored, new
    compared_with: str = ""

    @property
    def units_kept(self) -> int:
        """Units with data now that the file holds too."""
        return self.units_stored - len(self.missing_units)

    @property
    def partial(self) -> bool:
        return is_partial(
            units_stored=self.units_stored, units_kept=self.units_kept, falling=self.falling
        )

    def as_dict(self) -> dict:
        """For a pending upload's JSON (from_dict reads it back)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Coverage:
        return cls(**data)


def is_partial(*, units_stored: int, units_kept: int, falling: Collection) -> bool:
    """Whether a file covers a period clearly less than what is stored: it holds fewer
    than MIN_UNIT_SHARE (half) of the units with data now (`units_kept` of
    `units_stored`), or a figure falls by more than MAX_FALL (half; `falling`, see
    `falls`). A period with nothing stored is judged against the nearest earlier period
    with data (its counts are then that period's); with none to compare with, it is
    never partial (0 units stored, nothing falls).

    At the edges: 5 of 10 units is not partial, 4 of 10 is; 1 of 2 is not, 0 of 1 is.
    """
    if units_stored and units_kept < units_stored * MIN_UNIT_SHARE:
        return True
    return bool(falling)


def falls(stored: float, new: float) -> bool:
    """Whether a figure falls by more than MAX_FALL: stored above 0 and new below
    stored × (1 − MAX_FALL), compared in hundredths (öre) as integers. With MAX_FALL
    one half, 1 000,00 to 500,00 does not fall by more than half, to 499,99 it does;
    a figure that was 0 or negative never does."""
    stored_cents, new_cents = round(stored * 100), round(new * 100)
    return stored_cents > 0 and new_cents < stored_cents * (1 - MAX_FALL)


def period_coverage(
    *,
    period: str,
    stored_units: Collection,
    file_units: Collection,
    unit_labels: Mapping,
    stored: Mapping[str, float],
    new: Mapping[str, float],
    figures: Iterable[str],
    stored_accounts: Collection[str] = (),
    file_accounts: Collection[str] = (),
    compared_with: str = "",
) -> Coverage:
    """Compare a period of a file with what is stored: units (ids, named by
    `unit_labels` when missing), accounts (konto) and each of `figures` (its stored and
    new sums; absent counts as 0). For a period with nothing stored, what is "stored" is
    the period `compared_with`'s (the nearest earlier one with data)."""
    missing = set(stored_units) - set(file_units)
    return Coverage(
        period=period,
        compared_with=compared_with,
        units_stored=len(set(stored_units)),
        units_in_file=len(set(file_units)),
        missing_units=sorted(str(unit_labels.get(unit, unit)) for unit in missing),
        missing_accounts=sorted(set(stored_accounts) - set(file_accounts)),
        falling=[
            {"figure": code, "stored": stored.get(code, 0.0), "new": new.get(code, 0.0)}
            for code in figures
            if falls(stored.get(code, 0.0), new.get(code, 0.0))
        ],
    )


def listed(names: list[str], limit: int = MAX_LISTED_UNITS) -> str:
    """'a, b, c' or, past `limit`, 'a, b … och 7 till'."""
    shown = ", ".join(names[:limit])
    rest = len(names) - limit
    if rest <= 0:
        return shown
    return _("%(names)s och %(count)s till") % {"names": shown, "count": rest}


def is_year(period: str) -> bool:
    """A survey year ("2025") rather than a month ("2025-11")."""
    return len(period) == 4


def period_name(period: str) -> str:
    """'oktober 2026' for '2026-10'; a year as it is."""
    if is_year(period):
        return period
    # Here, not at the top: kpis.models imports this module, and chart_style imports Plotly.
    from hyrdash.lib.chart_style import month_label

    return month_label(pd.Period(period, freq="M"))


def new_periods_only(coverages: Iterable[Coverage]) -> bool:
    """Whether every partial period of a file has nothing stored (it is judged against an
    earlier period): then the uploader's only choice is to import it anyway or cancel."""
    partial = [coverage for coverage in coverages if coverage.partial]
    return bool(partial) and all(coverage.compared_with for coverage in partial)


def _new_period_heading(coverage: Coverage) -> str:
    values = {"period": coverage.period, "reference": period_name(coverage.compared_with)}
    if is_year(coverage.period):
        return (
            _(
                "Filen täcker klart mindre för %(period)s, som inte har några sparade värden "
                "än, jämfört med %(reference)s, senaste året med data."
            )
            % values
        )
    return (
        _(
            "Filen täcker klart mindre för %(period)s, som inte har några sparade värden än, "
            "jämfört med %(reference)s, senaste månaden med data."
        )
        % values
    )


def _units_line(coverage: Coverage) -> str:
    values = {
        "period": coverage.period,
        "kept": format_number(coverage.units_kept),
        "stored": format_number(coverage.units_stored),
        "units": listed(coverage.missing_units),
    }
    if coverage.compared_with:
        values["reference"] = period_name(coverage.compared_with)
        return (
            ngettext(
                "%(period)s: filen har %(kept)s av %(stored)s enhet som har värden för "
                "%(reference)s; saknas: %(units)s.",
                "%(period)s: filen har %(kept)s av %(stored)s enheter som har värden för "
                "%(reference)s; saknas: %(units)s.",
                coverage.units_stored,
            )
            % values
        )
    return (
        ngettext(
            "%(period)s: filen har %(kept)s av %(stored)s enhet som har värden nu; "
            "saknas: %(units)s.",
            "%(period)s: filen har %(kept)s av %(stored)s enheter som har värden nu; "
            "saknas: %(units)s.",
            coverage.units_stored,
        )
        % values
    )


def _falling_line(coverage: Coverage, item: dict, labels: Mapping[str, tuple]) -> str:
    label, decimals = labels.get(item["figure"], (item["figure"], 2))
    values = {
        "period": coverage.period,
        "figure": label,
        "stored": format_number(item["stored"], decimals),
        "new": format_number(item["new"], decimals),
        "change": format_pct((item["new"] - item["stored"]) / item["stored"] * 100, 0),
    }
    if coverage.compared_with:
        values["reference"] = period_name(coverage.compared_with)
        return (
            _("%(period)s: %(figure)s är %(new)s mot %(stored)s för %(reference)s (%(change)s).")
            % values
        )
    return _("%(period)s: %(figure)s minskar från %(stored)s till %(new)s (%(change)s).") % values


def warning_lines(coverages: Iterable[Coverage], labels: Mapping[str, tuple]) -> list[str]:
    """The Swedish warning for a partial file: a line naming the periods with data now
    it covers clearly less of, one per period with nothing stored that it covers clearly
    less than the nearest earlier period with data, then per partial period the units it
    lacks and the figures that fall. `labels` names the figures: code -> (label,
    decimals), as the confirmation page's rows."""
    partial = [coverage for coverage in coverages if coverage.partial]
    if not partial:
        return []
    stored = [coverage.period for coverage in partial if not coverage.compared_with]
    lines = []
    if stored:
        lines.append(
            _("Filen täcker klart mindre än det som är sparat för %(periods)s.")
            % {"periods": ", ".join(stored)}
        )
    lines += [_new_period_heading(c) for c in partial if c.compared_with]
    for coverage in partial:
        if coverage.missing_units:
            lines.append(_units_line(coverage))
        lines += [_falling_line(coverage, item, labels) for item in coverage.falling]
    return lines


class PartialFileError(ServiceError):
    """A partial file (`is_partial`) given to an import without the uploader's choice.
    `lines()` is the warning; the command or page then asks for the choice.
    `new_periods_only`: every partial period has nothing stored (`new_periods_only`), so
    the choice is only to import it anyway."""

    def __init__(self, lines: list[str], *, new_periods_only: bool = False):
        self.warning = list(lines)
        self.new_periods_only = new_periods_only
        super().__init__("\n".join(self.warning))

    def lines(self) -> list[str]:
        return list(self.warning)

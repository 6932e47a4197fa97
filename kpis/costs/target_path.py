"""The target path (KPI 12, "Vad krävs för att nå målet?") for one scope and month.

Pure maths on monthly series, like ``kpis.metrics``: no database, no Django
models (Django's number formats only write the gap in mkr into ``reason``). Series are monthly SEK sums indexed by a ``pandas.PeriodIndex`` of freq
``"M"``; a month without data is absent or NaN (zero is a real value).

With Y the year of ``month``, ``months_left`` = 12 − month number of ``month``
(the months after it up to December; 0 in December) and T = ``target_pct``:

- ``agency_ytd_sek`` (SEK) = agency actuals January..``month`` of Y;
- ``own_staff_r12_dec_sek`` (SEK), own-staff cost R12 at December of Y, that is
  the sum January..December of Y = own-staff actuals January..``month`` +
  own-staff budget for the ``months_left`` months after ``month``;
- margin (SEK) = T / 100 × ``own_staff_r12_dec_sek`` − ``agency_ytd_sek``: the
  agency cost the rest of the year may still hold;
- ``agency_allowed_per_month_sek`` (SEK per month) = margin ÷ ``months_left``;
  negative when the target can no longer be reached this year;
- ``agency_run_rate_per_month_sek`` (SEK per month) = the mean agency cost of
  ``month`` and the two months before it (across a year boundary in January
  and February);
- ``projected_pct`` (%), the SKR measure at December if the run rate holds =
  (``agency_ytd_sek`` + run rate × ``months_left``) ÷ ``own_staff_r12_dec_sek``
  × 100; in December the actual measure, ``agency_ytd_sek`` ÷
  ``own_staff_r12_dec_sek`` × 100, which needs no run rate;
- ``reachable`` = margin ≥ 0 (in December: the year's measure is at most T);
- ``gap_sek`` (SEK) = −margin = ``agency_ytd_sek`` − T / 100 ×
  ``own_staff_r12_dec_sek`` when margin < 0, else ``None``: the agency cost
  already spent beyond what the target allows for the whole year.

A sum or mean is ``None`` when any month it needs is missing, as
``hyrdash.lib.periods.year_to_date`` does; everything computed from it is ``None``
too, and ``reason`` says which months are missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib.chart_style import short_month_label
from hyrdash.lib.formatting import format_mkr, format_money, format_pct
from hyrdash.lib.periods import ratio_pct
from kpis.costs.metrics import skr_measure

__all__ = ["COLUMNS", "TargetPath", "projection_points", "row_labels", "sentence", "target_path"]

# The export's columns, in order (TargetPath.as_row).
COLUMNS = (
    "year",
    "target_pct",
    "months_left",
    "agency_ytd_sek",
    "own_staff_r12_dec_sek",
    "agency_allowed_per_month_sek",
    "agency_run_rate_per_month_sek",
    "projected_pct",
)

RUN_RATE_MONTHS = 3


@dataclass(frozen=True)
class TargetPath:
    """The target path for one scope and month; the module docstring has the formulas.

    Amounts in SEK, ``target_pct`` and ``projected_pct`` in %, ``months_left`` in
    months. ``reason`` (Swedish, ``None`` when there is nothing to say) explains
    every empty field, and says when the target is out of reach and by how much.
    """

    year: int
    target_pct: float | None
    months_left: int
    agency_ytd_sek: float | None
    own_staff_r12_dec_sek: float | None
    agency_allowed_per_month_sek: float | None
    agency_run_rate_per_month_sek: float | None
    projected_pct: float | None
    reachable: bool | None
    gap_sek: float | None
    reason: str | None

    def as_row(self) -> tuple[int | float | None, ...]:
        """The export row: the fields named in ``COLUMNS``, in that order."""
        return tuple(getattr(self, name) for name in COLUMNS)


def _months_label(months: list[pd.Period]) -> str:
    """ "nov 2026, dec 2026" (the charts' month labels, in the active language)."""
    return ", ".join(short_month_label(m) for m in months)


def _on_months(series: pd.Series, months: pd.PeriodIndex) -> pd.Series:
    """A monthly series' values on ``months`` as floats, NaN where a month is absent."""
    if len(series) and not (
        isinstance(series.index, pd.PeriodIndex) and series.index.freqstr == "M"
    ):
        raise TypeError("expected a Series indexed by a monthly PeriodIndex (freq 'M')")
    return series.astype("float64").reindex(months)


def _sum(series: pd.Series, months: pd.PeriodIndex) -> tuple[float | None, list[pd.Period]]:
    """(sum over ``months`` or None, the months missing or NaN). No months: (0.0, [])."""
    values = _on_months(series, months)
    missing = list(values.index[values.isna()])
    return (None if missing else float(values.sum())), missing


def _year_months(month: pd.Period) -> tuple[pd.PeriodIndex, pd.PeriodIndex]:
    """(January..month, the months after month up to December)."""
    january = pd.Period(year=month.year, month=1, freq="M")
    december = pd.Period(year=month.year, month=12, freq="M")
    return (
        pd.period_range(january, month, freq="M"),
        pd.period_range(month + 1, december, freq="M"),
    )


def _run_rate(agency: pd.Series, month: pd.Period) -> tuple[float | None, list[pd.Period]]:
    months = pd.period_range(month - (RUN_RATE_MONTHS - 1), month, freq="M")
    total, missing = _sum(agency, months)
    return (None if total is None else total / RUN_RATE_MONTHS), missing


def target_path(
    *,
    agency: pd.Series,
    own_staff_actual: pd.Series,
    own_staff_budget: pd.Series,
    month: pd.Period,
    target_pct: float | None,
) -> TargetPath:
    """The target path at ``month`` for a year whose target is ``target_pct`` (%).

    ``agency`` and ``own_staff_actual`` are monthly actuals, ``own_staff_budget``
    the monthly own-staff budget, all in SEK; only the budget of the months after
    ``month`` in its year is used. The formulas are in the module docstring.
    """
    month = pd.Period(month, freq="M")
    if target_pct is not None and math.isnan(target_pct):
        target_pct = None
    so_far, rest = _year_months(month)
    months_left = len(rest)
    agency_ytd, agency_missing = _sum(agency, so_far)
    own_ytd, own_missing = _sum(own_staff_actual, so_far)
    budget_rest, budget_missing = _sum(own_staff_budget, rest)
    run_rate, run_rate_missing = _run_rate(agency, month)
    own_r12_dec = None if own_ytd is None or budget_rest is None else own_ytd + budget_rest
    reasons = _missing_reasons(
        month=month,
        months_left=months_left,
        target_pct=target_pct,
        missing=(agency_missing, own_missing, budget_missing, run_rate_missing),
        own_r12_dec=own_r12_dec,
    )
    if months_left == 0:
        projected = ratio_pct(agency_ytd, own_r12_dec)
    elif agency_ytd is None or run_rate is None:
        projected = None
    else:
        projected = ratio_pct(agency_ytd + run_rate * months_left, own_r12_dec)
    allowed = reachable = gap = None
    if target_pct is not None and agency_ytd is not None and own_r12_dec is not None:
        margin = target_pct / 100 * own_r12_dec - agency_ytd
        reachable = margin >= 0
        allowed = margin / months_left if months_left else None
        if margin < 0:
            gap = -margin
            reasons.append(_gap_reason(gap, months_left))
    return TargetPath(
        year=month.year,
        target_pct=None if target_pct is None else float(target_pct),
        months_left=months_left,
        agency_ytd_sek=agency_ytd,
        own_staff_r12_dec_sek=own_r12_dec,
        agency_allowed_per_month_sek=allowed,
        agency_run_rate_per_month_sek=run_rate,
        projected_pct=projected,
        reachable=reachable,
        gap_sek=gap,
        reason=" ".join(reasons) or None,
    )


def _missing_reasons(*, month, months_left, target_pct, missing, own_r12_dec) -> list[str]:
    """Why fields of the path are empty, in the active language."""
    agency_missing, own_missing, budget_missing, run_rate_missing = missing
    reasons = []
    if months_left == 0:
        reasons.append(_("Året är slut: inga månader kvar att fördela kostnad på."))
    if target_pct is None:
        reasons.append(_("Inget mål är satt för %(year)s.") % {"year": month.year})
    for months, text in (
        (agency_missing, _("Utfall för hyrpersonal saknas för %(months)s.")),
        (own_missing, _("Utfall för egen personal saknas för %(months)s.")),
        (budget_missing, _("Budget saknas för %(months)s.")),
        (
            run_rate_missing,
            _(
                "Takten (snittet av de tre senaste månaderna) kräver utfall för hyrpersonal "
                "för %(months)s."
            ),
        ),
    ):
        if months:
            reasons.append(text % {"months": _months_label(months)})
    if own_r12_dec == 0:
        reasons.append(_("Kostnaden för egen personal under året är 0: måttet kan inte beräknas."))
    return reasons


def _gap_reason(gap: float, months_left: int) -> str:
    if months_left:
        return _(
            "Målet kan inte längre nås i år: kostnaden för hyrpersonal är redan "
            "%(gap)s över vad målet tillåter för hela året."
        ) % {"gap": format_mkr(gap)}
    return _("Målet nåddes inte: kostnaden för hyrpersonal blev %(gap)s över målet.") % {
        "gap": format_mkr(gap)
    }


def projection_points(
    *,
    agency: pd.Series,
    own_staff_actual: pd.Series,
    own_staff_budget: pd.Series,
    month: pd.Period,
) -> pd.Series:
    """The projected SKR measure (%) for each month after ``month`` up to December.

    For the dashed continuation of the SKR chart (KPI 4). For each such month m:

        R12 agency(m) ÷ R12 own staff(m) × 100, with R12(x)(m) = x(m−11) + … + x(m),

    where a month up to ``month`` counts its actuals and a month after it counts
    the run rate (agency, the mean of ``month`` and the two months before) or the
    budget (own staff). So the December point equals ``target_path(...)
    .projected_pct``. The R12 windows reach back into the year before: those
    actuals are needed too.

    Returns a Series indexed by those months (empty in December), NaN where a
    month it needs is missing (or the run rate is) or own-staff R12 is 0. The
    line starts after ``month``; the actual R12 measure at ``month``
    (``kpis.costs.metrics.skr_measure``) is the point to join it to.
    """
    month = pd.Period(month, freq="M")
    _, rest = _year_months(month)
    if len(rest) == 0:
        return pd.Series([], index=rest, dtype="float64", name="projected_pct")
    actual_months = pd.period_range(rest[0] - 11, month, freq="M")
    run_rate, _ = _run_rate(agency, month)
    run_rate = math.nan if run_rate is None else run_rate

    agency_path = pd.concat([_on_months(agency, actual_months), pd.Series(run_rate, index=rest)])
    own_path = pd.concat(
        [_on_months(own_staff_actual, actual_months), _on_months(own_staff_budget, rest)]
    )
    measure = skr_measure(agency_path, own_path)["ratio_pct"]
    return measure.reindex(rest).rename("projected_pct")


# --- what the page and the steering pack say ---------------------------------------


def row_labels(path: TargetPath, month: pd.Period) -> dict[str, str]:
    """The page's and the pack's label of each field of the export row but the year (in
    ``COLUMNS`` order), in the active language."""
    month = pd.Period(month, freq="M")
    return {
        "target_pct": _("Mål för %(year)s") % {"year": path.year},
        "months_left": _("Månader kvar av året"),
        "agency_ytd_sek": _("Kostnad för hyrpersonal jan–%(month)s")
        % {"month": short_month_label(month)},
        "own_staff_r12_dec_sek": _("Kostnad för egen personal R12 i december (utfall och budget)"),
        "agency_allowed_per_month_sek": _("Tillåten kostnad för hyrpersonal per återstående månad"),
        "agency_run_rate_per_month_sek": _(
            "Takt: kostnad för hyrpersonal per månad, snitt av de tre senaste"
        ),
        "projected_pct": _("Prognos för SKR-måttet i december med nuvarande takt")
        if path.months_left
        else _("SKR-måttet i december"),
    }


def sentence(path: TargetPath, *, unit: str) -> str:
    """The answer to "Vad krävs för att nå målet?" in a few sentences: reachable or not
    (with the gap in mkr, in ``reason``), the allowance against the run rate and the
    December measure it gives, and why a figure is missing. Amounts in ``unit`` ("mkr"
    or "tkr", hyrdash.lib.formatting.money_unit)."""
    values = {
        "target": format_pct(path.target_pct, 2),
        "year": path.year,
        "allowed": format_money(path.agency_allowed_per_month_sek, unit),
        "rate": format_money(path.agency_run_rate_per_month_sek, unit),
        "projected": format_pct(path.projected_pct, 2),
    }
    parts = []
    with_rate = path.agency_run_rate_per_month_sek is not None and path.projected_pct is not None
    if path.reachable and path.months_left:
        parts.append(
            _(
                "Målet %(target)s för %(year)s nås om kostnaden för hyrpersonal är högst "
                "%(allowed)s per månad resten av året."
            )
            % values
        )
        if with_rate:
            if path.agency_run_rate_per_month_sek <= path.agency_allowed_per_month_sek:
                text = _(
                    "Nuvarande takt, %(rate)s per månad, ryms: SKR-måttet blir då "
                    "%(projected)s i december."
                )
            else:
                text = _(
                    "Nuvarande takt, %(rate)s per månad, är högre: SKR-måttet blir då "
                    "%(projected)s i december."
                )
            parts.append(text % values)
    elif path.reachable:
        parts.append(
            _("Målet %(target)s för %(year)s nåddes: SKR-måttet för året blev %(projected)s.")
            % values
        )
    if path.reason:
        parts.append(path.reason)
    if not path.reachable and path.months_left and with_rate:
        parts.append(
            _("Med nuvarande takt, %(rate)s per månad, blir SKR-måttet %(projected)s i december.")
            % values
        )
    return " ".join(parts)

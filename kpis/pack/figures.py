"""What the steering pack's slides are built from and how their numbers are put: the
pack's input (the month, scope, comments and the data sets export_kpi's series load,
each once), the rule for a preliminary month, values in a slide's unit (mkr, tkr, %)
and a chart over months with its preliminary months starred."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style, periods
from hyrdash.lib.deck import ChartSpec, Series
from kpis.organisation.selectors import Scope
from kpis.pack.selectors import Comments
from kpis.registry import SERIES_EXPORTS


def is_preliminary(data, month: pd.Period) -> bool:
    """Whether a month's figures may still change (the month is not closed).

    The pack's one call of the rule (each data set's `is_preliminary`, which another
    change is making into one rule for every kind): swap it here.
    """
    return data.is_preliminary(month)


@dataclass
class PackInput:
    """What the slides are built from: the month and scope, the month's comments, the
    national table, and the data sets export_kpi's series load (each loaded once)."""

    month: pd.Period
    scope: Scope
    comments: Comments
    national: pd.DataFrame
    region: str
    loaded: dict = field(default_factory=dict)

    def data(self, name: str):
        """The data set series `name` is built from (its export's loader), loaded once."""
        load = SERIES_EXPORTS[name].load
        if load not in self.loaded:
            self.loaded[load] = load()
        return self.loaded[load]

    def series(self, name: str, *, scope: Scope | None = None, start=None, end=None, **extra):
        """The table `export_kpi <name>` prints for these months and scope."""
        export = SERIES_EXPORTS[name]
        return export.build(
            self.data(name), scope=scope or self.scope, start=start, end=end, **extra
        )

    @property
    def costs(self):
        return self.data("agency-monthly")

    def titled(self, text: str, scope: Scope | None = None) -> str:
        return f"{text} – {(scope or self.scope).label}"


def scaled(values: Iterable, divisor: float, decimals: int) -> list[float | None]:
    """Values in the slide's unit, rounded to what the workbook keeps; NaN becomes None."""
    return [None if pd.isna(v) else round(float(v) / divisor, decimals) for v in values]


def in_mkr(values: Iterable) -> list[float | None]:
    """SEK as mkr, to the thousand kronor."""
    return scaled(values, 1_000_000, 3)


def in_tkr(values: Iterable) -> list[float | None]:
    """SEK as tkr, to the hundred kronor."""
    return scaled(values, 1_000, 1)


def in_pct(values: Iterable) -> list[float | None]:
    """Percentages as export_kpi rounds them (3 decimals)."""
    return scaled(values, 1, 3)


def preliminary_months(data, months: Iterable[str]) -> list[pd.Period]:
    """The months ('YYYY-MM') whose figures may still change."""
    return [pd.Period(m, freq="M") for m in months if is_preliminary(data, pd.Period(m, freq="M"))]


def preliminary_note(months: Sequence[pd.Period]) -> str:
    """'Preliminär: jan–mar 2024, okt 2024': consecutive months as one range."""
    runs = periods.consecutive_runs(months)
    ranges = ", ".join(chart_style.range_label(run[0], run[-1]) for run in runs)
    return _("Preliminär: %(months)s") % {"months": ranges}


def latest_value(table: pd.DataFrame, month: str, column: str) -> float | None:
    """The column's value in the month ('YYYY-MM'); None where it has none."""
    found = table.loc[table["month"] == month, column]
    return None if found.empty or pd.isna(found.iloc[0]) else float(found.iloc[0])


def from_first_value(table: pd.DataFrame, column: str, months: int) -> pd.DataFrame:
    """The last `months` rows, starting no earlier than the first row with a value."""
    present = table[column].notna().to_numpy()
    if present.any():
        table = table.iloc[present.argmax() :]
    return table.tail(months).reset_index(drop=True)


def monthly_spec(
    data,
    kind: str,
    months: Sequence[str],
    series: list[Series],
    **style,
) -> ChartSpec:
    """A chart over months ('YYYY-MM' -> 'okt 2024'), preliminary months starred."""
    categories = [chart_style.short_month_label(m) for m in months]
    marked = preliminary_months(data, months)
    if not categories:  # no month with a value yet: one empty month, not an empty chart
        categories = [""]
        series = [Series(s.name, [None], s.color) for s in series]
    return ChartSpec(
        kind,
        categories,
        series,
        marked_categories={chart_style.short_month_label(m) for m in marked},
        marked_note=preliminary_note(marked) if marked else "",
        **style,
    )

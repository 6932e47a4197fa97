"""What the placements pages draw: the list's rows, one consultant's timeline, the hours
beside the ledger's, and the counts per area and status the cost dashboard shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style
from hyrdash.lib.formatting import MISSING, format_number
from hyrdash.lib.page import Chart, Column, Table, make_table, month_table, sentences, table_note
from hyrdash.lib.uploads import identical_message
from kpis.placements import charts, rules, series
from kpis.placements.forms import ListFilterForm
from kpis.placements.models import PlacementAction

STATUS_BADGES = {
    rules.PASSED: "text-bg-danger",
    rules.WITHIN_90_DAYS: "text-bg-warning",
    rules.CLEAR: "text-bg-light border",
}

CSV_COLUMNS = [
    "consultant_id",
    "consultant_name",
    "operating_unit",
    "area",
    "professions",
    "agencies",
    "qualifying_days",
    "day_721_date",
    "offer_deadline",
    "status",
    "latest_action",
    "latest_action_date",
]


# --- the list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListSelection:
    """The list's reference date and filters (GET datum, omrade, yrkesgrupp,
    bemanningsforetag); an empty filter keeps everything."""

    on: dt.date
    area: str = ""
    profession: str = ""
    agency: str = ""

    def filters(self) -> dict[str, str]:
        """The selection as its GET parameters (what the access log keeps)."""
        return {
            "datum": self.on.isoformat(),
            "omrade": self.area,
            "yrkesgrupp": self.profession,
            "bemanningsforetag": self.agency,
        }

    def query(self) -> str:
        return urlencode({key: value for key, value in self.filters().items() if value})


def _distinct(values: pd.Series) -> list[str]:
    return sorted({value for value in values if value})


def list_selection(
    params, *, placements: pd.DataFrame, areas: list[str]
) -> tuple[ListFilterForm, ListSelection, list[str]]:
    """(the filter form, the selection, what was not understood) from GET parameters.

    The choices are the areas of the register and the professions and agencies of the
    placements in use; a value that is none of them is not used, and said so.
    """
    form = ListFilterForm(
        {key: params[key] for key in ListFilterForm.base_fields if key in params} or None,
        areas=areas,
        professions=_distinct(placements["profession"]),
        agencies=_distinct(placements["agency"]),
    )
    today = timezone.localdate()
    if not form.is_bound:
        return form, ListSelection(on=today), []
    problems = []
    if not form.is_valid():
        labels = ", ".join(str(form.fields[name].label).lower() for name in form.errors)
        problems.append(
            _("Urvalet förstås inte för %(fields)s; det visas utan det.") % {"fields": labels}
        )
    data = form.cleaned_data
    selection = ListSelection(
        on=data.get("datum") or today,
        area=data.get("omrade", ""),
        profession=data.get("yrkesgrupp", ""),
        agency=data.get("bemanningsforetag", ""),
    )
    return form, selection, problems


def shown_day(text: str | None) -> dt.date | None:
    """A day as a page's datum parameter has it (ÅÅÅÅ-MM-DD), or None."""
    try:
        return dt.date.fromisoformat((text or "").strip()) if text else None
    except ValueError:
        return None


def list_table(placements: pd.DataFrame, selection: ListSelection) -> pd.DataFrame:
    """series.limit_table on the selection's date, filtered by it."""
    table = series.limit_table(placements, on=selection.on)
    return series.filtered(
        table,
        placements,
        area=selection.area,
        profession=selection.profession,
        agency=selection.agency,
    )


def unchanged_message(check) -> str:
    """Why a file that changes nothing was not kept for confirmation."""
    if check.identical_to is not None:
        return identical_message(check.identical_to)
    return _(
        "Filen ändrar inget: alla dess %(rows)s placeringar används redan med samma "
        "uppgifter. Inget har sparats."
    ) % {"rows": check.row_count}


def stored_message(batch, check) -> str:
    return _(
        "Import %(id)s sparad: %(rows)s rader, %(added)s nya placeringar, %(replaced)s ändrade."
    ) % {"id": batch.id, "rows": batch.row_count, "added": check.added, "replaced": check.replaced}


def undone_message(batch) -> str:
    """What the history page and undo_import --placements say after an undo."""
    return _(
        "Import %(id)s (%(name)s) är ångrad; placeringarna den höll har sina tidigare uppgifter."
    ) % {"id": batch.id, "name": batch.file_name}


def _date_text(day: dt.date | None) -> str:
    return MISSING if day is None or pd.isna(day) else day.isoformat()


def status_label(status: str) -> str:
    return str(series.STATUS_LABELS[status])


def list_rows(table: pd.DataFrame, latest: dict[str, PlacementAction]) -> list[dict]:
    """The list's rows as the template shows them, in the table's order (most urgent
    first)."""
    rows = []
    for row in table.itertuples(index=False):
        action = latest.get(row.consultant_id)
        rows.append(
            {
                "consultant_id": row.consultant_id,
                "name": row.consultant_name or row.consultant_id,
                "operating_unit": row.operating_unit_label,
                "area": row.area,
                "professions": row.professions,
                "agencies": row.agencies,
                "qualifying_days": format_number(row.qualifying_days),
                "day_721": _date_text(row.day_721_date),
                "deadline": _date_text(row.offer_deadline),
                "status": row.status,
                "status_label": status_label(row.status),
                "badge": STATUS_BADGES[row.status],
                "action": action,
            }
        )
    return rows


def status_totals(table: pd.DataFrame) -> list[dict]:
    """How many rows of the list have each status, for the summary above it."""
    counts = table["status"].value_counts()
    return [
        {"status": status, "label": status_label(status), "count": int(counts.get(status, 0))}
        for status in series.STATUSES
    ]


def csv_table(table: pd.DataFrame, latest: dict[str, PlacementAction]) -> pd.DataFrame:
    """The list as its CSV download has it (CSV_COLUMNS): with names, personal data."""
    actions = [latest.get(consultant) for consultant in table["consultant_id"]]
    return pd.DataFrame(
        {
            "consultant_id": table["consultant_id"],
            "consultant_name": table["consultant_name"],
            "operating_unit": table["operating_unit_label"],
            "area": table["area"],
            "professions": table["professions"],
            "agencies": table["agencies"],
            "qualifying_days": table["qualifying_days"],
            "day_721_date": table["day_721_date"],
            "offer_deadline": table["offer_deadline"],
            "status": table["status"],
            "latest_action": [a.get_kind_display() if a else "" for a in actions],
            "latest_action_date": [a.date if a else None for a in actions],
        },
        columns=CSV_COLUMNS,
    )


def csv_filename(on: dt.date) -> str:
    return f"inhyrda-konsulter-12a-{on.isoformat()}.csv"


# --- one consultant -----------------------------------------------------------------


def consultant_view(placements: pd.DataFrame, *, on: dt.date) -> dict:
    """One consultant's figures per operating unit, the timeline and its placements."""
    frame = series.with_operating_units(placements)
    limits = series.limit_table(placements, on=on)
    figure = charts.timeline_figure(frame, limits, on=on)
    summary = sentences(
        _("Tidslinje: %(count)s placeringar vid %(units)s driftsenheter.")
        % {"count": len(frame), "units": frame["operating_unit"].nunique()},
        *[
            _("%(unit)s: %(days)s kvalificerande dagar, %(status)s.")
            % {
                "unit": row.operating_unit_label,
                "days": format_number(row.qualifying_days),
                "status": status_label(row.status).lower(),
            }
            for row in limits.itertuples(index=False)
        ],
        table_note(),
    )
    units = []
    for unit_code, row in zip(limits["operating_unit"], list_rows(limits, {}), strict=True):
        spans = frame[frame["operating_unit"] == unit_code]
        row["placements"] = [
            {
                "unit": f"{p.ansvar} {p.unit_name}",
                "start": p.start.isoformat(),
                "end": _date_text(p.end) if p.end is not None else _("pågår"),
                "hours": p.hours,
                "agency": p.agency,
                "profession": p.profession,
            }
            for p in spans.itertuples(index=False)
        ]
        units.append(row)
    return {
        "name": frame["consultant_name"].iloc[-1] if len(frame) else "",
        "units": units,
        "figure": chart_style.to_json(figure),
        "summary": summary,
    }


# --- hours beside the ledger's --------------------------------------------------------


def hours_chart(table: pd.DataFrame, *, scope_label: str, left_out: int) -> Chart:
    """Purchased hours per month from the placements and from the ledger, with the
    difference (metrics.hours_comparison)."""
    notes = [
        _(
            "Bemanningssystemets timmar är placeringarnas bokade timmar fördelade jämnt på "
            "placeringens kalenderdagar. Huvudbokens är de timmar som rapporterats på "
            "kontona för hyrpersonal."
        )
    ]
    if left_out:
        notes.append(
            _("%(count)s placeringar utan slutdatum eller timmar räknas inte in.")
            % {"count": left_out}
        )
    months = [pd.Period(month, freq="M") for month in table["month"]]
    return Chart(
        code="placement-hours",
        number="1",
        heading=_("Köpta timmar per månad"),
        summary=sentences(
            _(
                "Linjediagram: köpta timmar per månad, %(scope)s, enligt bemanningssystemet "
                "och enligt huvudboken."
            )
            % {"scope": scope_label},
            table_note(),
        ),
        figure=chart_style.to_json(charts.hours_comparison_figure(table)),
        tables=[
            month_table(
                _("Köpta timmar per månad, %(scope)s") % {"scope": scope_label},
                [
                    Column(_("Bemanningssystemet, timmar"), "num"),
                    Column(_("Huvudboken, timmar"), "num"),
                    Column(_("Skillnad, timmar"), "num"),
                ],
                months,
                table[["placement_hours", "ledger_hours", "difference_hours"]],
                set(),
            )
        ],
        note=" ".join(notes),
        downloadable=False,
    )


# --- the cost dashboard's counts --------------------------------------------------------


def counts_table(counts: pd.DataFrame, *, on: dt.date) -> Table:
    """Consultants per area and status (series.status_counts) as a table for the cost
    dashboard: counts only, no names."""
    return make_table(
        _(
            "Inhyrda konsulter per område och status enligt 12 a § lagen om uthyrning av "
            "arbetstagare, %(date)s (antal konsulter per driftsenhet)"
        )
        % {"date": on.isoformat()},
        [
            Column(_("Område"), header=True),
            *[Column(status_label(status), "num") for status in series.STATUSES],
            Column(_("Totalt"), "num"),
        ],
        [
            [row.area, *[getattr(row, status) for status in series.STATUSES], row.total]
            for row in counts.itertuples(index=False)
        ],
    )

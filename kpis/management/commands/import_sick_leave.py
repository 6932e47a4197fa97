from hyrdash.lib.commands import ReplacingImportCommand
from hyrdash.lib.formatting import format_number, format_pct
from hyrdash.lib.periods import ratio_pct
from kpis.imports import closed_warning
from kpis.sick_leave.extracts import SICK_HOURS
from kpis.sick_leave.services import (
    sick_leave_check,
    sick_leave_figure_labels,
    sick_leave_import,
)


class Command(ReplacingImportCommand):
    help = (
        "Importera ett sjukfrånvarounderlag ur lönesystemet (kolumner: Period;Ansvar;Kön;"
        "Åldersgrupp;Antal anställda;Ordinarie arbetstid;Sjuktimmar dag 1-14;"
        "Sjuktimmar dag 15-59;Sjuktimmar dag 60-). Filen ersätter hela sina månader "
        "(--replace-months) eller bara sina enheter i dem (--only-units); en fil som täcker "
        "klart mindre än det som är sparat importeras bara med ett av valen."
    )

    def store(self, *, data, file_name, user, options):
        check = sick_leave_check(data=data)
        if check.header_row > 1:
            self.stdout.write(
                f"Rubrikraden är rad {check.header_row}; raderna ovanför den har inte lästs."
            )
        if check.total_row is not None:
            self.stdout.write(f"Summaraden på rad {check.total_row} stämmer med filens summor.")
        if check.identical_to is None:
            self.write_closed_warning(closed_warning(kind=check.kind, months=check.months))
            self.write_coverage(check, sick_leave_figure_labels())
        return sick_leave_import(
            data=data, file_name=file_name, user=user, check=check, replaces=options["replaces"]
        )

    def report(self, batch, check):
        if batch is None:
            self.write_identical(check.identical_to)
            return
        self.stdout.write(
            f"Import {batch.id}: {batch.row_count} rader, månader {check.months[0]}"
            f"–{check.months[-1]} ({len(check.months)} st)."
        )
        totals = check.totals()
        sick = sum(totals[column] for column in SICK_HOURS)
        ordinary = totals["ordinary_hours"]
        rate = ratio_pct(sick, ordinary)
        self.stdout.write(
            f"  Ordinarie arbetstid: {format_number(ordinary, 2)} timmar; sjuktimmar: "
            f"{format_number(sick, 2)} timmar"
            + (f" ({format_pct(rate, 2)})." if rate is not None else ".")
        )
        self.write_replaced(batch, check)
        self.write_undo_hint(batch)

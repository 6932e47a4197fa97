from hyrdash.lib.commands import BatchImportCommand
from hyrdash.lib.formatting import format_number, format_pct
from hyrdash.lib.periods import ratio_pct
from kpis.sick_leave.extracts import SICK_HOURS
from kpis.sick_leave.services import sick_leave_import


class Command(BatchImportCommand):
    help = (
        "Importera ett sjukfrånvarounderlag ur lönesystemet (kolumner: Period;Ansvar;Kön;"
        "Åldersgrupp;Antal anställda;Ordinarie arbetstid;Sjuktimmar dag 1-14;"
        "Sjuktimmar dag 15-59;Sjuktimmar dag 60-). Nyaste underlaget för en månad ersätter "
        "tidigare data för månaden."
    )

    def store(self, *, data, file_name, user, options):
        return sick_leave_import(data=data, file_name=file_name, user=user)

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

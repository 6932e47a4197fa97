from hyrdash.lib.commands import BatchImportCommand
from hyrdash.lib.formatting import format_number
from kpis.costs.services import costs_import
from kpis.models import Category, ImportBatch


class Command(BatchImportCommand):
    help = (
        "Importera ett kostnadsunderlag ur huvudboken (kolumner: Period;Ansvar;Konto;Belopp "
        "och valfritt Timmar). Nyaste underlaget för en månad ersätter tidigare data."
    )

    def add_own_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=ImportBatch.Kind.values)

    def store(self, *, data, file_name, user, options):
        return costs_import(data=data, file_name=file_name, kind=options["kind"], user=user)

    def report(self, batch, check):
        for item in check.skipped:
            self.stdout.write(
                f"Överhoppat konto {item['konto']} (finns inte i kontomappningen): "
                f"{item['rows']} rader, summa {format_number(item['amount'], 2)} kr."
            )
        if batch is None:
            self.write_identical(check.identical_to)
            return
        labels = dict(Category.choices)
        self.stdout.write(
            f"Import {batch.id}: {batch.row_count} rader, månader {check.months[0]}"
            f"–{check.months[-1]} ({len(check.months)} st)."
        )
        for category, amount in check.totals().items():
            self.stdout.write(f"  {labels[category]}: {format_number(amount, 2)} kr")

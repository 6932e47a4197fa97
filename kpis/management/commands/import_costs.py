from pathlib import Path

from django.utils import timezone

from kpis.formatting import format_number
from kpis.models import Category, ImportBatch
from kpis.services import costs_import

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Importera ett kostnadsunderlag ur huvudboken (kolumner: Period;Ansvar;Konto;Belopp "
        "och valfritt Timmar). Nyaste underlaget för en månad ersätter tidigare data."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kind", required=True, choices=ImportBatch.Kind.values)
        parser.add_argument("--user", help="användarnamn som importen registreras på")

    def handle(self, *args, **options):
        path = options["file"]
        data = self.read_file(path)
        user = self.user(options["user"])
        batch, check = self.run_service(
            lambda: costs_import(
                data=data, file_name=Path(path).name, kind=options["kind"], user=user
            )
        )
        for item in check.skipped:
            self.stdout.write(
                f"Överhoppat konto {item['konto']} (finns inte i kontomappningen): "
                f"{item['rows']} rader, summa {format_number(item['amount'], 2)} kr."
            )
        if batch is None:
            other = check.identical_to
            self.stdout.write(
                f"Filen är identisk med import {other.id} ({other.file_name}, "
                f"{timezone.localtime(other.created_at):%Y-%m-%d %H:%M}); inget har ändrats."
            )
            return
        labels = dict(Category.choices)
        self.stdout.write(
            f"Import {batch.id}: {batch.row_count} rader, månader {check.months[0]}"
            f"–{check.months[-1]} ({len(check.months)} st)."
        )
        for category, amount in check.totals().items():
            self.stdout.write(f"  {labels[category]}: {format_number(amount, 2)} kr")

from pathlib import Path

from django.utils import timezone

from kpis.management.commands._base import ImportCommand
from survey.services import population_import


class Command(ImportCommand):
    help = (
        "Importera antal medarbetare per enhet för ett år i medarbetarundersökningen "
        "(kolumner: Ansvar;Antal medarbetare). En ny fil för ett år ersätter årets antal."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", required=True, type=int, help="undersökningsåret, t.ex. 2024")
        parser.add_argument("--user", help="användarnamn som importen registreras på")

    def handle(self, *args, **options):
        path = options["file"]
        data = self.read_file(path)
        user = self.user(options["user"])
        batch, check = self.run_service(
            lambda: population_import(
                data=data, file_name=Path(path).name, year=options["year"], user=user
            )
        )
        if batch is None:
            other = check.identical_to
            self.stdout.write(
                f"Filen är identisk med import {other.id} ({other.file_name}, "
                f"{timezone.localtime(other.created_at):%Y-%m-%d %H:%M}) som används för "
                f"{check.year}; inget har ändrats."
            )
            return
        summary = check.summary()
        self.stdout.write(
            f"Import {batch.id}: {summary['employees']} medarbetare i {summary['units']} enheter, "
            f"{check.year}."
        )

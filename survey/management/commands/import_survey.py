from pathlib import Path

from django.utils import timezone

from kpis.management.commands._base import ImportCommand
from survey.services import answers_import


class Command(ImportCommand):
    help = (
        "Importera ett års svar i medarbetarundersökningen (kolumner: RespondentID;Ansvar och "
        "en kolumn per frågekod, tom cell = obesvarad). En ny fil för ett år ersätter årets svar."
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
            lambda: answers_import(
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
            f"Import {batch.id}: {summary['respondents']} svarande i {summary['units']} enheter, "
            f"{summary['questions']} frågor, {check.year} (enkät {summary['questionnaire_year']})."
        )
        if summary["missing"]:
            self.stdout.write(
                "Frågor som saknas i filen räknas som obesvarade: " + ", ".join(summary["missing"])
            )

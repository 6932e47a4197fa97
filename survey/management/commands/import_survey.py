from survey.commands import YearImportCommand
from survey.services import answers_import


class Command(YearImportCommand):
    help = (
        "Importera ett års svar i medarbetarundersökningen (kolumner: RespondentID;Ansvar och "
        "en kolumn per frågekod, tom cell = obesvarad). En ny fil för ett år ersätter årets svar."
    )
    import_ = answers_import

    def report_stored(self, batch, summary, year):
        self.stdout.write(
            f"Import {batch.id}: {summary['respondents']} svarande i {summary['units']} enheter, "
            f"{summary['questions']} frågor, {year} (enkät {summary['questionnaire_year']})."
        )
        if summary["missing"]:
            self.stdout.write(
                "Frågor som saknas i filen räknas som obesvarade: " + ", ".join(summary["missing"])
            )

from hyrdash.lib.commands import BatchImportCommand
from survey.services import answers_import


class Command(BatchImportCommand):
    help = (
        "Importera ett års svar i medarbetarundersökningen (kolumner: RespondentID;Ansvar och "
        "en kolumn per frågekod, tom cell = obesvarad). En ny fil för ett år ersätter årets svar."
    )

    partial_hint = "Ange --replace-year för att ändå ersätta årets värden med filens."
    undo_option = " --survey"

    def add_own_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="undersökningsåret, t.ex. 2024")
        parser.add_argument(
            "--replace-year",
            action="store_true",
            help="ersätt årets värden även om filen täcker klart mindre än det som används",
        )

    def store(self, *, data, file_name, user, options):
        return answers_import(
            data=data,
            file_name=file_name,
            year=options["year"],
            user=user,
            replace_year=options["replace_year"],
        )

    def report(self, batch, check):
        if batch is None:
            self.write_identical(check.identical_to, year=check.year)
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
        self.write_undo_hint(batch)

from hyrdash.lib.commands import BatchImportCommand
from survey.services import population_import


class Command(BatchImportCommand):
    help = (
        "Importera antal medarbetare per enhet för ett år i medarbetarundersökningen "
        "(kolumner: Ansvar;Antal medarbetare). En ny fil för ett år ersätter årets antal."
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
        return population_import(
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
            f"Import {batch.id}: {summary['employees']} medarbetare i {summary['units']} enheter, "
            f"{check.year}."
        )
        self.write_undo_hint(batch)

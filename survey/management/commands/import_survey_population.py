from hyrdash.lib.commands import BatchImportCommand
from survey.services import population_import


class Command(BatchImportCommand):
    help = (
        "Importera antal medarbetare per enhet för ett år i medarbetarundersökningen "
        "(kolumner: Ansvar;Antal medarbetare). En ny fil för ett år ersätter årets antal."
    )

    def add_own_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="undersökningsåret, t.ex. 2024")

    def store(self, *, data, file_name, user, options):
        return population_import(data=data, file_name=file_name, year=options["year"], user=user)

    def report(self, batch, check):
        if batch is None:
            self.write_identical(check.identical_to, year=check.year)
            return
        summary = check.summary()
        self.stdout.write(
            f"Import {batch.id}: {summary['employees']} medarbetare i {summary['units']} enheter, "
            f"{check.year}."
        )

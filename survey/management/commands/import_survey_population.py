from survey.commands import YearImportCommand
from survey.services import population_import


class Command(YearImportCommand):
    help = (
        "Importera antal medarbetare per enhet för ett år i medarbetarundersökningen "
        "(kolumner: Ansvar;Antal medarbetare). En ny fil för ett år ersätter årets antal."
    )
    import_ = population_import

    def report_stored(self, batch, summary, year):
        self.stdout.write(
            f"Import {batch.id}: {summary['employees']} medarbetare i {summary['units']} enheter, "
            f"{year}."
        )

from hyrdash.lib.commands import ImportCommand
from kpis.national.services import national_import


class Command(ImportCommand):
    help = (
        "Importera SKR:s nationella jämförelse: andel hyrpersonal per region och kvartal "
        "(kolumner: Period;Region;Andel). Kvartalen i filen ersätter sparade värden."
    )

    def handle(self, *args, **options):
        data = self.read_file(options["file"])
        quarters = self.run_service(lambda: national_import(data=data))
        self.stdout.write("Nationell jämförelse sparad för " + ", ".join(quarters) + ".")

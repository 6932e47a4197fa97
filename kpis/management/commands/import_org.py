from hyrdash.lib.commands import ImportCommand
from kpis.organisation.services import org_import


class Command(ImportCommand):
    help = "Importera organisationsregistret (kolumner: Ansvar;Enhet;Verksamhet;Område;Vårdtyp)."

    def handle(self, *args, **options):
        data = self.read_file(options["file"])
        result = self.run_service(lambda: org_import(data=data))
        for line in result.lines():
            self.stdout.write(line)

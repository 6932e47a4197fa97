from kpis.services import org_import

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Importera organisationsregistret (kolumner: Ansvar;Enhet;Verksamhet;Område;Vårdtyp)."

    def handle(self, *args, **options):
        data = self.read_file(options["file"])
        result = self.run_service(lambda: org_import(data=data))
        for line in result.lines():
            self.stdout.write(line)

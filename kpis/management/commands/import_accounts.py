from kpis.services import accounts_import

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Importera kontomappningen (kolumner: Konto;Benämning;Kategori)."

    def handle(self, *args, **options):
        data = self.read_file(options["file"])
        result = self.run_service(lambda: accounts_import(data=data))
        for line in result.lines():
            self.stdout.write(line)

from hyrdash.lib.commands import ImportCommand
from kpis.accounts.services import accounts_import


class Command(ImportCommand):
    help = "Importera kontomappningen (kolumner: Konto;Benämning;Kategori)."

    def handle(self, *args, **options):
        data = self.read_file(options["file"])
        result = self.run_service(lambda: accounts_import(data=data))
        for line in result.lines():
            self.stdout.write(line)

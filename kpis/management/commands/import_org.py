from hyrdash.lib.commands import ImportCommand, month_option
from kpis.organisation.services import move_month, move_notice, org_import
from kpis.registry import PUBLISHED_PERSONAL_DATA


class Command(ImportCommand):
    help = (
        "Importera organisationsregistret (kolumner: Ansvar;Enhet;Verksamhet;Område;Vårdtyp). "
        "En enhet som byter verksamhet, område eller vårdtyp räknas dit från den första "
        "månaden utan sjukfrånvarodata, så att inga siffror som redan har visats ändras."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--from",
            dest="from_month",
            metavar="ÅÅÅÅ-MM",
            help="månaden flyttarna gäller från; en tidigare månad än standard godtas bara om "
            "de omräknade siffrorna kan döljas så att inget dolt värde röjs (kommandot säger "
            "hur många fler siffror som då döljs)",
        )

    def handle(self, *args, **options):
        data = self.read_file(options["file"])
        from_month = month_option(options["from_month"], "--from")
        self.stdout.write(str(move_notice(*move_month(from_month))))
        result = self.run_service(
            lambda: org_import(
                data=data,
                from_month=from_month,
                published=PUBLISHED_PERSONAL_DATA,
                notify=self.stdout.write,
            )
        )
        for line in result.lines():
            self.stdout.write(line)

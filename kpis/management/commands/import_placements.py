from django.utils import timezone

from hyrdash.lib.commands import BatchImportCommand
from kpis.placements.services import placements_import


class Command(BatchImportCommand):
    help = (
        "Importera placeringar ur bemanningssystemet (kolumner: KonsultID;Konsult;"
        "Bemanningsföretag;Yrkesgrupp;Ansvar;Startdatum;Slutdatum och valfritt Timmar). "
        "En placering med samma konsult, ansvar och startdatum ersätts; nya läggs till."
    )

    undo_option = " --placements"

    def store(self, *, data, file_name, user, options):
        return placements_import(data=data, file_name=file_name, user=user)

    def report(self, batch, check):
        if batch is None:
            if check.identical_to is not None:
                self.write_identical(check.identical_to)
            else:
                self.stdout.write(
                    f"Filen ändrar inget: alla {check.row_count} placeringar används redan "
                    "med samma uppgifter; inget har ändrats."
                )
            return
        self.stdout.write(
            f"Import {batch.id}: {batch.row_count} rader, {check.added} nya placeringar, "
            f"{check.replaced} ändrade, {check.unchanged} oförändrade "
            f"({timezone.localtime(batch.created_at):%Y-%m-%d %H:%M})."
        )
        self.write_undo_hint(batch)

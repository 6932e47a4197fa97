"""undo_import ID: what Ångra on the page Importhistorik does, from the command line.

The ledger's and payroll's imports (ImportBatch), the survey's (SurveyBatch) and the
placements' (PlacementBatch) are numbered apart, so a number alone names a ledger or
payroll import, as the import commands print it; `--survey` names a survey import
(MU-import), as import_survey and import_survey_population print it, and `--placements`
a placements import, as import_placements prints it. Other apps plug their undo in with
kpis.registry.register_undo.
"""

from django.core.management.base import BaseCommand, CommandError

from hyrdash.lib.commands import user_named
from hyrdash.lib.errors import ServiceError
from kpis.imports import undone_message
from kpis.registry import OTHER_UNDO, batch_undo


class Command(BaseCommand):
    help = (
        "Ångra en import, som på sidan Importhistorik: dess månader (eller, för en import av "
        "bara filens enheter, dess enheter i månaderna) får tillbaka sina tidigare värden. "
        "ID är importens nummer som importkommandot skrev ut."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="importens nummer")
        for option in OTHER_UNDO:
            parser.add_argument(
                f"--{option}",
                action="store_true",
                help=f"numret är en import av {option} (egen nummerserie)",
            )
        parser.add_argument("--user", help="användarnamn som ångrandet registreras på")

    def handle(self, *args, **options):
        user = user_named(options["user"])
        chosen = [option for option in OTHER_UNDO if options.get(option)]
        if len(chosen) > 1:
            raise CommandError("Ange högst en av " + ", ".join(f"--{o}" for o in chosen) + ".")
        try:
            if chosen:
                undo, message = OTHER_UNDO[chosen[0]]
                batch = undo(batch_id=options["id"], user=user)
            else:
                batch = batch_undo(batch_id=options["id"], user=user)
                message = undone_message
        except ServiceError as exc:
            raise CommandError(f"Import {options['id']}: {exc}") from exc
        self.stdout.write(str(message(batch)))

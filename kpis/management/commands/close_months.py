"""Close the months of one kind of data through a month, or reopen a month and the months
after it: what the button on the cost dashboard and the sick-leave page does.

    python manage.py close_months --kind actuals|sick_leave --through YYYY-MM
    python manage.py close_months --kind actuals|sick_leave --reopen-from YYYY-MM
    python manage.py close_months --kind actuals|sick_leave

Without --through or --reopen-from it prints where the kind's closed months end.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hyrdash.lib.commands import month_option, user_named
from hyrdash.lib.errors import ServiceError
from kpis.batches import closed_through, month_status_set, month_status_text
from kpis.models import ClosedThrough, ImportBatch

KINDS = [value for value, _label in ClosedThrough._meta.get_field("kind").choices]


class Command(BaseCommand):
    help = (
        "Stäng alla månader till och med en månad (--through ÅÅÅÅ-MM), eller öppna en månad "
        "och månaderna efter den igen (--reopen-from ÅÅÅÅ-MM), för utfall (actuals) eller "
        "sjukfrånvaro (sick_leave). Utan månad: visa till och med vilken månad det är stängt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=KINDS, help="actuals eller sick_leave")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--through", help="stäng alla månader till och med ÅÅÅÅ-MM")
        which.add_argument(
            "--reopen-from", dest="reopen_from", help="öppna ÅÅÅÅ-MM och månaderna efter"
        )
        parser.add_argument("--user", help="användarnamnet som ändringen sparas med")

    def handle(self, *args, **options):
        kind = options["kind"]
        label = ImportBatch.Kind(kind).label
        user = user_named(options["user"])
        through = month_option(options["through"], "--through")
        reopen = month_option(options["reopen_from"], "--reopen-from")
        if through is None and reopen is None:
            last = closed_through(kind=kind)
            if last is None:
                self.stdout.write(f"{label}: ingen månad är stängd.")
            else:
                self.stdout.write(f"{label}: stängt till och med {last.strftime('%Y-%m')}.")
            return
        period = (through if through is not None else reopen).to_timestamp().date()
        closed = through is not None
        try:
            last = month_status_set(period=period, closed=closed, user=user, kind=kind)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{label}: " + month_status_text(period=period, closed=closed, through=last)
        )

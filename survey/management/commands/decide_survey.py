"""Make every survey year's hiding decisions now (survey.services.protection_store), so
no page has to: after a release that changes the protection's algorithm
(survey.protection.VERSION) a year's stored decisions are made again, and on a large
region that can take longer than a page may."""

from django.core.management.base import BaseCommand, CommandError

from hyrdash.lib.errors import ServiceError
from survey.models import SurveyBatch
from survey.services import year_protection_store


class Command(BaseCommand):
    help = (
        "Bestäm vilka värden i medarbetarundersökningen som döljs, för varje år med svar "
        "(görs annars av första sidvisningen efter en ny version av regeln)."
    )

    def handle(self, *args, **options):
        years = sorted(
            set(
                SurveyBatch.objects.filter(
                    kind=SurveyBatch.Kind.ANSWERS, is_current=True
                ).values_list("year", flat=True)
            )
        )
        for year in years:
            try:
                year_protection_store(year=year)
            except ServiceError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{year}: klart.")
        if not years:
            self.stdout.write("Det finns inga svar ännu.")

"""Make every sick-leave month's disclosure decision now (kpis.sick_leave.decisions), so no
page has to: after a release that changes the rule (kpis.sick_leave.disclosure.VERSION)
every month is decided again, about a second a month on the demo region, longer than a
page may take once there are years of months. Quick when the decisions are kept: the
Docker image runs it at every start (docker/entrypoint.sh)."""

import time

from django.core.management.base import BaseCommand

from hyrdash.lib.formatting import format_number
from kpis import data_version
from kpis.sick_leave import cached


class Command(BaseCommand):
    help = (
        "Bestäm vad som döljs i sjukfrånvaron, för varje månad med data (görs annars av "
        "första sidvisningen efter en ny version av regeln)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        data = cached.sick_leave_data(data_version.current(*data_version.SICK_LEAVE_PAGES))
        if data.last_month is None:
            self.stdout.write("Det finns ingen sjukfrånvaro ännu.")
            return
        seconds = format_number(time.monotonic() - started, 1)
        self.stdout.write(f"Sjukfrånvaro: {len(data.months)} månader beslutade ({seconds} s).")

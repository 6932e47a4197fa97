"""Build the month's steering pack (.pptx) for a scope, as the page Styrgruppspaket does.

    python manage.py steering_pack --month YYYY-MM --scope SCOPE -o FILE.pptx

SCOPE as in export_kpi: hsf (default), care:<vårdtyp> or area:<område>. The command
and the page call the same service, kpis.pack.services.pack_build.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hyrdash.lib.commands import month_option
from hyrdash.lib.errors import ServiceError
from kpis.organisation.selectors import ScopeError
from kpis.pack.services import pack_build, pack_scope


class Command(BaseCommand):
    help = (
        "Bygg månadens styrgruppspaket (.pptx) för ett urval: diagram med sina siffror, "
        "kommentarer, textbilder och underlag."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="månaden, ÅÅÅÅ-MM")
        parser.add_argument(
            "--scope", default="hsf", help="hsf (standard), care:<vårdtyp> eller area:<område>"
        )
        parser.add_argument("-o", "--output", required=True, help="filen att skriva (.pptx)")

    def handle(self, *args, **options):
        month = month_option(options["month"], "--month")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Mappen {output.parent} finns inte.")
        try:
            pack = pack_build(month=month, scope=pack_scope(options["scope"]))
        except (ScopeError, ServiceError) as exc:
            raise CommandError(str(exc)) from exc
        output.write_bytes(pack.content)
        self.stdout.write(f"Skrev {output} ({pack.slide_count} bilder).")

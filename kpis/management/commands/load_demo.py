"""Load a demo region through the real import commands, and create demo users.

The data comes from kpis.demo (synthetic, reproducible with --seed); it is written as
extract files and read back by import_accounts, import_org and import_costs, just as a
controller's uploads would be. The employee survey's years 2023 and 2024 come from
survey.demo and go through import_survey and import_survey_population, as HR's would.
Sick leave goes through import_sick_leave, as HR's uploads would. The consultants'
placements (section 12 a) go through import_placements, as the staffing office's would.
"""

import io
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kpis import batches, demo, registry, roles
from kpis.models import Department, ImportBatch, Target, Unit
from kpis.placements import demo as placement_demo

# username, first name, last name, group, is_staff, is_superuser
DEMO_USERS = [
    ("styrgrupp", "Demo", "Styrgrupp", roles.STYRGRUPP, False, False),
    ("controller", "Demo", "Controller", roles.CONTROLLER, True, False),
    ("hr", "Demo", "HR", roles.HR, False, False),
    ("hr-strateg", "Demo", "HR-strateg", roles.HR, False, False),
    ("bemanning", "Demo", "Bemanning", roles.BEMANNING, False, False),
    ("admin", "Demo", "Admin", None, True, True),
]
# The demo's sick-leave targets (Target, measure sick_leave) for the administration.
SICK_LEAVE_TARGETS = {2025: Decimal("6.00"), 2026: Decimal("5.80")}
# The kinds of data whose months the demo closes, all but the last DEMO_OPEN_MONTHS.
CLOSED_KINDS = (ImportBatch.Kind.ACTUALS, ImportBatch.Kind.SICK_LEAVE)
DEMO_OPEN_MONTHS = 2
# The demo HR partner's area (in the small demo too); the strategist gets every area.


def demo_password(username: str) -> str:
    return f"demo-{username}"


class Command(BaseCommand):
    help = (
        "Skapa demoanvändare och läs in en påhittad region (organisation, kontomappning, "
        "utfall från 2021 och budget) genom de vanliga importkommandona."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="läs inte in något om det redan finns enheter (skriv bara ut inloggningarna)",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="slumpfrö (samma frö, samma data)"
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="liten demo: två områden, några enheter, de senaste 15 månaderna",
        )
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="adressen som skrivs ut för att öppna webbplatsen (make run: ADDR)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="kör även när DEBUG är av (skapar användare med kända lösenord!)",
        )
        parser.add_argument(
            "--files",
            metavar="KATALOG",
            help="skriv underlagsfilerna hit och behåll dem (annars en tillfällig katalog)",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.verbosity = options["verbosity"]
        if options["if_empty"] and Unit.objects.exists():
            self.stdout.write("Det finns redan enheter i databasen; ingen demodata läses in.")
            self.print_logins(options["address"])
            return
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo skapar användare med kända lösenord och är till för utveckling och "
                "demonstration. Kör med DEBUG=1, eller med --force om du verkligen vill."
            )
        self.ensure_users()

        self.stdout.write(f"Skapar demoregionen (frö {options['seed']}) …")
        data = demo.generate(seed=options["seed"], small=options["small"])
        self.stdout.write(
            f"  {len(data.org)} enheter i {data.org['Verksamhet'].nunique()} verksamheter, "
            f"{len(data.actuals)} utfallsrader, {len(data.budget)} budgetrader."
        )
        if options["files"]:
            self.load(data, Path(options["files"]), seed=options["seed"], small=options["small"])
        else:
            with tempfile.TemporaryDirectory(prefix="hyrdash-demo-") as directory:
                self.load(data, Path(directory), seed=options["seed"], small=options["small"])
        for step in registry.DEMO_AFTER_STEPS:
            step(self)
        self.stdout.write(
            self.style.SUCCESS(f"Demodata inläst på {time.monotonic() - started:.1f} s.")
        )
        self.print_logins(options["address"])

    def load(
        self, data: demo.DemoData, directory: Path, *, seed: int = demo.DEFAULT_SEED, small=False
    ) -> None:
        extracts = demo.write_extracts(data, directory)
        self.stdout.write(f"  Underlagen är skrivna till {directory}.")
        with transaction.atomic():
            konton = Path(settings.BASE_DIR) / "fixtures" / "konton.csv"
            self.stdout.write(f"Läser in kontomappningen ({konton.name}) …")
            self.run("import_accounts", str(konton))
            for extract in extracts:
                if extract.kind == "org":
                    self.stdout.write(f"Läser in organisationen ({extract.path.name}) …")
                    self.run("import_org", str(extract.path))
                else:
                    entry = registry.extract_kind(extract.kind)
                    self.stdout.write(
                        f"Läser in {entry.demo_label} {extract.year} ({extract.path.name}) …"
                    )
                    # The demo's files are full extracts of their years: they replace whole
                    # months, said as --replace-months says it, not left to the coverage
                    # check (hyrdash.lib.coverage), which compares a year's new months
                    # with the last stored one.
                    self.run(
                        entry.command,
                        str(extract.path),
                        **entry.command_options,
                        replaces=ImportBatch.Replaces.MONTHS,
                        user=entry.demo_user,
                    )
            national = Path(settings.BASE_DIR) / "fixtures" / "nationell_jamforelse.csv"
            self.stdout.write(f"Läser in nationell jämförelse ({national.name}) …")
            self.run("import_national", str(national))
            for year, pct in SICK_LEAVE_TARGETS.items():
                Target.objects.get_or_create(
                    measure=Target.Measure.SICK_LEAVE,
                    year=year,
                    scope_kind=Target.ScopeKind.HSF,
                    defaults={"pct": pct},
                )
            self.load_placements(data, directory, seed=seed)
            for step in registry.DEMO_STEPS:
                step(self, data, directory, seed=seed, small=small)
            self.close_months()

    def close_months(self) -> None:
        """Close every month but the last two of the ledger and of sick leave, as
        controllers and HR would have (close_months --through)."""
        for kind in CLOSED_KINDS:
            months = batches.months_with_data(kind=kind)
            if len(months) <= DEMO_OPEN_MONTHS:
                continue
            through = months[-DEMO_OPEN_MONTHS - 1]
            batches.months_close(kind=kind, through=through.to_timestamp().date())
            self.stdout.write(
                f"Stänger {ImportBatch.Kind(kind).label.lower()} till och med "
                f"{through.strftime('%Y-%m')} (de två sista månaderna är preliminära)."
            )

    def load_placements(self, data: demo.DemoData, directory: Path, *, seed: int) -> None:
        """A few dozen placements around today, one department's units on their own."""
        separate = placement_demo.separate_department(data.org)
        Department.objects.filter(name=separate).update(units_separate=True)
        placements = placement_demo.placements_demo(data.org, today=timezone.localdate(), seed=seed)
        path = placement_demo.write_placements(placements, directory / "placeringar.csv")
        self.stdout.write(f"Läser in placeringar ({path.name}) …")
        self.run("import_placements", str(path), user="bemanning")

    def run(self, command: str, *args, **options) -> None:
        """Run an import command; its report is shown with --verbosity 2."""
        out = io.StringIO()
        started = time.monotonic()
        call_command(command, *args, stdout=out, stderr=self.stderr, **options)
        if self.verbosity >= 2:
            for line in out.getvalue().splitlines():
                self.stdout.write(f"    {line}")
        else:
            first = out.getvalue().splitlines()[:1]
            if first:
                self.stdout.write(f"    {first[0]} ({time.monotonic() - started:.1f} s)")

    def ensure_users(self) -> None:
        User = get_user_model()
        for username, first, last, group_name, is_staff, is_superuser in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
                is_staff=is_staff,
                is_superuser=is_superuser,
            )
            user.set_password(demo_password(username))
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(f"Skapade demoanvändaren {username}.")

    def print_logins(self, address: str) -> None:
        existing = set(
            get_user_model()
            .objects.filter(username__in=[u for u, *_ in DEMO_USERS])
            .values_list("username", flat=True)
        )
        if not existing:
            return
        logins = ", ".join(f"{u} / {demo_password(u)}" for u, *_ in DEMO_USERS if u in existing)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demoanvändare (lösenord): {logins}"))
        self.stdout.write(self.style.SUCCESS(f"Öppna http://{address}/"))

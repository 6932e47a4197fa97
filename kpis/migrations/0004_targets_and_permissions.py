"""The seeds' SKR targets, and the controller's rights over the dashboard's data."""

from decimal import Decimal

from django.db import migrations

from hyrdash.migration_helpers import grant_permissions

SEED_TARGETS = [
    # (year, scope_kind, care_type, pct): 2025 3,7 %; 2026 3,44 % (sjukhusvård 2,0 %,
    # primärvård 13,0 %); 2027 2,0 %.
    (2025, "hsf", "", "3.70"),
    (2026, "hsf", "", "3.44"),
    (2026, "care", "sjukhusvård", "2.00"),
    (2026, "care", "primärvård", "13.00"),
    (2027, "hsf", "", "2.00"),
]

CONTROLLER_PERMS = [
    f"kpis.{action}_{model}"
    for model in ("target", "monthstatus", "commentary", "nationalshare")
    for action in ("add", "change", "delete", "view")
]


def forwards(apps, schema_editor):
    Target = apps.get_model("kpis", "Target")
    for year, kind, care_type, pct in SEED_TARGETS:
        Target.objects.get_or_create(
            year=year, scope_kind=kind, care_type=care_type, area=None,
            defaults={"pct": Decimal(pct)},
        )
    grant_permissions(apps, {"controller": CONTROLLER_PERMS})


def backwards(apps, schema_editor):
    Target = apps.get_model("kpis", "Target")
    for year, kind, care_type, _pct in SEED_TARGETS:
        Target.objects.filter(year=year, scope_kind=kind, care_type=care_type).delete()


class Migration(migrations.Migration):
    dependencies = [("kpis", "0003_dashboard")]

    operations = [migrations.RunPython(forwards, backwards)]

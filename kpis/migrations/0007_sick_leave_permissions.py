"""Who may see sick leave and who may import it.

- styrgrupp: see the sick-leave dashboard;
- controller and hr: see it, import sick-leave extracts, close their months, and
  undo sick-leave imports (the import history shows them the kinds they import).
"""

from django.db import migrations

from hyrdash.migration_helpers import grant_permissions, revoke_permissions

# Frozen here: later permission changes get migrations of their own.
GROUP_PERMISSIONS = {
    "styrgrupp": ["kpis.view_sick_leave"],
    "controller": ["kpis.view_sick_leave", "kpis.import_sick_leave"],
    "hr": ["kpis.view_sick_leave", "kpis.import_sick_leave"],
}


def forwards(apps, schema_editor):
    grant_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_permissions(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0006_sick_leave"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

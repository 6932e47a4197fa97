"""Who may see sick leave and who may import it.

- styrgrupp: see the sick-leave dashboard;
- controller and hr: see it, import sick-leave extracts, close their months, and
  undo sick-leave imports (the import history shows them the kinds they import).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here: later permission changes get migrations of their own.
GROUP_PERMISSIONS = {
    "styrgrupp": ["kpis.view_sick_leave"],
    "controller": ["kpis.view_sick_leave", "kpis.import_sick_leave"],
    "hr": ["kpis.view_sick_leave", "kpis.import_sick_leave"],
}


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0006_sick_leave"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

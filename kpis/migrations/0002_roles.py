"""Create the role groups and give them their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here: later permission changes get migrations of their own.
CONTROLLER_PERMS = [
    "kpis.view_dashboard",
    "kpis.import_data",
    "kpis.view_importbatch",
] + [
    f"kpis.{action}_{model}"
    for model in ("area", "department", "unit", "account")
    for action in ("add", "change", "view")
]
GROUP_PERMISSIONS = {
    "styrgrupp": ["kpis.view_dashboard"],
    "controller": CONTROLLER_PERMS,
    "hr": [],
}


def create_groups(apps, schema_editor):
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


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

"""Create the role groups and give them their permissions."""

from django.db import migrations

from hyrdash.migration_helpers import grant_permissions

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
    grant_permissions(apps, GROUP_PERMISSIONS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

"""Who may see and import the employee survey.

- styrgrupp and controller: the survey per area and for the administration;
- hr: the same, plus departments and units of the areas assigned to each HR user
  (survey.HrAccess), plus importing and undoing survey uploads.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here: later permission changes get migrations of their own.
GROUP_PERMISSIONS = {
    "styrgrupp": ["survey.view_survey"],
    "controller": ["survey.view_survey"],
    "hr": [
        "survey.view_survey",
        "survey.view_survey_units",
        "survey.import_survey",
        "survey.view_surveybatch",
    ],
}


def forwards(apps, schema_editor):
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
        ("survey", "0002_questionnaire_2024"),
        ("kpis", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

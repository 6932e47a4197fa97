"""Who may see and import the employee survey.

- styrgrupp and controller: the survey per area and for the administration;
- hr: the same, plus departments and units of the areas assigned to each HR user
  (survey.HrAccess), plus importing and undoing survey uploads.
"""

from django.db import migrations

from hyrdash.migration_helpers import grant_permissions, revoke_permissions

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
    grant_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_permissions(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("survey", "0002_questionnaire_2024"),
        ("kpis", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

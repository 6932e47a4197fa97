"""The organisation as it was, stored with each answers batch (SurveyBatch.organisation),
and the decisions which of its values are hidden (SurveyBatch.protection).

Existing answers batches get today's organisation: the tree their results were
computed with until now. Their decisions are made when a page first reads them.
"""

from django.db import migrations, models


def snapshot(apps):
    Unit = apps.get_model("kpis", "Unit")
    return [
        {
            "unit_id": unit_id,
            "ansvar": ansvar,
            "unit_name": name,
            "department": department,
            "area": area,
        }
        for unit_id, ansvar, name, department, area in Unit.objects.order_by("id").values_list(
            "id", "ansvar", "name", "department__name", "department__area__name"
        )
    ]


def forwards(apps, schema_editor):
    SurveyBatch = apps.get_model("survey", "SurveyBatch")
    batches = SurveyBatch.objects.filter(kind="answers")
    if batches.exists():
        batches.update(organisation=snapshot(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0011_departmentmonthlycost_composite_key"),
        ("survey", "0003_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveybatch",
            name="organisation",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="organisation"
            ),
        ),
        migrations.AddField(
            model_name="surveybatch",
            name="protection",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="dolda värden"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]

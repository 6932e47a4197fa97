"""The organisation gets a history: UnitPlacement, a unit's department, area and care
type from a month on. Every existing unit is placed where it is today, from the
beginning (HISTORY_START): until a unit moves, every month's organisation is today's,
as the figures shown so far were computed.
"""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

# kpis.models.HISTORY_START, written out: a migration keeps the value it was made with.
HISTORY_START = dt.date(1900, 1, 1)


def place_every_unit(apps, schema_editor):
    Unit = apps.get_model("kpis", "Unit")
    UnitPlacement = apps.get_model("kpis", "UnitPlacement")
    UnitPlacement.objects.bulk_create(
        UnitPlacement(
            unit_id=unit.id,
            valid_from=HISTORY_START,
            department_id=unit.department_id,
            area_id=unit.department.area_id,
            care_type=unit.care_type,
        )
        for unit in Unit.objects.select_related("department").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0015_pack_text_slides"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitPlacement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="gäller från")),
                (
                    "care_type",
                    models.CharField(
                        choices=[
                            ("sjukhusvård", "Sjukhusvård"),
                            ("primärvård", "Primärvård"),
                            ("tandvård", "Tandvård"),
                            ("övrigt", "Övrigt"),
                        ],
                        max_length=20,
                        verbose_name="vårdtyp",
                    ),
                ),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="kpis.area",
                        verbose_name="område",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="kpis.department",
                        verbose_name="verksamhet",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="placements",
                        to="kpis.unit",
                        verbose_name="enhet",
                    ),
                ),
            ],
            options={
                "verbose_name": "placering",
                "verbose_name_plural": "placeringar",
                "ordering": ["unit", "valid_from"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "valid_from"), name="unitplacement_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(place_every_unit, migrations.RunPython.noop),
    ]

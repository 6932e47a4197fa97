"""DepartmentMonthlyCost gets its key as primary key, in place of `id` and a unique
constraint. Django cannot change a primary key in place, so the table is made
anew and filled from the MonthlyCost view: it only holds sums of the ledger.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL_SQL = """
INSERT INTO kpis_departmentmonthlycost
    (kind, period, department_id, care_type, category, amount, hours)
SELECT m.kind, m.period, u.department_id, u.care_type, m.category,
       SUM(m.amount), SUM(m.hours)
FROM kpis_monthlycost m
JOIN kpis_unit u ON u.id = m.unit_id
GROUP BY m.kind, m.period, u.department_id, u.care_type, m.category
"""


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0010_ledgerrow_brin_index"),
    ]

    operations = [
        # Unapplied last: the table 0010 had is back by then and gets its sums.
        migrations.RunSQL(migrations.RunSQL.noop, reverse_sql=FILL_SQL),
        migrations.DeleteModel(name="DepartmentMonthlyCost"),
        migrations.CreateModel(
            name="DepartmentMonthlyCost",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "kind",
                        "period",
                        "department",
                        "care_type",
                        "category",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("actuals", "Utfall"),
                            ("budget", "Budget"),
                            ("sick_leave", "Sjukfrånvaro"),
                        ],
                        max_length=20,
                    ),
                ),
                ("period", models.DateField()),
                (
                    "department",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kpis.department",
                    ),
                ),
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
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("hyr_lakare", "Hyrpersonal läkare"),
                            ("hyr_ssk_bm", "Hyrpersonal sjuksköterskor/barnmorskor"),
                            ("hyr_ovriga", "Hyrpersonal övriga"),
                            ("egen_lon", "Egen personal: löner"),
                            ("egen_po", "Egen personal: personalomkostnader"),
                            ("egen_pension", "Egen personal: pensioner"),
                            ("egen_ovrigt", "Egen personal: övriga personalkostnader"),
                            ("ignorera", "Ignorera"),
                        ],
                        max_length=20,
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=16)),
                ("hours", models.DecimalField(decimal_places=2, max_digits=14, null=True)),
            ],
        ),
        migrations.RunSQL(FILL_SQL, reverse_sql=migrations.RunSQL.noop),
    ]

"""MonthlyCost becomes a view of the current ledger rows' sums instead of a table.

Nothing is lost: the table held sums of the ledger, which the view computes.
Unapplying drops the view and fills the table again from the ledger.
"""

import django.db.models.deletion
from django.db import migrations, models

# The current rows' sums: the current batch of each kind and month is the one
# BatchMonth marks.
SUMS_SQL = """
SELECT b.kind AS kind, l.period AS period, l.unit_id AS unit_id, a.category AS category,
       SUM(l.amount) AS amount, SUM(l.hours) AS hours
FROM kpis_ledgerrow l
JOIN kpis_batchmonth bm ON bm.batch_id = l.batch_id AND bm.period = l.period
JOIN kpis_importbatch b ON b.id = l.batch_id
JOIN kpis_account a ON a.id = l.account_id
WHERE bm.is_current
GROUP BY b.kind, l.period, l.unit_id, a.category
"""

VIEW_SQL = "CREATE VIEW kpis_monthlycost AS " + SUMS_SQL

# What migration 0008's table held, when going back to it.
REFILL_SQL = (
    "INSERT INTO kpis_monthlycost (kind, period, unit_id, category, amount, hours) " + SUMS_SQL
)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0008_monthlycost_fewer_indexes"),
    ]

    operations = [
        # Unapplied last: the table 0008 had is back by then and gets its sums.
        migrations.RunSQL(migrations.RunSQL.noop, reverse_sql=REFILL_SQL),
        migrations.DeleteModel(name="MonthlyCost"),
        migrations.CreateModel(
            name="MonthlyCost",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "kind",
                        "period",
                        "unit",
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
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kpis.unit",
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
            options={
                "db_table": "kpis_monthlycost",
                "managed": False,
            },
        ),
        migrations.RunSQL(VIEW_SQL, reverse_sql="DROP VIEW kpis_monthlycost"),
    ]

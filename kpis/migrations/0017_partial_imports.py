"""Imports of only some units: an import says what it replaces (whole months or the
units in its file), the units such an import holds per month, and the units of a
current batch's month that a newer import replaced. The MonthlyCost view leaves the
replaced units' rows out. Pending uploads keep their coverage and, once done, what
became of them (the placements' too).

Written as migration 0012 on a branch; chained after 0015 when it was merged. The view
is migration 0009's (unchanged since) with the anti-join.
"""

import django.db.models.deletion
from django.db import migrations, models

# As migration 0009's view, without the rows of units a newer import of only some units
# holds (ReplacedUnit): the same rows as kpis.batches.current_rows_sql.
VIEW_SQL = """
CREATE VIEW kpis_monthlycost AS
SELECT b.kind AS kind, l.period AS period, l.unit_id AS unit_id, a.category AS category,
       SUM(l.amount) AS amount, SUM(l.hours) AS hours
FROM kpis_ledgerrow l
JOIN kpis_batchmonth bm ON bm.batch_id = l.batch_id AND bm.period = l.period
JOIN kpis_importbatch b ON b.id = l.batch_id
JOIN kpis_account a ON a.id = l.account_id
WHERE bm.is_current
  AND NOT EXISTS (
    SELECT 1 FROM kpis_replacedunit x WHERE x.month_id = bm.id AND x.unit_id = l.unit_id
  )
GROUP BY b.kind, l.period, l.unit_id, a.category
"""

PREVIOUS_VIEW_SQL = """
CREATE VIEW kpis_monthlycost AS
SELECT b.kind AS kind, l.period AS period, l.unit_id AS unit_id, a.category AS category,
       SUM(l.amount) AS amount, SUM(l.hours) AS hours
FROM kpis_ledgerrow l
JOIN kpis_batchmonth bm ON bm.batch_id = l.batch_id AND bm.period = l.period
JOIN kpis_importbatch b ON b.id = l.batch_id
JOIN kpis_account a ON a.id = l.account_id
WHERE bm.is_current
GROUP BY b.kind, l.period, l.unit_id, a.category
"""


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0015_pack_text_slides"),
    ]

    operations = [
        # First: SQLite rebuilds kpis_importbatch to add a column, and a view that names it
        # stops the rebuild. The new view is made last.
        migrations.RunSQL("DROP VIEW kpis_monthlycost", reverse_sql=PREVIOUS_VIEW_SQL),
        migrations.AddField(
            model_name="importbatch",
            name="replaces",
            field=models.CharField(
                choices=[("months", "Hela månader"), ("units", "Bara filens enheter")],
                default="months",
                max_length=10,
                verbose_name="ersätter",
            ),
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="batch_id",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="details",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="outcome",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.AddField(
            model_name="pendingplacementupload",
            name="batch_id",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="pendingplacementupload",
            name="outcome",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.CreateModel(
            name="BatchMonthUnit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "month",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="units",
                        to="kpis.batchmonth",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="kpis.unit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("month", "unit"), name="batchmonthunit_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReplacedUnit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "month",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="replaced_units",
                        to="kpis.batchmonth",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="kpis.unit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("month", "unit"), name="replacedunit_unique")
                ],
            },
        ),
        migrations.RunSQL(VIEW_SQL, reverse_sql="DROP VIEW kpis_monthlycost"),
    ]

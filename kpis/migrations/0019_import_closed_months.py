"""An import keeps the months it changed that were closed (final) when it was made:
the history shows that it changed figures the steering group had seen as final.

SQLite rebuilds kpis_importbatch to add the column, and the MonthlyCost view, which
names the table, stops the rebuild: the view is dropped first and made again last, as
migration 0017 left it (VIEW_SQL is a copy of that migration's).
"""

from django.db import migrations, models

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


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0018_data_version"),
    ]

    operations = [
        migrations.RunSQL("DROP VIEW kpis_monthlycost", reverse_sql=VIEW_SQL),
        migrations.AddField(
            model_name="importbatch",
            name="closed_months",
            field=models.JSONField(
                blank=True, default=list, verbose_name="ändrade stängda månader"
            ),
        ),
        migrations.RunSQL(VIEW_SQL, reverse_sql="DROP VIEW kpis_monthlycost"),
    ]

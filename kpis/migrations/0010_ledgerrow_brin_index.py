"""The ledger's B-tree index on (batch, period) becomes a BRIN index, on PostgreSQL.

Rows are appended a batch at a time, so a block of rows holds one batch and a
narrow range of months: a BRIN index keeps those ranges in a few pages and costs
next to nothing to keep up, where the B-tree cost about 1 s per 1,000,000 rows
copied in. `autosummarize` lets autovacuum summarise each new range of blocks;
until then a range is read by every query, which is correct, only slower.
SQLite gets no index: its ledgers are the demo's, read in full when rebuilt.
"""

from django.db import migrations

INDEX = "kpis_ledgerrow_batch_period_brin"


def create_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON kpis_ledgerrow USING brin (batch_id, period) "
            "WITH (autosummarize = on)"
        )


def drop_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0009_monthlycost_view"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="ledgerrow",
            name="kpis_ledger_batch_i_f34672_idx",
        ),
        migrations.RunPython(create_brin, drop_brin),
    ]

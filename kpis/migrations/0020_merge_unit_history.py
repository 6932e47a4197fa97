"""0016 (the organisation's history, branch oh12) was chained after 0015 on its branch,
as 0017 (partial imports) was on its own; 0017, 0018 (the data version) and 0019
(closed months an import changed) landed first. They touch different tables, so either
order gives the same schema: this joins the two lines."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0016_unit_history"),
        ("kpis", "0019_import_closed_months"),
    ]

    operations = []

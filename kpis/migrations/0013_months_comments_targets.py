"""Issue 13: months are closed *through* a month, comments belong to a scope, and a
scope without its own target has none unless it is marked to follow the
administration's.

- `ClosedThrough` (one row per kind: the last closed month) replaces `MonthStatus`
  (one row per month). What each kind's months looked like is kept:
  actuals: closed through the latest month that was closed (the charts already drew
  every month up to it as final); sick leave: every month but the newest with data was
  final, the newest too once closed, so it is closed through the newest month with
  data (when that was closed) or the month before it. Going back writes a closed
  `MonthStatus` for every month with data up to the last closed one.
- `Commentary.scope`: the comments written so far were the administration's ("hsf").
- `Target.follows_hsf`, and `pct` empty for a target that follows. The seeds' targets
  (0004) stay as they are.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from hyrdash.migration_helpers import grant_permissions, revoke_permissions

KINDS = ("actuals", "sick_leave")

CONTROLLER_PERMS = {
    "controller": [f"kpis.{action}_closedthrough" for action in ("add", "change", "delete", "view")]
}


def _months_with_data(apps, kind):
    BatchMonth = apps.get_model("kpis", "BatchMonth")
    return sorted(
        set(
            BatchMonth.objects.filter(is_current=True, batch__kind=kind).values_list(
                "period", flat=True
            )
        )
    )


def _month_before(day):
    return (
        day.replace(year=day.year - 1, month=12)
        if day.month == 1
        else day.replace(month=day.month - 1)
    )


def statuses_to_closed_through(apps, schema_editor):
    MonthStatus = apps.get_model("kpis", "MonthStatus")
    ClosedThrough = apps.get_model("kpis", "ClosedThrough")
    for kind in KINDS:
        closed = MonthStatus.objects.filter(kind=kind, closed=True).order_by("period")
        latest = closed.last()
        through = latest.period if latest is not None else None
        if kind == "sick_leave":
            months = _months_with_data(apps, kind)
            if months:
                newest = months[-1]
                final = newest if closed.filter(period=newest).exists() else _month_before(newest)
                through = final if through is None else max(through, final)
        if through is not None:
            ClosedThrough.objects.create(
                kind=kind,
                period=through,
                changed_by_id=latest.changed_by_id if latest is not None else None,
            )
    grant_permissions(apps, CONTROLLER_PERMS)


def closed_through_to_statuses(apps, schema_editor):
    MonthStatus = apps.get_model("kpis", "MonthStatus")
    ClosedThrough = apps.get_model("kpis", "ClosedThrough")
    for row in ClosedThrough.objects.all():
        months = {m for m in _months_with_data(apps, row.kind) if m <= row.period}
        for period in sorted(months | {row.period}):
            MonthStatus.objects.update_or_create(
                kind=row.kind,
                period=period,
                defaults={"closed": True, "changed_by_id": row.changed_by_id},
            )
    revoke_permissions(apps, CONTROLLER_PERMS)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0011_departmentmonthlycost_composite_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClosedThrough",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("actuals", "Utfall"), ("sick_leave", "Sjukfrånvaro")],
                        max_length=20,
                        unique=True,
                        verbose_name="underlag",
                    ),
                ),
                ("period", models.DateField(verbose_name="stängd till och med")),
                (
                    "changed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "stängda månader",
                "verbose_name_plural": "stängda månader",
            },
        ),
        migrations.RunPython(statuses_to_closed_through, closed_through_to_statuses),
        migrations.DeleteModel(name="MonthStatus"),
        migrations.RemoveConstraint(model_name="commentary", name="commentary_unique"),
        migrations.AddField(
            model_name="commentary",
            name="scope",
            field=models.CharField(default="hsf", max_length=200, verbose_name="urval"),
        ),
        migrations.AddConstraint(
            model_name="commentary",
            constraint=models.UniqueConstraint(
                fields=("period", "chart", "scope"), name="commentary_unique"
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="follows_hsf",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "För en vårdtyp eller ett område utan eget mål: använd förvaltningens "
                    "mål för året. Lämna då målet tomt."
                ),
                verbose_name="följer förvaltningens mål",
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="pct",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=5, null=True, verbose_name="mål (%)"
            ),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("follows_hsf", False), ("pct__isnull", False)),
                    models.Q(
                        ("follows_hsf", True),
                        ("pct__isnull", True),
                        models.Q(("scope_kind", "hsf"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="target_pct_or_follows_hsf",
                violation_error_message=(
                    "Ange antingen ett eget mål eller att urvalet följer förvaltningens mål "
                    "(förvaltningen själv har alltid ett eget)."
                ),
            ),
        ),
    ]

"""The data version: one number raised in the same transaction as every change that a
page, a CSV or the steering pack shows, so cached pages (hyrdash.lib.pagecache) are
keyed on it and never show a figure the data no longer has.

What raises it, without each service having to remember:
- saving or deleting any model of the kpis and survey apps (imports and undos save
  their batch; closing a month saves ClosedThrough; a comment, a target, a text slide,
  a mapping, a unit in the admin, a placement action), except those that change no page
  and the rows written only with their batch (NOT_WATCHED);
- `registers_changed` (kpis.signals), sent by the register imports that write in bulk;
- `data_changed()`, called by the few services that write only in bulk
  (the national comparison, the pack's text slides).

Settings a page depends on (the sick-leave threshold) are in the page's key instead.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from kpis.models import DataVersion
from kpis.signals import registers_changed

APPS = ("kpis", "survey")
# Models whose changes no page shows (a file waiting for its confirmation, who looked)
# or that are only ever written together with their batch, whose save raises the version:
# a receiver on them would also stop Django's fast bulk delete of their rows.
NOT_WATCHED = frozenset(
    {
        "kpis.dataversion",
        "kpis.pendingupload",
        "kpis.pendingplacementupload",
        "kpis.placementaccesslog",
        "survey.pendingsurveyupload",
        # rows of a batch
        "kpis.ledgerrow",
        "kpis.monthlycost",
        "kpis.departmentmonthlycost",
        "kpis.batchmonth",
        "kpis.batchmonthunit",
        "kpis.replacedunit",
        "kpis.sickleaverow",
        "kpis.placement",
        "survey.unitresult",
        "survey.population",
    }
)
ROW = 1


def current() -> int:
    """The version now (0 before anything changed)."""
    found = DataVersion.objects.filter(pk=ROW).values_list("value", flat=True).first()
    return found or 0


def data_changed() -> None:
    """Raise the version, in the caller's transaction."""
    if not DataVersion.objects.filter(pk=ROW).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=ROW, defaults={"value": 1})


def _on_change(sender, **kwargs) -> None:
    if not kwargs.get("raw"):  # loaddata
        data_changed()


def watched_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS and model._meta.label_lower not in NOT_WATCHED
    ]


def connect() -> None:
    """Called once from kpis.apps.ready (every app's models are loaded by then)."""
    for model in watched_models():
        label = model._meta.label_lower
        post_save.connect(_on_change, sender=model, dispatch_uid=f"data_version_save_{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"data_version_del_{label}")
        m2m = [f.remote_field.through for f in model._meta.local_many_to_many]
        for through in m2m:
            m2m_changed.connect(
                _on_change, sender=through, dispatch_uid=f"data_version_m2m_{label}"
            )
    registers_changed.connect(_on_change, dispatch_uid="data_version_registers")

"""The data version: numbers raised in the same transaction as every change that a
page, a CSV or the steering pack shows, so cached pages (hyrdash.lib.pagecache) are
keyed on them and never show a figure the data no longer has.

One number per subject (SUBJECTS): a cost import raises `costs` only, so the
sick-leave and survey pages, whose data it does not touch, stay in the cache (on the
2-core server a cold sick-leave page costs seconds). The registers (the organisation,
the accounts), comments, targets and whatever names no subject raise `all`, which every page
depends on. `count(...)` of the subjects a page shows is the sum of those numbers and
`all`'s: each number only ever rises, so the sum rises with every committed change of
any of them.

Each change also gives its subject a new random token. A page's version, `current(...)`,
is the count with a hash of the tokens (48 bits) beside it: it rises with the count, and
a change rolled back after pages were computed for it inside its transaction (a cost
import warms its dashboards before it commits, kpis.registry) leaves a version that no
committed state will have, though a later change reaches the same count. One int in
the keys still.

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

import hashlib
import secrets

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
GENERAL = "all"
COSTS = "costs"  # the ledger, the budget, their closed months, the national table
SICK_LEAVE = "sick_leave"  # sick-leave imports and their closed months
SURVEY = "survey"  # everything of the survey app
PLACEMENTS = "placements"  # consultants under 12 a § (the cost dashboard counts them too)
PACK = "pack"  # the steering pack's text slides
SUBJECTS = (GENERAL, COSTS, SICK_LEAVE, SURVEY, PLACEMENTS, PACK)
# What each page shows, besides GENERAL.
COST_PAGES = (COSTS, PLACEMENTS)
SICK_LEAVE_PAGES = (SICK_LEAVE,)
SURVEY_PAGES = (SURVEY,)
PLACEMENT_PAGES = (PLACEMENTS,)

# Models whose rows belong to one subject; an ImportBatch or a ClosedThrough by its kind.
# A target is every page's: it may be the SKR measure's or sick leave's, and an edit in
# the admin may turn one into the other.
_MODEL_SUBJECTS = {
    "kpis.nationalshare": COSTS,
    "kpis.packtext": PACK,
    "kpis.placementbatch": PLACEMENTS,
    "kpis.placementaction": PLACEMENTS,
}
_BY_KIND = ("kpis.importbatch", "kpis.closedthrough")


TOKEN_BITS = 48


def _rows(subjects: tuple[str, ...]) -> list[tuple[str, int, str]]:
    named = (GENERAL, *subjects) if subjects else SUBJECTS
    rows = DataVersion.objects.filter(subject__in=named).values_list("subject", "value", "token")
    return sorted(rows)


def _count(rows: list[tuple[str, int, str]]) -> int:
    return sum(value for _subject, value, _token in rows)


def count(*subjects: str) -> int:
    """How many changes the pages that show `subjects` (every subject when none is named)
    have seen: the sum of their numbers and GENERAL's, 0 before anything changed."""
    return _count(_rows(subjects))


def current(*subjects: str) -> int:
    """The version of the pages that show `subjects` (every subject when none is
    named), for the page cache's keys: `count` times 2**48 plus a hash of the subjects'
    tokens; 0 before anything changed."""
    rows = _rows(subjects)
    if not rows:
        return 0
    tokens = "|".join(f"{subject}:{value}:{token}" for subject, value, token in rows)
    digest = hashlib.blake2b(tokens.encode(), digest_size=TOKEN_BITS // 8).digest()
    return (_count(rows) << TOKEN_BITS) + int.from_bytes(digest, "big")


def subject_state(subject: str) -> str:
    """`subject`'s own number and token, without GENERAL's ("0" before it changed): what
    a value computed only from that subject's rows may be keyed on (the sick-leave rows
    in use, kpis.sick_leave.cached.sick_leave_frame, read with the register's state)."""
    if subject not in SUBJECTS:
        raise ValueError(f"unknown data subject {subject!r}")
    found = DataVersion.objects.filter(subject=subject).values_list("value", "token").first()
    return "0" if found is None else f"{found[0]}:{found[1]}"


def data_changed(subject: str = GENERAL) -> None:
    """Raise `subject`'s number (GENERAL: every page's) and give it a new token, in the
    caller's transaction."""
    if subject not in SUBJECTS:
        raise ValueError(f"unknown data subject {subject!r}")
    token = secrets.token_hex(16)
    if not DataVersion.objects.filter(subject=subject).update(value=F("value") + 1, token=token):
        DataVersion.objects.get_or_create(subject=subject, defaults={"value": 1, "token": token})


def subject_of(instance) -> str:
    """The subject a saved or deleted model instance belongs to."""
    meta = instance._meta
    if meta.label_lower in _BY_KIND:
        return SICK_LEAVE if instance.kind == "sick_leave" else COSTS
    if meta.app_label == "survey":
        return SURVEY
    return _MODEL_SUBJECTS.get(meta.label_lower, GENERAL)


def _on_change(sender, instance=None, raw=False, **kwargs) -> None:
    """post_save, post_delete and m2m_changed of a watched model (its instance), or
    registers_changed (no instance: every page)."""
    if not raw:  # raw: loaddata
        data_changed(GENERAL if instance is None else subject_of(instance))


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

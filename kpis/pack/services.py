"""The steering pack: the month's deck for one scope as .pptx bytes (the page's download
and `manage.py steering_pack` share `pack_build`), and the controllers' text slides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hyrdash.lib import chart_style
from hyrdash.lib.deck import CoreProps, ProvenanceSlide, build_deck
from hyrdash.lib.errors import ServiceError
from kpis import roles
from kpis.data_version import PACK, data_changed
from kpis.models import PackText
from kpis.national.selectors import national_shares
from kpis.organisation.selectors import HSF, Scope, ScopeError
from kpis.pack import slides as pack_slides
from kpis.pack.provenance import provenance_rows
from kpis.pack.selectors import Comments, TextSlideRow, pack_texts
from kpis.registry import PACK_SECTIONS

# The scopes a pack is made for: the decks are the administration's, a care type's or
# an area's.
PACK_SCOPE_KINDS = (HSF, "care", "area")
PROVENANCE_ROWS = 16  # rows per provenance slide, so the table stays readable


@dataclass(frozen=True)
class Pack:
    content: bytes
    filename: str
    slide_count: int


def pack_scope(text: str | None) -> Scope:
    """'hsf', 'care:<vårdtyp>' or 'area:<område>' -> Scope (ScopeError otherwise)."""
    scope = Scope.parse(text)
    if scope.kind not in PACK_SCOPE_KINDS:
        raise ScopeError(
            _(
                "Styrgruppspaketet görs för hela förvaltningen (hsf), en vårdtyp "
                "(care:<vårdtyp>) eller ett område (area:<område>), inte för %(scope)s."
            )
            % {"scope": scope.key}
        )
    return scope


def pack_filename(*, month: pd.Period, scope: Scope) -> str:
    """'styrgruppspaket-area-tandvarden-2024-10.pptx' (ASCII)."""
    slug = slugify(scope.key.replace(":", "-")) or HSF
    return f"styrgruppspaket-{slug}-{month:%Y-%m}.pptx"


def _may(user, permission: str) -> bool:
    """The command line (no user) builds everything; a user gets what they may see."""
    return user is None or user.has_perm(permission)


def pack_slides_for(p: pack_slides.PackInput, *, user=None):
    """The slides in the decks' order, and the other apps' provenance rows."""
    month, scope = p.month, p.scope
    found = [
        pack_slides.title_slide(p),
        pack_slides.ytd_slide(p),
        pack_slides.monthly_slide(p),
        pack_slides.r12_slide(p),
        pack_slides.skr_slide(p),
        pack_slides.target_path_slide(p),
        pack_slides.skr_scopes_slide(p),
        pack_slides.r12_area_slide(p),
        *(pack_slides.personnel_slide(p, s) for s in pack_slides.personnel_scopes(scope)),
        pack_slides.department_slide(p),
        pack_slides.hours_slide(p),
        *pack_slides.text_slides(pack_texts(month=month, scope=scope)),
        pack_slides.national_slide(p),
    ]
    if _may(user, roles.VIEW_SICK_LEAVE):
        found.append(pack_slides.sick_leave_slide(p))
    extra = []
    for build in PACK_SECTIONS.values():
        section, rows = build(scope=scope.key, month=month, comment=p.comments.get, user=user)
        found += section
        extra += rows
    return [s for s in found if s is not None], extra


def _provenance_slides(rows: Sequence[tuple[str, str]]) -> list[ProvenanceSlide]:
    chunks = [rows[i : i + PROVENANCE_ROWS] for i in range(0, len(rows), PROVENANCE_ROWS)]
    note = _(
        "Importerna är de som används för paketets månader: fil, vem, när och början av "
        "filens kontrollsumma (SHA-256)."
    )
    return [
        ProvenanceSlide(
            _("Underlag") if i == 0 else _("Underlag (forts.)"),
            list(chunk),
            note=note if i == len(chunks) - 1 else None,
        )
        for i, chunk in enumerate(chunks)
    ]


def pack_build(
    *, month: pd.Period, scope: Scope, built: dt.datetime | None = None, user=None
) -> Pack:
    """The steering pack of a month with actuals for a scope, as .pptx bytes.

    The same month, scope and data give the same file for the same `built` (the build
    time, now when not given; it is on the last slide and in the document properties).
    """
    if scope.kind not in PACK_SCOPE_KINDS:
        raise ServiceError(_("Styrgruppspaketet görs inte för en verksamhet."))
    built = built or timezone.now()
    p = pack_slides.PackInput(
        month=month,
        scope=scope,
        comments=Comments(month=month, scope=scope),
        national=national_shares(),
        region=getattr(settings, "HYRDASH_REGION", "Västerbotten"),
    )
    if month not in p.costs.months_actuals:
        raise ServiceError(
            _("%(month)s har inga utfall; välj en månad med utfall.")
            % {"month": chart_style.upper_first(chart_style.month_label(month))}
        )
    found, extra = pack_slides_for(p, user=user)
    rows = provenance_rows(
        p, built=built, sick_leave=_may(user, roles.VIEW_SICK_LEAVE), extra=extra
    )
    deck = [*found, *_provenance_slides(rows)]
    core = CoreProps(
        title=_("Styrgruppspaket %(month)s – %(scope)s")
        % {"month": chart_style.month_label(month), "scope": scope.label},
        subject=_("Inhyrd personal, sjukfrånvaro och medarbetarundersökning"),
        author="hyrdash",
        keywords=f"{_('styrgruppspaket')}; {month:%Y-%m}; {scope.key}",
        comments="\n".join(f"{label}: {value}" for label, value in rows),
        category=_("Styrgruppspaket"),
        created=built,
        language="sv-SE" if translation.get_language() in (None, "sv") else "en-GB",
    )
    return Pack(
        content=build_deck(deck, core=core),
        filename=pack_filename(month=month, scope=scope),
        slide_count=len(deck),
    )


def pack_texts_save(
    *, month: pd.Period, scope: Scope, rows: Sequence[TextSlideRow], user=None
) -> int:
    """Replace the month's text slides of the scope with `rows` (in their order); returns
    how many there are now."""
    period = month.to_timestamp().date()
    with transaction.atomic():
        PackText.objects.filter(period=period, scope=scope.key).delete()
        PackText.objects.bulk_create(
            PackText(
                period=period,
                scope=scope.key,
                order=row.order,
                title=row.title,
                text=row.text,
                updated_by=user,
            )
            for row in rows
        )
        data_changed(PACK)  # bulk_create sends no signal
    return len(rows)

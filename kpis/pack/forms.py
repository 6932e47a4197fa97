"""The pack page's form: the month's text slides, a small formset."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis.pack.selectors import TextSlideRow

MAX_BULLETS = 12
MAX_SLIDES = 8
PREFIX = "texter"


class PackTextForm(forms.Form):
    """One text slide: its place, title and bullets. A form left blank is no slide."""

    order = forms.IntegerField(label=_("Ordning"), min_value=1, max_value=99, required=False)
    title = forms.CharField(label=_("Rubrik"), max_length=150, required=False)
    text = forms.CharField(
        label=_("Punkter"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "En punkt per rad, högst %(count)s. Dra in en rad med mellanslag för en underpunkt."
        )
        % {"count": MAX_BULLETS},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
            if name == "order":
                field.widget.attrs["class"] = "form-control pack-order"

    def clean(self):
        cleaned = super().clean()
        title, text = cleaned.get("title", "").strip(), cleaned.get("text", "")
        if self.cleaned_data.get("DELETE") or (not title and not text.strip()):
            return cleaned
        if not title:
            self.add_error("title", _("Ange en rubrik för textbilden."))
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            self.add_error("text", _("Skriv minst en punkt."))
        elif len(lines) > MAX_BULLETS:
            self.add_error(
                "text",
                _("Högst %(count)s punkter får plats på en bild; den här har %(found)s.")
                % {"count": MAX_BULLETS, "found": len(lines)},
            )
        return cleaned


PackTextFormSet = forms.formset_factory(
    PackTextForm, extra=1, can_delete=True, max_num=MAX_SLIDES, validate_max=True
)


def initial_rows(rows: list[TextSlideRow]) -> list[dict]:
    return [{"order": r.order, "title": r.title, "text": r.text} for r in rows]


def text_rows(formset) -> list[TextSlideRow]:
    """The valid formset's slides, blank and deleted ones left out, numbered 1, 2, ... in
    the order asked for (forms without a number keep their place)."""
    kept = []
    for position, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("title", "").strip():
            continue
        order = data.get("order") or position + 1
        kept.append((order, position, data["title"].strip(), data["text"].rstrip()))
    kept.sort()
    return [TextSlideRow(i + 1, title, text) for i, (_o, _p, title, text) in enumerate(kept)]

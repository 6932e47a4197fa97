"""The forms of the kpis pages: which kind of extract to upload (from kpis.registry),
closing a month, a chart's comment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrdash.lib.forms import UploadForm
from kpis.models import ImportBatch


class ExtractUploadForm(UploadForm):
    """An extract and its kind, out of the kinds the user may import (roles)."""

    kind = forms.ChoiceField(label=_("Typ av underlag"), widget=forms.RadioSelect)
    field_order = ["kind", "file"]

    def __init__(self, *args, kinds: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ImportBatch.Kind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        if kinds:
            self.fields["kind"].initial = kinds[0]


class MonthField(forms.CharField):
    """A month as YYYY-MM -> the first day of that month."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError as exc:
            raise forms.ValidationError(_("Ange månaden som ÅÅÅÅ-MM.")) from exc


class MonthStatusForm(forms.Form):
    manad = MonthField(label=_("Månad"))
    closed = forms.BooleanField(label=_("Stängd"), required=False)
    # Whose months: the ledger's (actuals, the default) or sick leave's.
    kind = forms.ChoiceField(
        choices=[(ImportBatch.Kind.ACTUALS, ""), (ImportBatch.Kind.SICK_LEAVE, "")],
        required=False,
    )


class CommentaryForm(forms.Form):
    manad = MonthField(label=_("Månad"))
    chart = forms.SlugField(label=_("Diagram"), max_length=40)
    # The scope's key (hsf, care:..., area:..., department:...); checked by the view.
    urval = forms.CharField(label=_("Urval"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

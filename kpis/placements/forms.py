"""The forms of the placements pages: the list's selection, an action for a consultant,
the upload."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hyrdash.lib.forms import UploadForm
from kpis.placements.models import PlacementAction


class PlacementUploadForm(UploadForm):
    """The staffing system's placements export."""


def _choices(values, everything) -> list[tuple[str, str]]:
    return [("", everything), *[(value, value) for value in values]]


class ListFilterForm(forms.Form):
    """The list's selection (GET): the reference date, an area, a profession, an agency.

    Unknown values are refused by the form (a choice not offered); the view then shows
    everything and says so.
    """

    datum = forms.DateField(
        label=_("Per dag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    omrade = forms.ChoiceField(label=_("Område"), required=False)
    yrkesgrupp = forms.ChoiceField(label=_("Yrkesgrupp"), required=False)
    bemanningsforetag = forms.ChoiceField(label=_("Bemanningsföretag"), required=False)

    def __init__(self, *args, areas=(), professions=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["omrade"].choices = _choices(areas, _("Alla områden"))
        self.fields["yrkesgrupp"].choices = _choices(professions, _("Alla yrkesgrupper"))
        self.fields["bemanningsforetag"].choices = _choices(agencies, _("Alla företag"))
        self.fields["datum"].initial = timezone.localdate()
        self.fields["datum"].widget.attrs["class"] = "form-control"
        for name in ("omrade", "yrkesgrupp", "bemanningsforetag"):
            self.fields[name].widget.attrs["class"] = "form-select"


class ActionForm(forms.Form):
    """What was done for a consultant (the transition decision is recorded in bulk)."""

    kind = forms.ChoiceField(
        label=_("Åtgärd"),
        choices=[
            choice
            for choice in PlacementAction.Kind.choices
            if choice[0] != PlacementAction.Kind.TRANSITION_OFFER
        ],
    )
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

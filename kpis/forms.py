"""The forms of the kpis pages: which kind of extract to upload (from kpis.registry),
what a confirmed file replaces, closing a month, a chart's comment.
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


class ReplacesForm(forms.Form):
    """The confirmation page's choice: replace the file's whole months, or update only the
    units in the file. Required for a partial file (hyrdash.lib.coverage); a complete one
    replaces whole months unless the uploader chooses otherwise."""

    replaces = forms.ChoiceField(
        label=_("Vad ska filen ersätta?"),
        choices=[
            (
                ImportBatch.Replaces.MONTHS,
                _(
                    "Ersätt hela månaderna (ett fullständigt nytt uttag): enheter som inte "
                    "finns i filen får inga värden för månaderna."
                ),
            ),
            (
                ImportBatch.Replaces.UNITS,
                _(
                    "Uppdatera bara enheterna i filen (en rättelse): filens enheter ersätter "
                    "sina värden för månaderna, alla andra enheter behåller sina."
                ),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Välj om filen ska ersätta hela månaderna eller bara uppdatera enheterna i filen."
            )
        },
    )

    def __init__(self, *args, partial: bool, new_months: Sequence[str] = (), **kwargs):
        """`new_months`: the months of a partial file that have nothing stored, when they
        are its only partial months (hyrdash.lib.coverage.new_periods_only). Both choices
        would import the file's units as all those months have: the one choice offered
        is to import it anyway, and it must be made."""
        super().__init__(*args, **kwargs)
        field = self.fields["replaces"]
        field.required = partial
        if not partial:
            field.initial = ImportBatch.Replaces.MONTHS
        elif new_months:
            field.label = _("Importera filen ändå?")
            field.choices = [
                (
                    ImportBatch.Replaces.MONTHS,
                    _(
                        "Importera filen ändå: dess enheter blir allt som finns för "
                        "%(months)s, som inte har några sparade värden."
                    )
                    % {"months": ", ".join(new_months)},
                )
            ]
            field.error_messages["required"] = _(
                "Bekräfta att filen ska importeras ändå, eller avbryt."
            )

    def choice(self) -> str | None:
        """The choice made (a valid form), None for none."""
        return self.cleaned_data["replaces"] or None


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

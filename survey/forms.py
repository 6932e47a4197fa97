from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hyrdash.lib.forms import UploadForm

from .models import SurveyBatch


class SurveyUploadForm(UploadForm):
    kind = forms.ChoiceField(
        label=_("Typ av underlag"),
        choices=SurveyBatch.Kind.choices,
        initial=SurveyBatch.Kind.ANSWERS,
        widget=forms.RadioSelect,
    )
    year = forms.IntegerField(label=_("Undersökningsår"), min_value=2000, max_value=2200)
    field_order = ["kind", "year", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ReplaceYearForm(forms.Form):
    """For a file that covers clearly less than the year in use (hyrdash.lib.coverage): the
    uploader must say it replaces the year all the same."""

    replace_year = forms.BooleanField(
        label=_("Ersätt årets värden med filens ändå"),
        error_messages={
            "required": _(
                "Filen täcker klart mindre än det som används för året: kryssa i att den "
                "ska ersätta året, eller avbryt."
            )
        },
    )

    def __init__(self, *args, partial: bool, new_year: bool = False, **kwargs):
        """`new_year`: the year has nothing stored and the file covers clearly less than
        the latest earlier year's (hyrdash.lib.coverage): there is nothing to replace, the
        uploader confirms importing it all the same."""
        super().__init__(*args, **kwargs)
        field = self.fields["replace_year"]
        field.required = partial
        if new_year:
            field.label = _("Importera filen ändå: dess enheter blir allt som finns för året")
            field.error_messages["required"] = _(
                "Filen täcker klart mindre än senaste året med data: kryssa i att den ska "
                "importeras ändå, eller avbryt."
            )

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

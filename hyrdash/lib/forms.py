"""The upload form every two-step upload starts from: one file, with the size limit."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hyrdash.lib.formatting import format_number


class UploadForm(forms.Form):
    """A file upload with a size limit; the content is checked by the import service."""

    file = forms.FileField(
        label=_("Fil (CSV eller Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Filen är för stor (%(size)s MB); högst %(limit)s MB tas emot.")
                % {
                    "size": format_number(upload.size / 1024 / 1024, 1),
                    "limit": format_number(limit / 1024 / 1024, 0),
                }
            )
        return upload

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import no_control_characters
from safelane.mapping import extract

ACCEPT = ",".join(f".{kind}" for kind in extract.SUPPORTED)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_(
            "A security manual, a policy, a procedure or a form: PDF with text, Word (.docx), "
            "plain text or Excel (.xlsx). It goes into the evidence library."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        validators=[no_control_characters],
        help_text=_("Leave empty to use the file's name."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a document in the library"),
        max_length=100,
        required=False,
        validators=[no_control_characters],
    )


class LibraryForm(forms.Form):
    """A document of the organisation's own library, by its id."""

    evidence: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = library  # type: ignore[attr-defined]

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safelane.catalog import selectors as catalog_selectors
from safelane.core.forms import VersionedModelForm, no_control_characters
from safelane.evidence import uploads
from safelane.evidence.models import Evidence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _accepted_files() -> str:
    return gettext(
        "Accepted files: %(extensions)s. The type is checked from the file's content, not its name."
    ) % {"extensions": uploads.accepted_extensions()}


# One allow-list for what the page offers and what the upload check refuses, so they cannot differ.
FILE = forms.ClearableFileInput(attrs={"accept": uploads.accepted_extensions()})
ACCEPTED_FILES = lazy(_accepted_files, str)()


class EvidenceForm(VersionedModelForm):
    class Meta:
        model = Evidence
        fields = ["title", "description", "owner", "effective_from", "effective_to", "review_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "effective_from": DATE,
            "effective_to": DATE,
            "review_date": DATE,
        }

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end of the period is before its start."))
        return data


class NewEvidenceForm(EvidenceForm):
    version = None  # type: ignore[assignment]
    file = forms.FileField(label=_("File"), widget=FILE, help_text=ACCEPTED_FILES)
    criteria = forms.CharField(
        label=_("Criteria it supports"),
        required=False,
        help_text=_("Criterion IDs separated by commas, such as 4.8, 4.12."),
        validators=[no_control_characters],
    )

    def clean_criteria(self) -> list[str]:
        # Which IDs are criteria is the catalog's rule, checked by the service.
        return catalog_selectors.split_criterion_ids(self.cleaned_data.get("criteria") or "")


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"), widget=FILE, help_text=ACCEPTED_FILES)


class AttachForm(forms.Form):
    """The library document chosen to support a record."""

    evidence: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Evidence.objects.none(), label=_("Evidence")
    )

    def __init__(self, *args: Any, library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = library  # type: ignore[attr-defined]

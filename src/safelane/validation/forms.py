from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import VersionedModelForm, no_control_characters
from safelane.validation.models import Finding, FindingStatus, Result, Validation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ValidationForm(VersionedModelForm):
    class Meta:
        model = Validation
        fields = ["title", "visit_on", "sites", "notice_received_on", "specialist"]
        widgets = {
            "visit_on": DATE,
            "notice_received_on": DATE,
            "sites": forms.Textarea(attrs={"rows": 3}),
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class CbpValidationForm(ValidationForm):
    version = None  # type: ignore[assignment]


class MockValidationForm(forms.ModelForm):
    share = forms.IntegerField(
        label=_("Share of the other criteria to sample (%)"),
        min_value=0,
        max_value=100,
        initial=25,
        help_text=_(
            "Every Must with a gap is on the plan; this share of the rest is drawn at random, "
            "the categories with the highest risk scores more often."
        ),
    )

    class Meta:
        model = Validation
        fields = ["title", "visit_on", "sites"]
        widgets = {"visit_on": DATE, "sites": forms.Textarea(attrs={"rows": 3})}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class CheckForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[(Result.OK, Result.OK.label), (Result.FINDING, Result.FINDING.label)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What was seen"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters],
        help_text=_("For a finding, what is missing: it becomes the finding's text."),
    )


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["criterion_ident", "kind", "text", "response_due"]
        widgets = {"response_due": DATE, "text": forms.Textarea(attrs={"rows": 3})}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ResponseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)
    response = forms.CharField(
        label=_("Our response"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters],
        help_text=_("What was done or will be done, and by when; link the evidence below."),
    )


class FindingStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)
    status = forms.ChoiceField(label=_("Status"), choices=FindingStatus.choices)

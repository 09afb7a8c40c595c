from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import VersionedModelForm
from safelane.membership import selectors
from safelane.membership.models import AppealBasis, CtpatMembership, Status, Tier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Before the first save there is no version to carry yet.
VERSION = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31, required=False)


class DetailsForm(VersionedModelForm):
    """The account number, the recognitions and corrections of the dates on record."""

    version = VERSION
    mra_programmes = forms.MultipleChoiceField(
        label=_("Mutual recognition"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Foreign programmes that recognise the company (Mexico OEA, Canada PIP, ...)."),
    )

    class Meta:
        model = CtpatMembership
        fields = [
            "account_number",
            "mra_programmes",
            "submitted_on",
            "certified_on",
            "validated_on",
        ]
        widgets = {"submitted_on": DATE, "certified_on": DATE, "validated_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mra_programmes"].choices = selectors.mra_programmes()  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    """A status as CBP gave it, with its date and what comes with it."""

    version = VERSION
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in Status if s != Status.NOT_APPLIED],
    )
    on = forms.DateField(label=_("On"), widget=DATE, help_text=_("The date CBP gives."))
    tier = forms.ChoiceField(
        label=_("Tier granted"),
        choices=[(t.value, t.label) for t in Tier if t in (Tier.TIER_2, Tier.TIER_3)],
        required=False,
        help_text=_(
            "For a validation: Tier II, or Tier III for an importer or exporter that exceeds the criteria."
        ),
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a suspension, the reason the letter gives."),
    )
    response_due = forms.DateField(
        label=_("Answer due"),
        required=False,
        widget=DATE,
        help_text=_("For a suspension: the date the letter gives (90 days from it if left empty)."),
    )
    appeal_basis = forms.ChoiceField(
        label=_("Grounds"),
        choices=AppealBasis.choices,
        required=False,
        help_text=_("For a suspension or removal: they set the time left to appeal."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What changed since the last review"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sites, partners, countries, incidents; or 'No change'."),
    )

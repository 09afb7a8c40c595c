from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import QuickSelect, VersionedModelForm
from safelane.risk.models import CountryThreat, Leg, Node


class StartForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    start_from = forms.ChoiceField(label=_("Start from"), required=False)

    def __init__(self, *args: Any, previous: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("An empty map")), *((str(a.pk), a.title) for a in previous)]
        self.fields["start_from"].choices = choices  # type: ignore[attr-defined]


class NodeForm(VersionedModelForm):
    class Meta:
        model = Node
        fields = ["name", "kind", "operator", "city", "country"]
        widgets = {"country": QuickSelect}


class LegForm(VersionedModelForm):
    class Meta:
        model = Leg
        fields = ["flow", "origin", "destination", "mode", "custodian", "rests", "documents"]
        widgets = {"origin": QuickSelect, "destination": QuickSelect}

    def __init__(self, *args: Any, points: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if points is not None:
            self.fields["origin"].queryset = points  # type: ignore[attr-defined]
            self.fields["destination"].queryset = points  # type: ignore[attr-defined]


class NewNodeForm(NodeForm):
    version = None  # type: ignore[assignment]


class NewLegForm(LegForm):
    version = None  # type: ignore[assignment]


class FinaliseForm(forms.Form):
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2})
    )
    method_note = forms.CharField(
        label=_("Method notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_due = forms.DateField(
        label=_("Next assessment due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "At least once a year; sooner for highway carriers, high-risk supply chains or after "
            "a major change."
        ),
    )

    def clean_next_due(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["next_due"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: country, threat, level (High/Medium/Low), sources, assessed_on (YYYY-MM-DD)."
        ),
    )


class CountryThreatForm(VersionedModelForm):
    class Meta:
        model = CountryThreat
        fields = ["country", "threat", "level", "sources", "assessed_on"]
        widgets = {
            "country": QuickSelect,
            "sources": forms.Textarea(attrs={"rows": 3}),
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

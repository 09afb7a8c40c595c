from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import ConfirmForm, QuickSelect, VersionedModelForm
from safelane.core.inputs import parse_id
from safelane.partners import selectors as partner_selectors
from safelane.risk.models import CountryThreat, Leg, Level, Node, ThreatType
from safelane.risk.services import Rated


class StartForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    start_from = forms.ChoiceField(label=_("Start from"), required=False)

    def __init__(self, *args: Any, previous: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("An empty map")), *((str(a.pk), a.title) for a in previous)]
        self.fields["start_from"].choices = choices  # type: ignore[attr-defined]


class FacilityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return partner_selectors.facility_label(obj)


class NodeForm(VersionedModelForm):
    """A point; choosing a partner's facility fills what is left empty from it."""

    class Meta:
        model = Node
        fields = ["facility", "name", "kind", "operator", "city", "country"]
        field_classes = {"facility": FacilityChoice}
        widgets = {"country": QuickSelect, "facility": QuickSelect}

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facility = self.fields["facility"]
        facility.queryset = partner_selectors.map_facilities(org)  # type: ignore[attr-defined]
        facility.empty_label = _("None: not a partner's facility")  # type: ignore[attr-defined]
        # With a facility chosen, its name, city and country fill the empty fields.
        self.fields["name"].required = False
        self.fields["country"].required = False


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


class FinaliseForm(ConfirmForm):
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


LEVELS = {str(value) for value in Level.values}
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def _seen(data: Any, key: str) -> int:
    """The version of a rating the reader saw, from its hidden field (0: none, or unreadable)."""
    return parse_id(data.get(key, "")) or 0


class ThreatGridForm(forms.Form):
    """The threat step's grid, read from fields named by cell:

    `t:<country>:<threat>` a country's level ("" for none) and `tv:...` the version its reader
    saw; `s:<country>` the country's sources; `l:<leg id>:<threat>` and `lv:...` for legs.
    Cells that cannot be read are left out; whether the countries and legs belong to the
    assessment is the service's rule.
    """

    def clean(self) -> dict[str, Any]:
        countries: dict[tuple[str, str], Rated] = {}
        legs: dict[tuple[int, str], Rated] = {}
        sources: dict[str, str] = {}
        for name in self.data:
            value = self.data.get(name, "")
            prefix, _sep, rest = name.partition(":")
            if prefix == "s" and COUNTRY_CODE.match(rest):
                sources[rest] = value.strip()
                continue
            row, _sep, threat = rest.partition(":")
            if threat not in ThreatType.values or (value and value not in LEVELS):
                continue
            level = int(value) if value else None
            if prefix == "t" and COUNTRY_CODE.match(row):
                countries[(row, threat)] = Rated(level, _seen(self.data, f"tv:{row}:{threat}"))
            elif prefix == "l" and (leg := parse_id(row)) is not None:
                legs[(leg, threat)] = Rated(level, _seen(self.data, f"lv:{row}:{threat}"))
        return {"countries": countries, "sources": sources, "legs": legs}


class VulnerabilityGridForm(forms.Form):
    """The vulnerability step's grid: `v:<rating id>` the level, `r:<id>` the reason for moving
    away from the suggestion, `vv:<id>` the version its reader saw.

    Each cell sent is a field of the form, so that a refused grid comes back with what was
    typed in it; whether the ratings belong to the assessment is the service's rule.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pk in self._sent():
            self.fields[f"v:{pk}"] = forms.TypedChoiceField(
                label=_("Level"), choices=Level.choices, coerce=int
            )
            self.fields[f"r:{pk}"] = forms.CharField(label=_("Reason"), required=False)

    def _sent(self) -> list[int]:
        names = (name.partition(":") for name in self.data)
        return [pk for prefix, _sep, raw in names if prefix == "v" and (pk := parse_id(raw))]

    def clean(self) -> dict[str, Any]:
        changes: dict[int, tuple[int, str, int]] = {}
        for pk in self._sent():
            level = self.cleaned_data.get(f"v:{pk}")
            if level is not None:
                reason = self.cleaned_data.get(f"r:{pk}", "")
                changes[pk] = (level, reason, _seen(self.data, f"vv:{pk}"))
        return {"changes": changes}

    def typed(self) -> dict[int, tuple[int | None, str, int]]:
        """What was sent for each cell (level, reason, version seen), to show it again."""
        return {
            pk: (
                int(level) if (level := self.data.get(f"v:{pk}", "")) in LEVELS else None,
                self.data.get(f"r:{pk}", ""),
                _seen(self.data, f"vv:{pk}"),
            )
            for pk in self._sent()
        }

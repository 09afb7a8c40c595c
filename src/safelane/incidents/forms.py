from __future__ import annotations

from typing import Any

from django import forms

from safelane.core.forms import VersionedModelForm
from safelane.incidents.models import Incident

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IncidentForm(VersionedModelForm):
    class Meta:
        model = Incident
        fields = ["kind", "title", "discovered_at", "place", "criterion_ident", "partner", "node"]
        widgets = {"discovered_at": MOMENT}

    def __init__(self, *args: Any, partners: Any, nodes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["node"].queryset = nodes  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class NewIncidentForm(IncidentForm):
    version = None  # type: ignore[assignment]


class ReportForm(VersionedModelForm):
    class Meta:
        model = Incident
        fields = ["reported_to_cbp_at", "reported_by", "cbp_contact"]
        widgets = {"reported_to_cbp_at": MOMENT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_to_cbp_at"].required = True
        self.fields["reported_by"].required = True

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class AnalysisForm(VersionedModelForm):
    class Meta:
        model = Incident
        fields = ["what_happened", "root_cause", "changes"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = field.required or not isinstance(field.widget, forms.HiddenInput)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

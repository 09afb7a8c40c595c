"""Field inspections' forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import VersionedModelForm
from safelane.inspections.models import Checklist, ChecklistPoint


class CriteriaField(forms.CharField):
    """MSC criterion IDs typed separated by commas (the service checks each one)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("label", _("Criteria"))
        kwargs.setdefault("help_text", _("MSC criterion IDs, separated by commas: 5.3, 5.4."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        return [part.strip() for part in re.split(r"[,;\s]+", text) if part.strip()]


class ChecklistForm(VersionedModelForm):
    criteria = CriteriaField()

    class Meta:
        model = Checklist
        fields = [
            "title",
            "title_es",
            "conveyance",
            "supervisor_signoff",
            "criteria",
            "description",
            "description_es",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_es": forms.Textarea(attrs={"rows": 2}),
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class PointForm(VersionedModelForm):
    criteria = CriteriaField()

    class Meta:
        model = ChecklistPoint
        fields = ["title", "title_es", "look_at", "look_at_es", "photo_required", "criteria"]
        widgets = {
            "look_at": forms.Textarea(attrs={"rows": 2}),
            "look_at_es": forms.Textarea(attrs={"rows": 2}),
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

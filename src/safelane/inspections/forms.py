"""Field inspections' forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import VersionedModelForm
from safelane.inspections.models import Checklist, ChecklistPoint, Conveyance, Site


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


class EmailsField(CriteriaField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("label", _("Supervisors"))
        kwargs.setdefault(
            "help_text",
            _("E-mail addresses of members, separated by commas. Empty: the owners and managers."),
        )
        super().__init__(**kwargs)


class SiteForm(VersionedModelForm):
    supervisors = EmailsField()

    class Meta:
        model = Site
        fields = ["name", "supervisors"]


class InspectionForm(forms.Form):
    """The inspection's header and signature; each point's result comes as outcome-<id>,
    note-<id> and photos-<id>, read by the view."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    checklist = forms.IntegerField(widget=forms.HiddenInput)
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    tractor = forms.CharField(label=_("Tractor number or plate"), max_length=40, required=False)
    trailer = forms.CharField(label=_("Trailer number or plate"), max_length=40, required=False)
    container = forms.CharField(
        label=_("Container number"),
        max_length=20,
        required=False,
        help_text=_("As on the door: ABCU 123456 7."),
    )
    seals = CriteriaField(
        label=_("Seal numbers"), help_text=_("Separated by commas."), max_length=400
    )
    driver = forms.CharField(label=_("Driver"), max_length=150, required=False)
    device_time = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    signed_name = forms.CharField(label=_("Your name, as your signature"), max_length=150)
    attested = forms.BooleanField(
        label=_("I inspected this conveyance myself, point by point, as recorded here."),
        required=False,
    )

    def __init__(self, *args: Any, sites: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class InspectionFilterForm(forms.Form):
    """The inspections list's filters, shared by the page and its export."""

    q = forms.CharField(label=_("Conveyance or seal number"), max_length=40, required=False)
    site = forms.ModelChoiceField(
        queryset=Site.objects.none(), required=False, label=_("Site"), empty_label=_("Every site")
    )
    conveyance = forms.ChoiceField(
        choices=[("", _("Every checklist kind")), *Conveyance.choices],
        required=False,
        label=_("Inspects"),
    )
    result = forms.ChoiceField(
        choices=[("", _("Every result")), ("failed", _("A point failed")), ("passed", _("Passed"))],
        required=False,
        label=_("Result"),
    )
    after = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, sites: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.fields["site"].queryset = sites  # type: ignore[attr-defined]

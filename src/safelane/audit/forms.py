from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.models import AuditAction
from safelane.core.trail import AuditFilter


class AuditFilterForm(forms.Form):
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(
        label=_("Change"), required=False, choices=[("", _("Any")), *AuditAction.choices]
    )
    content_type = forms.TypedChoiceField(
        label=_("Record type"), required=False, coerce=int, empty_value=None
    )
    object_id = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    q = forms.CharField(label=_("Record"), required=False, max_length=100)

    def __init__(
        self, *args: Any, actors: Any = (), content_types: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone"))] + [  # type: ignore[attr-defined]
            (m.user_id, str(m.user)) for m in actors
        ]
        self.fields["content_type"].choices = [("", _("Any"))] + [  # type: ignore[attr-defined]
            (ct.pk, str(ct.model_class()._meta.verbose_name).capitalize())
            for ct in content_types
            if ct.model_class() is not None
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            actor=data.get("actor"),
            action=data.get("action") or None,
            content_type=data.get("content_type"),
            object_id=data.get("object_id") or None,
            since=data.get("since"),
            until=data.get("until"),
            text=data.get("q") or None,
        )

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.actions.models import Action, ActionStatus, Benefit, CostLine, Kind, LabourRate
from safelane.catalog import selectors as catalog_selectors
from safelane.core.forms import ConfirmForm, VersionedModelForm, no_control_characters

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(VersionedModelForm):
    # Not the model field: typed as a list, checked against the catalogue by the service.
    criteria = forms.CharField(
        label=_("Criteria"),
        required=False,
        help_text=_("Criterion IDs separated by commas, such as 4.8, 4.12."),
        validators=[no_control_characters],
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "source",
            "kind",
            "owner",
            "due_date",
            "priority",
            "recurrence",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DATE}

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        # Its own ids: the action page holds other forms with fields of the same names.
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["criteria"] = ", ".join(
                c.removeprefix("own:") for c in self.instance.criteria
            )

    def stored_value(self, name: str, record: Any) -> Any:
        if name == "criteria":
            return ", ".join(c.removeprefix("own:") for c in record.criteria)
        return super().stored_value(name, record)

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self._meta.fields or ()}
        values["criteria"] = catalog_selectors.split_criterion_ids(self.cleaned_data["criteria"])
        return values


class NewActionForm(ActionForm):
    version = None  # type: ignore[assignment]


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("", _("Any")),
            *ActionStatus.choices,
            ("archived", _("Archived")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *Kind.choices]
    )
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("overdue", _("Overdue")),
            ("soon", _("Due within two weeks")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("due", _("Due date")),
            ("priority", _("Priority")),
            ("title", _("Title")),
            ("updated", _("Last change")),
        ],
    )

    def __init__(self, *args: Any, members: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Anyone")), *((m.pk, str(m)) for m in members)]  # type: ignore[attr-defined]


class StatusForm(ConfirmForm):
    """A new status, as its author saw the action (the version): a stale "blocked" is refused,
    never silently put over someone's "done"."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)


class CostForm(forms.ModelForm):
    class Meta:
        model = CostLine
        fields = ["category", "kind", "description", "hours", "rate", "amount", "date"]
        widgets = {"date": DATE}

    def __init__(self, *args: Any, rates: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cost_%s")
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False
        if rates is not None:
            self.fields["rate"].queryset = rates  # type: ignore[attr-defined]


class RateForm(VersionedModelForm):
    class Meta:
        model = LabourRate
        fields = ["role", "hourly_rate"]


class BenefitForm(VersionedModelForm):
    class Meta:
        model = Benefit
        fields = ["metric", "before_certification", "period_start", "period_end", "value", "note"]
        widgets = {"period_start": DATE, "period_end": DATE}

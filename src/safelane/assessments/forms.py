from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.assessments.models import CycleKind, Response
from safelane.core.forms import VersionedModelForm


class StartCycleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CycleKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    start_from = forms.ChoiceField(label=_("Start from"), required=False)

    def __init__(self, *args: Any, previous: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_from"].choices = [("", _("Blank answers"))] + [  # type: ignore[attr-defined]
            (str(c.pk), _("The answers of %(title)s") % {"title": c.title}) for c in previous
        ]


class ResponseForm(VersionedModelForm):
    class Meta:
        model = Response
        fields = ["status", "narrative", "justification", "owner", "due_date"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "justification": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.deadlines.selectors import KINDS


class FilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Show"),
        choices=list(KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everything."),
    )
    view = forms.ChoiceField(
        label=_("View"), choices=[("list", _("List")), ("month", _("Month"))], required=False
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def first_day(self, today: datetime.date) -> datetime.date:
        chosen = self.cleaned_data.get("month") if self.is_valid() else None
        return (chosen or today).replace(day=1)

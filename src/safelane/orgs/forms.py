from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.core.forms import ConfirmForm, QuickSelect, VersionedModelForm
from safelane.orgs.models import CURRENCY_MESSAGE, Organisation, Role


class OrganisationForm(VersionedModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "country", "default_language", "currency"]
        widgets = {"country": QuickSelect}
        error_messages = {"currency": {"max_length": CURRENCY_MESSAGE}}

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()


class NewOrganisationForm(OrganisationForm):
    version = None  # type: ignore[assignment]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CONTRIBUTOR)


class RoleForm(ConfirmForm):
    """A new role, as the owner saw the membership (the version): a change made meanwhile by
    another owner is refused, never silently replaced."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

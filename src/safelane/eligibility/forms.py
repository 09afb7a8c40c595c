from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from safelane.catalog.selectors import entity_types
from safelane.core.forms import QuickSelect, VersionedModelForm
from safelane.eligibility.identifiers import IdentifierError, normalise
from safelane.eligibility.models import Address, Bond, CompanyProfile, Contact, Identifier
from safelane.orgs.selectors import member_users

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO_UNKNOWN = forms.NullBooleanSelect


class EntityTypesForm(forms.Form):
    """One checkbox per entity type, and its sub-type where it has some."""

    def __init__(self, *args: Any, held: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        held = held or {}
        for code, kind in entity_types().items():
            self.fields[f"type_{code}"] = forms.BooleanField(
                label=kind.label, required=False, initial=code in held
            )
            if kind.subtypes:
                self.fields[f"sub_{code}"] = forms.ChoiceField(
                    label=_("Kind"),
                    required=False,
                    choices=[("", "—")] + [(s.code, s.label) for s in kind.subtypes],
                    initial=held.get(code, ""),
                )

    def rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"type_{code}"], self[f"sub_{code}"] if f"sub_{code}" in self.fields else None)
            for code in entity_types()
        ]

    def chosen(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"sub_{code}", "") or ""
            for code in entity_types()
            if self.cleaned_data.get(f"type_{code}")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code, kind in entity_types().items():
            if data.get(f"type_{code}") and kind.subtypes and not data.get(f"sub_{code}"):
                self.add_error(
                    f"sub_{code}", _("Choose the kind of %(type)s.") % {"type": kind.label}
                )
        return data


class ProfileForm(VersionedModelForm):
    class Meta:
        model = CompanyProfile
        fields = [
            "dba",
            "phone",
            "fax",
            "website",
            "history",
            "ownership_type",
            "business_start_date",
            "employee_count",
            "incorporated_in",
            "last_import_date",
            "last_export_date",
            "last_border_crossing_date",
            "acta_constitutiva_on_file",
            "cbp_invitation",
            "no_unpaid_cbp_debt",
            "export_security_program",
            "export_compliance_ok",
            "asset_based",
            "licensed_or_bonded",
        ]
        widgets = {
            "history": forms.Textarea(attrs={"rows": 4}),
            "business_start_date": DATE,
            "last_import_date": DATE,
            "last_export_date": DATE,
            "last_border_crossing_date": DATE,
            "no_unpaid_cbp_debt": YES_NO_UNKNOWN,
            "export_compliance_ok": YES_NO_UNKNOWN,
            "asset_based": YES_NO_UNKNOWN,
            "licensed_or_bonded": YES_NO_UNKNOWN,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["version"].required = False


class AddressForm(VersionedModelForm):
    class Meta:
        model = Address
        fields = [
            "kind",
            "label",
            "line1",
            "line2",
            "city",
            "region",
            "postal_code",
            "country",
            "staffed",
        ]
        widgets = {"country": QuickSelect}


class ContactForm(VersionedModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "email",
            "phone",
            "is_company_officer",
            "is_primary",
            "is_security_lead",
            "is_alternate",
            "user",
        ]

    def __init__(self, *args: Any, org: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = org or getattr(self.instance, "organisation", None)
        users = get_user_model().objects.none()
        if organisation is not None and getattr(self.instance, "organisation_id", None):
            users = member_users(organisation)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class IdentifierForm(VersionedModelForm):
    class Meta:
        model = Identifier
        fields = ["kind", "value"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("value"):
            try:
                data["value"] = normalise(data["kind"], data["value"])
            except IdentifierError as exc:
                self.add_error("value", str(exc))
        return data


class BondForm(VersionedModelForm):
    class Meta:
        model = Bond
        fields = ["kind", "number", "surety", "effective_date"]
        widgets = {"effective_date": DATE}


class AgreementForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I accept the Partner Agreement for the company, personally, as a company officer."
        ),
        required=True,
    )

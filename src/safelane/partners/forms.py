from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from safelane.core.forms import ConfirmForm, QuickSelect, VersionedModelForm
from safelane.partners import imports
from safelane.partners.models import Facility, HitStatus, Partner, PartnerContact, RiskTier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CountriesField(forms.CharField):
    """Countries typed as ISO codes or names (English or Spanish), separated by commas; a long
    list of every country is no way to pick two."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("help_text", _("ISO codes or names, separated by commas: MX, China."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        return "; ".join(str(getattr(c, "name", c)) for c in value or ())

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if not isinstance(value, str | None):
            value = "; ".join(getattr(c, "code", c) for c in value)
        codes, unknown = imports.read_countries(super().to_python(value) or "")
        if unknown:
            raise forms.ValidationError(
                _("Not a country: %(values)s. Use an ISO code (MX) or the name (Mexico).")
                % {"values": "; ".join(u[:40] for u in unknown[:5])}
            )
        return codes

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class PartnerForm(VersionedModelForm):
    countries = CountriesField(label=_("Countries"))
    other_names_text = forms.CharField(
        label=_("Other names"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Trading (DBA) and former names, one a line. They are screened too."),
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "countries",
            "services",
            "ctpat_status",
            "ctpat_account",
            "ctpat_tier",
            "mra_programme",
            "mra_id",
            "status_verified_on",
        ]
        widgets = {
            "services": forms.Textarea(attrs={"rows": 2}),
            "status_verified_on": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["other_names_text"] = "\n".join(
                n.name for n in self.instance.other_names.all()
            )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class NewPartnerForm(PartnerForm):
    version = None  # type: ignore[assignment]


class TierForm(ConfirmForm):
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[("", _("As worked out")), *RiskTier.choices],
    )
    reason = forms.CharField(label=_("Why"), required=False, max_length=300)


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["name", "address", "city", "country", "activity"]
        widgets = {"country": QuickSelect}


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "email", "language", "role", "phone"]


class DecisionForm(ConfirmForm):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (HitStatus.CLEARED, HitStatus.CLEARED.label),
            (HitStatus.CONFIRMED, HitStatus.CONFIRMED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you compared: name, country, address, identifiers, dates of birth."),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One partner a row, with a header row. At least: name, type, country. Codes or "
            "labels in English or Spanish are both understood."
        ),
    )


class ColumnsForm(forms.Form):
    """Which column of the file holds each field (guessed from the headers)."""

    skip_bad_rows = forms.BooleanField(
        label=_("Import only the good rows (leave out the rows with problems)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        fields: list[tuple[str, Any]],
        guessed: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)")), *((h, h) for h in headers)]
        for name, label in fields:
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=guessed.get(name, "")
            )
            self.order_fields([f"col_{n}" for n, _l in fields] + ["skip_bad_rows"])

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("col_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("col_") and value
        }


COUNTRY_CHOICES = list(countries)

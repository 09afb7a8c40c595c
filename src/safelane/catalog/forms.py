from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelane.catalog.entity_types import choices as entity_type_choices
from safelane.catalog.models import Decision, MustShould, OwnCriterion
from safelane.catalog.selectors import CatalogFilter
from safelane.core.forms import VersionedModelForm


class CatalogFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("ours", _("What applies to us")), ("all", _("The whole catalog"))],
    )
    entity_type = forms.ChoiceField(label=_("Entity type"), required=False)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    must_should = forms.ChoiceField(
        label=_("Must or Should"), required=False, choices=[("", _("Both")), *MustShould.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, categories: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].choices = [("", _("Any")), *entity_type_choices()]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (c.number, str(c)) for c in categories
        ]

    def to_filter(self) -> CatalogFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return CatalogFilter(
            entity_type=data.get("entity_type") or None,
            category=data.get("category"),
            must_should=data.get("must_should") or None,
            text=(data.get("q") or "").strip() or None,
            scope=data.get("scope") or "ours",
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("For our company"),
        choices=[("", _("Follow the catalog")), *Decision.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decide: validators ask for the reason."),
    )


class OwnCriterionForm(VersionedModelForm):
    class Meta:
        model = OwnCriterion
        fields = ["code", "category", "must_should", "requirement", "guidance"]
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 3}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }


class NewOwnCriterionForm(OwnCriterionForm):
    version = None  # type: ignore[assignment]


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    label = forms.CharField(
        label=_("Version name"),
        required=False,
        max_length=80,
        help_text=_("Left empty, the current version's name with today's date and time."),
    )
    replace = forms.BooleanField(
        label=_("Remove criteria that the file does not list"), required=False
    )


class OfficialDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("The entity type's MSC document (PDF)"),
        help_text=_(
            "The PDF as CBP publishes it in the CTPAT Portal's public library, such as "
            "'CTPAT Minimum Security Criteria - Foreign Manufacturers'. At most 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class RecordOfficialForm(forms.Form):
    """Recording what a document says: the edition the person compared it against."""

    edition = forms.IntegerField(widget=forms.HiddenInput)

"""Eligibility per entity type, the company profile, the readiness checklist, the Partner
Agreement and the portal data sheet."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from safelane.catalog import services as catalog_services
from safelane.catalog.selectors import org_entity_types
from safelane.core.errors import DomainError
from safelane.core.forms import make_read_only
from safelane.eligibility import datasheet, selectors, services
from safelane.eligibility.forms import (
    AddressForm,
    AgreementForm,
    BondForm,
    ContactForm,
    EntityTypesForm,
    IdentifierForm,
    ProfileForm,
)
from safelane.eligibility.models import Address, Bond, Contact, Identifier
from safelane.orgs.access import OrgRequest, acting_user, org_view
from safelane.orgs.models import Role
from safelane.orgs.record_views import RecordPages


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def index(request: OrgRequest) -> HttpResponse:
    held = {e.entity_type: e.subtype for e in org_entity_types(request.org)}
    form = EntityTypesForm(request.POST or None, held=held)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.set_entity_types(
                org=request.org, actor=acting_user(request), chosen=form.chosen()
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your entity types were saved."))
            return redirect("eligibility:index", org_slug=request.org.slug)
    context = {
        "form": form,
        "checks": selectors.eligibility(request.org),
        "readiness": selectors.readiness(request.org),
        "can_edit": request.membership.role_enum.allows(Role.MANAGER),
    }
    return render(request, "eligibility/index.html", context, status=400 if form.errors else 200)


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def profile(request: OrgRequest) -> HttpResponse:
    current = selectors.profile(request.org)
    form = ProfileForm(request.POST or None, instance=current)
    if not request.membership.role_enum.allows(Role.MANAGER):
        make_read_only(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(
                org=request.org,
                actor=acting_user(request),
                values={name: form.cleaned_data[name] for name in ProfileForm.Meta.fields},
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The company profile was saved."))
            return redirect("eligibility:profile", org_slug=request.org.slug)
    return render(
        request, "eligibility/profile.html", {"form": form}, status=400 if form.errors else 200
    )


@org_view(write=Role.VIEWER)
@require_http_methods(["GET", "POST"])
def agreement(request: OrgRequest) -> HttpResponse:
    """Any member may open it; only an officer linked to their contact can affirm (checked in
    the service), so a consultant with a manager role cannot accept for the client."""
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.affirm_agreement(
                org=request.org,
                actor=acting_user(request),
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your affirmation of the Partner Agreement was recorded."))
            return redirect("eligibility:agreement", org_slug=request.org.slug)
    statement = services.agreement_statement(request.org)
    user = acting_user(request)
    context = {
        "form": form,
        "statement": statement,
        "reading_copy": services.agreement_reading_copy(
            request.org, translation.get_language() or ""
        ),
        "mine": selectors.own_affirmation(request.org, user, statement),
        "may_affirm": selectors.affirming_contact(request.org, user) is not None,
        "affirmations": selectors.affirmations(request.org),
    }
    return render(
        request, "eligibility/agreement.html", context, status=400 if form.errors else 200
    )


@org_view()
def datasheet_pdf(request: OrgRequest) -> HttpResponse:
    response = HttpResponse(datasheet.as_pdf(request.org), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_sheet_name(request)}.pdf"'
    return response


@org_view()
def datasheet_xlsx(request: OrgRequest) -> HttpResponse:
    response = HttpResponse(
        datasheet.as_xlsx(request.org),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_sheet_name(request)}.xlsx"'
    return response


def _sheet_name(request: OrgRequest) -> str:
    return f"{request.org.slug}-ctpat-portal-data-{timezone.localdate():%Y%m%d}"


ADDRESSES = RecordPages(
    model=Address,
    form=AddressForm,
    name="address",
    segment="application/addresses",
    title=gettext_lazy("Addresses"),
    singular=gettext_lazy("address"),
    description=gettext_lazy(
        "Headquarters first, then cargo-handling facilities and other offices. With many facilities, the portal asks for the top three by volume or risk."
    ),
    columns=(
        (gettext_lazy("Kind"), "get_kind_display"),
        (gettext_lazy("Name"), "label"),
        (gettext_lazy("City"), "city"),
        (gettext_lazy("Country"), "country"),
        (gettext_lazy("Staffed"), "staffed"),
    ),
    queryset=lambda org: Address.objects.for_org(org),
    save=services.save_address,
    delete=services.delete,
    namespace="eligibility",
    parent_title=gettext_lazy("Eligibility and application"),
    empty=gettext_lazy("Start with your headquarters."),
)
CONTACTS = RecordPages(
    model=Contact,
    form=ContactForm,
    name="contact",
    segment="application/contacts",
    title=gettext_lazy("Contacts"),
    singular=gettext_lazy("contact"),
    description=gettext_lazy(
        "At least two. The primary point of contact must be a company officer."
    ),
    columns=(
        (gettext_lazy("Name"), "name"),
        (pgettext_lazy("a person's job", "Title"), "title"),
        (gettext_lazy("E-mail"), "email"),
        (gettext_lazy("Officer"), "is_company_officer"),
        (gettext_lazy("Primary"), "is_primary"),
        (gettext_lazy("Security lead"), "is_security_lead"),
    ),
    queryset=lambda org: Contact.objects.for_org(org).select_related("user"),
    save=services.save_contact,
    delete=services.delete,
    namespace="eligibility",
    parent_title=gettext_lazy("Eligibility and application"),
    empty=gettext_lazy("Add the company officer who leads CTPAT first."),
)
IDENTIFIERS = RecordPages(
    model=Identifier,
    form=IdentifierForm,
    name="identifier",
    segment="application/identifiers",
    title=gettext_lazy("Identifiers"),
    singular=gettext_lazy("identifier"),
    description=gettext_lazy(
        "IOR, MID, SCAC, DOT, RFC and the other numbers your entity types need. Each is checked as you save it."
    ),
    columns=((gettext_lazy("Kind"), "get_kind_display"), (gettext_lazy("Number"), "value")),
    queryset=lambda org: Identifier.objects.for_org(org),
    save=services.save_identifier,
    delete=services.delete,
    namespace="eligibility",
    parent_title=gettext_lazy("Eligibility and application"),
)
BONDS = RecordPages(
    model=Bond,
    form=BondForm,
    name="bond",
    segment="application/bonds",
    title=gettext_lazy("Bonds"),
    singular=gettext_lazy("bond"),
    description=gettext_lazy(
        "Importers need a continuous import bond; consolidators and air carriers an international carrier or custodial bond."
    ),
    columns=(
        (gettext_lazy("Kind"), "get_kind_display"),
        (gettext_lazy("Number"), "number"),
        (gettext_lazy("Surety"), "surety"),
        (gettext_lazy("Effective"), "effective_date"),
    ),
    queryset=lambda org: Bond.objects.for_org(org),
    save=services.save_bond,
    delete=services.delete,
    namespace="eligibility",
    parent_title=gettext_lazy("Eligibility and application"),
)

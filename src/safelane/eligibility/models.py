"""The company profile that the CTPAT Portal application asks for, in the portal's order:
company information, addresses, contacts, business identifiers and bonds; and the company
officer's affirmation of the Partner Agreement."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safelane.core.models import TenantModel, TenantQuerySet
from safelane.eligibility.identifiers import IdentifierKind


class OwnershipType(models.TextChoices):
    CORPORATION = "corporation", _("Corporation")
    LLC = "llc", _("Limited liability company")
    PARTNERSHIP = "partnership", _("Partnership")
    SOLE_PROPRIETOR = "sole-proprietor", _("Sole proprietorship")
    PUBLIC = "public", _("Publicly traded company")
    GOVERNMENT = "government", _("Government or public authority")
    OTHER = "other", _("Other")


class CompanyProfile(TenantModel):
    """One per organisation. Legal name and country are the organisation's own."""

    dba = models.CharField(_("doing business as (DBA)"), max_length=200, blank=True)
    phone = models.CharField(_("main telephone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    history = models.TextField(
        _("brief company history"),
        blank=True,
        help_text=_("A few sentences: what the company does, since when, where."),
    )
    ownership_type = models.CharField(
        _("ownership type"), max_length=20, choices=OwnershipType.choices, blank=True
    )
    business_start_date = models.DateField(_("business start date"), null=True, blank=True)
    employee_count = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    incorporated_in = CountryField(_("country of incorporation"), blank=True)
    last_import_date = models.DateField(
        _("last import into the U.S."),
        null=True,
        blank=True,
        help_text=_(
            "Importers: CBP counts you as active if you imported within the past 12 months."
        ),
    )
    last_export_date = models.DateField(_("last export from the U.S."), null=True, blank=True)
    last_border_crossing_date = models.DateField(
        _("last international border crossing or U.S.-bound move"),
        null=True,
        blank=True,
        help_text=_(
            "Carriers, consolidators, brokers and port operators: the last time you handled international cargo."
        ),
    )
    acta_constitutiva_on_file = models.BooleanField(
        _("Acta Constitutiva on file (Mexican companies)"), default=False
    )
    cbp_invitation = models.BooleanField(
        _("invited by CBP to apply"),
        default=False,
        help_text=_(
            "Required for foreign manufacturers outside Mexico and Canada and for foreign port operators."
        ),
    )
    no_unpaid_cbp_debt = models.BooleanField(
        _("no unpaid final debt to CBP"),
        null=True,
        blank=True,
        help_text=_(
            "The company has no CBP debt for which remedies are exhausted and the final bill is unpaid."
        ),
    )
    export_security_program = models.BooleanField(
        _("documented export security program"), default=False
    )
    export_compliance_ok = models.BooleanField(
        _("acceptable export-reporting compliance in the last 12 months"), null=True, blank=True
    )
    asset_based = models.BooleanField(
        _("handles cargo with its own transport, consolidation or warehousing assets"),
        null=True,
        blank=True,
    )
    licensed_or_bonded = models.BooleanField(
        _("licensed or bonded by FMC, TSA, CBP or DOT"), null=True, blank=True
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_profile_per_org")]
        verbose_name = _("company profile")
        verbose_name_plural = _("company profiles")

    def __str__(self) -> str:
        return str(_("Company profile"))


class AddressKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    CARGO_FACILITY = "cargo-facility", _("Cargo-handling facility")
    SECURITY_OFFICE = "security-office", _("Security or trade point-of-contact office")
    TRAINING = "training", _("Policy or training location")
    MAILING = "mailing", _("Mailing address")
    OTHER = "other", _("Other")


class Address(TenantModel):
    kind = models.CharField(_("kind"), max_length=20, choices=AddressKind.choices)
    label = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("Such as 'Laredo warehouse'.")
    )
    line1 = models.CharField(_("street address"), max_length=200)
    line2 = models.CharField(_("street address, line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    staffed = models.BooleanField(_("staffed office"), default=False)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["kind", "city"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return self.label or f"{self.get_kind_display()}, {self.city}"


class Contact(TenantModel):
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    is_company_officer = models.BooleanField(_("company officer"), default=False)
    is_primary = models.BooleanField(
        _("primary point of contact"),
        default=False,
        help_text=_("CBP requires the primary contact to be a company officer."),
    )
    is_security_lead = models.BooleanField(
        _("primary cargo security officer"),
        default=False,
        help_text=_("The company officer responsible for CTPAT."),
    )
    is_alternate = models.BooleanField(_("alternate point of contact"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Safelane account"),
        help_text=_(
            "Link the contact's account so that an officer can affirm the Partner Agreement here."
        ),
    )
    # Who named the contact a company officer, and when: an owner's act, the right to affirm
    # the Partner Agreement for the company.
    officer_named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    officer_named_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="one_contact_per_email")
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Identifier(TenantModel):
    kind = models.CharField(_("kind"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(_("number"), max_length=40)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "value"], name="one_identifier")
        ]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class BondKind(models.TextChoices):
    CONTINUOUS_IMPORT = "continuous-import", _("Continuous import bond")
    INTERNATIONAL_CARRIER = "international-carrier", _("Continuous international carrier bond")
    CUSTODIAL = "custodial", _("Type 2 custodial bond")
    IBEC = "ibec", _("In-bond / export consolidator bond (IBEC)")
    OTHER = "other", _("Other")


class Bond(TenantModel):
    kind = models.CharField(_("kind"), max_length=30, choices=BondKind.choices)
    number = models.CharField(_("bond number"), max_length=40)
    surety = models.CharField(_("surety"), max_length=150, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["kind"]
        verbose_name = _("bond")
        verbose_name_plural = _("bonds")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class AgreementAffirmation(TenantModel):
    """A company officer's own affirmation of the CTPAT Partner Agreement. Never edited."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    officer_name = models.CharField(max_length=150)
    officer_title = models.CharField(max_length=150, blank=True)
    # The affirming person's role in Safelane at the time, and who had named them an officer.
    member_role = models.CharField(max_length=20, blank=True)
    officer_named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement = models.TextField()
    statement_sha256 = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Partner Agreement affirmation")
        verbose_name_plural = _("Partner Agreement affirmations")

    def __str__(self) -> str:
        return f"{self.officer_name} {self.created_at:%Y-%m-%d}"

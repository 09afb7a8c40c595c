"""The partner register: who the organisation trades with, where, their CTPAT or AEO status,
their risk tier and its reasons, and what screening found about them."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safelane.core.models import TenantModel, TenantQuerySet
from safelane.screening.selectors import RestrictedList


class PartnerType(models.TextChoices):
    """The kinds of business partner CTPAT names; the codes are an interface (imports, API)."""

    SUPPLIER = "supplier", _("Supplier or manufacturer")
    HIGHWAY_CARRIER = "highway_carrier", _("Highway carrier")
    SEA_CARRIER = "sea_carrier", _("Sea carrier")
    AIR_CARRIER = "air_carrier", _("Air carrier")
    RAIL_CARRIER = "rail_carrier", _("Rail carrier")
    CONSOLIDATOR = "consolidator", _("Consolidator or NVOCC")
    CUSTOMS_BROKER = "customs_broker", _("Customs broker")
    THIRD_PARTY_LOGISTICS = "3pl", _("Third-party logistics provider (3PL)")
    WAREHOUSE = "warehouse", _("Warehouse")
    TERMINAL = "terminal", _("Port or terminal")
    OTHER = "other", _("Other")


# Partners that hold or move the cargo itself: a weak link there reaches the container.
CUSTODY_TYPES = frozenset(
    {
        PartnerType.HIGHWAY_CARRIER,
        PartnerType.SEA_CARRIER,
        PartnerType.AIR_CARRIER,
        PartnerType.RAIL_CARRIER,
        PartnerType.CONSOLIDATOR,
        PartnerType.THIRD_PARTY_LOGISTICS,
        PartnerType.WAREHOUSE,
        PartnerType.TERMINAL,
    }
)


class CtpatStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Not known yet")
    CERTIFIED = "certified", _("CTPAT certified")
    VALIDATED = "validated", _("CTPAT certified and validated")
    NOT_CERTIFIED = "not-certified", _("Not certified")
    NOT_ELIGIBLE = "not-eligible", _("Not eligible for CTPAT")


class CtpatTier(models.TextChoices):
    NONE = "", _("No tier")
    TIER_1 = "1", _("Tier I")
    TIER_2 = "2", _("Tier II")
    TIER_3 = "3", _("Tier III")


class MraProgramme(models.TextChoices):
    """The foreign programmes CBP has a Mutual Recognition Arrangement with (program-facts §4.3,
    as of September 2022); "other" for one signed since, named in the programme ID field."""

    NONE = "", _("None")
    NZ_SES = "nz-ses", _("New Zealand: Secure Export Scheme")
    CA_PIP = "ca-pip", _("Canada: Partners in Protection")
    JO_GOLDEN_LIST = "jo-golden-list", _("Jordan: Golden List")
    JP_AEO = "jp-aeo", _("Japan: AEO")
    KR_AEO = "kr-aeo", _("Korea: AEO")
    EU_AEO = "eu-aeo", _("European Union: AEO")
    TW_AEO = "tw-aeo", _("Taiwan: AEO")
    IL_AEO = "il-aeo", _("Israel: AEO")
    MX_OEA = "mx-oea", _("Mexico: NEEC/OEA")
    SG_STP = "sg-stp", _("Singapore: Secure Trade Partnership")
    DO_AEO = "do-aeo", _("Dominican Republic: AEO")
    PE_AEO = "pe-aeo", _("Peru: AEO")
    GB_AEO = "gb-aeo", _("United Kingdom: AEO")
    IN_AEO = "in-aeo", _("India: AEO")
    UY_OEC = "uy-oec", _("Uruguay: Qualified Economic Operator")
    BR_OEA = "br-oea", _("Brazil: OEA")
    OTHER = "other", _("Another programme (name it in the ID field)")


class RiskTier(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ScreeningState(models.TextChoices):
    NOT_SCREENED = "not-screened", _("Not screened yet")
    CLEAR = "clear", _("No open matches")
    REVIEW = "review", _("Possible match to review")
    CONFIRMED = "confirmed", _("Confirmed restricted party")


class PartnerQuerySet(TenantQuerySet):
    def active(self) -> PartnerQuerySet:
        return self.filter(archived_at__isnull=True)

    def due_for_review(self, day: datetime.date | None = None) -> PartnerQuerySet:
        return self.active().filter(next_review__lte=day or timezone.localdate())


class Partner(TenantModel):
    name = models.CharField(_("legal name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=PartnerType.choices)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    services = models.TextField(
        _("what it does for us"), blank=True, help_text=_("The goods or services it provides.")
    )
    ctpat_status = models.CharField(
        _("CTPAT status"), max_length=20, choices=CtpatStatus.choices, default=CtpatStatus.UNKNOWN
    )
    ctpat_account = models.CharField(_("CTPAT account number"), max_length=40, blank=True)
    ctpat_tier = models.CharField(
        _("CTPAT tier"), max_length=1, choices=CtpatTier.choices, blank=True, default=""
    )
    mra_programme = models.CharField(
        _("AEO or MRA programme"),
        max_length=20,
        choices=MraProgramme.choices,
        blank=True,
        default="",
    )
    mra_id = models.CharField(_("programme ID"), max_length=60, blank=True)
    status_verified_on = models.DateField(
        _("status verified on"),
        null=True,
        blank=True,
        help_text=_(
            "When you last saw proof of the status (SVI, certificate, certification e-mail)."
        ),
    )
    status_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    # The tier Safelane works out (with its reasons) and the one a person may set instead.
    computed_tier = models.CharField(
        max_length=10, choices=RiskTier.choices, default=RiskTier.MEDIUM, editable=False
    )
    tier_reasons = models.JSONField(default=list, blank=True, editable=False)
    tier_override = models.CharField(
        _("tier set by hand"), max_length=10, choices=RiskTier.choices, blank=True, default=""
    )
    tier_override_reason = models.CharField(_("why"), max_length=300, blank=True)
    # The result of the latest accepted security questionnaire, kept by the questionnaires.
    assessed_on = models.DateField(_("last assessed on"), null=True, blank=True, editable=False)
    assessment_level = models.CharField(
        max_length=10, choices=RiskTier.choices, blank=True, default="", editable=False
    )
    next_review = models.DateField(_("next review due"), null=True, blank=True)
    screening = models.CharField(
        max_length=20,
        choices=ScreeningState.choices,
        default=ScreeningState.NOT_SCREENED,
        editable=False,
    )
    screened_at = models.DateTimeField(null=True, blank=True, editable=False)
    imported_in = models.ForeignKey(
        "PartnerImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[PartnerQuerySet] = PartnerQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "name"]),
            models.Index(fields=["organisation", "next_review"]),
        ]
        verbose_name = _("business partner")
        verbose_name_plural = _("business partners")

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> str:
        """The tier that counts: a person's, else Safelane's."""
        return self.tier_override or self.computed_tier

    @property
    def reason_lines(self) -> list[str]:
        """The tier's reasons as sentences in the reader's language."""
        from safelane.partners.tiers import describe

        return [describe(reason) for reason in self.tier_reasons]

    def get_tier_display(self) -> str:
        return str(dict(RiskTier.choices).get(self.tier, self.tier))


class NameKind(models.TextChoices):
    DBA = "dba", _("Doing business as")
    FORMER = "former", _("Former name")
    OTHER = "other", _("Other name")


class PartnerName(TenantModel):
    """Another name the partner is known by; screened like its legal name."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=NameKind.choices, default=NameKind.DBA
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")

    def __str__(self) -> str:
        return self.name


class Facility(TenantModel):
    """A place of the partner's where our goods are made, held or handled."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="facilities")
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"))
    activity = models.CharField(
        _("what happens there"),
        max_length=200,
        blank=True,
        help_text=_("Such as stuffing, storage."),
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


class PartnerContact(TenantModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class PartnerImport(TenantModel):
    """One import of partners from a file: its audit entry says how many it brought in."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partner import")
        verbose_name_plural = _("partner imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported})"


class HitStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CLEARED = "cleared", _("Cleared: not the same party")
    CONFIRMED = "confirmed", _("Confirmed: the same party")


class ScreeningHit(TenantModel):
    """A possible match of a partner (or one of its names) on a restricted-party list, and the
    decision on it. The decision stays across re-screens as long as the list entry and the
    partner's name are the same; a change to either reopens it."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="hits")
    list_name = models.CharField(_("list"), max_length=20, choices=RestrictedList.choices)
    entry_id = models.CharField(_("entry ID"), max_length=60)
    entry_pk = models.PositiveBigIntegerField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64)
    screened_name = models.CharField(_("our name"), max_length=200)
    listed_name = models.CharField(_("listed name"), max_length=300)
    matched_name = models.CharField(_("matched name"), max_length=300)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=3)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reopened_because = models.CharField(max_length=300, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "list_name", "entry_id"], name="one_hit_per_partner_entry"
            )
        ]
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")

    def __str__(self) -> str:
        return f"{self.partner}: {self.matched_name} ({self.list_name} {self.entry_id})"

    @property
    def percent(self) -> int:
        """The score as a whole percentage, as people read it."""
        return round(self.score * 100)

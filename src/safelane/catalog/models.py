"""The MSC catalog (reference data shared by every organisation, kept per version) and each
organisation's own view of it: its entity types, its decisions on criteria, its own criteria."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class Basis(models.TextChoices):
    """How sure the catalog is of a fact, strongest first."""

    OFFICIAL = "official", _("Official (CBP MSC document)")
    # Read by Safelane from the entity type's MSC document that an administrator uploaded
    # (catalog.official); the upload record says who uploaded which file and when.
    OFFICIAL_UPLOAD = "official-doc", _("Official document (uploaded)")
    CBP_NOTICE = "cbp-notice", _("CBP notice")
    SECONDARY = "secondary", _("Secondary source")
    UNOFFICIAL = "unofficial", _("Unofficial material")
    INFERRED = "inferred", _("Inferred")
    CONFLICT = "conflict", _("Sources disagree")
    UNKNOWN = "unknown", _("Unknown")


class MustShould(models.TextChoices):
    MUST = "must", _("Must")
    SHOULD = "should", _("Should")
    UNKNOWN = "unknown", _("Not confirmed")


class CatalogVersion(models.Model):
    """One loaded edition of the catalog. Older editions stay, so answers made against them stay
    readable; exactly one is current."""

    label = models.CharField(_("version"), max_length=80, unique=True)
    title = models.CharField(max_length=200)
    revision_note = models.TextField(blank=True)
    source = models.CharField(_("source"), max_length=255)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_current = models.BooleanField(default=False)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_catalog_version",
            )
        ]

    def __str__(self) -> str:
        return self.label


class Category(models.Model):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="categories")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200, blank=True)
    focus_area = models.CharField(max_length=200)
    focus_area_es = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="one_category_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        return self.name_es if self.name_es and reads_spanish() else self.name

    @property
    def focus_area_label(self) -> str:
        return self.focus_area_es if self.focus_area_es and reads_spanish() else self.focus_area


def reads_spanish() -> bool:
    """Whether the reader reads Spanish (the catalog has Spanish texts for them)."""
    return (get_language() or "en").startswith("es")


def sort_key(ident: str) -> int:
    major, _dot, minor = ident.partition(".")
    return int(major) * 1000 + int(minor or 0)


class Criterion(models.Model):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="criteria")
    ident = models.CharField(_("ID"), max_length=10)
    position = models.PositiveIntegerField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="criteria")
    must_should = models.CharField(max_length=10, choices=MustShould.choices)
    must_should_basis = models.CharField(max_length=12, choices=Basis.choices)
    confidence = models.CharField(max_length=12, choices=Basis.choices)
    requirement = models.TextField()
    guidance = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)
    # Safelane's Spanish for the same texts; empty where there is none (English is shown).
    requirement_es = models.TextField(blank=True)
    guidance_es = models.TextField(blank=True)
    evidence_es = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "ident"], name="one_ident")]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.ident} {self.requirement[:60]}"

    # The texts in the reader's language: Spanish where the catalog has it, else English.
    @property
    def requirement_text(self) -> str:
        return self.requirement_es if self.requirement_es and reads_spanish() else self.requirement

    @property
    def guidance_text(self) -> str:
        return self.guidance_es if self.guidance_es and reads_spanish() else self.guidance

    @property
    def evidence_items(self) -> list[str]:
        return list(self.evidence_es if self.evidence_es and reads_spanish() else self.evidence)


class Applicability(models.Model):
    """Whether a criterion applies to an entity type, and what that rests on. No row: unknown."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="applicability")
    entity_type = models.CharField(max_length=5)
    applies = models.BooleanField()
    basis = models.CharField(max_length=12, choices=Basis.choices)
    # Must or Should as the entity type's own MSC document designates the criterion; empty:
    # the criterion's designation holds.
    must_should = models.CharField(max_length=10, choices=MustShould.choices[:2], blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "entity_type"], name="one_applicability")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.ident} {self.entity_type} {self.applies}"


class UploadStatus(models.TextChoices):
    REFUSED = "refused", _("Refused")
    READ = "read", _("Read, not recorded")
    RECORDED = "recorded", _("Recorded")


class OfficialUpload(models.Model):
    """One upload of an entity type's official MSC document: what Safelane read in it, or why it
    refused it, and the catalog edition it was recorded as. Rows are only added and moved on
    (read, then recorded), so they are the trail of every step; the PDF itself is not kept."""

    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the record still names the person if the account is removed.
    uploaded_by_label = models.CharField(max_length=254, blank=True)
    source = models.CharField(max_length=10, default="web")
    file_name = models.CharField(_("file"), max_length=255)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=UploadStatus.choices)
    refusal = models.TextField(blank=True)
    entity_type = models.CharField(_("entity type"), max_length=5, blank=True)
    heading = models.CharField(max_length=255, blank=True)
    document_date = models.CharField(max_length=60, blank=True)
    rows = models.JSONField(default=list, blank=True)
    compared_with = models.ForeignKey(
        CatalogVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_as = models.ForeignKey(
        CatalogVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("official document upload")
        verbose_name_plural = _("official document uploads")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class OrgEntityType(TenantModel):
    """An entity type the organisation holds (a company can hold several)."""

    entity_type = models.CharField(_("entity type"), max_length=5)
    subtype = models.CharField(_("sub-type"), max_length=30, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["entity_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entity_type"], name="one_entity_type_per_org"
            )
        ]
        verbose_name = _("entity type")
        verbose_name_plural = _("entity types")

    def __str__(self) -> str:
        from safelane.catalog.entity_types import entity_type

        kind = entity_type(self.entity_type)
        label = kind.label if kind else self.entity_type
        sub = kind.subtype(self.subtype) if kind and self.subtype else None
        return f"{label} ({sub.label})" if sub else label


class Decision(models.TextChoices):
    NOT_APPLICABLE = "not-applicable", _("Does not apply to us")
    APPLICABLE = "applicable", _("Applies to us")


class CriterionDecision(TenantModel):
    """The organisation's own call on a catalog criterion, kept by ID across catalog versions."""

    ident = models.CharField(_("criterion"), max_length=10)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    justification = models.TextField(_("justification"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "ident"], name="one_decision_per_ident")
        ]
        verbose_name = _("criterion decision")
        verbose_name_plural = _("criterion decisions")

    def __str__(self) -> str:
        return f"{self.ident}: {self.get_decision_display()}"


class OwnCriterionQuerySet(TenantQuerySet):
    def active(self) -> OwnCriterionQuerySet:
        return self.filter(archived_at__isnull=True)


class OwnCriterion(TenantModel):
    """A company-specific control kept beside the MSC."""

    code = models.CharField(
        _("code"), max_length=20, help_text=_("Your own reference, such as ACME-01.")
    )
    category = models.PositiveSmallIntegerField(
        _("MSC category"),
        null=True,
        blank=True,
        help_text=_("The MSC category it belongs with, if any."),
    )
    must_should = models.CharField(
        _("Must or Should"), max_length=10, choices=MustShould.choices[:2], default=MustShould.MUST
    )
    requirement = models.TextField(_("requirement"))
    guidance = models.TextField(_("guidance"), blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[OwnCriterionQuerySet] = OwnCriterionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="one_own_code_per_org")
        ]
        verbose_name = _("own criterion")
        verbose_name_plural = _("own criteria")

    def __str__(self) -> str:
        return f"{self.code} {self.requirement[:60]}"

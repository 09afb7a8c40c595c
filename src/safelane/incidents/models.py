"""Security incidents: what happened, when it was found and reported to CBP, the analysis
afterwards (criterion 7.37) and what it touches (a partner, a point of the risk map, a
criterion, and any record another app registers, such as an inspection)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class IncidentKind(models.TextChoices):
    BREACH = "breach", _("Security breach")
    TAMPERING = "tampering", _("Tampering")
    UNMANIFESTED = "unmanifested", _("Unmanifested material")
    STOWAWAYS = "stowaways", _("Stowaways")
    SUSPICIOUS = "suspicious", _("Suspicious activity")
    CYBER = "cyber", _("Cyber incident")
    OTHER = "other", _("Other")


class Incident(TenantModel):
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered at"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    reported_to_cbp_at = models.DateTimeField(
        _("reported to CBP at"),
        null=True,
        blank=True,
        help_text=_("CBP expects incidents to be reported as soon as feasible."),
    )
    reported_by = models.CharField(_("reported to CBP by"), max_length=150, blank=True)
    cbp_contact = models.CharField(
        _("reported to (CBP office or person)"), max_length=200, blank=True
    )
    what_happened = models.TextField(_("what happened"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    changes = models.TextField(_("what changes"), blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True, editable=False)
    criterion_ident = models.CharField(_("criterion"), max_length=20, blank=True)
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("business partner"),
    )
    node = models.ForeignKey(
        "risk.Node",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("point of the risk map"),
    )
    # Any other record an app registers in `incidents.services.register_reference` (an
    # inspection, once that app lands), named by its content type and id.
    ref_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-discovered_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "kind", "discovered_at"])]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.title

    @property
    def report_delay(self) -> float | None:
        """Hours from discovery to the report to CBP."""
        if self.reported_to_cbp_at is None:
            return None
        return (self.reported_to_cbp_at - self.discovered_at).total_seconds() / 3600

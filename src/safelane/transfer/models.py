from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class TransferKind(models.TextChoices):
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class Transfer(TenantModel):
    """One archive of the organisation made or loaded: the audit trail's record of it, and
    for an export from the settings page, where the archive waits for its download."""

    kind = models.CharField(max_length=10, choices=TransferKind.choices)
    archive_name = models.CharField(max_length=200)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    stored_path = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("organisation archive")
        verbose_name_plural = _("organisation archives")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.archive_name}"

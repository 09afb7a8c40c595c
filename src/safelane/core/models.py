"""Base models shared by every domain: the tenant base and the audit trail."""

from __future__ import annotations

from typing import Any, ClassVar, Self, TypeAlias

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# core names no other app, not even in type hints: the organisation model is the one the
# TENANT_MODEL setting names (as Django names the user model), and a person is any user.
Tenant: TypeAlias = Any
Person: TypeAlias = Any


class TenantQuerySet(models.QuerySet):
    def for_org(self, org: Tenant) -> Self:
        """The only way pages, the API, exports and tasks read organisation data."""
        return self.filter(organisation=org)


class Versioned(models.Model):
    """A record that edits are checked against, so that no one overwrites another silently."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TenantModel(Versioned):
    """Every organisation-owned record inherits this and is read through `for_org`."""

    organisation = models.ForeignKey(
        settings.TENANT_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class AuditSource(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    TASK = "task", _("Background task")
    SYSTEM = "system", _("System")


class AuditEntryQuerySet(TenantQuerySet):
    def for_object(self, obj: models.Model) -> Self:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One change to organisation data: who, when, which object, which fields from what to what.

    Entries are only ever added; the app offers no way to edit or delete them.
    """

    organisation = models.ForeignKey(
        settings.TENANT_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the entry still names the person if the account is removed.
    actor_label = models.CharField(max_length=254, blank=True)
    source = models.CharField(max_length=10, choices=AuditSource.choices, default=AuditSource.WEB)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, blank=True)

    objects: ClassVar[AuditEntryQuerySet] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["organisation", "content_type", "object_id"]),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit entries are never deleted from the app.")

"""A person's iCalendar feed: its address holds a secret, made from the nonce kept here under
the installation's key, so the address itself is never stored. Revoking it ends the address."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


class CalendarFeed(models.Model):
    """The person's own, across every organisation they belong to (so no organisation owns it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_user",
            )
        ]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(_("Calendar feed"))


class ReminderSent(TenantModel):
    """A reminder of one deadline, at one distance from its day, sent once: the daily command
    may run on several machines or twice, and a deadline is recalled at 30 days, 7 days and on
    the day, never more."""

    uid = models.CharField(max_length=200)
    days_before = models.PositiveSmallIntegerField()
    day = models.DateField()

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "uid", "days_before"], name="one_reminder_per_deadline"
            )
        ]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")

    def __str__(self) -> str:
        return f"{self.uid} ({self.days_before})"

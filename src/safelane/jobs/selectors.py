"""Reads of background jobs for the apps that show their own work in progress."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from safelane.jobs.models import Job

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


def latest(org: Organisation, kinds: list[str], *, within_days: int = 2) -> Job | None:
    """The newest job of one of `kinds` still running or finished lately, for a page to show
    its progress (a job Safelane started itself is found nowhere else)."""
    since = timezone.now() - datetime.timedelta(days=within_days)
    return (
        Job.objects.for_org(org)
        .filter(kind__in=kinds, created_at__gte=since)
        .order_by("-created_at", "-pk")
        .first()
    )

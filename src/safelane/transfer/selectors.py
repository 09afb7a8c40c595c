"""What the archive page shows: the export under way and the archives ready to download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safelane.jobs import selectors as jobs
from safelane.transfer import services
from safelane.transfer.models import Transfer, TransferKind

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


@dataclass(frozen=True)
class Page:
    job: Any
    ready: list[tuple[Transfer, str]]  # each archive with a download link for this person
    history: list[Transfer]


def page(org: Organisation, user: User) -> Page:
    since = timezone.now() - services.LINK_MAX_AGE
    rows = list(Transfer.objects.for_org(org).select_related("created_by")[:20])
    ready = [
        (t, services.download_token(t, user))
        for t in rows
        if t.kind == TransferKind.EXPORT and t.stored_path and t.created_at >= since
    ]
    return Page(job=jobs.latest(org, [services.JOB_KIND]), ready=ready, history=rows)

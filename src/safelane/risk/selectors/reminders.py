"""When the next assessment is due: the list page, the dashboard tile and the reminder e-mails."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safelane.orgs import selectors as org_selectors
from safelane.orgs.dashboard import DONE, IN_PROGRESS, NOT_STARTED, Progress, Tile
from safelane.risk.models import RiskAssessment

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def assessments(org: Organisation) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.for_org(org).select_related("started_from")


# Days before the due date on which managers are reminded; after it, once a week.
REMINDER_DAYS = (30, 7, 0)


def reminder_due(next_due: datetime.date | None, today: datetime.date) -> bool:
    """Whether `today` is a reminder day for an assessment due on `next_due`."""
    if next_due is None:
        return False
    days_left = (next_due - today).days
    return days_left in REMINDER_DAYS or (days_left < 0 and days_left % 7 == 0)


# How far ahead the list page and the dashboard warn that the next assessment is due.
DUE_SOON = datetime.timedelta(days=30)


def newest(org: Organisation) -> RiskAssessment | None:
    """The latest assessment: its date is the one the next assessment is due by."""
    return assessments(org).first()  # ordered newest year first


def due_state(next_due: datetime.date | None, today: datetime.date) -> str | None:
    """ "overdue", "soon" (within DUE_SOON), "later", or None when no date is set."""
    if next_due is None:
        return None
    if next_due < today:
        return "overdue"
    return "soon" if next_due <= today + DUE_SOON else "later"


def assessment_to_remind(org: Organisation, today: datetime.date) -> RiskAssessment | None:
    """The organisation's newest assessment, if today is a day to remind of the next one.

    Only the newest counts: starting next year's assessment gives it a date of its own.
    """
    latest = newest(org)
    if latest is not None and reminder_due(latest.next_due, today):
        return latest
    return None


def people_to_remind(org: Organisation) -> list[str]:
    """E-mail addresses of the organisation's owners and managers."""
    return org_selectors.owner_and_manager_emails(org)


def dashboard_tile(org: Organisation, user: User) -> Tile:
    latest = newest(org)
    url = reverse("risk:list", args=[org.slug])
    if latest is None:
        return Tile(
            title=_("Supply-chain risk assessment"),
            figure=_("Not started"),
            detail=_("CBP expects one at least once a year."),
            url=url,
            tone="warn",
            link_text=_("Start one"),
        )
    state = due_state(latest.next_due, timezone.localdate())
    date = formats.date_format(latest.next_due) if latest.next_due else ""
    detail: str | Promise
    if latest.needs_review:
        detail, tone = _("The map changed since it was documented."), "warn"
    elif state is None:
        detail, tone = _("No date set for the next one."), "warn"
    elif state == "overdue":
        detail, tone = _("The next one was due on %(date)s.") % {"date": date}, "bad"
    elif state == "soon":
        detail, tone = _("The next one is due on %(date)s.") % {"date": date}, "warn"
    else:
        detail, tone = _("Next one due %(date)s.") % {"date": date}, "ok"
    return Tile(
        title=_("Supply-chain risk assessment"),
        figure=latest.title
        if latest.finalised_at
        else _("%(title)s, in progress") % {"title": latest.title},
        detail=detail,
        url=reverse("risk:detail", args=[org.slug, latest.pk]),
        tone=tone,
        link_text=_("Open it"),
    )


def road_progress(org: Organisation) -> Progress:
    """The risk step: done once the latest assessment is documented."""
    latest = newest(org)
    if latest is None:
        return Progress(url=reverse("risk:list", args=[org.slug]), state=NOT_STARTED)
    return Progress(
        url=reverse("risk:detail", args=[org.slug, latest.pk]),
        state=DONE if latest.finalised_at else IN_PROGRESS,
        note=latest.title,
    )

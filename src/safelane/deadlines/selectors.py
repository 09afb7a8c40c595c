"""Everything an organisation has due, read through each app's selectors: the membership
clocks, open actions by their due dates, evidence by its review date, validation findings by
their response due dates. One list per organisation (a fixed number of queries), and a
person's across the organisations they belong to (their own memberships, the one read across
organisations)."""

from __future__ import annotations

import calendar as calendar_module
import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safelane.actions import selectors as action_selectors
from safelane.deadlines import feeds
from safelane.deadlines.models import CalendarFeed
from safelane.evidence import selectors as evidence_selectors
from safelane.membership import selectors as membership_selectors
from safelane.orgs.access import memberships_of
from safelane.validation import selectors as validation_selectors

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

KINDS = {
    "membership": _("CTPAT membership"),
    "action": _("Actions"),
    "evidence": _("Evidence reviews"),
    "finding": _("Validation findings"),
}


@dataclass(frozen=True)
class Deadline:
    uid: str
    day: datetime.date
    kind: str
    title: str | Promise
    detail: str | Promise
    url: str
    org_name: str = ""
    tone: str = ""

    @property
    def kind_label(self) -> str | Promise:
        return KINDS[self.kind]

    @property
    def state_label(self) -> str | Promise:
        """What the badge beside the date says: overdue, soon, or (a window) open now."""
        if self.uid.startswith("annual_review_window_opens") and self.tone == "":
            return _("Open now") if self.day <= timezone.localdate() else ""
        return {"bad": _("Overdue"), "warn": _("Soon")}.get(self.tone, "")


def deadlines(
    org: Organisation, *, kinds: set[str] | None = None, today: datetime.date | None = None
) -> list[Deadline]:
    """Every date the organisation has coming or missed, soonest first; `kinds` keeps some."""
    today = today or timezone.localdate()
    wanted = kinds or set(KINDS)
    found: list[Deadline] = []
    if "membership" in wanted:
        found += _clocks(org, today)
    if "action" in wanted:
        found += _actions(org, today)
    if "evidence" in wanted:
        found += _evidence(org, today)
    if "finding" in wanted:
        found += _findings(org, today)
    return sorted(found, key=lambda d: (d.day, d.kind, str(d.title)))


def _tone(day: datetime.date, today: datetime.date) -> str:
    if day < today:
        return "bad"
    return "warn" if (day - today).days < 30 else ""


def _clocks(org: Organisation, today: datetime.date) -> list[Deadline]:
    record = membership_selectors.membership(org)
    url = reverse("membership:page", args=[org.slug])
    return [
        Deadline(
            uid=f"{clock.key}-{clock.due:%Y%m%d}-org{org.pk}@safelane",
            day=clock.due,
            kind="membership",
            title=clock.title,
            detail=clock.rule,
            url=url,
            org_name=org.name,
            tone=clock.tone,
        )
        for clock in membership_selectors.clocks_of(record, today)
        if clock.due
    ]


def _actions(org: Organisation, today: datetime.date) -> list[Deadline]:
    rows = (
        action_selectors.actions(org, action_selectors.ActionFilter(status="open"))
        .filter(due_date__isnull=False)
        .only("title", "due_date", "status", "owner")
    )
    return [
        _record(
            org,
            today,
            "action",
            a.pk,
            a.due_date,
            a.title,
            _("Action due (%(status)s)") % {"status": a.get_status_display()},
            reverse("actions:detail", args=[org.slug, a.pk]),
        )
        for a in rows
        if a.due_date
    ]


def _evidence(org: Organisation, today: datetime.date) -> list[Deadline]:
    rows = (
        evidence_selectors.library(org)
        .filter(review_date__isnull=False)
        .select_related(None)
        .prefetch_related(None)
        .only("title", "review_date")
    )
    return [
        _record(
            org,
            today,
            "evidence",
            e.pk,
            e.review_date,
            e.title,
            _("Evidence to review or renew"),
            reverse("evidence:detail", args=[org.slug, e.pk]),
        )
        for e in rows
        if e.review_date
    ]


def _findings(org: Organisation, today: datetime.date) -> list[Deadline]:
    return [
        _record(
            org,
            today,
            "finding",
            f.pk,
            f.response_due,
            _("Respond to the finding on %(criterion)s") % {"criterion": f.criterion_ident},
            f.validation.title,
            reverse("validation:finding", args=[org.slug, f.pk]),
        )
        for f in validation_selectors.responses_due(org)
        if f.response_due
    ]


def _record(
    org: Organisation,
    today: datetime.date,
    kind: str,
    pk: int,
    day: datetime.date,
    title: str | Promise,
    detail: str | Promise,
    url: str,
) -> Deadline:
    """A record's own date (an action's due date, a document's review date) as a deadline."""
    return Deadline(
        uid=f"{kind}-{pk}-org{org.pk}@safelane",
        day=day,
        kind=kind,
        title=title,
        detail=detail,
        url=url,
        org_name=org.name,
        tone=_tone(day, today),
    )


@dataclass(frozen=True)
class Day:
    date: datetime.date
    in_month: bool
    deadlines: list[Deadline]


def month(found: list[Deadline], year: int, month_number: int) -> list[list[Day]]:
    """The weeks of a month (Monday first), each day with its deadlines."""
    by_day: dict[datetime.date, list[Deadline]] = defaultdict(list)
    for deadline in found:
        by_day[deadline.day].append(deadline)
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    return [[Day(d, d.month == month_number, by_day.get(d, [])) for d in week] for week in weeks]


def for_user(user: User, today: datetime.date | None = None) -> list[Deadline]:
    """Every deadline of every organisation the person belongs to, and of no other."""
    found: list[Deadline] = []
    for membership in memberships_of(user):
        found += deadlines(membership.organisation, today=today)
    return sorted(found, key=lambda d: (d.day, d.org_name, str(d.title)))


def live_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_by_token(token: object) -> CalendarFeed | None:
    """The live feed a token opens, or None (a revoked, forged or mistyped one alike)."""
    user_id = feeds.user_of(token)
    if user_id is None:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(user_id=user_id, revoked_at__isnull=True)
        .first()
    )
    return feed if feed is not None and feeds.matches(feed, str(token)) else None

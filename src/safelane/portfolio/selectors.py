"""The portfolio: every organisation the person belongs to (their own memberships, the one read
across organisations), each row's figures read through its own organisation's `for_org` as
columns of that one query, so the page costs the same with 50 clients as with 2."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safelane.actions import selectors as action_selectors
from safelane.assessments import selectors as assessment_selectors
from safelane.membership import selectors as membership_selectors
from safelane.orgs.access import memberships_of
from safelane.validation import selectors as validation_selectors

if TYPE_CHECKING:
    from safelane.accounts.models import User

RED_DAYS = 30
SORTS = ("next", "name", "status", "musts", "gaps", "overdue", "findings")


@dataclass(frozen=True)
class Row:
    name: str
    slug: str
    role: str
    status: str
    status_label: str | Promise
    status_order: int
    musts_met: int
    musts_total: int
    open_gaps: int
    overdue_actions: int
    open_findings: int
    next_due: datetime.date | None
    next_kind: str  # a clock's key, or "action"
    next_label: str | Promise
    days_left: int | None
    red: bool  # a membership clock has fewer than 30 days left (or has passed)
    url: str

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def rows(user: User, *, sort: str = "next", today: datetime.date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    memberships = memberships_of(user).annotate(
        **membership_selectors.portfolio_columns("organisation"),
        **assessment_selectors.portfolio_columns("organisation"),
        **action_selectors.portfolio_columns("organisation", today),
        **validation_selectors.portfolio_columns("organisation"),
    )
    found = [_row(m, today) for m in memberships]
    return sorted(found, key=SORT_KEYS.get(sort, SORT_KEYS["next"]))


def _row(membership: object, today: datetime.date) -> Row:
    m = membership
    org = m.organisation  # type: ignore[attr-defined]
    standing = membership_selectors.standing_of_column(m.ctpat, today)  # type: ignore[attr-defined]
    clock = standing.next_due
    action_due = m.next_action_due  # type: ignore[attr-defined]
    candidates = []
    if clock and clock.due:
        candidates.append((clock.due, clock.key, clock.title))
    if action_due:
        candidates.append((action_due, "action", _("Action due")))
    due, kind, label = min(candidates, default=(None, "", ""))
    clock_days = (clock.due - today).days if clock and clock.due else None
    return Row(
        name=org.name,
        slug=org.slug,
        role=m.get_role_display(),  # type: ignore[attr-defined]
        status=standing.status,
        status_label=standing.label,
        status_order=standing.order,
        musts_met=m.musts_met,  # type: ignore[attr-defined]
        musts_total=m.musts_total,  # type: ignore[attr-defined]
        open_gaps=m.open_gaps,  # type: ignore[attr-defined]
        overdue_actions=m.overdue_actions,  # type: ignore[attr-defined]
        open_findings=m.open_findings,  # type: ignore[attr-defined]
        next_due=due,
        next_kind=kind,
        next_label=label,
        days_left=(due - today).days if due else None,
        red=clock_days is not None and clock_days < RED_DAYS,
        url=reverse("orgs:dashboard", args=[org.slug]),
    )


FAR = datetime.date.max
SORT_KEYS = {
    "next": lambda r: (r.next_due or FAR, r.name),
    "name": lambda r: r.name.lower(),
    "status": lambda r: (r.status_order, r.name),
    "musts": lambda r: (r.musts_met / r.musts_total if r.musts_total else 0, r.name),
    "gaps": lambda r: (-r.open_gaps, r.name),
    "overdue": lambda r: (-r.overdue_actions, r.name),
    "findings": lambda r: (-r.open_findings, r.name),
}

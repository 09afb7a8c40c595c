"""The clocks of a CTPAT membership, worked out from its dates alone (no database).

Each clock says when something falls due, while it runs, and the rule behind it in words
(program-facts §2-3): CBP decides on an application within 90 days (6 U.S.C. 964); the first
validation comes within a year of certification (§965); the annual security profile review
(ASPR) window opens 90 days before the anniversary of certification and the review is due on
that anniversary (Portal manual); revalidation at least every 4 years after the last validation
(§969); a suspension letter is answered by the date it gives (90 days by consultants' account);
an appeal is filed within 30 days (suspension or removal for false information, §967(b)) or 90
days (benefits denied, §967(a)) and decided within 180 days of filing.

A date one year or four years on from 29 February falls on 28 February when that year has none.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DECISION_DAYS = 90
WINDOW_DAYS = 90
REVALIDATION_YEARS = 4
SUSPENSION_RESPONSE_DAYS = 90
APPEAL_DECISION_DAYS = 180
APPEAL_DAYS = {"false-information": 30, "benefits-denied": 90}
SOON_DAYS = 30

# The statuses of a membership, in the order of the road (program-facts §3.6).
NOT_APPLIED = "not-applied"
APPLICANT = "applicant"
CERTIFIED = "certified"
VALIDATED = "validated"
SUSPENDED = "suspended"
REMOVED = "removed"
WITHDRAWN = "withdrawn"
APPEAL_PENDING = "appeal-pending"
# A partner's obligations (validation, annual review, revalidation) run while it is one.
PARTNER_STATUSES = frozenset({CERTIFIED, VALIDATED, SUSPENDED})

# The keys of the clocks the API and `safelane clocks --json` give, in this order.
KEYS = (
    "certification_decision_due",
    "first_validation_due",
    "annual_review_window_opens",
    "annual_review_due",
    "revalidation_due",
    "suspension_response_due",
    "appeal_due",
    "appeal_decision_due",
)


@dataclass(frozen=True)
class Dates:
    """What the clocks read from a membership record."""

    status: str = NOT_APPLIED
    submitted_on: datetime.date | None = None
    certified_on: datetime.date | None = None
    validated_on: datetime.date | None = None
    suspended_on: datetime.date | None = None
    suspension_response_due: datetime.date | None = None
    removed_on: datetime.date | None = None
    appeal_basis: str = ""
    appeal_filed_on: datetime.date | None = None

    @classmethod
    def of(cls, record: Any) -> Dates:
        """The dates of a record (a membership, or anything with the same fields)."""
        return cls(**{name: getattr(record, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Clock:
    key: str
    title: str | Promise
    rule: str | Promise  # the rule in words, as the page shows it
    due: datetime.date | None  # None: the clock does not run now
    idle: str | Promise = ""  # why it does not run, when it does not
    today: datetime.date | None = None

    @property
    def days_left(self) -> int | None:
        if self.due is None or self.today is None:
            return None
        return (self.due - self.today).days

    @property
    def days_overdue(self) -> int:
        days = self.days_left
        return -days if days is not None and days < 0 else 0

    @property
    def tone(self) -> str:
        """ "bad" overdue, "warn" due within 30 days, "" otherwise (the page's colours)."""
        days = self.days_left
        if days is None or self.key == "annual_review_window_opens":
            return ""
        if days < 0:
            return "bad"
        return "warn" if days < SOON_DAYS else ""


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February falls on 28 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_anniversary(certified_on: datetime.date, today: datetime.date) -> datetime.date:
    """The first anniversary of certification on or after `today` (never the day itself)."""
    years = max(1, today.year - certified_on.year)
    anniversary = add_years(certified_on, years)
    while anniversary < today:
        years += 1
        anniversary = add_years(certified_on, years)
    return anniversary


def window_opens(anniversary: datetime.date) -> datetime.date:
    return anniversary - datetime.timedelta(days=WINDOW_DAYS)


def in_window(certified_on: datetime.date, day: datetime.date) -> bool:
    """Whether `day` falls inside an annual review window (from its opening to the
    anniversary, both included): only updates made then count for the review."""
    anniversary = next_anniversary(certified_on, day)
    return window_opens(anniversary) <= day <= anniversary


def clocks(dates: Dates, today: datetime.date) -> list[Clock]:
    """Every clock, running or not, in the order of the road."""
    found = []
    for key, title, rule, idle in RULES:
        due = DUE[key](dates, today)
        found.append(Clock(key, title, rule, due, "" if due else idle, today))
    return found


def as_json(dates: Dates, today: datetime.date) -> dict[str, str | None]:
    """The clocks as ISO dates (None where a clock does not run), under KEYS."""
    return {c.key: c.due.isoformat() if c.due else None for c in clocks(dates, today)}


def next_due(dates: Dates, today: datetime.date) -> Clock | None:
    """What is due next: the running clock with the nearest date (overdue ones first)."""
    running = [c for c in clocks(dates, today) if c.due and c.key != "annual_review_window_opens"]
    return min(running, key=lambda c: (c.due, KEYS.index(c.key)), default=None)


def window(dates: Dates, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The annual review window open today, as (opened, due), or None."""
    anniversary = _anniversary(dates, today)
    if anniversary is None or window_opens(anniversary) > today:
        return None
    return window_opens(anniversary), anniversary


def _partner(dates: Dates) -> bool:
    return dates.status in PARTNER_STATUSES


def _after(day: datetime.date | None, days: int) -> datetime.date | None:
    return day + datetime.timedelta(days=days) if day else None


def _anniversary(dates: Dates, today: datetime.date) -> datetime.date | None:
    if not _partner(dates) or dates.certified_on is None:
        return None
    return next_anniversary(dates.certified_on, today)


def _window_opens(dates: Dates, today: datetime.date) -> datetime.date | None:
    anniversary = _anniversary(dates, today)
    return window_opens(anniversary) if anniversary else None


def _first_validation(dates: Dates, today: datetime.date) -> datetime.date | None:
    if not _partner(dates) or dates.certified_on is None or dates.validated_on:
        return None
    return add_years(dates.certified_on, 1)


def _revalidation(dates: Dates, today: datetime.date) -> datetime.date | None:
    if not _partner(dates) or dates.validated_on is None:
        return None
    return add_years(dates.validated_on, REVALIDATION_YEARS)


def _appeal(dates: Dates, today: datetime.date) -> datetime.date | None:
    decided_on = {SUSPENDED: dates.suspended_on, REMOVED: dates.removed_on}.get(dates.status)
    days = APPEAL_DAYS.get(dates.appeal_basis)
    return _after(decided_on, days) if days else None


# When each clock falls due, from the dates (None: it does not run).
DUE: dict[str, Callable[[Dates, datetime.date], datetime.date | None]] = {
    "certification_decision_due": lambda d, _today: (
        _after(d.submitted_on, DECISION_DAYS) if d.status == APPLICANT else None
    ),
    "first_validation_due": _first_validation,
    "annual_review_window_opens": _window_opens,
    "annual_review_due": _anniversary,
    "revalidation_due": _revalidation,
    "suspension_response_due": lambda d, _today: (
        d.suspension_response_due if d.status == SUSPENDED else None
    ),
    "appeal_due": _appeal,
    "appeal_decision_due": lambda d, _today: (
        _after(d.appeal_filed_on, APPEAL_DECISION_DAYS) if d.status == APPEAL_PENDING else None
    ),
}
CERTIFIED_FIRST = _("Runs once the company is certified.")
# Each clock's title, its rule in words and why it may not run, in the order of KEYS.
RULES: tuple[tuple[str, Promise, Promise, Promise], ...] = (
    (
        "certification_decision_due",
        _("Certification decision expected"),
        _("CBP certifies or rejects an application within 90 days of its submission."),
        _("Runs while the application waits for CBP's decision."),
    ),
    (
        "first_validation_due",
        _("First validation due"),
        _(
            "CBP validates a certified partner within a year of certification, with at least "
            "30 days' notice."
        ),
        _("Runs from certification until the first validation."),
    ),
    (
        "annual_review_window_opens",
        _("Annual review window opens"),
        _(
            "The annual security profile review window opens 90 days before the anniversary "
            "of certification; only updates made inside the window count."
        ),
        CERTIFIED_FIRST,
    ),
    (
        "annual_review_due",
        _("Annual security profile review due"),
        _(
            "Due on each anniversary of the certification date (28 February in a year "
            "without 29 February)."
        ),
        CERTIFIED_FIRST,
    ),
    (
        "revalidation_due",
        _("Revalidation due"),
        _(
            "A validated partner is revalidated at least once every 4 years after the last "
            "validation."
        ),
        _("Runs once the company is validated."),
    ),
    (
        "suspension_response_due",
        _("Answer to the suspension due"),
        _(
            "The date the suspension letter gives for the answer and the corrective action "
            "plan (90 days from the letter, by consultants' account)."
        ),
        _("Runs while the company is suspended."),
    ),
    (
        "appeal_due",
        _("Last day to appeal"),
        _(
            "An appeal to the Secretary is filed within 30 days of a suspension or removal for "
            "false or misleading information, or within 90 days of a denial of benefits."
        ),
        _("Runs after a suspension or removal whose grounds are recorded."),
    ),
    (
        "appeal_decision_due",
        _("Appeal decision expected"),
        _("The Secretary decides an appeal within 180 days of its filing."),
        _("Runs while an appeal is pending."),
    ),
)

"""Reads of the CTPAT membership: the record (or an unsaved one with nothing recorded), its
clocks today, its history, the annual reviews, the dashboard tile."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safelane.core import trail
from safelane.membership import clocks
from safelane.membership.clocks import Clock
from safelane.membership.models import AnnualReview, CtpatMembership, Status, StatusChange
from safelane.orgs.dashboard import Tile
from safelane.partners import selectors as partner_selectors

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def membership(org: Organisation) -> CtpatMembership:
    """The organisation's membership, or an unsaved one that says nothing is recorded yet."""
    return CtpatMembership.objects.for_org(org).first() or CtpatMembership(organisation=org)


def clocks_of(record: CtpatMembership, today: datetime.date | None = None) -> list[Clock]:
    return clocks.clocks(clocks.Dates.of(record), today or timezone.localdate())


def clocks_json(record: CtpatMembership, today: datetime.date | None = None) -> dict[str, Any]:
    """The clocks as the API and `safelane clocks --json` give them."""
    return clocks.as_json(clocks.Dates.of(record), today or timezone.localdate())


def mra_programmes() -> list[tuple[str, Any]]:
    """The programmes a company may be recognised by: those CBP has an arrangement with."""
    return [(code, name) for code, name in partner_selectors.mra_programmes() if code != "other"]


def mra_names(record: CtpatMembership) -> list[str]:
    names = dict(mra_programmes())
    return [str(names.get(code, code)) for code in record.mra_programmes or []]


@dataclass(frozen=True)
class MembershipPage:
    record: CtpatMembership
    clocks: list[Clock]
    next_due: Clock | None
    window: tuple[datetime.date, datetime.date] | None
    window_days_left: int | None
    changes: list[StatusChange]
    reviews: list[AnnualReview]
    mra_names: list[str]
    history: list[Any]
    today: datetime.date


def page(org: Organisation, today: datetime.date | None = None) -> MembershipPage:
    today = today or timezone.localdate()
    record = membership(org)
    dates = clocks.Dates.of(record)
    window = clocks.window(dates, today)
    saved = record.pk is not None
    return MembershipPage(
        record=record,
        clocks=clocks.clocks(dates, today),
        next_due=clocks.next_due(dates, today),
        window=window,
        window_days_left=(window[1] - today).days if window else None,
        changes=list(
            StatusChange.objects.for_org(org).select_related("recorded_by")[:50] if saved else []
        ),
        reviews=list(
            AnnualReview.objects.for_org(org).select_related("affirmed_by")[:20] if saved else []
        ),
        mra_names=mra_names(record),
        history=trail.object_history(org, record, limit=10) if saved else [],
        today=today,
    )


def window_open(
    org: Organisation, today: datetime.date
) -> tuple[CtpatMembership, datetime.date] | None:
    """The membership and the anniversary whose review window is open today, if one is."""
    record = CtpatMembership.objects.for_org(org).first()
    found = clocks.window(clocks.Dates.of(record), today) if record else None
    return (record, found[1]) if record and found else None


def dashboard_tile(org: Organisation, user: User) -> Tile:
    today = timezone.localdate()
    record = membership(org)
    dates = clocks.Dates.of(record)
    url = reverse("membership:page", args=[org.slug])
    window = clocks.window(dates, today)
    nearest = clocks.next_due(dates, today)
    if window:
        left = (window[1] - today).days
        detail = ngettext(
            "The annual review window is open: %(n)s day left (due %(date)s).",
            "The annual review window is open: %(n)s days left (due %(date)s).",
            left,
        ) % {"n": left, "date": date_format(window[1])}
    elif nearest and nearest.due:
        detail = _("Next: %(what)s, %(date)s") % {
            "what": nearest.title,
            "date": date_format(nearest.due),
        }
    else:
        detail = str(_("Record where the company stands with CBP to see its deadlines."))
    tone = nearest.tone if nearest else ""
    return Tile(
        title=_("CTPAT membership"),
        figure=str(record.get_status_display()),
        detail=detail,
        url=url,
        tone=tone or ("warn" if window else ""),
        link_text=_("Membership and deadlines"),
    )


def notice_due(org: Organisation, today: datetime.date) -> bool:
    """Whether this window's e-mail to owners and managers is still to be sent."""
    found = window_open(org, today)
    return found is not None and found[0].window_notice_for != found[1]


def portfolio_columns(organisation: str) -> dict[str, Any]:
    """The membership's dates as one column for a list of organisations (the consultant's
    portfolio), read through `for_org` of each row's organisation; `dates_of_column` turns it
    into the clocks' Dates. One query for any number of rows."""
    fields = {name: name for name in clocks.Dates.__dataclass_fields__}
    return {
        "ctpat": Subquery(
            CtpatMembership.objects.for_org(OuterRef(organisation)).values(
                data=JSONObject(**fields)
            )[:1]
        )
    }


def dates_of_column(value: dict[str, Any] | None) -> clocks.Dates:
    """The Dates a `portfolio_columns` value holds (dates come back as ISO text)."""
    if not value:
        return clocks.Dates()
    read: dict[str, Any] = {}
    for name, stored in value.items():
        if name in {"status", "appeal_basis"}:
            read[name] = stored or ""
        else:
            read[name] = datetime.date.fromisoformat(stored[:10]) if stored else None
    return clocks.Dates(**read)


@dataclass(frozen=True)
class Standing:
    """A membership as a portfolio row shows it: status, its label, and what is due next."""

    status: str
    label: str | Promise
    next_due: Clock | None
    order: int  # the status's place on the road, for sorting


def standing_of_column(value: dict[str, Any] | None, today: datetime.date) -> Standing:
    dates = dates_of_column(value)
    status = Status(dates.status) if dates.status in Status.values else Status.NOT_APPLIED
    return Standing(
        status=status.value,
        label=status.label,
        next_due=clocks.next_due(dates, today),
        order=list(Status.values).index(status.value),
    )

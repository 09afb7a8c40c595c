"""A person's calendar feed: made when first asked for, revoked by its owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.core.errors import DomainError
from safelane.core.links import absolute
from safelane.deadlines import feeds, selectors
from safelane.deadlines.models import CalendarFeed

if TYPE_CHECKING:
    from safelane.accounts.models import User


def feed_url(feed: CalendarFeed) -> str:
    return absolute(reverse("deadlines:ical", args=[feeds.token(feed.user_id, feed.nonce)]))


def ensure_feed(*, actor: User) -> CalendarFeed:
    """The person's live feed, made now if they have none."""
    found = selectors.live_feed(actor)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=actor, nonce=feeds.new_nonce())
    except IntegrityError:  # made a moment ago by another request of theirs
        feed = selectors.live_feed(actor)
        assert feed is not None
        return feed


def revoke_feed(*, actor: User) -> None:
    """End the person's feed address: calendar programs subscribed to it get nothing more."""
    feed = selectors.live_feed(actor)
    if feed is None:
        raise DomainError(_("You have no calendar feed to revoke."))
    CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=timezone.now())

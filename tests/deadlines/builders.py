"""A calendar feed planted for the tenancy test: an organisation's owner, a deadline only that
organisation has, and the feed's token."""

from __future__ import annotations

import datetime
from typing import Any

from safelane.actions import services as action_services
from safelane.deadlines import feeds, services


def plant_feed(org: Any, owner: Any) -> dict[str, Any]:
    title = f"Deadline of {org.name}"
    action_services.create_action(
        org=org,
        actor=owner,
        values={"title": title, "due_date": datetime.date.today() + datetime.timedelta(days=9)},
    )
    feed = services.ensure_feed(actor=owner)
    return {"params": {"token": feeds.token(owner.pk, feed.nonce)}, "names": [title]}

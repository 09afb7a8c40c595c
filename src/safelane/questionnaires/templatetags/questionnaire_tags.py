"""The questionnaires section of a partner's page, drawn from the page's own context (the
partner, the organisation, the reader's membership), so the partner pages need not know it."""

from __future__ import annotations

from typing import Any

from django import template

from safelane.orgs.models import Role
from safelane.questionnaires import selectors

register = template.Library()


@register.inclusion_tag("questionnaires/_partner_questionnaires.html", takes_context=True)
def partner_questionnaires(context: template.Context) -> dict[str, Any]:
    """The partner's latest questionnaires (one query, however many) and whether the reader may
    send one."""
    partner, org = context.get("partner"), context.get("current_org")
    membership = context.get("current_membership")
    if partner is None or org is None:
        return {"show": False}
    return {
        "show": True,
        "partner": partner,
        "current_org": org,
        "questionnaires": selectors.for_partner(org, partner),
        "can_send": membership is not None
        and membership.role_enum.allows(Role.CONTRIBUTOR)
        and partner.archived_at is None,
    }

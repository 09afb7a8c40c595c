"""`{% money amount %}`: the amount in the organisation's currency, as the reader reads money
(see core.money). The currency and country come from `current_org` (or `org`) in the
template's context unless given: `{% money amount "MXN" %}`."""

from __future__ import annotations

from typing import Any

from django import template

from safelane.core.money import money as format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def money(context: template.Context, amount: Any, currency: str = "") -> str:
    org = context.get("current_org") or context.get("org")
    country = str(getattr(org, "country", "") or "")
    return format_money(amount, currency or getattr(org, "currency", "") or "USD", country)

"""Template tags for "one door per action": a form that posts to its own URL and, with HTMX,
swaps only the part of the page it changed (the page comes back whole without JavaScript)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def door(url: str, section: str) -> SafeString:
    """The attributes of a <form> that posts to `url` and then shows `section` (an element id)
    of the page it lands on, plus the messages, in place.

    A change to the record itself (its version moves) swaps the whole page content ("main"),
    so that every other form on it carries the new version; additions (a comment, a cost, a
    link) swap only their section.
    """
    if section == "main":
        return format_html(
            'method="post" action="{url}" hx-post="{url}" hx-target="#main" hx-select="#main" '
            'hx-swap="outerHTML" hx-push-url="false"',
            url=url,
        )
    return format_html(
        'method="post" action="{url}" hx-post="{url}" hx-target="#{section}" '
        'hx-select="#{section}" hx-swap="outerHTML" hx-select-oob="#messages" '
        'hx-push-url="false"',
        url=url,
        section=section,
    )

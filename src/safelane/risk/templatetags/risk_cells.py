"""The vulnerability grid's cells, built in Python: a large map has hundreds of them."""

from __future__ import annotations

import functools

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from safelane.risk.models import LegThreat, Level, Vulnerability

register = template.Library()
INVALID = mark_safe(' aria-invalid="true"')


@functools.cache
def _options(selected: int, language: str | None) -> SafeString:
    """The three level options (by first letter) with one selected, once per language."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if selected == value else "", str(label)[:1])
            for value, label in Level.choices
        ),
    )


@register.simple_tag
def vulnerability_cell(
    v: Vulnerability | None,
    point: str,
    editable: bool = True,
    shown: dict[int, tuple[int | None, str, int]] | None = None,
    refused: frozenset[int] = frozenset(),
) -> SafeString | str:
    """A level picker and a reason field for one rating: with the values `shown` for it (what
    a refused save sent) instead of the stored ones, marked when the refusal names it. For
    someone who may not change it, the level and reason as text."""
    if v is None:
        return ""
    level, reason, version = (shown or {}).get(v.pk) or (v.level, v.reason, v.version)
    if not editable:
        return format_html(
            '<span class="vcell readonly">{level}{reason}</span>',
            level=dict(Level.choices).get(v.level, "—"),
            reason=format_html('<span class="muted small">{}</span>', v.reason) if v.reason else "",
        )
    invalid = v.pk in refused
    return format_html(
        '<span class="vcell{marked}">'
        '<select name="v:{pk}" aria-label="{point} {category}"{aria}>{options}</select>'
        '<input type="hidden" name="vv:{pk}" value="{version}">'
        '<input type="text" name="r:{pk}" value="{reason}" placeholder="{why}" class="reason"'
        ' aria-label="{point} {category}: {why}"{aria}></span>',
        marked=" refused" if invalid else "",
        aria=INVALID if invalid else "",
        pk=v.pk,
        version=version or v.version,
        point=point,
        category=v.category,
        options=_options(v.level if level is None else level, get_language()),
        reason=reason,
        why=gettext("why"),
    )


@register.simple_tag
def leg_threat_cell(
    leg_id: int, threat: str, rating: LegThreat | None, default: int, editable: bool = True
) -> SafeString:
    """A leg's rating of one threat: blank means "as the countries at either end". For someone
    who may not change it, the rating as text."""
    level = rating.level if rating else None
    labels = dict(Level.choices)
    as_countries = (
        # The level first: a narrow cell cuts the end of the label, and the level must show.
        gettext("%(level)s (countries)") % {"level": labels[default]}
        if default
        else gettext("As its countries")
    )
    if not editable:
        return format_html("{}", as_countries if level is None else labels[level])
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        [("", "" if level is None else " selected", as_countries)]
        + [(value, " selected" if level == value else "", label) for value, label in Level.choices],
    )
    return format_html(
        '<select name="l:{}:{}" aria-label="{}">{}</select>'
        '<input type="hidden" name="lv:{}:{}" value="{}">',
        leg_id,
        threat,
        gettext("Leg threat"),
        options,
        leg_id,
        threat,
        rating.version if rating else 0,
    )

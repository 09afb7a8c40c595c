"""E-mails rendered from a subject and a body template, in the language of whoever reads them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(
    *,
    subject_template: str,
    body_template: str,
    context: dict[str, Any],
    language: str,
    recipients: list[str],
) -> None:
    """Render both templates and send them to `recipients`: each person in the language they
    chose on their profile, everyone else in `language` (the organisation's)."""
    chosen = dict(
        get_user_model()
        .objects.filter(email__in=recipients)
        .exclude(language="")
        .values_list("email", "language")
    )
    by_language: dict[str, list[str]] = {}
    for address in recipients:
        by_language.setdefault(chosen.get(address) or language, []).append(address)
    for each, addresses in by_language.items():
        with translation.override(each):
            subject = render_to_string(subject_template, context).strip()
            body = render_to_string(body_template, context)
        send_mail(subject, body, None, addresses)

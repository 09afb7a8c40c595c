"""E-mails rendered from a subject and a body template, in the language of whoever reads them."""

from __future__ import annotations

from typing import Any

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
    """Render both templates in `language` and send one message to `recipients`."""
    with translation.override(language):
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    send_mail(subject, body, None, recipients)

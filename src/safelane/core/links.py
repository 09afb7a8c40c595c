"""Addresses that leave the installation (every e-mail, the link a partner opens): all built
from the one `SITE_URL` setting, so that an invitation, a reminder and a sign-up mail point at
the same host whether a page, a task worker or a script sends them."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    """`path` (such as a reversed URL) on the installation's public address."""
    return settings.SITE_URL + "/" + path.lstrip("/")


def rebased(url: str) -> str:
    """An absolute address built from a request's host, moved to the public address."""
    bits = urlsplit(url)
    return (
        absolute(bits.path)
        + (f"?{bits.query}" if bits.query else "")
        + (f"#{bits.fragment}" if bits.fragment else "")
    )

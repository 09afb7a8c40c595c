"""The address of a person's calendar feed: `/calendar/<user id>.<secret>.ics`, the secret an
HMAC of the feed's nonce under the installation's key (never stored). A copy of the database
opens no feed; a new nonce (revoke and create) ends the old address."""

from __future__ import annotations

import base64
import re
import secrets
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "safelane.deadlines.feed"
TOKEN = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{43})$")


def new_nonce() -> str:
    return secrets.token_hex(32)


def token(user_id: int, nonce: str, key: str | None = None) -> str:
    digest = salted_hmac(SALT, f"{user_id}:{nonce}", secret=key, algorithm="sha256").digest()
    return f"{user_id}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


def user_of(value: object) -> int | None:
    found = TOKEN.match(value) if isinstance(value, str) else None
    return int(found.group(1)) if found else None


def matches(feed: Any, value: str) -> bool:
    """Whether `value` is the feed's token under the current key or a fallback one."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(secrets.compare_digest(token(feed.user_id, feed.nonce, k), value) for k in keys)

"""The link that opens one questionnaire without an account.

A link is `/q/<organisation id>.<secret>/`. The secret is an HMAC of the questionnaire's random
nonce under the installation's SECRET_KEY, so it is never stored: the database keeps the nonce
and the SHA-256 of the whole token, and the token is found again by that hash, inside the
organisation the link names. Anyone holding only a copy of the database opens nothing; the
reminder task, which holds the key, can still write the link into its e-mail.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from safelane.core.links import absolute

SALT = "safelane.questionnaires.link"
TOKEN = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{43})$")


def new_nonce() -> str:
    return secrets.token_hex(32)


def make_token(org_id: int, nonce: str, key: str | None = None) -> str:
    digest = salted_hmac(SALT, nonce, secret=key, algorithm="sha256").digest()
    return f"{org_id}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def organisation_of(token: object) -> int | None:
    """The organisation id a well-formed token names, or None."""
    found = TOKEN.match(token) if isinstance(token, str) else None
    return int(found.group(1)) if found else None


def current_token(org_id: int, nonce: str, stored_hash: str) -> str | None:
    """The token of a link as issued, or None when the key it was made with is gone (a
    rotated SECRET_KEY no longer among SECRET_KEY_FALLBACKS): the link still opens by its
    hash, but cannot be written out again."""
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        token = make_token(org_id, nonce, key)
        if secrets.compare_digest(token_hash(token), stored_hash):
            return token
    return None


def address(token: str) -> str:
    """The link as the partner opens it."""
    return absolute(reverse("questionnaires:link", args=[token]))

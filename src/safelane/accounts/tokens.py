"""Personal access tokens: create (shown once), look up by hash, revoke."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from safelane.accounts.models import ApiToken, User

TOKEN_PREFIX = "sl_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(
    *, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Return the stored token and the raw value, which is never stored or shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    return token, raw


def authenticate_token(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write the last-use time at most once a minute so API calls stay reads.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_token(*, user: User, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )

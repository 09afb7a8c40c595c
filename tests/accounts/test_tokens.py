import datetime

from django.urls import reverse
from django.utils import timezone

from safelane.accounts.models import ApiToken
from safelane.accounts.tokens import create_token, hash_token


def test_a_token_is_shown_once_and_stored_only_as_a_hash(cast, as_user):
    client = as_user(cast.owner)
    response = client.post(reverse("accounts:tokens"), {"name": "ERP sync", "expires_in": "90"})
    raw = response.context["created"]["raw"]
    assert raw.startswith("sl_")
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=cast.owner)
    assert token.token_hash == hash_token(raw)
    assert raw not in token.token_hash
    assert token.expires_at > timezone.now() + datetime.timedelta(days=89)
    assert raw not in client.get(reverse("accounts:tokens")).content.decode()


def test_a_token_acts_as_its_owner_in_the_api(cast, client):
    _, raw = create_token(user=cast.consultant, name="script")
    response = client.get("/api/v1/orgs/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert {row["slug"] for row in response.json()["results"]} == {"acme-imports", "norte"}


def test_revoked_and_expired_tokens_are_refused(cast, client, as_user):
    token, raw = create_token(user=cast.owner, name="old")
    as_user(cast.owner).post(reverse("accounts:token_revoke", args=[token.pk]))
    response = client.get("/api/v1/orgs/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    _, raw = create_token(
        user=cast.owner, name="short", expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/api/v1/orgs/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_viewers_token_cannot_write(cast, client):
    _, raw = create_token(user=cast.viewer, name="read only")
    response = client.patch(
        f"/api/v1/orgs/{cast.acme.slug}/",
        {"name": "Hijacked", "version": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    cast.acme.refresh_from_db()
    assert cast.acme.name == "Acme Imports"


def test_a_malformed_authorization_header_gets_a_clear_401(db, client):
    response = client.get("/api/v1/orgs/", HTTP_AUTHORIZATION="Bearer two parts")
    assert response.status_code == 401
    assert "one token" in response.json()["detail"]

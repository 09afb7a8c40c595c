import re

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from safelane.accounts.models import User
from tests.conftest import PASSWORD, make_user


def test_signing_up_requires_confirming_the_email_address(db, client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@company.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new@company.test").exists()
    assert "confirm" in mailoutbox[-1].subject.lower()
    # Until the address is confirmed, signing in only resends the confirmation.
    client.logout()
    client.post(reverse("account_login"), {"login": "new@company.test", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    client.post(link.replace("http://testserver", ""))
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_signing_in_with_a_wrong_password_is_throttled(db, client):
    make_user("olivia@acme.test")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "olivia@acme.test", "password": "wrong"})
    # Even the right password is refused until the throttle window passes.
    response = client.post(
        reverse("account_login"), {"login": "olivia@acme.test", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(db, client, mailoutbox):
    make_user("olivia@acme.test")
    client.post(reverse("account_reset_password"), {"email": "olivia@acme.test"})
    assert mailoutbox[-1].to == ["olivia@acme.test"]
    assert "/accounts/password/reset/key/" in mailoutbox[-1].body


def current_code(secret):
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def test_two_factor_asks_for_a_code_after_the_password(db, client):
    user = make_user("olivia@acme.test")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = client.post(
        reverse("account_login"), {"login": "olivia@acme.test", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(
        reverse("mfa_authenticate"),
        {"code": "000000" if current_code(secret) != "000000" else "111111"},
    )
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_two_factor_page_offers_an_authenticator_app_and_recovery_codes(db, as_user):
    page = as_user(make_user("olivia@acme.test")).get(reverse("mfa_index"))
    assert page.status_code == 200
    assert "Authenticator App" in page.content.decode()
    assert "Recovery Codes" in page.content.decode()


def test_every_mail_links_to_the_public_address_whatever_host_the_request_came_by(
    cast, client, settings, mailoutbox, committed
):
    """Sign-up, password and invitation mails alike are built on SITE_URL (core.links)."""
    from safelane.orgs import services
    from safelane.orgs.models import Role

    settings.SITE_URL = "https://safelane.example.com"
    settings.ALLOWED_HOSTS = ["internal-proxy.local", "testserver"]
    client.post(
        reverse("account_signup"),
        {"email": "new@company.test", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="internal-proxy.local",
    )
    client.logout()
    client.post(
        reverse("account_reset_password"),
        {"email": "olivia@acme.test"},
        HTTP_HOST="internal-proxy.local",
    )
    with committed():
        services.invite(org=cast.acme, actor=cast.owner, email="nina@acme.test", role=Role.VIEWER)
    assert len(mailoutbox) == 3
    for message in mailoutbox:
        links = re.findall(r"https?://\S+", message.body)
        assert links, message.subject
        assert all(link.startswith("https://safelane.example.com/") for link in links), links

"""Nothing injected, nothing lost: the Content-Security-Policy and the pages that honour it, and
throttles that hold across app servers (they count in the shared cache, a database table)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from safelane.accounts.tokens import create_token
from safelane.catalog import services as catalog
from safelane.jobs import services as jobs
from tests.conftest import PASSWORD

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy_of(response) -> dict[str, set[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: set(sources) for name, *sources in directives if name}


class InlineCode(HTMLParser):
    """What the policy refuses to run or apply: inline scripts, styles and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            if values.get("src"):
                self.scripts.append(values["src"] or "")
            else:
                self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values.get("href") or "")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


# The Content-Security-Policy


def test_every_page_carries_the_content_security_policy(db, client):
    response = client.get(reverse("account_login"))
    assert policy_of(response) == POLICY


def test_the_other_security_headers_stay(db, client):
    response = client.get(reverse("account_login"), secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_api_docs_page_runs_under_the_policy_with_the_app_s_own_files(db, client):
    response = client.get(reverse("api-docs"))
    assert policy_of(response) == POLICY
    page = inline_code(response)
    assert page.found == []
    # Swagger UI comes from the app (the sidecar package), its start-up script too.
    assert len(page.scripts) == 3
    assert all(src.startswith("/") and not src.startswith("//") for src in page.scripts)
    assert all(href.startswith("/static/") for href in page.stylesheets)
    start_up = client.get(page.scripts[-1])
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in start_up.content.decode()


def org_pages(cast) -> dict[str, str]:
    catalog.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    job = jobs.create_job(org=cast.acme, actor=cast.owner, kind="test", title="Evidence package")
    jobs.progress(job, done=3, total=7)
    slug = cast.acme.slug
    return {
        "dashboard": reverse("orgs:dashboard", args=[slug]),
        "catalog": reverse("catalog:list", args=[slug]),
        "members": reverse("orgs:members", args=[slug]),
        "job": reverse("jobs:detail", args=[slug, job.pk]),
        "organisations": reverse("orgs:list"),
        "eligibility": reverse("eligibility:index", args=[slug]),
        "agreement": reverse("eligibility:agreement", args=[slug]),
    }


def test_pages_carry_no_inline_script_or_style(cast, as_user):
    client = as_user(cast.owner)
    for name, url in org_pages(cast).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert inline_code(response).found == [], name


def test_the_job_progress_bar_needs_no_inline_style(cast, as_user):
    job_url = org_pages(cast)["job"]
    page = as_user(cast.owner).get(job_url).content.decode()
    assert '<progress class="progress" max="100" value="42">' in page


def test_htmx_is_told_to_add_no_inline_style_and_run_no_inline_code(cast, as_user):
    page = as_user(cast.owner).get(reverse("orgs:list")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page).group(1)
    settings = json.loads(config)
    assert {k: settings[k] for k in ("includeIndicatorStyles", "allowEval", "allowScriptTags")} == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
    }
    # A refused change (400, 403, 409) comes back as a page to show, not as an error.
    swapped = [rule["code"] for rule in settings["responseHandling"] if rule["swap"]]
    assert "40[039]" in swapped


def test_setting_up_an_authenticator_app_works_under_the_policy(cast, as_user):
    client = as_user(cast.owner)
    # Adding a second factor asks for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert inline_code(response).found == []
    # The QR code is a data: image, which img-src allows.
    assert 'src="data:image/svg+xml;base64,' in response.content.decode()
    assert "data:" in policy_of(response)["img-src"]


# Failed logins: one count, whichever app server answers


def failures_before_lockout() -> int:
    """The documented LOGIN_FAILED_RATE_LIMIT: every attempt here comes from one address for one
    account, so the smallest of its counts locks first."""
    rates = settings.ACCOUNT_RATE_LIMITS["login_failed"]
    return min(int(rate.split("/")[0]) for rate in rates.split(","))


def sign_in(client: Client, email: str, password: str) -> str:
    return client.post(
        reverse("account_login"), {"login": email, "password": password}
    ).content.decode()


def test_failed_logins_are_counted_where_every_app_server_reads_them(cast):
    sign_in(Client(), cast.owner.email, "wrong")
    table = connection.ops.quote_name(settings.CACHE_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (a name from the settings)
        assert cursor.fetchone()[0] > 0


def test_failed_logins_through_two_app_servers_lock_the_account_at_the_documented_count(cast):
    servers = [Client(), Client()]
    allowed = failures_before_lockout()
    assert allowed == 5  # docs/configuration.md: 10/m/ip,5/5m/key
    for attempt in range(allowed):
        page = sign_in(servers[attempt % 2], cast.owner.email, "wrong")
        assert "are not correct" in page, attempt
    for server in servers:
        page = sign_in(server, cast.owner.email, PASSWORD)
        assert "Too many failed login attempts" in page
        assert "_auth_user_id" not in server.session


# API rate limits


@pytest.fixture
def api_rate(monkeypatch):
    """DRF copies the rates into the throttle classes when it is first imported, so overriding
    the REST_FRAMEWORK setting would not reach them: set the class attribute for the test."""

    def set_rate(throttle: type[UserRateThrottle | AnonRateThrottle], rate: str) -> None:
        monkeypatch.setattr(
            throttle, "THROTTLE_RATES", {**throttle.THROTTLE_RATES, throttle.scope: rate}
        )

    return set_rate


def test_an_api_token_is_limited_to_its_rate_across_app_servers(cast, api_rate):
    api_rate(UserRateThrottle, "3/minute")
    _, raw = create_token(user=cast.viewer, name="script")
    servers = [Client(HTTP_AUTHORIZATION=f"Bearer {raw}") for _ in range(2)]
    url = f"/api/v1/orgs/{cast.acme.slug}/members/"
    answers = [servers[call % 2].get(url) for call in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    # The limit is the token owner's: someone else's token still answers.
    _, other = create_token(user=cast.manager, name="script")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {other}").get(url).status_code == 200


def test_anonymous_api_requests_are_limited_per_address(db, api_rate):
    api_rate(AnonRateThrottle, "3/minute")
    client = Client()
    answers = [client.get(reverse("api-docs")) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60

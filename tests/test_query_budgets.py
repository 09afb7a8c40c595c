"""Every page and API list has a query budget, and holds it with 2 rows and with 50.

Budgets live beside each app's tests, one file per app (`tests/<app>/query_budgets.json`),
as NetBox keeps them: for each route, the most queries it may make, and which records grow from
2 to 50 while it is measured (for a list, its rows; for a detail page, the records shown on it).
The count must be the same with 2 as with 50: a page whose queries grow with the data is a
page that becomes slow as an organisation grows.

A new page without a budget fails `test_every_page_has_a_query_budget`. To record the counts
of new or changed pages, run with RECORD_QUERY_BUDGETS=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from safelane.core.models import TenantModel
from safelane.orgs.models import Organisation
from tests.test_tenancy import ORG_ROUTES, Route, build_url, make_object, route_id

TESTS = Path(__file__).resolve().parent
RECORD = os.environ.get("RECORD_QUERY_BUDGETS") == "1"
# Routes that answer a GET with a file, not a page (exports, downloads); they are measured by
# the benchmarks instead.
FILE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".json", "download/", "export.<str:fmt>")


def app_of(route: Route) -> str:
    """The app whose tests keep the route's budget (the audit trail's API: the audit app's)."""
    if route.name.startswith("api:"):
        app = route.access.model._meta.app_config.name.split(".")[1]  # type: ignore[union-attr]
        return "audit" if app == "core" else app
    return route.name.split(":")[0]


def budget_file(app: str) -> Path:
    return TESTS / app / "query_budgets.json"


def budgets(app: str) -> dict[str, Any]:
    path = budget_file(app)
    return json.loads(path.read_text()) if path.exists() else {}


def allowed_methods(view: Any) -> set[str] | None:
    """The methods a view's `require_http_methods` (or `require_POST`, `require_safe`) lets in,
    read from the decorator's closure; None when it declares none."""
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            value = cell.cell_contents
            if (
                isinstance(value, list)
                and value
                and all(m in {"GET", "HEAD", "POST"} for m in value)
            ):
                return set(value)
        view = getattr(view, "__wrapped__", None)
    return None


def is_page(route: Route) -> bool:
    """A page or an API list: it answers GET (POST-only doors do not) with HTML or JSON."""
    if route.route.endswith(FILE_SUFFIXES):
        return False
    if route.route.startswith("api/"):
        return "pk" not in route.params and route.access.model is not Organisation
    methods = allowed_methods(route.view)
    return methods is None or "GET" in methods


PAGES = [r for r in ORG_ROUTES if is_page(r)]


def parent_link(model: type[models.Model], parent: models.Model) -> str | None:
    """The field of `model` that points at `parent`, directly or through a generic reference."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is type(parent):
            return field.name
    return None


def grow(model: type[models.Model], org: Organisation, count: int, parent: Any) -> None:
    """`count` more records of `model` in `org` (linked to `parent` when they can be); a random
    value that clashes with a unique rule is drawn again."""
    link = parent_link(model, parent) if parent is not None else None
    made = 0
    for _attempt in range(count * 3):
        try:
            with transaction.atomic():
                _make(model, org, link, parent)
        except IntegrityError:
            continue
        made += 1
        if made == count:
            return
    raise AssertionError(f"could not make {count} {model.__name__} records")


def _make(model: type[models.Model], org: Organisation, link: str | None, parent: Any) -> None:
    """A record with its optional links to people filled too (an owner, an author), so that a
    page which reads one of them row by row shows it in its query count. Links to other
    organisation records stay in `org`; optional ones and generic references are left empty
    (model_bakery would invent them in another organisation), and so are optional dates
    (an archived or closed record would not be listed at all)."""
    values: dict[str, Any] = {link: parent} if link else {}
    people = []
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.name in {"organisation", *values}:
            continue
        if issubclass(f.related_model, TenantModel):
            values[f.name] = None if f.null else make_object(f.related_model, org)
        elif f.related_model is ContentType:
            values[f.name] = None if f.null else ContentType.objects.get_for_model(Organisation)
        elif f.null:
            people.append(f.name)
    baker.make(model, organisation=org, _fill_optional=people, **values)


def measure(client: Any, url: str) -> int:
    client.get(url)  # warm caches (content types, the catalog) as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code < 400, f"{url}: {response.status_code}"
    return len(queries)


def test_every_page_has_a_query_budget():
    missing = [
        f"{route_id(r)} (tests/{app_of(r)}/query_budgets.json)"
        for r in PAGES
        if route_id(r) not in budgets(app_of(r))
    ]
    assert RECORD or not missing, "give these pages a query budget:\n" + "\n".join(missing)


@pytest.mark.parametrize("route", PAGES, ids=route_id)
def test_the_page_holds_its_budget_with_2_rows_and_with_50(route, cast, as_user):
    app = app_of(route)
    entry = budgets(app).get(route_id(route), {"queries": 0, "rows": []})
    obj = make_object(route.access.model, cast.acme) if route.access.model else None
    parent = obj if "pk" in route.params else None
    rows = [apps.get_model(label) for label in entry.get("rows", [])]
    client = as_user(cast.owner)
    url = build_url(route, cast.acme, obj)
    for model in rows:
        grow(model, cast.acme, 2, parent)
    few = measure(client, url)
    for model in rows:
        grow(model, cast.acme, 48, parent)
    many = measure(client, url)
    if RECORD:
        recorded = budgets(app)
        recorded[route_id(route)] = {"queries": max(few, many), "rows": entry.get("rows", [])}
        budget_file(app).write_text(json.dumps(dict(sorted(recorded.items())), indent=2) + "\n")
        return
    assert few == many, f"{url}: {few} queries with 2 rows, {many} with 50"
    assert many <= entry["queries"], f"{url}: {many} queries, budget {entry['queries']}"

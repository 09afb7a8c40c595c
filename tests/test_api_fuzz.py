"""Schemathesis sends generated requests, valid and malformed, to every API operation in the
OpenAPI schema. The API must never answer with a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from safelane.accounts.tokens import create_token
from safelane.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def keep_test_connection():
    """Calls go through the WSGI app, not Django's test client, so keep the request signals
    from closing the connection that holds the test's transaction, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def owner_token(cast):
    _, raw = create_token(user=cast.owner, name="fuzz")
    return raw


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_without_a_server_error(
    case, cast, owner_token, keep_test_connection
):
    if "org_slug" in (case.path_parameters or {}):
        # Aim most requests at a real organisation so they get past the 404 at the door.
        case.path_parameters["org_slug"] = cast.acme.slug
    case.call_and_validate(
        headers={"Authorization": f"Bearer {owner_token}"}, checks=[not_a_server_error]
    )

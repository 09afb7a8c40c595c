"""Double submits and simultaneous first writes, made truly at once by threads on PostgreSQL:
each check-then-create holds a lock, so they make one record and no server error.

SQLite runs one writer at a time anyway (its transactions take the write lock when they begin),
so these run on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from safelane.actions.models import Action
from safelane.orgs import services as org_services
from safelane.orgs.models import Invitation, Role
from safelane.risk import services as risk
from safelane.risk.models import ThreatRating, Vulnerability
from tests.risk.builders import mapped, scored

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers by itself"
    ),
]


def at_once(count: int, work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run `work` in `count` threads released together; their results and errors."""
    start = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_four_clicks_on_create_action_make_one_action(cast):
    _a, nodes = scored(cast)
    rating = Vulnerability.objects.for_org(cast.acme).get(node=nodes["mx"], category=6)
    results, errors = at_once(
        4, lambda: risk.action_from_risk(org=cast.acme, actor=cast.owner, rating=rating)
    )
    assert errors == []
    assert sorted(created for _action, created in results) == [False, False, False, True]
    assert Action.objects.for_org(cast.acme).count() == 1


def test_simultaneous_first_ratings_of_one_cell_make_one_rating(cast):
    a, _nodes = mapped(cast)

    def rate() -> None:
        risk.save_threat_grid(
            org=cast.acme,
            actor=cast.owner,
            assessment=a,
            countries={("MX", "contraband"): risk.Rated(3, 0)},
            sources={},
            legs={},
        )

    _results, errors = at_once(4, rate)
    assert errors == []
    assert ThreatRating.objects.for_org(cast.acme).filter(country="MX").count() == 1


def test_two_owners_inviting_one_address_at_once_send_one_invitation(cast):
    from safelane.core.errors import DomainError

    _results, errors = at_once(
        3,
        lambda: org_services.invite(
            org=cast.acme, actor=cast.owner, email="nina@acme.test", role=Role.VIEWER
        ),
    )
    assert all(isinstance(e, DomainError) for e in errors)
    assert len(errors) == 2
    assert Invitation.objects.for_org(cast.acme).filter(email="nina@acme.test").count() == 1

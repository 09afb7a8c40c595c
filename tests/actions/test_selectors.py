"""Reads of the action plan: the budget and the record of benefits."""

import datetime
from decimal import Decimal

from safelane.actions import selectors, services
from safelane.actions.models import ActionStatus
from tests.factories import action


def costed(cast):
    open_action = action(cast, title="Cameras at dock 3")
    done_action = action(cast, title="Seal procedure")
    for act, category, kind, amount, date in [
        (open_action, "technology", "estimate", "12000", datetime.date(2026, 1, 15)),
        (open_action, "consulting", "estimate", "3000", datetime.date(2026, 2, 1)),
        (open_action, "ongoing", "estimate", "1800", datetime.date(2026, 4, 1)),
        (done_action, "labour", "estimate", "800", datetime.date(2026, 4, 10)),
        (done_action, "labour", "actual", "950", datetime.date(2026, 4, 20)),
    ]:
        services.add_cost(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            values={"category": category, "kind": kind, "amount": Decimal(amount), "date": date},
        )
    services.set_status(
        org=cast.acme,
        actor=cast.owner,
        action=done_action,
        status=ActionStatus.DONE,
        expected_version=None,
    )


def test_the_budget_adds_up(cast):
    costed(cast)
    budget = selectors.budget(cast.acme)
    assert budget.first_year == Decimal("17600")
    assert budget.yearly == Decimal("1800")
    assert budget.committed == Decimal("16800")
    assert budget.spent == Decimal("950")
    assert budget.by_quarter == [
        ("2026 Q1", Decimal("15000"), Decimal(0)),
        ("2026 Q2", Decimal("2600"), Decimal("950")),
    ]


def test_the_budget_of_another_organisation_is_its_own(cast):
    costed(cast)
    assert selectors.budget(cast.norte).spent == 0

"""Step 4's way out: an action from a risk, made once however often the button is pressed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safelane.actions import selectors as action_selectors
from safelane.actions import services as action_services
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.risk import selectors
from safelane.risk.models import Vulnerability
from safelane.risk.services.documenting import locked

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.actions.models import Action
    from safelane.orgs.models import Organisation


def action_from_risk(
    *, org: Organisation, actor: User, rating: Vulnerability
) -> tuple[Action, bool]:
    """The action that treats the risk a vulnerability rating scores: a new one, or (False) the
    one already planned. The check and the creation hold the assessment's lock, so a double
    submit finds the first one's action instead of making a second."""
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        stored = (
            Vulnerability.objects.for_org(org)
            .select_related("node", "assessment")
            .get(pk=rating.pk)
        )
        assessment = locked(org, stored.assessment)
        ratings = Vulnerability.objects.for_org(org).filter(pk=stored.pk)
        planned = action_selectors.planned_for(org, ratings).get(stored.pk)
        if planned is not None:
            return planned, False
        category = selectors.category_names().get(stored.category, str(stored.category))
        action = action_services.create_action(
            org=org,
            actor=actor,
            values={
                "title": _("Reduce the %(category)s risk at %(node)s")
                % {"category": category, "node": stored.node.name},
                "description": _("From the risk assessment %(title)s.")
                % {"title": assessment.title},
                "source": "risk",
                "origin": stored,
                "priority": "high",
                "kind": "procedure",
            },
        )
    return action, True

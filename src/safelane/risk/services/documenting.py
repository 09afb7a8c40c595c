"""Step 5 and the state of an assessment: documenting it, flagging a documented one for review
when its map changes, and the lock that makes changes to one assessment one at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from safelane.core.records import update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.risk.models import RiskAssessment

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def locked(org: Organisation, assessment: RiskAssessment) -> RiskAssessment:
    """The assessment as stored, locked until the transaction ends: two people's changes to one
    assessment (a double click included) then happen one after the other, so a check made
    before a write (is it rated yet? is there an action already?) still holds when it is made."""
    return RiskAssessment.objects.for_org(org).select_for_update().get(pk=assessment.pk)


def flag_change(org: Organisation, actor: User, assessment: RiskAssessment, what: str) -> None:
    """On a documented assessment, note what changed on its map (it needs a review)."""
    from safelane.risk.tasks import send_review_notice

    assessment = RiskAssessment.objects.for_org(org).get(pk=assessment.pk)
    if assessment.finalised_at is not None:
        first_change = not assessment.needs_review
        reason = (assessment.needs_review + "\n" if assessment.needs_review else "") + what
        update_record(
            org=org,
            actor=actor,
            obj=assessment,
            expected_version=None,
            values={"needs_review": reason},
        )
        if first_change:
            # One notice per documented assessment; later changes add to the same list.
            transaction.on_commit(lambda: send_review_notice.enqueue(org.pk, assessment.pk))


def finalise(
    *,
    org: Organisation,
    actor: User,
    assessment: RiskAssessment,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> RiskAssessment:
    """Mark the assessment documented, as its author saw it (`expected_version`)."""
    require_role(org, actor, Role.CONTRIBUTOR)
    return update_record(
        org=org,
        actor=actor,
        obj=assessment,
        expected_version=expected_version,
        values={**values, "finalised_at": timezone.now(), "needs_review": ""},
    )

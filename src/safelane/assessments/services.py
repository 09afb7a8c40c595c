"""Starting assessment cycles and answering, reviewing and commenting on responses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.assessments.models import AssessmentCycle, Comment, CycleKind, Response, Status
from safelane.catalog import selectors as catalog
from safelane.core import audit
from safelane.core.errors import DomainError
from safelane.core.models import AuditAction
from safelane.core.records import create_record, update_record

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

OWN_POSITION = 900_000  # own criteria come after the MSC


STARTER_MARK = "["


def starter_text(*, org_name: str, ident: str, requirement: str) -> str:
    """A prompt the user must rewrite; a narrative left equal to it is flagged."""
    return _(
        "[Rewrite in your own words] How %(org)s meets %(id)s at its own sites: who does it, "
        "where, how often, and which records show it. Requirement: %(req)s"
    ) % {"org": org_name, "id": ident, "req": requirement}


def start_cycle(
    *,
    org: Organisation,
    actor: User,
    kind: str,
    title: str,
    from_cycle: AssessmentCycle | None = None,
    due_date: Any = None,
) -> AssessmentCycle:
    """Create a cycle with one response for every criterion in scope (and every own criterion),
    carrying answers over from `from_cycle` where the criterion is the same."""
    version = catalog.current_version()
    if version is None:
        raise DomainError(_("No criteria catalog is loaded."))
    if kind not in CycleKind.values:
        raise DomainError(_("Choose a kind of assessment."), field="kind")
    in_scope = catalog.applicable_criteria(org, version)
    own = list(catalog.own_criteria(org))
    if not in_scope and not own:
        raise DomainError(
            _("No criteria apply yet: choose your entity types on the Eligibility page first.")
        )
    # What carries over, read as plain values (no model per answer).
    previous: dict[str, tuple[str, str, str, int | None]] = {}
    if from_cycle is not None:
        previous = {
            ident: (status, narrative, justification, owner_id)
            for ident, status, narrative, justification, owner_id in Response.objects.for_org(org)
            .filter(cycle=from_cycle)
            .values_list("criterion_ident", "status", "narrative", "justification", "owner_id")
        }
    with transaction.atomic():
        cycle = AssessmentCycle(
            organisation=org,
            kind=kind,
            title=title,
            catalog_version=version,
            started_from=from_cycle,
            due_date=due_date,
        )
        cycle.save()
        rows = [
            (c.ident, None, c.position, c.category_number, c.must_should, c.requirement)
            for c in in_scope
        ] + [
            (f"own:{c.code}", c, OWN_POSITION + i, c.category, c.must_should, c.requirement)
            for i, c in enumerate(own)
        ]
        responses = []
        fresh = (Status.NOT_STARTED, "", "", None)
        for ident, own_criterion, position, category, must_should, requirement in rows:
            status, narrative, justification, owner_id = previous.get(ident, fresh)
            responses.append(
                Response(
                    organisation=org,
                    cycle=cycle,
                    criterion_ident=ident,
                    own_criterion=own_criterion,
                    position=position,
                    category=category,
                    must_should=must_should,
                    requirement=requirement,
                    status=status,
                    narrative=narrative,
                    justification=justification,
                    owner_id=owner_id,
                )
            )
        Response.objects.bulk_create(responses)
        # One entry for the whole set: the responses' later edits are audited one by one.
        audit.record(
            org=org,
            actor=actor,
            action=AuditAction.CREATE,
            obj=cycle,
            changes={
                "responses": [None, len(responses)],
                "started_from": [None, str(from_cycle or "")],
            },
        )
    return cycle


def update_response(
    *,
    org: Organisation,
    actor: User,
    response: Response,
    expected_version: int | None,
    values: dict[str, Any],
) -> Response:
    status = values.get("status", response.status)
    justification = values.get("justification", response.justification)
    if status == Status.NOT_APPLICABLE and not (justification or "").strip():
        raise DomainError(
            _("Explain why this criterion does not apply: a validator will ask."),
            field="justification",
        )
    if response.cycle.closed_at is not None:
        raise DomainError(_("This assessment is closed; start a new one to change answers."))
    # Compare with the stored row: a bound form has already copied its values onto `response`.
    stored = Response.objects.for_org(org).get(pk=response.pk)
    changed = {k: v for k, v in values.items() if getattr(stored, k) != v}
    if changed and stored.reviewed_at is not None:
        # A change after sign-off needs a new review.
        changed.update({"reviewed_by": None, "reviewed_at": None})
    return update_record(
        org=org, actor=actor, obj=response, expected_version=expected_version, values=changed
    )


def sign_off(*, org: Organisation, actor: User, response: Response) -> Response:
    if response.status == Status.NOT_STARTED:
        raise DomainError(_("Answer the criterion before signing it off."))
    return update_record(
        org=org,
        actor=actor,
        obj=response,
        expected_version=None,
        values={"reviewed_by": actor, "reviewed_at": timezone.now()},
    )


def add_comment(*, org: Organisation, actor: User, response: Response, text: str) -> Comment:
    if not text.strip():
        raise DomainError(_("Write the comment first."), field="text")
    return create_record(
        org=org,
        actor=actor,
        obj=Comment(organisation=org, response=response, author=actor, text=text.strip()),
    )


def close_cycle(*, org: Organisation, actor: User, cycle: AssessmentCycle) -> AssessmentCycle:
    return update_record(
        org=org, actor=actor, obj=cycle, expected_version=None, values={"closed_at": timezone.now()}
    )

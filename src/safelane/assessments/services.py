"""Starting assessment cycles and answering, reviewing and commenting on responses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.assessments import cover, narratives
from safelane.assessments.cover import CompanyFacts as CompanyFacts
from safelane.assessments.cover import FactSection as FactSection
from safelane.assessments.cover import Officer as Officer
from safelane.assessments.models import AssessmentCycle, Comment, CycleKind, Response, Status
from safelane.assessments.narratives import starter_text as starter_text
from safelane.catalog import selectors as catalog
from safelane.core import audit
from safelane.core.errors import DomainError
from safelane.core.models import AuditAction
from safelane.core.records import create_record, lock, update_record
from safelane.evidence import services as evidence_services
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

OWN_POSITION = 900_000  # own criteria come after the MSC


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
    require_role(org, actor, Role.MANAGER, _("Only managers and owners start an assessment."))
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
    previous_pk: dict[str, int] = {}
    if from_cycle is not None:
        for pk, ident, *values in (
            Response.objects.for_org(org)
            .filter(cycle=from_cycle)
            .values_list(
                "pk", "criterion_ident", "status", "narrative", "justification", "owner_id"
            )
        ):
            previous[ident] = tuple(values)
            previous_pk[ident] = pk
    with transaction.atomic():
        # One assessment is open at a time, so that everyone (and the dashboard) works in the
        # same one; the check holds under the organisation's lock against a double start.
        lock(org)
        still_open = AssessmentCycle.objects.for_org(org).filter(closed_at__isnull=True).first()
        if still_open is not None:
            raise DomainError(
                _(
                    "%(title)s is still open: close it first (its answers are kept as they "
                    "are), then start the next one from it. One assessment is open at a time."
                )
                % {"title": still_open.title}
            )
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
        changes: dict[str, Any] = {
            "responses": [None, len(responses)],
            "started_from": [None, str(from_cycle or "")],
        }
        if from_cycle is not None:
            carried = _carry_evidence(org, from_cycle, cycle, previous_pk)
            changes["evidence_links"] = [None, carried.links]
            changes["evidence_to_confirm"] = [None, carried.to_confirm]
            if carried.archived:
                changes["archived_evidence_left_behind"] = [None, carried.archived]
        # One entry for the whole set: the responses' later edits are audited one by one.
        audit.record(org=org, actor=actor, action=AuditAction.CREATE, obj=cycle, changes=changes)
    return cycle


def _carry_evidence(
    org: Organisation,
    from_cycle: AssessmentCycle,
    cycle: AssessmentCycle,
    previous_pk: dict[str, int],
) -> evidence_services.Carried:
    """Each carried answer keeps last year's documents (as they are now)."""
    new_for = {
        previous_pk[r.criterion_ident]: r
        for r in Response.objects.for_org(org).filter(cycle=cycle)
        if r.criterion_ident in previous_pk
    }
    return evidence_services.carry_links(
        org=org, old=Response.objects.for_org(org).filter(cycle=from_cycle), new_for=new_for
    )


CLOSED = gettext_lazy("This assessment is closed; start a new one to change answers.")


def register_company_facts(provider: cover.Provider) -> None:
    """Say how the security profile reads the company's application data (from `ready()`)."""
    cover.register(provider)


def ensure_open(cycle: AssessmentCycle) -> None:
    """The one rule that a closed assessment keeps its answers as they were signed."""
    if cycle.closed_at is not None:
        raise DomainError(CLOSED)


def _stored_response(org: Organisation, response: Response) -> Response:
    """The answer as stored now, locked for this change, with its cycle."""
    return (
        Response.objects.for_org(org)
        .select_related("cycle")
        .select_for_update(of=("self",))
        .get(pk=response.pk)
    )


def update_response(
    *,
    org: Organisation,
    actor: User,
    response: Response,
    expected_version: int | None,
    values: dict[str, Any],
) -> Response:
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        # Compare with the stored row: a bound form has already copied its values onto `response`.
        stored = _stored_response(org, response)
        ensure_open(stored.cycle)
        status = values.get("status", stored.status)
        justification = values.get("justification", stored.justification)
        if status == Status.NOT_APPLICABLE and not (justification or "").strip():
            raise DomainError(
                _("Explain why this criterion does not apply: a validator will ask."),
                field="justification",
            )
        if status == Status.MET:
            ensure_countable(org, stored, values.get("narrative", stored.narrative))
        changed = {k: v for k, v in values.items() if getattr(stored, k) != v}
        if changed and stored.reviewed_at is not None:
            # A change after sign-off needs a new review.
            changed.update({"reviewed_by": None, "reviewed_at": None})
        return update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=changed
        )


def draft_narrative(*, title: str, where: str, quote: str) -> str:
    """A narrative drafted from a passage of the company's own document (see narratives)."""
    return narratives.draft_text(title=title, where=where, quote=quote)


def is_draft(text: str) -> bool:
    """Whether a narrative is still a draft quoted from a document, not yet rewritten."""
    return narratives.is_draft(text)


def ensure_countable(org: Organisation, response: Response, narrative: str) -> None:
    """An answer is Met only in the company's own words: not the starter, not one line, not a
    copy of another answer of the same assessment (a validator rejects each)."""
    text = narratives.normalised(narrative)
    others = [
        narratives.Answer(pk, ident, status, other)
        for pk, ident, status, other in Response.objects.for_org(org)
        .filter(cycle_id=response.cycle_id)
        .exclude(pk=response.pk)
        .exclude(narrative="")
        .values_list("pk", "criterion_ident", "status", "narrative")
        if text and narratives.normalised(other) == text
    ]
    this = narratives.Answer(response.pk, response.criterion_ident, Status.MET, narrative)
    problems = narratives.problems_of([this, *others]).get(response.pk)
    if problems:
        raise DomainError(
            _("It cannot be Met yet: %(why)s") % {"why": " ".join(str(p) for p in problems)},
            field="narrative",
        )


def sign_off(
    *, org: Organisation, actor: User, response: Response, expected_version: int | None
) -> Response:
    """A manager's sign-off of the answer as they read it (`expected_version`): a change made
    since then is refused as a conflict, never signed unseen. Scripts may pass None."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners sign off answers."))
    with transaction.atomic():
        stored = _stored_response(org, response)
        ensure_open(stored.cycle)
        if stored.status == Status.NOT_STARTED:
            raise DomainError(_("Answer the criterion before signing it off."))
        if stored.reviewed_at is not None:
            # A change to the answer clears the sign-off; until then there is nothing new to sign.
            raise DomainError(_("This answer is signed off already."))
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"reviewed_by": actor, "reviewed_at": timezone.now()},
        )


def add_comment(*, org: Organisation, actor: User, response: Response, text: str) -> Comment:
    require_role(org, actor, Role.CONTRIBUTOR)
    if not text.strip():
        raise DomainError(_("Write the comment first."), field="text")
    with transaction.atomic():
        stored = _stored_response(org, response)
        ensure_open(stored.cycle)
        return create_record(
            org=org,
            actor=actor,
            obj=Comment(organisation=org, response=stored, author=actor, text=text.strip()),
        )


def check_evidence_change(*, org: Organisation, actor: User, subject: Response) -> None:
    """Evidence is attached to or detached from an answer by a contributor, while its
    assessment is open (the evidence app asks this before it links)."""
    require_role(org, actor, Role.CONTRIBUTOR)
    cycle = AssessmentCycle.objects.for_org(org).get(pk=subject.cycle_id)
    ensure_open(cycle)


def close_cycle(
    *,
    org: Organisation,
    actor: User,
    cycle: AssessmentCycle,
    expected_version: int | None = None,
) -> AssessmentCycle:
    """Close an assessment: its answers stay as they are. Closing it again changes nothing."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners close an assessment."))
    with transaction.atomic():
        stored = AssessmentCycle.objects.for_org(org).select_for_update().get(pk=cycle.pk)
        if stored.closed_at is not None:
            raise DomainError(_("%(title)s is already closed.") % {"title": stored.title})
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"closed_at": timezone.now()},
        )

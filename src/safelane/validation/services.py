"""Writes to validations: a mock validation's plan drawn from the self-assessment, the CBP
validation as notified, the checklist's results, findings and the response to each. Every rule
is here, whichever door a change comes by."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.core.errors import DomainError
from safelane.core.records import check_values, create_record, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.validation import selectors
from safelane.validation.models import (
    Finding,
    FindingKind,
    FindingStatus,
    Kind,
    PlanItem,
    Reason,
    Result,
    Validation,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

PLAN_ROLE = gettext_lazy("Only managers and owners plan and record validations.")
CHECK_ROLE = gettext_lazy("Viewers read the checklist; contributors and above work through it.")
DETAIL_FIELDS = ("title", "visit_on", "sites", "notice_received_on", "specialist")
FINDING_FIELDS = ("criterion_ident", "kind", "text", "response_due")


def plan_mock_validation(
    *,
    org: Organisation,
    actor: User | None,
    values: dict[str, Any],
    share: int = 25,
    seed: int | None = None,
) -> Validation:
    """A mock validation of the current self-assessment: every Must with a gap, and `share` per
    cent of the other criteria in scope drawn at random, the riskier categories more often (the
    newest risk assessment's highest score in the category). The seed is kept, so the draw can
    be explained and repeated."""
    require_role(org, actor, Role.MANAGER, PLAN_ROLE)
    if not 0 <= share <= 100:
        raise DomainError(_("Choose a share between 0 and 100 per cent."), field="share")
    cycle = selectors.current_cycle(org)
    if cycle is None:
        raise DomainError(_("Start a self-assessment first: the plan is drawn from its criteria."))
    seed = random.SystemRandom().randrange(1, 2**31) if seed is None else seed
    chosen = draw(selectors.scope(org, cycle), selectors.category_risk(org), share, seed)
    validation = Validation(
        organisation=org,
        kind=Kind.MOCK,
        cycle=cycle,
        seed=seed,
        share=share,
        **{k: values.get(k) or "" for k in ("title", "sites", "specialist")},
        visit_on=values.get("visit_on"),
    )
    with transaction.atomic():
        create_record(
            org=org,
            actor=actor,
            obj=validation,
            also={"plan": [item.criterion_ident for item, _reason in chosen]},
        )
        documents = selectors.documents_for(cycle, [r.criterion_ident for r, _why in chosen])
        PlanItem.objects.bulk_create(
            PlanItem(
                organisation=org,
                validation=validation,
                criterion_ident=r.criterion_ident,
                category=r.category,
                position=r.position,
                must_should=r.must_should,
                requirement=r.requirement,
                documents=documents.get(r.criterion_ident, ([], []))[0],
                documents_es=documents.get(r.criterion_ident, ([], []))[1],
                reason=reason,
            )
            for r, reason in chosen
        )
    return validation


def draw(
    scope: list[selectors.InScope], risk: dict[int, int], share: int, seed: int
) -> list[tuple[selectors.InScope, str]]:
    """Every Must with a gap, then `share` per cent of the rest, weighted by 1 + the category's
    risk score (weighted sampling without replacement: each draws u ** (1 / weight), the
    highest keys win), in the catalog's order."""
    musts = [r for r in scope if r.must_should == "must" and r.gap]
    rest = [r for r in scope if not (r.must_should == "must" and r.gap)]
    wanted = round(len(rest) * share / 100)
    rng = random.Random(seed)  # noqa: S311 - a repeatable draw, not a secret
    keyed = sorted(
        rest,
        key=lambda r: rng.random() ** (1 / (1 + risk.get(r.category or 0, 0))),
        reverse=True,
    )
    chosen = [(r, Reason.MUST_GAP.value) for r in musts]
    chosen += [(r, Reason.SAMPLED.value) for r in keyed[:wanted]]
    return sorted(chosen, key=lambda pair: pair[0].position)


def record_cbp_validation(
    *, org: Organisation, actor: User | None, values: dict[str, Any]
) -> Validation:
    """CBP's validation as its notice gave it: when the notice came, the date, the sites and
    the specialist."""
    require_role(org, actor, Role.MANAGER, PLAN_ROLE)
    _check_dates(values)
    return create_record(
        org=org,
        actor=actor,
        obj=Validation(
            organisation=org,
            kind=Kind.CBP,
            cycle=selectors.current_cycle(org),
            **_details(values),
        ),
    )


def update_validation(
    *,
    org: Organisation,
    actor: User | None,
    validation: Validation,
    values: dict[str, Any],
    expected_version: int | None,
) -> Validation:
    require_role(org, actor, Role.MANAGER, PLAN_ROLE)
    _check_dates(values)
    return update_record(
        org=org,
        actor=actor,
        obj=validation,
        expected_version=expected_version,
        values=_details(values),
    )


def _details(values: dict[str, Any]) -> dict[str, Any]:
    found = {k: values[k] for k in DETAIL_FIELDS if k in values}
    for text in ("title", "sites", "specialist"):
        if text in found:
            found[text] = (found[text] or "").strip()
    if "title" in found and not found["title"]:
        raise DomainError(_("Give the validation a title."), field="title")
    return found


def _check_dates(values: dict[str, Any]) -> None:
    notice, visit = values.get("notice_received_on"), values.get("visit_on")
    if notice and visit and notice > visit:
        raise DomainError(
            _("The notice comes before the visit: check the dates."), field="notice_received_on"
        )


def check_item(
    *, org: Organisation, actor: User | None, item: PlanItem, result: str, note: str
) -> PlanItem:
    """One line of the checklist worked through: seen and in order, or a finding (which is then
    recorded as a finding of the validation, with the note as its text)."""
    require_role(org, actor, Role.CONTRIBUTOR, CHECK_ROLE)
    if result not in {Result.OK, Result.FINDING}:
        raise DomainError(_("Choose in order or finding."), field="result")
    note = (note or "").strip()
    if result == Result.FINDING and not note:
        raise DomainError(_("Say what was found: it becomes the finding's text."), field="note")
    with transaction.atomic():
        if result == Result.FINDING and item.result != Result.FINDING:
            add_finding(
                org=org,
                actor=actor,
                validation=item.validation,
                values={"criterion_ident": item.criterion_ident, "text": note},
                role=Role.CONTRIBUTOR,
            )
        return update_record(
            org=org,
            actor=actor,
            obj=item,
            expected_version=item.version,
            values={"result": result, "note": note},
        )


def add_finding(
    *,
    org: Organisation,
    actor: User | None,
    validation: Validation,
    values: dict[str, Any],
    role: Role = Role.MANAGER,
) -> Finding:
    require_role(org, actor, role, PLAN_ROLE if role == Role.MANAGER else CHECK_ROLE)
    found = {k: values[k] for k in FINDING_FIELDS if k in values}
    found["criterion_ident"] = str(found.get("criterion_ident") or "").strip()
    found["text"] = str(found.get("text") or "").strip()
    found.setdefault("kind", FindingKind.REQUIRED)
    if not found["criterion_ident"]:
        raise DomainError(_("Name the criterion the finding is about."), field="criterion_ident")
    if not found["text"]:
        raise DomainError(_("Say what the finding is."), field="text")
    finding = Finding(organisation=org, validation=validation, **found)
    check_values(finding)
    return create_record(org=org, actor=actor, obj=finding)


def respond(
    *,
    org: Organisation,
    actor: User | None,
    finding: Finding,
    response: str,
    expected_version: int | None,
) -> Finding:
    """Our response to a finding (evidence is linked to the finding beside it)."""
    require_role(org, actor, Role.MANAGER, PLAN_ROLE)
    text = (response or "").strip()
    if not text:
        raise DomainError(_("Write the response."), field="response")
    return update_record(
        org=org,
        actor=actor,
        obj=finding,
        expected_version=expected_version,
        values={
            "response": text,
            "responded_at": timezone.now(),
            "status": FindingStatus.RESPONDED
            if finding.status == FindingStatus.OPEN
            else finding.status,
        },
    )


def set_finding_status(
    *,
    org: Organisation,
    actor: User | None,
    finding: Finding,
    status: str,
    expected_version: int | None,
) -> Finding:
    require_role(org, actor, Role.MANAGER, PLAN_ROLE)
    if status not in FindingStatus.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    return update_record(
        org=org,
        actor=actor,
        obj=finding,
        expected_version=expected_version,
        values={"status": status},
    )

"""A consultant's templates carried from one client to another: own criteria, security
questionnaire templates and training courses. Each is written through its own app's service in
the client it goes to (role checked, audited there); what that client already has under the same
code, name or short name is left as it is. All of it or none: one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safelane.catalog import selectors as catalog_selectors
from safelane.catalog import services as catalog_services
from safelane.core.errors import DomainError
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.questionnaires import selectors as questionnaire_selectors
from safelane.questionnaires import services as questionnaire_services
from safelane.training import selectors as training_selectors
from safelane.training import services as training_services

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


@dataclass
class Outcome:
    label: str | Promise
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the target had one of that name already
    refused: list[str] = field(default_factory=list)  # with the reason


def _own_criteria(source: Organisation, target: Organisation, actor: User, found: Outcome) -> None:
    have = {c.code.casefold() for c in catalog_selectors.own_criteria(target)}
    for own in catalog_selectors.own_criteria(source).order_by("code"):
        if own.code.casefold() in have:
            found.kept.append(own.code)
            continue
        catalog_services.save_own_criterion(
            org=target,
            actor=actor,
            values={
                "code": own.code,
                "category": own.category,
                "must_should": own.must_should,
                "requirement": own.requirement,
                "guidance": own.guidance,
            },
        )
        found.added.append(own.code)


def _questionnaires(
    source: Organisation, target: Organisation, actor: User, found: Outcome
) -> None:
    for template in questionnaire_selectors.templates(source).order_by("name"):
        made = questionnaire_services.copy_template_to(
            target=target, actor=actor, source=source, template=template
        )
        (found.added if made else found.kept).append(template.name)


def _courses(source: Organisation, target: Organisation, actor: User, found: Outcome) -> None:
    have = {c.key for c in training_selectors.all_courses(target)}
    for course in training_selectors.courses(source):
        if course.key in have:
            found.kept.append(course.title)
            continue
        values: dict[str, Any] = {
            name: getattr(course, name) for name in training_services.COURSE_FIELDS
        }
        try:
            with transaction.atomic():
                training_services.create_course(
                    org=target, actor=actor, values={"key": course.key, **values}
                )
        except DomainError as error:  # a criterion the other client does not have
            found.refused.append(f"{course.title}: {error.message}")
            continue
        found.added.append(course.title)


# In this order: own criteria first, so that the courses that name them find them.
KINDS: dict[str, tuple[str | Promise, Callable[[Any, Any, Any, Outcome], None]]] = {
    "own-criteria": (_("Own criteria"), _own_criteria),
    "questionnaires": (_("Security questionnaire templates"), _questionnaires),
    "courses": (_("Training courses"), _courses),
}


def copy_templates(
    *, source: Organisation, target: Organisation, actor: User, kinds: list[str]
) -> list[Outcome]:
    if source.pk == target.pk:
        raise DomainError(_("Choose two different organisations."), field="target")
    require_role(source, actor, Role.VIEWER)
    require_role(
        target, actor, Role.MANAGER, _("Only managers and owners of a client bring templates in.")
    )
    outcomes = []
    with transaction.atomic():
        for key, (label, copy) in KINDS.items():
            if key in kinds:
                outcomes.append(Outcome(label))
                copy(source, target, actor, outcomes[-1])
    return outcomes

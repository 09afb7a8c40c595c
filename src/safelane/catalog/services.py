"""Changes an organisation makes to its view of the catalog, and catalog imports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safelane.catalog.entity_types import entity_type
from safelane.catalog.models import CriterionDecision, OrgEntityType, OwnCriterion
from safelane.catalog.selectors import criterion_references, current_version
from safelane.core.errors import DomainError
from safelane.core.records import CONTROL_CHARACTERS, create_record, delete_record, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def check_criteria(
    *, org: Organisation, idents: Iterable[str], kept: Iterable[str] = ()
) -> list[str]:
    """The criteria a record (an action, a piece of evidence) refers to, as its records keep
    them, once each: every one must be a criterion of the organisation's catalogue (see
    `selectors.criterion_references`). `kept` are those the record holds already, accepted even
    if a newer catalog has dropped them. Raises DomainError (field "criteria") naming the others.
    """
    wanted = list(dict.fromkeys(str(ident).strip() for ident in idents if str(ident).strip()))
    if any(CONTROL_CHARACTERS.search(ident) for ident in wanted):
        raise DomainError(
            _("The criteria hold a control character; remove it and try again."), field="criteria"
        )
    found = {ident: ident for ident in kept} | criterion_references(org, wanted)
    unknown = [ident for ident in wanted if ident not in found]
    if unknown:
        raise DomainError(
            ngettext(
                "%(ids)s is not a criterion of your catalogue: use an ID the security criteria "
                "list, such as 4.8, or the code of one of your own criteria.",
                "%(ids)s are not criteria of your catalogue: use IDs the security criteria "
                "list, such as 4.8, or the codes of your own criteria.",
                len(unknown),
            )
            % {"ids": ", ".join(unknown)},
            field="criteria",
        )
    return list(dict.fromkeys(found[ident] for ident in wanted))


def held_entity_types(*, org: Organisation) -> dict[str, str]:
    return {e.entity_type: e.subtype for e in OrgEntityType.objects.for_org(org)}


def set_entity_types(*, org: Organisation, actor: User, chosen: dict[str, str]) -> None:
    """Make the organisation hold exactly the entity types in `chosen` (code -> sub-type)."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners choose entity types."))
    for code, subtype in chosen.items():
        kind = entity_type(code)
        if kind is None:
            raise DomainError(_("%(code)s is not a CTPAT entity type.") % {"code": code})
        if subtype and kind.subtype(subtype) is None:
            raise DomainError(
                _("%(sub)s is not a sub-type of %(type)s.") % {"sub": subtype, "type": kind.label}
            )
        if kind.subtypes and not subtype:
            raise DomainError(_("Choose the kind of %(type)s.") % {"type": kind.label})
    with transaction.atomic():
        held = {e.entity_type: e for e in OrgEntityType.objects.for_org(org).select_for_update()}
        for code, row in held.items():
            if code not in chosen:
                delete_record(org=org, actor=actor, obj=row)
        for code, subtype in chosen.items():
            if code in held:
                update_record(
                    org=org,
                    actor=actor,
                    obj=held[code],
                    expected_version=None,
                    values={"subtype": subtype},
                )
            else:
                create_record(
                    org=org,
                    actor=actor,
                    obj=OrgEntityType(organisation=org, entity_type=code, subtype=subtype),
                )


def decide(
    *, org: Organisation, actor: User, ident: str, decision: str | None, justification: str = ""
) -> CriterionDecision | None:
    """Record that a criterion does or does not apply to the organisation, or clear the call."""
    require_role(
        org, actor, Role.MANAGER, _("Only managers and owners decide whether a criterion applies.")
    )
    version = current_version()
    if version is None or not version.criteria.filter(ident=ident).exists():
        raise DomainError(_("There is no criterion %(id)s in the catalog.") % {"id": ident})
    existing = CriterionDecision.objects.for_org(org).filter(ident=ident).first()
    if decision is None:
        if existing is not None:
            delete_record(org=org, actor=actor, obj=existing)
        return None
    if not justification.strip():
        raise DomainError(
            _("Explain why: a validator will ask for the reason."), field="justification"
        )
    values = {"decision": decision, "justification": justification.strip(), "decided_by": actor}
    if existing is not None:
        return update_record(
            org=org, actor=actor, obj=existing, expected_version=None, values=values
        )
    return create_record(
        org=org, actor=actor, obj=CriterionDecision(organisation=org, ident=ident, **values)
    )


def save_own_criterion(
    *,
    org: Organisation,
    actor: User,
    values: dict[str, Any],
    criterion: OwnCriterion | None = None,
    expected_version: int | None = None,
) -> OwnCriterion:
    require_role(org, actor, Role.MANAGER, _("Only managers and owners write own criteria."))
    clash = OwnCriterion.objects.for_org(org).filter(code__iexact=values["code"])
    if criterion is not None:
        clash = clash.exclude(pk=criterion.pk)
    if clash.exists():
        raise DomainError(_("You already have a criterion with this code."), field="code")
    if criterion is None:
        return create_record(org=org, actor=actor, obj=OwnCriterion(organisation=org, **values))
    return update_record(
        org=org, actor=actor, obj=criterion, expected_version=expected_version, values=values
    )


def archive_own_criterion(
    *, org: Organisation, actor: User, criterion: OwnCriterion
) -> OwnCriterion:
    """Own criteria are archived, not deleted: answers and evidence may point at them."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners write own criteria."))
    return update_record(
        org=org,
        actor=actor,
        obj=criterion,
        expected_version=None,
        values={"archived_at": timezone.now()},
    )

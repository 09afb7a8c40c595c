"""Writes of the partner register: partners and their names, facilities and contacts, the
tier (worked out, or set by a person with a reason), screening and its decisions."""

from __future__ import annotations

import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.actions import services as action_services
from safelane.core.audit import record_updates
from safelane.core.errors import DomainError
from safelane.core.records import create_record, delete_record, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.partners import screening, tiers
from safelane.partners.models import (
    Facility,
    HitStatus,
    NameKind,
    Partner,
    PartnerContact,
    PartnerName,
    ScreeningHit,
)
from safelane.partners.tiers import register_country_levels

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

__all__ = ["register_country_levels"]

PARTNER_FIELDS = (
    "name",
    "kind",
    "countries",
    "services",
    "ctpat_status",
    "ctpat_account",
    "ctpat_tier",
    "mra_programme",
    "mra_id",
    "status_verified_on",
)


def _stored(org: Organisation, partner: Partner) -> Partner:
    return Partner.objects.for_org(org).select_for_update().get(pk=partner.pk)


def _tiered(
    org: Organisation, partner: Partner, levels: dict[str, int] | None = None
) -> dict[str, Any]:
    """The tier, its reasons and the next review date the partner's facts give."""
    today = timezone.localdate()
    found = tiers.assess(partner, tiers.country_levels(org) if levels is None else levels, today)
    return {
        "computed_tier": found.tier,
        "tier_reasons": found.reasons,
        "next_review": tiers.next_review(partner, partner.tier_override or found.tier, today),
    }


def _other_names(text: str) -> list[str]:
    """One name a line (or separated by semicolons), each once."""
    seen: dict[str, str] = {}
    for line in text.replace(";", "\n").splitlines():
        name = " ".join(line.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _sync_names(org: Organisation, actor: User, partner: Partner, names: list[str]) -> None:
    existing = {
        n.name.casefold(): n for n in PartnerName.objects.for_org(org).filter(partner=partner)
    }
    wanted = {name.casefold(): name for name in names}
    for key, row in existing.items():
        if key not in wanted:
            delete_record(org=org, actor=actor, obj=row)
    for key, name in wanted.items():
        if key not in existing:
            create_record(
                org=org,
                actor=actor,
                obj=PartnerName(organisation=org, partner=partner, name=name, kind=NameKind.DBA),
            )


def create_partner(
    *, org: Organisation, actor: User, values: dict[str, Any], other_names: str = ""
) -> Partner:
    """A new partner, its tier worked out and its names screened against the lists."""
    require_role(org, actor, Role.CONTRIBUTOR)
    values = {k: v for k, v in values.items() if k in PARTNER_FIELDS}
    if values.get("status_verified_on"):
        values["status_verified_by"] = actor
    with transaction.atomic():
        partner = Partner(organisation=org, **values)
        partner.__dict__.update(_tiered(org, partner))
        create_record(org=org, actor=actor, obj=partner)
        _sync_names(org, actor, partner, _other_names(other_names))
        screening.screen(org=org, actor=actor, partners=[partner])
    return partner


def update_partner(
    *,
    org: Organisation,
    actor: User,
    partner: Partner,
    expected_version: int | None,
    values: dict[str, Any],
    other_names: str | None = None,
) -> Partner:
    """Correct a partner as its author saw it; a new name is screened again."""
    require_role(org, actor, Role.CONTRIBUTOR)
    values = {k: v for k, v in values.items() if k in PARTNER_FIELDS}
    with transaction.atomic():
        stored = _stored(org, partner)
        _live(stored)
        if values.get("status_verified_on") != stored.status_verified_on:
            values["status_verified_by"] = actor if values.get("status_verified_on") else None
        names_before = [stored.name, *sorted(n.name for n in stored.other_names.all())]
        updated = update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )
        if other_names is not None:
            _sync_names(org, actor, updated, _other_names(other_names))
        if [updated.name, *sorted(n.name for n in updated.other_names.all())] != names_before:
            screening.screen(org=org, actor=actor, partners=[updated])
        return reassess(org=org, actor=actor, partner=updated)


def reassess(*, org: Organisation, actor: User | None, partner: Partner) -> Partner:
    """Work the tier out again (after a change of facts, a questionnaire, a screening)."""
    stored = Partner.objects.for_org(org).get(pk=partner.pk)
    return update_record(
        org=org, actor=actor, obj=stored, expected_version=None, values=_tiered(org, stored)
    )


def country_levels_changed(org: Organisation) -> None:
    """The risk assessment's country threat table changed: work every tier out again, in the
    background once the change has committed (a large register takes seconds)."""
    from safelane.partners import tasks

    transaction.on_commit(partial(tasks.reassess_all.enqueue, org.pk))


def reassess_all(*, org: Organisation) -> int:
    """Every live partner's tier, reasons and next review from today's facts, written in bulk
    where they changed, each change in the audit trail. Returns how many changed."""
    levels = tiers.country_levels(org)
    changed: list[tuple[Partner, dict[str, list[Any]]]] = []
    fields = ["computed_tier", "tier_reasons", "next_review"]
    for partner in Partner.objects.for_org(org).active().iterator(chunk_size=2000):
        values = _tiered(org, partner, levels)
        before = {name: getattr(partner, name) for name in fields}
        if before != values:
            partner.__dict__.update(values)
            changes = {n: [before[n], values[n]] for n in fields if before[n] != values[n]}
            changed.append((partner, changes))
    with transaction.atomic():
        rows = [partner for partner, _changes in changed]
        for start in range(0, len(rows), 2000):
            Partner.objects.for_org(org).bulk_update(rows[start : start + 2000], fields)
        record_updates(org=org, actor=None, changed=changed)  # type: ignore[arg-type]
    return len(changed)


def set_tier(
    *,
    org: Organisation,
    actor: User,
    partner: Partner,
    tier: str,
    reason: str,
    expected_version: int | None,
) -> Partner:
    """A person's tier instead of Safelane's (empty: go back to Safelane's); it needs a reason,
    and it is a manager's call."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners set a partner's tier."))
    reason = " ".join(reason.split())
    if tier and not reason:
        raise DomainError(
            _("Say why this partner's tier differs from the one worked out."), field="reason"
        )
    with transaction.atomic():
        stored = _stored(org, partner)
        _live(stored)
        stored.tier_override = tier
        values = {
            "tier_override": tier,
            "tier_override_reason": reason if tier else "",
            **_tiered(org, stored),
        }
        return update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )


def record_assessment(
    *, org: Organisation, actor: User | None, partner: Partner, on: datetime.date, level: str
) -> Partner:
    """The result of an accepted security questionnaire (from the questionnaires app)."""
    stored = Partner.objects.for_org(org).get(pk=partner.pk)
    stored.assessed_on, stored.assessment_level = on, level
    values = {"assessed_on": on, "assessment_level": level, **_tiered(org, stored)}
    return update_record(org=org, actor=actor, obj=stored, expected_version=None, values=values)


def archive(
    *, org: Organisation, actor: User, partner: Partner, expected_version: int | None = None
) -> Partner:
    """The partner leaves the register; its record, questionnaires and hits stay."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners archive partners."))
    with transaction.atomic():
        stored = _stored(org, partner)
        if stored.archived_at is not None:
            raise DomainError(_("%(name)s is archived already.") % {"name": stored.name})
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"archived_at": timezone.now()},
        )


def restore(
    *, org: Organisation, actor: User, partner: Partner, expected_version: int | None = None
) -> Partner:
    """An archived partner back in the register, screened again against today's lists."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners restore partners."))
    with transaction.atomic():
        stored = _stored(org, partner)
        if stored.archived_at is None:
            raise DomainError(_("%(name)s is not archived.") % {"name": stored.name})
        restored = update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"archived_at": None},
        )
        screening.screen(org=org, actor=actor, partners=[restored])
        return reassess(org=org, actor=actor, partner=restored)


def _live(partner: Partner) -> None:
    if partner.archived_at is not None:
        raise DomainError(
            _("%(name)s is archived: restore it before changing it.") % {"name": partner.name}
        )


def add_facility(
    *, org: Organisation, actor: User, partner: Partner, values: dict[str, Any]
) -> Facility:
    require_role(org, actor, Role.CONTRIBUTOR)
    _live(_stored(org, partner))
    return create_record(
        org=org, actor=actor, obj=Facility(organisation=org, partner=partner, **values)
    )


def remove_facility(*, org: Organisation, actor: User, facility: Facility) -> None:
    require_role(org, actor, Role.CONTRIBUTOR)
    delete_record(org=org, actor=actor, obj=facility)


def add_contact(
    *, org: Organisation, actor: User, partner: Partner, values: dict[str, Any]
) -> PartnerContact:
    require_role(org, actor, Role.CONTRIBUTOR)
    _live(_stored(org, partner))
    email = values.get("email", "")
    if PartnerContact.objects.for_org(org).filter(partner=partner, email__iexact=email).exists():
        raise DomainError(_("This partner already has a contact with that e-mail."), field="email")
    return create_record(
        org=org, actor=actor, obj=PartnerContact(organisation=org, partner=partner, **values)
    )


def remove_contact(*, org: Organisation, actor: User, contact: PartnerContact) -> None:
    require_role(org, actor, Role.CONTRIBUTOR)
    delete_record(org=org, actor=actor, obj=contact)


def rescreen(*, org: Organisation, actor: User, partner: Partner) -> Partner:
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        screening.screen(org=org, actor=actor, partners=[partner])
        return reassess(org=org, actor=actor, partner=partner)


def decide_hit(
    *,
    org: Organisation,
    actor: User,
    hit: ScreeningHit,
    status: str,
    reason: str,
    expected_version: int | None,
) -> ScreeningHit:
    """Clear a hit (not the same party) or confirm it (the same party), with the reason. The
    decision is remembered for this partner and list entry; a confirmed hit marks the partner
    high risk and raises an action."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners decide on screening hits."))
    if status not in {HitStatus.CLEARED, HitStatus.CONFIRMED}:
        raise DomainError(_("Clear the hit or confirm it."), field="status")
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Give the reason for the decision: a validator will ask."), field="reason"
        )
    with transaction.atomic():
        stored = ScreeningHit.objects.for_org(org).select_for_update().get(pk=hit.pk)
        decided = update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={
                "status": status,
                "decision_reason": reason,
                "decided_by": actor,
                "decided_at": timezone.now(),
                "reopened_because": "",
            },
        )
        partner = Partner.objects.for_org(org).get(pk=decided.partner_id)
        screening.settle(org=org, actor=actor, partner=partner)
        partner = reassess(org=org, actor=actor, partner=partner)
        if status == HitStatus.CONFIRMED:
            action_services.create_action(
                org=org,
                actor=actor,
                values={
                    "title": _("Stop or escalate business with %(name)s (restricted party)")
                    % {"name": partner.name},
                    "description": _(
                        "%(name)s matches %(listed)s on %(list)s (entry %(entry)s). Reason: %(reason)s"
                    )
                    % {
                        "name": partner.name,
                        "listed": decided.listed_name,
                        "list": decided.list_name,
                        "entry": decided.entry_id,
                        "reason": reason,
                    },
                    "source": "partner",
                    "kind": "partner",
                    "priority": "critical",
                    "origin": partner,
                    "criteria": ["3.1"],
                },
            )
    return decided

"""Writes of action plans: actions, their progress, completion and verification, costs, rates
and the benefits record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.actions.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Benefit,
    CostCategory,
    CostLine,
    LabourRate,
    ProgressNote,
    Recurrence,
    Source,
)
from safelane.core.errors import DomainError
from safelane.core.records import create_record, delete_record, update_record

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

STEP_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def create_action(
    *, org: Organisation, actor: User, values: dict[str, Any], notify: bool = True
) -> Action:
    """A new action; its owner, if someone else, is e-mailed unless `notify` is off (the demo)."""
    from safelane.actions.tasks import notify_owner

    values = dict(values)
    response = values.get("response")
    if response is not None:
        if response.organisation_id != org.pk:
            raise DomainError(_("That answer is not in this organisation."))
        values.setdefault("source", Source.GAP)
        values["criteria"] = sorted({*values.get("criteria", []), response.criterion_ident})
    with transaction.atomic():
        action = create_record(org=org, actor=actor, obj=Action(organisation=org, **values))
        if notify and action.owner_id and action.owner_id != actor.pk:
            transaction.on_commit(lambda: notify_owner.enqueue(org.pk, action.pk))
    return action


def update_action(
    *,
    org: Organisation,
    actor: User,
    action: Action,
    expected_version: int | None,
    values: dict[str, Any],
) -> Action:
    from safelane.actions.tasks import notify_owner

    stored = Action.objects.for_org(org).get(pk=action.pk)
    updated = update_record(
        org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
    )
    if updated.owner_id and updated.owner_id != stored.owner_id and updated.owner_id != actor.pk:
        transaction.on_commit(lambda: notify_owner.enqueue(org.pk, updated.pk))
    return updated


@dataclass(frozen=True)
class StatusChange:
    action: Action
    next_occurrence: Action | None
    closes_gap: bool  # the last open action of its answer is done: time to update the answer


def set_status(
    *, org: Organisation, actor: User, action: Action, status: str, note: str = ""
) -> StatusChange:
    if status not in ActionStatus.values:
        raise DomainError(_("Choose a status."))
    stored = Action.objects.for_org(org).select_related("response").get(pk=action.pk)
    values: dict[str, Any] = {"status": status}
    if status == ActionStatus.DONE:
        values.update(completed_at=timezone.now(), completion_note=note or stored.completion_note)
    elif stored.status == ActionStatus.DONE:
        values.update(completed_at=None, verified_by=None, verified_at=None)
    with transaction.atomic():
        updated = update_record(
            org=org, actor=actor, obj=stored, expected_version=None, values=values
        )
        following = None
        if (
            status == ActionStatus.DONE
            and stored.status != ActionStatus.DONE
            and updated.recurrence
        ):
            following = _next_occurrence(org=org, actor=actor, action=updated)
        closes_gap = bool(
            status == ActionStatus.DONE
            and updated.response_id
            and not Action.objects.for_org(org)
            .active()
            .filter(response_id=updated.response_id, status__in=OPEN_STATUSES)
            .exists()
        )
    return StatusChange(updated, following, closes_gap)


def _next_occurrence(*, org: Organisation, actor: User, action: Action) -> Action:
    base = action.due_date or timezone.localdate()
    return create_record(
        org=org,
        actor=actor,
        obj=Action(
            organisation=org,
            title=action.title,
            description=action.description,
            source=action.source,
            criteria=action.criteria,
            kind=action.kind,
            owner=action.owner,
            priority=action.priority,
            recurrence=action.recurrence,
            due_date=add_months(base, STEP_MONTHS[Recurrence(action.recurrence)]),
            previous=action,
        ),
    )


def verify(*, org: Organisation, actor: User, action: Action) -> Action:
    stored = Action.objects.for_org(org).get(pk=action.pk)
    if stored.status != ActionStatus.DONE:
        raise DomainError(_("Only a finished action can be verified."))
    if actor.pk in {stored.owner_id}:
        raise DomainError(_("A second person verifies the work: not the action's owner."))
    return update_record(
        org=org,
        actor=actor,
        obj=stored,
        expected_version=None,
        values={"verified_by": actor, "verified_at": timezone.now()},
    )


def add_note(*, org: Organisation, actor: User, action: Action, text: str) -> ProgressNote:
    if not text.strip():
        raise DomainError(_("Write the note first."), field="text")
    return create_record(
        org=org,
        actor=actor,
        obj=ProgressNote(organisation=org, action=action, author=actor, text=text.strip()),
    )


def archive(*, org: Organisation, actor: User, action: Action) -> Action:
    return update_record(
        org=org,
        actor=actor,
        obj=action,
        expected_version=None,
        values={"archived_at": timezone.now()},
    )


def add_cost(*, org: Organisation, actor: User, action: Action, values: dict[str, Any]) -> CostLine:
    values = dict(values)
    rate: LabourRate | None = values.get("rate")
    if values["category"] == CostCategory.LABOUR and values.get("hours") is not None:
        hours = values["hours"]
        if rate is not None:
            if rate.organisation_id != org.pk:
                raise DomainError(_("Choose one of your own role rates."), field="rate")
            values["amount"] = (Decimal(hours) * rate.hourly_rate).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
    if values.get("amount") is None:
        if values["category"] == CostCategory.LABOUR and values.get("hours") is not None:
            raise DomainError(
                _("Choose the role rate that turns these hours into money."), field="rate"
            )
        raise DomainError(_("Enter the amount, or hours and a role rate."), field="amount")
    return create_record(
        org=org, actor=actor, obj=CostLine(organisation=org, action=action, **values)
    )


def delete_cost(*, org: Organisation, actor: User, cost: CostLine) -> None:
    delete_record(org=org, actor=actor, obj=cost)


def save_rate(
    *,
    org: Organisation,
    actor: User,
    obj: LabourRate | None,
    values: dict[str, Any],
    expected_version: int | None,
) -> LabourRate:
    clash = LabourRate.objects.for_org(org).filter(role__iexact=values["role"])
    if obj is not None:
        clash = clash.exclude(pk=obj.pk)
    if clash.exists():
        raise DomainError(_("There is already a rate for this role."), field="role")
    if obj is None:
        return create_record(org=org, actor=actor, obj=LabourRate(organisation=org, **values))
    return update_record(
        org=org, actor=actor, obj=obj, expected_version=expected_version, values=values
    )


def delete_rate(*, org: Organisation, actor: User, obj: LabourRate) -> None:
    if CostLine.objects.for_org(org).filter(rate=obj).exists():
        raise DomainError(
            _("Costs are counted with this rate; it stays so that they keep adding up.")
        )
    delete_record(org=org, actor=actor, obj=obj)


def save_benefit(
    *,
    org: Organisation,
    actor: User,
    obj: Benefit | None,
    values: dict[str, Any],
    expected_version: int | None,
) -> Benefit:
    if values["period_end"] < values["period_start"]:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if obj is None:
        return create_record(org=org, actor=actor, obj=Benefit(organisation=org, **values))
    return update_record(
        org=org, actor=actor, obj=obj, expected_version=expected_version, values=values
    )


def delete_benefit(*, org: Organisation, actor: User, obj: Benefit) -> None:
    delete_record(org=org, actor=actor, obj=obj)

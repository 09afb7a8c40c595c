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
)
from safelane.actions.origins import ORIGINS, Origin
from safelane.catalog import services as catalog_services
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.records import create_record, delete_record, set_archived, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

STEP_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}
# Due dates later than this are taken for typing mistakes (and would overflow when repeated).
LATEST_DUE = datetime.date(2199, 12, 31)
# How long a new action has by default, by priority: a person can change it.
LEAD_DAYS = {"critical": 30, "high": 60, "medium": 90, "low": 180}


def default_due_date(priority: str) -> datetime.date:
    """The due date a new action starts with, from its priority."""
    return timezone.localdate() + datetime.timedelta(days=LEAD_DAYS.get(priority, 90))


def register_origin(origin: Origin) -> None:
    """Let actions come from records of another app (called from its `ready()`)."""
    ORIGINS.register(origin)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    if year > LATEST_DUE.year:
        raise DomainError(_("The next occurrence would fall after 2199: check the due date."))
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _check_due(values: dict[str, Any]) -> None:
    due = values.get("due_date")
    if due is not None and not (datetime.date(2000, 1, 1) <= due <= LATEST_DUE):
        raise DomainError(
            _("Choose a due date between 2000 and 2199."),
            field="due_date",
        )


def _with_origin(org: Organisation, actor: User, values: dict[str, Any]) -> dict[str, Any]:
    """`origin` (a record of a registered kind) stored as the generic reference. An action made
    from one by a button (a risk's "Create action") starts planned: what its kind suggests
    (criteria, ...), its maker as owner and a due date from its priority, unless given."""
    origin = values.pop("origin", None)
    if origin is None:
        return values
    kind = ORIGINS.of(origin)
    if kind is None:
        raise TypeError(f"{type(origin).__name__} is not registered as an action origin")
    if origin.organisation_id != org.pk:
        raise DomainError(_("That record is not in this organisation."))
    suggested = {k: v for k, v in kind.initial(origin).items() if k not in values}
    values = {**suggested, **values}
    values.setdefault("owner", actor)
    values.setdefault("due_date", default_due_date(values.get("priority", "medium")))
    return {**values, "origin_type": ORIGINS.content_type(origin), "origin_id": origin.pk}


def _checked_criteria(org: Organisation, values: dict[str, Any], kept: list[str]) -> None:
    if "criteria" in values:
        values["criteria"] = catalog_services.check_criteria(
            org=org, idents=values["criteria"] or [], kept=kept
        )


def _archived(action: Action) -> str:
    return _("%(title)s is archived: restore it to change it.") % {"title": action.title}


def _ensure_active(action: Action) -> None:
    """An archived action is kept as it was; a manager restores it to change it."""
    if action.archived_at is not None:
        raise DomainError(_archived(action))


def create_action(
    *, org: Organisation, actor: User, values: dict[str, Any], notify: bool = True
) -> Action:
    """A new action, in one transaction with its first status if `values` names one other than
    "to do" (scripts and the API). Its owner, if someone else, is e-mailed unless `notify` is
    off (the demo)."""
    from safelane.actions.tasks import notify_owner

    require_role(org, actor, Role.CONTRIBUTOR)
    values = _with_origin(org, actor, dict(values))
    status = values.pop("status", None) or ActionStatus.OPEN
    note = values.pop("completion_note", "")
    _check_due(values)
    _checked_criteria(org, values, kept=[])
    with transaction.atomic():
        action = create_record(org=org, actor=actor, obj=Action(organisation=org, **values))
        if status != ActionStatus.OPEN:
            action = _change_status(org, actor, action, status, note, action.version).action
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
) -> StatusChange:
    """Change an action's fields and, if `values` holds a new status, its status, all or
    nothing."""
    from safelane.actions.tasks import notify_owner

    require_role(org, actor, Role.CONTRIBUTOR)
    values = dict(values)
    status = values.pop("status", None)
    note = values.pop("completion_note", None)
    _check_due(values)
    with transaction.atomic():
        stored = Action.objects.for_org(org).select_for_update().get(pk=action.pk)
        _ensure_active(stored)
        _checked_criteria(org, values, kept=stored.criteria)
        updated = update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )
        change = StatusChange(updated, None, False)
        if status and status != updated.status:
            change = _change_status(org, actor, updated, status, note or "", updated.version)
        elif note is not None and note != updated.completion_note:
            updated = update_record(
                org=org,
                actor=actor,
                obj=updated,
                expected_version=updated.version,
                values={"completion_note": note},
            )
            change = StatusChange(updated, None, False)
        new_owner = change.action.owner_id
        if new_owner and new_owner != stored.owner_id and new_owner != actor.pk:
            transaction.on_commit(lambda: notify_owner.enqueue(org.pk, change.action.pk))
    return change


@dataclass(frozen=True)
class StatusChange:
    action: Action
    next_occurrence: Action | None
    # The last open action of what it treats is done: time to update the answer, re-rate the
    # risk, ... (the origin's own page says how).
    origin_done: bool


def set_status(
    *,
    org: Organisation,
    actor: User,
    action: Action,
    status: str,
    note: str = "",
    expected_version: int | None,
) -> StatusChange:
    """Move an action to `status` as its author saw it (`expected_version`): a stale "blocked"
    never replaces someone's "done". Scripts may pass None to skip the check. The note, if any,
    is kept in the action's progress notes with the status it came with."""
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        try:
            return _change_status(org, actor, action, status, note, expected_version)
        except ConflictError as error:
            raise ConflictError(
                _(
                    "Someone else changed this action after you opened it: its status is now "
                    "%(status)s. Nothing of yours was saved; set the status again if you still "
                    "want yours."
                )
                % {"status": error.current.get_status_display()},
                current=error.current,
            ) from None


def _change_status(
    org: Organisation,
    actor: User,
    action: Action,
    status: str,
    note: str,
    expected_version: int | None,
) -> StatusChange:
    if status not in ActionStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    stored = Action.objects.for_org(org).select_for_update().get(pk=action.pk)
    _ensure_active(stored)
    note = (note or "").strip()
    values: dict[str, Any] = {"status": status}
    if status == ActionStatus.DONE:
        values.update(
            completed_at=timezone.now(),
            completed_by=actor,
            completion_note=note or stored.completion_note,
        )
    elif stored.status == ActionStatus.DONE:
        values.update(completed_at=None, completed_by=None, verified_by=None, verified_at=None)
    if status == stored.status:
        values = {"status": status}
    updated = update_record(
        org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
    )
    if note:
        create_record(
            org=org,
            actor=actor,
            obj=ProgressNote(
                organisation=org, action=updated, author=actor, text=note, status=status
            ),
        )
    following = None
    if status == ActionStatus.DONE and stored.status != ActionStatus.DONE and updated.recurrence:
        following = _next_occurrence(org=org, actor=actor, action=updated)
    origin_done = bool(
        status == ActionStatus.DONE
        and stored.status != ActionStatus.DONE
        and updated.origin_id
        and not Action.objects.for_org(org)
        .active()
        .filter(
            origin_type=updated.origin_type_id,
            origin_id=updated.origin_id,
            status__in=OPEN_STATUSES,
        )
        .exists()
    )
    return StatusChange(updated, following, origin_done)


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
            origin_type=action.origin_type,
            origin_id=action.origin_id,
            verification_required=action.verification_required,
            previous=action,
        ),
    )


def verification_refusal(*, org: Organisation, actor: User, action: Action) -> str | None:
    """Why `actor` may not verify `action` now, or None if they may: the work is done and not
    verified yet, and they are a second person (neither its owner nor who marked it done) who
    may change actions."""
    try:
        require_role(org, actor, Role.CONTRIBUTOR)
    except NotAllowedError as error:
        return str(error.message)
    if action.archived_at is not None:
        return _archived(action)
    if action.status != ActionStatus.DONE:
        return _("Only a finished action can be verified.")
    if action.verified_at is not None:
        return _("This action is verified already.")
    if actor.pk == action.owner_id:
        return _("A second person verifies the work: not the action's owner.")
    if actor.pk == action.completed_by_id:
        return _("A second person verifies the work: not the person who marked it done.")
    return None


def verify(
    *, org: Organisation, actor: User, action: Action, expected_version: int | None
) -> Action:
    """A second person confirms finished work, as they saw it."""
    require_role(org, actor, Role.CONTRIBUTOR)  # a viewer is refused as such (403)
    with transaction.atomic():
        stored = Action.objects.for_org(org).select_for_update().get(pk=action.pk)
        refusal = verification_refusal(org=org, actor=actor, action=stored)
        if refusal is not None:
            raise DomainError(refusal)
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"verified_by": actor, "verified_at": timezone.now()},
        )


def add_note(*, org: Organisation, actor: User, action: Action, text: str) -> ProgressNote:
    require_role(org, actor, Role.CONTRIBUTOR)
    _ensure_active(action)
    if not text.strip():
        raise DomainError(_("Write the note first."), field="text")
    return create_record(
        org=org,
        actor=actor,
        obj=ProgressNote(organisation=org, action=action, author=actor, text=text.strip()),
    )


def archive(
    *, org: Organisation, actor: User, action: Action, expected_version: int | None = None
) -> Action:
    """Take an action off the plan; it stays on record (and in the audit trail)."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners archive actions."))
    return set_archived(
        org=org,
        actor=actor,
        obj=action,
        archived=True,
        expected_version=expected_version,
        refusal=_("%(title)s is archived already.") % {"title": action.title},
    )


def restore(
    *, org: Organisation, actor: User, action: Action, expected_version: int | None = None
) -> Action:
    """Put an archived action back on the plan, as it was."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners restore actions."))
    return set_archived(
        org=org,
        actor=actor,
        obj=action,
        archived=False,
        expected_version=expected_version,
        refusal=_("%(title)s is not archived.") % {"title": action.title},
    )


def add_cost(*, org: Organisation, actor: User, action: Action, values: dict[str, Any]) -> CostLine:
    require_role(org, actor, Role.CONTRIBUTOR)
    _ensure_active(action)
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
    require_role(org, actor, Role.CONTRIBUTOR)
    delete_record(org=org, actor=actor, obj=cost)


def save_rate(
    *,
    org: Organisation,
    actor: User,
    obj: LabourRate | None,
    values: dict[str, Any],
    expected_version: int | None,
) -> LabourRate:
    require_role(org, actor, Role.MANAGER, _("Only managers and owners set labour rates."))
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
    require_role(org, actor, Role.MANAGER, _("Only managers and owners set labour rates."))
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
    require_role(org, actor, Role.CONTRIBUTOR)
    if values["period_end"] < values["period_start"]:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if obj is None:
        return create_record(org=org, actor=actor, obj=Benefit(organisation=org, **values))
    return update_record(
        org=org, actor=actor, obj=obj, expected_version=expected_version, values=values
    )


def delete_benefit(*, org: Organisation, actor: User, obj: Benefit) -> None:
    require_role(org, actor, Role.CONTRIBUTOR)
    delete_record(org=org, actor=actor, obj=obj)

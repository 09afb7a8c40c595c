"""Writes to the CTPAT membership: its details, each change of status (with the dates, tier and
grounds that come with it), the officer's annual review, the demo record. Every rule is here,
whichever door a change comes by (the page, the API, a script)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.catalog import services as catalog_services
from safelane.core.errors import ConflictError, DomainError
from safelane.core.records import create_record, lock, update_record
from safelane.membership import clocks, selectors
from safelane.membership.models import AnnualReview, CtpatMembership, Status, StatusChange, Tier
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

MEMBERSHIP_ROLE = gettext_lazy("Only managers and owners record the CTPAT membership.")
FIELDS = (
    "status",
    "tier",
    "account_number",
    "mra_programmes",
    "submitted_on",
    "certified_on",
    "validated_on",
    "suspended_on",
    "suspension_reason",
    "suspension_response_due",
    "removed_on",
    "withdrawn_on",
    "appeal_basis",
    "appeal_filed_on",
)
# The date each status is recorded with, and the tiers it allows.
STATUS_DATE = {
    Status.APPLICANT: "submitted_on",
    Status.CERTIFIED: "certified_on",
    Status.VALIDATED: "validated_on",
    Status.SUSPENDED: "suspended_on",
    Status.REMOVED: "removed_on",
    Status.WITHDRAWN: "withdrawn_on",
    Status.APPEAL_PENDING: "appeal_filed_on",
}
TIERS = {
    Status.NOT_APPLIED: {Tier.NONE},
    Status.APPLICANT: {Tier.NONE},
    Status.CERTIFIED: {Tier.TIER_1},
    Status.VALIDATED: {Tier.TIER_2, Tier.TIER_3},
}
# Tier III is for importers and exporters that exceed the criteria (program-facts §4.1).
TIER_3_ENTITY_TYPES = frozenset({"IMP", "EXP"})


def save_membership(
    *,
    org: Organisation,
    actor: User | None,
    values: dict[str, Any],
    expected_version: int | None,
    note: str = "",
    recorded: bool = False,
) -> CtpatMembership:
    """Write `values` (any of FIELDS) onto the organisation's membership, made on its first
    save; a new status (or, `recorded`, a status recorded again, such as a revalidation) goes
    into its history with its date and `note`."""
    require_role(org, actor, Role.MANAGER, MEMBERSHIP_ROLE)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(
            _("Not a field of the membership: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        lock(org)  # two first saves at once make one record, not two
        stored = CtpatMembership.objects.for_org(org).first()
        before = stored.status if stored else Status.NOT_APPLIED
        merged = {name: getattr(stored, name) if stored else _default(name) for name in FIELDS}
        merged.update(values)
        merged = _checked(org, merged)
        if stored is not None and expected_version is None:
            raise ConflictError(
                _("The membership was recorded meanwhile: reload the page and try again."),
                current=stored,
            )
        if stored is None:
            record = create_record(
                org=org, actor=actor, obj=CtpatMembership(organisation=org, **merged)
            )
        else:
            record = update_record(
                org=org, actor=actor, obj=stored, expected_version=expected_version, values=merged
            )
        if record.status != before or recorded:
            _record_change(org, actor, record, before, note)
    return record


def change_status(
    *,
    org: Organisation,
    actor: User | None,
    status: str,
    on: datetime.date,
    expected_version: int | None,
    tier: str = "",
    reason: str = "",
    response_due: datetime.date | None = None,
    appeal_basis: str = "",
) -> CtpatMembership:
    """Record a new status as CBP gave it, on its date: the date field it goes with, its tier
    (certified: Tier I; validated: the one CBP granted), and for a suspension its reason and the
    date the answer is due (90 days from the letter unless it says otherwise)."""
    values: dict[str, Any] = {"status": status}
    if status in STATUS_DATE:
        values[STATUS_DATE[Status(status)]] = on
    if status == Status.CERTIFIED:
        values["tier"] = Tier.TIER_1
    elif status == Status.VALIDATED:
        values["tier"] = tier or Tier.TIER_2
    if status == Status.SUSPENDED:
        values["suspension_reason"] = reason
        values["suspension_response_due"] = response_due or on + datetime.timedelta(
            days=clocks.SUSPENSION_RESPONSE_DAYS
        )
    if status in (Status.SUSPENDED, Status.REMOVED):
        values["appeal_basis"] = appeal_basis
    if status == Status.APPLICANT:
        values["tier"] = Tier.NONE
    return save_membership(
        org=org,
        actor=actor,
        values=values,
        expected_version=expected_version,
        note=reason,
        recorded=True,
    )


def _default(name: str) -> Any:
    return _field(name).get_default()


def _field(name: str) -> Field[Any, Any]:
    field = CtpatMembership._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _checked(org: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    """The values as they may be stored, or DomainError naming the field that is wrong."""
    status = values["status"]
    if status not in Status.values:
        raise DomainError(_("Not a status of a CTPAT membership."), field="status")
    status = Status(status)
    needed = STATUS_DATE.get(status)
    if needed and values.get(needed) is None:
        label = _field(needed).verbose_name
        raise DomainError(
            _("A membership %(status)s needs its date: %(field)s.")
            % {"status": status.label.lower(), "field": label},
            field=needed,
        )
    values["tier"] = _implied_tier(status, values["tier"])
    if status in TIERS and values["tier"] not in TIERS[status]:
        raise DomainError(_tier_rule(status), field="tier")
    if values["tier"] == Tier.TIER_3 and not (
        TIER_3_ENTITY_TYPES & set(catalog_services.held_entity_types(org=org))
    ):
        raise DomainError(
            _("Tier III is for importers and exporters; choose Tier II."), field="tier"
        )
    if status == Status.SUSPENDED and not (values.get("suspension_reason") or "").strip():
        raise DomainError(
            _("Say why CBP suspended the company, as the letter puts it."),
            field="suspension_reason",
        )
    _check_order(values)
    values["mra_programmes"] = _programmes(values.get("mra_programmes") or [])
    return values


def _implied_tier(status: Status, tier: str) -> str:
    """The tier a status brings when none other is given: none before certification, Tier I
    on certification, Tier II on validation (Tier III only when asked for)."""
    if status in (Status.NOT_APPLIED, Status.APPLICANT):
        return Tier.NONE
    if status == Status.CERTIFIED and tier == Tier.NONE:
        return Tier.TIER_1
    if status == Status.VALIDATED and tier in (Tier.NONE, Tier.TIER_1):
        return Tier.TIER_2
    return tier


def _tier_rule(status: Status) -> str:
    if status == Status.CERTIFIED:
        return _("A certified partner holds Tier I until CBP validates it.")
    if status == Status.VALIDATED:
        return _("A validated partner holds Tier II, or Tier III if CBP granted it.")
    return _("An applicant holds no tier yet.")


def _check_order(values: dict[str, Any]) -> None:
    """Dates that contradict each other are refused: certified before submitting, validated
    before certified, any date in the future."""
    today = timezone.localdate()
    for name in (
        "submitted_on",
        "certified_on",
        "validated_on",
        "suspended_on",
        "removed_on",
        "withdrawn_on",
        "appeal_filed_on",
    ):
        day = values.get(name)
        if day is not None and day > today:
            label = _field(name).verbose_name
            raise DomainError(
                _("%(field)s cannot be a day still to come.") % {"field": str(label).capitalize()},
                field=name,
            )
    pairs = (
        (
            "submitted_on",
            "certified_on",
            _("Certification comes after the application was submitted."),
        ),
        ("certified_on", "validated_on", _("A validation comes after certification.")),
    )
    for earlier, later, message in pairs:
        if values.get(earlier) and values.get(later) and values[later] < values[earlier]:
            raise DomainError(message, field=later)


def _programmes(chosen: list[Any]) -> list[str]:
    known = {code for code, _label in selectors.mra_programmes()}
    if not isinstance(chosen, list) or any(c not in known for c in chosen):
        raise DomainError(
            _("Choose mutual recognition programmes from the list."), field="mra_programmes"
        )
    return sorted(set(chosen), key=[code for code, _label in selectors.mra_programmes()].index)


def _record_change(
    org: Organisation, actor: User | None, record: CtpatMembership, before: str, note: str
) -> None:
    field = STATUS_DATE.get(Status(record.status))
    create_record(
        org=org,
        actor=actor,
        obj=StatusChange(
            organisation=org,
            membership=record,
            status=record.status,
            previous_status=before,
            effective_on=getattr(record, field) if field else timezone.localdate(),
            note=note,
            recorded_by=actor,
        ),
    )


def affirm_annual_review(
    *, org: Organisation, actor: User, note: str = "", today: datetime.date | None = None
) -> AnnualReview:
    """Record that the security profile was reviewed for this year's cycle (the anniversary
    it is due on), by whom and when. Inside the window it counts; outside it is kept, marked
    as not counting, as the Portal treats updates made then."""
    require_role(org, actor, Role.MANAGER, MEMBERSHIP_ROLE)
    today = today or timezone.localdate()
    with transaction.atomic():
        lock(org)  # one counting affirmation per cycle, however many click at once
        record = CtpatMembership.objects.for_org(org).first()
        if (
            record is None
            or record.status not in clocks.PARTNER_STATUSES
            or not record.certified_on
        ):
            raise DomainError(
                _("The annual review is for certified partners: record the certification first.")
            )
        due = clocks.next_anniversary(record.certified_on, today)
        counts = clocks.in_window(record.certified_on, today)
        done = AnnualReview.objects.for_org(org).filter(cycle_due=due, counts=True).first()
        if counts and done is not None:
            raise DomainError(
                _("The review due on %(date)s was affirmed already, on %(when)s.")
                % {"date": due.isoformat(), "when": done.affirmed_on.isoformat()}
            )
        return create_record(
            org=org,
            actor=actor,
            obj=AnnualReview(
                organisation=org,
                membership=record,
                cycle_due=due,
                affirmed_on=today,
                affirmed_by=actor,
                counts=counts,
                note=note,
            ),
        )


def note_window_notice(*, org: Organisation, anniversary: datetime.date) -> bool:
    """Mark that owners and managers were told of the window before `anniversary`; False when
    they were already (so the daily command sends one e-mail per window)."""
    with transaction.atomic():
        record = CtpatMembership.objects.for_org(org).select_for_update().first()
        if record is None or record.window_notice_for == anniversary:
            return False
        update_record(
            org=org,
            actor=None,
            obj=record,
            expected_version=None,
            values={"window_notice_for": anniversary},
        )
    return True


def load_demo_membership(org: Organisation, actor: User) -> None:
    """The demo company's road so far: submitted, certified on 29 February 2024 (so its
    anniversary falls on 28 February in other years), validated a year later. Once only."""
    if CtpatMembership.objects.for_org(org).exists():
        return
    steps = [
        (Status.APPLICANT, datetime.date(2023, 12, 1), ""),
        (Status.CERTIFIED, datetime.date(2024, 2, 29), ""),
        (Status.VALIDATED, datetime.date(2025, 2, 10), ""),
    ]
    record = None
    for status, on, tier in steps:
        record = change_status(
            org=org,
            actor=actor,
            status=status,
            on=on,
            tier=tier,
            expected_version=record.version if record else None,
        )
    save_membership(
        org=org,
        actor=actor,
        values={"account_number": "CTPAT-100245", "mra_programmes": ["mx-oea"]},
        expected_version=record.version if record else None,
    )

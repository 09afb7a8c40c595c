"""Writes to incidents: recording one, the report to CBP, the post-incident analysis (7.37).
Every rule is here, whichever door a change comes by."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.core.errors import DomainError
from safelane.core.kinds import Kind, Registry
from safelane.core.records import create_record, update_record
from safelane.incidents.models import Incident, IncidentKind
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

RECORD_ROLE = gettext_lazy("Viewers read incidents; contributors and above record them.")
DETAIL_FIELDS = ("kind", "title", "discovered_at", "place", "criterion_ident", "partner", "node")
REPORT_FIELDS = ("reported_to_cbp_at", "reported_by", "cbp_contact")
ANALYSIS_FIELDS = ("what_happened", "root_cause", "changes")

# Other records an incident may name (an inspection, once that app registers its kind here).
REFERENCES: Registry[Kind] = Registry()


def register_reference(kind: Kind) -> None:
    """Let incidents name records of another app (called from its `ready()`)."""
    REFERENCES.register(kind)


def _stripped(values: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    found = {k: values[k] for k in names if k in values}
    return {k: v.strip() if isinstance(v, str) else v for k, v in found.items()}


def _checked_details(org: Organisation, found: dict[str, Any]) -> dict[str, Any]:
    if "kind" in found and found["kind"] not in IncidentKind.values:
        raise DomainError(_("Choose a kind from the list."), field="kind")
    if "title" in found and not found["title"]:
        raise DomainError(_("Give the incident a title."), field="title")
    if found.get("discovered_at") and found["discovered_at"] > timezone.now():
        raise DomainError(_("An incident is discovered in the past."), field="discovered_at")
    for name in ("partner", "node"):
        linked = found.get(name)
        if linked is not None and linked.organisation_id != org.pk:
            raise DomainError(_("That record is not in this organisation."), field=name)
    return found


def record_incident(*, org: Organisation, actor: User | None, values: dict[str, Any]) -> Incident:
    require_role(org, actor, Role.CONTRIBUTOR, RECORD_ROLE)
    found = _checked_details(org, _stripped(values, DETAIL_FIELDS))
    if not found.get("discovered_at"):
        raise DomainError(_("Say when the incident was discovered."), field="discovered_at")
    return create_record(org=org, actor=actor, obj=Incident(organisation=org, **found))


def update_incident(
    *,
    org: Organisation,
    actor: User | None,
    incident: Incident,
    values: dict[str, Any],
    expected_version: int | None,
) -> Incident:
    require_role(org, actor, Role.CONTRIBUTOR, RECORD_ROLE)
    found = _checked_details(org, _stripped(values, DETAIL_FIELDS))
    return update_record(
        org=org, actor=actor, obj=incident, expected_version=expected_version, values=found
    )


def record_report(
    *,
    org: Organisation,
    actor: User | None,
    incident: Incident,
    values: dict[str, Any],
    expected_version: int | None,
) -> Incident:
    """Who reported the incident to CBP, to whom and when (not before it was discovered)."""
    require_role(org, actor, Role.CONTRIBUTOR, RECORD_ROLE)
    found = _stripped(values, REPORT_FIELDS)
    when = found.get("reported_to_cbp_at")
    if when is None:
        raise DomainError(_("Say when it was reported to CBP."), field="reported_to_cbp_at")
    if when < incident.discovered_at:
        raise DomainError(
            _("The report comes after the discovery: check the time."), field="reported_to_cbp_at"
        )
    if when > timezone.now():
        raise DomainError(_("That time is still to come."), field="reported_to_cbp_at")
    if not found.get("reported_by"):
        raise DomainError(_("Say who reported it."), field="reported_by")
    return update_record(
        org=org, actor=actor, obj=incident, expected_version=expected_version, values=found
    )


def record_analysis(
    *,
    org: Organisation,
    actor: User | None,
    incident: Incident,
    values: dict[str, Any],
    expected_version: int | None,
) -> Incident:
    """The post-incident analysis of 7.37: what happened, its root cause, what changes."""
    require_role(org, actor, Role.CONTRIBUTOR, RECORD_ROLE)
    found = _stripped(values, ANALYSIS_FIELDS)
    for name in ANALYSIS_FIELDS:
        if not found.get(name):
            raise DomainError(_("The analysis needs all three parts."), field=name)
    return update_record(
        org=org,
        actor=actor,
        obj=incident,
        expected_version=expected_version,
        values={**found, "analysed_at": timezone.now()},
    )

"""Reads of incidents: the register, one incident's page, the suggestion for the next risk
assessment's threat ratings, and how the action plan names an incident."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safelane.actions import selectors as action_selectors
from safelane.actions import services as action_services
from safelane.incidents.models import Incident, IncidentKind
from safelane.incidents.services import REFERENCES

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

# The risk assessment's threat each kind of incident speaks to: a suggestion a person weighs.
THREATS = {
    IncidentKind.TAMPERING: "contraband",
    IncidentKind.UNMANIFESTED: "contraband",
    IncidentKind.STOWAWAYS: "human-smuggling",
    IncidentKind.CYBER: "cyber",
    IncidentKind.BREACH: "organised-crime",
    IncidentKind.SUSPICIOUS: "terrorism",
}


def incidents(org: Organisation) -> QuerySet[Incident]:
    return Incident.objects.for_org(org).select_related("partner", "node")


@dataclass(frozen=True)
class IncidentPage:
    incident: Incident
    actions: list[Any]
    reference: tuple[str, str] | None  # (label, url) of a registered record it names


def incident_page(org: Organisation, incident: Incident) -> IncidentPage:
    reference = None
    kind = REFERENCES.of_type(incident.ref_type_id)
    if kind is not None and incident.ref_id is not None:
        found = kind.model.objects.for_org(org).filter(pk=incident.ref_id).first()  # type: ignore[attr-defined]
        if found is not None:
            reference = (kind.label(found), kind.url(org, found))
    return IncidentPage(
        incident=incident,
        actions=list(action_selectors.for_origin(org, incident)),
        reference=reference,
    )


@dataclass(frozen=True)
class Suggestion:
    threat: str  # the risk assessment's threat type code
    count: int
    text: str | Promise


def threat_suggestions(
    org: Organisation, *, today: datetime.date | None = None, months: int = 12
) -> list[Suggestion]:
    """What the last `months` of incidents suggest for the threat ratings, such as "2
    incidents of tampering in the last 12 months" under contraband (a person decides)."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=round(months * 365.25 / 12))
    counts = Counter(
        incidents(org).filter(discovered_at__date__gte=since).values_list("kind", flat=True)
    )
    found = []
    for kind, count in sorted(counts.items()):
        threat = THREATS.get(IncidentKind(kind))
        if threat:
            found.append(
                Suggestion(
                    threat,
                    count,
                    ngettext(
                        "%(n)s incident of %(kind)s in the last %(months)s months",
                        "%(n)s incidents of %(kind)s in the last %(months)s months",
                        count,
                    )
                    % {"n": count, "kind": IncidentKind(kind).label.lower(), "months": months},
                )
            )
    return found


def _label(incident: Incident) -> str:
    return str(_("Incident: %(title)s") % {"title": incident.title})


def _url(org: Organisation, incident: Incident) -> str:
    return reverse("incidents:detail", args=[org.slug, incident.pk])


def action_origin() -> action_services.Origin:
    """Corrective actions after an incident."""
    return action_services.Origin(
        name="incident",
        model=Incident,
        label=_label,
        url=_url,
        initial=lambda i: {
            "title": str(_("Correct after: %(title)s") % {"title": i.title}),
            "description": i.changes,
            **({"criteria": [i.criterion_ident]} if i.criterion_ident else {}),
        },
        treats=_("corrects after the %(label)s"),
    )


def threat_hints(org: Organisation) -> list[tuple[str, Any]]:
    """The suggestions as the risk assessment's threat step reads them: (threat, sentence)."""
    return [(s.threat, s.text) for s in threat_suggestions(org)]

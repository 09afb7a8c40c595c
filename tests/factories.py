"""Records the tests build again and again, made through the services as a user would."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from safelane.actions import services as action_services
from safelane.assessments import services as assessment_services
from safelane.assessments.models import AssessmentCycle, Response
from safelane.catalog import services as catalog_services
from safelane.evidence import services as evidence_services

NARRATIVE = (
    "Our Joliet warehouse seals every outbound container with an ISO 17712 bolt seal; the shipping "
    "supervisor logs the number and checks it with the VVTT method before the truck leaves."
)


def importer_cycle(cast: Any, **kwargs: Any) -> AssessmentCycle:
    """Acme as a U.S. importer, with its first self-assessment (94 criteria)."""
    catalog_services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    kwargs.setdefault("title", "Initial 2026")
    return assessment_services.start_cycle(
        org=cast.acme, actor=cast.owner, kind="initial", **kwargs
    )


def response(cast: Any, cycle: AssessmentCycle, ident: str) -> Response:
    return Response.objects.for_org(cast.acme).get(cycle=cycle, criterion_ident=ident)


def answer(
    cast: Any,
    cycle: AssessmentCycle,
    ident: str,
    status: str,
    narrative: str = NARRATIVE,
    **extra: Any,
) -> Response:
    r = response(cast, cycle, ident)
    return assessment_services.update_response(
        org=cast.acme,
        actor=cast.owner,
        response=r,
        expected_version=r.version,
        values={"status": status, "narrative": narrative, **extra},
    )


def gap(cast: Any, ident: str = "4.8") -> Response:
    """An unanswered Must (4.8 is one) of a new self-assessment."""
    return response(cast, importer_cycle(cast, title="Initial"), ident)


def action(cast: Any, **values: Any) -> Any:
    values.setdefault("title", "Turn on MFA at Joliet")
    return action_services.create_action(org=cast.acme, actor=cast.owner, values=values)


def evidence(cast: Any, title: str = "Seal log 2026", **link: Any) -> Any:
    """A text document in Acme's library, linked to `subject=` if given."""
    return evidence_services.create_evidence(
        org=cast.acme,
        actor=cast.owner,
        values={"title": title},
        upload=SimpleUploadedFile("seal-log.txt", b"seal 1234 verified"),
        **link,
    )


def next_cycle(cast: Any, first: AssessmentCycle, title: str = "Review 2027") -> AssessmentCycle:
    """Next year's self-assessment from `first`, which is closed first (one is open at a time)."""
    first.refresh_from_db()
    if first.closed_at is None:
        assessment_services.close_cycle(org=cast.acme, actor=cast.owner, cycle=first)
    return assessment_services.start_cycle(
        org=cast.acme, actor=cast.owner, kind="annual", title=title, from_cycle=first
    )

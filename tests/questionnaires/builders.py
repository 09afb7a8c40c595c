"""Questionnaires made as people make them: a partner with a contact, the shipped templates,
a questionnaire sent, answered through the link and submitted."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from safelane.orgs.models import Membership, Role
from safelane.partners import services as partner_services
from safelane.questionnaires import links, selectors, services
from safelane.questionnaires.models import Questionnaire

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def supplier(
    org: Any, actor: Any, name: str = "Maquiladora del Norte", language: str = "es"
) -> Any:
    """A Mexican supplier with one contact."""
    with transaction.atomic():
        return _supplier(org, actor, name, language)


def _supplier(org: Any, actor: Any, name: str, language: str) -> Any:
    partner = partner_services.create_partner(
        org=org, actor=actor, values={"name": name, "kind": "supplier", "countries": ["MX"]}
    )
    partner_services.add_contact(
        org=org,
        actor=actor,
        partner=partner,
        values={"name": "Rosa Garza", "email": f"rosa@{org.slug}.example", "language": language},
    )
    return partner


def owner_of(org: Any) -> Any:
    return Membership.objects.for_org(org).filter(role=Role.OWNER).order_by("pk").first().user


def contact(org: Any, partner: Any) -> Any:
    return partner.contacts.for_org(org).first()


def sent(
    org: Any, actor: Any, *, partner: Any = None, key: str = "supplier", **kwargs: Any
) -> Questionnaire:
    """The shipped template `key` (loaded if need be) sent to the partner's contact."""
    partner = partner or supplier(org, owner_of(org))
    services.load_shipped_templates(org=org, actor=owner_of(org))
    template = next(t for t in selectors.templates(org) if t.source_key == key)
    return services.send_questionnaire(
        org=org,
        actor=actor,
        template=template,
        partner=partner,
        contact=contact(org, partner),
        **kwargs,
    )


def token(questionnaire: Questionnaire) -> str:
    found = links.current_token(
        questionnaire.organisation_id, questionnaire.link_nonce, questionnaire.token_hash
    )
    assert found is not None
    return found


def good_answers(org: Any, questionnaire: Questionnaire, **overrides: str) -> dict[str, str]:
    """Every question answered as a well-run partner would (follow-ups left out)."""
    values = {}
    for a in selectors.answers(org, questionnaire):
        if a.parent_key:
            continue
        if a.kind == "yes_no":
            values[a.key] = a.expected or "yes"
        elif a.kind == "choice":
            values[a.key] = max(a.choices, key=lambda c: c["score"] or 0)["key"]
        elif a.kind == "text":
            values[a.key] = "Ana López, security manager, ana@norte.example"
        elif a.kind == "date":
            values[a.key] = "2026-01-15"
        elif a.kind == "number":
            values[a.key] = "30"
    values.update(overrides)
    if values.get("ctpat-status") == "ctpat":
        values.setdefault("ctpat-account", "SVI-1234")
    return values


# Every answer of the supplier questionnaire a partner with poor security gives.
POOR = {
    **dict.fromkeys(
        [
            "partner-screening",
            "subcontractors",
            "forced-labour",
            "conveyance-storage",
            "inspection-procedure",
            "locking-hardware",
            "seal-procedure",
            "iso-17712",
            "seal-inventory",
            "vvttt",
            "staging",
            "staging-pests",
            "loading-supervised",
            "seal-photo",
            "shipping-documents",
            "anomalies",
            "incident-procedure",
            "barriers",
            "gates",
            "lighting",
            "cameras",
            "footage-review",
            "badges",
            "visitors",
            "drivers",
            "hiring",
            "code-of-conduct",
            "training",
            "inspection-training",
            "incident-training",
        ],
        "no",
    ),
    **dict.fromkeys(
        ["partner-screening-how", "seal-procedure-how", "iso-17712-how", "incident-procedure-how"],
        "We do not have one.",
    ),
    "ctpat-status": "no",
    "road-carriers": "other",
    "road-carriers-which": "Whoever is free.",
    "inspection-before-loading": "none",
    "wood-packaging": "not-always",
}


def submitted(org: Any, actor: Any, **overrides: str) -> Questionnaire:
    questionnaire = sent(org, actor)
    draft = services.Draft(
        values=good_answers(org, questionnaire, **overrides),
        files=[("status-certificate", SimpleUploadedFile("certificate.pdf", PDF))],
        respondent_name="Rosa Garza",
        respondent_role="Gerente de calidad",
    )
    return services.submit(
        questionnaire=selectors.by_token(token(questionnaire)), draft=draft, confirmed=True
    )


def scored_by_a_person(
    org: Any, actor: Any, questionnaire: Questionnaire, score: int = 100
) -> None:
    for marked in selectors.questionnaire_page(org, questionnaire).result.unscored:
        services.score_answer(
            org=org,
            actor=actor,
            answer=marked.answer,
            score=score,
            note="",
            expected_version=marked.answer.version,
        )


def plant_link(org: Any, actor: Any) -> dict[str, Any]:
    """For the tenancy test: a questionnaire of `org` with a document, and every parameter of
    its link's routes, plus texts only its own page may show."""
    questionnaire = sent(org, actor, partner=supplier(org, actor, name=f"Partner of {org.name}"))
    raw = token(questionnaire)
    services.save_draft(
        questionnaire=selectors.by_token(raw),
        draft=services.Draft(files=[("status-certificate", SimpleUploadedFile("c.pdf", PDF))]),
    )
    document = selectors.documents(org, questionnaire)[0]
    return {
        "params": {"token": raw, "document": document.pk},
        "names": [org.name, questionnaire.partner.name],
    }

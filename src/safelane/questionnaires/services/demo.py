"""Questionnaires in the demo: the shipped templates loaded for the demo organisation and one
questionnaire the Shenzhen supplier answered and Acme accepted, so that its tier, the evidence
library and the risk map show the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile

from safelane.partners import selectors as partner_selectors
from safelane.questionnaires import links, selectors
from safelane.questionnaires.models import Questionnaire
from safelane.questionnaires.services.answering import Draft, submit
from safelane.questionnaires.services.reviewing import accept, score_answer
from safelane.questionnaires.services.sending import send_questionnaire
from safelane.questionnaires.services.templates import load_shipped_templates

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

ANSWERED_PARTNER = "Shenzhen Homeware Co., Ltd."
# What the Shenzhen plant does not do yet: its answer is "no" (or the weakest choice).
GAPS = {
    "cameras",
    "footage-review",
    "seal-photo",
    "iso-17712",
    "seal-inventory",
    "lighting",
    "badges",
    "training",
}
# What the plant writes where an answer asks for more ("" for a gap it has not closed yet).
FOLLOW_UPS = {
    "aeo-programme": "Authorized Economic Operator of China Customs (mutual recognition with "
    "CTPAT), certificate AEOCN-2024-0518",
    "iso-17712-how": "Our seal supplier could not show its ISO 17712 certificate; we are "
    "changing supplier this quarter.",
    "": "Planned for next year; until then the guard checks it at the gate.",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_demo_questionnaires(org: Organisation, actor: User) -> None:
    """Load the shipped templates and have the Shenzhen supplier answer its questionnaire,
    accepted by `actor` (a manager or owner of `org`); running it again changes nothing.
    Maquiladora del Norte's Spanish contact is left for the user to send one to: the e-mail,
    printed by the development server, carries the link to try."""
    load_shipped_templates(org=org, actor=actor)
    _answered(org, actor)


def _answer(kind: str, key: str, expected: str, choices: list[dict[str, Any]]) -> str | None:
    if kind == "yes_no":
        good = expected or "yes"
        return ("no" if good == "yes" else "yes") if key in GAPS else good
    if kind == "choice":
        ranked = sorted(choices, key=lambda c: c["score"] or 0)
        return (ranked[0] if key in GAPS else ranked[-1])["key"]
    return {
        "text": "Li Wei, plant security manager, li.wei@shenzhen-homeware.example",
        "date": "2026-03-02",
        "number": "30",
    }.get(kind)


def _answered(org: Organisation, actor: User) -> None:
    partner = partner_selectors.partners(org).filter(name=ANSWERED_PARTNER).first()
    if partner is None or selectors.for_partner(org, partner, limit=1):
        return
    contact = partner.contacts.for_org(org).order_by("pk").first()
    template = selectors.template_for(org, partner)
    if contact is None or template is None:
        return
    questionnaire = send_questionnaire(
        org=org, actor=actor, template=template, partner=partner, contact=contact, message=""
    )
    values: dict[str, str] = {}
    rows = selectors.answers(org, questionnaire)
    for answer in rows:
        if not answer.parent_key:
            value = _answer(answer.kind, answer.key, answer.expected, answer.choices)
            if value is not None:
                values[answer.key] = value
    for answer in rows:  # the follow-ups the answers above bring up ("If no, describe ...")
        if answer.parent_key and values.get(answer.parent_key) == answer.shown_when:
            value = _answer(answer.kind, answer.key, answer.expected, answer.choices)
            if answer.kind == "text":
                value = FOLLOW_UPS.get(answer.key, FOLLOW_UPS[""])
            if value is not None:
                values[answer.key] = value
    token = links.current_token(org.pk, questionnaire.link_nonce, questionnaire.token_hash)
    opened = selectors.by_token(token) if token else None
    assert opened is not None  # just sent: the partner opens it by its link
    draft = Draft(
        values=values,
        files=[("status-certificate", SimpleUploadedFile("security-certificate.pdf", PDF))],
        respondent_name="Li Wei",
        respondent_role="Plant security manager",
    )
    submit(questionnaire=opened, draft=draft, confirmed=True)
    for marked in selectors.questionnaire_page(org, questionnaire).result.unscored:
        score_answer(
            org=org,
            actor=actor,
            answer=marked.answer,
            score=100,
            note="",
            expected_version=marked.answer.version,
        )
    stored = Questionnaire.objects.for_org(org).get(pk=questionnaire.pk)
    accept(org=org, actor=actor, questionnaire=stored, expected_version=stored.version)

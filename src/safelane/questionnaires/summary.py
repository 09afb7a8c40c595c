"""An accepted questionnaire as a PDF: the evidence filed for criteria 3.5 and 3.7."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone, translation

from safelane.core.cells import printable

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation
    from safelane.questionnaires.models import Questionnaire
    from safelane.questionnaires.selectors import QuestionnairePage


def as_pdf(org: Organisation, questionnaire: Questionnaire, page: QuestionnairePage) -> bytes:
    """The questions, answers, scores and notes, and each document's name and SHA-256, in the
    organisation's own language (the partner's answers as they were given)."""
    from weasyprint import HTML

    with translation.override(org.default_language):
        html = render_to_string(
            "questionnaires/pdf/summary.html",
            {
                "org": org,
                "questionnaire": questionnaire,
                "result": page.result,
                "sections": page.sections,
                "loose_documents": page.loose_documents,
                "documents": page.documents,
                "generated": timezone.now(),
            },
        )
    return bytes(HTML(string=printable(html)).write_pdf())

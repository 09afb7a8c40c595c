"""The response to a validation's findings as a Word document: each finding with what it asks,
when the response is due, our response, the evidence behind it and the actions taken."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

from safelane.core.cells import printable as safe_text
from safelane.validation import selectors
from safelane.validation.models import FindingKind, Kind

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation
    from safelane.validation.models import Validation


def response_docx(org: Organisation, validation: Validation) -> bytes:
    document = Document()
    document.add_heading(safe_text(_("Response to %(title)s") % {"title": validation.title}), 0)
    facts = [
        (_("Organisation"), org.name),
        (_("Kind"), str(Kind(validation.kind).label)),
        (_("Date of the visit"), f"{validation.visit_on:%Y-%m-%d}" if validation.visit_on else "—"),
        (_("CBP supply chain security specialist"), validation.specialist or "—"),
        (_("Prepared on"), f"{timezone.localdate():%Y-%m-%d}"),
    ]
    for label, value in facts:
        document.add_paragraph(f"{label}: {safe_text(value)}")
    found = list(selectors.findings(org).filter(validation=validation))
    if not found:
        document.add_paragraph(_("This validation has no findings."))
    for finding in found:
        page = selectors.finding_page(org, finding)
        document.add_heading(
            safe_text(
                _("%(criterion)s: %(kind)s")
                % {"criterion": finding.criterion_ident, "kind": FindingKind(finding.kind).label}
            ),
            1,
        )
        document.add_paragraph(safe_text(finding.text))
        if finding.response_due:
            document.add_paragraph(
                _("Response due: %(day)s") % {"day": f"{finding.response_due:%Y-%m-%d}"}
            )
        document.add_heading(_("Our response"), 2)
        document.add_paragraph(safe_text(finding.response) or _("No response yet."))
        if page.links:
            document.add_heading(_("Evidence"), 2)
            for link in page.links:
                document.add_paragraph(safe_text(link.evidence.title), style="List Bullet")
        if page.actions:
            document.add_heading(_("Actions"), 2)
            for action in page.actions:
                document.add_paragraph(
                    safe_text(f"{action.title} ({action.get_status_display()})"),
                    style="List Bullet",
                )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

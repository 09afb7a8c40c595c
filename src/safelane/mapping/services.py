"""Mapping a library document to the open self-assessment: start a reading, read it (in the task
worker), and a person's decision on each proposal. An accepted passage becomes an evidence link
on the answer and, where the answer has no narrative of its own yet, a draft quoting the
document that must be rewritten before the answer can count as Met."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.assessments import selectors as assessments
from safelane.assessments import services as assessment_services
from safelane.catalog import selectors as catalog
from safelane.core.errors import DomainError
from safelane.core.records import create_record, delete_record, lock, update_record
from safelane.evidence import selectors as evidence_selectors
from safelane.evidence import services as evidence_services
from safelane.jobs import services as jobs
from safelane.mapping import extract, ranking, sections
from safelane.mapping.models import Decision, MappedDocument, Passage, Proposal, State
from safelane.mapping.ranking import embedding
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

JOB_KIND = "document-mapping"
PER_PASSAGE = 3  # proposals kept for one passage, best first, above the threshold


def open_cycle(org: Organisation) -> Any:
    """The assessment whose answers a mapped document fills, or a refusal saying what to do."""
    cycle = assessments.open_cycle(org)
    if cycle is None:
        raise DomainError(
            _("Start a self-assessment first: mapping proposes passages for its criteria.")
        )
    return cycle


def upload(
    *,
    org: Organisation,
    actor: User,
    upload: UploadedFile,
    title: str,
    enqueue: Callable[[MappedDocument], None],
) -> MappedDocument:
    """A new document into the library, then read against the open assessment."""
    require_role(org, actor, Role.CONTRIBUTOR)
    extract.check_kind(upload.name or "")
    open_cycle(org)
    with transaction.atomic():
        evidence = evidence_services.create_evidence(
            org=org,
            actor=actor,
            values={"title": title or (upload.name or "").rsplit(".", 1)[0][:200]},
            upload=upload,
        )
        return start(org=org, actor=actor, evidence=evidence, enqueue=enqueue)


def start(
    *, org: Organisation, actor: User, evidence: Any, enqueue: Callable[[MappedDocument], None]
) -> MappedDocument:
    """Read the document's newest version against the open assessment's criteria."""
    require_role(org, actor, Role.CONTRIBUTOR)
    evidence_services.ensure_active(evidence)
    cycle = open_cycle(org)
    version = evidence_selectors.latest_versions(org).filter(evidence=evidence).first()
    if version is None:
        raise DomainError(_("This document has no file to read."))
    extract.check_kind(version.original_name)
    with transaction.atomic():
        lock(org)  # two clicks at once find one reading
        earlier = MappedDocument.objects.for_org(org).filter(evidence_version=version, cycle=cycle)
        kept = earlier.exclude(state=State.FAILED).first()
        if kept is not None:
            return kept  # this version is read (or being read) already: its review is the one
        for failed in earlier:  # a reading that failed gives way to the new one
            delete_record(org=org, actor=actor, obj=failed)
        job = jobs.create_job(
            org=org,
            actor=actor,
            kind=JOB_KIND,
            title=_("Mapping %(title)s to the criteria") % {"title": evidence.title},
        )
        document = create_record(
            org=org,
            actor=actor,
            obj=MappedDocument(
                organisation=org,
                evidence=evidence,
                evidence_version=version,
                cycle=cycle,
                job=job,
                created_by=actor,
            ),
        )
        transaction.on_commit(lambda: enqueue(document))
    return document


def fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def criteria_of(org: Organisation, cycle: Any) -> list[ranking.CriterionText]:
    """The assessment's criteria as the ranker reads them: the catalog's texts in both
    languages, and each own criterion's requirement and guidance."""

    answers = list(assessments.answers(org, cycle).values_list("criterion_ident", "category"))
    idents = {ident for ident, _category in answers}
    found = [c for c in ranking.catalog_criteria(cycle.catalog_version) if c.ident in idents]
    known = {c.ident for c in found}
    own = {f"own:{o.code}": o for o in catalog.own_criteria(org)}
    for ident, category in answers:
        if ident not in known and ident in own:
            texts = [own[ident].requirement, own[ident].guidance]
            found.append(ranking.CriterionText(ident, category or 0, {"en": texts, "es": texts}))
    return found


def read(
    *, org: Organisation, document: MappedDocument, progress: Callable[[int, int], None]
) -> MappedDocument:
    """Extract, cut into passages, rank each against the criteria, keep the proposals above the
    threshold and the decisions taken on the same passages in earlier versions."""

    MappedDocument.objects.for_org(org).filter(pk=document.pk).update(state=State.RUNNING)
    with default_storage.open(document.evidence_version.file.name, "rb") as stored:
        content = stored.read()
    try:
        found = extract.read(content, document.evidence_version.original_name)
    except DomainError as error:
        _finish(org, document, State.FAILED, message=str(error.message))
        raise
    cut = sections.passages(found.blocks)
    criteria = criteria_of(org, document.cycle)
    ranker = ranking.Ranker(criteria)
    second = embedding.embedding_ranker(criteria)  # None unless an administrator installed one
    ranked = []
    for number, passage in enumerate(cut, start=1):
        ranked.append(_proposals(ranker, passage, second))
        if number % 50 == 0 or number == len(cut):
            progress(number, len(cut))
    earlier = _earlier_decisions(org, document)
    with transaction.atomic():
        stored_passages = Passage.objects.bulk_create(
            Passage(
                organisation=org,
                document=document,
                position=p.position,
                page=p.page,
                heading=p.heading,
                text=p.text,
                fingerprint=fingerprint(p.text),
            )
            for p in cut
        )
        Proposal.objects.bulk_create(
            _proposal_row(org, passage, rank, proposal, earlier)
            for passage, proposals in zip(stored_passages, ranked, strict=True)
            for rank, proposal in enumerate(proposals, start=1)
        )
        _finish(
            org,
            document,
            State.DONE,
            pages=found.pages,
            pages_without_text=list(found.pages_without_text),
            passage_count=len(cut),
        )
    return document


def _proposals(
    ranker: ranking.Ranker, passage: sections.Passage, second: Any = None
) -> list[ranking.Proposal]:
    """The best proposals for a passage, read with its heading; spans are kept in the
    passage's own text (a match inside the heading is not highlighted)."""

    shift = len(passage.context) - len(passage.text)
    out = []
    found = ranker.rank(passage.context, limit=10 if second else PER_PASSAGE)
    if second is not None:
        found = second.rerank(passage.context, found)[:PER_PASSAGE]
    for proposal in found:
        if proposal.score < ranking.THRESHOLD:
            break
        spans = tuple((a - shift, b - shift) for a, b in proposal.spans if a >= shift)
        out.append(ranking.Proposal(proposal.ident, proposal.score, spans))
    return out


def _earlier_decisions(org: Organisation, document: MappedDocument) -> dict[tuple[str, str], Any]:
    """Decisions on earlier readings of the same document, by (passage fingerprint, criterion):
    the newest decision on each pair wins."""
    rows = (
        Proposal.objects.for_org(org)
        .filter(passage__document__evidence_id=document.evidence_id)
        .exclude(passage__document=document)
        .exclude(decision=Decision.PENDING)
        .order_by("decided_at")
        .values_list(
            "passage__fingerprint", "criterion_ident", "decision", "decided_by_id", "decided_at"
        )
    )
    return {(f, c): (d, by, at) for f, c, d, by, at in rows}


def _proposal_row(
    org: Organisation,
    passage: Passage,
    rank: int,
    proposal: ranking.Proposal,
    earlier: dict[tuple[str, str], Any],
) -> Proposal:
    decided = earlier.get((passage.fingerprint, proposal.ident))
    decision, by, at = decided or (Decision.PENDING, None, None)
    return Proposal(
        organisation=org,
        passage=passage,
        criterion_ident=proposal.ident,
        rank=rank,
        score=round(proposal.score, 4),
        spans=[list(s) for s in proposal.spans],
        decision=decision,
        decided_by_id=by,
        decided_at=at,
        carried=decided is not None,
    )


def _finish(org: Organisation, document: MappedDocument, state: str, **values: Any) -> None:
    MappedDocument.objects.for_org(org).filter(pk=document.pk).update(state=state, **values)
    for name, value in {"state": state, **values}.items():
        setattr(document, name, value)


def decide(
    *,
    org: Organisation,
    actor: User,
    proposal: Proposal,
    decision: str,
    expected_version: int | None,
) -> Proposal:
    """Accept (the passage becomes evidence of the answer), reject, or put back to review.
    Putting an accepted passage back leaves its evidence link on the answer, where it is
    detached like any other."""
    require_role(org, actor, Role.CONTRIBUTOR)
    stored = (
        Proposal.objects.for_org(org)
        .select_related("passage__document__cycle", "passage__document__evidence")
        .get(pk=proposal.pk)
    )
    document = stored.passage.document
    assessment_services.ensure_open(document.cycle)
    with transaction.atomic():
        if decision == Decision.ACCEPTED:
            _accept(org, actor, stored)
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={
                "decision": decision,
                "decided_by": actor if decision else None,
                "decided_at": timezone.now() if decision else None,
                "carried": False,
            },
        )


def _accept(org: Organisation, actor: User, proposal: Proposal) -> None:
    document = proposal.passage.document
    answer = (
        assessments.answers(org, document.cycle)
        .filter(criterion_ident=proposal.criterion_ident)
        .first()
    )
    if answer is None:
        raise DomainError(
            _("%(id)s is not in this self-assessment any more.") % {"id": proposal.criterion_ident}
        )
    evidence_services.link(org=org, actor=actor, evidence=document.evidence, subject=answer)
    draft = assessment_services.draft_narrative(
        title=document.evidence.title,
        where=where(proposal.passage),
        quote=proposal.passage.text,
    )
    narrative = answer.narrative.strip()
    if narrative and not assessment_services.is_draft(narrative):
        return  # the answer's own words stay as they are
    if draft in narrative:
        return
    assessment_services.update_response(
        org=org,
        actor=actor,
        response=answer,
        expected_version=None,
        values={"narrative": f"{narrative}\n\n{draft}".strip()},
    )


def where(passage: Passage) -> str:
    """Page and section of a passage, as a person would cite it."""
    parts = []
    if passage.page:
        parts.append(_("page %(n)s") % {"n": passage.page})
    if passage.heading:
        parts.append(passage.heading)
    return ", ".join(parts)

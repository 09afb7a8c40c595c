"""Reads of security questionnaires that the pages, the link, the API, the tasks and the
partner page share."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.catalog import selectors as catalog_selectors
from safelane.core import trail
from safelane.core.models import AuditEntry
from safelane.orgs.models import Organisation
from safelane.partners import selectors as partner_selectors
from safelane.questionnaires import links, scoring
from safelane.questionnaires.models import (
    Answer,
    Document,
    Question,
    Questionnaire,
    QuestionnaireQuerySet,
    QuestionnaireTemplate,
    Status,
    TemplateQuerySet,
)

if TYPE_CHECKING:
    from safelane.partners.models import Partner

# Days before a link expires on which its partner is reminded (each at most once per link).
REMINDER_DAYS = (7, 1)
# How long before a partner's next review its questionnaire is sent again: the link lasts as
# long, so the answers are in by the due date.
RESEND_LEAD_DAYS = 30


def partner_model() -> Any:
    """The partner register's model, as this app's records refer to it."""
    return Questionnaire._meta.get_field("partner").related_model


def partner_types() -> list[tuple[str, str]]:
    """The partner types (code, label) a template can be meant for, as the register has them."""
    return [
        (str(code), str(label)) for code, label in partner_model()._meta.get_field("kind").choices
    ]


# Templates


def templates(org: Organisation) -> TemplateQuerySet:
    """The organisation's live templates, each with its number of questions and of sends."""
    qs: TemplateQuerySet = (
        QuestionnaireTemplate.objects.for_org(org)
        .active()
        .annotate(
            question_count=Count("questions", distinct=True),
            sent_count=Count("sent", distinct=True),
        )
        .order_by("name", "pk")
    )
    return qs


def template(org: Organisation, pk: int) -> QuestionnaireTemplate | None:
    return QuestionnaireTemplate.objects.for_org(org).filter(pk=pk).first()


@dataclass(frozen=True)
class Branch:
    """A question with its follow-ups, in order."""

    question: Question
    follow_ups: list[Question]


def question_tree(org: Organisation, template: QuestionnaireTemplate) -> list[Branch]:
    rows = list(Question.objects.for_org(org).filter(template=template).order_by("position", "pk"))
    children: dict[int, list[Question]] = defaultdict(list)
    for q in rows:
        if q.follow_up_of_id is not None:
            children[q.follow_up_of_id].append(q)
    return [Branch(q, children.get(q.pk, [])) for q in rows if q.follow_up_of_id is None]


def shipped_not_loaded(org: Organisation) -> list[Any]:
    """The templates Safelane ships that the organisation has no live copy of."""
    from safelane.questionnaires import shipped

    have = set(
        QuestionnaireTemplate.objects.for_org(org)
        .active()
        .exclude(source_key="")
        .values_list("source_key", flat=True)
    )
    return [t for t in shipped.templates() if t.key not in have]


def template_for(org: Organisation, partner: Partner) -> QuestionnaireTemplate | None:
    """The live template meant for the partner's type, if any."""
    for found in templates(org):
        if partner.kind in (found.partner_types or []):
            return found
    return None


# Questionnaires


def questionnaires(org: Organisation) -> QuestionnaireQuerySet:
    """Every questionnaire sent, newest first, with how far its answers have got."""
    qs: QuestionnaireQuerySet = (
        Questionnaire.objects.for_org(org)
        .select_related("partner", "template", "sent_by")
        .annotate(
            answered=Count("answers", filter=~Q(answers__value=""), distinct=True),
            asked=Count("answers", filter=Q(answers__parent_key=""), distinct=True),
            last_saved=Max("answers__answered_at"),
        )
        .order_by("-created_at", "-pk")
    )
    return qs


def questionnaire(org: Organisation, pk: int) -> Questionnaire | None:
    return questionnaires(org).filter(pk=pk).first()


def for_partner(org: Organisation, partner: Partner, limit: int = 10) -> list[Questionnaire]:
    """A partner's latest questionnaires, for its page (one query, however many)."""
    return list(questionnaires(org).filter(partner=partner)[:limit])


def answers(org: Organisation, questionnaire: Questionnaire) -> list[Answer]:
    return list(
        Answer.objects.for_org(org)
        .filter(questionnaire=questionnaire)
        .select_related("action", "scored_by")
        .order_by("position", "pk")
    )


def documents(org: Organisation, questionnaire: Questionnaire) -> list[Document]:
    return list(Document.objects.for_org(org).filter(questionnaire=questionnaire))


def document_counts(docs: list[Document]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for doc in docs:
        if doc.answer_id is not None:
            counts[doc.answer_id] += 1
    return counts


@dataclass(frozen=True)
class Item:
    """One answer as the review and the link show it: how it counts, and its documents."""

    marked: scoring.Marked
    documents: list[Document]

    @property
    def answer(self) -> Answer:
        return self.marked.answer

    @property
    def shown(self) -> str:
        """The answer as the reader reads it (in the language active where it is shown)."""
        return scoring.shown_value(self.marked.answer)


@dataclass(frozen=True)
class Section:
    """The answers of one MSC category, as the partner and the reviewer read them."""

    title: str
    items: list[Item]


def section_titles(answers: list[Answer]) -> dict[str, str]:
    """Each question's section, by its key: the category of the first criterion it checks. A
    follow-up stays with its question, and the questions keep the template's order: a question
    whose category came earlier, after others (a closing "anything else?"), is among the other
    questions."""
    version = catalog_selectors.current_version()
    names = {c.number: c.label for c in catalog_selectors.categories(version)} if version else {}
    titles: dict[str, str] = {}
    seen: list[str] = []
    for answer in answers:
        if answer.parent_key and answer.parent_key in titles:
            titles[answer.key] = titles[answer.parent_key]
            continue
        title = _section_title(answer, names)
        if seen and title != seen[-1] and title in seen:
            title = _("Other questions")
        if not seen or seen[-1] != title:
            seen.append(title)
        titles[answer.key] = title
    return titles


def sections(items: list[Item]) -> list[Section]:
    """Questions in the order they are asked, in runs of one section each."""
    titles = section_titles([item.answer for item in items])
    found: list[Section] = []
    for item in items:
        title = titles[item.answer.key]
        if not found or found[-1].title != title:
            found.append(Section(title, []))
        found[-1].items.append(item)
    return found


def _section_title(answer: Answer, names: dict[int, str]) -> str:
    criteria = answer.criteria if isinstance(answer.criteria, list) else []
    first = str(criteria[0]) if criteria else ""
    number = first.partition(".")[0]
    if number.isdigit() and int(number) in names:
        return f"{number}. {names[int(number)]}"
    return _("Other questions")


@dataclass(frozen=True)
class QuestionnairePage:
    """What the review page, the link and the summary show besides the questionnaire."""

    result: scoring.Result
    sections: list[Section]
    documents: list[Document]
    loose_documents: list[Document]  # uploaded with no question of their own


def questionnaire_page(org: Organisation, questionnaire: Questionnaire) -> QuestionnairePage:
    rows = answers(org, questionnaire)
    docs = documents(org, questionnaire)
    found = scoring.result(
        rows,
        document_counts(docs),
        low_from=questionnaire.low_from,
        medium_from=questionnaire.medium_from,
    )
    by_answer: dict[int, list[Document]] = defaultdict(list)
    for doc in docs:
        if doc.answer_id is not None:
            by_answer[doc.answer_id].append(doc)
    items = [Item(m, by_answer.get(m.answer.pk, [])) for m in found.marked]
    return QuestionnairePage(
        result=found,
        sections=sections(items),
        documents=docs,
        loose_documents=[d for d in docs if d.answer_id is None],
    )


def history(org: Organisation, questionnaire: Questionnaire, limit: int = 30) -> list[AuditEntry]:
    return trail.object_history(org, questionnaire, limit=limit)


def by_token(token: object) -> Questionnaire | None:
    """The questionnaire a link opens: looked up by the token's hash inside the organisation
    the link names, so a link can only ever reach its own organisation's questionnaire."""
    org_id = links.organisation_of(token)
    if org_id is None:
        return None
    org = Organisation.objects.filter(pk=org_id).first()
    if org is None:
        return None
    return (
        Questionnaire.objects.for_org(org)
        .select_related("organisation", "partner", "sent_by")
        .filter(token_hash=links.token_hash(str(token)))
        .first()
    )


def link_document(questionnaire: Questionnaire, pk: int) -> Document | None:
    """A document of the questionnaire the link opens (and of no other)."""
    return (
        Document.objects.for_org(questionnaire.organisation)
        .filter(questionnaire=questionnaire, pk=pk)
        .first()
    )


# What the daily command does


def links_to_remind(
    org: Organisation, now: datetime.datetime | None = None
) -> list[tuple[Questionnaire, int]]:
    """Open links that expire within a reminder's days and have not had that reminder, each
    with the reminder it is due (the nearest one: a link issued for three days gets only the
    last-day reminder)."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=max(REMINDER_DAYS))
    due: list[tuple[Questionnaire, int]] = []
    for q in (
        Questionnaire.objects.for_org(org)
        .open_links(now)
        .filter(expires_at__lte=horizon)
        .order_by("expires_at", "pk")
    ):
        left = math.ceil((q.expires_at - now).total_seconds() / 86400)
        lifetime = (q.expires_at - q.link_issued_at).total_seconds() / 86400
        sent = set(q.reminders or [])
        wanted = [d for d in sorted(REMINDER_DAYS) if left <= d < lifetime and d not in sent]
        if wanted:
            due.append((q, wanted[0]))
    return due


def due_for_resend(org: Organisation, today: datetime.date | None = None) -> list[Questionnaire]:
    """Accepted questionnaires whose partner's next review (set by its risk tier) is within
    RESEND_LEAD_DAYS, when nothing newer was sent to that partner since, and their template
    still wants to be sent again."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=RESEND_LEAD_DAYS)
    due_partners = partner_selectors.partners(org).filter(next_review__lte=horizon)
    newer = Questionnaire.objects.for_org(org).filter(
        partner=OuterRef("partner"), created_at__gt=OuterRef("created_at")
    )
    return list(
        Questionnaire.objects.for_org(org)
        .filter(
            status=Status.ACCEPTED,
            partner__in=due_partners.values("pk"),
            template__resend=True,
            template__archived_at__isnull=True,
        )
        .exclude(Exists(newer))
        .select_related("partner", "contact", "template")
        .order_by("pk")
    )


def has_daily_work(org: Organisation, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(links_to_remind(org, now)) or bool(due_for_resend(org, timezone.localdate(now)))

"""Writes of questionnaire templates: loading the ones Safelane ships, copying, editing, and
their questions (follow-ups included). Templates are a manager's to edit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from safelane.catalog import selectors as catalog_selectors
from safelane.catalog import services as catalog_services
from safelane.core.errors import DomainError
from safelane.core.records import check_values, create_record, delete_record, lock, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.questionnaires import selectors, shipped
from safelane.questionnaires.models import (
    BRANCHING_KINDS,
    Expected,
    Question,
    QuestionKind,
    QuestionnaireTemplate,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

TEMPLATE_FIELDS = (
    "name",
    "name_es",
    "partner_types",
    "intro",
    "intro_es",
    "low_from",
    "medium_from",
    "resend",
)
QUESTION_FIELDS = (
    "kind",
    "text",
    "text_es",
    "guidance",
    "guidance_es",
    "required",
    "weight",
    "expected",
    "choices",
    "criteria",
    "follow_up_of",
    "shown_when",
)
CHOICE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_CHOICES = 20


def _manager(org: Organisation, actor: User | None) -> None:
    require_role(
        org, actor, Role.MANAGER, _("Only managers and owners edit questionnaire templates.")
    )


def _stored_template(org: Organisation, template: QuestionnaireTemplate) -> QuestionnaireTemplate:
    """The template's row, held until the change ends; an archived one is kept as it was."""
    stored = QuestionnaireTemplate.objects.for_org(org).select_for_update().get(pk=template.pk)
    if stored.archived_at is not None:
        raise DomainError(
            _("%(name)s is archived: copy it to use it again.") % {"name": stored.name}
        )
    return stored


def _template_values(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if k in TEMPLATE_FIELDS}
    known = {code for code, _label in selectors.partner_types()}
    types = values.get("partner_types")
    if types is not None:
        if not isinstance(types, list | tuple) or not set(types) <= known:
            raise DomainError(_("Choose partner types from the list."), field="partner_types")
        values["partner_types"] = [
            code for code, _label in selectors.partner_types() if code in types
        ]
    low, medium = values.get("low_from"), values.get("medium_from")
    if low is not None and medium is not None and medium > low:
        raise DomainError(
            _("The medium-risk mark must not be above the low-risk mark."), field="medium_from"
        )
    return values


def create_template(
    *, org: Organisation, actor: User, values: dict[str, Any]
) -> QuestionnaireTemplate:
    """A new, empty template of the organisation's own."""
    _manager(org, actor)
    return create_record(
        org=org,
        actor=actor,
        obj=QuestionnaireTemplate(organisation=org, **_template_values(values)),
    )


def update_template(
    *,
    org: Organisation,
    actor: User,
    template: QuestionnaireTemplate,
    expected_version: int | None,
    values: dict[str, Any],
) -> QuestionnaireTemplate:
    _manager(org, actor)
    values = _template_values(values)
    with transaction.atomic():
        stored = _stored_template(org, template)
        merged = {"low_from": stored.low_from, "medium_from": stored.medium_from, **values}
        _template_values({"low_from": merged["low_from"], "medium_from": merged["medium_from"]})
        return update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )


def archive_template(
    *,
    org: Organisation,
    actor: User,
    template: QuestionnaireTemplate,
    expected_version: int | None,
) -> QuestionnaireTemplate:
    """The template leaves the list; questionnaires sent from it keep their questions."""
    _manager(org, actor)
    with transaction.atomic():
        stored = _stored_template(org, template)
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"archived_at": timezone.now()},
        )


def _insert_questions(
    org: Organisation, template: QuestionnaireTemplate, rows: list[dict[str, Any]]
) -> int:
    """Questions in bulk, in order: `rows` hold the field values and, for a follow-up, the key
    of its question (`parent_key`). Checked like any record first."""
    made: list[Question] = []
    parents: dict[str, Question] = {}
    for position, row in enumerate(rows):
        values = dict(row)
        parent_key = values.pop("parent_key", "")
        question = Question(organisation=org, template=template, position=position, **values)
        check_values(question)
        made.append(question)
        if not parent_key:
            parents[question.key] = question
        else:
            question._parent_key = parent_key  # type: ignore[attr-defined]
    top = [q for q in made if not hasattr(q, "_parent_key")]
    Question.objects.bulk_create(top)
    ids = dict(Question.objects.for_org(org).filter(template=template).values_list("key", "pk"))
    follow_ups = [q for q in made if hasattr(q, "_parent_key")]
    for q in follow_ups:
        q.follow_up_of_id = ids[q._parent_key]
    Question.objects.bulk_create(follow_ups)
    return len(made)


def _known_criteria(org: Organisation, idents: list[str]) -> list[str]:
    found = catalog_selectors.criterion_references(org, idents)
    return [found[i] for i in idents if i in found]


def _shipped_rows(org: Organisation, source: shipped.ShippedTemplate) -> list[dict[str, Any]]:
    every = sorted({c for q in source.all_questions() for c in q.criteria})
    known = set(_known_criteria(org, every))
    rows = []
    for top in source.questions:
        for q in (top, *top.follow_ups):
            rows.append(
                {
                    "key": q.key,
                    "parent_key": "" if q is top else top.key,
                    "shown_when": q.when,
                    "kind": q.kind,
                    "text": q.text,
                    "text_es": q.text_es,
                    "guidance": q.guidance,
                    "guidance_es": q.guidance_es,
                    "required": q.required,
                    "weight": q.weight,
                    "expected": q.expected,
                    "choices": q.choices_data(),
                    "criteria": [c for c in q.criteria if c in known],
                }
            )
    return rows


def load_shipped_templates(
    *, org: Organisation, actor: User, keys: list[str] | None = None
) -> list[QuestionnaireTemplate]:
    """The organisation's own copies of the templates Safelane ships (those named by `keys`, or
    all), each once: a template already loaded, and not archived, is left as it is."""
    _manager(org, actor)
    made = []
    with transaction.atomic():
        lock(org)  # two clicks at once load each template once
        have = {t.source_key for t in selectors.templates(org)}
        for source in shipped.templates():
            if (keys is not None and source.key not in keys) or source.key in have:
                continue
            template = QuestionnaireTemplate(
                organisation=org,
                name=source.name,
                name_es=source.name_es,
                partner_types=list(source.partner_types),
                intro=source.intro,
                intro_es=source.intro_es,
                low_from=source.low_from,
                medium_from=source.medium_from,
                source_key=source.key,
            )
            rows = _shipped_rows(org, source)
            create_record(
                org=org,
                actor=actor,
                obj=template,
                also={"questions": len(rows), "loaded_from": f"{source.key} v{source.version}"},
            )
            _insert_questions(org, template, rows)
            made.append(template)
    return made


def copy_template(
    *, org: Organisation, actor: User, template: QuestionnaireTemplate
) -> QuestionnaireTemplate:
    """A copy of a template, questions and follow-ups included, to change without touching the
    original. The copy is one audit entry that says how many questions it brought along."""
    _manager(org, actor)
    with transaction.atomic():
        stored = QuestionnaireTemplate.objects.for_org(org).select_for_update().get(pk=template.pk)
        name = (_("Copy of %(name)s") % {"name": stored.name})[:200]
        name_es = ""
        if stored.name_es:
            with translation.override("es"):
                name_es = (_("Copy of %(name)s") % {"name": stored.name_es})[:200]
        return _copy_into(org, actor, org, stored, name=name, name_es=name_es)


def copy_template_to(
    *, target: Organisation, actor: User, source: Organisation, template: QuestionnaireTemplate
) -> QuestionnaireTemplate | None:
    """A consultant's template brought from one client (`source`) to another, under its own
    name; None when `target` already has a live template of that name."""
    _manager(target, actor)
    require_role(source, actor, Role.VIEWER)
    with transaction.atomic():
        lock(target)
        if selectors.templates(target).filter(name__iexact=template.name).exists():
            return None
        stored = QuestionnaireTemplate.objects.for_org(source).get(pk=template.pk)
        return _copy_into(target, actor, source, stored, name=stored.name, name_es=stored.name_es)


def _copy_into(
    org: Organisation,
    actor: User,
    source: Organisation,
    stored: QuestionnaireTemplate,
    *,
    name: str,
    name_es: str,
) -> QuestionnaireTemplate:
    copy = QuestionnaireTemplate(
        organisation=org, **{f: getattr(stored, f) for f in TEMPLATE_FIELDS}
    )
    copy.name, copy.name_es = name, name_es
    rows = [
        {
            "key": q.key,
            "parent_key": parent.key if parent is not None else "",
            **{f: getattr(q, f) for f in QUESTION_FIELDS if f != "follow_up_of"},
        }
        for branch in selectors.question_tree(source, stored)
        for q, parent in [
            (branch.question, None),
            *((f, branch.question) for f in branch.follow_ups),
        ]
    ]
    create_record(
        org=org, actor=actor, obj=copy, also={"questions": len(rows), "copied_from": stored.pk}
    )
    _insert_questions(org, copy, rows)
    return copy


def _parse_choices(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_CHOICES:
        raise DomainError(
            _("A choice question needs from 2 to %(most)s choices, one a line.")
            % {"most": MAX_CHOICES},
            field="choices",
        )
    found: list[dict[str, Any]] = []
    for item in raw:
        key = str(item.get("key", "")) if isinstance(item, dict) else ""
        label = str(item.get("label", "")).strip() if isinstance(item, dict) else ""
        score = item.get("score") if isinstance(item, dict) else None
        if not CHOICE_KEY.match(key) or not label:
            raise DomainError(
                _(
                    "Write each choice as: code | English | Spanish | score, such as: checklist | With a checklist | Con una lista | 100."
                ),
                field="choices",
            )
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100
        ):
            raise DomainError(
                _(
                    "The score of %(key)s must be from 0 to 100, or left out for a person to score it."
                )
                % {"key": key},
                field="choices",
            )
        found.append(
            {
                "key": key,
                "label": label,
                "label_es": str(item.get("label_es", "")).strip(),
                "score": score,
            }
        )
    if len({c["key"] for c in found}) != len(found):
        raise DomainError(_("Two choices have the same code."), field="choices")
    return found


def _question_values(
    org: Organisation,
    template: QuestionnaireTemplate,
    question: Question | None,
    values: dict[str, Any],
) -> dict[str, Any]:
    """The rules of a question, checked before anything is written."""
    values = {k: v for k, v in values.items() if k in QUESTION_FIELDS}
    kind = values.get("kind", question.kind if question else QuestionKind.YES_NO)
    if kind not in QuestionKind.values:
        raise DomainError(_("Choose the kind of question."), field="kind")
    if kind != QuestionKind.YES_NO:
        values["expected"] = Expected.NONE
    elif values.get("expected", "") not in Expected.values:
        raise DomainError(_("Choose the answer that scores."), field="expected")
    values["choices"] = _parse_choices(values.get("choices")) if kind == QuestionKind.CHOICE else []
    kept = list(question.criteria) if question is not None else []
    criteria = catalog_services.check_criteria(
        org=org, idents=values.get("criteria") or [], kept=kept
    )
    if not criteria:
        raise DomainError(
            _(
                "Name the criteria the question checks, such as 6.2: the review and the actions refer to them."
            ),
            field="criteria",
        )
    values["criteria"] = criteria
    parent = values.get("follow_up_of")
    shown_when = str(values.get("shown_when") or "").strip()
    if parent is None:
        values["shown_when"] = ""
    else:
        if (
            parent.template_id != template.pk
            or parent.follow_up_of_id is not None
            or (question is not None and parent.pk == question.pk)
        ):
            raise DomainError(
                _(
                    "A follow-up belongs to a question of the same template that is not a follow-up itself."
                ),
                field="follow_up_of",
            )
        if parent.kind not in BRANCHING_KINDS:
            raise DomainError(
                _("Only a yes/no or choice question can have follow-ups."), field="follow_up_of"
            )
        answers = (
            ["yes", "no"]
            if parent.kind == QuestionKind.YES_NO
            else [c["key"] for c in parent.choices]
        )
        if shown_when not in answers:
            raise DomainError(
                _("Say which answer of the question shows the follow-up: %(answers)s.")
                % {"answers": ", ".join(answers)},
                field="shown_when",
            )
        values["shown_when"] = shown_when
    if question is not None:
        follow_ups = list(Question.objects.for_org(org).filter(follow_up_of=question))
        if follow_ups and parent is not None:
            raise DomainError(
                _("This question has follow-ups of its own, so it cannot be a follow-up."),
                field="follow_up_of",
            )
        if follow_ups and kind not in BRANCHING_KINDS:
            raise DomainError(
                _("Remove its follow-ups first: only yes/no and choice questions have them."),
                field="kind",
            )
        offered: set[str] = (
            {"yes", "no"} if kind == QuestionKind.YES_NO else {c["key"] for c in values["choices"]}
        )
        lost = sorted({f.shown_when for f in follow_ups} - offered)
        if follow_ups and lost:
            raise DomainError(
                _("Follow-ups show on %(answers)s, which this question would no longer offer.")
                % {"answers": ", ".join(lost)},
                field="choices",
            )
    values["kind"] = kind
    return values


def _new_key(org: Organisation, template: QuestionnaireTemplate, text: str) -> str:
    base = slugify(text)[:30].strip("-") or "question"
    taken = set(
        Question.objects.for_org(org).filter(template=template).values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def add_question(
    *, org: Organisation, actor: User, template: QuestionnaireTemplate, values: dict[str, Any]
) -> Question:
    _manager(org, actor)
    with transaction.atomic():
        stored = _stored_template(org, template)
        values = _question_values(org, stored, None, values)
        last = (
            Question.objects.for_org(org).filter(template=stored).aggregate(n=Max("position"))["n"]
        )
        return create_record(
            org=org,
            actor=actor,
            obj=Question(
                organisation=org,
                template=stored,
                key=_new_key(org, stored, str(values.get("text", ""))),
                position=(last or 0) + 1,
                **values,
            ),
        )


def _stored_question(
    org: Organisation, question: Question
) -> tuple[QuestionnaireTemplate, Question]:
    template = QuestionnaireTemplate.objects.for_org(org).get(pk=question.template_id)
    stored_template = _stored_template(org, template)
    return stored_template, Question.objects.for_org(org).get(pk=question.pk)


def update_question(
    *,
    org: Organisation,
    actor: User,
    question: Question,
    expected_version: int | None,
    values: dict[str, Any],
) -> Question:
    _manager(org, actor)
    with transaction.atomic():
        template, stored = _stored_question(org, question)
        values = _question_values(org, template, stored, values)
        return update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )


def move_question(
    *, org: Organisation, actor: User, question: Question, direction: str
) -> Question:
    """Swap a question with the one before or after it (follow-ups move among themselves)."""
    _manager(org, actor)
    if direction not in ("up", "down"):
        raise DomainError(_("Move the question up or down."))
    with transaction.atomic():
        template, stored = _stored_question(org, question)
        siblings = list(
            Question.objects.for_org(org)
            .filter(template=template, follow_up_of_id=stored.follow_up_of_id)
            .order_by("position", "pk")
        )
        index = next(i for i, q in enumerate(siblings) if q.pk == stored.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return stored
        # Positions are renumbered in order first, so that two equal positions still swap.
        for position, q in enumerate(siblings):
            q.position = position
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, q in enumerate(siblings):
            update_record(
                org=org, actor=actor, obj=q, expected_version=None, values={"position": position}
            )
        return Question.objects.for_org(org).get(pk=stored.pk)


def delete_question(*, org: Organisation, actor: User, question: Question) -> None:
    """The question and its follow-ups leave the template; sent questionnaires keep theirs."""
    _manager(org, actor)
    with transaction.atomic():
        _template, stored = _stored_question(org, question)
        for follow_up in Question.objects.for_org(org).filter(follow_up_of=stored):
            delete_record(org=org, actor=actor, obj=follow_up)
        delete_record(org=org, actor=actor, obj=stored)

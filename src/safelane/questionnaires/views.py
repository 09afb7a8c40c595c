"""The organisation's questionnaire pages: the list, one questionnaire's review, sending to a
partner, and the templates with their questions. Each button posts to a URL of its own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core.forms import ConfirmForm, make_read_only
from safelane.core.pages import perform
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role
from safelane.questionnaires import selectors, services
from safelane.questionnaires.filtersets import QuestionnaireFilter
from safelane.questionnaires.forms import (
    CorrectionsForm,
    MoveForm,
    NewQuestionForm,
    NewTemplateForm,
    QuestionForm,
    ReissueForm,
    ScoreForm,
    SendForm,
    TemplateForm,
)
from safelane.questionnaires.models import (
    Answer,
    Document,
    Level,
    Question,
    Questionnaire,
    QuestionnaireTemplate,
)

Partner = selectors.partner_model()


def _role(request: OrgRequest, role: Role) -> bool:
    return request.membership.role_enum.allows(role)


# Questionnaires


@org_view()
@require_safe
def questionnaire_list(request: OrgRequest) -> HttpResponse:
    found = QuestionnaireFilter(request.GET, queryset=selectors.questionnaires(request.org))
    rows = found.qs if found.is_valid() else selectors.questionnaires(request.org).none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": found,
        "page": page,
        "query": query.urlencode(),
        "template_count": selectors.templates(request.org).count(),
    }
    template = "questionnaires/list.html#results" if request.htmx else "questionnaires/list.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=200 if found.is_valid() else 400)


def _questionnaire(request: OrgRequest, pk: int) -> Questionnaire:
    return org_object(
        Questionnaire.objects.for_org(request.org).select_related(
            "partner", "contact", "template", "sent_by", "accepted_by", "evidence"
        ),
        request.org,
        pk=pk,
    )


def _detail_url(request: OrgRequest, questionnaire: Questionnaire | int, part: str = "") -> str:
    pk = questionnaire if isinstance(questionnaire, int) else questionnaire.pk
    return reverse("questionnaires:detail", args=[request.org.slug, pk]) + part


def _review_page(
    request: OrgRequest,
    questionnaire: Questionnaire,
    status: int = 200,
    *,
    refused: forms.BaseForm | None = None,
    refused_name: str = "",
    refused_answer: int | None = None,
) -> HttpResponse:
    page = selectors.questionnaire_page(request.org, questionnaire)
    can_edit = _role(request, Role.CONTRIBUTOR)

    def score_form(answer: Answer) -> forms.BaseForm:
        if refused is not None and refused_answer == answer.pk:
            return refused
        form = ScoreForm(answer=answer)
        if not can_edit:
            make_read_only(form)
        return form

    own = {name: refused for name in [refused_name] if refused is not None and refused_name}
    context = {
        "questionnaire": questionnaire,
        "page": page,
        "result": page.result,
        "result_level": dict(Level.choices).get(page.result.level, ""),
        "sections": [
            (section.title, [(item, score_form(item.answer)) for item in section.items])
            for section in page.sections
        ],
        "reissue_form": own.get("reissue") or ReissueForm(record=questionnaire),
        "revoke_form": own.get("revoke") or ConfirmForm(record=questionnaire),
        "corrections_form": own.get("corrections") or CorrectionsForm(record=questionnaire),
        "accept_form": own.get("accept") or ConfirmForm(record=questionnaire),
        "history": selectors.history(request.org, questionnaire),
        "can_edit": can_edit,
        "can_manage": _role(request, Role.MANAGER),
        "scores_open": questionnaire.status == "submitted" and can_edit,
    }
    return render(request, "questionnaires/detail.html", context, status=status)


@org_view(model=Questionnaire)
@require_safe
def questionnaire_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _review_page(request, _questionnaire(request, pk))


def _door(
    request: OrgRequest,
    pk: int,
    *,
    form: forms.BaseForm,
    name: str,
    run: Any,
    message: Any,
    part: str = "",
) -> HttpResponse:
    """A button of the review page: its form, its service, back to the page."""
    questionnaire = _questionnaire(request, pk)
    return perform(
        request,
        form=form,
        run=lambda data: run(questionnaire, data),
        then=_detail_url(request, questionnaire, part),
        message=message,
        page=lambda bound, status: _review_page(
            request, _questionnaire(request, pk), status, refused=bound, refused_name=name
        ),
    )


@org_view(model=Questionnaire)
@require_POST
def link_revoke(request: OrgRequest, pk: int) -> HttpResponse:
    return _door(
        request,
        pk,
        form=ConfirmForm(request.POST),
        name="revoke",
        run=lambda q, data: services.revoke_link(
            org=request.org,
            actor=acting_user(request),
            questionnaire=q,
            expected_version=data["version"],
        ),
        message=_("The link was revoked: it no longer opens the questionnaire."),
        part="#link",
    )


@org_view(model=Questionnaire)
@require_POST
def link_reissue(request: OrgRequest, pk: int) -> HttpResponse:
    return _door(
        request,
        pk,
        form=ReissueForm(request.POST),
        name="reissue",
        run=lambda q, data: services.reissue_link(
            org=request.org,
            actor=acting_user(request),
            questionnaire=q,
            expected_version=data["version"],
            days=data["days"],
        ),
        message=lambda q: (
            _("A new link was e-mailed to %(email)s; the old one no longer works.")
            % {"email": q.recipient_email}
        ),
        part="#link",
    )


@org_view(model=Questionnaire)
@require_POST
def corrections(request: OrgRequest, pk: int) -> HttpResponse:
    return _door(
        request,
        pk,
        form=CorrectionsForm(request.POST),
        name="corrections",
        run=lambda q, data: services.request_corrections(
            org=request.org,
            actor=acting_user(request),
            questionnaire=q,
            note=data["note"],
            days=data["days"],
            expected_version=data["version"],
        ),
        message=lambda q: (
            _("The link is open again; %(email)s was asked for corrections.")
            % {"email": q.recipient_email}
        ),
    )


@org_view(write=Role.MANAGER, model=Questionnaire)
@require_POST
def accept(request: OrgRequest, pk: int) -> HttpResponse:
    return _door(
        request,
        pk,
        form=ConfirmForm(request.POST),
        name="accept",
        run=lambda q, data: services.accept(
            org=request.org,
            actor=acting_user(request),
            questionnaire=q,
            expected_version=data["version"],
        ),
        message=lambda q: (
            _(
                "Accepted: %(partner)s shows %(level)s vulnerability. Its risk tier and next review are worked out again; the summary is in the evidence."
            )
            % {"partner": q.partner.name, "level": q.get_level_display().lower()}
        ),
    )


def _answer(request: OrgRequest, pk: int) -> Answer:
    return org_object(Answer.objects.for_org(request.org), request.org, pk=pk)


@org_view(model=Answer)
@require_POST
def answer_score(request: OrgRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    return perform(
        request,
        form=ScoreForm(request.POST),
        run=lambda data: services.score_answer(
            org=request.org,
            actor=acting_user(request),
            answer=answer,
            score=data["score"],
            note=data["note"],
            expected_version=data["version"],
        ),
        then=_detail_url(request, answer.questionnaire_id, f"#answer-{answer.pk}"),
        message=_("Score saved."),
        page=lambda bound, status: _review_page(
            request,
            _questionnaire(request, answer.questionnaire_id),
            status,
            refused=bound,
            refused_answer=answer.pk,
        ),
    )


@org_view(model=Answer)
@require_POST
def answer_action(request: OrgRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.action_from_answer(
            org=request.org, actor=acting_user(request), answer=answer
        ),
        then=lambda made: reverse("actions:detail", args=[request.org.slug, made[0].pk]),
        message=lambda made: (
            _("The action was planned; it shows on the partner's page.")
            if made[1]
            else _("This answer has its action already.")
        ),
        page=lambda _form, status: _review_page(
            request, _questionnaire(request, answer.questionnaire_id), status
        ),
    )


@org_view(model=Document)
@require_safe
def document_download(request: OrgRequest, pk: int) -> FileResponse:
    """A partner's upload, to members only; never shown inline as a page of ours."""
    document = org_object(Document, request.org, pk=pk)
    if not document.file.name or not default_storage.exists(document.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(document.file.name, "rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# Sending


def _send_page(
    request: OrgRequest, partner: Any, form: forms.BaseForm | None = None, status: int = 200
) -> HttpResponse:
    templates = list(selectors.templates(request.org).filter(question_count__gt=0))
    contacts = list(partner.contacts.for_org(request.org).order_by("name", "pk"))
    suggested = selectors.template_for(request.org, partner)
    if form is None:
        form = SendForm(
            templates=templates,
            contacts=contacts,
            initial={
                "template": suggested.pk if suggested else None,
                "contact": next((c.pk for c in contacts), None) if len(contacts) == 1 else None,
            },
        )
    context = {
        "partner": partner,
        "form": form,
        "templates": templates,
        "contacts": contacts,
        "suggested": suggested,
        "open_ones": list(
            selectors.questionnaires(request.org).unfinished().filter(partner=partner)
        ),
        "can_manage": _role(request, Role.MANAGER),
    }
    return render(request, "questionnaires/send.html", context, status=status)


@org_view(model=Partner)
@require_http_methods(["GET", "POST"])
def send(request: OrgRequest, pk: int) -> HttpResponse:
    """Send a questionnaire to one of the partner's contacts (`pk` names the partner)."""
    partner = org_object(Partner, request.org, pk=pk)
    if request.method != "POST":
        return _send_page(request, partner)
    templates = list(selectors.templates(request.org))
    contacts = list(partner.contacts.for_org(request.org))
    return perform(
        request,
        form=SendForm(request.POST, templates=templates, contacts=contacts),
        run=lambda data: services.send_questionnaire(
            org=request.org,
            actor=acting_user(request),
            template=data["template"],
            partner=partner,
            contact=data["contact"],
            days=data["days"],
            message=data["message"],
        ),
        then=lambda q: _detail_url(request, q),
        message=lambda q: (
            _("The questionnaire was e-mailed to %(email)s, in %(language)s.")
            % {"email": q.recipient_email, "language": q.get_language_display()}
        ),
        page=lambda bound, status: _send_page(request, partner, bound, status),
    )


# Templates


def _templates_page(request: OrgRequest, status: int = 200) -> HttpResponse:
    context = {
        "templates": list(selectors.templates(request.org)),
        "not_loaded": selectors.shipped_not_loaded(request.org),
        "can_manage": _role(request, Role.MANAGER),
    }
    return render(request, "questionnaires/templates.html", context, status=status)


@org_view()
@require_safe
def template_list(request: OrgRequest) -> HttpResponse:
    return _templates_page(request)


@org_view(write=Role.MANAGER)
@require_POST
def templates_load(request: OrgRequest) -> HttpResponse:
    back = reverse("questionnaires:templates", args=[request.org.slug])
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.load_shipped_templates(
            org=request.org, actor=acting_user(request)
        ),
        then=back,
        message=lambda made: (
            _("Loaded: %(names)s.") % {"names": ", ".join(t.name for t in made)}
            if made
            else _("Every template Safelane ships is loaded already.")
        ),
        page=lambda _form, status: _templates_page(request, status),
    )


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def template_create(request: OrgRequest) -> HttpResponse:
    form = NewTemplateForm(request.POST or None)
    if request.method != "POST":
        return render(request, "questionnaires/template_form.html", {"form": form})
    return perform(
        request,
        form=form,
        run=lambda _data: services.create_template(
            org=request.org, actor=acting_user(request), values=form.values()
        ),
        then=lambda t: reverse("questionnaires:template", args=[request.org.slug, t.pk]),
        message=_("The template was created; add its questions."),
        page=lambda bound, status: render(
            request, "questionnaires/template_form.html", {"form": bound or form}, status=status
        ),
    )


def _template(request: OrgRequest, pk: int) -> QuestionnaireTemplate:
    return org_object(QuestionnaireTemplate, request.org, pk=pk)


def _template_url(request: OrgRequest, pk: int, part: str = "") -> str:
    return reverse("questionnaires:template", args=[request.org.slug, pk]) + part


def _template_page(
    request: OrgRequest,
    template: QuestionnaireTemplate,
    status: int = 200,
    *,
    form: forms.BaseForm | None = None,
    new_question: forms.BaseForm | None = None,
) -> HttpResponse:
    can_manage = _role(request, Role.MANAGER) and template.archived_at is None
    tree = selectors.question_tree(request.org, template)
    everything = [q for branch in tree for q in (branch.question, *branch.follow_ups)]
    settings_form = form or TemplateForm(instance=template)
    if not can_manage:
        make_read_only(settings_form)
    context: dict[str, Any] = {
        "template": template,
        "form": settings_form,
        "tree": tree,
        "question_count": len(everything),
        "new_question": new_question or NewQuestionForm(siblings=everything, auto_id="id_new_%s"),
        "archive_form": ConfirmForm(record=template),
        "can_manage": can_manage,
    }
    return render(request, "questionnaires/template.html", context, status=status)


@org_view(write=Role.MANAGER, model=QuestionnaireTemplate)
@require_safe
def template_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _template_page(request, _template(request, pk))


@org_view(write=Role.MANAGER, model=QuestionnaireTemplate)
@require_POST
def template_save(request: OrgRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    form = TemplateForm(request.POST, instance=template)
    return perform(
        request,
        form=form,
        run=lambda data: services.update_template(
            org=request.org,
            actor=acting_user(request),
            template=template,
            expected_version=data["version"],
            values=form.values(),
        ),
        then=_template_url(request, pk),
        message=_("Saved."),
        page=lambda bound, status: _template_page(
            request, _template(request, pk), status, form=bound
        ),
    )


@org_view(write=Role.MANAGER, model=QuestionnaireTemplate)
@require_POST
def template_copy(request: OrgRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.copy_template(
            org=request.org, actor=acting_user(request), template=template
        ),
        then=lambda copy: _template_url(request, copy.pk),
        message=_("This is your copy: change it as you need."),
        page=lambda _form, status: _template_page(request, template, status),
    )


@org_view(write=Role.MANAGER, model=QuestionnaireTemplate)
@require_POST
def template_archive(request: OrgRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.archive_template(
            org=request.org,
            actor=acting_user(request),
            template=template,
            expected_version=data["version"],
        ),
        then=reverse("questionnaires:templates", args=[request.org.slug]),
        message=_("%(name)s was archived.") % {"name": template.name},
        page=lambda _form, status: _template_page(request, _template(request, pk), status),
    )


def _siblings(request: OrgRequest, template: QuestionnaireTemplate) -> list[Question]:
    return list(Question.objects.for_org(request.org).filter(template=template))


@org_view(write=Role.MANAGER, model=QuestionnaireTemplate)
@require_POST
def question_add(request: OrgRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    form = NewQuestionForm(request.POST, siblings=_siblings(request, template), auto_id="id_new_%s")
    return perform(
        request,
        form=form,
        run=lambda _data: services.add_question(
            org=request.org, actor=acting_user(request), template=template, values=form.values()
        ),
        then=lambda q: _template_url(request, pk, f"#question-{q.pk}"),
        message=_("The question was added."),
        page=lambda bound, status: _template_page(request, template, status, new_question=bound),
    )


def _question(request: OrgRequest, pk: int) -> Question:
    return org_object(
        Question.objects.for_org(request.org).select_related("template"), request.org, pk=pk
    )


def _question_page(
    request: OrgRequest, question: Question, form: forms.BaseForm | None = None, status: int = 200
) -> HttpResponse:
    siblings = _siblings(request, question.template)
    form = form or QuestionForm(instance=question, siblings=siblings)
    can_manage = _role(request, Role.MANAGER) and question.template.archived_at is None
    if not can_manage:
        make_read_only(form)
    context = {
        "question": question,
        "template": question.template,
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "questionnaires/question.html", context, status=status)


@org_view(write=Role.MANAGER, model=Question)
@require_http_methods(["GET", "POST"])
def question_save(request: OrgRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if request.method != "POST":
        return _question_page(request, question)
    form = QuestionForm(
        request.POST, instance=question, siblings=_siblings(request, question.template)
    )
    return perform(
        request,
        form=form,
        run=lambda data: services.update_question(
            org=request.org,
            actor=acting_user(request),
            question=question,
            expected_version=data["version"],
            values=form.values(),
        ),
        then=_template_url(request, question.template_id, f"#question-{pk}"),
        message=_("Saved."),
        page=lambda bound, status: _question_page(request, question, bound or form, status),
    )


@org_view(write=Role.MANAGER, model=Question)
@require_POST
def question_move(request: OrgRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    return perform(
        request,
        form=MoveForm(request.POST),
        run=lambda data: services.move_question(
            org=request.org,
            actor=acting_user(request),
            question=question,
            direction=data["direction"],
        ),
        then=_template_url(request, question.template_id, f"#question-{pk}"),
        page=lambda _form, status: _template_page(request, question.template, status),
    )


@org_view(write=Role.MANAGER, model=Question)
@require_POST
def question_delete(request: OrgRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.delete_question(
            org=request.org, actor=acting_user(request), question=question
        ),
        then=_template_url(request, question.template_id, "#questions"),
        message=_("The question was removed; questionnaires already sent keep it."),
        page=lambda _form, status: _question_page(request, question, status=status),
    )

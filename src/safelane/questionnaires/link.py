"""The pages a partner contact opens by the link, without an account: the questionnaire, its
draft and its submission, and their own documents. They show that one questionnaire and
nothing else of the organisation's; a link that does not exist answers 404 like any address."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from safelane.core.pages import perform
from safelane.orgs.access import public_view
from safelane.questionnaires import selectors, services
from safelane.questionnaires.forms import LinkForm
from safelane.questionnaires.models import Questionnaire, Status


def _found(token: str) -> Questionnaire:
    questionnaire = selectors.by_token(token)
    if questionnaire is None:
        raise Http404
    return questionnaire


@contextmanager
def _language(request: HttpRequest, questionnaire: Questionnaire) -> Iterator[str]:
    """The contact's language, unless they chose another with the language switch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    language = chosen if chosen in dict(settings.LANGUAGES) else questionnaire.language
    with translation.override(language):
        yield language


def _private(response: HttpResponse) -> HttpResponse:
    """The link is a secret in the address: keep the page out of search engines. (Caches are
    kept out by never_cache; the site-wide same-origin referrer policy keeps the address from
    other sites, and a stricter one would make browsers send a null Origin, which the CSRF
    check refuses.)"""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _form(questionnaire: Questionnaire, data: Any = None, files: Any = None) -> LinkForm:
    org = questionnaire.organisation
    return LinkForm(
        data,
        files,
        answers=selectors.answers(org, questionnaire),
        documents=selectors.documents(org, questionnaire),
        respondent=(questionnaire.respondent_name, questionnaire.respondent_role),
    )


def _sections(form: LinkForm) -> list[tuple[str, list[object]]]:
    """The questions asked, grouped under their section titles in order."""
    titles = selectors.section_titles(form.answers)
    grouped: list[tuple[str, list[object]]] = []
    for item in form.asked():
        if not grouped or grouped[-1][0] != titles[item.answer.key]:
            grouped.append((titles[item.answer.key], []))
        grouped[-1][1].append(item)
    return grouped


def _bound(questionnaire: Questionnaire, form: forms.BaseForm | None) -> LinkForm:
    """The form to show: a fresh one, or the one just sent with the missing answers marked."""
    if form is None:
        return _form(questionnaire)
    refusal = getattr(form, "refusal", None)
    if isinstance(refusal, services.MissingAnswersError) and isinstance(form, LinkForm):
        form.mark_missing(refusal.keys)
    assert isinstance(form, LinkForm)
    return form


def _kept(form: LinkForm) -> bool:
    """A submit refused for a missing answer, name or confirmation has saved the draft first."""
    refusal = getattr(form, "refusal", None)
    return isinstance(refusal, services.MissingAnswersError) or (
        refusal is not None and refusal.field in ("respondent_name", "confirm")
    )


def _page(
    request: HttpRequest,
    token: str,
    questionnaire: Questionnaire,
    form: forms.BaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    reason = services.closed_reason(questionnaire)
    if questionnaire.revoked_at is not None or (reason and questionnaire.is_open):
        # Revoked or expired: say why and who can send a new link, and show nothing more.
        closed = {
            "questionnaire": questionnaire,
            "reason": reason,
            "org": questionnaire.organisation,
        }
        return _private(render(request, "questionnaires/link_closed.html", closed, status=410))
    form = _bound(questionnaire, form)
    done, asked = form.progress()
    context: dict[str, Any] = {
        "questionnaire": questionnaire,
        "org": questionnaire.organisation,
        "token": token,
        "form": form,
        "sections": _sections(form),
        "loose_documents": [d for d in form.document_rows if d.answer_id is None],
        "done": done,
        "total": asked,
        "editable": reason is None,
        "reason": reason,
        "corrections": questionnaire.status == Status.CORRECTIONS,
        "unsaved": form.is_bound and bool(form.errors) and not _kept(form),
        "saved_at": max((a.answered_at for a in form.answers if a.answered_at), default=None),
        "file_names": form.file_names(),
        "save_url": reverse("questionnaires:link_save", args=[token]),
        "submit_url": reverse("questionnaires:link_submit", args=[token]),
    }
    return _private(render(request, "questionnaires/link.html", context, status=status))


@public_view
@never_cache
@require_safe
def link(request: HttpRequest, token: str) -> HttpResponse:
    questionnaire = _found(token)
    with _language(request, questionnaire):
        return _page(request, token, questionnaire)


def _door(request: HttpRequest, token: str, *, submitting: bool) -> HttpResponse:
    questionnaire = _found(token)
    with _language(request, questionnaire):
        reason = services.closed_reason(questionnaire)
        if reason is not None:
            # A second submit (or a save after it) changes nothing and says why.
            messages.info(request, reason)
            return _page(request, token, questionnaire, status=409)
        form = _form(questionnaire, request.POST, request.FILES)

        def run(data: dict[str, object]) -> Questionnaire:
            if submitting:
                return services.submit(
                    questionnaire=questionnaire, draft=form.draft(), confirmed=bool(data["confirm"])
                )
            return services.save_draft(questionnaire=questionnaire, draft=form.draft())

        return perform(
            request,
            form=form,
            run=run,
            then=reverse("questionnaires:link", args=[token])
            + ("#top" if submitting else "#saved"),
            message=_("Thank you: your answers were sent to %(org)s.")
            % {"org": questionnaire.organisation.name}
            if submitting
            else _("Your draft is saved. You can come back to it with the same link."),
            page=lambda bound, status: _page(
                request, token, selectors.by_token(token) or questionnaire, bound, status
            ),
        )


@public_view
@never_cache
@require_POST
def link_save(request: HttpRequest, token: str) -> HttpResponse:
    return _door(request, token, submitting=False)


@public_view
@never_cache
@require_POST
def link_submit(request: HttpRequest, token: str) -> HttpResponse:
    return _door(request, token, submitting=True)


@public_view
@never_cache
@require_safe
def link_document(request: HttpRequest, token: str, document: int) -> FileResponse:
    """One of this questionnaire's own documents, while its link works."""
    questionnaire = _found(token)
    if questionnaire.revoked_at is not None or (
        questionnaire.is_open and services.closed_reason(questionnaire) is not None
    ):
        raise Http404
    found = selectors.link_document(questionnaire, document)
    if found is None or not found.file.name or not default_storage.exists(found.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(found.file.name, "rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""Mapping pages: the documents read against the open self-assessment with the likely gaps, one
reading's review (by criterion or in document order), and a door for each button."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from safelane.assessments import selectors as assessments
from safelane.core.forms import ConfirmForm
from safelane.core.pages import page_fields, perform
from safelane.evidence import selectors as evidence_selectors
from safelane.mapping import selectors, services, tasks
from safelane.mapping.forms import LibraryForm, SearchForm, UploadForm
from safelane.mapping.models import Decision, MappedDocument, Proposal, State
from safelane.orgs.access import OrgRequest, acting_user, may, org_object, org_view
from safelane.orgs.models import Role

LIST_SIZE = 20


def _list_page(
    request: OrgRequest, upload: forms.BaseForm | None = None, status: int = 200
) -> HttpResponse:
    search = SearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    cycle = assessments.open_cycle(request.org)
    library = evidence_selectors.matching(evidence_selectors.library(request.org), text)
    context = {
        "cycle": cycle,
        "page": Paginator(selectors.documents(request.org), LIST_SIZE).get_page(
            request.GET.get("page")
        ),
        "upload_form": upload or UploadForm(),
        "search": search,
        "found": library[:10] if text else None,
        "gaps": selectors.likely_gaps(request.org, cycle) if cycle else [],
        "can_edit": may(request, Role.CONTRIBUTOR),
    }
    return render(request, "mapping/list.html", context, status=status)


@org_view()
@require_safe
def mapping_list(request: OrgRequest) -> HttpResponse:
    return _list_page(request)


def _document_url(request: OrgRequest, document: MappedDocument) -> str:
    return reverse("mapping:document", args=[request.org.slug, document.pk])


@org_view()
@require_POST
def mapping_upload(request: OrgRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    return perform(
        request,
        form=form,
        run=lambda data: services.upload(
            org=request.org,
            actor=acting_user(request),
            upload=data["file"],
            title=data["title"],
            enqueue=tasks.enqueue,
        ),
        then=lambda document: _document_url(request, document),
        message=_("The document is in the library and is being read."),
        page=lambda bound, status: _list_page(request, bound, status),
    )


@org_view()
@require_POST
def map_evidence(request: OrgRequest) -> HttpResponse:
    form = LibraryForm(request.POST, library=evidence_selectors.library(request.org))
    return perform(
        request,
        form=form,
        run=lambda data: services.start(
            org=request.org,
            actor=acting_user(request),
            evidence=data["evidence"],
            enqueue=tasks.enqueue,
        ),
        then=lambda document: _document_url(request, document),
        message=lambda document: _("%(title)s is being read.") % {"title": document.evidence},
        page=lambda _form, status: _list_page(request, None, status),
    )


def _review_page(request: OrgRequest, pk: int, status: int = 200) -> HttpResponse:
    document = org_object(selectors.documents(request.org), request.org, pk=pk)
    can_edit = may(request, Role.CONTRIBUTOR) and document.cycle.closed_at is None
    if request.htmx and request.headers.get("HX-Target") == "progress":  # type: ignore[attr-defined]
        # The progress bar asks every second while the task reads: it needs the document only.
        context = {"document": document, "can_edit": can_edit}
        response = render(request, "mapping/document.html#progress", context)
        if document.state in {State.DONE, State.FAILED}:
            response["HX-Refresh"] = "true"  # the proposals appear with the whole page
        return response
    by = "document" if request.GET.get("by") == "document" else "criterion"
    found = selectors.review(request.org, document, by=by, page=request.GET.get("page"))
    context = {**page_fields(found), "can_edit": can_edit, "query": urlencode({"by": by})}
    return render(request, "mapping/document.html", context, status=status)


@org_view(model=MappedDocument)
@require_safe
def document_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _review_page(request, pk)


class DecisionForm(ConfirmForm):
    by = forms.ChoiceField(choices=[("criterion", ""), ("document", "")], required=False)
    page = forms.IntegerField(min_value=1, max_value=10**6, required=False)


def _decide(decision: str, message: Promise) -> Callable[..., HttpResponseBase]:
    @org_view(model=Proposal)
    @require_POST
    def view(request: OrgRequest, pk: int) -> HttpResponse:
        proposal = org_object(
            Proposal.objects.for_org(request.org).select_related("passage"), request.org, pk=pk
        )
        form = DecisionForm(request.POST)

        def back(_result: object) -> str:
            query = {k: form.cleaned_data[k] for k in ("by", "page") if form.cleaned_data.get(k)}
            url = reverse("mapping:document", args=[request.org.slug, proposal.passage.document_id])
            return f"{url}?{urlencode(query)}#proposal-{pk}" if query else url

        return perform(
            request,
            form=form,
            run=lambda data: services.decide(
                org=request.org,
                actor=acting_user(request),
                proposal=proposal,
                decision=decision,
                expected_version=data["version"],
            ),
            then=back,
            message=message,
            page=lambda _form, status: _review_page(request, proposal.passage.document_id, status),
        )

    return view


proposal_accept = _decide(
    Decision.ACCEPTED, gettext_lazy("Accepted: the document is linked to the answer as evidence.")
)
proposal_reject = _decide(Decision.REJECTED, gettext_lazy("Rejected."))
proposal_reset = _decide(Decision.PENDING, gettext_lazy("Back to review."))

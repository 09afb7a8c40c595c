"""The evidence library pages, the one attach page for every record evidence supports, and the
download of a stored version to members only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core.errors import DomainError
from safelane.core.forms import ConfirmForm, make_read_only
from safelane.core.pages import perform
from safelane.evidence import selectors, services
from safelane.evidence.forms import AttachForm, EvidenceForm, NewEvidenceForm, VersionForm
from safelane.evidence.models import Evidence, EvidenceLink, EvidenceVersion
from safelane.evidence.subjects import Subject
from safelane.orgs import selectors as org_selectors
from safelane.orgs.access import OrgRequest, ViewFunc, acting_user, org_object, org_view
from safelane.orgs.models import Role


@org_view()
@require_safe
def evidence_list(request: OrgRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    qs = selectors.archived(request.org) if show == "archived" else selectors.library(request.org)
    if show == "expired":
        qs = qs.expired()
    elif show == "soon":
        qs = qs.expiring()
    text = request.GET.get("q", "").strip()[:100]
    if text:
        qs = selectors.matching(qs, text)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = selectors.review_counts(request.org)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "show": show,
        "q": text,
        "expired": counts["expired"],
        "soon": counts["expiring"],
        "query": query.urlencode(),
    }
    return render(request, "evidence/list.html", context)


@org_view()
@require_http_methods(["GET", "POST"])
def evidence_create(request: OrgRequest) -> HttpResponse:
    """Upload a document; `?for=response:12` (from an answer, an action, ...) links it there."""
    found = selectors.find_subject(request.org, request.GET.get("for"))
    subject = found[1] if found else None
    form = NewEvidenceForm(
        request.POST or None,
        request.FILES or None,
        members=org_selectors.member_users(request.org),
        initial={"criteria": request.GET.get("criterion", ""), "owner": request.user.pk},
    )
    if request.method == "POST":
        return perform(
            request,
            form=form,
            run=lambda data: services.create_evidence(
                org=request.org,
                actor=acting_user(request),
                values={k: data[k] for k in EvidenceForm.Meta.fields},
                upload=data["file"],
                criteria=data["criteria"],
                subject=subject,
            ),
            then=lambda evidence: _after_upload(request, found, evidence),
            message=lambda evidence: (
                _("%(title)s was added to the library.") % {"title": evidence.title}
            ),
            page=lambda bound, status: _create_page(request, bound or form, found, status),
        )
    return _create_page(request, form, found)


def _create_page(
    request: OrgRequest, form: forms.BaseForm, found: Any, status: int = 200
) -> HttpResponse:
    kind, subject = found if found else (None, None)
    context = {"form": form, "for_label": kind.label(subject) if kind else ""}
    return render(request, "evidence/form.html", context, status=status)


def _after_upload(request: OrgRequest, found: Any, evidence: Evidence) -> str:
    if found:
        kind, subject = found
        return kind.url(request.org, subject) + "#evidence"
    return reverse("evidence:detail", args=[request.org.slug, evidence.pk])


def _evidence(request: OrgRequest, pk: int) -> Evidence:
    return org_object(
        Evidence.objects.for_org(request.org).select_related("owner"), request.org, pk=pk
    )


def _evidence_page(
    request: OrgRequest,
    evidence: Evidence,
    status: int = 200,
    *,
    form: forms.BaseForm | None = None,
    version_form: forms.BaseForm | None = None,
) -> HttpResponse:
    can_edit = request.membership.role_enum.allows(Role.CONTRIBUTOR)
    form = form or EvidenceForm(instance=evidence, members=org_selectors.member_users(request.org))
    if not can_edit:
        make_read_only(form)
    context = {
        "evidence": evidence,
        "form": form,
        "version_form": version_form or VersionForm(),
        "archive_form": ConfirmForm(record=evidence),
        "can_manage": request.membership.role_enum.allows(Role.MANAGER),
        "versions": EvidenceVersion.objects.for_org(request.org)
        .filter(evidence=evidence)
        .select_related("uploaded_by"),
        "supported": selectors.supported(request.org, evidence),
        "can_edit": can_edit,
    }
    return render(request, "evidence/detail.html", context, status=status)


@org_view(model=Evidence)
@require_safe
def evidence_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _evidence_page(request, _evidence(request, pk))


@org_view(model=Evidence)
@require_POST
def evidence_save(request: OrgRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    members = org_selectors.member_users(request.org)
    return perform(
        request,
        form=EvidenceForm(request.POST, instance=evidence, members=members),
        run=lambda data: services.update_evidence(
            org=request.org,
            actor=acting_user(request),
            evidence=evidence,
            expected_version=data["version"],
            values={k: data[k] for k in EvidenceForm.Meta.fields},
        ),
        then=reverse("evidence:detail", args=[request.org.slug, evidence.pk]),
        message=_("Saved."),
        page=lambda form, status: _evidence_page(request, evidence, status, form=form),
    )


@org_view(model=Evidence)
@require_POST
def version_upload(request: OrgRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    return perform(
        request,
        form=VersionForm(request.POST, request.FILES),
        run=lambda data: services.add_version(
            org=request.org, actor=acting_user(request), evidence=evidence, upload=data["file"]
        ),
        then=reverse("evidence:detail", args=[request.org.slug, evidence.pk]) + "#versions",
        message=_("A new version was added."),
        page=lambda form, status: _evidence_page(request, evidence, status, version_form=form),
    )


@org_view(model=EvidenceVersion)
@require_safe
def version_download(request: OrgRequest, pk: int) -> FileResponse:
    """Files are never served from a public address: each download checks membership."""
    version = org_object(EvidenceVersion, request.org, pk=pk)
    if not default_storage.exists(version.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(version.file.name, "rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@org_view(write=Role.MANAGER, model=Evidence)
@require_POST
def evidence_archive(request: OrgRequest, pk: int) -> HttpResponse:
    return _filing(
        request,
        pk,
        services.archive,
        then=reverse("evidence:list", args=[request.org.slug]),
        message=_("%(title)s was archived."),
    )


@org_view(write=Role.MANAGER, model=Evidence)
@require_POST
def evidence_restore(request: OrgRequest, pk: int) -> HttpResponse:
    return _filing(
        request,
        pk,
        services.restore,
        then=reverse("evidence:detail", args=[request.org.slug, pk]),
        message=_("%(title)s is back in the library."),
    )


def _filing(
    request: OrgRequest, pk: int, change: Callable[..., Evidence], *, then: str, message: str
) -> HttpResponse:
    """Archiving or restoring a document: a button with the version its reader saw."""
    evidence = _evidence(request, pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: change(
            org=request.org,
            actor=acting_user(request),
            evidence=evidence,
            expected_version=data["version"],
        ),
        then=then,
        message=message % {"title": evidence.title},
        page=lambda _form, status: _evidence_page(request, _evidence(request, pk), status),
    )


@org_view(model=EvidenceLink)
@require_POST
def link_delete(request: OrgRequest, pk: int) -> HttpResponse:
    link = org_object(
        EvidenceLink.objects.for_org(request.org).select_related("evidence"), request.org, pk=pk
    )
    back = selectors.link_page(request.org, link)
    try:
        services.unlink(org=request.org, actor=acting_user(request), link=link)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    messages.success(request, _("The evidence was detached."))
    return redirect(back)


@org_view(model=EvidenceLink)
@require_POST
def link_confirm(request: OrgRequest, pk: int) -> HttpResponse:
    """A carried-over document looked at again: it still shows what it supports."""
    link = org_object(
        EvidenceLink.objects.for_org(request.org).select_related("evidence"), request.org, pk=pk
    )
    back = selectors.link_page(request.org, link)
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("The page was out of date: look at the document again."))
        services.confirm_link(
            org=request.org,
            actor=acting_user(request),
            link=link,
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    messages.success(
        request, _("%(title)s is confirmed for this year.") % {"title": link.evidence.title}
    )
    return redirect(back)


def attach_view(kind: Subject) -> ViewFunc:
    """The one attach page, for one kind of record: GET searches the library as you type
    (HTMX asks for the results only), POST links the chosen document and goes back."""

    @org_view(model=kind.model)
    @require_http_methods(["GET", "POST"])
    def attach(request: OrgRequest, pk: int) -> HttpResponse:
        subject = org_object(kind.model.objects.all(), request.org, pk=pk)  # type: ignore[attr-defined]
        if request.method != "POST":
            return _attach_page(request, kind, subject)
        return perform(
            request,
            form=AttachForm(request.POST, library=selectors.library(request.org)),
            run=lambda data: services.link(
                org=request.org,
                actor=acting_user(request),
                evidence=data["evidence"],
                subject=subject,
            ),
            then=kind.url(request.org, subject) + "#evidence",
            message=_("The evidence was linked."),
            page=lambda _form, status: _attach_page(request, kind, subject, status),
        )

    attach.__name__ = f"attach_{kind.name}"
    return attach


def _attach_page(
    request: OrgRequest, kind: Subject, subject: Any, status: int = 200
) -> HttpResponse:
    text = request.GET.get("q", "")[:100]
    context = {
        "subject": subject,
        "subject_label": kind.label(subject),
        "back": kind.url(request.org, subject) + "#evidence",
        "attach_url": selectors.attach_url(request.org, subject),
        "q": text,
        "inline": bool(request.htmx),  # type: ignore[attr-defined]
        "found": selectors.search(request.org, text, subject=subject, page=request.GET.get("page")),
    }
    template = "evidence/attach.html#results" if request.htmx else "evidence/attach.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)

"""The evidence library pages and the download of a stored version to members only."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.actions import selectors as action_selectors
from safelane.assessments import selectors as assessment_selectors
from safelane.core.errors import DomainError
from safelane.core.forms import make_read_only
from safelane.evidence import selectors, services
from safelane.evidence.forms import EvidenceForm, NewEvidenceForm, VersionForm
from safelane.evidence.models import Evidence, EvidenceLink, EvidenceVersion
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role


def _members(request: OrgRequest):  # type: ignore[no-untyped-def]
    from safelane.accounts.models import User

    return User.objects.filter(memberships__organisation=request.org).order_by("email")


@org_view()
@require_safe
def evidence_list(request: OrgRequest) -> HttpResponse:
    qs = selectors.library(request.org)
    show = request.GET.get("show", "")
    if show == "expired":
        qs = qs.expired()
    elif show == "soon":
        qs = qs.expiring()
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(links__criterion_ident=text)
        ).distinct()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    expired, soon = selectors.expiring(request.org)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "show": show,
        "q": text,
        "expired": expired,
        "soon": soon,
        "query": query.urlencode(),
    }
    return render(request, "evidence/list.html", context)


@org_view()
@require_http_methods(["GET", "POST"])
def evidence_create(request: OrgRequest) -> HttpResponse:
    form = NewEvidenceForm(
        request.POST or None,
        request.FILES or None,
        members=_members(request),
        initial={"criteria": request.GET.get("criterion", ""), "owner": request.user.pk},
    )
    # Uploaded from an assessment answer: link it to that answer too.
    answer = done_action = None
    if request.GET.get("response", "").isdigit():
        answer = assessment_selectors.response(request.org, int(request.GET["response"]))
    if request.GET.get("action", "").isdigit():
        done_action = (
            action_selectors.actions(request.org).filter(pk=int(request.GET["action"])).first()
        )
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in EvidenceForm.Meta.fields}
        criteria = [
            c
            for c in form.cleaned_data["criteria"]
            if answer is None or c != answer.criterion_ident
        ]
        try:
            evidence = services.create_evidence(
                org=request.org,
                actor=acting_user(request),
                values=values,
                upload=form.cleaned_data["file"],
                criteria=criteria,
                response=answer,
                action=done_action,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("%(title)s was added to the library.") % {"title": evidence.title}
            )
            nxt = request.GET.get("next", "")
            if nxt.startswith(f"/o/{request.org.slug}/"):
                return redirect(nxt)
            return redirect("evidence:detail", org_slug=request.org.slug, pk=evidence.pk)
    return render(request, "evidence/form.html", {"form": form}, status=400 if form.errors else 200)


@org_view(model=Evidence)
@require_http_methods(["GET", "POST"])
def evidence_detail(request: OrgRequest, pk: int) -> HttpResponse:
    evidence = org_object(Evidence.objects.select_related("owner"), request.org, pk=pk)
    form = EvidenceForm(
        request.POST if "save" in request.POST else None,
        instance=evidence,
        members=_members(request),
    )
    version_form = VersionForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    can_edit = request.membership.role_enum.allows(Role.CONTRIBUTOR)
    if not can_edit:
        make_read_only(form)
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        try:
            services.update_evidence(
                org=request.org,
                actor=acting_user(request),
                evidence=evidence,
                expected_version=form.cleaned_data["version"],
                values={k: form.cleaned_data[k] for k in EvidenceForm.Meta.fields},
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("evidence:detail", org_slug=request.org.slug, pk=evidence.pk)
    if request.method == "POST" and "upload" in request.POST and version_form.is_valid():
        try:
            services.add_version(
                org=request.org,
                actor=acting_user(request),
                evidence=evidence,
                upload=version_form.cleaned_data["file"],
            )
        except DomainError as error:
            version_form.add_error("file", str(error.message))
        else:
            messages.success(request, _("A new version was added."))
            return redirect("evidence:detail", org_slug=request.org.slug, pk=evidence.pk)
    context = {
        "evidence": evidence,
        "form": form,
        "version_form": version_form,
        "versions": EvidenceVersion.objects.for_org(request.org)
        .filter(evidence=evidence)
        .select_related("uploaded_by"),
        "links": EvidenceLink.objects.for_org(request.org)
        .filter(evidence=evidence)
        .select_related("response__cycle"),
        "can_edit": can_edit,
    }
    status = 400 if form.errors or version_form.errors else 200
    return render(request, "evidence/detail.html", context, status=status)


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
    evidence = org_object(Evidence, request.org, pk=pk)
    services.archive(org=request.org, actor=acting_user(request), evidence=evidence)
    messages.success(request, _("%(title)s was archived.") % {"title": evidence.title})
    return redirect("evidence:list", org_slug=request.org.slug)


@org_view(model=EvidenceLink)
@require_POST
def link_delete(request: OrgRequest, pk: int) -> HttpResponse:
    link = org_object(EvidenceLink.objects.select_related("response"), request.org, pk=pk)
    services.unlink(org=request.org, actor=acting_user(request), link=link)
    messages.success(request, _("The evidence was detached."))
    if link.response_id:
        return redirect("assessments:response", org_slug=request.org.slug, pk=link.response_id)
    if link.action_id:
        return redirect("actions:detail", org_slug=request.org.slug, pk=link.action_id)
    return redirect("evidence:detail", org_slug=request.org.slug, pk=link.evidence_id)

"""Assessment pages: the list of cycles, one cycle with scores, one response, gaps, the portal
view, comparisons, exports and the evidence package."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.actions import selectors as action_selectors
from safelane.assessments import charts, exports, selectors, services, tasks
from safelane.assessments.forms import CommentForm, ResponseForm, StartCycleForm
from safelane.assessments.models import AssessmentCycle, Response, Status
from safelane.catalog import selectors as catalog_selectors
from safelane.core.errors import DomainError
from safelane.core.forms import PickForm
from safelane.evidence import selectors as evidence_selectors
from safelane.evidence import services as evidence_services
from safelane.jobs import services as jobs
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role


def _members(request: OrgRequest) -> Any:
    from safelane.accounts.models import User

    return User.objects.filter(memberships__organisation=request.org).order_by("email")


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def cycle_list(request: OrgRequest) -> HttpResponse:
    previous = list(selectors.cycles(request.org))
    form = StartCycleForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        start_from = next(
            (c for c in previous if str(c.pk) == form.cleaned_data["start_from"]), None
        )
        try:
            cycle = services.start_cycle(
                org=request.org,
                actor=acting_user(request),
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                from_cycle=start_from,
                due_date=form.cleaned_data["due_date"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("%(title)s has started.") % {"title": cycle.title})
            return redirect("assessments:cycle", org_slug=request.org.slug, pk=cycle.pk)
    context = {
        "cycles": previous,
        "form": form,
        "can_start": request.membership.role_enum.allows(Role.MANAGER),
    }
    return render(request, "assessments/list.html", context, status=400 if form.errors else 200)


def _cycle_context(request: OrgRequest, cycle: AssessmentCycle) -> dict[str, Any]:
    rows = list(selectors.answers(request.org, cycle))
    names = selectors.category_names(cycle)
    score = selectors.scores(rows, names)
    found = selectors.warnings(rows, request.org.name)
    spanish = catalog_selectors.spanish_requirements(cycle.catalog_version)
    for row in rows:
        row.warning_list = found.get(row.pk, [])  # type: ignore[attr-defined]
        text = spanish.get(row.criterion_ident) or row.requirement
        row.requirement_text = text  # type: ignore[attr-defined]
        row.short_requirement = text if len(text) <= 140 else text[:139].rsplit(" ", 1)[0] + "…"  # type: ignore[attr-defined]
    return {
        "cycle": cycle,
        "rows": rows,
        "scores": score,
        "chart": charts.progress_chart(score.categories),
        "warnings": found,
        "gaps": selectors.gaps(rows),
    }


@org_view(model=AssessmentCycle)
@require_safe
def cycle_detail(request: OrgRequest, pk: int) -> HttpResponse:
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    context = _cycle_context(request, cycle)
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    shown = context["rows"]
    if status:
        shown = [r for r in shown if r.status == status]
    if category:
        shown = [r for r in shown if str(r.category or "own") == category]
    context.update(
        # One reversed prefix instead of one URL lookup per row.
        response_base=reverse("assessments:response", args=[request.org.slug, 0])[:-2],
        shown=shown,
        status_filter=status,
        category_filter=category,
        statuses=Status.choices,
        # The latest few are enough to pick from; the list page has them all.
        others=list(selectors.cycles(request.org).exclude(pk=cycle.pk)[:20]),
    )
    template = "assessments/cycle.html#responses" if request.htmx else "assessments/cycle.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@org_view(model=AssessmentCycle)
@require_safe
def cycle_gaps(request: OrgRequest, pk: int) -> HttpResponse:
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    return render(request, "assessments/gaps.html", _cycle_context(request, cycle))


@org_view(model=AssessmentCycle)
@require_safe
def cycle_portal(request: OrgRequest, pk: int) -> HttpResponse:
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    return render(request, "assessments/portal.html", _cycle_context(request, cycle))


@org_view(model=AssessmentCycle)
@require_safe
def cycle_compare(request: OrgRequest, pk: int) -> HttpResponse:
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    other_id = request.GET.get("with") or (cycle.started_from_id and str(cycle.started_from_id))
    if not other_id or not str(other_id).isdigit():
        others = [c for c in selectors.cycles(request.org) if c.pk != cycle.pk]
        return render(
            request, "assessments/compare.html", {"cycle": cycle, "choose": True, "others": others}
        )
    other = org_object(selectors.cycles(request.org), request.org, pk=int(other_id))
    older, newer = sorted([other, cycle], key=lambda c: c.created_at)
    changes = selectors.compare(
        request.org, older, newer, only_changes=request.GET.get("all") != "1"
    )
    return render(
        request,
        "assessments/compare.html",
        {"cycle": cycle, "older": older, "newer": newer, "changes": changes},
    )


@org_view(model=Response)
@require_http_methods(["GET", "POST"])
def response_detail(request: OrgRequest, pk: int) -> HttpResponse:
    response = org_object(
        Response.objects.select_related("cycle", "owner", "reviewed_by", "own_criterion"),
        request.org,
        pk=pk,
    )
    actor = acting_user(request)
    can_edit = request.membership.role_enum.allows(Role.CONTRIBUTOR)
    form = ResponseForm(
        request.POST if "save" in request.POST else None,
        instance=response,
        members=_members(request),
    )
    comment_form = CommentForm(request.POST if "comment" in request.POST else None)
    library = list(evidence_selectors.library(request.org))
    attach_form = PickForm(
        request.POST if "attach" in request.POST else None,
        name="evidence",
        label=_("Evidence from the library"),
        choices=library,
    )
    if request.method == "POST":
        try:
            if "save" in request.POST and form.is_valid():
                services.update_response(
                    org=request.org,
                    actor=actor,
                    response=response,
                    expected_version=form.cleaned_data["version"],
                    values={k: form.cleaned_data[k] for k in ResponseForm.Meta.fields},
                )
                messages.success(request, _("Saved."))
                return redirect("assessments:response", org_slug=request.org.slug, pk=response.pk)
            if "signoff" in request.POST:
                if not request.membership.role_enum.allows(Role.MANAGER):
                    raise DomainError(_("Only managers and owners sign off answers."))
                services.sign_off(org=request.org, actor=actor, response=response)
                messages.success(request, _("Signed off."))
                return redirect("assessments:response", org_slug=request.org.slug, pk=response.pk)
            if "comment" in request.POST and comment_form.is_valid():
                services.add_comment(
                    org=request.org,
                    actor=actor,
                    response=response,
                    text=comment_form.cleaned_data["text"],
                )
                return redirect("assessments:response", org_slug=request.org.slug, pk=response.pk)
            if "attach" in request.POST and attach_form.is_valid():
                chosen = next(e for e in library if e.pk == attach_form.cleaned_data["evidence"])
                evidence_services.link(
                    org=request.org,
                    actor=actor,
                    evidence=chosen,
                    criterion_ident=response.criterion_ident,
                    response=response,
                )
                return redirect("assessments:response", org_slug=request.org.slug, pk=response.pk)
        except DomainError as error:
            if "save" in request.POST:
                form.add_domain_error(error)
            else:
                messages.error(request, str(error.message))
    rows = list(selectors.responses(request.org, response.cycle))
    context = {
        "response": response,
        "form": form,
        "comment_form": comment_form,
        "attach_form": attach_form,
        "links": [link for r in rows if r.pk == response.pk for link in r.evidence_links.all()],
        "comments": response.comments.select_related("author"),
        "actions": action_selectors.for_response(request.org, response.pk),
        "warnings": selectors.warnings(rows, request.org.name).get(response.pk, []),
        "criterion": catalog_selectors.criterion_in(
            response.cycle.catalog_version, response.criterion_ident
        ),
        "starter": services.starter_text(
            org_name=request.org.name,
            ident=response.criterion_ident,
            requirement=response.requirement,
        ),
        "can_edit": can_edit,
        "can_sign": request.membership.role_enum.allows(Role.MANAGER),
        "neighbours": _neighbours(rows, response),
    }
    bad = form.errors or comment_form.errors or attach_form.errors
    return render(request, "assessments/response.html", context, status=400 if bad else 200)


def _neighbours(
    rows: list[Response], response: Response
) -> tuple[Response | None, Response | None]:
    index = next(i for i, r in enumerate(rows) if r.pk == response.pk)
    return (rows[index - 1] if index else None, rows[index + 1] if index + 1 < len(rows) else None)


EXPORTS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "oscal": ("application/json", "json"),
}


@org_view(write=Role.VIEWER, model=AssessmentCycle)
@require_http_methods(["GET", "POST"])
def cycle_export(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    """GET: the file at once (for scripts). POST from the page: the long documents (PDF, Word)
    are built in the background, and the job's page shows the progress and the download."""
    if fmt not in EXPORTS:
        raise Http404
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    if request.method == "POST":
        if fmt not in tasks.DOCUMENTS:
            return HttpResponseNotAllowed(["GET"])  # the small exports are immediate
        job = jobs.start_document(
            org=request.org,
            actor=acting_user(request),
            kind=f"security-profile-{fmt}",
            title=_("Security profile of %(title)s (%(format)s)")
            % {"title": cycle.title, "format": fmt.upper()},
            enqueue=lambda job_id, language: tasks.enqueue_document(
                org_id=request.org.pk,
                job_id=job_id,
                cycle_id=cycle.pk,
                fmt=fmt,
                language=language,
            ),
        )
        return redirect("jobs:detail", org_slug=request.org.slug, pk=job.pk)
    report = exports.build_report(request.org, cycle)
    body = {
        "docx": exports.as_docx,
        "pdf": exports.as_pdf,
        "xlsx": exports.as_xlsx,
        "oscal": exports.as_oscal_bytes,
    }[fmt](report)
    content_type, extension = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    suffix = (
        "-gaps" if fmt == "xlsx" else ("-oscal-results" if fmt == "oscal" else "-security-profile")
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{request.org.slug}-cycle{cycle.pk}{suffix}.{extension}"'
    )
    return response


@org_view(model=AssessmentCycle)
@require_POST
def cycle_package(request: OrgRequest, pk: int) -> HttpResponse:
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    job = jobs.create_job(
        org=request.org,
        actor=acting_user(request),
        kind="evidence-package",
        title=_("Evidence package for %(title)s") % {"title": cycle.title},
    )
    tasks.enqueue_package(org_id=request.org.pk, job_id=job.pk, cycle_id=cycle.pk)
    return redirect("jobs:detail", org_slug=request.org.slug, pk=job.pk)


@org_view(write=Role.MANAGER, model=AssessmentCycle)
@require_POST
def cycle_close(request: OrgRequest, pk: int) -> HttpResponse:
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    services.close_cycle(org=request.org, actor=acting_user(request), cycle=cycle)
    messages.success(
        request,
        _("%(title)s is closed; its answers are kept as they are.") % {"title": cycle.title},
    )
    return redirect("assessments:cycle", org_slug=request.org.slug, pk=cycle.pk)

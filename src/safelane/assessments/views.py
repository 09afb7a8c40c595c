"""Assessment pages: the list of cycles, one cycle with scores, one response, gaps, the portal
view, comparisons, exports and the evidence package."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.assessments import charts, exports, selectors, services, tasks
from safelane.assessments.filtersets import ResponseFilter
from safelane.assessments.forms import CommentForm, ResponseForm, StartCycleForm
from safelane.assessments.models import AssessmentCycle, Response, Status
from safelane.catalog import selectors as catalog_selectors
from safelane.core.errors import DomainError
from safelane.core.forms import ConfirmForm, make_read_only
from safelane.core.inputs import parse_id
from safelane.core.pages import page_fields, perform
from safelane.evidence import selectors as evidence_selectors
from safelane.jobs import services as jobs
from safelane.orgs import selectors as org_selectors
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role


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
    found = selectors.warnings(rows)
    score = selectors.scores(rows, names, found)
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
        "gaps": selectors.gaps(rows, found),
    }


def _cycle_page(request: OrgRequest, cycle: AssessmentCycle, status: int = 200) -> HttpResponse:
    context = _cycle_context(request, cycle)
    found = ResponseFilter(request.GET, queryset=selectors.answers(request.org, cycle))
    shown_ids = set(found.qs.values_list("pk", flat=True)) if found.is_valid() else set()
    context.update(
        # One reversed prefix instead of one URL lookup per row.
        response_base=reverse("assessments:response", args=[request.org.slug, 0])[:-2],
        shown=[r for r in context["rows"] if r.pk in shown_ids],
        status_filter=request.GET.get("status", ""),
        category_filter=request.GET.get("category", ""),
        statuses=Status.choices,
        # The latest few are enough to pick from; the list page has them all.
        others=list(selectors.cycles(request.org).exclude(pk=cycle.pk)[:20]),
        close_form=ConfirmForm(record=cycle),
        can_close=request.membership.role_enum.allows(Role.MANAGER) and not cycle.closed_at,
    )
    template = "assessments/cycle.html#responses" if request.htmx else "assessments/cycle.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status if found.is_valid() else 400)


@org_view(model=AssessmentCycle)
@require_safe
def cycle_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _cycle_page(request, org_object(selectors.cycles(request.org), request.org, pk=pk))


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
    other_id = parse_id(request.GET.get("with")) or cycle.started_from_id
    if not other_id:
        others = [c for c in selectors.cycles(request.org) if c.pk != cycle.pk]
        return render(
            request, "assessments/compare.html", {"cycle": cycle, "choose": True, "others": others}
        )
    other = org_object(selectors.cycles(request.org), request.org, pk=other_id)
    older, newer = sorted([other, cycle], key=lambda c: c.created_at)
    changes = selectors.compare(
        request.org, older, newer, only_changes=request.GET.get("all") != "1"
    )
    return render(
        request,
        "assessments/compare.html",
        {"cycle": cycle, "older": older, "newer": newer, "changes": changes},
    )


def _response(request: OrgRequest, pk: int) -> Response:
    return org_object(
        Response.objects.for_org(request.org).select_related(
            "cycle__catalog_version", "owner", "reviewed_by"
        ),
        request.org,
        pk=pk,
    )


def _response_url(request: OrgRequest, response: Response, part: str = "") -> str:
    return reverse("assessments:response", args=[request.org.slug, response.pk]) + part


def _response_page(
    request: OrgRequest,
    response: Response,
    status: int = 200,
    *,
    form: forms.BaseForm | None = None,
    comment_form: forms.BaseForm | None = None,
) -> HttpResponse:
    """The answer's page: its form, comments, sign-off, actions and evidence. Each of its
    buttons posts to a URL of its own and comes back here."""
    role = request.membership.role_enum
    closed = response.cycle.closed_at is not None
    # Which change the closing refused, to say so where it was asked for.
    refused_save = closed and status != 200 and form is not None
    refused_comment = closed and status != 200 and comment_form is not None
    members = org_selectors.member_users(request.org)
    if closed or not role.allows(Role.CONTRIBUTOR):
        # The answer as kept, read-only: a change refused because the assessment closed
        # meanwhile is said once, by the page's notice.
        form = ResponseForm(instance=response, members=members)
        make_read_only(form)
    context = {
        "response": response,
        "form": form or ResponseForm(instance=response, members=members),
        "refused_save": refused_save,
        "refused_comment": refused_comment,
        "comment_form": comment_form or CommentForm(),
        "signoff_form": ConfirmForm(record=response),
        "attach_url": evidence_selectors.attach_url(request.org, response),
        "evidence_for": f"response:{response.pk}",
        "can_edit": role.allows(Role.CONTRIBUTOR) and not closed,
        "can_sign": role.allows(Role.MANAGER) and not closed,
        **page_fields(selectors.answer_page(request.org, response)),
    }
    return render(request, "assessments/response.html", context, status=status)


@org_view(model=Response)
@require_safe
def response_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _response_page(request, _response(request, pk))


@org_view(model=Response)
@require_POST
def response_save(request: OrgRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    members = org_selectors.member_users(request.org)
    return perform(
        request,
        form=ResponseForm(request.POST, instance=response, members=members),
        run=lambda data: services.update_response(
            org=request.org,
            actor=acting_user(request),
            response=response,
            expected_version=data["version"],
            values={k: data[k] for k in ResponseForm.Meta.fields},
        ),
        then=_response_url(request, response),
        message=_("Saved."),
        page=lambda form, status: _response_page(request, response, status, form=form),
    )


@org_view(write=Role.MANAGER, model=Response)
@require_POST
def response_sign_off(request: OrgRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.sign_off(
            org=request.org,
            actor=acting_user(request),
            response=response,
            expected_version=data["version"],
        ),
        then=_response_url(request, response, "#review"),
        message=_("Signed off."),
        page=lambda _form, status: _response_page(request, _response(request, pk), status),
    )


@org_view(model=Response)
@require_POST
def response_comment(request: OrgRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    return perform(
        request,
        form=CommentForm(request.POST),
        run=lambda data: services.add_comment(
            org=request.org, actor=acting_user(request), response=response, text=data["text"]
        ),
        then=_response_url(request, response, "#comments"),
        message=_("The comment was added."),
        page=lambda form, status: _response_page(request, response, status, comment_form=form),
    )


EXPORTS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "oscal": ("application/json", "json"),
}


def _options(data: Any) -> exports.Options:
    """What the person asked the profile to leave out (the export menu's boxes)."""
    return exports.Options(
        skip_not_started=bool(data.get("skip_not_started")), musts_only=bool(data.get("musts_only"))
    )


def _profile_job(request: OrgRequest, cycle: AssessmentCycle, fmt: str) -> HttpResponse:
    """The long documents (PDF, Word) are built in the background; the job's page shows the
    progress and the download."""
    if fmt not in tasks.DOCUMENTS:
        return HttpResponseNotAllowed(["GET"])  # the small exports are immediate
    options = _options(request.POST)
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
            options=options,
        ),
    )
    return redirect("jobs:detail", org_slug=request.org.slug, pk=job.pk)


def _export_now(request: OrgRequest, cycle: AssessmentCycle, fmt: str) -> HttpResponse:
    report = exports.build_report(request.org, cycle, _options(request.GET))
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


@org_view(write=Role.VIEWER, model=AssessmentCycle)
@require_http_methods(["GET", "POST"])
def cycle_export(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    """GET: the file at once (for scripts). POST from the page: built in the background."""
    if fmt not in EXPORTS:
        raise Http404
    cycle = org_object(selectors.cycles(request.org), request.org, pk=pk)
    if request.method == "POST":
        return _profile_job(request, cycle, fmt)
    return _export_now(request, cycle, fmt)


@org_view(write=Role.VIEWER, model=AssessmentCycle)
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
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.close_cycle(
            org=request.org,
            actor=acting_user(request),
            cycle=cycle,
            expected_version=data["version"],
        ),
        then=reverse("assessments:cycle", args=[request.org.slug, cycle.pk]),
        message=_("%(title)s is closed; its answers are kept as they are.")
        % {"title": cycle.title},
        page=lambda _form, status: _cycle_page(request, cycle, status),
    )

"""Risk assessment pages: the list, one assessment's five steps, the threat table, comparison
and the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core.errors import DomainError
from safelane.core.forms import form_errors, make_read_only
from safelane.core.pages import perform
from safelane.jobs import services as jobs
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role
from safelane.orgs.record_views import RecordPages
from safelane.risk import report, selectors, services, tasks
from safelane.risk.forms import (
    CountryThreatForm,
    FinaliseForm,
    ImportForm,
    LegForm,
    NewLegForm,
    NewNodeForm,
    NodeForm,
    StartForm,
    ThreatGridForm,
    VulnerabilityGridForm,
)
from safelane.risk.models import CountryThreat, Leg, Node, RiskAssessment, Vulnerability


@org_view()
@require_http_methods(["GET", "POST"])
def assessment_list(request: OrgRequest) -> HttpResponse:
    previous = list(selectors.assessments(request.org))
    form = StartForm(
        request.POST or None,
        previous=previous,
        initial={
            "year": timezone.localdate().year,
            "start_from": str(previous[0].pk) if previous else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        start_from = next(
            (a for a in previous if str(a.pk) == form.cleaned_data["start_from"]), None
        )
        assessment = services.start_assessment(
            org=request.org,
            actor=acting_user(request),
            title=form.cleaned_data["title"],
            year=form.cleaned_data["year"],
            from_assessment=start_from,
        )
        messages.success(request, _("%(title)s has started.") % {"title": assessment.title})
        return redirect("risk:detail", org_slug=request.org.slug, pk=assessment.pk)
    today = timezone.localdate()
    context = {
        "assessments": previous,
        "form": form,
        "today": today,
        "due": selectors.due_state(previous[0].next_due, today) if previous else None,
    }
    return render(request, "risk/list.html", context, status=400 if form.errors else 200)


def _assessment(request: OrgRequest, pk: int) -> RiskAssessment:
    return org_object(selectors.assessments(request.org), request.org, pk=pk)


def _assessment_url(request: OrgRequest, assessment: RiskAssessment, part: str = "") -> str:
    return reverse("risk:detail", args=[request.org.slug, assessment.pk]) + part


def _assessment_page(
    request: OrgRequest,
    assessment: RiskAssessment,
    status: int = 200,
    **refused: forms.BaseForm | None,
) -> HttpResponse:
    """The five steps on one page. Each step's button posts to a URL of its own and comes back
    here; `refused` are the forms shown again with what was wrong."""
    view = selectors.assessment_view(request.org, assessment)
    points = Node.objects.for_org(request.org).filter(assessment=assessment)
    can_edit = request.membership.role_enum.allows(Role.CONTRIBUTOR)
    finalise_form = refused.get("finalise_form") or FinaliseForm(
        record=assessment,
        initial={
            "participants": assessment.participants,
            "method_note": assessment.method_note,
            "next_due": assessment.next_due,
        },
    )
    if not can_edit:
        make_read_only(finalise_form)
    context = {
        **report.view_context(view),
        **_grid_refusal(refused.get("vuln_form")),
        "risk_rows": selectors.risk_rows(request.org, view),
        "node_form": refused.get("node_form") or NewNodeForm(org=request.org),
        "leg_form": refused.get("leg_form") or NewLegForm(points=points),
        "finalise_form": finalise_form,
        "can_edit": can_edit,
    }
    return render(request, "risk/detail.html", context, status=status)


def _grid_refusal(form: forms.BaseForm | None) -> dict[str, Any]:
    """A refused vulnerability grid, shown again as it was sent (but where someone else's
    ratings now show), with the cells its refusal names marked and its reasons."""
    if not isinstance(form, VulnerabilityGridForm):
        return {"vuln_shown": {}, "vuln_refused": frozenset(), "vuln_errors": []}
    refusal = getattr(form, "refusal", None)
    cells = refusal.cells if isinstance(refusal, services.RatingsRefusedError) else frozenset()
    theirs = (
        cells
        if isinstance(refusal, services.RatingsRefusedError) and refusal.stale
        else frozenset()
    )
    return {
        "vuln_shown": {pk: sent for pk, sent in form.typed().items() if pk not in theirs},
        "vuln_refused": cells,
        "vuln_errors": form_errors(form),
    }


@org_view(model=RiskAssessment)
@require_safe
def assessment_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, _assessment(request, pk))


@org_view(model=RiskAssessment)
@require_POST
def point_add(request: OrgRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return perform(
        request,
        form=NewNodeForm(request.POST, org=request.org),
        run=lambda data: services.add_node(
            org=request.org, actor=acting_user(request), assessment=assessment, values=data
        ),
        then=_assessment_url(request, assessment, "#map"),
        message=lambda node: _("Point added: %(name)s.") % {"name": node.name},
        page=lambda form, status: _assessment_page(request, assessment, status, node_form=form),
    )


@org_view(model=RiskAssessment)
@require_POST
def leg_add(request: OrgRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    points = Node.objects.for_org(request.org).filter(assessment=assessment)
    return perform(
        request,
        form=NewLegForm(request.POST, points=points),
        run=lambda data: services.add_leg(
            org=request.org, actor=acting_user(request), assessment=assessment, values=data
        ),
        then=_assessment_url(request, assessment, "#map"),
        message=lambda leg: _("Leg added: %(leg)s.") % {"leg": leg},
        page=lambda form, status: _assessment_page(request, assessment, status, leg_form=form),
    )


@org_view(model=RiskAssessment)
@require_POST
def threats_save(request: OrgRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return perform(
        request,
        form=ThreatGridForm(request.POST),
        run=lambda data: services.save_threat_grid(
            org=request.org, actor=acting_user(request), assessment=assessment, **data
        ),
        then=_assessment_url(request, assessment, "#threats"),
        message=_("Threat ratings saved."),
        page=lambda _form, status: _assessment_page(request, _assessment(request, pk), status),
    )


@org_view(model=RiskAssessment)
@require_POST
def vulnerabilities_save(request: OrgRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return perform(
        request,
        form=VulnerabilityGridForm(request.POST),
        run=lambda data: services.save_vulnerabilities(
            org=request.org, actor=acting_user(request), assessment=assessment, **data
        ),
        then=_assessment_url(request, assessment, "#vulnerabilities"),
        message=_("Vulnerability ratings saved."),
        page=lambda form, status: _assessment_page(
            request, _assessment(request, pk), status, vuln_form=form
        ),
    )


@org_view(model=Vulnerability)
@require_POST
def risk_action(request: OrgRequest, pk: int) -> HttpResponse:
    """The action that treats one risk: made on the first click, opened on any later one."""
    rating = org_object(
        Vulnerability.objects.for_org(request.org).select_related("assessment"), request.org, pk=pk
    )

    def opened(result: tuple[Any, bool]) -> str:
        action, created = result
        if not created:
            messages.info(
                request, _("This risk has its action already: %(title)s") % {"title": action.title}
            )
        # A fragment of its own, or the browser keeps this page's (#vulnerabilities).
        return reverse("actions:detail", args=[request.org.slug, action.pk]) + "#main"

    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.action_from_risk(
            org=request.org, actor=acting_user(request), rating=rating
        ),
        then=opened,
        message=lambda result: (
            _("Action created: %(title)s") % {"title": result[0].title} if result[1] else ""
        ),
        page=lambda _form, status: _assessment_page(request, rating.assessment, status),
    )


@org_view(model=RiskAssessment)
@require_POST
def finalise(request: OrgRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return perform(
        request,
        form=FinaliseForm(request.POST),
        run=lambda data: services.finalise(
            org=request.org,
            actor=acting_user(request),
            assessment=assessment,
            expected_version=data.pop("version"),
            values=data,
        ),
        then=_assessment_url(request, assessment, "#report"),
        message=_("The assessment is documented. Download the report for the CTPAT Portal."),
        page=lambda form, status: _assessment_page(request, assessment, status, finalise_form=form),
    )


def _edit_page(
    request: OrgRequest,
    *,
    obj: Node | Leg,
    form: NodeForm | LegForm,
    save: Callable[..., Any],
    delete_url: str,
) -> HttpResponse:
    """The page that corrects one point or leg of a map (with the version check)."""
    back = reverse("risk:detail", args=[request.org.slug, obj.assessment_id]) + "#map"
    if request.method == "POST" and form.is_valid():
        try:
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            save(
                org=request.org,
                actor=acting_user(request),
                obj=obj,
                expected_version=form.cleaned_data["version"],
                values=values,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    if not request.membership.role_enum.allows(Role.CONTRIBUTOR):
        make_read_only(form)
    context = {
        "form": form,
        "obj": obj,
        "back": back,
        "delete_url": delete_url,
        "can_edit": request.membership.role_enum.allows(Role.CONTRIBUTOR),
    }
    return render(request, "risk/edit.html", context, status=400 if form.errors else 200)


@org_view(model=Node)
@require_http_methods(["GET", "POST"])
def node_edit(request: OrgRequest, pk: int) -> HttpResponse:
    node = org_object(
        Node.objects.for_org(request.org).select_related("assessment"), request.org, pk=pk
    )
    return _edit_page(
        request,
        obj=node,
        form=NodeForm(request.POST or None, instance=node, org=request.org),
        save=lambda obj, **kw: services.update_node(node=obj, **kw),
        delete_url=reverse("risk:node_delete", args=[request.org.slug, node.pk]),
    )


@org_view(model=Leg)
@require_http_methods(["GET", "POST"])
def leg_edit(request: OrgRequest, pk: int) -> HttpResponse:
    leg = org_object(
        Leg.objects.for_org(request.org).select_related("origin", "destination"), request.org, pk=pk
    )
    points = Node.objects.for_org(request.org).filter(assessment_id=leg.assessment_id)
    return _edit_page(
        request,
        obj=leg,
        form=LegForm(request.POST or None, instance=leg, points=points),
        save=lambda obj, **kw: services.update_leg(leg=obj, **kw),
        delete_url=reverse("risk:leg_delete", args=[request.org.slug, leg.pk]),
    )


def _confirm_delete(
    request: OrgRequest, obj: Node | Leg, consequences: list[str], remove: Callable[[], None]
) -> HttpResponse:
    back = reverse("risk:detail", args=[request.org.slug, obj.assessment_id]) + "#map"
    if request.method == "POST":
        remove()
        messages.success(request, _("%(what)s removed.") % {"what": obj})
        return redirect(back)
    context = {"obj": obj, "consequences": consequences, "back": back}
    return render(request, "risk/confirm_delete.html", context)


@org_view(read=Role.CONTRIBUTOR, model=Node)
@require_http_methods(["GET", "POST"])
def node_delete(request: OrgRequest, pk: int) -> HttpResponse:
    node = org_object(
        Node.objects.for_org(request.org).select_related("assessment"), request.org, pk=pk
    )
    legs = Leg.objects.for_org(request.org).filter(Q(origin=node) | Q(destination=node))
    consequences = [str(leg) for leg in legs.select_related("origin", "destination")]
    return _confirm_delete(
        request,
        node,
        [_("The leg %(leg)s goes with it.") % {"leg": leg} for leg in consequences]
        + [_("So do its vulnerability ratings.")],
        lambda: services.delete_node(org=request.org, actor=acting_user(request), node=node),
    )


@org_view(read=Role.CONTRIBUTOR, model=Leg)
@require_http_methods(["GET", "POST"])
def leg_delete(request: OrgRequest, pk: int) -> HttpResponse:
    leg = org_object(
        Leg.objects.for_org(request.org).select_related("origin", "destination"), request.org, pk=pk
    )
    return _confirm_delete(
        request,
        leg,
        [_("Its own threat ratings go with it.")],
        lambda: services.delete_leg(org=request.org, actor=acting_user(request), leg=leg),
    )


@org_view(model=RiskAssessment)
@require_safe
def assessment_compare(request: OrgRequest, pk: int) -> HttpResponse:
    assessment = org_object(selectors.assessments(request.org), request.org, pk=pk)
    older = assessment.started_from
    changes = selectors.compare(request.org, older, assessment) if older else []
    return render(
        request, "risk/compare.html", {"assessment": assessment, "older": older, "changes": changes}
    )


@org_view()
@require_http_methods(["GET", "POST"])
def threats_import(request: OrgRequest) -> HttpResponse:
    """Load the country threat table from CSV: every row checked, all or nothing."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.import_country_threats(
                org=request.org,
                actor=acting_user(request),
                content=form.cleaned_data["file"].read(),
            )
        except DomainError as error:
            problems = str(error.message).split("\n")
        else:
            messages.success(request, _("%(n)s ratings imported.") % {"n": count})
            return redirect("risk:country_threat_list", org_slug=request.org.slug)
    context = {"form": form, "problems": problems}
    return render(
        request, "risk/threats_import.html", context, status=400 if problems or form.errors else 200
    )


@org_view(write=Role.VIEWER, model=RiskAssessment)
@require_http_methods(["GET", "POST"])
def report_document(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    """The documented assessment as PDF or Word. GET: the file at once (for scripts). POST from
    the page: built in the background, with the job's page showing progress and the download."""
    assessment = org_object(selectors.assessments(request.org), request.org, pk=pk)
    if request.method == "POST":
        job = jobs.start_document(
            org=request.org,
            actor=acting_user(request),
            kind=f"risk-report-{fmt}",
            title=_("Report of %(title)s (%(format)s)")
            % {"title": assessment.title, "format": fmt.upper()},
            enqueue=lambda job_id, language: tasks.enqueue_report(
                org_id=request.org.pk,
                job_id=job_id,
                assessment_id=assessment.pk,
                fmt=fmt,
                language=language,
            ),
        )
        return redirect("jobs:detail", org_slug=request.org.slug, pk=job.pk)
    content_type, body = report.document(request.org, assessment, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{report.file_name(request.org, assessment, fmt)}"'
    )
    return response


THREAT_TABLE = RecordPages(
    model=CountryThreat,
    form=CountryThreatForm,
    name="country_threat",
    segment="risk/threats",
    title=gettext_lazy("Country threat table"),
    singular=gettext_lazy("country rating"),
    description=gettext_lazy(
        "Your ratings per country, kept from one assessment to the next. Ratings saved in an "
        "assessment update it."
    ),
    columns=(
        (gettext_lazy("Country"), "country_name"),
        (gettext_lazy("Threat"), "get_threat_display"),
        (gettext_lazy("Level"), "get_level_display"),
        (gettext_lazy("Assessed on"), "assessed_on"),
    ),
    queryset=lambda org: CountryThreat.objects.for_org(org),
    save=services.save_country_threat,
    delete=services.delete_country_threat,
    namespace="risk",
    write=Role.CONTRIBUTOR,
    parent_url="risk:list",
    parent_title=gettext_lazy("Risk assessments"),
    links=((gettext_lazy("Import from CSV"), "risk:threats_import"),),
    empty=gettext_lazy("Rate a country here, import a CSV file, or rate threats in an assessment."),
)

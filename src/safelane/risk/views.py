"""Risk assessment pages: the list, one assessment's five steps, the threat table, comparison
and the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from safelane.actions import selectors as action_selectors
from safelane.core.errors import DomainError
from safelane.core.forms import make_read_only
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
)
from safelane.risk.models import CountryThreat, Leg, Node, RiskAssessment, ThreatType


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


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def _ratings(post: Any, prefix: str, key: Callable[[str], Any]) -> dict[tuple[Any, str], Any]:
    """A rating grid from the form: `<prefix>:<row>:<threat>` holds the level ("" for none) and
    `<prefix>v:<row>:<threat>` the version of the rating the person saw."""
    grid: dict[tuple[Any, str], services.Rated] = {}
    for name in post:
        value = post.get(name, "")
        parts = name.split(":")
        if len(parts) != 3 or parts[0] != prefix or parts[2] not in ThreatType.values:
            continue
        if value not in {"", "1", "2", "3"} or (key is int and _number(parts[1]) is None):
            continue
        seen = _number(post.get(f"{prefix}v:{parts[1]}:{parts[2]}", "")) or 0
        grid[(key(parts[1]), parts[2])] = services.Rated(int(value) if value else None, seen)
    return grid


@org_view(model=RiskAssessment)
@require_http_methods(["GET", "POST"])
def assessment_detail(request: OrgRequest, pk: int) -> HttpResponse:
    assessment = org_object(selectors.assessments(request.org), request.org, pk=pk)
    actor = acting_user(request)
    post = request.POST
    points = Node.objects.for_org(request.org).filter(assessment=assessment)
    node_form = NewNodeForm(post if "add_node" in post else None)
    leg_form = NewLegForm(post if "add_leg" in post else None, points=points)
    finalise_form = FinaliseForm(
        post if "finalise" in post else None,
        initial={
            "participants": assessment.participants,
            "method_note": assessment.method_note,
            "next_due": assessment.next_due,
        },
    )
    if request.method == "POST":
        try:
            if "add_node" in post and node_form.is_valid():
                services.add_node(
                    org=request.org,
                    actor=actor,
                    assessment=assessment,
                    values=node_form.cleaned_data,
                )
                return redirect(f"{request.path}#map")
            if "add_leg" in post and leg_form.is_valid():
                services.add_leg(
                    org=request.org,
                    actor=actor,
                    assessment=assessment,
                    values=leg_form.cleaned_data,
                )
                return redirect(f"{request.path}#map")
            if "threats" in post:
                with transaction.atomic():
                    services.save_threats(
                        org=request.org,
                        actor=actor,
                        assessment=assessment,
                        levels=_ratings(post, "t", str),
                        sources={k[2:]: post.get(k, "") for k in post if k.startswith("s:")},
                    )
                    services.save_leg_threats(
                        org=request.org,
                        actor=actor,
                        assessment=assessment,
                        levels=_ratings(post, "l", int),
                    )
                messages.success(request, _("Threat ratings saved."))
                return redirect(f"{request.path}#threats")
            if "vulnerabilities" in post:
                changes: dict[int, tuple[int, str, int]] = {}
                for key in post:
                    value = post.get(key, "")
                    pk_ = _number(key[2:]) if key.startswith("v:") else None
                    if pk_ is not None and value in {"1", "2", "3"}:
                        seen = _number(post.get(f"vv:{pk_}", "")) or 0
                        changes[pk_] = (int(value), post.get(f"r:{pk_}", ""), seen)
                services.save_vulnerabilities(
                    org=request.org, actor=actor, assessment=assessment, changes=changes
                )
                messages.success(request, _("Vulnerability ratings saved."))
                return redirect(f"{request.path}#vulnerabilities")
            if "risk_action" in post:
                node = org_object(points, request.org, pk=_number(post.get("node", "")) or 0)
                category = _number(post.get("category", "")) or 0
                if category not in selectors.CATEGORIES:
                    raise DomainError(_("Choose an MSC category."))
                action, created = services.action_from_risk(
                    org=request.org,
                    actor=actor,
                    assessment=assessment,
                    node=node,
                    category=category,
                    category_name=selectors.category_names().get(category, str(category)),
                )
                if created:
                    messages.success(
                        request, _("Action created: %(title)s") % {"title": action.title}
                    )
                else:
                    messages.info(
                        request,
                        _("This risk has its action already: %(title)s") % {"title": action.title},
                    )
                # A fragment of its own, or the browser keeps this page's (#vulnerabilities).
                return redirect(
                    reverse("actions:detail", args=[request.org.slug, action.pk]) + "#main"
                )
            if "finalise" in post and finalise_form.is_valid():
                services.finalise(
                    org=request.org,
                    actor=actor,
                    assessment=assessment,
                    values=finalise_form.cleaned_data,
                )
                messages.success(
                    request,
                    _("The assessment is documented. Download the report for the CTPAT Portal."),
                )
                return redirect(f"{request.path}#report")
        except DomainError as error:
            messages.error(request, str(error.message))
    context = report.build_context(request.org, assessment)
    # Only the page offers actions: each top risk with the action already planned for it.
    planned = action_selectors.for_risks(request.org, [n.pk for n in context["nodes"]])
    context.update(
        risk_rows=[(r, planned.get((r.node.pk, r.category))) for r in context["top_risks"]],
        node_form=node_form,
        leg_form=leg_form,
        finalise_form=finalise_form,
        can_edit=request.membership.role_enum.allows(Role.CONTRIBUTOR),
    )
    bad = node_form.errors or leg_form.errors or finalise_form.errors
    return render(request, "risk/detail.html", context, status=400 if bad else 200)


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
    node = org_object(Node.objects.select_related("assessment"), request.org, pk=pk)
    return _edit_page(
        request,
        obj=node,
        form=NodeForm(request.POST or None, instance=node),
        save=lambda obj, **kw: services.update_node(node=obj, **kw),
        delete_url=reverse("risk:node_delete", args=[request.org.slug, node.pk]),
    )


@org_view(model=Leg)
@require_http_methods(["GET", "POST"])
def leg_edit(request: OrgRequest, pk: int) -> HttpResponse:
    leg = org_object(Leg.objects.select_related("origin", "destination"), request.org, pk=pk)
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
    node = org_object(Node.objects.select_related("assessment"), request.org, pk=pk)
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
    leg = org_object(Leg.objects.select_related("origin", "destination"), request.org, pk=pk)
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

"""Incident pages: the register, recording one, its page with the report to CBP, the
post-incident analysis and its corrective actions. Each button posts to a URL of its own."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core.forms import make_read_only
from safelane.core.pages import perform
from safelane.incidents import selectors, services
from safelane.incidents.forms import AnalysisForm, IncidentForm, NewIncidentForm, ReportForm
from safelane.incidents.models import Incident
from safelane.orgs.access import OrgRequest, acting_user, may, org_object, org_view
from safelane.orgs.models import Role
from safelane.partners import selectors as partner_selectors
from safelane.risk import selectors as risk_selectors


def _choices(request: OrgRequest) -> dict[str, Any]:
    """The partners of the register and the points of the newest risk map, to link."""
    newest = risk_selectors.newest(request.org)
    node_model = Incident._meta.get_field("node").related_model
    nodes = node_model.objects.for_org(request.org)  # type: ignore[union-attr]
    return {
        "partners": partner_selectors.partners(request.org),
        "nodes": nodes.filter(assessment=newest) if newest else nodes.none(),
    }


@org_view()
@require_safe
def incident_list(request: OrgRequest) -> HttpResponse:
    context = {
        "incidents": list(selectors.incidents(request.org)),
        "suggestions": selectors.threat_suggestions(request.org),
        "can_edit": may(request, Role.CONTRIBUTOR),
    }
    return render(request, "incidents/list.html", context)


@org_view(read=Role.CONTRIBUTOR, write=Role.CONTRIBUTOR)
@require_http_methods(["GET", "POST"])
def incident_create(request: OrgRequest) -> HttpResponse:
    form = NewIncidentForm(request.POST or None, **_choices(request))
    template = "incidents/form.html"
    if request.method != "POST":
        return render(request, template, {"form": form})
    return perform(
        request,
        form=form,
        run=lambda data: services.record_incident(
            org=request.org, actor=acting_user(request), values=form.values()
        ),
        then=lambda made: reverse("incidents:detail", args=[request.org.slug, made.pk]),
        message=lambda made: _("%(name)s was recorded.") % {"name": made},
        page=lambda bound, status: render(
            request, template, {"form": bound or form}, status=status
        ),
    )


def _incident(request: OrgRequest, pk: int) -> Incident:
    return org_object(selectors.incidents(request.org), request.org, pk=pk)


def _page(
    request: OrgRequest, incident: Incident, status: int = 200, **refused: Any
) -> HttpResponse:
    shown = selectors.incident_page(request.org, incident)
    forms_ = {
        "form": refused.get("form") or IncidentForm(instance=incident, **_choices(request)),
        "report_form": refused.get("report_form") or ReportForm(instance=incident),
        "analysis_form": refused.get("analysis_form") or AnalysisForm(instance=incident),
    }
    can_edit = may(request, Role.CONTRIBUTOR)
    if not can_edit:
        for form in forms_.values():
            make_read_only(form)
    context = {
        **forms_,
        "incident": incident,
        "actions": shown.actions,
        "reference": shown.reference,
        "can_edit": can_edit,
    }
    return render(request, "incidents/incident.html", context, status=status)


@org_view(model=Incident)
@require_safe
def incident_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _page(request, _incident(request, pk))


def _door(
    request: OrgRequest, pk: int, form_class: Any, service: Any, part: str, message: str
) -> HttpResponse:
    """One of the page's forms posted: `service` with the form's values, back to `part`."""
    incident = _incident(request, pk)
    extra = _choices(request) if form_class is IncidentForm else {}
    form = form_class(request.POST, instance=incident, **extra)
    refused = {IncidentForm: "form", ReportForm: "report_form"}.get(form_class, "analysis_form")
    return perform(
        request,
        form=form,
        run=lambda data: service(
            org=request.org,
            actor=acting_user(request),
            incident=incident,
            values=form.values(),
            expected_version=data["version"],
        ),
        then=reverse("incidents:detail", args=[request.org.slug, pk]) + part,
        message=message,
        page=lambda bound, status: _page(
            request, _incident(request, pk), status, **{refused: bound}
        ),
    )


@org_view(write=Role.CONTRIBUTOR, model=Incident)
@require_POST
def incident_save(request: OrgRequest, pk: int) -> HttpResponse:
    return _door(request, pk, IncidentForm, services.update_incident, "", _("Saved."))


@org_view(write=Role.CONTRIBUTOR, model=Incident)
@require_POST
def incident_report(request: OrgRequest, pk: int) -> HttpResponse:
    return _door(
        request,
        pk,
        ReportForm,
        services.record_report,
        "#report",
        _("The report to CBP was recorded."),
    )


@org_view(write=Role.CONTRIBUTOR, model=Incident)
@require_POST
def incident_analysis(request: OrgRequest, pk: int) -> HttpResponse:
    return _door(
        request,
        pk,
        AnalysisForm,
        services.record_analysis,
        "#analysis",
        _("The analysis was saved."),
    )

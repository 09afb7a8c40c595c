"""Validation pages: the list, a mock validation's plan and checklist, a CBP validation as
notified, findings with their actions and response. Each button posts to a URL of its own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core.forms import make_read_only
from safelane.core.pages import page_fields, perform
from safelane.orgs.access import OrgRequest, acting_user, may, org_object, org_view
from safelane.orgs.models import Role
from safelane.validation import exports, selectors, services
from safelane.validation.forms import (
    CbpValidationForm,
    CheckForm,
    FindingForm,
    FindingStatusForm,
    MockValidationForm,
    ResponseForm,
    ValidationForm,
)
from safelane.validation.models import Finding, PlanItem, Validation


@org_view()
@require_safe
def validation_list(request: OrgRequest) -> HttpResponse:
    context = {
        "validations": list(selectors.validations(request.org)),
        "findings": list(selectors.open_findings(request.org)),
        "can_manage": may(request, Role.MANAGER),
    }
    return render(request, "validation/list.html", context)


def _created(request: OrgRequest, form: Any, template: str, run: Any) -> HttpResponse:
    if request.method != "POST":
        return render(request, template, {"form": form})
    return perform(
        request,
        form=form,
        run=run,
        then=lambda made: reverse("validation:detail", args=[request.org.slug, made.pk]),
        message=lambda made: _("%(name)s was added.") % {"name": made},
        page=lambda bound, status: render(
            request, template, {"form": bound or form}, status=status
        ),
    )


@org_view(read=Role.MANAGER, write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def mock_create(request: OrgRequest) -> HttpResponse:
    form = MockValidationForm(request.POST or None, initial={"title": _("Mock validation")})
    return _created(
        request,
        form,
        "validation/mock_form.html",
        lambda data: services.plan_mock_validation(
            org=request.org, actor=acting_user(request), values=form.values(), share=data["share"]
        ),
    )


@org_view(read=Role.MANAGER, write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def cbp_create(request: OrgRequest) -> HttpResponse:
    form = CbpValidationForm(request.POST or None, initial={"title": _("CBP validation")})
    return _created(
        request,
        form,
        "validation/cbp_form.html",
        lambda data: services.record_cbp_validation(
            org=request.org, actor=acting_user(request), values=form.values()
        ),
    )


def _page(
    request: OrgRequest, validation: Validation, status: int = 200, **refused: Any
) -> HttpResponse:
    form = refused.get("form") or ValidationForm(instance=validation)
    if not may(request, Role.MANAGER):
        make_read_only(form)
    shown = selectors.validation_page(request.org, validation)
    for item in shown.items:
        # Each line of the checklist has its own form, with ids of its own.
        refused_here = refused.get("item") == item.pk and refused.get("check_form")
        item.check_form = refused_here or CheckForm(auto_id=f"id_item{item.pk}_%s")  # type: ignore[attr-defined]
    context = {
        **page_fields(shown),
        "facts": shown.facts,
        "spanish": shown.spanish,
        "form": form,
        "finding_form": refused.get("finding_form") or FindingForm(),
        "refused_item": refused.get("item"),
        "attach_url": selectors.evidence_selectors.attach_url(request.org, validation),
        "evidence_for": f"validation:{validation.pk}",
        "can_check": may(request, Role.CONTRIBUTOR),
        "can_manage": may(request, Role.MANAGER),
        "can_edit": may(request, Role.MANAGER),
    }
    return render(request, "validation/validation.html", context, status=status)


def _validation(request: OrgRequest, pk: int) -> Validation:
    return org_object(selectors.validation_records(request.org), request.org, pk=pk)


@org_view(model=Validation)
@require_safe
def validation_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _page(request, _validation(request, pk))


@org_view(model=Validation)
@require_safe
def response_export(request: OrgRequest, pk: int) -> HttpResponse:
    """Our response to the validation's findings, as a Word document."""
    validation = _validation(request, pk)
    answer = HttpResponse(
        exports.response_docx(request.org, validation),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    answer["Content-Disposition"] = (
        f'attachment; filename="validation-{validation.pk}-response.docx"'
    )
    return answer


@org_view(write=Role.MANAGER, model=Validation)
@require_POST
def validation_save(request: OrgRequest, pk: int) -> HttpResponse:
    validation = _validation(request, pk)
    form = ValidationForm(request.POST, instance=validation)
    return perform(
        request,
        form=form,
        run=lambda data: services.update_validation(
            org=request.org,
            actor=acting_user(request),
            validation=validation,
            values=form.values(),
            expected_version=data["version"],
        ),
        then=reverse("validation:detail", args=[request.org.slug, pk]),
        message=_("Saved."),
        page=lambda bound, status: _page(request, _validation(request, pk), status, form=bound),
    )


@org_view(write=Role.MANAGER, model=Validation)
@require_POST
def finding_add(request: OrgRequest, pk: int) -> HttpResponse:
    validation = _validation(request, pk)
    form = FindingForm(request.POST)
    return perform(
        request,
        form=form,
        run=lambda data: services.add_finding(
            org=request.org, actor=acting_user(request), validation=validation, values=form.values()
        ),
        then=lambda made: reverse("validation:finding", args=[request.org.slug, made.pk]),
        message=_("The finding was recorded."),
        page=lambda bound, status: _page(request, validation, status, finding_form=bound),
    )


@org_view(write=Role.CONTRIBUTOR, model=PlanItem)
@require_POST
def item_check(request: OrgRequest, pk: int) -> HttpResponse:
    item = org_object(selectors.plan_items(request.org), request.org, pk=pk)
    return perform(
        request,
        form=CheckForm(request.POST, auto_id=f"id_item{item.pk}_%s"),
        run=lambda data: services.check_item(
            org=request.org,
            actor=acting_user(request),
            item=item,
            result=data["result"],
            note=data["note"],
        ),
        then=reverse("validation:detail", args=[request.org.slug, item.validation.pk])
        + f"#item-{item.pk}",
        message=lambda done: (
            _("%(criterion)s: %(result)s.")
            % {"criterion": done.criterion_ident, "result": done.get_result_display()}
        ),
        page=lambda bound, status: _page(
            request, item.validation, status, item=item.pk, check_form=bound
        ),
    )


def _finding(request: OrgRequest, pk: int) -> Finding:
    return org_object(selectors.findings(request.org), request.org, pk=pk)


def _finding_page(
    request: OrgRequest, finding: Finding, status: int = 200, **refused: forms.BaseForm | None
) -> HttpResponse:
    context = {
        **page_fields(selectors.finding_page(request.org, finding)),
        "response_form": refused.get("response_form")
        or ResponseForm(initial={"version": finding.version, "response": finding.response}),
        "status_form": refused.get("status_form")
        or FindingStatusForm(initial={"version": finding.version, "status": finding.status}),
        "attach_url": selectors.evidence_selectors.attach_url(request.org, finding),
        "evidence_for": f"finding:{finding.pk}",
        "evidence_criteria": finding.criterion_ident,
        "can_edit": may(request, Role.MANAGER),
        "can_plan": may(request, Role.CONTRIBUTOR),
    }
    return render(request, "validation/finding.html", context, status=status)


@org_view(model=Finding)
@require_safe
def finding_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _finding_page(request, _finding(request, pk))


@org_view(write=Role.MANAGER, model=Finding)
@require_POST
def finding_respond(request: OrgRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    return perform(
        request,
        form=ResponseForm(request.POST),
        run=lambda data: services.respond(
            org=request.org,
            actor=acting_user(request),
            finding=finding,
            response=data["response"],
            expected_version=data["version"],
        ),
        then=reverse("validation:finding", args=[request.org.slug, pk]),
        message=_("The response was saved."),
        page=lambda bound, status: _finding_page(
            request, _finding(request, pk), status, response_form=bound
        ),
    )


@org_view(write=Role.MANAGER, model=Finding)
@require_POST
def finding_status(request: OrgRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    return perform(
        request,
        form=FindingStatusForm(request.POST),
        run=lambda data: services.set_finding_status(
            org=request.org,
            actor=acting_user(request),
            finding=finding,
            status=data["status"],
            expected_version=data["version"],
        ),
        then=reverse("validation:finding", args=[request.org.slug, pk]),
        message=lambda done: (
            _("The finding is %(status)s.") % {"status": done.get_status_display().lower()}
        ),
        page=lambda bound, status: _finding_page(
            request, _finding(request, pk), status, status_form=bound
        ),
    )

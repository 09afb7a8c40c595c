"""Field inspection pages: the checklists and their points. Each button posts to a URL of its
own."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from safelane.core.forms import ConfirmForm, make_read_only
from safelane.core.pages import perform
from safelane.inspections import selectors, services
from safelane.inspections.forms import ChecklistForm, PointForm
from safelane.inspections.models import Checklist, ChecklistPoint
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role


def _can(request: OrgRequest, role: Role) -> bool:
    return request.membership.role_enum.allows(role)


# Checklists


def _checklist_list_page(request: OrgRequest, status: int = 200) -> HttpResponse:
    context = {
        "checklists": list(selectors.checklists(request.org)),
        "shipped": len(services.shipped_checklists()),
        "can_manage": _can(request, Role.MANAGER),
    }
    return render(request, "inspections/checklists.html", context, status=status)


@org_view()
@require_safe
def checklist_list(request: OrgRequest) -> HttpResponse:
    return _checklist_list_page(request)


@org_view(write=Role.MANAGER)
@require_POST
def checklists_load(request: OrgRequest) -> HttpResponse:
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.load_checklists(org=request.org, actor=acting_user(request)),
        then=reverse("inspections:checklists", args=[request.org.slug]),
        message=lambda made: _("%(n)s starter checklists were added.") % {"n": len(made)},
        page=lambda _form, status: _checklist_list_page(request, status),
    )


def _checklist_page(
    request: OrgRequest, checklist: Checklist, status: int = 200, form: forms.BaseForm | None = None
) -> HttpResponse:
    form = form or ChecklistForm(instance=checklist)
    if not _can(request, Role.MANAGER) or checklist.archived_at:
        make_read_only(form)
    context = {
        "checklist": checklist,
        "points": selectors.checklist_points(request.org, checklist),
        "form": form,
        "confirm_form": ConfirmForm(record=checklist),
        "can_manage": _can(request, Role.MANAGER),
    }
    return render(request, "inspections/checklist.html", context, status=status)


@org_view(model=Checklist)
@require_safe
def checklist_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _checklist_page(request, org_object(Checklist, request.org, pk=pk))


@org_view(write=Role.MANAGER, model=Checklist)
@require_POST
def checklist_save(request: OrgRequest, pk: int) -> HttpResponse:
    checklist = org_object(Checklist, request.org, pk=pk)
    form = ChecklistForm(request.POST, instance=checklist)
    return perform(
        request,
        form=form,
        run=lambda data: services.update_checklist(
            org=request.org,
            actor=acting_user(request),
            checklist=checklist,
            expected_version=data["version"],
            values=form.values(),
        ),
        then=reverse("inspections:checklist", args=[request.org.slug, checklist.pk]),
        message=_("Saved."),
        page=lambda bound, status: _checklist_page(
            request, org_object(Checklist, request.org, pk=pk), status, bound
        ),
    )


@org_view(write=Role.MANAGER, model=Checklist)
@require_POST
def checklist_archive(request: OrgRequest, pk: int) -> HttpResponse:
    checklist = org_object(Checklist, request.org, pk=pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.set_checklist_archived(
            org=request.org,
            actor=acting_user(request),
            checklist=checklist,
            archived=checklist.archived_at is None,
            expected_version=data["version"],
        ),
        then=reverse("inspections:checklist", args=[request.org.slug, checklist.pk]),
        page=lambda _form, status: _checklist_page(request, checklist, status),
    )


def _point_page(
    request: OrgRequest,
    point: ChecklistPoint,
    status: int = 200,
    form: forms.BaseForm | None = None,
) -> HttpResponse:
    form = form or PointForm(instance=point)
    if not _can(request, Role.MANAGER) or point.checklist.archived_at:
        make_read_only(form)
    context = {"point": point, "form": form, "can_manage": _can(request, Role.MANAGER)}
    return render(request, "inspections/point.html", context, status=status)


def _point(request: OrgRequest, pk: int) -> ChecklistPoint:
    return org_object(
        ChecklistPoint.objects.for_org(request.org).select_related("checklist"), request.org, pk=pk
    )


@org_view(model=ChecklistPoint)
@require_safe
def point_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _point_page(request, _point(request, pk))


@org_view(write=Role.MANAGER, model=ChecklistPoint)
@require_POST
def point_save(request: OrgRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    form = PointForm(request.POST, instance=point)
    return perform(
        request,
        form=form,
        run=lambda data: services.update_point(
            org=request.org,
            actor=acting_user(request),
            point=point,
            expected_version=data["version"],
            values=form.values(),
        ),
        then=reverse("inspections:checklist", args=[request.org.slug, point.checklist_id]),
        message=_("Saved."),
        page=lambda bound, status: _point_page(request, _point(request, pk), status, bound),
    )

"""Field inspection pages: the checklists and their points, sites, inspections and sign-off. Each button posts to a URL of its
own."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.actions import selectors as action_selectors
from safelane.core.errors import DomainError
from safelane.core.forms import ConfirmForm, make_read_only
from safelane.core.inputs import parse_id
from safelane.core.pages import perform
from safelane.inspections import exports, selectors, services
from safelane.inspections.forms import (
    ChecklistForm,
    InspectionFilterForm,
    InspectionForm,
    PointForm,
    SiteForm,
)
from safelane.inspections.models import Checklist, ChecklistPoint, Inspection, Outcome, Site
from safelane.orgs.access import OrgRequest, acting_user, may, org_object, org_view
from safelane.orgs.models import Role
from safelane.orgs.record_views import RecordPages

PAGE_SIZE = 50
STATIC = Path(__file__).resolve().parent / "static" / "inspections"
# A new service worker (and a fresh offline copy) whenever the phone app's own files change.
ASSETS_VERSION = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted(STATIC.iterdir()))
).hexdigest()[:12]


# Checklists


def _checklist_list_page(request: OrgRequest, status: int = 200) -> HttpResponse:
    context = {
        "checklists": list(selectors.checklists(request.org)),
        "shipped": len(services.shipped_checklists()),
        "can_manage": may(request, Role.MANAGER),
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
    if not may(request, Role.MANAGER) or checklist.archived_at:
        make_read_only(form)
    context = {
        "checklist": checklist,
        "points": selectors.checklist_points(request.org, checklist),
        "form": form,
        "confirm_form": ConfirmForm(record=checklist),
        "can_manage": may(request, Role.MANAGER),
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
    if not may(request, Role.MANAGER) or point.checklist.archived_at:
        make_read_only(form)
    context = {"point": point, "form": form, "can_manage": may(request, Role.MANAGER)}
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


# Sites

SITES = RecordPages(
    model=Site,
    form=SiteForm,
    name="site",
    segment="inspections/sites",
    title=gettext_lazy("Inspection sites"),
    singular=gettext_lazy("site"),
    description=gettext_lazy(
        "The yards, docks and gates where conveyances are inspected, and who supervises each: "
        "they sign off inspections and are told when a point fails."
    ),
    columns=(
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("Supervisors"), "supervisor_list"),
    ),
    queryset=selectors.sites,
    save=services.save_site,
    delete=services.delete_site,
    namespace="inspections",
    parent_url="inspections:list",
    parent_title=gettext_lazy("Inspections"),
    empty=gettext_lazy("Add the first site where conveyances are inspected."),
)


# Inspections


@org_view()
@require_safe
def inspection_list(request: OrgRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET or None, sites=selectors.sites(request.org))
    where = form.cleaned_data if form.is_valid() else {}
    paginator = Paginator(selectors.matching(request.org, where), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": paginator.get_page(request.GET.get("page")),
        "filters": form,
        "query": query.urlencode(),
        "filtered": bool(where and any(where.values())),
        "checklists": list(Checklist.objects.for_org(request.org).live()),
        "has_sites": selectors.sites(request.org).exists(),
        "can_edit": may(request, Role.CONTRIBUTOR),
        "can_manage": may(request, Role.MANAGER),
        **_app_context(request),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "inspections/inspections.html", context, status=status)


@org_view()
@require_safe
def inspection_export(request: OrgRequest, fmt: str) -> HttpResponse:
    builders = {
        "csv": (exports.as_csv, "text/csv; charset=utf-8"),
        "xlsx": (exports.as_xlsx, exports.XLSX),
    }
    form = InspectionFilterForm(request.GET or None, sites=selectors.sites(request.org))
    if fmt not in builders or (form.is_bound and not form.is_valid()):
        raise Http404
    where = form.cleaned_data if form.is_bound else {}
    build, content_type = builders[fmt]
    response = HttpResponse(
        build(request.org, selectors.matching(request.org, where)), content_type=content_type
    )
    name = f"{request.org.slug}-inspections.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _answers(request: OrgRequest, checklist: Checklist) -> tuple[dict, dict]:
    """Each point's outcome, note and photos as the form sent them."""
    results, photos = {}, {}
    for point in selectors.checklist_points(request.org, checklist):
        results[point.pk] = {
            "outcome": request.POST.get(f"outcome-{point.pk}", ""),
            "note": request.POST.get(f"note-{point.pk}", "")[:2000],
        }
        photos[point.pk] = request.FILES.getlist(f"photos-{point.pk}")
    return results, photos


def _inspection_form_page(
    request: OrgRequest, checklist: Checklist, form: forms.BaseForm, status: int = 200
) -> HttpResponse:
    rows = [
        (p, request.POST.get(f"outcome-{p.pk}", ""), request.POST.get(f"note-{p.pk}", ""))
        for p in selectors.checklist_points(request.org, checklist)
    ]
    context = {
        "checklist": checklist,
        "rows": rows,
        "form": form,
        "outcomes": Outcome.choices,
        **_app_context(request, checklist.shown_title),
    }
    return render(request, "inspections/inspection_form.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def inspection_create(request: OrgRequest) -> HttpResponse:
    picked = request.POST.get("checklist") or request.GET.get("checklist")
    live = Checklist.objects.for_org(request.org).live()
    if picked is None:
        return render(request, "inspections/pick.html", {"checklists": list(live)})
    checklist = org_object(live, request.org, pk=parse_id(picked))
    sites = selectors.sites(request.org)
    if request.method != "POST":
        initial = {"client_id": uuid.uuid4(), "checklist": checklist.pk}
        form = InspectionForm(initial=initial, sites=sites)
        return _inspection_form_page(request, checklist, form)
    form = InspectionForm(request.POST, sites=sites)
    results, photos = _answers(request, checklist)
    return perform(
        request,
        form=form,
        run=lambda data: services.receive_inspection(
            org=request.org,
            actor=acting_user(request),
            client_id=data["client_id"],
            checklist=checklist,
            site=data["site"],
            values=data,
            results=results,
            photos=photos,
        ),
        then=lambda got: reverse(
            "inspections:inspection", args=[request.org.slug, got.inspection.pk]
        ),
        message=lambda got: (
            _("The inspection is recorded.")
            if got.created
            else _("This inspection was recorded already.")
        ),
        page=lambda bound, status: _inspection_form_page(request, checklist, bound or form, status),
    )


def _inspection_page(
    request: OrgRequest, inspection: Inspection, status: int = 200
) -> HttpResponse:
    context = {
        "inspection": inspection,
        "results": selectors.inspection_results(request.org, inspection),
        "actions": list(action_selectors.for_origin(request.org, inspection)),
        "confirm_form": ConfirmForm(record=inspection),
        "can_sign_off": _may_sign_off(request, inspection),
    }
    return render(request, "inspections/inspection.html", context, status=status)


def _may_sign_off(request: OrgRequest, inspection: Inspection) -> bool:
    try:
        services.ensure_supervisor(request.org, acting_user(request), inspection)
    except DomainError:
        return False
    return inspection.awaiting_signoff


def _inspection(request: OrgRequest, pk: int) -> Inspection:
    return org_object(selectors.inspections(request.org), request.org, pk=pk)


@org_view(model=Inspection)
@require_safe
def inspection_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _inspection_page(request, _inspection(request, pk))


@org_view(model=Inspection)
@require_POST
def inspection_signoff(request: OrgRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.sign_off(
            org=request.org,
            actor=acting_user(request),
            inspection=inspection,
            expected_version=data["version"],
        ),
        then=reverse("inspections:inspection", args=[request.org.slug, inspection.pk]),
        message=_("Signed off."),
        page=lambda _form, status: _inspection_page(request, _inspection(request, pk), status),
    )


# The phone app: its service worker and web app manifest, served by Safelane itself


def _app_context(request: OrgRequest, title: str = "") -> dict[str, Any]:
    return {
        "app_title": title,
        "inspection_texts": {
            "waiting": str(_("waiting for a connection")),
            "refused": str(_("Refused by Safelane, do it again:")),
        },
    }


@org_view()
@require_safe
def worker(request: OrgRequest) -> HttpResponse:
    context = {
        "scope": reverse("inspections:list", args=[request.org.slug]),
        "version": ASSETS_VERSION,
    }
    response = render(request, "inspections/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@org_view()
@require_safe
def manifest(request: OrgRequest) -> JsonResponse:
    scope = reverse("inspections:list", args=[request.org.slug])
    return JsonResponse(
        {
            "name": str(_("Safelane inspections · %(org)s") % {"org": request.org.name}),
            "short_name": str(_("Inspections")),
            "start_url": scope,
            "scope": scope,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0f5c6e",
            "icons": [
                {"src": static("safelane/logo.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        },
        content_type="application/manifest+json",
    )

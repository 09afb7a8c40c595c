"""Partner register pages: the list, one partner, the import, the exports and the screening
review queue. Each button posts to a URL of its own."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core.forms import ConfirmForm, add_refusal, make_read_only
from safelane.core.imports import RowsRefusedError
from safelane.core.pages import page_fields, perform
from safelane.evidence import selectors as evidence_selectors
from safelane.jobs import selectors as job_selectors
from safelane.jobs import services as jobs
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role
from safelane.partners import exports, imports, selectors, services, tasks
from safelane.partners.filtersets import PartnerFilter
from safelane.partners.forms import (
    ColumnsForm,
    ContactForm,
    DecisionForm,
    FacilityForm,
    ImportUploadForm,
    NewPartnerForm,
    PartnerForm,
    TierForm,
)
from safelane.partners.models import Facility, Partner, PartnerContact, ScreeningHit

IMPORT_LIMIT = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "partner_import"


@org_view()
@require_safe
def partner_list(request: OrgRequest) -> HttpResponse:
    found = PartnerFilter(request.GET, queryset=selectors.register(request.org))
    rows = found.qs if found.is_valid() else selectors.partners(request.org).none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": found,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.counts(request.org),
        "can_edit": request.membership.role_enum.allows(Role.CONTRIBUTOR),
        "job": job_selectors.latest(request.org, ["rescreen", "partner-import"]),
    }
    template = "partners/list.html#results" if request.htmx else "partners/list.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=200 if found.is_valid() else 400)


@org_view()
@require_http_methods(["GET", "POST"])
def partner_create(request: OrgRequest) -> HttpResponse:
    form = NewPartnerForm(request.POST or None)
    if request.method != "POST":
        return render(request, "partners/form.html", {"form": form})
    return perform(
        request,
        form=form,
        run=lambda data: services.create_partner(
            org=request.org,
            actor=acting_user(request),
            values=form.values(),
            other_names=data["other_names_text"],
        ),
        then=lambda partner: reverse("partners:detail", args=[request.org.slug, partner.pk]),
        message=lambda partner: _("%(name)s was added and screened.") % {"name": partner.name},
        page=lambda bound, status: render(
            request, "partners/form.html", {"form": bound or form}, status=status
        ),
    )


def _partner(request: OrgRequest, pk: int) -> Partner:
    return org_object(
        Partner.objects.for_org(request.org).select_related("status_verified_by"),
        request.org,
        pk=pk,
    )


def _url(request: OrgRequest, partner: Partner, part: str = "") -> str:
    return reverse("partners:detail", args=[request.org.slug, partner.pk]) + part


def _partner_page(
    request: OrgRequest, partner: Partner, status: int = 200, **refused: forms.BaseForm | None
) -> HttpResponse:
    can_edit = request.membership.role_enum.allows(Role.CONTRIBUTOR)
    form = refused.get("form") or PartnerForm(instance=partner)
    if not can_edit:
        make_read_only(form)
    context = {
        "partner": partner,
        "form": form,
        "tier_form": refused.get("tier_form")
        or TierForm(
            record=partner,
            initial={"tier": partner.tier_override, "reason": partner.tier_override_reason},
        ),
        "facility_form": refused.get("facility_form") or FacilityForm(),
        "contact_form": refused.get("contact_form") or ContactForm(),
        "confirm_form": ConfirmForm(record=partner),
        "attach_url": evidence_selectors.attach_url(request.org, partner),
        "evidence_for": f"partner:{partner.pk}",
        "evidence_criteria": "3.4",
        "can_edit": can_edit,
        "can_manage": request.membership.role_enum.allows(Role.MANAGER),
        **page_fields(selectors.partner_page(request.org, partner)),
    }
    return render(request, "partners/detail.html", context, status=status)


@org_view(model=Partner)
@require_safe
def partner_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _partner_page(request, _partner(request, pk))


@org_view(model=Partner)
@require_POST
def partner_save(request: OrgRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    form = PartnerForm(request.POST, instance=partner)
    return perform(
        request,
        form=form,
        run=lambda data: services.update_partner(
            org=request.org,
            actor=acting_user(request),
            partner=partner,
            expected_version=data["version"],
            values=form.values(),
            other_names=data["other_names_text"],
        ),
        then=_url(request, partner),
        message=_("Saved."),
        page=lambda bound, status: _partner_page(
            request, _partner(request, pk), status, form=bound
        ),
    )


@org_view(write=Role.MANAGER, model=Partner)
@require_POST
def partner_tier(request: OrgRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    return perform(
        request,
        form=TierForm(request.POST),
        run=lambda data: services.set_tier(
            org=request.org,
            actor=acting_user(request),
            partner=partner,
            tier=data["tier"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        then=_url(request, partner, "#tier"),
        message=_("The tier was saved."),
        page=lambda bound, status: _partner_page(request, partner, status, tier_form=bound),
    )


@org_view(model=Partner)
@require_POST
def partner_rescreen(request: OrgRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.rescreen(
            org=request.org, actor=acting_user(request), partner=partner
        ),
        then=_url(request, partner, "#screening"),
        message=_("Screened against the lists loaded now."),
        page=lambda _form, status: _partner_page(request, partner, status),
    )


@org_view(write=Role.MANAGER, model=Partner)
@require_POST
def partner_archive(request: OrgRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.archive(
            org=request.org,
            actor=acting_user(request),
            partner=partner,
            expected_version=data["version"],
        ),
        then=reverse("partners:list", args=[request.org.slug]),
        message=_("%(name)s was archived.") % {"name": partner.name},
        page=lambda _form, status: _partner_page(request, _partner(request, pk), status),
    )


@org_view(write=Role.MANAGER, model=Partner)
@require_POST
def partner_restore(request: OrgRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.restore(
            org=request.org,
            actor=acting_user(request),
            partner=partner,
            expected_version=data["version"],
        ),
        then=_url(request, partner),
        message=_("%(name)s is back in the register.") % {"name": partner.name},
        page=lambda _form, status: _partner_page(request, _partner(request, pk), status),
    )


@org_view(model=Partner)
@require_POST
def facility_add(request: OrgRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    return perform(
        request,
        form=FacilityForm(request.POST),
        run=lambda data: services.add_facility(
            org=request.org, actor=acting_user(request), partner=partner, values=data
        ),
        then=_url(request, partner, "#facilities"),
        page=lambda bound, status: _partner_page(request, partner, status, facility_form=bound),
    )


@org_view(model=Facility)
@require_POST
def facility_remove(request: OrgRequest, pk: int) -> HttpResponse:
    facility = org_object(Facility.objects.for_org(request.org), request.org, pk=pk)
    services.remove_facility(org=request.org, actor=acting_user(request), facility=facility)
    return redirect(
        reverse("partners:detail", args=[request.org.slug, facility.partner_id]) + "#facilities"
    )


@org_view(model=Partner)
@require_POST
def contact_add(request: OrgRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    return perform(
        request,
        form=ContactForm(request.POST),
        run=lambda data: services.add_contact(
            org=request.org, actor=acting_user(request), partner=partner, values=data
        ),
        then=_url(request, partner, "#contacts"),
        page=lambda bound, status: _partner_page(request, partner, status, contact_form=bound),
    )


@org_view(model=PartnerContact)
@require_POST
def contact_remove(request: OrgRequest, pk: int) -> HttpResponse:
    contact = org_object(PartnerContact.objects.for_org(request.org), request.org, pk=pk)
    services.remove_contact(org=request.org, actor=acting_user(request), contact=contact)
    return redirect(
        reverse("partners:detail", args=[request.org.slug, contact.partner_id]) + "#contacts"
    )


@org_view()
@require_safe
def hit_list(request: OrgRequest) -> HttpResponse:
    page = Paginator(selectors.open_hits(request.org), 25).get_page(request.GET.get("page"))
    addresses = selectors.listed_addresses(page.object_list)
    rows = [(hit, addresses.get(hit.pk, "")) for hit in page.object_list]
    return render(request, "partners/hits.html", {"page": page, "rows": rows})


def _hit(request: OrgRequest, pk: int) -> ScreeningHit:
    return org_object(
        ScreeningHit.objects.for_org(request.org).select_related("partner", "decided_by"),
        request.org,
        pk=pk,
    )


def _hit_page(
    request: OrgRequest, hit: ScreeningHit, status: int = 200, form: forms.BaseForm | None = None
) -> HttpResponse:
    context = {
        **page_fields(selectors.hit_page(request.org, hit)),
        "form": form or DecisionForm(record=hit),
        "can_decide": request.membership.role_enum.allows(Role.MANAGER),
    }
    return render(request, "partners/hit.html", context, status=status)


@org_view(model=ScreeningHit)
@require_safe
def hit_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _hit_page(request, _hit(request, pk))


@org_view(write=Role.MANAGER, model=ScreeningHit)
@require_POST
def hit_decide(request: OrgRequest, pk: int) -> HttpResponse:
    hit = _hit(request, pk)
    return perform(
        request,
        form=DecisionForm(request.POST),
        run=lambda data: services.decide_hit(
            org=request.org,
            actor=acting_user(request),
            hit=hit,
            status=data["status"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        then=reverse("partners:hits", args=[request.org.slug]),
        message=_("The decision was recorded."),
        page=lambda bound, status: _hit_page(request, hit, status, bound),
    )


@org_view()
@require_safe
def partner_export(request: OrgRequest, fmt: str) -> HttpResponse:
    builders = {
        "csv": (exports.as_csv, "text/csv; charset=utf-8"),
        "xlsx": (exports.as_xlsx, XLSX),
    }
    if fmt not in builders:
        raise Http404
    build, content_type = builders[fmt]
    response = HttpResponse(
        build(request.org, selectors.partners(request.org)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{request.org.slug}-partners.{fmt}"'
    return response


@org_view()
@require_http_methods(["GET", "POST"])
def import_upload(request: OrgRequest) -> HttpResponse:
    """Step 1: the file, kept aside until its columns are chosen."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(IMPORT_LIMIT + 1)
        try:
            if len(content) > IMPORT_LIMIT:
                raise RowsRefusedError([_("The file is larger than 20 MB.")])
            imports.read_table(content, upload.name or "")  # refuse an unreadable file now
        except RowsRefusedError as error:
            add_refusal(form, error)
        else:
            name = get_valid_filename(PurePosixPath(upload.name or "").name)[-100:] or "partners"
            path = default_storage.save(
                f"imports/{request.org.pk}/{uuid.uuid4().hex}/{name}", ContentFile(content)
            )
            request.session[SESSION_KEY] = {
                "path": path,
                "name": name,
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            return redirect("partners:import_columns", org_slug=request.org.slug)
    status = getattr(form, "refusal_status", 400) if form.errors else 200
    return render(request, "partners/import.html", {"form": form}, status=status)


def _stored_import(request: OrgRequest) -> dict[str, str] | None:
    """The file this person uploaded for an import into this organisation, if any."""
    stored = request.session.get(SESSION_KEY) or {}
    path = stored.get("path", "")
    if not path.startswith(f"imports/{request.org.pk}/") or not default_storage.exists(path):
        return None
    return stored


@org_view()
@require_http_methods(["GET", "POST"])
def import_columns(request: OrgRequest) -> HttpResponse:
    """Step 2: which column is which, the first rows as they will be read, every bad row; then
    the import runs in the background with its progress."""
    stored = _stored_import(request)
    if stored is None:
        messages.info(request, _("Choose the file to import first."))
        return redirect("partners:import", org_slug=request.org.slug)
    with default_storage.open(stored["path"], "rb") as handle:
        headers, rows = imports.read_table(handle.read(), stored["name"])
    form = ColumnsForm(
        request.POST or None,
        headers=headers,
        fields=imports.FIELDS,
        guessed=imports.guess_mapping(headers),
    )
    checked: list[imports.Row] = []
    if form.is_valid():
        try:
            checked = imports.check_rows(rows, form.mapping())
        except RowsRefusedError as error:
            add_refusal(form, error)
    problems = imports.problem_lines([r for r in checked if r.problems])
    ready = form.is_valid() and (not problems or form.cleaned_data["skip_bad_rows"])
    posted = request.method == "POST"  # the one action: start the import
    if posted and ready:
        return _start_import(request, stored, form)
    context = {
        "form": form,
        "file_name": stored["name"],
        "headers": headers,
        "preview": [(number, [values.get(h, "") for h in headers]) for number, values in rows[:5]],
        "row_count": len(rows),
        "good": sum(1 for r in checked if not r.problems),
        "problems": problems[:200],
        "more_problems": max(0, len(problems) - 200),
    }
    return render(request, "partners/import_columns.html", context, status=400 if posted else 200)


def _start_import(request: OrgRequest, stored: dict[str, str], form: ColumnsForm) -> HttpResponse:
    job = jobs.start_document(
        org=request.org,
        actor=acting_user(request),
        kind="partner-import",
        title=_("Import of %(file)s") % {"file": stored["name"]},
        enqueue=lambda job_id, language: tasks.enqueue_import(
            org_id=request.org.pk,
            job_id=job_id,
            actor_id=request.user.pk,
            path=stored["path"],
            file_name=stored["name"],
            mapping=form.mapping(),
            skip_bad_rows=form.cleaned_data["skip_bad_rows"],
            language=language,
        ),
    )
    request.session.pop(SESSION_KEY, None)
    return redirect("jobs:detail", org_slug=request.org.slug, pk=job.pk)

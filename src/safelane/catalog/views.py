"""Catalog pages: the browser, one criterion, the organisation's own criteria, exports, and
the staff page that loads new catalog editions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.catalog import exports, official, selectors, services
from safelane.catalog.entity_types import entity_types
from safelane.catalog.forms import (
    CatalogFilterForm,
    CatalogImportForm,
    DecisionForm,
    NewOwnCriterionForm,
    OfficialDocumentForm,
    OwnCriterionForm,
    RecordOfficialForm,
)
from safelane.catalog.imports import read_table, to_document
from safelane.catalog.loader import CatalogFileError, load, next_label
from safelane.catalog.models import (
    Basis,
    CatalogVersion,
    Criterion,
    OfficialUpload,
    OwnCriterion,
    UploadStatus,
)
from safelane.catalog.msc_pdf import MAX_BYTES
from safelane.core.errors import DomainError
from safelane.core.forms import add_refusal
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view, staff_view
from safelane.orgs.models import Role

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _version_or_404() -> CatalogVersion:
    version = selectors.current_version()
    if version is None:
        raise Http404
    return version


@org_view()
@require_safe
def catalog_list(request: OrgRequest) -> HttpResponse:
    version = _version_or_404()
    form = CatalogFilterForm(request.GET or None, categories=selectors.categories(version))
    where = form.to_filter()
    codes = {e.entity_type for e in selectors.org_entity_types(request.org)}
    made = selectors.decisions(request.org)
    everything = [
        (criterion, selectors.fit(criterion, codes, made.get(criterion.ident)))
        for criterion in selectors.criteria(version)
    ]
    matching = set(selectors.filtered_criteria(version, where).values_list("pk", flat=True))
    rows = [
        (c, f) for c, f in everything if c.pk in matching and (where.scope != "ours" or f.in_scope)
    ]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "version": version,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "has_entity_types": bool(codes),
        "summary": selectors.scope_summary(everything),
        "own_count": selectors.own_criteria(request.org).count(),
        "official": selectors.official_documents(codes).values(),
        "is_staff": request.user.is_staff,
    }
    template = "catalog/list.html#results" if request.htmx else "catalog/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def criterion_detail(request: OrgRequest, ident: str) -> HttpResponse:
    version = _version_or_404()
    criterion: Criterion = get_object_or_404(selectors.criteria(version), ident=ident)
    decision = selectors.decisions(request.org).get(ident)
    initial = (
        {"decision": decision.decision, "justification": decision.justification} if decision else {}
    )
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                org=request.org,
                actor=acting_user(request),
                ident=ident,
                decision=form.cleaned_data["decision"] or None,
                justification=form.cleaned_data["justification"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Your decision on %(id)s was saved.") % {"id": ident})
            return redirect("catalog:criterion", org_slug=request.org.slug, ident=ident)
    codes = {e.entity_type for e in selectors.org_entity_types(request.org)}
    rows = {a.entity_type: a for a in criterion.applicability.all()}
    applicability = [(et, rows.get(code)) for code, et in entity_types().items()]
    context = {
        "criterion": criterion,
        "version": version,
        "fit": selectors.fit(criterion, codes, decision),
        "applicability": applicability,
        "held": codes,
        "form": form,
        "can_decide": request.membership.role_enum.allows(Role.MANAGER),
        "official": selectors.official_documents(
            code for code, row in rows.items() if row.basis == Basis.OFFICIAL_UPLOAD
        ),
    }
    return render(request, "catalog/detail.html", context, status=400 if form.errors else 200)


@org_view()
@require_safe
def catalog_export(request: OrgRequest, fmt: str) -> HttpResponse:
    chosen = exports.FORMATS.get(fmt)
    if chosen is None:
        raise Http404
    version = _version_or_404()
    # The organisation's export: the catalog with its scope, decisions and own criteria.
    tailored = exports.tailoring(request.org, version)
    response = HttpResponse(chosen.build(version, tailored), content_type=chosen.content_type)
    name = exports.file_name(version, fmt, request.org.slug)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@org_view(write=Role.MANAGER)
@require_safe
def own_list(request: OrgRequest) -> HttpResponse:
    page = Paginator(selectors.own_criteria(request.org), 50).get_page(request.GET.get("page"))
    context = {"page": page, "can_edit": request.membership.role_enum.allows(Role.MANAGER)}
    return render(request, "catalog/own_list.html", context)


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def own_create(request: OrgRequest) -> HttpResponse:
    form = NewOwnCriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_own_criterion(
                org=request.org, actor=acting_user(request), values=form.changed_values()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your criterion was added."))
            return redirect("catalog:own", org_slug=request.org.slug)
    return render(
        request, "catalog/own_form.html", {"form": form}, status=400 if form.errors else 200
    )


@org_view(write=Role.MANAGER, model=OwnCriterion)
@require_http_methods(["GET", "POST"])
def own_edit(request: OrgRequest, pk: int) -> HttpResponse:
    criterion = org_object(selectors.own_criteria(request.org), request.org, pk=pk)
    form = OwnCriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_own_criterion(
                org=request.org,
                actor=acting_user(request),
                values=dict(form.changed_values().items()),
                criterion=criterion,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your criterion was saved."))
            return redirect("catalog:own", org_slug=request.org.slug)
    context = {"form": form, "criterion": criterion}
    return render(request, "catalog/own_form.html", context, status=400 if form.errors else 200)


@org_view(write=Role.MANAGER, model=OwnCriterion)
@require_POST
def own_archive(request: OrgRequest, pk: int) -> HttpResponse:
    criterion = org_object(selectors.own_criteria(request.org), request.org, pk=pk)
    services.archive_own_criterion(org=request.org, actor=acting_user(request), criterion=criterion)
    messages.success(request, _("%(code)s was archived.") % {"code": criterion.code})
    return redirect("catalog:own", org_slug=request.org.slug)


@staff_view()
@require_http_methods(["GET", "POST"])
def catalog_admin(request: HttpRequest) -> HttpResponse:
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        current = selectors.current_version()
        if upload.size > MAX_IMPORT_BYTES:
            problems = [_("The file is larger than 5 MB.")]
        elif current is None:
            problems = [_("No catalog is loaded yet.")]
        else:
            try:
                table = read_table(upload.read(), upload.name)
                doc = to_document(table, current, replace=form.cleaned_data["replace"])
                result = load(
                    doc,
                    source=f"import of {upload.name}"[:255],
                    actor=acting_user(request),
                    label=form.cleaned_data["label"] or next_label(current.label),
                )
            except CatalogFileError as exc:
                problems = exc.problems
            else:
                if result.created:
                    messages.success(
                        request,
                        _("Catalog %(label)s is now current.") % {"label": result.version.label},
                    )
                    return redirect("catalog:admin_version", pk=result.version.pk)
                messages.info(request, _("The file matches the current catalog: nothing changed."))
                return redirect("catalog:admin")
    context = {
        "form": form,
        "problems": problems,
        "versions": CatalogVersion.objects.select_related("loaded_by"),
    }
    return render(
        request, "catalog/admin.html", context, status=400 if problems or form.errors else 200
    )


@staff_view(model=CatalogVersion)
@require_safe
def catalog_admin_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(
        CatalogVersion.objects.select_related("previous", "loaded_by"), pk=pk
    )
    return render(request, "catalog/admin_version.html", {"version": version})


@staff_view()
@require_http_methods(["GET", "POST"])
def official_upload(request: HttpRequest) -> HttpResponse:
    """Upload an entity type's official MSC document; Safelane reads it and shows what it says
    beside the catalog before anything is recorded."""
    form = OfficialDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = official.upload(
            actor=acting_user(request),
            content=upload.read(MAX_BYTES + 1),
            file_name=upload.name,
            size=upload.size,
        )
        if record.status != UploadStatus.REFUSED:
            return redirect("catalog:official_detail", pk=record.pk)
        form.add_error("file", record.refusal)
    context = {
        "form": form,
        "uploads": OfficialUpload.objects.select_related("recorded_as")[:50],
        "current": selectors.current_version(),
    }
    return render(request, "catalog/official.html", context, status=400 if form.errors else 200)


@staff_view(model=OfficialUpload)
@require_http_methods(["GET", "POST"])
def official_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What one uploaded document says beside the catalog; its one button records it."""
    record = get_object_or_404(OfficialUpload.objects.select_related("recorded_as"), pk=pk)
    form = RecordOfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = official.record(
                actor=acting_user(request),
                upload_record=record,
                expected_version=form.cleaned_data["edition"],
            )
        except DomainError as error:
            add_refusal(form, error)
        else:
            messages.success(request, official.recorded_message(result))
            return redirect("catalog:admin_version", pk=result.version.pk)
    page = official.review(record)
    status = getattr(form, "refusal_status", 400) if form.errors else 200
    return render(
        request, "catalog/official_detail.html", {"page": page, "form": form}, status=status
    )

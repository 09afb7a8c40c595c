"""List, create, edit and delete pages for simple organisation records, so that each domain
declares a model, a form and its columns instead of writing the same four views again.

Writes still go through services: `save` and `delete` are the domain's service functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safelane.core.errors import DomainError
from safelane.core.forms import VersionedModelForm, make_read_only
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Organisation, Role


@dataclass(frozen=True)
class RecordPages:
    """How one kind of record is listed and edited."""

    model: type[models.Model]
    form: type[VersionedModelForm]
    name: str  # URL name prefix, such as "contact"
    segment: str  # path below the organisation, such as "application/contacts"
    title: str | Promise  # plural, for the list
    singular: str | Promise
    description: str | Promise
    columns: tuple[tuple[str | Promise, str], ...]  # (heading, attribute or get_FOO_display)
    queryset: Callable[[Organisation], Any]
    save: Callable[..., Any]  # save(org=, actor=, obj=, values=, expected_version=)
    delete: Callable[..., Any]  # delete(org=, actor=, obj=)
    namespace: str
    write: Role = Role.MANAGER
    empty: str | Promise = ""
    parent_url: str = "eligibility:index"  # the page the breadcrumb leads back to
    parent_title: str | Promise = ""
    links: tuple[tuple[str | Promise, str], ...] = ()  # more pages: (label, URL name), on the list

    def url(self, action: str, org: Organisation, pk: int | None = None) -> str:
        args: list[Any] = [org.slug] if pk is None else [org.slug, pk]
        return reverse(f"{self.namespace}:{self.name}_{action}", args=args)


def _cells(pages: RecordPages, obj: models.Model) -> list[Any]:
    cells = []
    for heading, attr in pages.columns:
        value = getattr(obj, attr)
        cells.append((heading, value() if callable(value) else value))
    return cells


def _form_without_version(form_class: type[VersionedModelForm]) -> type[forms.ModelForm]:
    return type(f"New{form_class.__name__}", (form_class,), {"version": None})


def urls(pages: RecordPages) -> list[Any]:
    """URL patterns for the four pages, each under the tenancy rule of `org_view`."""
    base = f"o/<slug:org_slug>/{pages.segment}/"
    new_form = _form_without_version(pages.form)

    def context(request: OrgRequest, **extra: Any) -> dict[str, Any]:
        return {
            "pages": pages,
            "can_edit": request.membership.role_enum.allows(pages.write),
            "list_url": pages.url("list", request.org),
            "links": [
                (label, reverse(name, args=[request.org.slug])) for label, name in pages.links
            ],
            **extra,
        }

    @org_view(write=pages.write)
    def list_view(request: OrgRequest) -> HttpResponse:
        page = Paginator(pages.queryset(request.org), 50).get_page(request.GET.get("page"))
        rows = [(obj, _cells(pages, obj), pages.url("edit", request.org, obj.pk)) for obj in page]
        return render(request, "records/list.html", context(request, page=page, rows=rows))

    def _save(request: OrgRequest, form: Any, obj: models.Model | None) -> HttpResponse | None:
        if request.method != "POST" or not form.is_valid():
            return None
        values = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            pages.save(
                org=request.org,
                actor=acting_user(request),
                obj=obj,
                values=values,
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            form.add_domain_error(error)
            return None
        messages.success(request, _("%(what)s saved.") % {"what": str(pages.singular).capitalize()})
        return redirect(pages.url("list", request.org))

    @org_view(write=pages.write)
    @require_http_methods(["GET", "POST"])
    def create_view(request: OrgRequest) -> HttpResponse:
        form = new_form(request.POST or None, instance=pages.model(organisation=request.org))
        done = _save(request, form, None)
        if done:
            return done
        return render(
            request,
            "records/form.html",
            context(request, form=form),
            status=400 if form.errors else 200,
        )

    @org_view(write=pages.write, model=pages.model)
    @require_http_methods(["GET", "POST"])
    def edit_view(request: OrgRequest, pk: int) -> HttpResponse:
        obj = org_object(pages.queryset(request.org), request.org, pk=pk)
        form = pages.form(request.POST or None, instance=obj)
        if not request.membership.role_enum.allows(pages.write):
            make_read_only(form)
        done = _save(request, form, obj)
        if done:
            return done
        extra = {"form": form, "obj": obj, "delete_url": pages.url("delete", request.org, obj.pk)}
        return render(
            request,
            "records/form.html",
            context(request, **extra),
            status=400 if form.errors else 200,
        )

    @org_view(read=pages.write, write=pages.write, model=pages.model)
    @require_http_methods(["GET", "POST"])
    def delete_view(request: OrgRequest, pk: int) -> HttpResponse:
        obj = org_object(pages.queryset(request.org), request.org, pk=pk)
        if request.method == "POST":
            try:
                pages.delete(org=request.org, actor=acting_user(request), obj=obj)
            except DomainError as error:
                messages.error(request, str(error.message))
                return redirect(pages.url("edit", request.org, obj.pk))
            messages.success(request, _("%(what)s deleted.") % {"what": obj})
            return redirect(pages.url("list", request.org))
        return render(request, "records/delete.html", context(request, obj=obj))

    return [
        path(base, list_view, name=f"{pages.name}_list"),
        path(f"{base}new/", create_view, name=f"{pages.name}_create"),
        path(f"{base}<int:pk>/", edit_view, name=f"{pages.name}_edit"),
        path(f"{base}<int:pk>/delete/", delete_view, name=f"{pages.name}_delete"),
    ]

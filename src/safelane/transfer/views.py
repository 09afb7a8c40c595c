from __future__ import annotations

from django import forms
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from safelane.core.pages import page_fields, perform
from safelane.orgs.access import OrgRequest, org_view
from safelane.orgs.models import Role
from safelane.transfer import selectors, services
from safelane.transfer.models import Transfer


def _page(request: OrgRequest, status: int = 200) -> HttpResponse:
    found = selectors.page(request.org, request.user)
    return render(request, "transfer/page.html", page_fields(found), status=status)


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_safe
def transfer_page(request: OrgRequest) -> HttpResponse:
    """The organisation's data as one archive, for its owners."""
    return _page(request)


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def transfer_start(request: OrgRequest) -> HttpResponse:
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.start_export(org=request.org, actor=request.user),
        then=lambda job: reverse("jobs:detail", args=[request.org.slug, job.pk]),
        page=lambda _form, status: _page(request, status),
        message=_("The archive is being built."),
    )


@org_view(read=Role.OWNER, write=Role.OWNER, model=Transfer)
@require_safe
def transfer_download(request: OrgRequest, pk: int) -> FileResponse:
    """The archive, for the owner the link was made for, until the link expires."""
    found = services.downloadable(
        org=request.org,
        user=request.user,
        pk=pk,
        token=request.GET.get("link", ""),
    )
    if found is None or not default_storage.exists(found.stored_path):
        raise Http404
    return FileResponse(
        default_storage.open(found.stored_path, "rb"),
        as_attachment=True,
        filename=found.archive_name,
    )

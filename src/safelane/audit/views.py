"""The organisation-wide audit log, one entry's detail, and the CSV export."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from safelane.audit import selectors
from safelane.audit.forms import AuditFilterForm
from safelane.core import trail
from safelane.core.cells import csv_row
from safelane.core.models import AuditEntry
from safelane.orgs import selectors as org_selectors
from safelane.orgs.access import OrgRequest, org_object, org_view


def _filter_form(request: OrgRequest) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET,
        actors=org_selectors.members(request.org),
        content_types=selectors.object_types(request.org),
    )


@org_view()
@require_safe
def audit_log(request: OrgRequest) -> HttpResponse:
    form = _filter_form(request)
    page = Paginator(trail.entries(request.org, form.to_filter()), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "audit/log.html#results" if request.htmx else "audit/log.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@org_view(model=AuditEntry)
@require_safe
def audit_detail(request: OrgRequest, pk: int) -> HttpResponse:
    entry = org_object(trail.entries(request.org), request.org, pk=pk)
    context = {"entry": entry, "changes": selectors.readable_changes(entry)}
    return render(request, "audit/detail.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@org_view()
@require_safe
def audit_export(request: OrgRequest) -> StreamingHttpResponse:
    """Every entry that matches the filters, streamed, so a long trail does not fill memory."""
    form = _filter_form(request)
    rows = trail.entries(request.org, form.to_filter())
    writer = csv.writer(_Echo())

    def lines() -> Iterator[Any]:
        yield writer.writerow(
            [
                _("When (UTC)"),
                _("Who"),
                _("Source"),
                _("Change"),
                _("Record type"),
                _("Record id"),
                _("Record"),
                _("Field"),
                _("From"),
                _("To"),
            ]
        )
        for entry in rows.iterator(chunk_size=500):
            base = [
                entry.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_label,
                entry.get_source_display(),
                entry.get_action_display(),
                entry.content_type.model,
                entry.object_id,
                entry.object_repr,
            ]
            if not entry.changes:
                yield writer.writerow(csv_row([*base, "", "", ""]))
            for name, (old, new) in entry.changes.items():
                yield writer.writerow(csv_row([*base, name, _text(old), _text(new)]))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{request.org.slug}-audit-{stamp}.csv"'
    return response


def _text(value: Any) -> str:
    # Changes hold JSON values; the export shows each as text, and no value as an empty cell.
    return "" if value is None else str(value)

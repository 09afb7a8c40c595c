"""Middleware every request passes: its audit source, no NUL characters, one transaction."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from safelane.core.audit import audit_source
from safelane.core.models import AuditSource


class AuditSourceMiddleware:
    """Marks changes made while answering a request as coming from the web or the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.WEB
        with audit_source(source):
            return self.get_response(request)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
NUL = "\x00"


def _holds_nul(data: Any) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware:
    """Refuses a request whose address, query or form holds a NUL character.

    No text Safelane keeps may hold one, and PostgreSQL cannot even compare a column with one:
    left alone, a NUL typed into a search box or an address becomes a server error deep in a
    query. Refused at the door, it is a plain 400 that changes nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        form = request.method not in SAFE_METHODS and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }
        if NUL in request.path or _holds_nul(request.GET) or (form and _holds_nul(request.POST)):
            message = _("The request holds a NUL character, which no field may contain.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class WriteTransactionMiddleware:
    """One request, one transaction: every request that may write (POST, PUT, PATCH, DELETE)
    runs in a single database transaction, so an error half-way through a page, an API call or
    a form leaves nothing half-written.

    A refusal a view answers itself (a 4xx) still commits: services run each change atomically
    and have already undone their own work when they refused it, and the shared throttles (the
    database cache) must keep counting the failed attempts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

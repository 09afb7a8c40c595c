"""Middleware every request passes: its audit source, no NUL characters, one transaction."""

from collections.abc import Callable
from typing import Any

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.db import transaction
from django.forms.utils import pretty_name
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# Parameters whose name says nothing to the person who typed into them.
PARAMETER_LABELS = {"q": gettext_lazy("Search")}


def _nul_parameter(data: QueryDict) -> str | None:
    """The name of the first parameter holding a NUL ("" when a name itself holds one)."""
    for key, values in data.lists():
        if NUL in key:
            return ""
        if any(NUL in value for value in values):
            return key
    return None


def _label(name: str) -> str:
    """A parameter as its form labels it, as far as the door can tell without the view's form:
    `title` reads "Title". (Not looked up in the catalogue: one English word translates
    differently on different forms, "Title" of a document or of a person.)"""
    if name in PARAMETER_LABELS:
        return str(PARAMETER_LABELS[name])
    return pretty_name(name)


def nul_refusal(request: HttpRequest) -> str | None:
    """What is wrong with a request whose address, query or form holds a NUL, or None."""
    if NUL in request.path:
        return _("The address holds a NUL character, which no address may contain.")
    form = request.method not in SAFE_METHODS and request.content_type in FORM_TYPES
    for data in (request.GET, request.POST) if form else (request.GET,):
        name = _nul_parameter(data)
        if name:
            return _(
                "%(field)s holds a NUL character, which no field may contain. Remove it and try again."
            ) % {"field": _label(name)}
        if name == "":
            return _("The request holds a NUL character, which no field may contain.")
    return None


def _way_back(request: HttpRequest) -> str:
    """The page the request came from, if it is one of ours ("" if not)."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


class RefuseNulMiddleware:
    """Refuses a request whose address, query or form holds a NUL character.

    No text Safelane keeps may hold one, and PostgreSQL cannot even compare a column with one:
    left alone, a NUL typed into a search box or an address becomes a server error deep in a
    query. Refused before the view runs, it is a 400 that changes nothing and says which field
    holds it: JSON for the API; for htmx, the messages region alone and no other swap, so the
    form keeps what was typed; else a page of the app's with a way back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # Here rather than in __call__: the person and their session are known, so the refusal
        # is drawn in the app's layout; no view (and no query of the request's values) has run.
        message = nul_refusal(request)
        if message is None:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        if request.headers.get("HX-Request") == "true":
            fragment = render_to_string(
                "partials/messages.html",
                {"messages": [Message(constants.ERROR, message)], "oob": True},
                request=request,
            )
            response = HttpResponseBadRequest(fragment)
            response["HX-Reswap"] = "none"
            return response
        context = {"message": message, "back": _way_back(request)}
        return render(request, "400.html", context, status=400)


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

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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

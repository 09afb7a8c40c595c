"""API-wide defaults named in settings.REST_FRAMEWORK: paging and error answers.

Kept apart from `core.api` because DRF imports these while it loads its own views.
"""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safelane.core.errors import ConflictError, DomainError


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service refusals become 400, edit conflicts 409 with the stored version."""
    if isinstance(exc, ConflictError):
        view = context.get("view")
        current = None
        if view is not None and hasattr(view, "get_serializer"):
            current = view.get_serializer(exc.current).data
        return Response(
            {"detail": str(exc.message), "current": current}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DomainError):
        key = exc.field or "detail"
        return Response({key: [str(exc.message)]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)

"""`GET /api/v1/portfolio/`: every organisation the caller belongs to, with its figures."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safelane.orgs.access import Access, acting_user
from safelane.portfolio import selectors


class RowSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="slug")
    name = serializers.CharField()
    role = serializers.CharField()
    status = serializers.CharField()
    musts_met = serializers.IntegerField()
    musts_total = serializers.IntegerField()
    open_gaps = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    open_findings = serializers.IntegerField()
    next_deadline = serializers.DateField(source="next_due", allow_null=True)
    next_deadline_kind = serializers.CharField(source="next_kind")
    days_left = serializers.IntegerField(allow_null=True)
    clock_within_30_days = serializers.BooleanField(source="red")


class Portfolio(APIView):
    """Every organisation the caller belongs to: CTPAT membership status, Musts met in the
    latest self-assessment, open gaps, overdue actions, open validation findings, the next
    deadline and its kind (a membership clock's key, or `action`), soonest first; `sort`
    orders by name, status, musts, gaps, overdue or findings instead."""

    access = Access(scope="user")
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("sort", str, enum=list(selectors.SORTS))],
        responses=RowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        sort = request.query_params.get("sort", "next")
        found: list[Any] = selectors.rows(
            acting_user(request), sort=sort if sort in selectors.SORTS else "next"
        )
        return Response(RowSerializer(found, many=True).data)

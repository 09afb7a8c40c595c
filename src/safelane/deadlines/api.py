"""`GET /api/v1/me/calendar-feed/`: the address of the caller's iCalendar feed."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safelane.deadlines import services
from safelane.orgs.access import Access, acting_user


class MyCalendarFeed(APIView):
    """The address of the caller's iCalendar feed (every deadline of every organisation they
    belong to), made on the first call; a calendar program subscribes to it."""

    access = Access(scope="user")
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=inline_serializer("CalendarFeed", {"url": serializers.URLField()}))
    def get(self, request: Request) -> Response:
        feed = services.ensure_feed(actor=acting_user(request))
        return Response({"url": services.feed_url(feed)})

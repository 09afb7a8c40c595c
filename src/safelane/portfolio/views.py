"""The consultant's portfolio page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safelane.orgs.access import acting_user, user_view
from safelane.portfolio import selectors


@user_view()
@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "next")
    sort = sort if sort in selectors.SORTS else "next"
    found = selectors.rows(acting_user(request), sort=sort)
    return render(request, "portfolio/portfolio.html", {"rows": found, "sort": sort})

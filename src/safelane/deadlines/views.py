"""The organisation's calendar (list or month), a person's feed page and its doors, and the
iCalendar feed itself, which a calendar program fetches by its secret address."""

from __future__ import annotations

import datetime

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from safelane.core.links import absolute
from safelane.core.pages import perform
from safelane.deadlines import ical, selectors, services
from safelane.deadlines.forms import FilterForm
from safelane.orgs.access import OrgRequest, acting_user, org_view, public_view, user_view


@org_view()
@require_safe
def deadline_list(request: OrgRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    kinds = set(form.cleaned_data["kind"]) if form.is_valid() else None
    today = timezone.localdate()
    found = selectors.deadlines(request.org, kinds=kinds or None, today=today)
    first = form.first_day(today)
    month_view = form.is_valid() and form.cleaned_data.get("view") == "month"
    context = {
        "form": form,
        "deadlines": found,
        "month_view": month_view,
        "weeks": selectors.month(found, first.year, first.month) if month_view else [],
        "month_deadlines": [
            d for d in found if (d.day.year, d.day.month) == (first.year, first.month)
        ],
        "first": first,
        "previous": (first - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "next": (first + datetime.timedelta(days=32)).strftime("%Y-%m"),
        "today": today,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "deadlines/list.html", context, status=status)


def _feed_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    feed = selectors.live_feed(acting_user(request))
    context = {"feed": feed, "url": services.feed_url(feed) if feed else ""}
    return render(request, "deadlines/feed.html", context, status=status)


@user_view()
@require_safe
def feed_page(request: HttpRequest) -> HttpResponse:
    return _feed_page(request)


@user_view()
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.ensure_feed(actor=acting_user(request)),
        then=reverse("deadlines:feed"),
        message=_("Your calendar feed is ready: subscribe to its address."),
        page=lambda _form, status: _feed_page(request, status),
    )


@user_view()
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.revoke_feed(actor=acting_user(request)),
        then=reverse("deadlines:feed"),
        message=_("The feed's address no longer works. Make a new one when you need it."),
        page=lambda _form, status: _feed_page(request, status),
    )


@public_view
@never_cache
@require_safe
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's deadlines in every organisation they belong to, as iCalendar."""
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    events = [
        ical.Event(
            uid=d.uid,
            day=d.day,
            summary=f"{d.title} · {d.org_name}",
            description=str(d.detail),
            url=absolute(d.url),
        )
        for d in selectors.for_user(feed.user)
    ]
    text = ical.calendar(events, name=_("Safelane deadlines"), stamp=timezone.now())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

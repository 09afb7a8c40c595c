"""The consultant's portfolio page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from safelane.core.pages import perform
from safelane.orgs.access import acting_user, user_view
from safelane.portfolio import copying, selectors
from safelane.portfolio.forms import CopyForm


@user_view()
@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "next")
    sort = sort if sort in selectors.SORTS else "next"
    found = selectors.rows(acting_user(request), sort=sort)
    return render(request, "portfolio/portfolio.html", {"rows": found, "sort": sort})


@user_view()
@require_http_methods(["GET", "HEAD", "POST"])
def copy_templates(request: HttpRequest) -> HttpResponse:
    """Bring own criteria, questionnaire templates and courses from one client to another."""
    user = acting_user(request)
    form = CopyForm(request.POST or None, user=user)
    if request.method != "POST":
        return render(request, "portfolio/copy.html", {"form": form})
    return perform(
        request,
        form=form,
        run=lambda data: copying.copy_templates(
            source=form.orgs[data["source"]],
            target=form.orgs[data["target"]],
            actor=user,
            kinds=data["kinds"],
        ),
        then=lambda outcomes: reverse("portfolio:copy") + "?done=1",
        message=lambda outcomes: _summary(outcomes),
        page=lambda bound, status: render(
            request, "portfolio/copy.html", {"form": bound or form}, status=status
        ),
    )


def _summary(outcomes: list[copying.Outcome]) -> str:
    parts = []
    for o in outcomes:
        text = _("%(label)s: %(added)s brought, %(kept)s already there") % {
            "label": o.label,
            "added": len(o.added),
            "kept": len(o.kept),
        }
        if o.refused:
            text += " (" + _("not brought: %(list)s") % {"list": "; ".join(o.refused)} + ")"
        parts.append(text)
    return ". ".join(parts) + "."

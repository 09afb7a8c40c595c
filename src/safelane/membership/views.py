"""The membership page (status, clocks, history) and its doors: the details, a status change,
the annual review affirmation."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from safelane.core.forms import make_read_only
from safelane.core.pages import page_fields, perform
from safelane.membership import selectors, services
from safelane.membership.forms import DetailsForm, ReviewForm, StatusForm
from safelane.orgs.access import OrgRequest, acting_user, org_view
from safelane.orgs.models import Role


def _page(request: OrgRequest, status: int = 200, **refused: forms.BaseForm | None) -> HttpResponse:
    shown = selectors.page(request.org)
    record = shown.record
    can_edit = request.membership.role_enum.allows(Role.MANAGER)
    details = refused.get("details_form") or DetailsForm(instance=record)
    if not can_edit:
        make_read_only(details)
    context = {
        **page_fields(shown),
        "form": details,
        "status_form": refused.get("status_form")
        or StatusForm(initial={"version": record.version if record.pk else None}),
        "review_form": refused.get("review_form") or ReviewForm(),
        "can_edit": can_edit,
    }
    return render(request, "membership/page.html", context, status=status)


def _back(request: OrgRequest, part: str = "") -> str:
    return reverse("membership:page", args=[request.org.slug]) + part


@org_view(write=Role.MANAGER)
@require_safe
def membership_page(request: OrgRequest) -> HttpResponse:
    return _page(request)


@org_view(write=Role.MANAGER)
@require_POST
def membership_details(request: OrgRequest) -> HttpResponse:
    form = DetailsForm(request.POST, instance=selectors.membership(request.org))
    return perform(
        request,
        form=form,
        run=lambda data: services.save_membership(
            org=request.org,
            actor=acting_user(request),
            values={name: data[name] for name in DetailsForm.Meta.fields},
            expected_version=data["version"],
        ),
        then=_back(request),
        message=_("The membership was saved."),
        page=lambda bound, status: _page(request, status, details_form=bound),
    )


@org_view(write=Role.MANAGER)
@require_POST
def membership_status(request: OrgRequest) -> HttpResponse:
    return perform(
        request,
        form=StatusForm(request.POST),
        run=lambda data: services.change_status(
            org=request.org,
            actor=acting_user(request),
            status=data["status"],
            on=data["on"],
            tier=data["tier"],
            reason=data["reason"],
            response_due=data["response_due"],
            appeal_basis=data["appeal_basis"],
            expected_version=data["version"],
        ),
        then=_back(request),
        message=lambda record: _("Recorded: %(status)s.") % {"status": record.get_status_display()},
        page=lambda bound, status: _page(request, status, status_form=bound),
    )


@org_view(write=Role.MANAGER)
@require_POST
def annual_review(request: OrgRequest) -> HttpResponse:
    return perform(
        request,
        form=ReviewForm(request.POST),
        run=lambda data: services.affirm_annual_review(
            org=request.org, actor=acting_user(request), note=data["note"]
        ),
        then=_back(request, "#reviews"),
        message=lambda review: (
            _("The annual review was affirmed.")
            if review.counts
            else _(
                "Recorded, but outside the review window: it does not count for the annual review."
            )
        ),
        page=lambda bound, status: _page(request, status, review_form=bound),
    )

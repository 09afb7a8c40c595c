"""Pages of the organisation workspace: dashboard, profile, members, invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core import trail
from safelane.core.errors import DomainError
from safelane.core.forms import make_read_only, refusal_status
from safelane.orgs import search as org_search
from safelane.orgs import selectors, services
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view, user_view
from safelane.orgs.dashboard import road, sharing
from safelane.orgs.dashboard import tiles as dashboard_tiles
from safelane.orgs.forms import InviteForm, NewOrganisationForm, OrganisationForm, RoleForm
from safelane.orgs.models import ROLE_HELP, Invitation, Membership, Role


@user_view()
def home(request: HttpRequest) -> HttpResponseBase:
    """Open the workspace used last, or the list of workspaces."""
    memberships = list(selectors.memberships_of(acting_user(request)))
    slugs = {m.organisation.slug for m in memberships}
    current = request.session.get("current_org")
    if current in slugs:
        return redirect("orgs:dashboard", org_slug=current)
    if len(memberships) == 1:
        return redirect("orgs:dashboard", org_slug=memberships[0].organisation.slug)
    return redirect("orgs:list")


@user_view()
def organisation_list(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_of(acting_user(request))
    return render(request, "orgs/list.html", {"memberships": memberships})


@user_view()
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponseBase:
    form = NewOrganisationForm(request.POST or None, initial={"country": "US", "currency": "USD"})
    if request.method == "POST" and form.is_valid():
        org = services.create_organisation(
            actor=acting_user(request),
            **form.cleaned_data,
        )
        messages.success(request, _("%(org)s is ready. You are its owner.") % {"org": org.name})
        return redirect("orgs:dashboard", org_slug=org.slug)
    return render(request, "orgs/create.html", {"form": form})


@org_view()
def dashboard(request: OrgRequest) -> HttpResponse:
    with sharing():
        tiles, steps = dashboard_tiles(request.org, request.user), road(request.org)
    context = {
        "tiles": tiles,
        "road": steps,
        "member_count": selectors.members(request.org).count(),
        "recent": trail.recent_entries(request.org, limit=8),
    }
    return render(request, "orgs/dashboard.html", context)


@org_view()
@require_safe
def search(request: OrgRequest) -> HttpResponse:
    """Criteria, answers, evidence, actions, risk points and partners that match the text; an
    htmx request gets the results alone (search as you type)."""
    text = org_search.clean(request.GET.get("q", ""))
    context = {
        "text": text,
        "found": org_search.search(request.org, text),
        "too_short": 0 < len(text) < org_search.MIN_LENGTH,
    }
    if request.headers.get("HX-Request"):
        return render(request, "orgs/_search_results.html", context)
    return render(request, "orgs/search.html", context)


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def organisation_settings(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = OrganisationForm(request.POST or None, instance=org)
    if not request.membership.role_enum.allows(Role.MANAGER):
        make_read_only(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                org=org,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                values=form.changed_values(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The organisation profile was saved."))
            return redirect("orgs:settings", org_slug=org.slug)
    context = {"form": form, "history": trail.object_history(org, org, limit=10)}
    return render(request, "orgs/settings.html", context, status=400 if form.errors else 200)


@org_view(write=Role.OWNER)
@require_http_methods(["GET", "POST"])
def members(request: OrgRequest) -> HttpResponse:
    org = request.org
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            invitation = services.invite(
                org=org,
                actor=request.user,
                email=invite_form.cleaned_data["email"],
                role=Role(invite_form.cleaned_data["role"]),
            )
        except DomainError as error:
            invite_form.add_error(error.field, str(error.message))
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("orgs:members", org_slug=org.slug)
    page = Paginator(selectors.members(org), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "invitations": selectors.pending_invitations(org),
        "invite_form": invite_form,
        "roles": [(role, ROLE_HELP[role]) for role in Role],
        "can_manage": request.membership.role_enum.allows(Role.OWNER),
    }
    return render(request, "orgs/members.html", context, status=400 if invite_form.errors else 200)


@org_view(read=Role.OWNER, write=Role.OWNER, model=Membership)
@require_POST
def member_role(request: OrgRequest, pk: int) -> HttpResponse:
    membership = org_object(selectors.members(request.org), request.org, pk=pk)
    form = RoleForm(request.POST)
    error, status = None, 200
    if form.is_valid():
        try:
            membership = services.change_role(
                org=request.org,
                actor=request.user,
                membership=membership,
                role=Role(form.cleaned_data["role"]),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            error, status = exc.message, refusal_status(exc)
            membership.refresh_from_db()
    else:
        error, status = _("Choose one of the roles offered, then try again."), 400
    if not error:
        messages.success(
            request,
            _("The role of %(user)s is now %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display()},
        )
    if request.htmx:  # type: ignore[attr-defined]
        # The row in place, and the message in the page's messages region.
        context = {"membership": membership, "error": error, "can_manage": True}
        return render(request, "orgs/members.html#member-changed", context, status=status)
    if error:
        messages.error(request, str(error))
    return redirect("orgs:members", org_slug=request.org.slug)


@org_view(read=Role.OWNER, write=Role.OWNER, model=Membership)
@require_http_methods(["GET", "POST"])
def member_remove(request: OrgRequest, pk: int) -> HttpResponse:
    membership = org_object(selectors.members(request.org), request.org, pk=pk)
    if request.method == "POST":
        try:
            services.remove_member(org=request.org, actor=request.user, membership=membership)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(user)s was removed.") % {"user": membership.user})
        return redirect("orgs:members", org_slug=request.org.slug)
    return render(request, "orgs/member_remove.html", {"membership": membership})


@org_view(write=Role.VIEWER)
@require_http_methods(["GET", "POST"])
def leave(request: OrgRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.leave(org=request.org, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("orgs:leave", org_slug=request.org.slug)
        request.session.pop("current_org", None)
        messages.success(request, _("You left %(org)s.") % {"org": request.org.name})
        return redirect("home")
    return render(request, "orgs/leave.html")


@org_view(read=Role.OWNER, write=Role.OWNER, model=Invitation)
@require_POST
def invitation_revoke(request: OrgRequest, pk: int) -> HttpResponse:
    invitation = org_object(Invitation, request.org, pk=pk)
    try:
        services.revoke_invitation(org=request.org, actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
    return redirect("orgs:members", org_slug=request.org.slug)


@user_view()
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    context: dict[str, Any] = {}
    try:
        context["invitation"] = services.invitation_from_token(token)
    except DomainError as error:
        context["error"] = error.message
        return render(request, "orgs/invitation.html", context, status=400)
    if request.method == "POST":
        try:
            membership = services.accept_invitation(user=acting_user(request), token=token)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "orgs/invitation.html", context, status=400)
        messages.success(request, _("Welcome to %(org)s.") % {"org": membership.organisation.name})
        return redirect("orgs:dashboard", org_slug=membership.organisation.slug)
    return render(request, "orgs/invitation.html", context)

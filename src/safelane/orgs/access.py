"""The one tenancy mechanism: who may reach which organisation's data, and with what rights.

Every page declares its access rule with `org_view`, `user_view` or `public_view`; every API
view has an `access` attribute (for organisation data, views built on `OrgScopedAPIMixin`).
The rule is checked here, and it is what the tenancy test reads to prove, for every route, that
outsiders get 404 and each role is held to its rights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from rest_framework import exceptions, generics, permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from safelane.core.errors import NotAllowedError
from safelane.orgs.models import Invitation, Membership, Organisation, Role

if TYPE_CHECKING:
    from safelane.accounts.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Access:
    """An access rule. `model` is the model whose primary key the route's `pk` names."""

    scope: Literal["org", "user", "staff", "public"]
    read: Role = Role.VIEWER
    write: Role = Role.CONTRIBUTOR
    model: type[models.Model] | None = None

    def needed_role(self, method: str) -> Role:
        return self.read if method.upper() in SAFE_METHODS else self.write


class OrgRequest(HttpRequest):
    """A request inside an organisation, as `org_view` hands it to the view."""

    user: User
    org: Organisation
    membership: Membership


def get_membership(user: Any, org_slug: str) -> Membership:
    """The user's membership of the organisation, or 404: a stranger learns nothing."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def memberships_of(user: User) -> models.QuerySet[Membership]:
    """The user's workspaces, for the switcher and the organisation list (the one read across
    organisations: each row is the user's own membership)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def invitation_by_id(pk: object) -> Invitation | None:
    """The invitation a signed link names, whichever organisation it is for: the link itself is
    the right to read it (it is checked for revocation, use and expiry by the caller)."""
    if not isinstance(pk, int):
        return None
    return Invitation.objects.select_related("organisation", "invited_by").filter(pk=pk).first()


def check_role(membership: Membership, needed: Role) -> None:
    if not membership.role_enum.allows(needed):
        raise PermissionDenied(
            # The name sits mid-sentence: one ending in a full stop ("Acme Imports, Inc.")
            # would otherwise end the sentence with two.
            _(
                "Your role in %(org)s (%(role)s) does not allow this; one of its owners can change it."
            )
            % {"role": membership.get_role_display(), "org": membership.organisation.name}
        )


def require_role(
    org: Organisation, actor: User | None, needed: Role, message: str | Promise | None = None
) -> Membership:
    """The role rule as services apply it, whichever door a change comes by (page, API, a
    script): the actor's membership of `org`, or NotAllowedError when it is missing or too low."""
    membership = (
        Membership.objects.for_org(org).filter(user=actor).first() if actor is not None else None
    )
    if membership is None or not membership.role_enum.allows(needed):
        raise NotAllowedError(
            message
            or _("In %(org)s, this needs the role of %(role)s or higher.")
            % {"role": needed.label, "org": org.name}
        )
    return membership


def org_object(model_or_qs: type[M] | models.QuerySet[M], org: Organisation, **lookup: Any) -> M:
    """One record of the organisation, or 404 whether it is missing or another's."""
    qs: Any = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs.objects  # type: ignore[attr-defined]
    return get_object_or_404(qs.for_org(org), **lookup)


ViewFunc = Callable[..., HttpResponseBase]


def org_view(
    *,
    read: Role = Role.VIEWER,
    write: Role = Role.CONTRIBUTOR,
    model: type[models.Model] | None = None,
) -> Callable[[ViewFunc], ViewFunc]:
    """A page inside an organisation (`<slug:org_slug>` in its URL).

    Anonymous visitors go to the login page, non-members get 404, members whose role is below
    `read` (safe methods) or `write` (other methods) get 403.
    """
    access = Access(scope="org", read=read, write=write, model=model)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = get_membership(request.user, org_slug)
            check_role(membership, access.needed_role(request.method or "GET"))
            org_request = cast(OrgRequest, request)
            org_request.org = membership.organisation
            org_request.membership = membership
            if request.session.get("current_org") != org_slug:
                request.session["current_org"] = org_slug
            return view(org_request, *args, **kwargs)

        wrapper.access = access  # type: ignore[attr-defined]
        return wrapper

    return decorator


def user_view(*, model: type[models.Model] | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """A page about the signed-in person's own things; `model` records are theirs only."""
    access = Access(scope="user", model=model)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        wrapper.access = access  # type: ignore[attr-defined]
        return wrapper

    return decorator


def staff_view(*, model: type[models.Model] | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """A page for the people who run this Safelane installation (staff accounts), such as
    loading a new edition of the shared MSC catalog. Everyone else gets 403."""
    access = Access(scope="staff", model=model)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_staff:
                raise PermissionDenied(
                    _("Only the administrators of this installation can do this.")
                )
            return view(request, *args, **kwargs)

        wrapper.access = access  # type: ignore[attr-defined]
        return wrapper

    return decorator


def public_view(view: ViewFunc) -> ViewFunc:
    """A page anyone may open; it must show no organisation's data."""
    view.access = Access(scope="public")  # type: ignore[attr-defined]
    return view


def may(request: OrgRequest, role: Role) -> bool:
    """Whether the person behind a page inside an organisation holds `role` or higher there:
    what the page offers (a form, a button) follows the rule its door applies."""
    return request.membership.role_enum.allows(role)


def acting_user(request: Any) -> User:
    """The signed-in person behind a page or API request (after the access check)."""
    return cast("User", request.user)


# The same rules for the API: /api/v1/orgs/<org_slug>/...


class OrgRolePermission(permissions.BasePermission):
    """Membership of the organisation in the URL (404 otherwise) and a role fit for the method."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        access: Access = view.access  # type: ignore[attr-defined]
        membership = get_membership(request.user, view.kwargs.get("org_slug", ""))
        try:
            check_role(membership, access.needed_role(request.method or "GET"))
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        view.org = membership.organisation  # type: ignore[attr-defined]
        view.membership = membership  # type: ignore[attr-defined]
        return True


class OrgScopedAPIMixin(generics.GenericAPIView):
    """API views over one organisation's data: `/api/v1/orgs/<org_slug>/...`.

    Subclasses set `access` (with `model`) and `get_base_queryset`; every read goes through
    `Model.objects.for_org`, so another organisation's record answers 404 like a missing one.
    """

    access: ClassVar[Access]
    permission_classes = [permissions.IsAuthenticated, OrgRolePermission]
    org: Organisation
    membership: Membership

    def get_base_queryset(self) -> models.QuerySet[Any]:
        model = self.access.model
        assert model is not None
        return model.objects.for_org(self.org)  # type: ignore[attr-defined]

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            assert self.access.model is not None
            return self.access.model._default_manager.none()
        return self.get_base_queryset()

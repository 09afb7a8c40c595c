"""The API's shared pieces: organisation scoping and role checks for API views."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from safelane.orgs.access import Access, check_role, get_membership
from safelane.orgs.models import Membership, Organisation


class OrgRolePermission(permissions.BasePermission):
    """Membership of the organisation in the URL (404 otherwise) and a role fit for the method."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        access: Access = view.access  # type: ignore[attr-defined]
        membership = get_membership(request.user, view.kwargs.get("org_slug", ""))
        try:
            check_role(membership, access.needed_role(request.method or "GET"))
        except Exception as exc:
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
        return model._default_manager.filter(organisation=self.org)

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            assert self.access.model is not None
            return self.access.model._default_manager.none()
        return self.get_base_queryset()


class VersionField(serializers.IntegerField):
    """The version the client last read; required on updates, checked by the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("The version you read. An update is refused with 409 if it is no longer current."),
        )
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

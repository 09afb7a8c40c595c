"""Reads of organisations and memberships that pages, the API and exports share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from safelane.orgs.models import Invitation, Membership, Organisation

if TYPE_CHECKING:
    from safelane.accounts.models import User


def memberships_of(user: User) -> QuerySet[Membership]:
    """The user's workspaces, for the switcher and the organisation list."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def members(org: Organisation) -> QuerySet[Membership]:
    return Membership.objects.for_org(org).select_related("user").order_by("user__email")


def pending_invitations(org: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.for_org(org).pending().select_related("invited_by")

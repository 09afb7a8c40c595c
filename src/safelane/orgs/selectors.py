"""Reads of organisations and memberships that pages, the API and exports share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from safelane.orgs.access import memberships_of
from safelane.orgs.models import Invitation, Membership, Organisation

__all__ = ["member_users", "members", "memberships_of", "pending_invitations"]

if TYPE_CHECKING:
    from safelane.accounts.models import User


def member_users(org: Organisation) -> QuerySet[User]:
    """The organisation's people as accounts, for the owner pickers of every domain."""
    return get_user_model().objects.filter(memberships__organisation=org).order_by("email")


def members(org: Organisation) -> QuerySet[Membership]:
    return Membership.objects.for_org(org).select_related("user").order_by("user__email")


def pending_invitations(org: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.for_org(org).pending().select_related("invited_by")

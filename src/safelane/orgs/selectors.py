"""Reads of organisations and memberships that pages, the API and exports share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from safelane.orgs.access import memberships_of
from safelane.orgs.models import Invitation, Membership, Organisation, Role

__all__ = [
    "member_users",
    "members",
    "memberships_of",
    "owner_and_manager_emails",
    "pending_invitations",
]

if TYPE_CHECKING:
    from safelane.accounts.models import User


def member_users(org: Organisation) -> QuerySet[User]:
    """The organisation's people as accounts, for the owner pickers of every domain."""
    return get_user_model().objects.filter(memberships__organisation=org).order_by("email")


def members(org: Organisation) -> QuerySet[Membership]:
    return Membership.objects.for_org(org).select_related("user").order_by("user__email")


def pending_invitations(org: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.for_org(org).pending().select_related("invited_by")


def owner_and_manager_emails(org: Organisation) -> list[str]:
    """E-mail addresses of the active owners and managers: who digests and reminders go to."""
    return list(
        Membership.objects.for_org(org)
        .filter(role__in=[Role.OWNER, Role.MANAGER], user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )

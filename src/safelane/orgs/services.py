"""Writes to organisations, memberships and invitations, with their rules and audit entries."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from safelane.core import audit
from safelane.core.errors import DomainError
from safelane.core.models import AuditAction
from safelane.core.records import create_record, delete_record, lock, update_record
from safelane.orgs.access import invitation_by_id, require_role
from safelane.orgs.models import Invitation, Membership, Organisation, Role

if TYPE_CHECKING:
    from safelane.accounts.models import User

INVITATION_LIFETIME = datetime.timedelta(days=14)
INVITATION_SALT = "safelane.orgs.invitation"


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_organisation(*, actor: User, name: str, **profile: Any) -> Organisation:
    """Create a workspace with the actor as its first owner."""
    with transaction.atomic():
        org = Organisation(
            name=name, slug=profile.pop("slug", None) or unique_slug(name), **profile
        )
        org.full_clean()
        org.save()
        audit.record(
            org=org,
            actor=actor,
            action=AuditAction.CREATE,
            obj=org,
            changes=audit.diff({}, audit.snapshot(org)),
        )
        create_record(
            org=org, actor=actor, obj=Membership(organisation=org, user=actor, role=Role.OWNER)
        )
    return org


def update_organisation(
    *, org: Organisation, actor: User, expected_version: int | None, values: dict[str, Any]
) -> Organisation:
    require_role(org, actor, Role.MANAGER, _("Only managers and owners change the profile."))
    return update_record(
        org=org, actor=actor, obj=org, expected_version=expected_version, values=values
    )


def _owner_count(org: Organisation) -> int:
    return Membership.objects.for_org(org).filter(role=Role.OWNER).count()


def _refuse_if_last_owner(membership: Membership, message: str) -> None:
    if membership.role == Role.OWNER and _owner_count(membership.organisation) <= 1:
        raise DomainError(message)


def change_role(
    *,
    org: Organisation,
    actor: User,
    membership: Membership,
    role: Role,
    expected_version: int | None = None,
) -> Membership:
    """Give a member another role, as the owner saw the membership (`expected_version`)."""
    require_role(org, actor, Role.OWNER, _("Only owners change roles."))
    with transaction.atomic():
        # Lock the owners so two demotions at once cannot leave the workspace ownerless.
        list(Membership.objects.for_org(org).filter(role=Role.OWNER).select_for_update())
        if role != Role.OWNER:
            _refuse_if_last_owner(
                membership,
                _("%(org)s must keep at least one owner. Make someone else an owner first.")
                % {"org": org.name},
            )
        return update_record(
            org=org,
            actor=actor,
            obj=membership,
            expected_version=expected_version,
            values={"role": role},
        )


def remove_member(*, org: Organisation, actor: User, membership: Membership) -> None:
    require_role(org, actor, Role.OWNER, _("Only owners remove members."))
    with transaction.atomic():
        list(Membership.objects.for_org(org).filter(role=Role.OWNER).select_for_update())
        _refuse_if_last_owner(
            membership,
            _("The last owner cannot be removed. Make someone else an owner first."),
        )
        delete_record(org=org, actor=actor, obj=membership)


def leave(*, org: Organisation, actor: User) -> None:
    with transaction.atomic():
        list(Membership.objects.for_org(org).filter(role=Role.OWNER).select_for_update())
        membership = Membership.objects.for_org(org).get(user=actor)
        _refuse_if_last_owner(
            membership,
            _("You are the last owner of %(org)s. Make someone else an owner before you leave.")
            % {"org": org.name},
        )
        delete_record(org=org, actor=actor, obj=membership)


def add_member(*, org: Organisation, actor: User, user: User, role: Role) -> Membership:
    """Add an existing account directly (demo data, command line); people join by invitation."""
    return create_record(
        org=org, actor=actor, obj=Membership(organisation=org, user=user, role=role)
    )


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT)


def invite(*, org: Organisation, actor: User, email: str, role: Role) -> Invitation:
    """Invite an address to join; the e-mail is sent by a background task after commit."""
    from safelane.orgs.tasks import send_invitation

    require_role(org, actor, Role.OWNER, _("Only owners invite people."))
    email = email.strip().lower()
    with transaction.atomic():
        # One invitation at a time per organisation: two owners (or a double click) inviting
        # the same address at once find each other's invitation instead of sending two.
        lock(org)
        if Membership.objects.for_org(org).filter(user__email__iexact=email).exists():
            raise DomainError(_("%(email)s is already a member.") % {"email": email}, field="email")
        if Invitation.objects.for_org(org).pending().filter(email__iexact=email).exists():
            raise DomainError(
                _("%(email)s already has a pending invitation. Revoke it to send a new one.")
                % {"email": email},
                field="email",
            )
        invitation = create_record(
            org=org,
            actor=actor,
            obj=Invitation(
                organisation=org,
                email=email,
                role=role,
                invited_by=actor,
                expires_at=timezone.now() + INVITATION_LIFETIME,
            ),
        )
        transaction.on_commit(lambda: send_invitation.enqueue(org.pk, invitation.pk))
    return invitation


def revoke_invitation(*, org: Organisation, actor: User, invitation: Invitation) -> Invitation:
    require_role(org, actor, Role.OWNER, _("Only owners revoke invitations."))
    if not invitation.is_pending:
        raise DomainError(_("This invitation is no longer pending."))
    return update_record(
        org=org,
        actor=actor,
        obj=invitation,
        expected_version=None,
        values={"revoked_at": timezone.now()},
    )


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names; DomainError when the link is forged, expired or used."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise DomainError(_("This invitation link is not valid.")) from None
    invitation = invitation_by_id(data.get("invitation") if isinstance(data, dict) else None)
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError(_("This invitation has been withdrawn."))
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("This invitation has expired. Ask for a new one."))
    return invitation


def accept_invitation(*, user: User, token: str) -> Membership:
    invitation = invitation_from_token(token)
    org = invitation.organisation
    if invitation.email.lower() != user.email.lower():
        raise DomainError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    try:
        with transaction.atomic():
            membership = create_record(
                org=org,
                actor=user,
                obj=Membership(organisation=org, user=user, role=invitation.role),
            )
            update_record(
                org=org,
                actor=user,
                obj=invitation,
                expected_version=invitation.version,
                values={"accepted_at": timezone.now(), "accepted_by": user},
            )
    except IntegrityError:
        raise DomainError(_("You are already a member of %(org)s.") % {"org": org.name}) from None
    return membership

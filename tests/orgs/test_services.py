import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from safelane.core.errors import DomainError
from safelane.core.models import AuditEntry
from safelane.orgs import services
from safelane.orgs.models import Invitation, Membership, Role
from tests.conftest import make_user


def test_creating_an_organisation_makes_the_creator_its_owner(db):
    user = make_user("new@example.test")
    org = services.create_organisation(actor=user, name="Río Bravo Logistics", country="MX")
    assert org.slug == "rio-bravo-logistics"
    assert Membership.objects.for_org(org).get(user=user).role == Role.OWNER
    actions = set(AuditEntry.objects.for_org(org).values_list("action", flat=True))
    assert actions == {"create"}


def test_slugs_stay_unique_for_companies_with_the_same_name(db):
    user = make_user("new@example.test")
    first = services.create_organisation(actor=user, name="Acme", country="US")
    second = services.create_organisation(actor=user, name="Acme", country="US")
    assert first.slug != second.slug


def test_the_last_owner_cannot_be_demoted(cast):
    owner = Membership.objects.for_org(cast.acme).get(user=cast.owner)
    with pytest.raises(DomainError, match="at least one owner"):
        services.change_role(org=cast.acme, actor=cast.owner, membership=owner, role=Role.VIEWER)
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_the_last_owner_cannot_be_removed_or_leave(cast):
    owner = Membership.objects.for_org(cast.acme).get(user=cast.owner)
    with pytest.raises(DomainError):
        services.remove_member(org=cast.acme, actor=cast.owner, membership=owner)
    with pytest.raises(DomainError, match="last owner"):
        services.leave(org=cast.acme, actor=cast.owner)
    assert Membership.objects.for_org(cast.acme).filter(user=cast.owner).exists()


def test_an_owner_may_leave_once_another_owner_exists(cast):
    manager = Membership.objects.for_org(cast.acme).get(user=cast.manager)
    services.change_role(org=cast.acme, actor=cast.owner, membership=manager, role=Role.OWNER)
    services.leave(org=cast.acme, actor=cast.owner)
    assert not Membership.objects.for_org(cast.acme).filter(user=cast.owner).exists()
    entry = AuditEntry.objects.for_org(cast.acme).filter(action="delete").get()
    assert entry.changes["role"] == ["owner", None]


def test_a_role_change_is_audited_from_and_to(cast):
    member = Membership.objects.for_org(cast.acme).get(user=cast.viewer)
    services.change_role(org=cast.acme, actor=cast.owner, membership=member, role=Role.CONTRIBUTOR)
    entry = AuditEntry.objects.for_org(cast.acme).filter(action="update").get()
    assert entry.actor == cast.owner
    assert entry.changes == {"role": ["viewer", "contributor"]}


def invitation_link() -> str:
    match = re.search(r"http://\S+/invitations/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_an_invitation_is_emailed_and_accepted_by_its_address(cast, committed):
    newcomer = make_user("nina@acme.test")
    with committed():
        services.invite(
            org=cast.acme, actor=cast.owner, email="Nina@Acme.test", role=Role.CONTRIBUTOR
        )
    assert mail.outbox[-1].to == ["nina@acme.test"]
    assert "Acme Imports" in mail.outbox[-1].subject
    membership = services.accept_invitation(user=newcomer, token=invitation_link())
    assert membership.organisation == cast.acme
    assert membership.role == Role.CONTRIBUTOR
    with pytest.raises(DomainError, match="already been used"):
        services.accept_invitation(user=newcomer, token=invitation_link())


def test_an_invitation_cannot_be_used_by_another_address(cast, committed):
    with committed():
        services.invite(org=cast.acme, actor=cast.owner, email="nina@acme.test", role=Role.OWNER)
    with pytest.raises(DomainError, match=r"nina@acme\.test"):
        services.accept_invitation(user=cast.outsider, token=invitation_link())
    assert not Membership.objects.for_org(cast.acme).filter(user=cast.outsider).exists()


def test_revoked_expired_and_forged_invitations_are_refused(cast, committed):
    newcomer = make_user("nina@acme.test")
    with committed():
        invitation = services.invite(
            org=cast.acme, actor=cast.owner, email=newcomer.email, role=Role.VIEWER
        )
    token = invitation_link()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(DomainError, match="expired"):
        services.accept_invitation(user=newcomer, token=token)
    with pytest.raises(DomainError, match="not valid"):
        services.accept_invitation(user=newcomer, token=token[:-2] + "xx")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1), revoked_at=timezone.now()
    )
    with pytest.raises(DomainError, match="withdrawn"):
        services.accept_invitation(user=newcomer, token=token)


def test_members_and_pending_invitees_are_not_invited_twice(cast):
    with pytest.raises(DomainError, match="already a member"):
        services.invite(org=cast.acme, actor=cast.owner, email="CARLA@acme.test", role=Role.VIEWER)
    services.invite(org=cast.acme, actor=cast.owner, email="nina@acme.test", role=Role.VIEWER)
    with pytest.raises(DomainError, match="pending invitation"):
        services.invite(org=cast.acme, actor=cast.owner, email="nina@acme.test", role=Role.VIEWER)

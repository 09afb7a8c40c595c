import pytest

from safelane.core.errors import ConflictError
from safelane.core.models import AuditEntry
from safelane.core.records import update_record
from safelane.orgs.models import Membership


def test_an_update_from_a_stale_version_is_refused_and_writes_nothing(cast):
    member = Membership.objects.for_org(cast.acme).get(user=cast.viewer)
    update_record(
        org=cast.acme, actor=cast.owner, obj=member, expected_version=1, values={"role": "manager"}
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ConflictError) as refused:
        update_record(
            org=cast.acme,
            actor=cast.manager,
            obj=member,
            expected_version=1,
            values={"role": "owner"},
        )
    assert refused.value.current.role == "manager"
    assert refused.value.current.version == 2
    member.refresh_from_db()
    assert member.role == "manager"
    assert AuditEntry.objects.count() == before


def test_saving_the_same_values_writes_no_version_and_no_entry(cast):
    member = Membership.objects.for_org(cast.acme).get(user=cast.viewer)
    before = AuditEntry.objects.count()
    result = update_record(
        org=cast.acme, actor=cast.owner, obj=member, expected_version=1, values={"role": "viewer"}
    )
    assert result.version == 1
    assert AuditEntry.objects.count() == before

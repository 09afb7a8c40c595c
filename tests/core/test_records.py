import pytest
from django import forms

from safelane.core.errors import ConflictError, DomainError
from safelane.core.forms import no_control_characters
from safelane.core.models import AuditEntry
from safelane.core.records import check_values, update_record
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


@pytest.mark.parametrize(
    "value", [["4.7\x0b4.8"], ["4.8", "\x0c"], {"note": "bell\x07"}, {"x\x1f": 1}, [["\x7f"]]]
)
def test_a_control_character_inside_a_list_or_mapping_is_refused_naming_the_field(cast, value):
    entry = AuditEntry(organisation=cast.acme, changes=value)
    with pytest.raises(DomainError, match="holds a control character") as refused:
        check_values(entry, {"changes"})
    assert refused.value.field == "changes"


def test_a_form_field_turned_into_other_values_refuses_control_characters():
    class Criteria(forms.Form):
        ids = forms.CharField(validators=[no_control_characters])

    assert not Criteria({"ids": "4.7\x0b4.8"}).is_valid()
    assert Criteria({"ids": "4.7, 4.8\t4.9"}).is_valid()

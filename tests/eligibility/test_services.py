"""The application's rules, asked of the services directly: who may name a company officer,
and who may affirm the Partner Agreement for the company."""

import pytest

from safelane.core.errors import NotAllowedError
from safelane.core.models import AuditEntry
from safelane.eligibility import services
from safelane.eligibility.models import AgreementAffirmation, Contact


def contact(cast, actor, obj=None, **values):
    values.setdefault("name", "Consuelo Consultant")
    values.setdefault("email", "consuelo@consult.test")
    return services.save_contact(
        org=cast.acme,
        actor=actor,
        obj=obj,
        expected_version=obj.version if obj else None,
        values=values,
    )


def affirm(cast, actor):
    return services.affirm_agreement(org=cast.acme, actor=actor, ip_address=None, user_agent="")


def test_a_manager_cannot_make_themself_an_officer_and_affirm_for_the_client(cast):
    with pytest.raises(NotAllowedError, match="Only an owner names a company officer"):
        contact(cast, cast.consultant, is_company_officer=True, user=cast.consultant)
    assert not Contact.objects.for_org(cast.acme).exists()
    own = contact(cast, cast.consultant, user=cast.consultant)  # not an officer: allowed
    with pytest.raises(NotAllowedError):
        contact(cast, cast.consultant, obj=own, is_company_officer=True, user=cast.consultant)
    with pytest.raises(Exception, match="whom an owner has named"):
        affirm(cast, cast.consultant)
    assert not AgreementAffirmation.objects.for_org(cast.acme).exists()


def test_an_owner_names_an_officer_who_then_affirms_with_the_role_recorded(cast):
    officer = contact(
        cast,
        cast.owner,
        name="Manuel Manager",
        email="manuel@acme.test",
        user=cast.manager,
        is_company_officer=True,
        title="CFO",
    )
    assert (officer.officer_named_by, officer.officer_named_at is not None) == (cast.owner, True)
    named = AuditEntry.objects.for_org(cast.acme).for_object(officer).get()
    assert named.actor == cast.owner
    assert named.changes["is_company_officer"] == [None, True]
    affirmation = affirm(cast, cast.manager)
    assert (affirmation.user, affirmation.member_role, affirmation.officer_named_by) == (
        cast.manager,
        "manager",
        cast.owner,
    )


def test_managers_edit_an_officers_details_but_not_who_the_officer_is(cast):
    officer = contact(
        cast,
        cast.owner,
        name="Olivia Owner",
        email="olivia@acme.test",
        user=cast.owner,
        is_company_officer=True,
    )
    officer = contact(
        cast,
        cast.manager,
        obj=officer,
        name="Olivia Owner",
        email="olivia@acme.test",
        user=cast.owner,
        is_company_officer=True,
        title="COO",
    )
    assert officer.title == "COO"
    with pytest.raises(NotAllowedError):
        contact(
            cast,
            cast.manager,
            obj=officer,
            name="Olivia Owner",
            email="olivia@acme.test",
            user=cast.manager,
            is_company_officer=True,
        )
    with pytest.raises(NotAllowedError):
        contact(
            cast,
            cast.manager,
            obj=officer,
            name="Olivia Owner",
            email="olivia@acme.test",
            user=cast.owner,
            is_company_officer=False,
        )


def test_contributors_do_not_change_the_application(cast):
    with pytest.raises(NotAllowedError, match="managers and owners"):
        contact(cast, cast.contributor)
    with pytest.raises(NotAllowedError):
        services.save_profile(
            org=cast.acme, actor=cast.viewer, values={"website": "x"}, expected_version=None
        )

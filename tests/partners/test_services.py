"""The partner register's rules, asked of the services directly."""

import pytest
from django.utils import timezone

from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from safelane.partners import services
from safelane.partners.models import Partner, RiskTier
from safelane.partners.tiers import add_months
from safelane.risk import services as risk
from tests.partners.conftest import partner

TODAY = timezone.localdate()


def test_a_partner_is_audited_with_its_names(cast):
    p = partner(cast, other_names="Acme HG\nAcme Housewares; acme hg")
    assert sorted(n.name for n in p.other_names.all()) == ["Acme HG", "Acme Housewares"]
    assert AuditEntry.objects.for_org(cast.acme).for_object(p).filter(action="create").exists()


def test_the_tier_follows_the_facts_with_its_reasons(cast):
    risk.save_country_threat(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        expected_version=None,
        values={"country": "MX", "threat": "contraband", "level": 3, "assessed_on": TODAY},
    )
    carrier = partner(cast, name="Transportes del Norte", kind="highway_carrier", countries=["MX"])
    assert carrier.computed_tier == RiskTier.HIGH
    reasons = " ".join(carrier.reason_lines)
    assert "The threat in Mexico is rated high." in reasons
    assert "It holds or moves the cargo." in reasons
    assert carrier.next_review == TODAY  # nobody has looked at it yet: due now
    certified = services.update_partner(
        org=cast.acme,
        actor=cast.owner,
        partner=carrier,
        expected_version=Partner.objects.for_org(cast.acme).get(pk=carrier.pk).version,
        values={
            "name": carrier.name,
            "kind": carrier.kind,
            "countries": ["MX"],
            "ctpat_status": "certified",
            "status_verified_on": TODAY,
        },
    )
    assert certified.computed_tier == RiskTier.MEDIUM
    assert certified.next_review == add_months(TODAY, 24)  # medium risk: every two years
    assert certified.status_verified_by == cast.owner
    assert "CTPAT status verified on" in " ".join(certified.reason_lines)


def test_a_managers_tier_needs_a_reason(cast):
    p = partner(cast)
    version = Partner.objects.for_org(cast.acme).get(pk=p.pk).version
    with pytest.raises(NotAllowedError):
        services.set_tier(
            org=cast.acme,
            actor=cast.contributor,
            partner=p,
            tier="low",
            reason="x",
            expected_version=version,
        )
    with pytest.raises(DomainError, match="Say why"):
        services.set_tier(
            org=cast.acme,
            actor=cast.manager,
            partner=p,
            tier="low",
            reason="  ",
            expected_version=version,
        )
    set_ = services.set_tier(
        org=cast.acme,
        actor=cast.manager,
        partner=p,
        tier="low",
        reason="Audited on site 2026",
        expected_version=version,
    )
    assert (set_.tier, set_.tier_override_reason) == ("low", "Audited on site 2026")
    with pytest.raises(ConflictError):
        services.set_tier(
            org=cast.acme,
            actor=cast.manager,
            partner=p,
            tier="high",
            reason="stale",
            expected_version=version,
        )


def test_a_questionnaire_result_moves_the_tier(cast):
    p = partner(cast)
    before = p.computed_tier
    after = services.record_assessment(
        org=cast.acme, actor=cast.owner, partner=p, on=TODAY, level=RiskTier.HIGH
    )
    assert after.assessment_level == RiskTier.HIGH
    assert (before, after.computed_tier) == (RiskTier.HIGH, RiskTier.HIGH)
    assert "shows high vulnerability" in " ".join(after.reason_lines)
    assert after.next_review == add_months(TODAY, 12)
    low = services.record_assessment(
        org=cast.acme, actor=cast.owner, partner=p, on=TODAY, level=RiskTier.LOW
    )
    assert low.computed_tier == RiskTier.MEDIUM
    assert low.next_review == add_months(TODAY, 24)


def test_viewers_do_not_change_the_register(cast):
    with pytest.raises(NotAllowedError):
        partner(cast, actor=cast.viewer)


def test_only_managers_archive_a_partner(cast):
    p = partner(cast)
    with pytest.raises(NotAllowedError):
        services.archive(org=cast.acme, actor=cast.contributor, partner=p)
    services.archive(org=cast.acme, actor=cast.manager, partner=p)
    assert not Partner.objects.for_org(cast.acme).active().exists()
    with pytest.raises(DomainError, match="archived already"):
        services.archive(org=cast.acme, actor=cast.manager, partner=p)
    with pytest.raises(DomainError, match="restore it before changing it"):
        services.add_facility(
            org=cast.acme, actor=cast.manager, partner=p, values={"name": "x", "country": "CN"}
        )
    with pytest.raises(NotAllowedError):
        services.restore(org=cast.acme, actor=cast.contributor, partner=p)
    back = services.restore(org=cast.acme, actor=cast.manager, partner=p)
    assert back.archived_at is None
    assert Partner.objects.for_org(cast.acme).active().get() == p
    with pytest.raises(DomainError, match="is not archived"):
        services.restore(org=cast.acme, actor=cast.manager, partner=p)


def test_a_contact_e_mail_is_once_per_partner(cast):
    p = partner(cast)
    values = {"name": "Li Wei", "email": "li@acme-hg.example", "language": "en"}
    services.add_contact(org=cast.acme, actor=cast.owner, partner=p, values=values)
    with pytest.raises(DomainError, match="already has a contact"):
        services.add_contact(
            org=cast.acme,
            actor=cast.owner,
            partner=p,
            values={**values, "email": "LI@acme-hg.example"},
        )

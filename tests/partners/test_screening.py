"""Partners screened against the lists: hits, decisions remembered across re-screens, a
changed entry or name reopening them, a confirmed match raising an action."""

import pytest

from safelane.actions.models import Action
from safelane.core.errors import DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from safelane.partners import screening, services
from safelane.partners.models import HitStatus, Partner, RiskTier, ScreeningHit, ScreeningState
from tests.partners.conftest import partner


def listed(cast):
    return partner(
        cast, name="Gulf Gate Shipping Company L.L.C.", kind="sea_carrier", countries=["AE"]
    )


def test_a_listed_party_is_found_under_another_legal_form(cast, csl):
    p = listed(cast)
    hit = ScreeningHit.objects.for_org(cast.acme).get(partner=p)
    assert hit.matched_name == "Gulf Gate Shipping Co. LLC"
    assert hit.list_name == "csl"
    assert Partner.objects.for_org(cast.acme).get(pk=p.pk).screening == ScreeningState.REVIEW
    assert AuditEntry.objects.for_org(cast.acme).for_object(hit).filter(action="create").exists()


def test_a_clean_partner_is_screened_without_hits(cast, csl):
    p = partner(cast, name="Acme Home Goods Inc.")
    stored = Partner.objects.for_org(cast.acme).get(pk=p.pk)
    assert (stored.screening, stored.screened_at is not None) == (ScreeningState.CLEAR, True)
    assert not ScreeningHit.objects.for_org(cast.acme).exists()


def decide(
    cast, hit, status, reason="Different address and owners (checked 2026-11-30)", actor=None
):
    return services.decide_hit(
        org=cast.acme,
        actor=actor or cast.manager,
        hit=hit,
        status=status,
        reason=reason,
        expected_version=ScreeningHit.objects.for_org(cast.acme).get(pk=hit.pk).version,
    )


def test_a_cleared_hit_stays_cleared_when_screened_again(cast, csl):
    p = listed(cast)
    hit = ScreeningHit.objects.for_org(cast.acme).get(partner=p)
    decide(cast, hit, HitStatus.CLEARED)
    services.rescreen(org=cast.acme, actor=cast.owner, partner=p)
    again = ScreeningHit.objects.for_org(cast.acme).get(partner=p)
    assert (again.pk, again.status) == (hit.pk, HitStatus.CLEARED)
    assert Partner.objects.for_org(cast.acme).get(pk=p.pk).screening == ScreeningState.CLEAR


def test_a_changed_list_entry_reopens_the_decision(cast, csl):
    p = listed(cast)
    hit = ScreeningHit.objects.for_org(cast.acme).get(partner=p)
    decide(cast, hit, HitStatus.CLEARED)
    ScreeningHit.objects.for_org(cast.acme).filter(pk=hit.pk).update(fingerprint="0" * 64)
    screening.screen(
        org=cast.acme, actor=cast.owner, partners=[Partner.objects.for_org(cast.acme).get(pk=p.pk)]
    )
    again = ScreeningHit.objects.for_org(cast.acme).get(pk=hit.pk)
    assert again.status == HitStatus.OPEN
    assert "list entry changed" in again.reopened_because


def test_a_confirmed_hit_marks_the_partner_and_raises_an_action(cast, csl):
    p = listed(cast)
    hit = ScreeningHit.objects.for_org(cast.acme).get(partner=p)
    decide(cast, hit, HitStatus.CONFIRMED, reason="Same address in Dubai and same owner")
    stored = Partner.objects.for_org(cast.acme).get(pk=p.pk)
    assert (stored.screening, stored.tier) == (ScreeningState.CONFIRMED, RiskTier.HIGH)
    action = Action.objects.for_org(cast.acme).get()
    assert action.origin == stored
    assert action.priority == "critical"


def test_a_decision_needs_a_manager_and_a_reason(cast, csl):
    hit = ScreeningHit.objects.for_org(cast.acme).get(partner=listed(cast))
    with pytest.raises(NotAllowedError):
        decide(cast, hit, HitStatus.CLEARED, actor=cast.contributor)
    with pytest.raises(DomainError, match="reason"):
        decide(cast, hit, HitStatus.CLEARED, reason=" ")


def test_a_new_list_screens_every_partner_again_in_a_job_per_organisation(
    cast, csl, django_capture_on_commit_callbacks
):
    from safelane.jobs.models import Job
    from safelane.screening import services as lists
    from tests.partners.conftest import SNAPSHOTS

    p = partner(cast, name="Bahar Safwa General Trading", kind="consolidator", countries=["AE"])
    assert Partner.objects.for_org(cast.acme).get(pk=p.pk).screening == ScreeningState.CLEAR
    with django_capture_on_commit_callbacks(execute=True):
        lists.load_files(actor=None, list_name="dpl", path=SNAPSHOTS / "dpl.txt")
    job = Job.objects.for_org(cast.acme).get(kind="rescreen")
    assert job.status == "done"
    assert job.done_steps == job.total_steps == 1
    assert Partner.objects.for_org(cast.acme).get(pk=p.pk).screening == ScreeningState.REVIEW
    assert ScreeningHit.objects.for_org(cast.acme).filter(list_name="dpl").exists()
    assert not Job.objects.for_org(cast.norte).exists()  # no partners there, nothing to do

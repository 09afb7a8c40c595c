"""The rules of the action plan, asked of the services directly."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from safelane.actions import services
from safelane.actions.models import Action, ActionStatus, ProgressNote
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from tests.factories import action, gap

TODAY = timezone.localdate()


def done(cast, act, actor=None, version=None, **kwargs):
    return services.set_status(
        org=cast.acme,
        actor=actor or cast.owner,
        action=act,
        status=ActionStatus.DONE,
        expected_version=version,
        **kwargs,
    )


def test_a_new_owner_is_told_by_email(cast, committed):
    with committed():
        action(cast, owner=cast.contributor, due_date=TODAY + datetime.timedelta(days=5))
    assert mail.outbox[-1].to == ["carla@acme.test"]
    assert "Turn on MFA at Joliet" in mail.outbox[-1].subject


def test_an_action_remembers_the_gap_it_closes(cast):
    response = gap(cast)
    act = action(cast, origin=response)
    assert act.origin == response
    assert [a.pk for a in services_for(cast, response)] == [act.pk]


def services_for(cast, origin):
    from safelane.actions import selectors

    return selectors.for_origin(cast.acme, origin)


def test_finishing_the_last_action_of_a_gap_says_so(cast):
    response = gap(cast)
    first = action(cast, origin=response)
    second = action(cast, title="Train staff on MFA", origin=response)
    assert not done(cast, first).origin_done
    assert done(cast, second).origin_done


def test_work_on_a_must_criterion_is_verified_by_someone_else(cast):
    act = action(cast, origin=gap(cast), verification_required=True, owner=cast.contributor)
    assert act.needs_verification
    with pytest.raises(DomainError, match="finished"):
        services.verify(org=cast.acme, actor=cast.manager, action=act, expected_version=None)
    done(cast, act, actor=cast.contributor)
    with pytest.raises(DomainError, match="second person"):
        services.verify(org=cast.acme, actor=cast.contributor, action=act, expected_version=None)
    verified = services.verify(org=cast.acme, actor=cast.manager, action=act, expected_version=None)
    assert verified.verified_by == cast.manager
    with pytest.raises(DomainError, match="verified already"):
        services.verify(org=cast.acme, actor=cast.owner, action=act, expected_version=None)


def test_a_stale_status_never_replaces_a_newer_one(cast):
    act = action(cast)
    seen = act.version
    done(cast, act, note="Installed on all 12 terminals")
    with pytest.raises(ConflictError):
        services.set_status(
            org=cast.acme,
            actor=cast.contributor,
            action=act,
            status=ActionStatus.BLOCKED,
            expected_version=seen,
        )
    act.refresh_from_db()
    assert (act.status, act.completion_note) == (ActionStatus.DONE, "Installed on all 12 terminals")


def test_recurring_monitoring_creates_its_next_occurrence(cast):
    review = action(
        cast,
        title="Quarterly access review",
        kind="monitoring",
        recurrence="quarterly",
        due_date=datetime.date(2026, 11, 30),
    )
    change = done(cast, review)
    assert change.next_occurrence.due_date == datetime.date(2027, 2, 28)
    assert change.next_occurrence.previous == review
    assert change.next_occurrence.status == ActionStatus.OPEN


def test_a_due_date_beyond_2199_is_refused(cast):
    with pytest.raises(DomainError, match="between 2000 and 2199"):
        action(cast, due_date=datetime.date(9999, 12, 31), recurrence="yearly")
    assert not Action.objects.for_org(cast.acme).exists()


def test_the_last_occurrence_before_2200_cannot_repeat_past_it(cast):
    act = action(cast, due_date=datetime.date(2199, 6, 30), recurrence="yearly")
    with pytest.raises(DomainError, match="after 2199"):
        done(cast, act)
    act.refresh_from_db()
    assert act.status == ActionStatus.OPEN  # nothing of the change was kept


def test_an_action_created_with_a_status_is_one_change(cast):
    act = action(cast, status=ActionStatus.DONE, completion_note="Done on day one")
    assert (act.status, act.completion_note) == (ActionStatus.DONE, "Done on day one")
    assert act.completed_at is not None


def test_a_refused_status_leaves_no_action_behind(cast):
    with pytest.raises(DomainError):
        action(cast, status="finished")
    assert not Action.objects.for_org(cast.acme).exists()


def test_an_update_and_its_status_succeed_or_fail_together(cast):
    act = action(cast, title="Before", priority="low")
    with pytest.raises(DomainError):
        services.update_action(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            expected_version=act.version,
            values={"title": "After", "priority": "high", "status": "finished"},
        )
    act.refresh_from_db()
    assert (act.title, act.priority) == ("Before", "low")


def test_a_viewer_cannot_plan_or_move_actions(cast):
    with pytest.raises(NotAllowedError):
        services.create_action(org=cast.acme, actor=cast.viewer, values={"title": "x"})
    act = action(cast)
    with pytest.raises(NotAllowedError):
        done(cast, act, actor=cast.viewer)


def test_only_managers_archive_and_only_once(cast):
    act = action(cast)
    with pytest.raises(NotAllowedError):
        services.archive(org=cast.acme, actor=cast.contributor, action=act)
    services.archive(org=cast.acme, actor=cast.manager, action=act)
    with pytest.raises(DomainError, match="archived already"):
        services.archive(org=cast.acme, actor=cast.manager, action=act)


def test_labour_is_hours_times_the_role_rate(cast):
    rate = services.save_rate(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        values={"role": "IT administrator", "hourly_rate": Decimal("62.50")},
        expected_version=None,
    )
    act = action(cast)
    cost = services.add_cost(
        org=cast.acme,
        actor=cast.owner,
        action=act,
        values={
            "category": "labour",
            "kind": "estimate",
            "hours": Decimal("16"),
            "rate": rate,
            "date": TODAY,
        },
    )
    assert cost.amount == Decimal("1000.00")
    with pytest.raises(DomainError, match="role rate"):
        services.add_cost(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            values={"category": "labour", "kind": "estimate", "hours": Decimal(5), "date": TODAY},
        )
    with pytest.raises(DomainError, match="Enter the amount"):
        services.add_cost(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            values={"category": "consulting", "kind": "estimate", "date": TODAY},
        )
    with pytest.raises(DomainError, match="rate"):
        services.delete_rate(org=cast.acme, actor=cast.owner, obj=rate)


def test_a_cost_too_large_to_store_is_refused_before_it_is_stored(cast):
    rate = services.save_rate(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        values={"role": "Guard", "hourly_rate": Decimal("9999999.99")},
        expected_version=None,
    )
    act = action(cast)
    with pytest.raises(DomainError, match="digits"):
        services.add_cost(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            values={
                "category": "labour",
                "kind": "estimate",
                "hours": Decimal("9999999.99"),
                "rate": rate,
                "date": TODAY,
            },
        )
    assert not act.costs.exists()


def test_every_change_is_in_the_audit_trail(cast):
    act = action(cast)
    done(cast, act)
    entries = AuditEntry.objects.for_org(cast.acme).for_object(act)
    assert [e.action for e in entries.order_by("pk")] == ["create", "update"]
    assert entries.order_by("pk").last().changes["status"] == ["open", "done"]


@pytest.mark.parametrize("status", ["in-progress", "blocked", "cancelled", "done"])
def test_the_note_of_a_status_change_is_kept_whatever_the_status(cast, status):
    act = action(cast)
    services.set_status(
        org=cast.acme,
        actor=cast.contributor,
        action=act,
        status=status,
        note="Waiting for the locksmith's quote",
        expected_version=act.version,
    )
    note = ProgressNote.objects.for_org(cast.acme).get(action=act)
    assert (note.text, note.status, note.author) == (
        "Waiting for the locksmith's quote",
        status,
        cast.contributor,
    )
    entry = AuditEntry.objects.for_org(cast.acme).for_object(note).get()
    assert entry.changes["text"] == [None, "Waiting for the locksmith's quote"]


def test_a_status_change_without_a_note_adds_none(cast):
    act = action(cast)
    services.set_status(
        org=cast.acme, actor=cast.owner, action=act, status="blocked", expected_version=None
    )
    assert not ProgressNote.objects.for_org(cast.acme).exists()


def test_a_stale_status_change_says_what_the_status_is_now(cast):
    act = action(cast)
    seen = act.version
    done(cast, act)
    with pytest.raises(ConflictError, match="its status is now Done"):
        services.set_status(
            org=cast.acme,
            actor=cast.contributor,
            action=act,
            status="blocked",
            note="Lost",
            expected_version=seen,
        )
    assert not ProgressNote.objects.for_org(cast.acme).exists()


def test_whoever_marked_the_action_done_cannot_verify_it(cast):
    act = action(cast, owner=cast.contributor)
    done(cast, act, actor=cast.manager)
    act.refresh_from_db()
    assert act.completed_by == cast.manager
    refusal = services.verification_refusal(org=cast.acme, actor=cast.manager, action=act)
    assert refusal == "A second person verifies the work: not the person who marked it done."
    with pytest.raises(DomainError, match="marked it done"):
        services.verify(org=cast.acme, actor=cast.manager, action=act, expected_version=None)
    assert services.verification_refusal(org=cast.acme, actor=cast.owner, action=act) is None
    services.verify(org=cast.acme, actor=cast.owner, action=act, expected_version=None)


def test_reopening_forgets_who_finished_it(cast):
    act = action(cast)
    done(cast, act, actor=cast.manager)
    services.set_status(
        org=cast.acme, actor=cast.owner, action=act, status="in-progress", expected_version=None
    )
    act.refresh_from_db()
    assert (act.completed_by, act.completed_at) == (None, None)


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("viewer", "Contributor or higher"),
        ("contributor", "not the action's owner"),
        ("owner", "not the person who marked it done"),
    ],
)
def test_the_verification_refusal_is_the_services_rule(cast, who, reason):
    act = action(cast, owner=cast.contributor)
    done(cast, act)  # by the owner of the organisation
    act.refresh_from_db()
    refusal = services.verification_refusal(org=cast.acme, actor=getattr(cast, who), action=act)
    assert reason in refusal


def test_an_archived_action_is_kept_as_it_was_until_a_manager_restores_it(cast):
    act = action(cast)
    services.archive(org=cast.acme, actor=cast.manager, action=act, expected_version=act.version)
    act.refresh_from_db()
    for change in (
        lambda: done(cast, act),
        lambda: services.add_note(org=cast.acme, actor=cast.owner, action=act, text="x"),
        lambda: services.update_action(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            expected_version=act.version,
            values={"title": "Changed"},
        ),
    ):
        with pytest.raises(DomainError, match="is archived: restore it"):
            change()
    with pytest.raises(NotAllowedError):
        services.restore(org=cast.acme, actor=cast.contributor, action=act)
    with pytest.raises(ConflictError):
        services.restore(org=cast.acme, actor=cast.manager, action=act, expected_version=1)
    restored = services.restore(
        org=cast.acme, actor=cast.manager, action=act, expected_version=act.version
    )
    assert restored.archived_at is None
    with pytest.raises(DomainError, match="not archived"):
        services.restore(org=cast.acme, actor=cast.manager, action=act)
    restoring = AuditEntry.objects.for_org(cast.acme).for_object(act).order_by("pk").last()
    assert restoring.actor == cast.manager
    assert restoring.changes["archived_at"][1] is None


@pytest.mark.parametrize(
    "criteria", [["99.1"], ["4.8", "99.99"], ["²³"], ['=HYPERLINK("x")'], ["4.7\x0b4.8"]]
)
def test_an_action_refers_only_to_criteria_of_the_catalogue(cast, criteria):
    with pytest.raises(DomainError) as refused:
        action(cast, criteria=criteria)
    assert refused.value.field == "criteria"
    assert not Action.objects.for_org(cast.acme).exists()
    act = action(cast, criteria=["4.8"])
    with pytest.raises(DomainError):
        services.update_action(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            expected_version=act.version,
            values={"criteria": criteria},
        )
    act.refresh_from_db()
    assert act.criteria == ["4.8"]


def test_an_action_may_refer_to_an_own_criterion_by_its_code(cast):
    from safelane.catalog import services as catalog_services

    catalog_services.save_own_criterion(
        org=cast.acme,
        actor=cast.owner,
        values={"code": "ACME-1", "must_should": "must", "requirement": "Badges at docks."},
    )
    act = action(cast, criteria=["4.8", "acme-1", "4.8"])
    assert act.criteria == ["4.8", "own:ACME-1"]


def test_an_action_made_from_a_record_starts_planned(cast):
    """What a button such as a risk's "Create action" makes: an owner, a due date, and what
    its origin suggests, unless given."""
    response = gap(cast)
    act = services.create_action(
        org=cast.acme, actor=cast.manager, values={"title": "Close 4.8", "origin": response}
    )
    assert act.owner == cast.manager
    assert act.due_date == TODAY + datetime.timedelta(days=services.LEAD_DAYS["high"])
    assert (act.criteria, act.verification_required) == (["4.8"], True)
    given = services.create_action(
        org=cast.acme,
        actor=cast.manager,
        values={"title": "Later", "origin": response, "owner": None, "due_date": None},
    )
    assert (given.owner, given.due_date) == (None, None)


def test_rates_are_a_managers_and_benefits_a_contributors(cast):
    rate = {"role": "Security guard", "hourly_rate": Decimal("25")}
    with pytest.raises(NotAllowedError):
        services.save_rate(
            org=cast.acme, actor=cast.contributor, obj=None, values=rate, expected_version=None
        )
    saved = services.save_rate(
        org=cast.acme, actor=cast.manager, obj=None, values=rate, expected_version=None
    )
    with pytest.raises(NotAllowedError):
        services.delete_rate(org=cast.acme, actor=cast.contributor, obj=saved)
    benefit = {
        "metric": "exams",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 6, 30),
        "before_certification": True,
        "value": Decimal("12"),
    }
    with pytest.raises(NotAllowedError):
        services.save_benefit(
            org=cast.acme, actor=cast.viewer, obj=None, values=benefit, expected_version=None
        )
    made = services.save_benefit(
        org=cast.acme, actor=cast.contributor, obj=None, values=benefit, expected_version=None
    )
    with pytest.raises(NotAllowedError):
        services.delete_benefit(org=cast.acme, actor=cast.viewer, obj=made)

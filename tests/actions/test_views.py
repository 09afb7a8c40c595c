"""The action plan's pages: each button posts to its own address, refusals answer 4xx."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safelane.actions import services
from safelane.actions.models import Action, ActionStatus, CostLine
from tests.factories import action, gap

TODAY = timezone.localdate()


def url(cast, name, act=None):
    return reverse(f"actions:{name}", args=[cast.acme.slug, *([act.pk] if act else [])])


def test_an_action_from_a_gap_is_prefilled_and_linked(cast, as_user):
    response = gap(cast)
    client = as_user(cast.manager)
    new = url(cast, "create") + f"?origin=response:{response.pk}"
    form = client.get(new).context["form"]
    assert form.initial["title"] == "Close the gap on 4.8"
    assert form.initial["priority"] == "high"
    assert form.initial["criteria_text"] == "4.8"
    client.post(
        new,
        {
            "title": "MFA for warehouse logins",
            "source": "gap",
            "kind": "it",
            "priority": "high",
            "owner": cast.contributor.pk,
            "due_date": "2026-12-15",
            "criteria_text": "4.8",
        },
    )
    created = Action.objects.for_org(cast.acme).get()
    assert created.origin == response
    assert created.criteria == ["4.8"]
    assert created.verification_required  # 4.8 is a Must
    page = client.get(reverse("assessments:response", args=[cast.acme.slug, response.pk]))
    assert "MFA for warehouse logins" in page.content.decode()
    detail = client.get(url(cast, "detail", created)).content.decode()
    assert "closes the gap on 4.8 · Initial" in detail


@pytest.mark.parametrize("origin", ["response:²", "response:99999999999999999999", "nope:1", ""])
def test_an_odd_origin_starts_a_plain_action(cast, as_user, origin):
    page = as_user(cast.manager).get(url(cast, "create"), {"origin": origin})
    assert page.status_code == 200
    assert "title" not in page.context["form"].initial


def test_finishing_the_last_action_of_a_gap_leads_back_to_the_answer(cast, as_user):
    response = gap(cast)
    first = action(cast, origin=response)
    second = action(cast, title="Train staff on MFA", origin=response)
    services.set_status(
        org=cast.acme, actor=cast.owner, action=first, status="done", expected_version=None
    )
    page = as_user(cast.manager).post(
        url(cast, "status", second),
        {"status": "done", "note": "All 42 staff trained.", "version": second.version},
        follow=True,
    )
    html = page.content.decode()
    assert "last open action for this criterion" in html
    assert reverse("assessments:response", args=[cast.acme.slug, response.pk]) in html
    second.refresh_from_db()
    assert second.completion_note == "All 42 staff trained."


def test_the_board_moves_an_action_as_its_mover_saw_it(cast, as_user):
    act = action(cast)
    client = as_user(cast.contributor)
    moved = client.post(
        url(cast, "status", act), {"status": "in-progress", "version": act.version, "back": "board"}
    )
    assert moved["Location"] == url(cast, "board")
    columns = {
        value: items for value, _label, items in client.get(url(cast, "board")).context["columns"]
    }
    assert [a.title for a in columns["in-progress"]] == [act.title]


def test_a_stale_move_on_the_board_is_refused_and_changes_nothing(cast, as_user):
    act = action(cast)
    seen = act.version
    services.set_status(
        org=cast.acme,
        actor=cast.manager,
        action=act,
        status=ActionStatus.DONE,
        note="Finished",
        expected_version=seen,
    )
    stale = as_user(cast.contributor).post(
        url(cast, "status", act), {"status": "blocked", "version": seen, "back": "board"}
    )
    assert stale.status_code == 409
    act.refresh_from_db()
    assert (act.status, act.completion_note) == (ActionStatus.DONE, "Finished")


def test_a_move_without_the_version_is_refused(cast, as_user):
    act = action(cast)
    page = as_user(cast.contributor).post(url(cast, "status", act), {"status": "blocked"})
    assert page.status_code == 400
    act.refresh_from_db()
    assert act.status == ActionStatus.OPEN


def test_the_action_page_only_reads(cast, as_user):
    act = action(cast)
    page = as_user(cast.owner).post(url(cast, "detail", act), {"status": "done"})
    assert page.status_code == 405


def test_a_second_person_verifies_from_the_page(cast, as_user):
    act = action(cast, owner=cast.contributor)
    services.set_status(
        org=cast.acme, actor=cast.contributor, action=act, status="done", expected_version=None
    )
    act.refresh_from_db()
    own = as_user(cast.contributor).post(url(cast, "verify", act), {"version": act.version})
    assert own.status_code == 400
    assert "second person" in own.content.decode()
    ok = as_user(cast.manager).post(url(cast, "verify", act), {"version": act.version})
    assert ok.status_code == 302
    act.refresh_from_db()
    assert act.verified_by == cast.manager


def test_notes_and_costs_post_to_their_own_addresses(cast, as_user):
    act = action(cast)
    client = as_user(cast.contributor)
    assert client.post(url(cast, "notes", act), {"text": "Ordered"})["Location"].endswith("#notes")
    added = client.post(
        url(cast, "costs", act),
        {"category": "consulting", "kind": "estimate", "amount": "1500", "date": TODAY},
    )
    assert added["Location"].endswith("#costs")
    huge = client.post(
        url(cast, "costs", act),
        {"category": "consulting", "kind": "estimate", "amount": "1e30", "date": TODAY},
    )
    assert huge.status_code == 400
    assert [c.amount for c in CostLine.objects.for_org(cast.acme)] == [Decimal("1500.00")]
    assert "Ordered" in client.get(url(cast, "detail", act)).content.decode()


def test_overdue_and_due_soon_are_flagged(cast, as_user):
    action(cast, title="Late", due_date=TODAY - datetime.timedelta(days=1))
    action(cast, title="Soon", due_date=TODAY + datetime.timedelta(days=3))
    action(cast, title="Later", due_date=TODAY + datetime.timedelta(days=60))
    overdue = as_user(cast.viewer).get(url(cast, "list"), {"due": "overdue"})
    assert [a.title for a in overdue.context["page"].object_list] == ["Late"]
    assert "1 overdue, 1 due within two weeks." in overdue.content.decode()


def test_my_actions_shows_only_mine(cast, as_user):
    action(cast, title="Carla's", owner=cast.contributor)
    action(cast, title="Manuel's", owner=cast.manager)
    page = as_user(cast.contributor).get(url(cast, "list"), {"mine": "1"})
    assert [a.title for a in page.context["page"].object_list] == ["Carla's"]


@pytest.mark.parametrize(
    ("year", "month"),
    [("9999", "12"), ("1", "1"), ("²", "1"), ("2026", "13"), ("-5", "1"), ("9" * 30, "1")],
)
def test_the_calendar_shows_this_month_for_a_month_it_cannot_show(cast, as_user, year, month):
    page = as_user(cast.viewer).get(url(cast, "calendar"), {"year": year, "month": month})
    assert page.status_code == 200
    assert page.context["shown"] == TODAY.replace(day=1)


def test_the_calendar_places_actions_on_their_day(cast, as_user):
    action(cast, title="Seal audit", due_date=datetime.date(2026, 12, 10))
    page = as_user(cast.viewer).get(url(cast, "calendar"), {"year": 2026, "month": 12})
    days = {
        day.date: [a.title for a in day.actions] for week in page.context["weeks"] for day in week
    }
    assert days[datetime.date(2026, 12, 10)] == ["Seal audit"]


def test_benefits_compare_before_and_after(cast, as_user):
    from safelane.actions import selectors

    create = reverse("actions:benefit_create", args=[cast.acme.slug])
    client = as_user(cast.contributor)
    for before, value in ((True, "12"), (False, "3")):
        client.post(
            create,
            {
                "metric": "exams",
                "before_certification": "on" if before else "",
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "value": value,
            },
        )
    bad = client.post(
        create,
        {"metric": "exams", "period_start": "2025-12-31", "period_end": "2025-01-01", "value": "1"},
    )
    assert "ends before it starts" in bad.content.decode()
    summary = selectors.benefit_summary(cast.acme)
    assert summary == [{"metric": "CBP exams", "before": Decimal(12), "after": Decimal(3)}]


def test_costs_stay_in_their_organisation(cast, as_user):
    act = action(cast)
    services.add_cost(
        org=cast.acme,
        actor=cast.owner,
        action=act,
        values={"category": "consulting", "kind": "actual", "amount": Decimal(10), "date": TODAY},
    )
    cost = CostLine.objects.for_org(cast.acme).get()
    other = reverse("actions:cost_delete", args=[cast.norte.slug, cost.pk])
    assert as_user(cast.consultant).post(other).status_code == 404


def test_evidence_of_completion_is_linked_to_the_action(cast, as_user):
    act = action(cast, criteria=["4.8"])
    client = as_user(cast.contributor)
    upload = reverse("evidence:create", args=[cast.acme.slug]) + f"?for=action:{act.pk}"
    done = client.post(
        upload,
        {
            "title": "MFA roll-out record",
            "file": SimpleUploadedFile("mfa.txt", b"42 accounts"),
            "criteria": "4.8",
        },
    )
    assert done["Location"] == url(cast, "detail", act) + "#evidence"
    page = client.get(url(cast, "detail", act))
    assert [link.evidence.title for link in page.context["links"]] == ["MFA roll-out record"]

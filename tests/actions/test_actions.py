import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from safelane.actions import selectors, services
from safelane.actions.models import Action, ActionStatus, CostLine
from safelane.assessments import services as assessments
from safelane.assessments.models import Response
from safelane.catalog import services as catalog
from safelane.core.errors import DomainError

TODAY = timezone.localdate()


def gap(cast, ident="4.8"):
    catalog.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = assessments.start_cycle(
        org=cast.acme, actor=cast.owner, kind="initial", title="Initial"
    )
    return Response.objects.for_org(cast.acme).get(cycle=cycle, criterion_ident=ident)


def action(cast, **values):
    values.setdefault("title", "Turn on MFA at Joliet")
    return services.create_action(org=cast.acme, actor=cast.owner, values=values)


def test_an_action_from_a_gap_is_prefilled_and_linked(cast, as_user):
    response = gap(cast)
    url = reverse("actions:create", args=[cast.acme.slug]) + f"?response={response.pk}"
    client = as_user(cast.manager)
    form = client.get(url).context["form"]
    assert form.initial["title"] == "Close the gap on 4.8"
    assert form.initial["priority"] == "high"
    client.post(
        url,
        {
            "title": "MFA for warehouse logins",
            "source": "gap",
            "kind": "it",
            "priority": "high",
            "owner": cast.contributor.pk,
            "due_date": "2026-12-15",
            "criteria_text": "",
        },
    )
    created = Action.objects.for_org(cast.acme).get()
    assert created.response == response
    assert created.criteria == ["4.8"]
    assert created.owner == cast.contributor
    page = client.get(
        reverse("assessments:response", args=[cast.acme.slug, response.pk])
    ).content.decode()
    assert "MFA for warehouse logins" in page


def test_a_new_owner_is_told_by_email(cast, committed):
    with committed():
        action(cast, owner=cast.contributor, due_date=TODAY + datetime.timedelta(days=5))
    assert mail.outbox[-1].to == ["carla@acme.test"]
    assert "Turn on MFA at Joliet" in mail.outbox[-1].subject


def test_finishing_the_last_action_of_a_gap_leads_back_to_the_answer(cast, as_user):
    response = gap(cast)
    first = action(cast, response=response)
    second = action(cast, title="Train staff on MFA", response=response)
    change = services.set_status(
        org=cast.acme, actor=cast.owner, action=first, status=ActionStatus.DONE
    )
    assert not change.closes_gap
    page = as_user(cast.manager).post(
        reverse("actions:detail", args=[cast.acme.slug, second.pk]),
        {"status": "done", "note": "All 42 staff trained."},
        follow=True,
    )
    html = page.content.decode()
    assert "last open action for this criterion" in html
    assert reverse("assessments:response", args=[cast.acme.slug, response.pk]) in html
    second.refresh_from_db()
    assert second.completion_note == "All 42 staff trained."


def test_work_on_a_must_criterion_is_verified_by_someone_else(cast):
    response = gap(cast)  # 4.8 is a Must
    act = action(cast, response=response, owner=cast.contributor)
    assert act.needs_verification
    with pytest.raises(DomainError, match="finished"):
        services.verify(org=cast.acme, actor=cast.manager, action=act)
    services.set_status(org=cast.acme, actor=cast.contributor, action=act, status=ActionStatus.DONE)
    with pytest.raises(DomainError, match="second person"):
        services.verify(org=cast.acme, actor=cast.contributor, action=act)
    verified = services.verify(org=cast.acme, actor=cast.manager, action=act)
    assert verified.verified_by == cast.manager


def test_recurring_monitoring_creates_its_next_occurrence(cast):
    review = action(
        cast,
        title="Quarterly access review",
        kind="monitoring",
        recurrence="quarterly",
        due_date=datetime.date(2026, 11, 30),
    )
    change = services.set_status(
        org=cast.acme, actor=cast.owner, action=review, status=ActionStatus.DONE
    )
    assert change.next_occurrence.due_date == datetime.date(2027, 2, 28)
    assert change.next_occurrence.previous == review
    assert change.next_occurrence.status == ActionStatus.OPEN


def test_overdue_and_due_soon_are_flagged(cast, as_user):
    action(cast, title="Late", due_date=TODAY - datetime.timedelta(days=1))
    action(cast, title="Soon", due_date=TODAY + datetime.timedelta(days=3))
    action(cast, title="Later", due_date=TODAY + datetime.timedelta(days=60))
    client = as_user(cast.viewer)
    overdue = client.get(reverse("actions:list", args=[cast.acme.slug]), {"due": "overdue"})
    assert [a.title for a in overdue.context["page"].object_list] == ["Late"]
    assert "1 overdue, 1 due within two weeks." in overdue.content.decode()


def test_my_actions_shows_only_mine(cast, as_user):
    action(cast, title="Carla's", owner=cast.contributor)
    action(cast, title="Manuel's", owner=cast.manager)
    page = as_user(cast.contributor).get(
        reverse("actions:list", args=[cast.acme.slug]), {"mine": "1"}
    )
    assert [a.title for a in page.context["page"].object_list] == ["Carla's"]


def test_the_board_moves_an_action(cast, as_user):
    act = action(cast)
    client = as_user(cast.contributor)
    client.post(reverse("actions:detail", args=[cast.acme.slug, act.pk]), {"status": "in-progress"})
    columns = {
        value: items
        for value, _label, items in client.get(
            reverse("actions:board", args=[cast.acme.slug])
        ).context["columns"]
    }
    assert [a.title for a in columns["in-progress"]] == [act.title]


def test_the_calendar_places_actions_on_their_day(cast, as_user):
    action(cast, title="Seal audit", due_date=datetime.date(2026, 12, 10))
    page = as_user(cast.viewer).get(
        reverse("actions:calendar", args=[cast.acme.slug]), {"year": 2026, "month": 12}
    )
    days = {
        day.date: [a.title for a in day.actions] for week in page.context["weeks"] for day in week
    }
    assert days[datetime.date(2026, 12, 10)] == ["Seal audit"]
    assert (
        as_user(cast.viewer)
        .get(reverse("actions:calendar", args=[cast.acme.slug]), {"month": "thirteen"})
        .status_code
        == 200
    )


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


def costed(cast):
    open_action = action(cast, title="Cameras at dock 3")
    done_action = action(cast, title="Seal procedure")
    for act, category, kind, amount, date in [
        (open_action, "technology", "estimate", "12000", datetime.date(2026, 1, 15)),
        (open_action, "consulting", "estimate", "3000", datetime.date(2026, 2, 1)),
        (open_action, "ongoing", "estimate", "1800", datetime.date(2026, 4, 1)),
        (done_action, "labour", "estimate", "800", datetime.date(2026, 4, 10)),
        (done_action, "labour", "actual", "950", datetime.date(2026, 4, 20)),
    ]:
        services.add_cost(
            org=cast.acme,
            actor=cast.owner,
            action=act,
            values={"category": category, "kind": kind, "amount": Decimal(amount), "date": date},
        )
    services.set_status(
        org=cast.acme, actor=cast.owner, action=done_action, status=ActionStatus.DONE
    )


def test_the_budget_adds_up(cast):
    costed(cast)
    budget = selectors.budget(cast.acme)
    assert budget.first_year == Decimal("17600")
    assert budget.yearly == Decimal("1800")
    assert budget.committed == Decimal("16800")
    assert budget.spent == Decimal("950")
    assert budget.by_quarter == [
        ("2026 Q1", Decimal("15000"), Decimal(0)),
        ("2026 Q2", Decimal("2600"), Decimal("950")),
    ]


def test_the_budget_page_and_its_exports(cast, as_user):
    costed(cast)
    client = as_user(cast.viewer)
    html = client.get(reverse("actions:budget", args=[cast.acme.slug])).content.decode()
    assert "17600" in html
    assert "<svg" in html
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("actions:budget_xlsx", args=[cast.acme.slug])).content)
    ).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["First-year cost of certification"] == 17600
    assert values["Technology and infrastructure (one-off)"] == 12000
    pdf = PdfReader(
        io.BytesIO(client.get(reverse("actions:budget_pdf", args=[cast.acme.slug])).content)
    )
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "17600.00" in text
    assert "2026 Q2" in text


def test_benefits_compare_before_and_after(cast, as_user):
    url = reverse("actions:benefit_create", args=[cast.acme.slug])
    client = as_user(cast.contributor)
    for before, value in ((True, "12"), (False, "3")):
        client.post(
            url,
            {
                "metric": "exams",
                "before_certification": "on" if before else "",
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "value": value,
            },
        )
    bad = client.post(
        url,
        {"metric": "exams", "period_start": "2025-12-31", "period_end": "2025-01-01", "value": "1"},
    )
    assert "ends before it starts" in bad.content.decode()
    summary = selectors.benefit_summary(cast.acme)
    assert summary == [{"metric": "CBP exams", "before": Decimal(12), "after": Decimal(3)}]


def test_the_daily_digest_goes_to_owners_with_late_work(cast, committed):
    action(cast, title="Late", owner=cast.contributor, due_date=TODAY - datetime.timedelta(days=2))
    action(cast, title="Fine", owner=cast.manager, due_date=TODAY + datetime.timedelta(days=90))
    mail.outbox.clear()
    call_command("send_action_digests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["carla@acme.test"]]
    assert "Late" in mail.outbox[0].body


def test_the_action_list_makes_the_same_queries_for_few_or_many(cast, as_user):
    client = as_user(cast.viewer)
    url = reverse("actions:list", args=[cast.acme.slug])
    action(cast)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        action(cast, title=f"Action {n}", owner=cast.contributor, due_date=TODAY)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_costs_stay_in_their_organisation(cast, as_user):
    act = action(cast)
    services.add_cost(
        org=cast.acme,
        actor=cast.owner,
        action=act,
        values={"category": "consulting", "kind": "actual", "amount": Decimal(10), "date": TODAY},
    )
    cost = CostLine.objects.for_org(cast.acme).get()
    assert (
        as_user(cast.consultant)
        .post(reverse("actions:cost_delete", args=[cast.norte.slug, cost.pk]))
        .status_code
        == 404
    )
    assert selectors.budget(cast.norte).spent == 0


def test_evidence_of_completion_is_linked_to_the_action(cast, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    act = action(cast, criteria=["4.8"])
    client = as_user(cast.contributor)
    url = reverse("evidence:create", args=[cast.acme.slug]) + f"?action={act.pk}&criterion=4.8"
    client.post(
        url,
        {
            "title": "MFA roll-out record",
            "file": SimpleUploadedFile("mfa.txt", b"42 accounts"),
            "criteria": "4.8",
        },
    )
    page = client.get(reverse("actions:detail", args=[cast.acme.slug, act.pk]))
    assert [link.evidence.title for link in page.context["evidence"]] == ["MFA roll-out record"]

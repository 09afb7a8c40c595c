import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from safelane.actions import services as actions
from safelane.evidence.models import Evidence
from safelane.risk import services as risk

TODAY = timezone.localdate()


def tiles(client, org):
    response = client.get(reverse("orgs:dashboard", args=[org.slug]))
    assert response.status_code == 200
    return {str(t.title): t for t in response.context["tiles"]}


def late_action(cast, org, title, owner):
    actions.create_action(
        org=org,
        actor=owner,
        values={"title": title, "owner": owner, "due_date": TODAY - datetime.timedelta(days=3)},
    )


def test_a_new_organisation_is_told_where_to_begin(cast, as_user):
    shown = tiles(as_user(cast.viewer), cast.acme)
    assert shown["Self-assessment"].figure == "Not started"
    assert shown["Supply-chain risk assessment"].figure == "Not started"
    assert shown["Action plan"].figure == "0 open actions"
    assert shown["CTPAT Portal application"].tone == "warn"


def test_the_dashboard_counts_late_work_and_warns_of_the_next_risk_assessment(cast, as_user):
    late_action(cast, cast.acme, "Fix the fence", cast.contributor)
    late_action(cast, cast.norte, "Not Acme's", cast.outsider)
    baker.make(Evidence, organisation=cast.acme, review_date=TODAY - datetime.timedelta(days=1))
    baker.make(Evidence, organisation=cast.norte, review_date=TODAY - datetime.timedelta(days=1))
    a = risk.start_assessment(org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026)
    risk.finalise(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        values={"participants": "", "next_due": TODAY + datetime.timedelta(days=10)},
    )

    shown = tiles(as_user(cast.contributor), cast.acme)
    plan = shown["Action plan"]
    assert (plan.figure, plan.detail, plan.tone) == ("1 open action", "1 overdue · 1 yours", "bad")
    assert plan.url.endswith("?mine=1")
    library = shown["Evidence library"]
    assert (library.figure, library.tone) == ("1 document", "bad")
    chain = shown["Supply-chain risk assessment"]
    assert chain.figure == "Risk 2026"
    assert "The next one is due on" in str(chain.detail)
    assert chain.tone == "warn"


def test_the_dashboard_makes_the_same_queries_for_little_or_much_data(cast, as_user):
    client = as_user(cast.owner)
    url = reverse("orgs:dashboard", args=[cast.acme.slug])
    late_action(cast, cast.acme, "One", cast.contributor)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        late_action(cast, cast.acme, f"Late {n}", cast.contributor)
        baker.make(Evidence, organisation=cast.acme, review_date=TODAY)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def road(client, org):
    page = client.get(reverse("orgs:dashboard", args=[org.slug]))
    return {step.key: step for step in page.context["road"]}


def test_the_road_to_certification_links_each_step_and_says_how_far_along_it_is(cast, as_user):
    from safelane.assessments import services as assessments
    from safelane.catalog import services as catalog

    client = as_user(cast.viewer)
    fresh = road(client, cast.acme)
    assert [s.progress.state for s in fresh.values()] == ["not-started"] * 5
    assert fresh["risk"].progress.url == reverse("risk:list", args=[cast.acme.slug])

    catalog.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = assessments.start_cycle(
        org=cast.acme, actor=cast.owner, kind="initial", title="Initial 2026"
    )
    risk.start_assessment(org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026)
    late_action(cast, cast.acme, "Fix the fence", cast.contributor)
    steps = road(client, cast.acme)
    assert steps["eligibility"].progress.state == "in-progress"
    assessment = steps["self-assessment"].progress
    assert assessment.state == "in-progress"
    assert assessment.url == reverse("assessments:cycle", args=[cast.acme.slug, cycle.pk])
    assert str(assessment.note).startswith("Initial 2026: 0 of ")
    assert steps["risk"].progress.state == "in-progress"
    assert str(steps["gaps"].progress.note) == "1 action open"
    assert steps["profile"].progress.state == "not-started"
    html = client.get(reverse("orgs:dashboard", args=[cast.acme.slug])).content.decode()
    assert f'href="{assessment.url}"' in html
    assert "In progress" in html

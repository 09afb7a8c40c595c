"""Mock validation plans, the checklist, findings and responses, and the rules on who may."""

from __future__ import annotations

import datetime

import pytest

from safelane.actions import services as action_services
from safelane.actions.models import Action
from safelane.core.errors import DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from safelane.validation import selectors, services
from safelane.validation.models import Finding, FindingStatus, PlanItem, Reason
from tests.factories import answer, importer_cycle


def _plan(cast, share=25, seed=7):
    return services.plan_mock_validation(
        org=cast.acme,
        actor=cast.manager,
        values={"title": "Mock 2026", "sites": "Joliet warehouse\nLaredo yard"},
        share=share,
        seed=seed,
    )


def test_a_plan_holds_every_must_with_a_gap_and_a_share_of_the_rest(cast):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "4.8", "met")
    validation = _plan(cast, share=10)
    items = list(PlanItem.objects.for_org(cast.acme).filter(validation=validation))
    scope = selectors.scope(cast.acme, cycle)
    must_gaps = {s.criterion_ident for s in scope if s.must_should == "must" and s.gap}
    assert {i.criterion_ident for i in items if i.reason == Reason.MUST_GAP} == must_gaps
    rest = len(scope) - len(must_gaps)
    assert len([i for i in items if i.reason == Reason.SAMPLED]) == round(rest * 10 / 100)
    assert "4.8" not in must_gaps  # met: no longer a gap
    assert validation.cycle == cycle
    assert validation.seed == 7


def test_the_same_seed_draws_the_same_plan(cast):
    importer_cycle(cast)
    first = _plan(cast, seed=11)
    second = _plan(cast, seed=11)
    idents = [
        list(
            PlanItem.objects.for_org(cast.acme)
            .filter(validation=v)
            .values_list("criterion_ident", flat=True)
        )
        for v in (first, second)
    ]
    assert idents[0] == idents[1]


def test_riskier_categories_are_drawn_more_often():
    scope = [
        selectors.InScope(f"{cat}.{n}", cat, cat * 100 + n, "should", "", False)
        for cat in (3, 9)
        for n in range(50)
    ]
    hits = {3: 0, 9: 0}
    for seed in range(40):
        for row, _reason in services.draw(scope, {3: 25}, 20, seed):
            hits[row.category] += 1
    assert hits[3] > 2 * hits[9]


def test_a_plan_needs_a_self_assessment(cast):
    with pytest.raises(DomainError, match="Start a self-assessment"):
        _plan(cast)


def test_contributors_cannot_plan_a_validation(cast):
    importer_cycle(cast)
    with pytest.raises(NotAllowedError):
        services.plan_mock_validation(
            org=cast.acme, actor=cast.contributor, values={"title": "Mock"}
        )


def test_a_finding_on_the_checklist_becomes_a_finding_and_then_an_action(cast):
    importer_cycle(cast)
    validation = _plan(cast)
    item = PlanItem.objects.for_org(cast.acme).filter(validation=validation).first()
    services.check_item(
        org=cast.acme,
        actor=cast.contributor,
        item=item,
        result="finding",
        note="No seal log at the Laredo yard.",
    )
    finding = Finding.objects.for_org(cast.acme).get()
    assert finding.criterion_ident == item.criterion_ident
    assert finding.text == "No seal log at the Laredo yard."
    action = action_services.create_action(
        org=cast.acme, actor=cast.manager, values={"origin": finding}
    )
    assert action.title == f"Answer the finding on {item.criterion_ident}"
    assert action.criteria == [item.criterion_ident]
    page = selectors.finding_page(cast.acme, finding)
    assert page.actions == [action]
    assert Action.objects.for_org(cast.acme).get().origin_id == finding.pk


def test_a_finding_needs_what_was_found(cast):
    importer_cycle(cast)
    item = PlanItem.objects.for_org(cast.acme).filter(validation=_plan(cast)).first()
    with pytest.raises(DomainError, match="Say what was found"):
        services.check_item(
            org=cast.acme, actor=cast.contributor, item=item, result="finding", note=" "
        )


def test_viewers_cannot_work_the_checklist(cast):
    importer_cycle(cast)
    item = PlanItem.objects.for_org(cast.acme).filter(validation=_plan(cast)).first()
    with pytest.raises(NotAllowedError):
        services.check_item(org=cast.acme, actor=cast.viewer, item=item, result="ok", note="")


def _cbp(cast, **values):
    values.setdefault("title", "CBP validation 2026")
    values.setdefault("notice_received_on", datetime.date(2026, 9, 1))
    values.setdefault("visit_on", datetime.date(2026, 10, 15))
    values.setdefault("specialist", "SCSS Ana Ruiz")
    return services.record_cbp_validation(org=cast.acme, actor=cast.manager, values=values)


def test_a_cbp_validation_is_recorded_with_its_finding_and_response(cast):
    validation = _cbp(cast)
    finding = services.add_finding(
        org=cast.acme,
        actor=cast.manager,
        validation=validation,
        values={
            "criterion_ident": "6.1",
            "kind": "required",
            "text": "Seal procedures are not written down.",
            "response_due": datetime.date(2026, 11, 15),
        },
    )
    done = services.respond(
        org=cast.acme,
        actor=cast.manager,
        finding=finding,
        response="The seal procedure is written and trained.",
        expected_version=finding.version,
    )
    assert done.status == FindingStatus.RESPONDED
    assert done.responded_at
    assert selectors.responses_due(cast.acme) == []
    assert AuditEntry.objects.for_org(cast.acme).for_object(finding).count() == 2
    assert selectors.last_cbp_validation(cast.acme) == datetime.date(2026, 10, 15)


def test_the_notice_comes_before_the_visit(cast):
    with pytest.raises(DomainError, match="notice comes before"):
        _cbp(cast, notice_received_on=datetime.date(2026, 11, 1))


def test_the_dashboard_counts_open_findings(cast):
    assert selectors.dashboard_tile(cast.acme, cast.owner) is None
    validation = _cbp(cast)
    services.add_finding(
        org=cast.acme,
        actor=cast.manager,
        validation=validation,
        values={"criterion_ident": "6.1", "text": "x", "response_due": datetime.date(2000, 1, 1)},
    )
    tile = selectors.dashboard_tile(cast.acme, cast.owner)
    assert tile is not None
    assert str(tile.figure) == "1 open finding"
    assert tile.tone == "bad"


def test_interview_prompts_are_marked_as_safelane_practice_in_both_languages():
    from django.utils import translation

    data = selectors._prompt_data()
    assert "not CBP text" in data["source"]
    english = selectors.interview_prompts({6})
    with translation.override("es"):
        spanish = selectors.interview_prompts({6})
    assert english
    assert spanish
    assert english[0].prompts[0].text != spanish[0].prompts[0].text


def test_a_response_due_date_is_in_the_deadlines_calendar(cast):
    from safelane.deadlines import selectors as deadline_selectors

    validation = _cbp(cast)
    finding = services.add_finding(
        org=cast.acme,
        actor=cast.manager,
        validation=validation,
        values={"criterion_ident": "6.1", "text": "x", "response_due": datetime.date(2026, 11, 15)},
    )
    found = deadline_selectors.deadlines(cast.acme, kinds={"finding"})
    assert [(d.day, str(d.title)) for d in found] == [
        (datetime.date(2026, 11, 15), "Respond to the finding on 6.1")
    ]
    assert found[0].url.endswith(f"/validation/findings/{finding.pk}/")


def test_the_portfolio_counts_each_organisations_open_findings(cast, as_user):
    validation = _cbp(cast)
    for text in ("One", "Two"):
        finding = services.add_finding(
            org=cast.acme,
            actor=cast.manager,
            validation=validation,
            values={"criterion_ident": "6.1", "text": text},
        )
    services.set_finding_status(
        org=cast.acme,
        actor=cast.manager,
        finding=finding,
        status="closed",
        expected_version=finding.version,
    )
    client = as_user(cast.consultant)
    rows = {r["organisation"]: r for r in client.get("/api/v1/portfolio/").json()}
    assert (rows[cast.acme.slug]["open_findings"], rows[cast.norte.slug]["open_findings"]) == (1, 0)
    assert b"Open findings" in client.get("/portfolio/?sort=findings").content

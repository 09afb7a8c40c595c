"""The action plan's pages: each button posts to its own address, refusals answer 4xx."""

import datetime
import re
from collections import Counter
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
    assert form.initial["criteria"] == "4.8"
    client.post(
        new,
        {
            "title": "MFA for warehouse logins",
            "source": "gap",
            "kind": "it",
            "priority": "high",
            "owner": cast.contributor.pk,
            "due_date": "2026-12-15",
            "criteria": "4.8",
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
    answer = reverse("assessments:response", args=[cast.acme.slug, response.pk])
    assert f'update its answer now, <a href="{answer}">4.8 · Initial</a>.' in html
    second.refresh_from_db()
    assert second.completion_note == "All 42 staff trained."


def test_the_board_moves_an_action_as_its_mover_saw_it(cast, as_user):
    act = action(cast)
    client = as_user(cast.contributor)
    moved = client.post(
        url(cast, "status", act), {"status": "in-progress", "version": act.version, "back": "board"}
    )
    assert moved["Location"] == url(cast, "board")
    columns = {c.value: c.items for c in client.get(url(cast, "board")).context["columns"]}
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
    client = as_user(cast.contributor)
    stale = {"status": "blocked", "version": seen, "back": "board"}
    in_place = client.post(url(cast, "status", act), stale, HTTP_HX_REQUEST="true")
    assert in_place.status_code == 409
    assert in_place.templates[0].name == "actions/board.html"
    said = "Turn on MFA at Joliet: Someone else changed this action after you opened it"
    assert said in in_place.content.decode()
    # Without htmx, back on the board's own address (not /status/), saying why.
    plain = client.post(url(cast, "status", act), stale)
    assert plain["Location"] == url(cast, "board")
    assert "its status is now Done" in client.get(url(cast, "board")).content.decode()
    act.refresh_from_db()
    assert (act.status, act.completion_note) == (ActionStatus.DONE, "Finished")


def test_the_board_moves_an_action_in_place(cast, as_user):
    act = action(cast)
    html = as_user(cast.contributor).get(url(cast, "board")).content.decode()
    assert f'hx-post="{url(cast, "status", act)}"' in html
    assert 'hx-push-url="false"' in html


def test_a_viewer_sees_the_board_without_anything_to_move(cast, as_user):
    action(cast)
    assert 'name="status"' not in as_user(cast.viewer).get(url(cast, "board")).content.decode()
    assert 'name="status"' in as_user(cast.contributor).get(url(cast, "board")).content.decode()


def test_a_refused_role_reads_well_for_a_name_ending_in_a_full_stop(cast, as_user):
    cast.acme.name = "Acme Imports, Inc."
    cast.acme.save()
    act = action(cast)
    page = as_user(cast.viewer).post(
        url(cast, "status", act), {"status": "blocked", "version": act.version, "back": "board"}
    )
    assert page.status_code == 403
    html = page.content.decode()
    assert (
        "Your role in Acme Imports, Inc. (Viewer) does not allow this; one of its owners can "
        "change it." in html
    )
    assert "Inc.." not in html


def test_a_stale_status_on_the_action_page_is_said_in_place(cast, as_user):
    act = action(cast)
    seen = act.version
    services.set_status(
        org=cast.acme, actor=cast.manager, action=act, status="done", expected_version=seen
    )
    act.refresh_from_db()
    page = as_user(cast.contributor).post(
        url(cast, "status", act),
        {"status": "blocked", "note": "Stuck", "version": seen},
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 409
    html = page.content.decode()
    refusal = re.search(
        r'<ul class="errorlist nonfield" role="alert" id="status-refusal">(.*?)</ul>', html
    )
    assert "its status is now Done" in refusal.group(1)
    # The page carries the stored action: its status, and the version to try again with.
    assert '<option value="done" selected>' in html
    assert f'<input type="hidden" name="version" value="{act.version}">' in html


def test_a_status_note_and_a_progress_note_are_confirmed_and_shown(cast, as_user):
    act = action(cast)
    client = as_user(cast.contributor)
    moved = client.post(
        url(cast, "status", act),
        {"status": "blocked", "note": "Waiting for the quote", "version": act.version},
        follow=True,
    )
    html = moved.content.decode()
    assert "Status: Blocked." in html
    assert '<span class="badge">Blocked</span> Waiting for the quote' in html
    noted = client.post(url(cast, "notes", act), {"text": "Quote came"}, follow=True)
    assert "The note was added." in noted.content.decode()


def test_after_a_conflict_the_heading_shows_the_saved_title(cast, as_user):
    act = action(cast)
    seen = act.version
    services.update_action(
        org=cast.acme,
        actor=cast.manager,
        action=act,
        expected_version=seen,
        values={"title": "Cameras at dock doors 1-6"},
    )
    page = as_user(cast.contributor).post(
        url(cast, "save", act), {**form_data(act), "title": "Mine", "version": seen}
    )
    assert page.status_code == 409
    assert "<h1>Cameras at dock doors 1-6</h1>" in page.content.decode()


def form_data(act, **changes):
    """What the action form sends as the person loaded it (with the values it loaded), plus
    their changes."""
    loaded = {
        "title": act.title,
        "description": act.description,
        "source": act.source,
        "kind": act.kind,
        "owner": act.owner_id or "",
        "due_date": act.due_date or "",
        "priority": act.priority,
        "recurrence": act.recurrence,
        "criteria": ", ".join(act.criteria),
    }
    return {
        **loaded,
        **{f"initial-{name}": value for name, value in loaded.items()},
        "version": act.version,
        **changes,
    }


@pytest.mark.parametrize(
    ("language", "high", "medium"), [("en", "High", "Medium"), ("es", "Alta", "Media")]
)
def test_the_conflict_panel_compares_labels_and_keeps_the_other_persons_change(
    cast, as_user, language, high, medium
):
    act = action(cast, kind="procedure")
    loaded = form_data(act)
    services.update_action(
        org=cast.acme,
        actor=cast.manager,
        action=act,
        expected_version=act.version,
        values={"title": "Theirs", "kind": "physical"},
    )
    client = as_user(cast.contributor)
    client.post(reverse("set_language"), {"language": language})
    page = client.post(url(cast, "save", act), {**loaded, "priority": "high"})
    assert page.status_code == 409
    form = page.context["form"]
    rows = {row["label"]: row for row in form.conflict}
    assert set(rows) == {
        str(Action._meta.get_field(f).verbose_name).capitalize()
        for f in ("title", "kind", "priority")
    }
    priority = next(row for row in form.conflict if row["mine"])
    assert (priority["yours"], priority["theirs"]) == (high, medium)
    assert not any(row["mine"] for row in form.conflict if row is not priority)
    html = page.content.decode()
    assert ">physical<" not in html
    assert ">high<" not in html
    # The form keeps the change of priority on top of the saved version; sending it again does
    # not undo the other person's title and kind.
    assert (form["title"].value(), form["kind"].value(), form["priority"].value()) == (
        "Theirs",
        "physical",
        "high",
    )
    again = client.post(url(cast, "save", act), dict(form.data.items()))
    assert again.status_code == 302
    act.refresh_from_db()
    assert (act.title, act.kind, act.priority) == ("Theirs", "physical", "high")


def test_only_someone_the_service_would_let_verify_is_offered_the_button(cast, as_user):
    act = action(cast, owner=cast.contributor)
    services.set_status(
        org=cast.acme, actor=cast.manager, action=act, status="done", expected_version=None
    )
    for person in (cast.contributor, cast.manager, cast.viewer):
        html = as_user(person).get(url(cast, "detail", act)).content.decode()
        assert "Verify the work" not in html
        assert (
            "other than Carla Contributor (its owner) and Manuel Manager (who marked it done)"
            in html
        )
    assert "Verify the work" in as_user(cast.owner).get(url(cast, "detail", act)).content.decode()


def test_every_field_of_the_action_page_has_an_id_of_its_own(cast, as_user):
    act = action(cast)
    html = as_user(cast.owner).get(url(cast, "detail", act)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert target in ids, target
    assert 'for="cost_kind"' in html
    assert 'for="action_kind"' in html


def test_archiving_asks_first_and_the_archived_action_stays_readable(cast, as_user):
    act = action(cast)
    manager = as_user(cast.manager)
    assert (
        'href="' + url(cast, "archive", act) + '"'
        in manager.get(url(cast, "detail", act)).content.decode()
    )
    ask = manager.get(url(cast, "archive", act))
    assert ask.status_code == 200
    assert "Archive this action?" in ask.content.decode()
    assert as_user(cast.contributor).get(url(cast, "archive", act)).status_code == 403
    Action.objects.for_org(cast.acme).get(pk=act.pk, archived_at__isnull=True)  # not yet
    archived = manager.post(url(cast, "archive", act), {"version": act.version})
    assert archived["Location"] == url(cast, "detail", act)
    page = manager.get(url(cast, "detail", act))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="archived"' in html
    assert "Restore to the plan" in html
    assert "Set status" not in html  # kept as it was
    assert (
        "Restore to the plan"
        not in as_user(cast.contributor).get(url(cast, "detail", act)).content.decode()
    )
    listed = lambda **query: [a.pk for a in manager.get(url(cast, "list"), query).context["page"]]  # noqa: E731
    assert listed() == []
    assert listed(status="archived") == [act.pk]
    act.refresh_from_db()
    restored = manager.post(url(cast, "restore", act), {"version": act.version}, follow=True)
    assert "is back on the plan" in restored.content.decode()
    assert listed() == [act.pk]


def test_the_criteria_field_and_the_upload_take_only_criteria_of_the_catalogue(cast, as_user):
    act = action(cast)
    client = as_user(cast.contributor)
    for typed in ("99.1", "4.8, 99.1", "²³", "4.7\x0b4.8"):
        page = client.post(url(cast, "save", act), form_data(act, criteria=typed))
        assert page.status_code == 400, typed
        assert page.context["form"].errors["criteria"], typed
        upload = client.post(
            reverse("evidence:create", args=[cast.acme.slug]),
            {"title": "Log", "file": SimpleUploadedFile("log.txt", b"seal 1"), "criteria": typed},
        )
        assert upload.status_code == 400, typed
        assert upload.context["form"].errors["criteria"], typed
    act.refresh_from_db()
    assert act.criteria == []
    saved = client.post(url(cast, "save", act), form_data(act, criteria="4.8 4.7"))
    assert saved.status_code == 302
    act.refresh_from_db()
    assert act.criteria == ["4.8", "4.7"]


def test_a_new_action_starts_with_a_due_date_and_says_what_is_left_to_plan(cast, as_user):
    client = as_user(cast.manager)
    form = client.get(url(cast, "create")).context["form"]
    assert form.initial["due_date"] == TODAY + datetime.timedelta(days=services.LEAD_DAYS["medium"])
    planned = action(cast, origin=gap(cast), owner=None, due_date=None, criteria=[])
    html = client.get(url(cast, "detail", planned)).content.decode()
    assert (
        "To finish planning this action, fill in: an owner, a due date, the criteria it meets."
        in html
    )


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


def test_finishing_a_yearly_action_says_when_the_next_one_is_due_as_a_date_people_read(
    cast, as_user
):
    act = action(cast, recurrence="yearly", due_date=datetime.date(2026, 12, 15))
    page = as_user(cast.manager).post(
        url(cast, "status", act),
        {"status": "done", "note": "Checked every seal.", "version": act.version},
        follow=True,
    )
    html = page.content.decode()
    assert "The next occurrence is due on Dec. 15, 2027." in html
    assert "2027-12-15." not in html

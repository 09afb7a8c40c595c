"""Training's rules, called as every door calls them: roles, the shipped courses and their
criteria, sessions, scores against the pass mark, and the state of each matrix cell."""

import datetime

import pytest
from django.utils import timezone

from safelane.catalog import selectors as catalog_selectors
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.training import selectors, services
from safelane.training.models import Attendance, Course
from safelane.training.selectors import DONE, DUE_SOON, NOT_REQUIRED, OVERDUE, cell
from tests.training.conftest import courses, person, session

TODAY = datetime.date(2026, 12, 2)


def test_every_shipped_course_serves_criteria_of_the_shipped_catalog(db):
    version = catalog_selectors.current_version()
    known = set(catalog_selectors.criteria(version).values_list("ident", flat=True))
    shipped = services.shipped_courses()
    assert {c["topic"] for c in shipped} >= {
        "threat-awareness",
        "conveyance-inspection",
        "seals",
        "agricultural",
        "cybersecurity",
        "incident-reporting",
        "money-laundering",
        "forced-labour",
    }
    for course in shipped:
        assert course["criteria"], course["key"]
        assert set(course["criteria"]) <= known, course["key"]
        assert course["title_es"], course["key"]
        assert course["description_es"], course["key"]


def test_the_starter_courses_load_once_and_are_a_managers_call(cast):
    with pytest.raises(NotAllowedError):
        services.load_courses(org=cast.acme, actor=cast.contributor)
    made = services.load_courses(org=cast.acme, actor=cast.manager)
    assert len(made) == len(services.shipped_courses())
    assert services.load_courses(org=cast.acme, actor=cast.manager) == []
    assert not Course.objects.for_org(cast.norte).exists()


def test_a_course_refuses_a_criterion_the_catalog_does_not_have(cast):
    seals = courses(cast)["seals"]
    with pytest.raises(DomainError, match=r"99\.9 is not a criterion"):
        services.update_course(
            org=cast.acme,
            actor=cast.manager,
            course=seals,
            expected_version=seals.version,
            values={"criteria": ["6.1", "99.9"]},
        )
    with pytest.raises(NotAllowedError):
        services.update_course(
            org=cast.acme,
            actor=cast.contributor,
            course=seals,
            expected_version=seals.version,
            values={"validity_months": 24},
        )
    saved = services.update_course(
        org=cast.acme,
        actor=cast.manager,
        course=seals,
        expected_version=seals.version,
        values={"roles": [" driver ", "Driver", "Guard"], "validity_months": 24},
    )
    assert (saved.roles, saved.validity_months) == (["driver", "Guard"], 24)
    with pytest.raises(ConflictError):
        services.update_course(
            org=cast.acme,
            actor=cast.manager,
            course=seals,
            expected_version=seals.version,
            values={"validity_months": 6},
        )


def test_employee_numbers_are_one_persons_each(cast):
    person(cast, "E1")
    with pytest.raises(DomainError, match="number e1 is someone else's"):
        person(cast, "e1")
    with pytest.raises(NotAllowedError):
        person(cast, "E2", actor=cast.viewer)
    person(cast, "E1", actor=cast.outsider) if False else None  # another org may reuse it:
    from safelane.training.services import create_person

    create_person(
        org=cast.norte, actor=cast.outsider, values={"employee_number": "E1", "name": "X"}
    )


def test_a_session_is_recorded_once_it_has_taken_place(cast):
    seals = courses(cast)["seals"]
    with pytest.raises(DomainError, match="in the future"):
        session(cast, [seals], [], days_ago=-1)
    with pytest.raises(DomainError, match="Choose the course"):
        session(cast, [], [])
    theirs = services.create_person(
        org=cast.norte, actor=cast.outsider, values={"employee_number": "N1", "name": "Nora"}
    )
    with pytest.raises(DomainError, match="this organisation's register"):
        session(cast, [seals], [theirs])


def test_scores_below_the_pass_mark_do_not_complete_the_course(cast):
    seals = courses(cast)["seals"]
    ana, luis = person(cast, "E1", name="Ana"), person(cast, "E2", name="Luis")
    held = session(cast, [seals], [ana, luis], check_method="quiz", pass_mark=80)
    rows = {a.person_id: a for a in Attendance.objects.for_org(cast.acme)}
    saved = services.record_scores(
        org=cast.acme,
        actor=cast.contributor,
        session=held,
        scores={rows[ana.pk].pk: 92, rows[luis.pk].pk: 64},
        expected_version=held.version,
    )
    passed = {a.person.name: a.passed for a in Attendance.objects.for_org(cast.acme)}
    assert passed == {"Ana": True, "Luis": False}
    done = selectors.completions(cast.acme, [seals])
    assert set(done) == {(ana.pk, seals.pk)}
    with pytest.raises(ConflictError):  # the sheet as it was before this save
        services.record_scores(
            org=cast.acme,
            actor=cast.contributor,
            session=held,
            scores={rows[luis.pk].pk: 90},
            expected_version=held.version,
        )
    # A lower pass mark decides again.
    services.update_session(
        org=cast.acme,
        actor=cast.contributor,
        session=saved,
        expected_version=saved.version,
        values={"pass_mark": 60},
    )
    assert all(a.passed for a in Attendance.objects.for_org(cast.acme))


def test_a_score_is_a_percentage(cast):
    seals = courses(cast)["seals"]
    ana = person(cast, "E1")
    held = session(cast, [seals], [ana])
    row = Attendance.objects.for_org(cast.acme).get()
    with pytest.raises(DomainError, match="0 to 100"):
        services.record_scores(
            org=cast.acme,
            actor=cast.contributor,
            session=held,
            scores={row.pk: 10**12},
            expected_version=held.version,
        )


def make(validity=12, roles=(), sites=()):
    return Course(
        key="k", title="T", validity_months=validity, roles=list(roles), sites=list(sites)
    )


@pytest.mark.parametrize(
    ("course", "role", "start", "done", "expected"),
    [
        (make(roles=["Driver"]), "Office", None, None, (NOT_REQUIRED, None, None)),
        (make(), "Driver", None, None, (OVERDUE, None, None)),
        # A new starter has 30 days.
        (
            make(),
            "Driver",
            TODAY - datetime.timedelta(10),
            None,
            (DUE_SOON, None, TODAY + datetime.timedelta(20)),
        ),
        (
            make(),
            "Driver",
            None,
            datetime.date(2026, 6, 1),
            (DONE, datetime.date(2026, 6, 1), datetime.date(2027, 6, 1)),
        ),
        (
            make(),
            "Driver",
            None,
            datetime.date(2025, 12, 20),
            (DUE_SOON, datetime.date(2025, 12, 20), datetime.date(2026, 12, 20)),
        ),
        (
            make(),
            "Driver",
            None,
            datetime.date(2025, 11, 1),
            (OVERDUE, datetime.date(2025, 11, 1), datetime.date(2026, 11, 1)),
        ),
        (
            make(validity=None),
            "Driver",
            None,
            datetime.date(2019, 1, 1),
            (DONE, datetime.date(2019, 1, 1), None),
        ),
        (make(roles=["driver "]), " Driver", None, None, (OVERDUE, None, None)),
    ],
)
def test_each_cell_of_the_matrix(course, role, start, done, expected):
    found = cell(course, role, "Laredo", start, done, TODAY)
    assert (found.state, found.done_on, found.due_on) == expected


def test_a_course_for_one_site_is_not_required_elsewhere():
    course = make(sites=["Laredo yard"])
    assert cell(course, "Driver", "Joliet DC", None, None, TODAY).state == NOT_REQUIRED
    assert cell(course, "Driver", "laredo yard", None, None, TODAY).state == OVERDUE


def test_months_run_out_on_the_last_day_of_a_short_month():
    assert selectors.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert selectors.add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)


def test_the_matrix_and_its_coverage(cast):
    found = courses(cast)
    seals, awareness = found["seals"], found["security-awareness"]
    driver = person(cast, "E1", role="Driver")
    clerk = person(cast, "E2", role="Office", site="Chicago")
    session(cast, [seals, awareness], [driver], days_ago=400)
    session(cast, [awareness], [clerk], days_ago=5)
    rows = selectors.matrix_rows(cast.acme, [driver, clerk], [seals, awareness])
    states = {r.person.employee_number: [c.state for c in r.cells] for r in rows}
    assert states == {"E1": [OVERDUE, OVERDUE], "E2": [NOT_REQUIRED, DONE]}
    coverage = {
        c.course.key: c
        for c in selectors.coverage(cast.acme, selectors.MatrixFilter(), [seals, awareness])
    }
    assert (coverage["seals"].required, coverage["seals"].overdue) == (1, 1)
    assert (coverage["security-awareness"].done, coverage["security-awareness"].percent) == (1, 50)
    late = selectors.late_rows(cast.acme, selectors.MatrixFilter(site="Laredo yard"), [seals])
    assert [r.person for r in late] == [driver]
    assert timezone.localdate()  # cells are worked out for today

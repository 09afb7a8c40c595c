"""Reads of training: the people register, courses, sessions, and the training matrix (each
active person against each course they must take, with the state of each cell), shared by the
pages, the API and the exports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safelane.evidence import selectors as evidence_selectors
from safelane.evidence import services as evidence_services
from safelane.orgs.dashboard import Tile
from safelane.training.models import (
    Attendance,
    ConductAcknowledgement,
    Course,
    CourseQuerySet,
    PeopleImport,
    Person,
    PersonQuerySet,
    Screening,
    TrainingSession,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

# A cell turns "due soon" this many days before its completion runs out, and a new starter has
# this long to take a course before it is overdue.
DUE_SOON_DAYS = 30
NEW_STARTER_DAYS = 30


def people(org: Organisation) -> PersonQuerySet:
    """Everyone on the register, active or not, by name."""
    return Person.objects.for_org(org).order_by("name", "pk")


def named(qs: PersonQuerySet, text: str) -> PersonQuerySet:
    """People whose name or employee number holds `text`."""
    return qs.filter(Q(name__icontains=text) | Q(employee_number__icontains=text))


def counts(org: Organisation) -> dict[str, int]:
    return Person.objects.for_org(org).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(active=True))
    )


def places(org: Organisation) -> tuple[list[str], list[str]]:
    """The roles and the sites of active people, for the filters: two short queries."""
    active = Person.objects.for_org(org).active()
    roles = active.exclude(role="").values_list("role", flat=True).distinct().order_by("role")
    sites = active.exclude(site="").values_list("site", flat=True).distinct().order_by("site")
    return list(roles), list(sites)


def last_import(org: Organisation) -> PeopleImport | None:
    return PeopleImport.objects.for_org(org).select_related("imported_by").first()


def courses(org: Organisation) -> CourseQuerySet:
    """The live courses, by title."""
    return Course.objects.for_org(org).live().order_by("title", "pk")


def all_courses(org: Organisation) -> CourseQuerySet:
    return Course.objects.for_org(org).order_by("archived_at", "title", "pk")


def sessions(org: Organisation) -> QuerySet[TrainingSession]:
    """Sessions, newest first, with their courses and how many attended."""
    return (
        TrainingSession.objects.for_org(org)
        .prefetch_related(Prefetch("courses", queryset=Course.objects.for_org(org)))
        .annotate(attendees=Count("attendance"))
        .order_by("-held_on", "-pk")
    )


@dataclass(frozen=True)
class SessionPage:
    attendance: list[Attendance]
    links: list[Any]


def session_page(org: Organisation, session: TrainingSession) -> SessionPage:
    return SessionPage(
        attendance=list(
            Attendance.objects.for_org(org)
            .filter(session=session)
            .select_related("person")
            .order_by("person__name", "pk")
        ),
        links=evidence_selectors.links_of(org, session),
    )


@dataclass(frozen=True)
class PersonRecord:
    """One course a person attended: when, the session, the score and whether it counted."""

    course: Course
    session: TrainingSession
    score: int | None
    passed: bool


def person_records(org: Organisation, person: Person) -> list[PersonRecord]:
    rows = (
        Attendance.objects.for_org(org)
        .filter(person=person)
        .select_related("session")
        .prefetch_related(Prefetch("session__courses", queryset=Course.objects.for_org(org)))
        .order_by("-session__held_on", "-pk")
    )
    return [
        PersonRecord(course, row.session, row.score, row.passed)
        for row in rows
        for course in row.session.courses.all()
    ]


# The matrix

DONE, DUE_SOON, OVERDUE, NOT_REQUIRED = "done", "due-soon", "overdue", "not-required"
STATE_LABELS = {
    DONE: _("Done"),
    DUE_SOON: _("Due soon"),
    OVERDUE: _("Overdue"),
    NOT_REQUIRED: _("Not required"),
}


@dataclass(frozen=True)
class Cell:
    state: str
    done_on: datetime.date | None = None  # the last completion that counted
    due_on: datetime.date | None = None  # when it must be taken (again)

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover (every month has 28 days)


def cell(
    course: Course,
    role: str,
    site: str,
    start_date: datetime.date | None,
    done_on: datetime.date | None,
    today: datetime.date,
) -> Cell:
    """The state of one person's course: not required for their role and site; done (with the
    date, and until when it counts); due soon; or overdue (never done, or run out)."""
    if not course.required_for(role, site):
        return Cell(NOT_REQUIRED, done_on)
    if done_on is None:
        if start_date is not None and start_date > today - datetime.timedelta(NEW_STARTER_DAYS):
            due = start_date + datetime.timedelta(NEW_STARTER_DAYS)
            return Cell(DUE_SOON, None, due)
        return Cell(OVERDUE)
    if course.validity_months is None:
        return Cell(DONE, done_on)
    due = add_months(done_on, course.validity_months)
    if due < today:
        return Cell(OVERDUE, done_on, due)
    if due <= today + datetime.timedelta(DUE_SOON_DAYS):
        return Cell(DUE_SOON, done_on, due)
    return Cell(DONE, done_on, due)


def completions(
    org: Organisation, courses: Iterable[Course], person_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], datetime.date]:
    """(person id, course id) -> the date of the last session of that course the person
    attended and passed, in one query."""
    rows = Attendance.objects.for_org(org).filter(
        passed=True, session__courses__in=[c.pk for c in courses]
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    found = (
        rows.values("person_id", "session__courses")
        .annotate(last=Max("session__held_on"))
        .order_by()
    )
    return {(r["person_id"], r["session__courses"]): r["last"] for r in found}


@dataclass(frozen=True)
class MatrixFilter:
    site: str = ""
    role: str = ""
    course: int | None = None
    q: str = ""
    state: str = ""  # only people with a cell in this state


def matrix_people(org: Organisation, where: MatrixFilter) -> PersonQuerySet:
    qs = Person.objects.for_org(org).active().order_by("name", "pk")
    if where.site:
        qs = qs.filter(site__iexact=where.site)
    if where.role:
        qs = qs.filter(role__iexact=where.role)
    if where.q:
        qs = named(qs, where.q)
    return qs


def matrix_courses(org: Organisation, where: MatrixFilter) -> list[Course]:
    found = courses(org)
    if where.course:
        found = found.filter(pk=where.course)
    return list(found)


@dataclass(frozen=True)
class MatrixRow:
    person: Person
    cells: list[Cell]


def matrix_rows(
    org: Organisation, people: Iterable[Person], course_list: list[Course]
) -> list[MatrixRow]:
    """The cells of these people (a page of them) for these courses: one query however many."""
    people = list(people)
    done = completions(org, course_list, [p.pk for p in people])
    today = timezone.localdate()
    return [
        MatrixRow(
            p,
            [
                cell(c, p.role, p.site, p.start_date, done.get((p.pk, c.pk)), today)
                for c in course_list
            ],
        )
        for p in people
    ]


@dataclass(frozen=True)
class Coverage:
    """How far one course is: of the people who must take it, how many are done, due soon,
    overdue."""

    course: Course
    done: int
    due_soon: int
    overdue: int

    @property
    def required(self) -> int:
        return self.done + self.due_soon + self.overdue

    @property
    def percent(self) -> int:
        """Done or due soon (still valid today), as a share of the required."""
        return round(100 * (self.done + self.due_soon) / self.required) if self.required else 0


def coverage(org: Organisation, where: MatrixFilter, course_list: list[Course]) -> list[Coverage]:
    """Every course's coverage over every active person the filter selects, in two queries."""
    rows = list(matrix_people(org, where).values_list("pk", "role", "site", "start_date"))
    done = completions(org, course_list, None if len(rows) > 5000 else [r[0] for r in rows])
    today = timezone.localdate()
    found = []
    for course in course_list:
        tally = {DONE: 0, DUE_SOON: 0, OVERDUE: 0, NOT_REQUIRED: 0}
        for pk, role, site, start in rows:
            tally[cell(course, role, site, start, done.get((pk, course.pk)), today).state] += 1
        found.append(Coverage(course, tally[DONE], tally[DUE_SOON], tally[OVERDUE]))
    return found


def late_rows(org: Organisation, where: MatrixFilter, course_list: list[Course]) -> list[MatrixRow]:
    """Every active person the filter selects with an overdue or due-soon cell (the reminder's
    list, the export's), with their cells."""
    rows = matrix_rows(org, matrix_people(org, where), course_list)
    return [r for r in rows if any(c.state in (OVERDUE, DUE_SOON) for c in r.cells)]


# How other apps name training records


def _course_label(course: Course) -> str:
    return course.shown_title


def _course_url(org: Organisation, course: Course) -> str:
    return reverse("training:course", args=[org.slug, course.pk])


def _session_label(session: TrainingSession) -> str:
    return str(_("Training session of %(date)s") % {"date": session.held_on.isoformat()})


def _session_url(org: Organisation, session: TrainingSession) -> str:
    return reverse("training:session", args=[org.slug, session.pk])


def course_subject() -> evidence_services.Subject:
    """A course's materials (slides, the procedure it teaches, the quiz) support 12.1."""
    return evidence_services.Subject(
        name="course",
        model=Course,
        label=_course_label,
        url=_course_url,
        noun=_("Course"),
        criterion=lambda c: "12.1",
    )


def session_subject() -> evidence_services.Subject:
    """A session's signed attendance sheet and its test results support 12.1 (training
    records: date, attendees, topics)."""
    return evidence_services.Subject(
        name="training-session",
        model=TrainingSession,
        label=_session_label,
        url=_session_url,
        noun=_("Training session"),
        criterion=lambda s: "12.1",
    )


def job_destination(org: Organisation) -> tuple[str, str]:
    """Where a people import leads when it has finished."""
    return str(_("Open the people register")), reverse("training:people", args=[org.slug])


# Personnel security (11.x): screening is read by owners and managers only.


@dataclass(frozen=True)
class SecurityPage:
    screenings: list[Screening]
    acknowledgements: list[ConductAcknowledgement]


def person_security(org: Organisation, person: Person, *, with_screening: bool) -> SecurityPage:
    """A person's code-of-conduct acknowledgements, and their screenings for a reader who may
    see them (none are read otherwise)."""
    return SecurityPage(
        screenings=list(
            Screening.objects.for_org(org).filter(person=person).select_related("recorded_by")
        )
        if with_screening
        else [],
        acknowledgements=list(ConductAcknowledgement.objects.for_org(org).filter(person=person)),
    )


@dataclass(frozen=True)
class SecurityRow:
    person: Person
    screening: Screening | None  # the latest
    acknowledgement: ConductAcknowledgement | None  # the latest

    @property
    def due(self) -> bool:
        """Never screened, or the policy's re-screening date has come."""
        s = self.screening
        return s is None or (s.next_due is not None and s.next_due <= timezone.localdate())


def security_rows(org: Organisation, people: Iterable[Person]) -> list[SecurityRow]:
    """Each person's latest screening and acknowledgement: two queries however many."""
    people = list(people)
    ids = [p.pk for p in people]
    latest: dict[int, Screening] = {}
    for s in Screening.objects.for_org(org).filter(person_id__in=ids).order_by("screened_on", "pk"):
        latest[s.person_id] = s
    acks: dict[int, ConductAcknowledgement] = {}
    for a in (
        ConductAcknowledgement.objects.for_org(org)
        .filter(person_id__in=ids)
        .order_by("acknowledged_on", "pk")
    ):
        acks[a.person_id] = a
    return [SecurityRow(p, latest.get(p.pk), acks.get(p.pk)) for p in people]


def managers(org: Organisation) -> list[str]:
    """E-mail addresses of the organisation's owners and managers, who get the digest."""
    from safelane.orgs import selectors as org_selectors

    return org_selectors.owner_and_manager_emails(org)


@dataclass(frozen=True)
class Digest:
    """What the weekly e-mail says: each course's overdue and due-soon people."""

    courses: list[tuple[Course, list[tuple[Person, Cell]]]]

    @property
    def overdue(self) -> int:
        return sum(1 for _c, rows in self.courses for _p, cell in rows if cell.state == OVERDUE)

    @property
    def due_soon(self) -> int:
        return sum(1 for _c, rows in self.courses for _p, cell in rows if cell.state == DUE_SOON)


def digest(org: Organisation) -> Digest:
    """Everyone active who is overdue or due soon, by course (queries do not grow)."""
    course_list = list(courses(org))
    rows = late_rows(org, MatrixFilter(), course_list)
    found = []
    for index, course in enumerate(course_list):
        late = [
            (r.person, r.cells[index]) for r in rows if r.cells[index].state in (OVERDUE, DUE_SOON)
        ]
        if late:
            found.append((course, late))
    return Digest(found)


def dashboard_tile(org: Organisation, user: User) -> Tile:
    """Training coverage: how many required trainings are done, and who is overdue."""
    url = reverse("training:matrix", args=[org.slug])
    course_list = list(courses(org))
    found = coverage(org, MatrixFilter(), course_list)
    required = sum(c.done + c.due_soon + c.overdue for c in found)
    if not required:
        return Tile(
            title=_("Training"),
            figure=_("No one to train yet"),
            detail=_("Import the people register and say which roles take which course."),
            url=reverse("training:people", args=[org.slug]),
            tone="warn",
            link_text=_("Open the people register"),
        )
    done = sum(c.done for c in found)
    overdue = sum(c.overdue for c in found)
    detail = (
        ngettext(
            "%(n)s training overdue: the matrix lists who and which course.",
            "%(n)s trainings overdue: the matrix lists who and which course.",
            overdue,
        )
        % {"n": overdue}
        if overdue
        else _("No training is overdue.")
    )
    return Tile(
        title=_("Training"),
        figure=_("%(percent)s%% trained") % {"percent": round(100 * done / required)},
        detail=detail,
        url=url,
        tone="bad" if overdue else "ok",
        link_text=_("Open the training matrix"),
    )

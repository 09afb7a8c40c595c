"""Writes of training: the people register (one by one, or from a file), courses (the shipped
starter set and each organisation's own), sessions with their attendance and scores."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.catalog import services as catalog_services
from safelane.core import audit
from safelane.core.errors import DomainError
from safelane.core.models import AuditAction
from safelane.core.records import create_record, delete_record, set_archived, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.training import imports
from safelane.training.models import (
    Attendance,
    Check,
    ConductAcknowledgement,
    Course,
    Person,
    Screening,
    Topic,
    TrainingSession,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

COURSES_FILE = Path(__file__).resolve().parent / "data" / "courses.yaml"
PERSON_FIELDS = ("name", "employee_number", "role", "site", "department", "start_date", "active")
COURSE_FIELDS = (
    "title",
    "title_es",
    "description",
    "description_es",
    "topic",
    "criteria",
    "roles",
    "sites",
    "validity_months",
)
SESSION_FIELDS = ("held_on", "trainer", "mode", "topics", "check_method", "pass_mark")


def _clean_person(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    for name in ("name", "employee_number", "role", "site", "department"):
        if isinstance(values.get(name), str):
            values[name] = " ".join(values[name].split())
    return values


def _unique_number(org: Organisation, number: str, person: Person | None = None) -> None:
    clash = Person.objects.for_org(org).filter(employee_number__iexact=number)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise DomainError(
            _("Employee number %(number)s is someone else's already.") % {"number": number},
            field="employee_number",
        )


def create_person(*, org: Organisation, actor: User, values: dict[str, Any]) -> Person:
    require_role(org, actor, Role.CONTRIBUTOR)
    values = _clean_person(values)
    with transaction.atomic():
        _unique_number(org, values.get("employee_number", ""))
        return create_record(org=org, actor=actor, obj=Person(organisation=org, **values))


def update_person(
    *,
    org: Organisation,
    actor: User,
    person: Person,
    expected_version: int | None,
    values: dict[str, Any],
) -> Person:
    """Correct a person as the editor saw them; a person who leaves is made inactive here, and
    stays on record with their training."""
    require_role(org, actor, Role.CONTRIBUTOR)
    values = _clean_person(values)
    with transaction.atomic():
        if "employee_number" in values:
            _unique_number(org, values["employee_number"], person)
        return update_record(
            org=org, actor=actor, obj=person, expected_version=expected_version, values=values
        )


def import_people(
    *,
    org: Organisation,
    actor: User | None,
    rows: list[imports.Row],
    file_name: str,
    content: bytes,
    skip_bad_rows: bool,
    deactivate_missing: bool = False,
    progress: Any = None,
) -> imports.Outcome:
    """The checked rows of a file into the register (see `imports.write`). A member needs to be a
    contributor; the command line (no actor) is the server's own operator."""
    if actor is not None:
        require_role(org, actor, Role.CONTRIBUTOR)
    return imports.write(
        org=org,
        actor=actor,
        rows=rows,
        file_name=file_name,
        content=content,
        skip_bad_rows=skip_bad_rows,
        deactivate_missing=deactivate_missing,
        **({"progress": progress} if progress else {}),
    )


# Courses


@cache
def shipped_courses() -> list[dict[str, Any]]:
    """The starter courses as the data file has them."""
    return list(yaml.safe_load(COURSES_FILE.read_text(encoding="utf-8"))["courses"])


def _names(values: Iterable[Any]) -> list[str]:
    """Role or site names, each once, as people type them."""
    found: dict[str, str] = {}
    for value in values:
        name = " ".join(str(value).split())
        if name:
            found.setdefault(name.casefold(), name[:100])
    return list(found.values())


def _clean_course(org: Organisation, values: dict[str, Any], kept: Iterable[str] = ()) -> dict:
    values = {k: v for k, v in values.items() if k in COURSE_FIELDS}
    if "criteria" in values:
        values["criteria"] = catalog_services.check_criteria(
            org=org, idents=values["criteria"], kept=kept
        )
    for name in ("roles", "sites"):
        if name in values:
            values[name] = _names(values[name])
    return values


def load_courses(*, org: Organisation, actor: User | None) -> list[Course]:
    """The starter courses the organisation does not have yet (by key), as its own to edit."""
    if actor is not None:
        require_role(org, actor, Role.MANAGER, _("Only managers and owners add the courses."))
    made = []
    with transaction.atomic():
        have = set(Course.objects.for_org(org).values_list("key", flat=True))
        for shipped in shipped_courses():
            if shipped["key"] in have:
                continue
            values = _clean_course(org, shipped)
            made.append(
                create_record(
                    org=org, actor=actor, obj=Course(organisation=org, key=shipped["key"], **values)
                )
            )
    return made


def create_course(*, org: Organisation, actor: User, values: dict[str, Any]) -> Course:
    require_role(org, actor, Role.MANAGER, _("Only managers and owners add courses."))
    key = str(values.get("key") or "").strip()
    cleaned = _clean_course(org, values)
    with transaction.atomic():
        if not key:
            key = _free_key(org, str(values.get("title", "")))
        return create_record(org=org, actor=actor, obj=Course(organisation=org, key=key, **cleaned))


def _free_key(org: Organisation, title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title)[:50] or "course"
    taken = set(
        Course.objects.for_org(org).filter(key__startswith=base).values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def update_course(
    *,
    org: Organisation,
    actor: User,
    course: Course,
    expected_version: int | None,
    values: dict[str, Any],
) -> Course:
    """Who must take the course, how often, which criteria it serves: a manager's call."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners change courses."))
    if course.archived_at is not None:
        raise DomainError(_("This course is archived: restore it to change it."))
    cleaned = _clean_course(org, values, kept=course.criteria)
    if cleaned.get("topic") is not None and cleaned["topic"] not in Topic.values:
        raise DomainError(_("Choose a topic from the list."), field="topic")
    return update_record(
        org=org, actor=actor, obj=course, expected_version=expected_version, values=cleaned
    )


def set_course_archived(
    *,
    org: Organisation,
    actor: User,
    course: Course,
    archived: bool,
    expected_version: int | None,
) -> Course:
    """An archived course leaves the matrix; its sessions and their records stay."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners archive courses."))
    return set_archived(
        org=org,
        actor=actor,
        obj=course,
        archived=archived,
        expected_version=expected_version,
        refusal=_("This course is archived already.")
        if archived
        else _("This course is in use already."),
    )


# Sessions and attendance


def _courses(org: Organisation, courses: Iterable[Course]) -> list[Course]:
    chosen = list(courses)
    if not chosen:
        raise DomainError(_("Choose the course or courses the session gave."), field="courses")
    if any(c.organisation_id != org.pk or c.archived_at is not None for c in chosen):
        raise DomainError(_("Choose courses of this organisation's list."), field="courses")
    return chosen


def _check_date(held_on: Any) -> None:
    if isinstance(held_on, datetime.date) and held_on > timezone.localdate():
        raise DomainError(
            _("A session is recorded once it has taken place: the date is in the future."),
            field="held_on",
        )


def create_session(
    *,
    org: Organisation,
    actor: User,
    values: dict[str, Any],
    courses: Iterable[Course],
    people: Iterable[Person] = (),
) -> TrainingSession:
    """A session that took place: when, by whom, how, which courses, who attended."""
    require_role(org, actor, Role.CONTRIBUTOR)
    values = {k: v for k, v in values.items() if k in SESSION_FIELDS}
    _check_date(values.get("held_on"))
    chosen = _courses(org, courses)
    with transaction.atomic():
        session = create_record(
            org=org,
            actor=actor,
            obj=TrainingSession(organisation=org, **values),
            also={"courses": [c.key for c in chosen]},
        )
        session.courses.set(chosen)
        add_attendees(org=org, actor=actor, session=session, people=people)
    return session


def update_session(
    *,
    org: Organisation,
    actor: User,
    session: TrainingSession,
    expected_version: int | None,
    values: dict[str, Any],
    courses: Iterable[Course] | None = None,
) -> TrainingSession:
    require_role(org, actor, Role.CONTRIBUTOR)
    values = {k: v for k, v in values.items() if k in SESSION_FIELDS}
    _check_date(values.get("held_on"))
    with transaction.atomic():
        updated = update_record(
            org=org, actor=actor, obj=session, expected_version=expected_version, values=values
        )
        if courses is not None:
            chosen = _courses(org, courses)
            before = sorted(c.key for c in updated.courses.all())
            after = sorted(c.key for c in chosen)
            if after != before:
                updated.courses.set(chosen)
                audit.record(
                    org=org,
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=updated,
                    changes={"courses": [before, after]},
                )
        # A new pass mark decides again who met the objective.
        _decide(org, actor, updated)
    return updated


def add_attendees(
    *, org: Organisation, actor: User, session: TrainingSession, people: Iterable[Person]
) -> list[Attendance]:
    """People who attended; someone already on the list stays as they are."""
    require_role(org, actor, Role.CONTRIBUTOR)
    chosen = list(people)
    if any(p.organisation_id != org.pk for p in chosen):
        raise DomainError(_("Choose people of this organisation's register."), field="people")
    with transaction.atomic():
        there = set(
            Attendance.objects.for_org(org)
            .filter(session=session)
            .values_list("person_id", flat=True)
        )
        return [
            create_record(
                org=org,
                actor=actor,
                obj=Attendance(organisation=org, session=session, person=person),
            )
            for person in chosen
            if person.pk not in there
        ]


def remove_attendee(*, org: Organisation, actor: User, attendance: Attendance) -> None:
    require_role(org, actor, Role.CONTRIBUTOR)
    delete_record(org=org, actor=actor, obj=attendance)


def passes(score: int | None, pass_mark: int | None) -> bool:
    """Whether a score meets the session's pass mark (no mark, or no score: it counts)."""
    return score is None or pass_mark is None or score >= pass_mark


def record_scores(
    *,
    org: Organisation,
    actor: User,
    session: TrainingSession,
    scores: dict[int, int | None],
    expected_version: int | None,
) -> TrainingSession:
    """The check of 12.4: each attendee's score (by attendance id, 0 to 100, or None), and
    whether it met the pass mark. The session's version guards the whole sheet."""
    require_role(org, actor, Role.CONTRIBUTOR)
    if any(s is not None and not 0 <= s <= 100 for s in scores.values()):
        raise DomainError(_("A score is a percentage from 0 to 100."), field="scores")
    with transaction.atomic():
        # The sheet as its author saw it: the session's version guards every score on it.
        stored = update_record(
            org=org,
            actor=actor,
            obj=session,
            expected_version=expected_version,
            values={"check_method": session.check_method or Check.QUIZ},
        )
        changed = False
        for row in Attendance.objects.for_org(org).filter(session=stored, pk__in=list(scores)):
            score = scores[row.pk]
            values = {"score": score, "passed": passes(score, stored.pass_mark)}
            if (row.score, row.passed) != (values["score"], values["passed"]):
                update_record(org=org, actor=actor, obj=row, expected_version=None, values=values)
                changed = True
        if changed and stored.version == expected_version:
            TrainingSession.objects.for_org(org).filter(pk=stored.pk).update(
                version=F("version") + 1
            )
            stored.version += 1
    return stored


def _decide(org: Organisation, actor: User, session: TrainingSession) -> None:
    for row in Attendance.objects.for_org(org).filter(session=session):
        passed = passes(row.score, session.pass_mark)
        if passed != row.passed:
            update_record(
                org=org, actor=actor, obj=row, expected_version=None, values={"passed": passed}
            )


# The demo

DEMO_SITES = ["Joliet DC", "Laredo yard", "Chicago office"]
DEMO_ROLES = [
    ("Warehouse operator", 0, 14),
    ("Driver", 1, 10),
    ("Shipping clerk", 0, 6),
    ("Security guard", 0, 4),
    ("Security guard", 1, 2),
    ("Purchasing", 2, 4),
    ("Finance", 2, 3),
    ("Compliance", 2, 2),
    ("Office", 2, 5),
]
DEMO_FIRST = ["Ana", "Luis", "María", "José", "Karen", "David", "Sofía", "Miguel", "Laura", "Jorge"]
DEMO_LAST = ["García", "Smith", "Hernández", "Johnson", "López", "Brown", "Martínez", "Davis"]


def load_demo_training(org: Organisation, manager: User) -> None:
    """Acme's 50 people at three sites, the starter courses, and a year of sessions: the yearly
    awareness session with a quiz (two people below the pass mark), last year's seal training
    (so the drivers are overdue for seals now), a recent inspection session on the job."""
    today = timezone.localdate()
    people: list[Person] = []
    for role, site, count in DEMO_ROLES:
        for _n in range(count):
            number = len(people)
            people.append(
                create_person(
                    org=org,
                    actor=manager,
                    values={
                        "employee_number": f"E{1001 + number}",
                        "name": f"{DEMO_FIRST[number % 10]} {DEMO_LAST[(number // 10 + number) % 8]}",
                        "role": role,
                        "site": DEMO_SITES[site],
                        "department": "Operations" if site < 2 else "Administration",
                        "start_date": today - datetime.timedelta(days=420 + 37 * number),
                    },
                )
            )
    # A new starter who still has a few weeks to take the awareness course.
    people.append(
        create_person(
            org=org,
            actor=manager,
            values={
                "employee_number": "E1051",
                "name": "Pedro Ramírez",
                "role": "Warehouse operator",
                "site": DEMO_SITES[0],
                "department": "Operations",
                "start_date": today - datetime.timedelta(days=6),
            },
        )
    )
    courses = {c.key: c for c in load_courses(org=org, actor=manager)}
    by_role: dict[str, list[Person]] = {}
    for person in people[:-1]:
        by_role.setdefault(person.role, []).append(person)
    yard = [p for p in people if p.role in ("Driver", "Warehouse operator", "Shipping clerk")]

    def held(days: int, keys: list[str], attendees: list[Person], **values: Any) -> TrainingSession:
        values.setdefault("mode", "classroom")
        return create_session(
            org=org,
            actor=manager,
            values={"held_on": today - datetime.timedelta(days=days), **values},
            courses=[courses[k] for k in keys],
            people=attendees,
        )

    awareness = held(
        75,
        ["security-awareness", "incident-reporting", "cybersecurity"],
        people[:-1],
        trainer="Manuel Ortiz (security manager)",
        topics="Threats to the supply chain, internal conspiracies, badges, phishing, reporting.",
        check_method="quiz",
        pass_mark=70,
    )
    sheet = Attendance.objects.for_org(org).filter(session=awareness).order_by("person__name")
    record_scores(
        org=org,
        actor=manager,
        session=awareness,
        scores={
            row.pk: 58 if index in (3, 17) else 96 - (index * 7) % 25
            for index, row in enumerate(sheet)
        },
        expected_version=awareness.version,
    )
    _demo_sheet(org, manager, awareness)
    held(
        395,
        ["seals"],
        [p for p in yard if p.site == DEMO_SITES[1] or p.role == "Shipping clerk"],
        trainer="Laredo Seal Co. (supplier)",
        topics="ISO 17712 seals, the seal log, VVTT, discrepancies.",
    )
    held(
        20,
        ["seals", "conveyance-inspection", "pest-contamination"],
        [p for p in yard if p.site == DEMO_SITES[0]][:12],
        trainer="Carla Díaz",
        mode="on-the-job",
        topics="Seven-point inspection at the dock, seals on the trailer, pest signs on pallets.",
        check_method="observation",
    )
    for index, person in enumerate(people[:-1]):
        hired = person.start_date or today
        if index % 9 != 4:  # a few files still to be brought over from HR
            record_screening(
                org=org,
                actor=manager,
                person=person,
                values={
                    "screened_on": hired - datetime.timedelta(days=10),
                    "result": "cleared",
                    "next_due": add_years(hired, 3) if person.role == "Security guard" else None,
                },
            )
        if index % 7:
            acknowledge_code(
                org=org,
                actor=manager,
                person=person,
                values={
                    "code_version": "2026-01",
                    "acknowledged_on": today - datetime.timedelta(75),
                },
            )
    held(
        300,
        ["money-laundering", "forced-labour"],
        by_role.get("Purchasing", []) + by_role.get("Compliance", []),
        trainer="Borderwise consulting",
        mode="online",
        topics="Warning signs in orders and payments; the social-compliance program.",
    )


def _demo_sheet(org: Organisation, manager: User, session: TrainingSession) -> None:
    """The awareness session's signed sheet, filed as its evidence and as evidence of this
    year's self-assessment answer to 12.1 (where the validator looks for training records)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safelane.assessments import selectors as assessment_selectors
    from safelane.evidence import services as evidence_services
    from safelane.training import exports

    sheet = evidence_services.create_evidence(
        org=org,
        actor=manager,
        values={
            "title": f"Signed attendance sheet: security awareness, {session.held_on:%Y-%m-%d}",
            "description": "Attendance, quiz scores and the trainer's signature (MSC 12.1, 12.4).",
        },
        upload=SimpleUploadedFile("attendance.pdf", exports.attendance_sheet(org, session)),
        subject=session,
        criteria=["12.4"],
    )
    cycle = assessment_selectors.cycles(org).filter(closed_at__isnull=True).first()
    answer = (
        assessment_selectors.responses(org, cycle).filter(criterion_ident="12.1").first()
        if cycle
        else None
    )
    if answer is not None:
        evidence_services.link(org=org, actor=manager, evidence=sheet, subject=answer)


# Personnel security (11.x)


def record_screening(
    *, org: Organisation, actor: User, person: Person, values: dict[str, Any]
) -> Screening:
    """A background check's outcome, as cleared or not cleared only: the details stay with HR.
    Screening status is an owner's or a manager's to record and to read."""
    require_role(
        org, actor, Role.MANAGER, _("Only managers and owners record background screening.")
    )
    values = {k: values.get(k) for k in ("screened_on", "result", "next_due")}
    if values["screened_on"] and values["screened_on"] > timezone.localdate():
        raise DomainError(_("A screening is recorded once it is done."), field="screened_on")
    if values["next_due"] and values["screened_on"] and values["next_due"] <= values["screened_on"]:
        raise DomainError(_("The re-screening comes after the screening."), field="next_due")
    return create_record(
        org=org,
        actor=actor,
        obj=Screening(organisation=org, person=person, recorded_by=actor, **values),
    )


def acknowledge_code(
    *, org: Organisation, actor: User, person: Person, values: dict[str, Any]
) -> ConductAcknowledgement:
    """The person acknowledged this version of the code of conduct (11.5); once per version."""
    require_role(org, actor, Role.CONTRIBUTOR)
    version = " ".join(str(values.get("code_version") or "").split())
    day = values.get("acknowledged_on")
    if not isinstance(day, datetime.date):
        raise DomainError(_("Say when the person acknowledged it."), field="acknowledged_on")
    if day > timezone.localdate():
        raise DomainError(_("The date is in the future."), field="acknowledged_on")
    with transaction.atomic():
        if (
            ConductAcknowledgement.objects.for_org(org)
            .filter(person=person, code_version__iexact=version)
            .exists()
        ):
            raise DomainError(
                _("%(name)s acknowledged version %(version)s already.")
                % {"name": person.name, "version": version},
                field="code_version",
            )
        return create_record(
            org=org,
            actor=actor,
            obj=ConductAcknowledgement(
                organisation=org, person=person, code_version=version, acknowledged_on=day
            ),
        )


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)

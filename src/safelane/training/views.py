"""Training pages: the matrix, the people register and its import, courses, sessions with their
attendance and scores, and the exports. Each button posts to a URL of its own."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.core.forms import ConfirmForm, add_refusal, make_read_only
from safelane.core.imports import RowsRefusedError
from safelane.core.pages import page_fields, perform
from safelane.evidence import selectors as evidence_selectors
from safelane.jobs import selectors as job_selectors
from safelane.jobs import services as jobs
from safelane.orgs.access import OrgRequest, acting_user, may, org_object, org_view
from safelane.orgs.models import Role
from safelane.training import exports, imports, matrix, selectors, services, tasks
from safelane.training.filtersets import PersonFilter
from safelane.training.forms import (
    AcknowledgementForm,
    AttendeesForm,
    ColumnsForm,
    CourseForm,
    ImportUploadForm,
    NewCourseForm,
    NewPersonForm,
    NewSessionForm,
    PersonForm,
    ScoresForm,
    ScreeningForm,
    SessionForm,
)
from safelane.training.models import Attendance, Course, Person, TrainingSession

IMPORT_LIMIT = 20 * 1024 * 1024
SESSION_KEY = "people_import"
PAGE_SIZE = 50


# The matrix


@org_view()
@require_safe
def matrix_page(request: OrgRequest) -> HttpResponse:
    found = matrix.build(request.org, request.GET, page=request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **found.context(),
        "query": query.urlencode(),
        "can_edit": may(request, Role.CONTRIBUTOR),
        "can_manage": may(request, Role.MANAGER),
    }
    template = "training/matrix.html#results" if request.htmx else "training/matrix.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=200 if found.form.is_valid() else 400)


@org_view()
@require_safe
def matrix_export(request: OrgRequest, fmt: str) -> HttpResponse:
    builders = {
        "csv": (exports.as_csv, "text/csv; charset=utf-8"),
        "xlsx": (exports.as_xlsx, exports.XLSX),
        "pdf": (exports.as_pdf, "application/pdf"),
    }
    if fmt not in builders:
        raise Http404
    found = matrix.build(request.org, request.GET, page=None)
    if not found.form.is_valid():
        raise Http404
    build, content_type = builders[fmt]
    response = HttpResponse(build(request.org, found), content_type=content_type)
    name = f"{request.org.slug}-training-matrix.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# People


@org_view()
@require_safe
def people_list(request: OrgRequest) -> HttpResponse:
    found = PersonFilter(request.GET, queryset=selectors.people(request.org))
    rows = found.qs if found.is_valid() else selectors.people(request.org).none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    roles, sites = selectors.places(request.org)
    for name in ("site", "role"):  # offer the register's own names as one types
        found.form.fields[name].widget.attrs["list"] = f"{name}s"
    context = {
        "filter": found,
        "roles": roles,
        "sites": sites,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.counts(request.org),
        "last_import": selectors.last_import(request.org),
        "job": job_selectors.latest(request.org, ["people-import"]),
        "can_edit": may(request, Role.CONTRIBUTOR),
        "can_manage": may(request, Role.MANAGER),
    }
    template = "training/people.html#results" if request.htmx else "training/people.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=200 if found.is_valid() else 400)


def _new_record(
    request: OrgRequest, form: Any, template: str, create: Any, detail: str
) -> HttpResponse:
    """A new record's form and its one action: create it, then go to its page."""
    if request.method != "POST":
        return render(request, template, {"form": form})
    return perform(
        request,
        form=form,
        run=lambda data: create(org=request.org, actor=acting_user(request), values=form.values()),
        then=lambda made: reverse(detail, args=[request.org.slug, made.pk]),
        message=lambda made: _("%(name)s was added.") % {"name": made},
        page=lambda bound, status: render(
            request, template, {"form": bound or form}, status=status
        ),
    )


@org_view()
@require_http_methods(["GET", "POST"])
def person_create(request: OrgRequest) -> HttpResponse:
    form = NewPersonForm(request.POST or None, initial={"active": True})
    return _new_record(
        request, form, "training/person_form.html", services.create_person, "training:person"
    )


def _person_page(
    request: OrgRequest, person: Person, status: int = 200, **refused: Any
) -> HttpResponse:
    form = refused.get("form") or PersonForm(instance=person)
    if not may(request, Role.CONTRIBUTOR):
        make_read_only(form)
    can_manage = may(request, Role.MANAGER)
    context = {
        "person": person,
        "form": form,
        "screening_form": refused.get("screening_form") or ScreeningForm(),
        "acknowledgement_form": refused.get("acknowledgement_form") or AcknowledgementForm(),
        "can_manage": can_manage,
        **page_fields(selectors.person_security(request.org, person, with_screening=can_manage)),
        "records": selectors.person_records(request.org, person),
        "cells": matrix.person_cells(request.org, person),
        "can_edit": may(request, Role.CONTRIBUTOR),
    }
    return render(request, "training/person.html", context, status=status)


@org_view(model=Person)
@require_safe
def person_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _person_page(request, org_object(Person, request.org, pk=pk))


@org_view(model=Person)
@require_POST
def person_save(request: OrgRequest, pk: int) -> HttpResponse:
    person = org_object(Person, request.org, pk=pk)
    form = PersonForm(request.POST, instance=person)
    return perform(
        request,
        form=form,
        run=lambda data: services.update_person(
            org=request.org,
            actor=acting_user(request),
            person=person,
            expected_version=data["version"],
            values=form.values(),
        ),
        then=reverse("training:person", args=[request.org.slug, person.pk]),
        message=_("Saved."),
        page=lambda bound, status: _person_page(
            request, org_object(Person, request.org, pk=pk), status, form=bound
        ),
    )


@org_view(write=Role.MANAGER, model=Person)
@require_POST
def person_screening(request: OrgRequest, pk: int) -> HttpResponse:
    person = org_object(Person, request.org, pk=pk)
    return perform(
        request,
        form=ScreeningForm(request.POST),
        run=lambda data: services.record_screening(
            org=request.org, actor=acting_user(request), person=person, values=data
        ),
        then=reverse("training:person", args=[request.org.slug, person.pk]) + "#security",
        message=_("The screening was recorded."),
        page=lambda bound, status: _person_page(request, person, status, screening_form=bound),
    )


@org_view(model=Person)
@require_POST
def person_acknowledge(request: OrgRequest, pk: int) -> HttpResponse:
    person = org_object(Person, request.org, pk=pk)
    return perform(
        request,
        form=AcknowledgementForm(request.POST),
        run=lambda data: services.acknowledge_code(
            org=request.org, actor=acting_user(request), person=person, values=data
        ),
        then=reverse("training:person", args=[request.org.slug, person.pk]) + "#conduct",
        message=_("The acknowledgement was recorded."),
        page=lambda bound, status: _person_page(
            request, person, status, acknowledgement_form=bound
        ),
    )


@org_view(read=Role.MANAGER, write=Role.MANAGER)
@require_safe
def security_list(request: OrgRequest) -> HttpResponse:
    """Screening status and code-of-conduct acknowledgements of everyone active (11.x):
    owners and managers only."""
    found = PersonFilter(request.GET, queryset=selectors.people(request.org))
    rows = found.qs if found.is_valid() else selectors.people(request.org).none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": found,
        "page": page,
        "rows": selectors.security_rows(request.org, page.object_list),
        "query": query.urlencode(),
    }
    return render(
        request, "training/security.html", context, status=200 if found.is_valid() else 400
    )


@org_view()
@require_http_methods(["GET", "POST"])
def import_upload(request: OrgRequest) -> HttpResponse:
    """Step 1: the file, kept aside until its columns are chosen."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(IMPORT_LIMIT + 1)
        try:
            if len(content) > IMPORT_LIMIT:
                raise RowsRefusedError([_("The file is larger than 20 MB.")])
            imports.read_table(content, upload.name or "")  # refuse an unreadable file now
        except RowsRefusedError as error:
            add_refusal(form, error)
        else:
            _keep_import(request, upload.name or "", content)
            return redirect("training:import_columns", org_slug=request.org.slug)
    status = getattr(form, "refusal_status", 400) if form.errors else 200
    return render(request, "training/import.html", {"form": form}, status=status)


def _keep_import(request: OrgRequest, file_name: str, content: bytes) -> None:
    name = get_valid_filename(PurePosixPath(file_name).name)[-100:] or "people"
    path = default_storage.save(
        f"imports/{request.org.pk}/{uuid.uuid4().hex}/{name}", ContentFile(content)
    )
    request.session[SESSION_KEY] = {
        "path": path,
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def _stored_import(request: OrgRequest) -> dict[str, str] | None:
    """The file this person uploaded for an import into this organisation, if any."""
    stored = request.session.get(SESSION_KEY) or {}
    path = stored.get("path", "")
    if not path.startswith(f"imports/{request.org.pk}/") or not default_storage.exists(path):
        return None
    return stored


@org_view()
@require_http_methods(["GET", "POST"])
def import_columns(request: OrgRequest) -> HttpResponse:
    """Step 2: which column is which, the first rows as they will be read, every bad row; then
    the import runs in the background with its progress."""
    stored = _stored_import(request)
    if stored is None:
        messages.info(request, _("Choose the file to import first."))
        return redirect("training:import", org_slug=request.org.slug)
    with default_storage.open(stored["path"], "rb") as handle:
        headers, rows = imports.read_table(handle.read(), stored["name"])
    form = ColumnsForm(
        request.POST or None,
        headers=headers,
        fields=imports.FIELDS,
        guessed=imports.guess_mapping(headers),
    )
    checked = _checked(form, rows, imports.guess_mapping(headers))
    problems = imports.problem_lines([r for r in checked if r.problems])
    ready = form.is_valid() and (not problems or form.cleaned_data["skip_bad_rows"])
    posted = request.method == "POST"  # the one action: start the import
    if posted and ready:
        return _start_import(request, stored, form)
    context = {
        "form": form,
        "file_name": stored["name"],
        "headers": headers,
        "preview": [(number, [values.get(h, "") for h in headers]) for number, values in rows[:5]],
        "row_count": len(rows),
        "good": sum(1 for r in checked if not r.problems),
        "problems": problems[:200],
        "more_problems": max(0, len(problems) - 200),
    }
    return render(request, "training/import_columns.html", context, status=400 if posted else 200)


def _checked(form: ColumnsForm, rows: list[Any], guessed: dict[str, str]) -> list[imports.Row]:
    """The rows as the chosen columns read them; before any choice, as the guessed ones do
    (so the first look at a file already names its bad rows)."""
    if not form.is_bound:
        try:
            return imports.check_rows(rows, guessed)
        except RowsRefusedError:
            return []  # a required column is not guessed: the form asks for it
    if not form.is_valid():
        return []
    try:
        return imports.check_rows(rows, form.mapping())
    except RowsRefusedError as error:
        add_refusal(form, error)
        return []


def _start_import(request: OrgRequest, stored: dict[str, str], form: ColumnsForm) -> HttpResponse:
    job = jobs.start_document(
        org=request.org,
        actor=acting_user(request),
        kind="people-import",
        title=_("Import of %(file)s") % {"file": stored["name"]},
        enqueue=lambda job_id, language: tasks.enqueue_import(
            org_id=request.org.pk,
            job_id=job_id,
            actor_id=request.user.pk,
            path=stored["path"],
            file_name=stored["name"],
            mapping=form.mapping(),
            skip_bad_rows=form.cleaned_data["skip_bad_rows"],
            deactivate_missing=form.cleaned_data["deactivate_missing"],
            language=language,
        ),
    )
    request.session.pop(SESSION_KEY, None)
    return redirect("jobs:detail", org_slug=request.org.slug, pk=job.pk)


# Courses


def _course_list_page(request: OrgRequest, status: int = 200) -> HttpResponse:
    context = {
        "courses": list(selectors.all_courses(request.org)),
        "shipped": len(services.shipped_courses()),
        "can_manage": may(request, Role.MANAGER),
    }
    return render(request, "training/courses.html", context, status=status)


@org_view()
@require_safe
def course_list(request: OrgRequest) -> HttpResponse:
    return _course_list_page(request)


@org_view(write=Role.MANAGER)
@require_POST
def courses_load(request: OrgRequest) -> HttpResponse:
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.load_courses(org=request.org, actor=acting_user(request)),
        then=reverse("training:courses", args=[request.org.slug]),
        message=lambda made: _("%(n)s starter courses were added.") % {"n": len(made)},
        page=lambda _form, status: _course_list_page(request, status),
    )


@org_view(write=Role.MANAGER)
@require_http_methods(["GET", "POST"])
def course_create(request: OrgRequest) -> HttpResponse:
    form = NewCourseForm(request.POST or None)
    return _new_record(
        request, form, "training/course_form.html", services.create_course, "training:course"
    )


def _course_page(
    request: OrgRequest, course: Course, status: int = 200, form: forms.BaseForm | None = None
) -> HttpResponse:
    form = form or CourseForm(instance=course)
    if not may(request, Role.MANAGER) or course.archived_at:
        make_read_only(form)
    roles, sites = selectors.places(request.org)
    context = {
        "course": course,
        "roles": roles,
        "sites": sites,
        "form": form,
        "confirm_form": ConfirmForm(record=course),
        "links": evidence_selectors.links_of(request.org, course),
        "attach_url": evidence_selectors.attach_url(request.org, course),
        "evidence_for": f"course:{course.pk}",
        "evidence_criteria": "12.1",
        "can_edit": may(request, Role.CONTRIBUTOR),
        "can_manage": may(request, Role.MANAGER),
    }
    return render(request, "training/course.html", context, status=status)


@org_view(model=Course)
@require_safe
def course_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _course_page(request, org_object(Course, request.org, pk=pk))


@org_view(write=Role.MANAGER, model=Course)
@require_POST
def course_save(request: OrgRequest, pk: int) -> HttpResponse:
    course = org_object(Course, request.org, pk=pk)
    form = CourseForm(request.POST, instance=course)
    return perform(
        request,
        form=form,
        run=lambda data: services.update_course(
            org=request.org,
            actor=acting_user(request),
            course=course,
            expected_version=data["version"],
            values=form.values(),
        ),
        then=reverse("training:course", args=[request.org.slug, course.pk]),
        message=_("Saved."),
        page=lambda bound, status: _course_page(
            request, org_object(Course, request.org, pk=pk), status, bound
        ),
    )


@org_view(write=Role.MANAGER, model=Course)
@require_POST
def course_archive(request: OrgRequest, pk: int) -> HttpResponse:
    course = org_object(Course, request.org, pk=pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: services.set_course_archived(
            org=request.org,
            actor=acting_user(request),
            course=course,
            archived=course.archived_at is None,
            expected_version=data["version"],
        ),
        then=reverse("training:course", args=[request.org.slug, course.pk]),
        message=lambda c: _("Archived: out of the matrix.") if c.archived_at else _("Restored."),
        page=lambda _form, status: _course_page(request, course, status),
    )


# Sessions


@org_view()
@require_safe
def session_list(request: OrgRequest) -> HttpResponse:
    page = Paginator(selectors.sessions(request.org), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_edit": may(request, Role.CONTRIBUTOR),
        "can_manage": may(request, Role.MANAGER),
    }
    return render(request, "training/sessions.html", context)


@org_view()
@require_http_methods(["GET", "POST"])
def session_create(request: OrgRequest) -> HttpResponse:
    form = NewSessionForm(
        request.POST or None,
        courses=selectors.courses(request.org),
        people=selectors.people(request.org).active(),
        initial={"courses": request.GET.getlist("course")[:20]},
    )
    if request.method != "POST":
        return render(request, "training/session_form.html", {"form": form})
    return perform(
        request,
        form=form,
        run=lambda data: services.create_session(
            org=request.org,
            actor=acting_user(request),
            values=form.values(),
            courses=data["courses"],
            people=data["chosen"],
        ),
        then=lambda session: reverse("training:session", args=[request.org.slug, session.pk]),
        message=_("The session was recorded."),
        page=lambda bound, status: render(
            request, "training/session_form.html", {"form": bound or form}, status=status
        ),
    )


def _session(request: OrgRequest, pk: int) -> TrainingSession:
    return org_object(TrainingSession, request.org, pk=pk)


def _session_page(
    request: OrgRequest, session: TrainingSession, status: int = 200, **refused: Any
) -> HttpResponse:
    found = selectors.session_page(request.org, session)
    form = refused.get("form") or SessionForm(
        instance=session, courses=selectors.courses(request.org)
    )
    if not may(request, Role.CONTRIBUTOR):
        make_read_only(form)
    context = {
        "session": session,
        "form": form,
        "attendees_form": refused.get("attendees_form")
        or AttendeesForm(people=selectors.people(request.org).active()),
        "scores_form": refused.get("scores_form")
        or ScoresForm(attendance=found.attendance, session=session),
        "attach_url": evidence_selectors.attach_url(request.org, session),
        "evidence_for": f"training-session:{session.pk}",
        "evidence_criteria": "12.4" if session.check_method else "12.1",
        "can_edit": may(request, Role.CONTRIBUTOR),
        **page_fields(found),
    }
    return render(request, "training/session.html", context, status=status)


@org_view(model=TrainingSession)
@require_safe
def session_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session(request, pk))


@org_view(model=TrainingSession)
@require_safe
def session_sheet(request: OrgRequest, pk: int) -> HttpResponse:
    """The attendance sheet to print, sign and file back as the session's evidence (12.1)."""
    session = _session(request, pk)
    content = exports.attendance_sheet(request.org, session)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"attendance-{session.held_on.isoformat()}-{session.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@org_view(model=TrainingSession)
@require_POST
def session_save(request: OrgRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = SessionForm(request.POST, instance=session, courses=selectors.courses(request.org))
    return perform(
        request,
        form=form,
        run=lambda data: services.update_session(
            org=request.org,
            actor=acting_user(request),
            session=session,
            expected_version=data["version"],
            values=form.values(),
            courses=data["courses"],
        ),
        then=reverse("training:session", args=[request.org.slug, session.pk]),
        message=_("Saved."),
        page=lambda bound, status: _session_page(
            request, _session(request, pk), status, form=bound
        ),
    )


@org_view(model=TrainingSession)
@require_POST
def session_attendees(request: OrgRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return perform(
        request,
        form=AttendeesForm(request.POST, people=selectors.people(request.org).active()),
        run=lambda data: services.add_attendees(
            org=request.org, actor=acting_user(request), session=session, people=data["chosen"]
        ),
        then=reverse("training:session", args=[request.org.slug, session.pk]) + "#attendance",
        message=lambda made: _("%(n)s attendees added.") % {"n": len(made)},
        page=lambda bound, status: _session_page(request, session, status, attendees_form=bound),
    )


@org_view(model=TrainingSession)
@require_POST
def session_scores(request: OrgRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    attendance = selectors.session_page(request.org, session).attendance
    form = ScoresForm(request.POST, attendance=attendance)
    return perform(
        request,
        form=form,
        run=lambda data: services.record_scores(
            org=request.org,
            actor=acting_user(request),
            session=session,
            scores=form.scores(),
            expected_version=data["version"],
        ),
        then=reverse("training:session", args=[request.org.slug, session.pk]) + "#attendance",
        message=_("The scores were saved."),
        page=lambda bound, status: _session_page(request, session, status, scores_form=bound),
    )


@org_view(model=Attendance)
@require_POST
def attendance_remove(request: OrgRequest, pk: int) -> HttpResponse:
    row = org_object(Attendance, request.org, pk=pk)
    return perform(
        request,
        form=forms.Form(request.POST),
        run=lambda _data: services.remove_attendee(
            org=request.org, actor=acting_user(request), attendance=row
        ),
        then=reverse("training:session", args=[request.org.slug, row.session_id]) + "#attendance",
        message=_("Removed from the attendance."),
        page=lambda _form, status: _session_page(
            request, _session(request, row.session_id), status
        ),
    )

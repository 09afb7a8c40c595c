"""Training's pages: the import in two steps with its background job, the register, a course, a
session with its attendance and scores, the matrix with its filters, chart and exports."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from safelane.jobs.models import Job
from safelane.training.models import Attendance, Person, TrainingSession
from tests.training.conftest import courses, person, session


def url(cast, name, *args):
    return reverse(f"training:{name}", args=[cast.acme.slug, *args])


def upload(client, cast, text, name="people.csv"):
    return client.post(url(cast, "import"), {"file": SimpleUploadedFile(name, text.encode())})


def test_an_import_shows_its_bad_rows_then_runs_as_a_job(cast, as_user, committed):
    client = as_user(cast.contributor)
    text = "Employee number,Name,Role,Site\nE1,Ana,Driver,Laredo\n,Nobody,Driver,Laredo\n"
    assert upload(client, cast, text)["Location"] == url(cast, "import_columns")
    page = client.get(url(cast, "import_columns"))
    assert "Row 3: the employee number is missing." in page.content.decode()
    assert page.context["form"]["col_employee_number"].value() == "Employee number"
    mapping = {
        "col_employee_number": "Employee number",
        "col_name": "Name",
        "col_role": "Role",
        "col_site": "Site",
    }
    refused = client.post(url(cast, "import_columns"), mapping)
    assert refused.status_code == 400
    assert not Person.objects.for_org(cast.acme).exists()
    with committed():
        done = client.post(url(cast, "import_columns"), {**mapping, "skip_bad_rows": "on"})
    job = Job.objects.for_org(cast.acme).get()
    assert done["Location"] == reverse("jobs:detail", args=[cast.acme.slug, job.pk])
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert [p.name for p in Person.objects.for_org(cast.acme)] == ["Ana"]
    assert "Open the people register" in client.get(done["Location"]).content.decode()


def test_an_unreadable_file_is_refused_at_once(cast, as_user):
    client = as_user(cast.contributor)
    refused = client.post(
        url(cast, "import"), {"file": SimpleUploadedFile("p.xlsx", b"PK\x03\x04 broken")}
    )
    assert refused.status_code == 400
    assert "not a readable Excel workbook" in refused.content.decode()


def test_the_register_filters_and_a_person_who_leaves(cast, as_user):
    ana = person(cast, "E1", name="Ana", site="Laredo yard")
    person(cast, "E2", name="Luis", site="Joliet DC")
    client = as_user(cast.contributor)
    laredo = client.get(url(cast, "people"), {"site": "laredo yard"}).context["page"]
    assert [p.name for p in laredo] == ["Ana"]
    form = client.get(url(cast, "person", ana.pk)).context["form"]
    data = {**form.initial, "version": ana.version, "active": ""}
    data = {k: "" if v is None else v for k, v in data.items()}
    assert client.post(url(cast, "person_save", ana.pk), data).status_code == 302
    assert [p.name for p in client.get(url(cast, "people")).context["page"]] == ["Luis"]
    gone = client.get(url(cast, "people"), {"active": "0"}).context["page"]
    assert [p.name for p in gone] == ["Ana"]


def test_a_viewer_reads_a_person_without_live_fields(cast, as_user):
    ana = person(cast, "E1")
    form = as_user(cast.viewer).get(url(cast, "person", ana.pk)).context["form"]
    assert all(f.disabled for f in form.fields.values())


def test_a_session_from_the_page_with_a_sign_in_sheet_and_scores(cast, as_user):
    found = courses(cast)
    ana, luis = person(cast, "E1", name="Ana"), person(cast, "E2", name="Luis")
    client = as_user(cast.contributor)
    done = client.post(
        url(cast, "session_create"),
        {
            "held_on": "2026-11-20",
            "trainer": "Manuel Ortiz",
            "mode": "classroom",
            "courses": [found["seals"].pk],
            "check_method": "quiz",
            "pass_mark": "70",
            "employee_numbers": "E1, E2",
        },
    )
    made = TrainingSession.objects.for_org(cast.acme).get()
    assert done["Location"] == url(cast, "session", made.pk)
    huge = client.post(url(cast, "session_attendees", made.pk), {"people": [str(10**30), "x"]})
    assert huge.status_code == 400
    unknown = client.post(url(cast, "session_attendees", made.pk), {"employee_numbers": "E9"})
    assert "No active person has the employee number: E9." in unknown.content.decode()
    rows = {a.person_id: a.pk for a in Attendance.objects.for_org(cast.acme)}
    scores = {
        f"score_{rows[ana.pk]}": "85",
        f"score_{rows[luis.pk]}": "40",
        "version": made.version,
    }
    assert client.post(url(cast, "session_scores", made.pk), scores).status_code == 302
    page = client.get(url(cast, "session", made.pk)).content.decode()
    assert "Not met" in page
    assert "Signed attendance sheet" in page
    stale = client.post(url(cast, "session_scores", made.pk), scores)
    assert stale.status_code == 409
    too_big = {**scores, f"score_{rows[ana.pk]}": "1e400", "version": made.version + 1}
    assert client.post(url(cast, "session_scores", made.pk), too_big).status_code == 400


def test_the_matrix_filters_and_says_who_is_overdue(cast, as_user):
    found = courses(cast)
    driver = person(cast, "E1", name="Ana", role="Driver", site="Laredo yard")
    person(cast, "E2", name="Luis", role="Office", site="Chicago office")
    session(cast, [found["security-awareness"]], [driver])
    client = as_user(cast.viewer)
    page = client.get(url(cast, "matrix"))
    assert page.status_code == 200
    names = [r.person.name for r in page.context["rows"]]
    assert names == ["Ana", "Luis"]
    seals = client.get(url(cast, "matrix"), {"course": found["seals"].pk, "role": "Driver"})
    rows = seals.context["rows"]
    assert [(r.person.name, [c.state for c in r.cells]) for r in rows] == [("Ana", ["overdue"])]
    late = client.get(url(cast, "matrix"), {"state": "late", "site": "Chicago office"})
    assert [r.person.name for r in late.context["rows"]] == ["Luis"]
    assert client.get(url(cast, "matrix"), {"site": "Atlantis"}).status_code == 400


def test_the_matrix_shows_fifty_people_a_page(cast, as_user):
    from safelane.training.models import Person as Model

    courses(cast)
    Model.objects.bulk_create(
        Model(organisation=cast.acme, employee_number=f"E{n:03}", name=f"P {n:03}")
        for n in range(51)
    )
    client = as_user(cast.viewer)
    first = client.get(url(cast, "matrix"))
    assert (len(first.context["rows"]), first.context["total"]) == (50, 51)
    assert [
        r.person.name for r in client.get(url(cast, "matrix"), {"page": 2}).context["rows"]
    ] == ["P 050"]


def test_the_matrix_is_empty_until_there_are_courses_and_people(cast, as_user):
    client = as_user(cast.manager)
    assert "No courses yet." in client.get(url(cast, "matrix")).content.decode()
    courses(cast)
    assert "No people yet." in client.get(url(cast, "matrix")).content.decode()


def test_the_exports_open_and_keep_formulas_as_text(cast, as_user):
    found = courses(cast)
    hostile = person(cast, "=1+1", name='=HYPERLINK("http://evil.example")', role="Driver")
    session(cast, [found["seals"]], [hostile], days_ago=400)
    client = as_user(cast.viewer)
    sheet = client.get(url(cast, "export", "xlsx"))
    book = load_workbook(io.BytesIO(sheet.content))
    cells = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert any(str(v).startswith("Overdue") for v in cells)
    assert book.worksheets[1].title == "Coverage"
    pdf = client.get(url(cast, "export", "pdf"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Training matrix" in text
    assert "Overdue" in text
    assert client.get(url(cast, "export", "csv")).content.startswith(b"\xef\xbb\xbf")
    assert client.get(url(cast, "export", "docx")).status_code == 404


def test_the_chart_draws_in_spanish_too(cast, as_user):
    found = courses(cast)
    ana = person(cast, "E1")
    session(cast, [found["seals"]], [ana])
    person(cast, "E2")
    person(cast, "E3")
    client = as_user(cast.viewer)
    client.post("/i18n/setlang/", {"language": "es"})
    page = client.get(url(cast, "matrix"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    svg = re.search(r"<svg\b.*?</svg>", page, re.S).group(0)
    widths = re.findall(r'width="([^"]+)"', svg)
    assert widths
    assert not any("," in w for w in widths)
    assert "Sellos de alta seguridad" in page  # the course's own Spanish title


def test_a_course_page_offers_materials_and_only_managers_edit(cast, as_user):
    seals = courses(cast)["seals"]
    page = as_user(cast.contributor).get(url(cast, "course", seals.pk))
    assert "Materials" in page.content.decode()
    assert all(f.disabled for f in page.context["form"].fields.values())
    refused = as_user(cast.contributor).post(url(cast, "course_save", seals.pk), {})
    assert refused.status_code == 403


def test_the_attendance_sheet_prints_who_to_sign(cast, as_user):
    found = courses(cast)
    ana = person(cast, "E1", name="Ana García")
    held = session(cast, [found["seals"]], [ana], topics="VVTT")
    sheet = as_user(cast.viewer).get(url(cast, "session_sheet", held.pk))
    assert sheet["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.content)).pages)
    assert "Ana García" in text
    assert "MSC 12.1, 6.1, 6.2" in text

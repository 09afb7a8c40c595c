"""The training matrix as a page, an export and a chart: the filters read from the address,
one page of people against the courses, and each course's coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.translation import gettext as _

from safelane.training import selectors
from safelane.training.forms import MatrixForm
from safelane.training.models import Course, Person
from safelane.training.selectors import (
    DONE,
    DUE_SOON,
    OVERDUE,
    Cell,
    Coverage,
    MatrixFilter,
    MatrixRow,
)

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

PAGE_SIZE = 50
COLOURS = {DONE: "#1f7a4d", DUE_SOON: "#d69e2e", OVERDUE: "#b42318"}


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    count: int
    label: str


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    percent: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    legend: list[tuple[str, str]]


def coverage_chart(found: list[Coverage], *, width: int = 720) -> Chart:
    """A bar per course: of the people who must take it, the share done, due soon, overdue."""
    label_width, row = 280, 24
    bar_width = width - label_width - 50
    labels = {DONE: _("Done"), DUE_SOON: _("Due soon"), OVERDUE: _("Overdue")}
    bars = []
    for index, item in enumerate(c for c in found if c.required):
        x = float(label_width)
        segments = []
        for state, count in ((DONE, item.done), (DUE_SOON, item.due_soon), (OVERDUE, item.overdue)):
            w = bar_width * count / item.required
            if count:
                segments.append(
                    Segment(round(x, 2), round(w, 2), COLOURS[state], count, labels[state])
                )
            x += w
        bars.append(Bar(index * row, item.course.shown_title, item.percent, segments))
    legend = [(COLOURS[s], str(labels[s])) for s in (DONE, DUE_SOON, OVERDUE)]
    return Chart(width, len(bars) * row + 24, label_width, bars, legend)


@dataclass(frozen=True)
class MatrixPage:
    form: MatrixForm
    courses: list[Course]
    rows: list[MatrixRow]
    page: Page[Person] | None
    coverage: list[Coverage]
    chart: Chart
    total: int
    where: MatrixFilter

    def context(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "courses": self.courses,
            "rows": self.rows,
            "page": self.page,
            "coverage": self.coverage,
            "chart": self.chart,
            "total": self.total,
            "overdue": sum(c.overdue for c in self.coverage),
            "due_soon": sum(c.due_soon for c in self.coverage),
        }


def build(org: Organisation, data: QueryDict, *, page: Any) -> MatrixPage:
    """The matrix the filters in `data` ask for: one page of people (`page`), or all of them
    for an export (`page=None`); queries do not grow with the people or the courses."""
    roles, sites = selectors.places(org)
    every = list(selectors.courses(org))
    form = MatrixForm(data, roles=roles, sites=sites, courses=every)
    valid = form.is_valid()
    clean = form.cleaned_data if valid else {}
    where = MatrixFilter(
        site=clean.get("site") or "",
        role=clean.get("role") or "",
        course=clean.get("course"),
        q=clean.get("q") or "",
        state=clean.get("state") or "",
    )
    chosen = [c for c in every if where.course in (None, c.pk)] if valid else []
    found = selectors.coverage(org, where, chosen)
    people: Any = selectors.matrix_people(org, where) if valid else Person.objects.none()
    if where.state:
        people = [r.person for r in selectors.late_rows(org, where, chosen)]
    shown, listed = _paged(people, page)
    rows = selectors.matrix_rows(org, listed, chosen)
    total = shown.paginator.count if shown is not None else len(rows)
    return MatrixPage(form, chosen, rows, shown, found, coverage_chart(found), total, where)


def _paged(rows: Any, page: Any) -> tuple[Page[Any] | None, list[Any]]:
    if page is None:
        return None, list(rows)
    shown = Paginator(rows, PAGE_SIZE).get_page(page)
    return shown, list(shown.object_list)


def person_cells(org: Organisation, person: Person) -> list[tuple[Course, Cell]]:
    """One person's row of the matrix, every live course with its state."""
    every = list(selectors.courses(org))
    row = selectors.matrix_rows(org, [person], every)[0]
    return list(zip(every, row.cells, strict=True))

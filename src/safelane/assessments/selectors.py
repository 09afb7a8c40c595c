"""Reads of assessments: the responses of a cycle, scores, gaps, warnings, comparisons."""

from __future__ import annotations

import difflib
import html
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from safelane.actions import selectors as action_selectors
from safelane.actions import services as action_services
from safelane.assessments import narratives
from safelane.assessments.models import AssessmentCycle, Comment, Response, Status
from safelane.assessments.narratives import starter_text
from safelane.catalog import selectors as catalog
from safelane.evidence import selectors as evidence
from safelane.evidence import services as evidence_services
from safelane.orgs.dashboard import DONE, IN_PROGRESS, NOT_STARTED, Progress, Tile
from safelane.orgs.search import Result

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def cycles(org: Organisation) -> QuerySet[AssessmentCycle]:
    return AssessmentCycle.objects.for_org(org).select_related("started_from", "catalog_version")


def open_cycle(org: Organisation) -> AssessmentCycle | None:
    """The organisation's one open self-assessment, if there is one."""
    return cycles(org).filter(closed_at__isnull=True).first()


def response(org: Organisation, pk: int) -> Response | None:
    """One response of the organisation, or None."""
    return Response.objects.for_org(org).filter(pk=pk).first()


def responses(org: Organisation, cycle: AssessmentCycle) -> QuerySet[Response]:
    """The cycle's answers with their evidence links (and each link's evidence)."""
    return answers(org, cycle).prefetch_related(
        Prefetch("evidence_links", queryset=evidence.links_with_evidence(org))
    )


def evidence_links(org: Organisation, cycle: AssessmentCycle) -> QuerySet[Any]:
    """Every evidence link of the cycle's answers, by criterion (the evidence package)."""
    return evidence.links_to(org, Response.objects.for_org(org).filter(cycle=cycle)).order_by(
        "criterion_ident", "pk"
    )


@dataclass(frozen=True)
class AnswerPage:
    """What the page of one answer shows besides the answer itself."""

    links: list[Any]
    comments: list[Comment]
    actions: list[Any]
    warnings: list[str | Promise]
    criterion: Any
    starter: str
    neighbours: tuple[Response | None, Response | None]


def answer_page(org: Organisation, response: Response) -> AnswerPage:
    rows = list(answers(org, response.cycle))
    index = next(i for i, r in enumerate(rows) if r.pk == response.pk)
    return AnswerPage(
        links=evidence.links_of(org, response),
        comments=list(
            Comment.objects.for_org(org).filter(response=response).select_related("author")
        ),
        actions=list(action_selectors.for_origin(org, response)),
        warnings=warnings(rows).get(response.pk, []),
        criterion=catalog.criterion_in(response.cycle.catalog_version, response.criterion_ident),
        starter=starter_text(
            org_name=org.name, ident=response.criterion_ident, requirement=response.requirement
        ),
        neighbours=(
            rows[index - 1] if index else None,
            rows[index + 1] if index + 1 < len(rows) else None,
        ),
    )


def answers(org: Organisation, cycle: AssessmentCycle) -> QuerySet[Response]:
    """The cycle's answers with only the number of evidence links (`evidence_count`), for pages
    that list every answer."""
    return (
        Response.objects.for_org(org)
        .filter(cycle=cycle)
        .select_related("owner", "reviewed_by")
        .annotate(evidence_count=Count("evidence_links"))
    )


@dataclass
class Tally:
    label: str | Promise
    number: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    must_total: int = 0
    must_met: int = 0
    should_total: int = 0
    should_met: int = 0

    def add(self, response: Response, status: str | None = None) -> None:
        self.count(status or response.status, response.must_should)

    def count(self, status: str, must_should: str, n: int = 1) -> None:
        """Add `n` responses of one status and one Must/Should."""
        self.counts[status] += n
        if status == Status.NOT_APPLICABLE:
            return
        met = n if status == Status.MET else 0
        if must_should == "must":
            self.must_total += n
            self.must_met += met
        elif must_should == "should":
            self.should_total += n
            self.should_met += met

    @property
    def applicable(self) -> int:
        return sum(self.counts.values()) - self.counts[Status.NOT_APPLICABLE]

    @property
    def score(self) -> int:
        """Met counts fully, partially met half; not applicable is left out."""
        if not self.applicable:
            return 100
        return round(
            100 * (self.counts[Status.MET] + 0.5 * self.counts[Status.PARTIAL]) / self.applicable
        )

    @property
    def answered(self) -> int:
        return sum(self.counts.values()) - self.counts[Status.NOT_STARTED]

    def bar(self) -> list[tuple[str, int]]:
        """Segments for the stacked bar: (status, count)."""
        order = [
            Status.MET,
            Status.PARTIAL,
            Status.NOT_MET,
            Status.NOT_STARTED,
            Status.NOT_APPLICABLE,
        ]
        return [(status, self.counts[status]) for status in order]


@dataclass
class Scores:
    overall: Tally
    categories: list[Tally]


def scores(
    rows: list[Response],
    category_names: dict[int, str],
    found: dict[int, list[str | Promise]] | None = None,
) -> Scores:
    """Met counts only in the company's own words (`counted_status`). `found` is the rows'
    `warnings`, when the caller has them already."""
    found = warnings(rows) if found is None else found
    overall = Tally(_("Overall"))
    by_category: dict[int | None, Tally] = {}
    for response in rows:
        status = counted_status(response, found)
        overall.add(response, status)
        key = response.category
        if key not in by_category:
            label = category_names.get(key, "") if key else _("Own criteria")
            by_category[key] = Tally(f"{key}. {label}" if key else label, key)
        by_category[key].add(response, status)
    ordered = sorted(by_category.values(), key=lambda t: (t.number is None, t.number or 0))
    return Scores(overall, ordered)


def category_names(cycle: AssessmentCycle) -> dict[int, str]:
    return {c.number: c.label for c in catalog.categories(cycle.catalog_version)}


def gaps(
    rows: list[Response], found: dict[int, list[str | Promise]] | None = None
) -> list[Response]:
    """Everything not met (a Met answer still to be rewritten included), Musts first, then by
    criterion."""
    found = warnings(rows) if found is None else found
    open_ = [
        r
        for r in rows
        if counted_status(r, found) in {Status.NOT_MET, Status.PARTIAL, Status.NOT_STARTED}
    ]
    return sorted(open_, key=lambda r: (r.must_should != "must", r.position))


def warnings(rows: list[Response]) -> dict[int, list[str | Promise]]:
    """Narratives a validator would reject: empty, too short, copied, or the untouched starter
    (see `narratives`), by answer."""
    return narratives.problems_of(
        narratives.Answer(r.pk, r.criterion_ident, r.status, r.narrative) for r in rows
    )


def counted_status(response: Response, found: dict[int, list[str | Promise]]) -> str:
    """The status that scores count: a Met answer still to be rewritten counts as not met."""
    if response.status == Status.MET and found.get(response.pk):
        return Status.NOT_MET
    return response.status


def word_diff(old: str, new: str) -> SafeString:
    """The narrative change as HTML with <del> and <ins>, word by word."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(a[i1:i2])))
        if op in {"delete", "replace"}:
            out.append(f"<del>{html.escape(' '.join(a[i1:i2]))}</del>")
        if op in {"insert", "replace"}:
            out.append(f"<ins>{html.escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308  (every piece is escaped above)


@dataclass(frozen=True)
class Change:
    ident: str
    requirement: str
    old: Response | None
    new: Response | None
    diff: Any

    @property
    def status_changed(self) -> bool:
        return (self.old.status if self.old else None) != (self.new.status if self.new else None)


def compare(
    org: Organisation, older: AssessmentCycle, newer: AssessmentCycle, *, only_changes: bool = True
) -> list[Change]:
    a = {r.criterion_ident: r for r in Response.objects.for_org(org).filter(cycle=older)}
    b = {r.criterion_ident: r for r in Response.objects.for_org(org).filter(cycle=newer)}
    changes = []
    for ident in sorted(set(a) | set(b), key=lambda i: (b.get(i) or a[i]).position):
        old, new = a.get(ident), b.get(ident)
        text_changed = (old.narrative if old else "") != (new.narrative if new else "")
        change = Change(
            ident,
            (new or old).requirement,  # type: ignore[union-attr]
            old,
            new,
            word_diff(old.narrative if old else "", new.narrative if new else "")
            if text_changed
            else None,
        )
        if not only_changes or change.status_changed or text_changed:
            changes.append(change)
    return changes


def dashboard_tile(org: Organisation, user: User) -> Tile:
    cycle = cycles(org).first()
    if cycle is None:
        return Tile(
            title=_("Self-assessment"),
            figure=_("Not started"),
            detail=_("Assess yourself against every criterion that applies to you."),
            url=reverse("assessments:list", args=[org.slug]),
            tone="warn",
            link_text=_("Start one"),
        )
    tally = scores(
        list(
            Response.objects.for_org(org)
            .filter(cycle=cycle)
            .only("criterion_ident", "status", "narrative", "must_should", "category")
        ),
        {},
    ).overall
    gaps_left = tally.applicable - tally.counts[Status.MET]
    return Tile(
        title=cycle.title,
        figure=_("Musts met %(met)s/%(total)s")
        % {"met": tally.must_met, "total": tally.must_total},
        detail=(
            _("%(answered)s of %(all)s answered, %(gaps)s not yet met")
            % {"answered": tally.answered, "all": sum(tally.counts.values()), "gaps": gaps_left}
            if tally.answered
            else _("%(all)s criteria, none answered yet") % {"all": sum(tally.counts.values())}
        ),
        url=reverse("assessments:cycle", args=[org.slug, cycle.pk]),
        tone="ok" if gaps_left == 0 else "warn",
        link_text=_("Open the assessment"),
    )


# How other apps name an answer: evidence supports it, actions close its gap.


def _answer_label(response: Response) -> str:
    return f"{response.criterion_ident.removeprefix('own:')} · {response.cycle.title}"


def _answer_url(org: Organisation, response: Response) -> str:
    return reverse("assessments:response", args=[org.slug, response.pk])


def _new_action_for(response: Response) -> dict[str, Any]:
    ident = response.criterion_ident.removeprefix("own:")
    return {
        "title": _("Close the gap on %(id)s") % {"id": ident},
        "description": response.requirement,
        "source": "gap",
        "criteria": [response.criterion_ident],
        "priority": "high" if response.must_should == "must" else "medium",
        "verification_required": response.must_should == "must",
    }


def evidence_subject() -> evidence_services.Subject:
    from safelane.assessments.services import check_evidence_change

    return evidence_services.Subject(
        name="response",
        model=Response,
        noun=_("Answer"),
        label=_answer_label,
        url=_answer_url,
        related=("cycle",),
        criterion=lambda response: response.criterion_ident,
        guard=check_evidence_change,
    )


def action_origin() -> action_services.Origin:
    return action_services.Origin(
        name="response",
        model=Response,
        label=_answer_label,
        url=_answer_url,
        related=("cycle",),
        initial=_new_action_for,
        treats=_("closes the gap on %(label)s"),
        finished=_(
            "That was the last open action for this criterion: update its answer now, %(link)s."
        ),
    )


def search_results(org: Organisation, text: str, limit: int) -> list[Result]:
    """Answers of the latest self-assessment whose criterion ID starts with `text` or whose
    requirement or narrative holds it."""
    cycle = AssessmentCycle.objects.for_org(org).order_by("-pk").first()
    if cycle is None:
        return []
    rows = (
        Response.objects.for_org(org)
        .filter(cycle=cycle)
        .filter(
            Q(criterion_ident__startswith=text)
            | Q(criterion_ident__startswith=f"own:{text}")
            | Q(requirement__icontains=text)
            | Q(narrative__icontains=text)
        )
        .order_by("position", "pk")
        .only("criterion_ident", "status", "narrative", "requirement")[:limit]
    )
    return [
        Result(
            title=f"{r.criterion_ident.removeprefix('own:')} · {cycle.title}",
            url=_answer_url(org, r),
            detail=f"{r.get_status_display()} · {r.narrative or r.requirement}",
        )
        for r in rows
    ]


def road_progress(org: Organisation) -> Progress:
    """The self-assessment step: the latest cycle and how much of it is answered."""
    cycle = cycles(org).first()
    if cycle is None:
        return Progress(url=reverse("assessments:list", args=[org.slug]), state=NOT_STARTED)
    counts = dict(
        Response.objects.for_org(org)
        .filter(cycle=cycle)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(counts.values())
    answered = total - counts.get(Status.NOT_STARTED, 0)
    finished = cycle.closed_at is not None or (total and answered == total)
    return Progress(
        url=reverse("assessments:cycle", args=[org.slug, cycle.pk]),
        state=DONE if finished else IN_PROGRESS,
        note=_("%(title)s: %(answered)s of %(total)s answered")
        % {"title": cycle.title, "answered": answered, "total": total},
    )


def profile_progress(org: Organisation) -> Progress:
    """The last step: a closed cycle is a written security profile; validation is CBP's."""
    closed = cycles(org).filter(closed_at__isnull=False).first()
    if closed is None:
        return Progress(url=reverse("assessments:list", args=[org.slug]), state=NOT_STARTED)
    return Progress(
        url=reverse("assessments:cycle", args=[org.slug, closed.pk]),
        state=IN_PROGRESS,
        note=_("Profile written from %(title)s: export it from that assessment.")
        % {"title": closed.title},
    )


def portfolio_columns(organisation: str) -> dict[str, Any]:
    """Columns for a list of organisations (the consultant's portfolio), read through `for_org`
    of each row's organisation (`organisation` names it in the outer query), from its latest
    self-assessment: Musts met, Musts that apply, and open gaps (not met, partly met or not
    started). Counted from the answers as given; the assessment's own page also counts a Met
    answer whose narrative needs rewriting as not met. One query for any number of rows."""
    latest = (
        AssessmentCycle.objects.for_org(OuterRef(OuterRef(organisation)))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    answers = (
        Response.objects.for_org(OuterRef(organisation))
        .filter(cycle=Subquery(latest))
        .exclude(status=Status.NOT_APPLICABLE)
        .order_by()
        .values("organisation")
    )

    def counted(**where: Any) -> Coalesce:
        return Coalesce(
            Subquery(answers.annotate(n=Count("pk", filter=Q(**where))).values("n")[:1]), 0
        )

    return {
        "musts_met": counted(must_should="must", status=Status.MET),
        "musts_total": counted(must_should="must"),
        "open_gaps": counted(status__in=[Status.NOT_MET, Status.PARTIAL, Status.NOT_STARTED]),
    }

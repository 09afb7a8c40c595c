"""Reads of validations: what a mock plan is drawn from (the self-assessment's scope and gaps,
the risk assessment's scores), the pages, the shipped interview prompts, and what other apps
show of findings (the action plan, the dashboard, the calendar, the portfolio)."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from safelane.actions import selectors as action_selectors
from safelane.actions import services as action_services
from safelane.assessments import selectors as assessment_selectors
from safelane.catalog import selectors as catalog_selectors
from safelane.evidence import selectors as evidence_selectors
from safelane.evidence import services as evidence_services
from safelane.orgs.dashboard import Tile
from safelane.risk import selectors as risk_selectors
from safelane.validation.models import Finding, FindingStatus, Kind, PlanItem, Result, Validation

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.assessments.models import AssessmentCycle
    from safelane.orgs.models import Organisation

PROMPTS_FILE = Path(__file__).parent / "data" / "interview-prompts.yaml"


def validations(org: Organisation) -> QuerySet[Validation]:
    return (
        Validation.objects.for_org(org)
        .select_related("cycle")
        .annotate(
            item_count=Count("items", distinct=True),
            open_findings=Count(
                "findings", filter=~Q(findings__status=FindingStatus.CLOSED), distinct=True
            ),
        )
    )


def validation_records(org: Organisation) -> QuerySet[Validation]:
    return Validation.objects.for_org(org).select_related("cycle")


def plan_items(org: Organisation) -> QuerySet[PlanItem]:
    return PlanItem.objects.for_org(org).select_related("validation")


def current_cycle(org: Organisation) -> AssessmentCycle | None:
    """The open self-assessment, else the latest one."""
    return assessment_selectors.open_cycle(org) or assessment_selectors.cycles(org).first()


@dataclass(frozen=True)
class InScope:
    """A criterion in scope of the self-assessment, and whether it has a gap."""

    criterion_ident: str
    category: int | None
    position: int
    must_should: str
    requirement: str
    gap: bool


def scope(org: Organisation, cycle: AssessmentCycle) -> list[InScope]:
    """The cycle's criteria that apply (not applicable ones left out), gaps as its gap
    register counts them."""
    rows = list(assessment_selectors.answers(org, cycle))
    gap_ids = {r.pk for r in assessment_selectors.gaps(rows)}
    return [
        InScope(
            r.criterion_ident, r.category, r.position, r.must_should, r.requirement, r.pk in gap_ids
        )
        for r in rows
        if r.status != "not-applicable"
    ]


def category_risk(org: Organisation) -> dict[int, int]:
    """The highest risk score of each MSC category in the newest risk assessment (none: {})."""
    assessment = risk_selectors.newest(org)
    if assessment is None:
        return {}
    found: dict[int, int] = {}
    for risk in risk_selectors.risks(org, assessment):
        if risk.score:
            found[risk.category] = max(found.get(risk.category, 0), risk.score)
    return found


def documents_for(
    cycle: AssessmentCycle, idents: list[str]
) -> dict[str, tuple[list[str], list[str]]]:
    """The catalog's evidence examples of each criterion (English, Spanish): what to ask for."""
    rows = catalog_selectors.criteria(cycle.catalog_version).filter(ident__in=idents)
    return {c.ident: (list(c.evidence or []), list(c.evidence_es or [])) for c in rows}


@dataclass(frozen=True)
class Prompt:
    text: str
    categories: tuple[int, ...]


@dataclass(frozen=True)
class Role:
    key: str
    title: str
    prompts: tuple[Prompt, ...]


@functools.cache
def _prompt_data() -> dict[str, Any]:
    with PROMPTS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def interview_prompts(categories: set[int] | None = None) -> list[Role]:
    """Safelane's practice prompts per role, in the reader's language, those of `categories`
    only when given (roles left with none are left out)."""
    spanish = (get_language() or "").startswith("es")
    found = []
    for role in _prompt_data()["roles"]:
        prompts = tuple(
            Prompt(p["es"] if spanish else p["en"], tuple(p["categories"]))
            for p in role["prompts"]
            if categories is None or set(p["categories"]) & categories
        )
        if prompts:
            title = role["title_es"] if spanish else role["title"]
            found.append(Role(role["key"], title, prompts))
    return found


@dataclass(frozen=True)
class ValidationPage:
    validation: Validation
    items: list[PlanItem]
    findings: list[Finding]
    prompts: list[Role]
    sites: list[str]
    checked: int
    links: list[Any]

    @property
    def spanish(self) -> bool:
        return (get_language() or "").startswith("es")

    @property
    def facts(self) -> list[str]:
        """The line under the title: kind (unless the title says it), visit, notice, specialist."""
        v = self.validation
        found = [] if v.title == str(v.get_kind_display()) else [str(v.get_kind_display())]
        if v.visit_on:
            found.append(str(_("visit on %(day)s") % {"day": formats.date_format(v.visit_on)}))
        if v.notice_received_on:
            day = formats.date_format(v.notice_received_on)
            found.append(str(_("notice received on %(day)s") % {"day": day}))
        return [*found, *([v.specialist] if v.specialist else [])]


def validation_page(org: Organisation, validation: Validation) -> ValidationPage:
    items = list(PlanItem.objects.for_org(org).filter(validation=validation))
    categories = {i.category for i in items if i.category}
    return ValidationPage(
        validation=validation,
        items=items,
        findings=list(findings(org).filter(validation=validation)),
        prompts=interview_prompts(categories) if validation.kind == Kind.MOCK else [],
        sites=[s.strip() for s in validation.sites.splitlines() if s.strip()],
        checked=sum(1 for i in items if i.result != Result.NOT_CHECKED),
        links=evidence_selectors.links_of(org, validation),
    )


def findings(org: Organisation) -> QuerySet[Finding]:
    return Finding.objects.for_org(org).select_related("validation")


def open_findings(org: Organisation) -> QuerySet[Finding]:
    return findings(org).exclude(status=FindingStatus.CLOSED)


@dataclass(frozen=True)
class FindingPage:
    finding: Finding
    actions: list[Any]
    links: list[Any]


def finding_page(org: Organisation, finding: Finding) -> FindingPage:
    return FindingPage(
        finding=finding,
        actions=list(action_selectors.for_origin(org, finding)),
        links=evidence_selectors.links_of(org, finding),
    )


def _finding_label(finding: Finding) -> str:
    return str(
        _("Finding on %(criterion)s (%(validation)s)")
        % {"criterion": finding.criterion_ident, "validation": finding.validation.title}
    )


def _finding_url(org: Organisation, finding: Finding) -> str:
    return reverse("validation:finding", args=[org.slug, finding.pk])


def _validation_url(org: Organisation, validation: Validation) -> str:
    return reverse("validation:detail", args=[org.slug, validation.pk])


def action_origin() -> action_services.Origin:
    """Actions that answer a finding, mock or CBP's."""
    return action_services.Origin(
        name="finding",
        model=Finding,
        label=_finding_label,
        url=_finding_url,
        related=("validation",),
        initial=lambda f: {
            "title": str(
                _("Answer the finding on %(criterion)s") % {"criterion": f.criterion_ident}
            ),
            "description": f.text,
            "criteria": [f.criterion_ident],
            **({"due_date": f.response_due} if f.response_due else {}),
        },
        treats=_("answers the %(label)s"),
        finished=_(
            "That was the last open action for this finding: record the response (%(url)s)."
        ),
    )


def finding_subject() -> evidence_services.Subject:
    """Evidence of the response to a finding."""
    return evidence_services.Subject(
        name="finding",
        model=Finding,
        noun=_("Finding"),
        label=_finding_label,
        url=_finding_url,
        related=("validation",),
        criterion=lambda f: f.criterion_ident,
    )


def validation_subject() -> evidence_services.Subject:
    """CBP's validation report and the documents shown at a validation."""
    return evidence_services.Subject(
        name="validation",
        model=Validation,
        noun=_("Validation"),
        label=lambda v: v.title,
        url=_validation_url,
    )


def dashboard_tile(org: Organisation, user: User) -> Tile | None:
    """Open findings, mock and CBP's; nothing said before the first validation."""
    counts = Finding.objects.for_org(org).aggregate(
        open=Count("pk", filter=~Q(status=FindingStatus.CLOSED)),
        overdue=Count(
            "pk",
            filter=Q(status=FindingStatus.OPEN, response_due__lt=timezone.localdate()),
        ),
        total=Count("pk"),
    )
    if not counts["total"] and not Validation.objects.for_org(org).exists():
        return None
    return Tile(
        title=_("Validation findings"),
        figure=ngettext("%(n)s open finding", "%(n)s open findings", counts["open"])
        % {"n": counts["open"]},
        detail=ngettext("%(n)s response overdue", "%(n)s responses overdue", counts["overdue"])
        % {"n": counts["overdue"]},
        url=reverse("validation:list", args=[org.slug]),
        tone="bad" if counts["overdue"] else ("warn" if counts["open"] else "ok"),
        link_text=_("Validations"),
    )


def responses_due(org: Organisation) -> list[Finding]:
    """Findings still waiting for our response that have a due date (for the calendar)."""
    return list(
        findings(org)
        .filter(status=FindingStatus.OPEN, response_due__isnull=False)
        .order_by("response_due")
    )


def portfolio_columns(organisation: str) -> dict[str, Any]:
    """The open findings of each organisation of a list (the portfolio), read through
    `for_org` of the row's organisation: one subquery for any number of rows."""
    open_ = Finding.objects.for_org(OuterRef(organisation)).still_open().order_by()
    return {
        "open_findings": Coalesce(
            Subquery(open_.values("organisation").annotate(n=Count("pk")).values("n")[:1]), 0
        )
    }


def last_cbp_validation(org: Organisation) -> datetime.date | None:
    """The date of the latest CBP validation recorded with a visit date."""
    return (
        Validation.objects.for_org(org)
        .filter(kind=Kind.CBP, visit_on__isnull=False)
        .order_by("-visit_on")
        .values_list("visit_on", flat=True)
        .first()
    )

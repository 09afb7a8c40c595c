"""Reads of the catalog that pages, exports, the API and later modules (assessments, risk) share."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from safelane.catalog.entity_types import EntityType, entity_type, entity_types
from safelane.catalog.models import (
    Applicability,
    CatalogVersion,
    Category,
    Criterion,
    CriterionDecision,
    Decision,
    OrgEntityType,
    OwnCriterion,
    reads_spanish,
)
from safelane.orgs.search import Result

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


__all__ = ["EntityType", "entity_type", "entity_types"]


def current_version() -> CatalogVersion | None:
    return CatalogVersion.objects.filter(is_current=True).first()


def criterion_in(version: CatalogVersion, ident: str) -> Criterion | None:
    """One criterion of a catalog version, by its MSC ID."""
    return Criterion.objects.filter(version=version, ident=ident).first()


# What separates criterion IDs typed as a list: commas and ordinary blanks only. Any other
# character (a vertical tab, a form feed) stays inside an ID, so the check refuses it instead of
# quietly reading it as a separator.
ID_SEPARATORS = re.compile(r"[, \t\r\n]+")


def split_criterion_ids(text: str) -> list[str]:
    """The IDs of a typed list ("4.8, 4.12"), once each, in the order given."""
    return list(dict.fromkeys(part for part in ID_SEPARATORS.split(text or "") if part))


def criterion_references(org: Organisation, idents: Iterable[str]) -> dict[str, str]:
    """Which of `idents` name a criterion of the organisation's catalogue: an MSC ID of the
    current catalog, or the code of one of its own criteria ("ACME-01" or "own:ACME-01",
    whatever the case). Maps each one found to the form records keep ("4.8", "own:ACME-01")."""
    wanted = set(idents)
    version = current_version()
    msc = (
        set(
            Criterion.objects.filter(version=version, ident__in=wanted).values_list(
                "ident", flat=True
            )
        )
        if version is not None
        else set()
    )
    own = {code.lower(): code for code in own_criteria(org).values_list("code", flat=True)}
    found = {}
    for ident in wanted:
        code = own.get(ident.removeprefix("own:").lower())
        if ident in msc:
            found[ident] = ident
        elif code is not None:
            found[ident] = f"own:{code}"
    return found


def spanish_requirements(version: CatalogVersion) -> dict[str, str]:
    """The requirements' Spanish by ID, when the reader reads Spanish (no query otherwise)."""
    if not reads_spanish():
        return {}
    return dict(
        Criterion.objects.filter(version=version)
        .exclude(requirement_es="")
        .values_list("ident", "requirement_es")
    )


def criteria(version: CatalogVersion) -> QuerySet[Criterion]:
    return (
        Criterion.objects.filter(version=version)
        .select_related("category")
        .prefetch_related(
            Prefetch("applicability", queryset=Applicability.objects.order_by("entity_type"))
        )
    )


def categories(version: CatalogVersion) -> QuerySet[Category]:
    return Category.objects.filter(version=version)


def org_entity_types(org: Organisation) -> list[OrgEntityType]:
    return list(OrgEntityType.objects.for_org(org))


def decisions(org: Organisation) -> dict[str, CriterionDecision]:
    return {d.ident: d for d in CriterionDecision.objects.for_org(org).select_related("decided_by")}


def own_criteria(org: Organisation) -> QuerySet[OwnCriterion]:
    return OwnCriterion.objects.for_org(org).active()


class Status:
    APPLIES = "applies"
    UNCONFIRMED = "unconfirmed"
    ADDED = "added"
    NOT_APPLICABLE = "not-applicable"
    EXCLUDED = "excluded"

    IN_SCOPE = frozenset({APPLIES, UNCONFIRMED, ADDED})


@dataclass(frozen=True)
class Fit:
    """How one catalog criterion relates to an organisation."""

    status: str
    basis: str | None
    decision: CriterionDecision | None

    @property
    def in_scope(self) -> bool:
        return self.status in Status.IN_SCOPE


class Rule(NamedTuple):
    """One applicability row, read as plain values."""

    entity_type: str
    applies: bool
    basis: str


def fit(criterion: Criterion, codes: set[str], decision: CriterionDecision | None) -> Fit:
    """How a criterion (with its applicability prefetched) relates to the organisation."""
    return fit_rules(codes, decision, criterion.applicability.all())


def fit_rules(
    codes: set[str],
    decision: CriterionDecision | None,
    applicability: Iterable[Applicability | Rule],
) -> Fit:
    """Applies if any held entity type says so; excluded if all say not; otherwise unconfirmed.
    The organisation's own decision wins over the catalog."""
    rows = {a.entity_type: a for a in applicability}
    applying = [rows[c] for c in codes if c in rows and rows[c].applies]
    if decision is not None:
        status = Status.ADDED if decision.decision == Decision.APPLICABLE else Status.NOT_APPLICABLE
        basis = applying[0].basis if applying else None
        return Fit(status, basis, decision)
    if applying:
        return Fit(Status.APPLIES, applying[0].basis, None)
    if not codes:
        # Until the organisation names its entity types nothing is in scope but what it adds.
        return Fit(Status.EXCLUDED, None, None)
    if codes and all(c in rows and not rows[c].applies for c in codes):
        return Fit(Status.EXCLUDED, rows[next(iter(codes))].basis, None)
    return Fit(Status.UNCONFIRMED, None, None)


@dataclass(frozen=True)
class CatalogFilter:
    entity_type: str | None = None
    category: int | None = None
    must_should: str | None = None
    text: str | None = None
    scope: str | None = None  # "ours" = only what is in scope for the organisation


def text_matches(text: str) -> Q:
    """Criteria whose ID starts with `text` or whose requirement or guidance holds it, in
    English or Spanish (the catalog's filter and the organisation's search)."""
    return (
        Q(ident__startswith=text)
        | Q(requirement__icontains=text)
        | Q(guidance__icontains=text)
        | Q(requirement_es__icontains=text)
        | Q(guidance_es__icontains=text)
    )


def filtered_criteria(version: CatalogVersion, where: CatalogFilter) -> QuerySet[Criterion]:
    qs = criteria(version)
    if where.entity_type:
        qs = qs.filter(applicability__entity_type=where.entity_type, applicability__applies=True)
    if where.category:
        qs = qs.filter(category__number=where.category)
    if where.must_should:
        qs = qs.filter(must_should=where.must_should)
    if where.text:
        qs = qs.filter(text_matches(where.text))
    return qs


class ScopedCriterion(NamedTuple):
    """What a new assessment needs of a criterion in scope, read as plain values."""

    ident: str
    position: int
    category_number: int
    must_should: str
    requirement: str
    fit: Fit


def _scoped_rows(org: Organisation, version: CatalogVersion) -> list[ScopedCriterion]:
    """Every catalog criterion with how it relates to the organisation, as plain values."""
    codes = {e.entity_type for e in org_entity_types(org)}
    made = decisions(org)
    by_criterion: dict[int, list[Rule]] = defaultdict(list)
    for criterion_id, code, applies, basis in Applicability.objects.filter(
        criterion__version=version
    ).values_list("criterion_id", "entity_type", "applies", "basis"):
        by_criterion[criterion_id].append(Rule(code, applies, basis))
    return [
        ScopedCriterion(
            ident,
            position,
            number,
            must_should,
            requirement,
            fit_rules(codes, made.get(ident), by_criterion[pk]),
        )
        for pk, ident, position, number, must_should, requirement in (
            Criterion.objects.filter(version=version)
            .order_by("position")
            .values_list(
                "pk", "ident", "position", "category__number", "must_should", "requirement"
            )
        )
    ]


def applicable_criteria(
    org: Organisation, version: CatalogVersion | None = None
) -> list[ScopedCriterion]:
    """Every catalog criterion in scope for the organisation, with why. Plain values in two
    queries (no prefetch, no model per row): starting a cycle is measured, see bench/."""
    version = version or current_version()
    if version is None:
        return []
    return [row for row in _scoped_rows(org, version) if row.fit.in_scope]


def fits(org: Organisation, version: CatalogVersion) -> dict[str, Fit]:
    """How every criterion of `version` relates to the organisation, by ID (its exports)."""
    return {row.ident: row.fit for row in _scoped_rows(org, version)}


def search_results(org: Organisation, text: str, limit: int) -> list[Result]:
    """Criteria of the current catalog whose ID starts with `text` or whose requirement or
    guidance holds it, in English or Spanish; shown in the reader's language."""
    version = current_version()
    if version is None:
        return []
    spanish = reads_spanish()
    rows = (
        Criterion.objects.filter(version=version)
        .filter(text_matches(text))
        .order_by("position")
        .only("ident", "requirement", "requirement_es")[:limit]
    )
    return [
        Result(
            title=f"{c.ident} · {(c.requirement_es if spanish and c.requirement_es else c.requirement)}",
            url=reverse("catalog:criterion", args=[org.slug, c.ident]),
        )
        for c in rows
    ]

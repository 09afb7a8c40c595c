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
    OfficialUpload,
    OrgEntityType,
    OwnCriterion,
    UploadStatus,
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


def official_documents(codes: Iterable[str]) -> dict[str, OfficialUpload]:
    """The official MSC document last recorded for each of these entity types (who uploaded it
    and when: the basis of their applicability), by code. No query for no codes."""
    wanted = set(codes)
    if not wanted:
        return {}
    found: dict[str, OfficialUpload] = {}
    for upload in OfficialUpload.objects.filter(
        entity_type__in=wanted, status=UploadStatus.RECORDED
    ).order_by("-recorded_at", "-id"):
        found.setdefault(upload.entity_type, upload)
    return found


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
    # Must or Should as the official document of an entity type held designates it ("must" if
    # two documents disagree); empty: the criterion's own designation holds.
    must_should: str = ""

    @property
    def in_scope(self) -> bool:
        return self.status in Status.IN_SCOPE


class Rule(NamedTuple):
    """One applicability row, read as plain values."""

    entity_type: str
    applies: bool
    basis: str
    must_should: str = ""


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
    applying = sorted(
        (rows[c] for c in codes if c in rows and rows[c].applies), key=lambda a: a.entity_type
    )
    designations = {a.must_should for a in applying if a.must_should}
    designation = "must" if "must" in designations else next(iter(designations), "")
    if decision is not None:
        status = Status.ADDED if decision.decision == Decision.APPLICABLE else Status.NOT_APPLICABLE
        basis = applying[0].basis if applying else None
        return Fit(status, basis, decision, designation)
    if applying:
        return Fit(Status.APPLIES, applying[0].basis, None, designation)
    if not codes:
        # Until the organisation names its entity types nothing is in scope but what it adds.
        return Fit(Status.EXCLUDED, None, None)
    if codes and all(c in rows and not rows[c].applies for c in codes):
        return Fit(Status.EXCLUDED, rows[next(iter(codes))].basis, None)
    return Fit(Status.UNCONFIRMED, None, None)


def designation(criterion: Criterion, found: Fit) -> str:
    """Must or Should for the organisation: its entity type's official document's, or else the
    criterion's."""
    return found.must_should or criterion.must_should


def scope_summary(everything: list[tuple[Criterion, Fit]]) -> dict[str, int]:
    """The catalog page's figures: criteria in scope, their Musts and Shoulds, how many are
    not confirmed, and how many the organisation decided do not apply."""
    in_scope = [(c, f) for c, f in everything if f.in_scope]
    musts = [designation(c, f) for c, f in in_scope]
    return {
        "total": len(in_scope),
        "must": musts.count("must"),
        "should": musts.count("should"),
        "unconfirmed": sum(1 for _c, f in in_scope if f.status == Status.UNCONFIRMED),
        "not_applicable": sum(1 for _c, f in everything if f.status == Status.NOT_APPLICABLE),
    }


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
    for criterion_id, code, applies, basis, designation in Applicability.objects.filter(
        criterion__version=version
    ).values_list("criterion_id", "entity_type", "applies", "basis", "must_should"):
        by_criterion[criterion_id].append(Rule(code, applies, basis, designation))
    rows = []
    for pk, ident, position, number, must_should, requirement in (
        Criterion.objects.filter(version=version)
        .order_by("position")
        .values_list("pk", "ident", "position", "category__number", "must_should", "requirement")
    ):
        found = fit_rules(codes, made.get(ident), by_criterion[pk])
        # The entity type's own document's Must or Should wins over the catalog's.
        designation = found.must_should or must_should
        rows.append(ScopedCriterion(ident, position, number, designation, requirement, found))
    return rows


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

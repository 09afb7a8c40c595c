"""Reads of the partner register: lists, one partner's page, the screening review queue, and
how other apps name a partner."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from safelane.actions import selectors as action_selectors
from safelane.actions import services as action_services
from safelane.evidence import selectors as evidence_selectors
from safelane.evidence import services as evidence_services
from safelane.orgs.dashboard import Tile
from safelane.orgs.search import Result
from safelane.partners.models import (
    Facility,
    HitStatus,
    MraProgramme,
    Partner,
    PartnerContact,
    PartnerName,
    PartnerQuerySet,
    RiskTier,
    ScreeningHit,
    ScreeningState,
)
from safelane.screening import selectors as lists

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def partners(org: Organisation) -> PartnerQuerySet:
    """The register's live partners, by name."""
    return Partner.objects.for_org(org).active().order_by("name", "pk")


def named(qs: QuerySet[Partner], text: str) -> QuerySet[Partner]:
    """The partners of `qs` whose legal name or one of whose other names holds `text` (the
    register's filter and the organisation's search)."""
    return qs.filter(Q(name__icontains=text) | Q(other_names__name__icontains=text)).distinct()


def register(org: Organisation) -> PartnerQuerySet:
    """Every partner, archived ones too, for the register's filters to narrow down."""
    return Partner.objects.for_org(org).order_by("name", "pk")


def partner(org: Organisation, pk: int) -> Partner | None:
    return Partner.objects.for_org(org).filter(pk=pk).first()


@dataclass(frozen=True)
class PartnerPage:
    """What a partner's page shows besides the partner itself."""

    other_names: list[PartnerName]
    facilities: list[Facility]
    contacts: list[PartnerContact]
    hits: list[ScreeningHit]
    actions: list[Any]
    links: list[Any]


def partner_page(org: Organisation, partner: Partner) -> PartnerPage:
    return PartnerPage(
        other_names=list(PartnerName.objects.for_org(org).filter(partner=partner)),
        facilities=list(Facility.objects.for_org(org).filter(partner=partner)),
        contacts=list(PartnerContact.objects.for_org(org).filter(partner=partner)),
        hits=list(
            ScreeningHit.objects.for_org(org).filter(partner=partner).select_related("decided_by")
        ),
        actions=list(action_selectors.for_origin(org, partner)),
        links=evidence_selectors.links_of(org, partner),
    )


# The risk assessment's map: a point may be a partner's facility.


def map_facilities(org: Organisation) -> QuerySet[Facility]:
    """The facilities of live partners a map point can stand for, by partner and name."""
    return (
        Facility.objects.for_org(org)
        .filter(partner__archived_at__isnull=True)
        .select_related("partner")
        .order_by("partner__name", "name", "pk")
    )


def facility_label(facility: Facility) -> str:
    place = ", ".join(p for p in (facility.city, facility.country.code) if p)
    return f"{facility.partner.name}: {facility.name} ({place})"


@dataclass(frozen=True)
class FacilityPoint:
    """What the map shows of the partner behind a point: who, and what its questionnaire said."""

    partner_name: str
    partner_url: str
    level: str  # the accepted questionnaire's result (a RiskTier value), "" when none yet
    level_label: str
    assessed_on: Any
    tier: str
    tier_label: str


def facility_points(org: Organisation, facility_ids: Iterable[int]) -> dict[int, FacilityPoint]:
    """The partner result of each facility, in one query."""
    rows = Facility.objects.for_org(org).filter(pk__in=list(facility_ids)).select_related("partner")
    found = {}
    for facility in rows:
        p = facility.partner
        found[facility.pk] = FacilityPoint(
            partner_name=p.name,
            partner_url=_url(org, p),
            level=p.assessment_level,
            level_label=str(p.get_assessment_level_display()) if p.assessment_level else "",
            assessed_on=p.assessed_on,
            tier=p.tier,
            tier_label=str(RiskTier(p.tier).label),
        )
    return found


def open_hits(org: Organisation) -> QuerySet[ScreeningHit]:
    """The review queue: hits nobody has decided on yet (or reopened), best match first."""
    return (
        ScreeningHit.objects.for_org(org)
        .filter(status=HitStatus.OPEN, partner__archived_at__isnull=True)
        .select_related("partner")
        .order_by("-score", "pk")
    )


@dataclass(frozen=True)
class HitPage:
    hit: ScreeningHit
    entry: Any  # the list entry, as the list holds it now (None when no longer loaded)
    entry_countries: list[str]
    other_names: list[PartnerName]
    facilities: list[Facility]


def hit_page(org: Organisation, hit: ScreeningHit) -> HitPage:
    entry = lists.entry(hit.entry_pk) if hit.entry_pk else None
    return HitPage(
        hit=hit,
        entry=entry,
        entry_countries=[countries.name(code) or code for code in entry.countries] if entry else [],
        other_names=list(PartnerName.objects.for_org(org).filter(partner_id=hit.partner_id)),
        facilities=list(Facility.objects.for_org(org).filter(partner_id=hit.partner_id)),
    )


def listed_addresses(hits: Iterable[ScreeningHit]) -> dict[int, str]:
    """The first address each hit's list entry gives, to tell apart entries of the same name."""
    hits = list(hits)
    found = lists.addresses(h.entry_pk for h in hits if h.entry_pk)
    return {
        hit.pk: found[hit.entry_pk].split("\n")[0]
        for hit in hits
        if hit.entry_pk and found.get(hit.entry_pk)
    }


def counts(org: Organisation) -> dict[str, int]:
    today = timezone.localdate()
    return partners(org).aggregate(
        total=Count("pk"),
        high=Count(
            "pk",
            filter=Q(tier_override=RiskTier.HIGH)
            | Q(tier_override="", computed_tier=RiskTier.HIGH),
        ),
        due=Count("pk", filter=Q(next_review__lte=today)),
        review=Count("pk", filter=Q(screening=ScreeningState.REVIEW)),
        confirmed=Count("pk", filter=Q(screening=ScreeningState.CONFIRMED)),
    )


def job_destination(org: Organisation) -> tuple[str, str]:
    """Where an import or a screening of every partner leads when it has finished."""
    if counts(org)["review"]:
        return str(_("Review the screening hits")), reverse("partners:hits", args=[org.slug])
    return str(_("Open the register")), reverse("partners:list", args=[org.slug])


def dashboard_tile(org: Organisation, user: User) -> Tile | None:
    found = counts(org)
    url = reverse("partners:list", args=[org.slug])
    if not found["total"]:
        return Tile(
            title=_("Business partners"),
            figure=_("None yet"),
            detail=_("Add or import your suppliers, carriers and service providers."),
            url=url,
            tone="warn",
            link_text=_("Add partners"),
        )
    return Tile(
        title=_("Business partners"),
        figure=ngettext("%(n)s partner", "%(n)s partners", found["total"]) % {"n": found["total"]},
        detail=_(
            "%(high)s high risk · %(due)s due for review · %(review)s with possible list matches"
        )
        % found,
        url=url,
        tone="bad" if found["confirmed"] else ("warn" if found["review"] or found["due"] else "ok"),
        link_text=_("Open the register"),
    )


def _label(partner: Partner) -> str:
    return partner.name


def _url(org: Organisation, partner: Partner) -> str:
    return reverse("partners:detail", args=[org.slug, partner.pk])


def evidence_subject() -> evidence_services.Subject:
    """Evidence of a partner's status (a CTPAT certificate, an AEO listing) supports 3.4."""
    return evidence_services.Subject(
        name="partner", model=Partner, label=_label, url=_url, criterion=lambda p: "3.4"
    )


def action_origin() -> action_services.Origin:
    """Actions for the partner relationship (a weakness to correct, a confirmed match)."""
    return action_services.Origin(
        name="partner",
        model=Partner,
        label=_label,
        url=_url,
        initial=lambda p: {
            "title": _("Follow up with %(name)s") % {"name": p.name},
            "source": "partner",
            "kind": "partner",
            "criteria": ["3.6"],
        },
        treats=_("follows up with %(label)s"),
    )


def search_results(org: Organisation, text: str, limit: int) -> list[Result]:
    """Partners of the register whose name or one of its other names holds `text`."""
    rows = named(partners(org), text)[:limit]
    return [
        Result(
            title=p.name,
            url=reverse("partners:detail", args=[org.slug, p.pk]),
            detail=str(p.get_kind_display()),
        )
        for p in rows
    ]


def mra_programmes() -> list[tuple[str, Any]]:
    """The foreign programmes CBP has a Mutual Recognition Arrangement with, as (code, name)
    choices ("other" last): the membership app records the company's own recognitions."""
    return [(p.value, p.label) for p in MraProgramme if p.value]

"""Reads for the eligibility check, the readiness checklist and the portal data sheet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safelane.catalog.selectors import EntityType, entity_type, org_entity_types
from safelane.eligibility import rules
from safelane.eligibility.models import (
    Address,
    AddressKind,
    AgreementAffirmation,
    Bond,
    CompanyProfile,
    Contact,
    Identifier,
)
from safelane.orgs import dashboard
from safelane.orgs.dashboard import DONE, IN_PROGRESS, NOT_STARTED, Progress, Tile

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def profile(org: Organisation) -> CompanyProfile:
    """The organisation's company profile; an unsaved empty one until it is first saved."""
    found = CompanyProfile.objects.for_org(org).first()
    return found or CompanyProfile(organisation=org)


def addresses(org: Organisation) -> list[Address]:
    return list(Address.objects.for_org(org))


def contacts(org: Organisation) -> list[Contact]:
    return list(Contact.objects.for_org(org).select_related("user"))


def identifiers(org: Organisation) -> list[Identifier]:
    return list(Identifier.objects.for_org(org))


def bonds(org: Organisation) -> list[Bond]:
    return list(Bond.objects.for_org(org))


def affirming_contact(org: Organisation, user: Any) -> Contact | None:
    """The officer contact through which `user` may affirm the Partner Agreement: named by an
    owner and linked to this very account (so a consultant cannot accept for the client)."""
    return (
        Contact.objects.for_org(org)
        .filter(user=user, is_company_officer=True, officer_named_by__isnull=False)
        .order_by("-is_primary")
        .first()
    )


def own_affirmation(org: Organisation, user: Any, statement: str) -> AgreementAffirmation | None:
    """This person's affirmation of the statement as it reads now, if they made it."""
    digest = hashlib.sha256(statement.encode()).hexdigest()
    return (
        AgreementAffirmation.objects.for_org(org)
        .filter(user=user, statement_sha256=digest)
        .order_by("-created_at")
        .first()
    )


def affirmations(org: Organisation) -> list[AgreementAffirmation]:
    return list(AgreementAffirmation.objects.for_org(org).select_related("contact"))


def snapshot(org: Organisation) -> rules.Snapshot:
    return rules.Snapshot(
        country=str(org.country),
        profile=profile(org),
        addresses=addresses(org),
        contacts=contacts(org),
        identifiers=identifiers(org),
        bonds=bonds(org),
        affirmations=affirmations(org),
    )


@dataclass(frozen=True)
class TypeCheck:
    kind: EntityType
    subtype: str
    results: list[rules.Result]

    @property
    def verdict(self) -> str:
        statuses = {r.status for r in self.results}
        if rules.FAIL in statuses:
            return rules.FAIL
        return rules.INFO if rules.INFO in statuses else rules.PASS

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.status == rules.PASS)


def eligibility(org: Organisation, snap: rules.Snapshot | None = None) -> list[TypeCheck]:
    snap = snap or snapshot(org)
    checks = []
    for held in org_entity_types(org):
        kind = entity_type(held.entity_type)
        if kind is None:
            continue
        snap.subtype = held.subtype
        checks.append(TypeCheck(kind, held.subtype, rules.evaluate(kind.rules, snap)))
    return checks


@dataclass(frozen=True)
class ReadinessItem:
    title: str | Promise
    done: bool
    detail: str | Promise
    url_name: str


def readiness(org: Organisation) -> list[ReadinessItem]:
    """What the CTPAT Portal application needs, and what is still missing."""
    snap = snapshot(org)
    checks = eligibility(org, snap)
    prof = snap.profile
    officers = [c for c in snap.contacts if c.is_company_officer]
    primary = [c for c in snap.contacts if c.is_primary]
    info_missing = [
        str(label)
        for label, value in (
            (_("main telephone"), prof.phone),
            (_("brief company history"), prof.history),
            (_("ownership type"), prof.ownership_type),
            (_("business start date"), prof.business_start_date),
            (_("number of employees"), prof.employee_count),
        )
        if not value
    ]
    items = [
        ReadinessItem(
            _("Business entity type chosen"),
            bool(checks),
            ", ".join(c.kind.label for c in checks)
            if checks
            else _("Choose at least one entity type."),
            "eligibility:index",
        ),
        ReadinessItem(
            _("Company information complete"),
            not info_missing and prof.pk is not None,
            _("Missing: %(fields)s.") % {"fields": ", ".join(info_missing)}
            if info_missing
            else _("Complete."),
            "eligibility:profile",
        ),
        ReadinessItem(
            _("Headquarters address"),
            any(a.kind == AddressKind.HEADQUARTERS for a in snap.addresses),
            _("The portal asks for the primary (headquarters) address first."),
            "eligibility:address_list",
        ),
        ReadinessItem(
            _("At least two contacts"),
            len(snap.contacts) >= 2,
            _("%(n)s recorded.") % {"n": len(snap.contacts)},
            "eligibility:contact_list",
        ),
        ReadinessItem(
            _("Primary contact is a company officer"),
            bool(primary) and all(c.is_company_officer for c in primary),
            _("%(name)s") % {"name": primary[0].name}
            if primary
            else _("Mark one contact as primary."),
            "eligibility:contact_list",
        ),
    ]
    required_ids = {i for c in checks for i in c.kind.identifiers}
    for needed in sorted(required_ids):
        kinds = tuple(needed.split("|"))
        valid = snap.valid_ids(*kinds)
        items.append(
            ReadinessItem(
                _("Identifier: %(kinds)s")
                % {"kinds": " / ".join(str(_id_label(k)) for k in kinds)},
                bool(valid),
                valid[0].value if valid else _("Missing or not valid."),
                "eligibility:identifier_list",
            )
        )
    for check in checks:
        failing = [
            r for r in check.results if r.status != rules.PASS and r.rule != "partner-agreement"
        ]
        items.append(
            ReadinessItem(
                _("Eligible as %(type)s") % {"type": check.kind.label},
                not failing,
                failing[0].reason if failing else _("Every rule passes."),
                "eligibility:index",
            )
        )
    affirmed = next(
        (a for a in snap.affirmations if a.contact_id in {c.pk for c in officers}), None
    )
    items.append(
        ReadinessItem(
            _("Partner Agreement affirmed by a company officer"),
            affirmed is not None,
            _("Affirmed by %(name)s on %(date)s.")
            % {"name": affirmed.officer_name, "date": date_format(affirmed.created_at.date())}
            if affirmed is not None
            else _("Only a company officer can do this, in person."),
            "eligibility:agreement",
        )
    )
    return items


def _id_label(kind: str) -> str:
    from safelane.eligibility.identifiers import IdentifierKind

    try:
        return str(IdentifierKind(kind).label)
    except ValueError:
        return kind


def _shared_readiness(org: Organisation) -> list[ReadinessItem]:
    """Readiness for the dashboard's tile and its road, worked out once for both."""
    return dashboard.once(("readiness", org.pk), lambda: readiness(org))


def dashboard_tile(org: Organisation, user: User) -> Tile:
    items = _shared_readiness(org)
    missing = [item for item in items if not item.done]
    return Tile(
        title=_("CTPAT Portal application"),
        figure=_("%(done)s of %(total)s ready")
        % {"done": len(items) - len(missing), "total": len(items)},
        detail=(
            _("Next: %(item)s") % {"item": missing[0].title}
            if missing
            else _("Everything the application asks for is here.")
        ),
        url=reverse("eligibility:index", args=[org.slug]) + "#readiness",
        tone="warn" if missing else "ok",
        link_text=_("Application readiness"),
    )


def road_progress(org: Organisation) -> Progress:
    """The road's first step: what the application asks for, and how much of it is here."""
    items = _shared_readiness(org)
    done = sum(1 for item in items if item.done)
    state = DONE if done == len(items) else (IN_PROGRESS if done else NOT_STARTED)
    return Progress(
        url=reverse("eligibility:index", args=[org.slug]) + "#readiness",
        state=state,
        note=_("%(done)s of %(total)s ready") % {"done": done, "total": len(items)},
    )

"""The demo workspace that `make run` loads: a U.S. importer well on its way to applying, and a
consultant's second client, a Mexican manufacturer that has just started."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from safelane.accounts.models import User
from safelane.catalog import services as catalog_services
from safelane.core.audit import audit_source
from safelane.core.models import AuditSource
from safelane.eligibility import services as eligibility_services
from safelane.orgs import services
from safelane.orgs.models import Membership, Organisation, Role

DEMO_PASSWORD = "safelane-demo"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    roles: dict[str, Role]


ACME = "acme-imports"
NORTE = "maquiladora-del-norte"

USERS = [
    DemoUser("olivia@acme.example", "Olivia Ortega", {ACME: Role.OWNER}),
    DemoUser("manuel@acme.example", "Manuel Reyes", {ACME: Role.MANAGER}),
    DemoUser("carla@acme.example", "Carla Nguyen", {ACME: Role.CONTRIBUTOR}),
    DemoUser("victor@auditors.example", "Victor Hale", {ACME: Role.VIEWER}),
    DemoUser(
        "consuelo@borderwise.example",
        "Consuelo Ibarra",
        {ACME: Role.MANAGER, NORTE: Role.OWNER},
    ),
]
STAFF = DemoUser("admin@safelane.example", "Safelane Administrator", {})


def _user(demo: DemoUser) -> User:
    user = User.objects.filter(email=demo.email).first()
    if user is None:
        user = User.objects.create_user(demo.email, DEMO_PASSWORD, full_name=demo.name)
    EmailAddress.objects.update_or_create(
        user=user, email=demo.email, defaults={"verified": True, "primary": True}
    )
    return user


def load_demo() -> list[DemoUser]:
    """Create the demo organisations and people; running it again changes nothing."""
    with audit_source(AuditSource.CLI), transaction.atomic():
        users = {demo.email: _user(demo) for demo in [*USERS, STAFF]}
        User.objects.filter(email=STAFF.email).update(is_staff=True)
        owner = users["olivia@acme.example"]
        consultant = users["consuelo@borderwise.example"]
        if not Organisation.objects.filter(slug=ACME).exists():
            services.create_organisation(
                actor=owner,
                name="Acme Imports, Inc.",
                slug=ACME,
                country="US",
                currency="USD",
                default_language="en",
            )
        if not Organisation.objects.filter(slug=NORTE).exists():
            services.create_organisation(
                actor=consultant,
                name="Maquiladora del Norte S.A. de C.V.",
                slug=NORTE,
                country="MX",
                currency="MXN",
                default_language="es",
            )
        orgs = {org.slug: org for org in Organisation.objects.filter(slug__in=[ACME, NORTE])}
        for demo in USERS:
            for slug, role in demo.roles.items():
                org = orgs[slug]
                if not Membership.objects.for_org(org).filter(user=users[demo.email]).exists():
                    inviter = owner if slug == ACME else consultant
                    services.add_member(org=org, actor=inviter, user=users[demo.email], role=role)
        if not catalog_services.held_entity_types(org=orgs[ACME]):
            _acme_application(orgs[ACME], owner)
        if not catalog_services.held_entity_types(org=orgs[NORTE]):
            _norte_application(orgs[NORTE], consultant)
    return [*USERS, STAFF]


def _acme_application(org: Organisation, owner: User) -> None:
    """Acme has filled most of its application; the officer has not affirmed the agreement."""
    catalog_services.set_entity_types(org=org, actor=owner, chosen={"IMP": "us"})
    eligibility_services.save_profile(
        org=org,
        actor=owner,
        expected_version=None,
        values={
            "dba": "Acme Home Goods",
            "phone": "+1 312 555 0100",
            "website": "https://acme-imports.example",
            "history": "Family-owned importer of housewares from China and Mexico since 1998, "
            "distributing to retailers across the Midwest from Chicago.",
            "ownership_type": "corporation",
            "business_start_date": datetime.date(1998, 3, 2),
            "employee_count": 240,
            "incorporated_in": "US",
            "last_import_date": timezone.localdate() - datetime.timedelta(days=12),
            "no_unpaid_cbp_debt": True,
        },
    )
    for values in (
        {
            "kind": "headquarters",
            "label": "Chicago headquarters",
            "line1": "400 W Lake St",
            "city": "Chicago",
            "region": "IL",
            "postal_code": "60606",
            "country": "US",
            "staffed": True,
        },
        {
            "kind": "cargo-facility",
            "label": "Joliet distribution center",
            "line1": "2100 Channahon Rd",
            "city": "Joliet",
            "region": "IL",
            "postal_code": "60436",
            "country": "US",
            "staffed": True,
        },
    ):
        eligibility_services.save_address(
            org=org, actor=owner, obj=None, values=values, expected_version=None
        )
    for values in (
        {
            "name": "Olivia Ortega",
            "title": "Chief Operating Officer",
            "email": "olivia@acme.example",
            "phone": "+1 312 555 0101",
            "is_company_officer": True,
            "is_primary": True,
            "is_security_lead": True,
            "is_alternate": False,
            "user": owner,
        },
        {
            "name": "Manuel Reyes",
            "title": "Import Compliance Manager",
            "email": "manuel@acme.example",
            "phone": "+1 312 555 0102",
            "is_company_officer": False,
            "is_primary": False,
            "is_security_lead": False,
            "is_alternate": True,
            "user": None,
        },
    ):
        eligibility_services.save_contact(
            org=org, actor=owner, obj=None, values=values, expected_version=None
        )
    eligibility_services.save_identifier(
        org=org,
        actor=owner,
        obj=None,
        values={"kind": "ior-ein", "value": "36-412345600"},
        expected_version=None,
    )
    eligibility_services.save_bond(
        org=org,
        actor=owner,
        obj=None,
        values={
            "kind": "continuous-import",
            "number": "98-7654321",
            "surety": "Great Lakes Surety Co.",
            "effective_date": datetime.date(2024, 1, 1),
        },
        expected_version=None,
    )


def _norte_application(org: Organisation, consultant: User) -> None:
    """Norte has only begun: the eligibility check shows what is still missing, such as the MID."""
    catalog_services.set_entity_types(org=org, actor=consultant, chosen={"FM": ""})
    eligibility_services.save_profile(
        org=org,
        actor=consultant,
        expected_version=None,
        values={"incorporated_in": "MX", "employee_count": 85, "ownership_type": "corporation"},
    )
    eligibility_services.save_identifier(
        org=org,
        actor=consultant,
        obj=None,
        values={"kind": "rfc", "value": "MNO980302AB1"},
        expected_version=None,
    )

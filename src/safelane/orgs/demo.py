"""The demo workspace that `make run` loads: a U.S. importer and a consultant's second client."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from safelane.accounts.models import User
from safelane.core.audit import audit_source
from safelane.core.models import AuditSource
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
        users = {demo.email: _user(demo) for demo in USERS}
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
    return USERS

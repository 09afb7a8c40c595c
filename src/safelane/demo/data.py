"""The demo workspace that `make run` loads: a U.S. importer well on its way to applying, and a
consultant's second client, a Mexican manufacturer that has just started."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from safelane.accounts.models import User
from safelane.actions import services as action_services
from safelane.assessments import selectors as assessment_selectors
from safelane.assessments import services as assessment_services
from safelane.catalog import services as catalog_services
from safelane.core.audit import audit_source
from safelane.core.models import AuditSource
from safelane.eligibility import services as eligibility_services
from safelane.evidence import services as evidence_services
from safelane.inspections import services as inspection_services
from safelane.membership import services as membership_services
from safelane.orgs import services
from safelane.orgs.models import Membership, Organisation, Role
from safelane.partners import selectors as partner_selectors
from safelane.partners import services as partner_services
from safelane.questionnaires import services as questionnaire_services
from safelane.risk import selectors as risk_selectors
from safelane.risk import services as risk_services
from safelane.screening import services as screening_services
from safelane.screening.selectors import RestrictedList
from safelane.training import services as training_services

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

# Old list snapshots that ship with Safelane, for the demo and the tests only.
SNAPSHOTS = Path(__file__).resolve().parents[1] / "screening" / "data" / "snapshots"


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
            _acme_assessments(orgs[ACME], owner)
            _acme_actions(
                orgs[ACME], owner, users["carla@acme.example"], users["manuel@acme.example"]
            )
            _demo_lists()
            facilities = _acme_partners(orgs[ACME], users["manuel@acme.example"])
            _acme_risk(orgs[ACME], owner, facilities)
            # The tiers take the country threat ratings the risk assessment has just given.
            for partner in partner_selectors.partners(orgs[ACME]):
                partner_services.reassess(org=orgs[ACME], actor=owner, partner=partner)
            questionnaire_services.load_demo_questionnaires(
                orgs[ACME], users["manuel@acme.example"]
            )
            training_services.load_demo_training(orgs[ACME], users["manuel@acme.example"])
            inspection_services.load_demo_inspections(
                orgs[ACME], users["manuel@acme.example"], users["carla@acme.example"]
            )
            _acme_documents(orgs[ACME], users["carla@acme.example"])
        membership_services.load_demo_membership(orgs[ACME], owner)
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


ANSWERS = {
    "1.1": (
        "met",
        (
            "Our CEO signed a supply-chain security statement in January; it hangs at the Chicago "
            "reception and the Joliet break room and is on the intranet home page."
        ),
    ),
    "2.1": (
        "partial",
        (
            "We ran CBP's five-step risk assessment for the China ocean lane in 2025; the Mexico "
            "truck lane is not yet assessed."
        ),
    ),
    "3.1": (
        "met",
        (
            "Purchasing screens every new supplier against the Consolidated Screening List and our "
            "partner questionnaire before the first order; high-risk partners are re-screened yearly."
        ),
    ),
    "4.8": (
        "not-met",
        (
            "Warehouse terminals at Joliet still share one login per shift; individual accounts "
            "with multi-factor sign-in are planned for the spring."
        ),
    ),
    "6.2": (
        "met",
        (
            "Joliet seals every outbound container right after loading with ISO 17712 bolt seals; "
            "the shipping supervisor records the number in the seal log and checks it with VVTT."
        ),
    ),
    "6.7": (
        "met",
        (
            "Dock staff apply View, Verify, Tug, Twist and Turn on every seal they apply or receive; "
            "the steps are on a poster at each dock door and in the seal procedure."
        ),
    ),
    "9.2": ("not-applicable", ""),
    "11.5": (
        "met",
        (
            "Every employee and contractor signs the code of conduct at hiring and again each year "
            "during the annual compliance training; HR keeps the signed copies."
        ),
    ),
}
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _acme_documents(org: Organisation, carla: User) -> None:
    """Acme's security manual and its Monterrey HR policy in the library, not yet mapped: the
    demo's person reads them against this year's review (Map your documents)."""
    from safelane.demo import documents

    for title, name, content in [
        ("Supply Chain Security Manual SCS-001", "security-manual.pdf", documents.manual_pdf()),
        (
            "Política de Recursos Humanos \u2013 Planta Monterrey",
            "politica-recursos-humanos.docx",
            documents.hr_policy_docx(),
        ),
    ]:
        evidence_services.create_evidence(
            org=org,
            actor=carla,
            values={"title": title, "owner": carla},
            upload=SimpleUploadedFile(name, content),
        )


def _acme_assessments(org: Organisation, owner: User) -> None:
    """Last year's initial self-assessment, closed, and this year's review started from it."""
    first = assessment_services.start_cycle(
        org=org, actor=owner, kind="initial", title="Initial self-assessment 2025"
    )
    by_ident = {r.criterion_ident: r for r in assessment_selectors.responses(org, first)}
    for ident, (status, narrative) in ANSWERS.items():
        response = by_ident[ident]
        values = {"status": status, "narrative": narrative}
        if status == "not-applicable":
            values["justification"] = (
                "Chicago headquarters is an office floor in a shared tower with no yard or fence of its own."
            )
        assessment_services.update_response(
            org=org, actor=owner, response=response, expected_version=None, values=values
        )
    seal_log = evidence_services.create_evidence(
        org=org,
        actor=owner,
        values={
            "title": "Joliet seal log, 2025",
            "owner": owner,
            "review_date": timezone.localdate() + datetime.timedelta(days=20),
        },
        upload=SimpleUploadedFile(
            "joliet-seal-log-2025.txt",
            b"date,container,seal,supervisor\n2025-03-02,MSCU1234567,H-00918,J. Park\n",
        ),
    )
    policy = evidence_services.create_evidence(
        org=org,
        actor=owner,
        values={"title": "Supply chain security policy", "owner": owner},
        upload=SimpleUploadedFile("security-policy.pdf", MINIMAL_PDF),
    )
    evidence_services.link(org=org, actor=owner, evidence=seal_log, subject=by_ident["6.2"])
    evidence_services.link(org=org, actor=owner, evidence=policy, subject=by_ident["1.1"])
    assessment_services.close_cycle(org=org, actor=owner, cycle=first)
    second = assessment_services.start_cycle(
        org=org, actor=owner, kind="annual", title="Annual review 2026", from_cycle=first
    )
    current = {r.criterion_ident: r for r in assessment_selectors.responses(org, second)}
    assessment_services.update_response(
        org=org,
        actor=owner,
        response=current["2.1"],
        expected_version=None,
        values={
            "status": "met",
            "narrative": "In March 2026 we assessed both lanes with CBP's five-step method: "
            "the China ocean lane and the Mexico truck lane through Laredo; the report is in the library.",
        },
    )


def _acme_actions(org: Organisation, owner: User, carla: User, manuel: User) -> None:
    """Gaps of this year's review turned into actions, with estimates, actuals and a benefit."""
    from decimal import Decimal

    today = timezone.localdate()
    review = next(c for c in assessment_selectors.cycles(org) if c.title == "Annual review 2026")
    answers = {r.criterion_ident: r for r in assessment_selectors.responses(org, review)}
    it_rate = action_services.save_rate(
        org=org,
        actor=owner,
        obj=None,
        expected_version=None,
        values={"role": "IT administrator", "hourly_rate": Decimal("62.50")},
    )
    mfa = action_services.create_action(
        org=org,
        notify=False,
        actor=owner,
        values={
            "title": "Individual logins with MFA for Joliet warehouse terminals",
            "kind": "it",
            "priority": "high",
            "owner": carla,
            "due_date": today + datetime.timedelta(days=10),
            "origin": answers["4.8"],
            "criteria": ["4.8"],
            "verification_required": answers["4.8"].must_should == "must",
            "source": "gap",
            "description": "Replace shift logins with named accounts and an authenticator app.",
        },
    )
    for values in (
        {
            "category": "labour",
            "kind": "estimate",
            "hours": Decimal("40"),
            "rate": it_rate,
            "date": today,
        },
        {
            "category": "technology",
            "kind": "estimate",
            "amount": Decimal("6000"),
            "date": today,
            "description": "MFA licences",
        },
        {
            "category": "technology",
            "kind": "actual",
            "amount": Decimal("2500"),
            "date": today,
            "description": "First licence batch",
        },
    ):
        action_services.add_cost(org=org, actor=owner, action=mfa, values=values)
    cameras = action_services.create_action(
        org=org,
        notify=False,
        actor=owner,
        values={
            "title": "Cameras covering dock doors 1-6 at Joliet",
            "kind": "physical",
            "priority": "medium",
            "owner": manuel,
            "due_date": today - datetime.timedelta(days=3),
            "criteria": ["9.13"],
            "source": "risk",
        },
    )
    action_services.add_cost(
        org=org,
        actor=owner,
        action=cameras,
        values={
            "category": "technology",
            "kind": "estimate",
            "amount": Decimal("12000"),
            "date": today,
        },
    )
    action_services.create_action(
        org=org,
        notify=False,
        actor=owner,
        values={
            "title": "Quarterly review of system access",
            "kind": "monitoring",
            "priority": "medium",
            "owner": carla,
            "due_date": today + datetime.timedelta(days=40),
            "recurrence": "quarterly",
            "criteria": ["4.7"],
        },
    )
    audit = action_services.create_action(
        org=org,
        notify=False,
        actor=owner,
        values={
            "title": "Yearly review of the security profile by our consultant",
            "kind": "procedure",
            "priority": "low",
            "owner": manuel,
            "due_date": today + datetime.timedelta(days=120),
        },
    )
    action_services.add_cost(
        org=org,
        actor=owner,
        action=audit,
        values={
            "category": "ongoing",
            "kind": "estimate",
            "amount": Decimal("4000"),
            "date": today,
        },
    )
    for before, value in ((True, Decimal("14")), (False, Decimal("4"))):
        year = today.year - (2 if before else 1)
        action_services.save_benefit(
            org=org,
            actor=owner,
            obj=None,
            expected_version=None,
            values={
                "metric": "exams",
                "before_certification": before,
                "value": value,
                "period_start": datetime.date(year, 1, 1),
                "period_end": datetime.date(year, 12, 31),
            },
        )


def _acme_risk(org: Organisation, owner: User, facilities: dict[str, Any]) -> None:
    """Last year's documented risk assessment: China to Chicago by ocean and rail, Mexico to
    Joliet by truck through Laredo; the supplier, the plant and the cross-dock are partners'
    facilities."""
    year = timezone.localdate().year - 1
    assessment = risk_services.start_assessment(
        org=org, actor=owner, title=f"Risk assessment {year}", year=year
    )
    points = {}
    for key, values in {
        "shenzhen": {
            "name": "Shenzhen Homeware Co.",
            "kind": "supplier",
            "operator": "Shenzhen Homeware Co.",
            "city": "Shenzhen",
            "country": "CN",
        },
        "yantian": {
            "name": "Yantian terminal",
            "kind": "port",
            "operator": "Yantian International",
            "city": "Shenzhen",
            "country": "CN",
        },
        "la": {
            "name": "Port of Los Angeles",
            "kind": "port",
            "operator": "Pier 400 terminal",
            "city": "Los Angeles",
            "country": "US",
        },
        "monterrey": {
            "name": "Monterrey plant",
            "kind": "supplier",
            "operator": "Maquiladora del Norte",
            "city": "Monterrey",
            "country": "MX",
        },
        "laredo": {
            "name": "Laredo cross-dock",
            "kind": "warehouse",
            "operator": "Border 3PL Inc.",
            "city": "Laredo",
            "country": "US",
        },
        "joliet": {
            "name": "Joliet distribution center",
            "kind": "own",
            "operator": "",
            "city": "Joliet",
            "country": "US",
        },
    }.items():
        points[key] = risk_services.add_node(
            org=org,
            actor=owner,
            assessment=assessment,
            values={**values, "facility": facilities.get(key)},
        )
    for flow, origin, destination, mode, custody, rests in (
        (
            "China to Chicago",
            "shenzhen",
            "yantian",
            "truck",
            "Supplier's drayage",
            "Supplier dock, 1 night",
        ),
        ("China to Chicago", "yantian", "la", "ocean", "Ocean carrier", "Container yard, 2-4 days"),
        ("China to Chicago", "la", "joliet", "rail", "Rail carrier", "Rail ramp, 1 day"),
        (
            "Mexico to Chicago",
            "monterrey",
            "laredo",
            "truck",
            "Mexican carrier (CTPAT)",
            "Laredo cross-dock, overnight",
        ),
        ("Mexico to Chicago", "laredo", "joliet", "truck", "U.S. carrier", ""),
    ):
        leg = risk_services.add_leg(
            org=org,
            actor=owner,
            assessment=assessment,
            values={
                "flow": flow,
                "origin": points[origin],
                "destination": points[destination],
                "mode": mode,
                "custodian": custody,
                "rests": rests,
                "documents": "ISF and entry filed by our broker",
            },
        )
        if (origin, destination) == ("monterrey", "laredo"):
            border_leg = leg
    levels = {}
    for country, ratings in {
        "CN": (1, 2, 1, 2, 2, 2, 3),
        "MX": (1, 3, 3, 3, 2, 1, 2),
        "US": (1, 1, 1, 1, 1, 1, 2),
    }.items():
        for threat, level in zip(
            [
                "terrorism",
                "contraband",
                "human-smuggling",
                "organised-crime",
                "conditions",
                "agricultural",
                "cyber",
            ],
            ratings,
            strict=True,
        ):
            levels[(country, threat)] = risk_services.Rated(level)
    risk_services.save_threat_grid(
        org=org,
        actor=owner,
        assessment=assessment,
        countries=levels,
        sources={
            "CN": "U.S. State Department travel advisory; CBP seizure statistics",
            "MX": "U.S. State Department travel advisory; OSAC crime report",
            "US": "DHS National Terrorism Advisory System",
        },
        # The last miles to the border crossing are known for cargo theft and load tampering.
        legs={
            (border_leg.pk, "organised-crime"): risk_services.Rated(3),
            (border_leg.pk, "contraband"): risk_services.Rated(3),
        },
    )
    node_list = risk_selectors.nodes(org, assessment)
    risk_services.refresh_vulnerabilities(
        org=org, assessment=assessment, suggestions=risk_selectors.suggested_levels(org, node_list)
    )
    risk_services.finalise(
        org=org,
        actor=owner,
        assessment=assessment,
        values={
            "participants": "Olivia Ortega (COO), Manuel Reyes (import compliance), Consuelo Ibarra (consultant)",
            "method_note": "Workshop of two half-days; ratings agreed by the three participants.",
            # Documented a year ago, so this year's is due within the month.
            "next_due": timezone.localdate() + datetime.timedelta(days=25),
        },
    )


def _demo_lists() -> None:
    """The bundled, dated list snapshots, so that the demo's partners are screened; a real
    installation loads the agencies' current files (`safelane lists load`)."""
    for list_name, path in (
        (RestrictedList.OFAC_SDN, SNAPSHOTS),
        (RestrictedList.DPL, SNAPSHOTS / "dpl.txt"),
        (RestrictedList.CSL, SNAPSHOTS / "csl-sample.csv"),
    ):
        # Not announced: the demo's partners come next and are screened as they are added.
        screening_services.load_files(
            actor=None,
            list_name=list_name,
            path=path,
            label="Bundled sample (demo only)",
            announce=False,
        )


def _acme_partners(org: Organisation, manager: User) -> dict[str, Any]:
    """Acme's partners from the risk map, plus a Dubai forwarder whose name is on the Denied
    Persons List, so that the screening queue has a hit to decide. Returns the facilities that
    are points of the risk map, by the map's keys."""
    today = timezone.localdate()
    on_map = {
        "Bao'an plant": "shenzhen",
        "Planta Monterrey": "monterrey",
        "Laredo cross-dock": "laredo",
    }
    facilities = {}
    for values, facility, contact in (
        (
            {
                "name": "Shenzhen Homeware Co., Ltd.",
                "kind": "supplier",
                "countries": ["CN"],
                "services": "Kitchenware, stuffed and sealed at its plant",
                "ctpat_status": "not-eligible",
            },
            ("Bao'an plant", "Shenzhen", "CN", "Manufacturing and container stuffing"),
            ("Li Wei", "li.wei@shenzhen-homeware.example", "en"),
        ),
        (
            {
                "name": "Maquiladora del Norte S.A. de C.V.",
                "kind": "supplier",
                "countries": ["MX"],
                "services": "Assembled furniture",
                "ctpat_status": "certified",
                "ctpat_account": "MX-DEMO-0042",
                "ctpat_tier": "",
                "status_verified_on": today - datetime.timedelta(days=40),
            },
            ("Planta Monterrey", "Monterrey", "MX", "Assembly and trailer loading"),
            ("Rosa Garza", "rosa.garza@norte.example", "es"),
        ),
        (
            {
                "name": "Border 3PL Inc.",
                "kind": "3pl",
                "countries": ["US"],
                "services": "Cross-dock in Laredo",
                "ctpat_status": "validated",
                "ctpat_tier": "2",
                "status_verified_on": today - datetime.timedelta(days=300),
            },
            ("Laredo cross-dock", "Laredo", "US", "Cross-docking, overnight storage"),
            None,
        ),
        (
            {
                "name": "Transportes Rápidos del Bajío",
                "kind": "highway_carrier",
                "countries": ["MX"],
                "services": "Monterrey to Laredo",
            },
            None,
            ("Jorge Treviño", "jorge@trb.example", "es"),
        ),
        (
            {"name": "Pacific Brokerage LLC", "kind": "customs_broker", "countries": ["US"]},
            None,
            None,
        ),
        (
            {
                "name": "Bahar Safwa General Trading",
                "kind": "consolidator",
                "countries": ["AE"],
                "services": "Offered to consolidate Gulf shipments",
            },
            None,
            None,
        ),
    ):
        partner = partner_services.create_partner(org=org, actor=manager, values=values)
        if facility is not None:
            name, city, country, activity = facility
            made = partner_services.add_facility(
                org=org,
                actor=manager,
                partner=partner,
                values={"name": name, "city": city, "country": country, "activity": activity},
            )
            facilities[on_map[name]] = made
        if contact is not None:
            name, email, language = contact
            partner_services.add_contact(
                org=org,
                actor=manager,
                partner=partner,
                values={"name": name, "email": email, "language": language},
            )
    return facilities

"""Eligibility rules per entity type (program facts §1). Which rules apply to which type is data
(catalog/data/entity-types.yaml); each rule here reads a snapshot of the company profile and says
pass, fail or needs information, and why."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safelane.eligibility.identifiers import IdentifierError, IdentifierKind, normalise
from safelane.eligibility.models import (
    Address,
    AgreementAffirmation,
    Bond,
    BondKind,
    CompanyProfile,
    Contact,
    Identifier,
)

PASS, FAIL, INFO = "pass", "fail", "info"
ACTIVE_WINDOW = datetime.timedelta(days=365)


@dataclass
class Snapshot:
    """Everything the rules read, loaded once (a fixed number of queries)."""

    country: str
    profile: CompanyProfile
    addresses: list[Address]
    contacts: list[Contact]
    identifiers: list[Identifier]
    bonds: list[Bond]
    affirmations: list[AgreementAffirmation]
    subtype: str = ""
    today: datetime.date = field(default_factory=lambda: timezone.localdate())

    def valid_ids(self, *kinds: str) -> list[Identifier]:
        found = []
        for ident in self.identifiers:
            if ident.kind in kinds:
                try:
                    normalise(ident.kind, ident.value)
                except IdentifierError:
                    continue
                found.append(ident)
        return found

    def invalid_ids(self, *kinds: str) -> list[tuple[Identifier, str]]:
        bad = []
        for ident in self.identifiers:
            if ident.kind in kinds:
                try:
                    normalise(ident.kind, ident.value)
                except IdentifierError as exc:
                    bad.append((ident, str(exc)))
        return bad

    def staffed_in(self, *countries: str) -> list[Address]:
        return [a for a in self.addresses if a.staffed and str(a.country) in countries]

    @property
    def is_mexican(self) -> bool:
        return self.country == "MX" or str(self.profile.incorporated_in) == "MX"


@dataclass(frozen=True)
class Result:
    rule: str
    title: str | Promise
    status: str
    reason: str | Promise


Check = Callable[[Snapshot], tuple[str, str | Promise]]
RULES: dict[str, tuple[str | Promise, Check]] = {}


def rule(name: str, title: str | Promise) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES[name] = (title, check)
        return check

    return register


def _recent(
    snapshot: Snapshot, date: datetime.date | None, what: str | Promise
) -> tuple[str, str | Promise]:
    if date is None:
        return INFO, _("Enter the date of your last %(what)s in the company profile.") % {
            "what": what
        }
    if date > snapshot.today:
        return FAIL, _("The date of your last %(what)s is in the future.") % {"what": what}
    if snapshot.today - date <= ACTIVE_WINDOW:
        return PASS, _("Last %(what)s on %(date)s, within the past 12 months.") % {
            "what": what,
            "date": date_format(date),
        }
    return FAIL, _(
        "Last %(what)s on %(date)s, more than 12 months ago: CBP requires activity within the past year."
    ) % {"what": what, "date": date_format(date)}


def _id_rule(
    snapshot: Snapshot, kinds: tuple[str, ...], name: str | Promise
) -> tuple[str, str | Promise]:
    valid = snapshot.valid_ids(*kinds)
    if valid:
        return PASS, _("%(name)s %(value)s is valid.") % {"name": name, "value": valid[0].value}
    invalid = snapshot.invalid_ids(*kinds)
    if invalid:
        ident, message = invalid[0]
        return FAIL, _("%(name)s %(value)s is not valid: %(why)s") % {
            "name": name,
            "value": ident.value,
            "why": message,
        }
    return INFO, _("Add your %(name)s under Identifiers.") % {"name": name}


def _office(
    snapshot: Snapshot, countries: tuple[str, ...], where: str | Promise
) -> tuple[str, str | Promise]:
    staffed = snapshot.staffed_in(*countries)
    if staffed:
        return PASS, _("Staffed office: %(address)s.") % {"address": staffed[0]}
    if snapshot.addresses:
        return FAIL, _("None of your addresses is a staffed office in %(where)s.") % {
            "where": where
        }
    return INFO, _("Add your addresses and mark the staffed offices.")


def _bond(
    snapshot: Snapshot, kinds: tuple[str, ...], name: str | Promise
) -> tuple[str, str | Promise]:
    bonds = [b for b in snapshot.bonds if b.kind in kinds]
    if bonds:
        return PASS, _("%(bond)s recorded.") % {"bond": bonds[0]}
    return INFO, _("Record your %(name)s under Bonds.") % {"name": name}


def _yes(
    value: bool | None, yes: str | Promise, no: str | Promise, ask: str | Promise
) -> tuple[str, str | Promise]:
    if value is None:
        return INFO, ask
    return (PASS, yes) if value else (FAIL, no)


@rule("active-importer", _("Active importer within the past 12 months"))
def active_importer(s: Snapshot) -> tuple[str, str | Promise]:
    return _recent(s, s.profile.last_import_date, _("import into the U.S."))


@rule("active-exporter", _("Active exporter out of the U.S."))
def active_exporter(s: Snapshot) -> tuple[str, str | Promise]:
    return _recent(s, s.profile.last_export_date, _("export from the U.S."))


for _name, _title, _what in (
    ("border-crossing-carrier", _("Active border-crossing highway carrier"), _("border crossing")),
    (
        "mexican-long-haul",
        _("Active long-haul carrier in Mexico moving U.S.-bound cargo"),
        _("U.S.-bound move"),
    ),
    (
        "active-consolidator",
        _("Active consolidator, OTI or NVOCC"),
        _("international shipment handled"),
    ),
    (
        "active-broker",
        _("Active licensed customs broker within the past year"),
        _("customs business"),
    ),
    (
        "active-port-operator",
        _("Active port or terminal operator handling international vessels"),
        _("international vessel handled"),
    ),
):

    def _activity(s: Snapshot, what: str | Promise = _what) -> tuple[str, str | Promise]:
        return _recent(s, s.profile.last_border_crossing_date, what)

    RULES[_name] = (_title, _activity)


@rule("office-us-ca", _("Staffed business office in the U.S. or Canada"))
def office_us_ca(s: Snapshot) -> tuple[str, str | Promise]:
    return _office(s, ("US", "CA"), _("the U.S. or Canada"))


@rule("office-us", _("Staffed business office in the U.S."))
def office_us(s: Snapshot) -> tuple[str, str | Promise]:
    return _office(s, ("US",), _("the U.S."))


@rule("office-us-mx-ca", _("Staffed business office in the U.S., Mexico or Canada"))
def office_us_mx_ca(s: Snapshot) -> tuple[str, str | Promise]:
    return _office(s, ("US", "MX", "CA"), _("the U.S., Mexico or Canada"))


@rule("office-us-or-invited", _("Staffed office in the U.S., or an invitation from CBP"))
def office_us_or_invited(s: Snapshot) -> tuple[str, str | Promise]:
    if s.subtype == "foreign":
        return _yes(
            s.profile.cbp_invitation or None,
            _("CBP invited the company to apply."),
            "",
            _(
                "Foreign port operators join only by CBP invitation: record it in the company profile."
            ),
        )
    return _office(s, ("US",), _("the U.S."))


@rule("ior-number", _("Active Importer of Record (IOR) number"))
def ior_number(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(
        s, (IdentifierKind.IOR_EIN, IdentifierKind.IOR_SSN, IdentifierKind.IOR_CBP), _("IOR number")
    )


@rule("ein-or-duns", _("EIN or DUNS number"))
def ein_or_duns(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(s, (IdentifierKind.EIN, IdentifierKind.DUNS), _("EIN or DUNS number"))


@rule("mid-number", _("Manufacturer Identification Code (MID)"))
def mid_number(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(s, (IdentifierKind.MID,), _("MID"))


@rule("scac-code", _("Active SCAC"))
def scac_code(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(s, (IdentifierKind.SCAC,), _("SCAC"))


@rule("usdot-number", _("U.S. DOT number"))
def usdot_number(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(s, (IdentifierKind.USDOT,), _("U.S. DOT number"))


@rule("sct-number", _("SCT permit number"))
def sct_number(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(s, (IdentifierKind.SCT,), _("SCT permit number"))


@rule("iata-code", _("IATA airline code"))
def iata_code(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(s, (IdentifierKind.IATA,), _("IATA code"))


@rule("fmc-or-iata-number", _("FMC or IATA organisation number, if you hold one"))
def fmc_or_iata(s: Snapshot) -> tuple[str, str | Promise]:
    status, reason = _id_rule(
        s, (IdentifierKind.FMC_ORG, IdentifierKind.IATA_ORG), _("FMC or IATA organisation number")
    )
    if status == INFO:
        return INFO, _(
            "Add your FMC or IATA organisation number if you have one; CBP asks for it where applicable."
        )
    return status, reason


@rule("broker-license-or-filer-code", _("Customs broker licence or filer code"))
def broker_license(s: Snapshot) -> tuple[str, str | Promise]:
    return _id_rule(
        s,
        (IdentifierKind.BROKER_LICENSE, IdentifierKind.FILER_CODE),
        _("broker licence number or filer code"),
    )


@rule("fmc-mto-number", _("FMC marine terminal operator number"))
def fmc_mto(s: Snapshot) -> tuple[str, str | Promise]:
    if s.subtype == "foreign":
        return PASS, _("Not required of foreign-based operators.")
    return _id_rule(s, (IdentifierKind.FMC_MTO,), _("FMC MTO number"))


@rule("continuous-import-bond", _("Continuous import bond registered with CBP"))
def continuous_import_bond(s: Snapshot) -> tuple[str, str | Promise]:
    return _bond(s, (BondKind.CONTINUOUS_IMPORT,), _("continuous import bond"))


@rule("continuous-carrier-bond", _("Continuous international carrier bond"))
def continuous_carrier_bond(s: Snapshot) -> tuple[str, str | Promise]:
    return _bond(s, (BondKind.INTERNATIONAL_CARRIER,), _("continuous international carrier bond"))


@rule("carrier-or-custodial-bond", _("International carrier bond or type 2 custodial bond"))
def carrier_or_custodial_bond(s: Snapshot) -> tuple[str, str | Promise]:
    return _bond(
        s,
        (BondKind.INTERNATIONAL_CARRIER, BondKind.CUSTODIAL, BondKind.IBEC),
        _("carrier or custodial bond"),
    )


@rule(
    "manufacturer-mx-ca-or-invited",
    _("Manufacturer incorporated in Mexico or Canada, or invited by CBP"),
)
def manufacturer_location(s: Snapshot) -> tuple[str, str | Promise]:
    incorporated = str(s.profile.incorporated_in) or s.country
    if incorporated in {"MX", "CA"}:
        return PASS, _("Incorporated in %(country)s.") % {"country": incorporated}
    if s.profile.cbp_invitation:
        return PASS, _("Outside Mexico and Canada, with an invitation from CBP.")
    return FAIL, _(
        "Foreign manufacturers outside Mexico and Canada may join only by CBP invitation."
    )


@rule("mexican-documents", _("Mexican companies: RFC and Acta Constitutiva"))
def mexican_documents(s: Snapshot) -> tuple[str, str | Promise]:
    if not s.is_mexican:
        return PASS, _("Not a Mexican company.")
    status, reason = _id_rule(s, (IdentifierKind.RFC,), _("RFC"))
    if status != PASS:
        return status, reason
    if not s.profile.acta_constitutiva_on_file:
        return INFO, _("Keep the Acta Constitutiva on file and mark it in the company profile.")
    return PASS, _("RFC valid and Acta Constitutiva on file.")


@rule("company-officer", _("A company officer is the primary cargo security officer"))
def company_officer(s: Snapshot) -> tuple[str, str | Promise]:
    leads = [c for c in s.contacts if c.is_security_lead]
    if not leads:
        return INFO, _(
            "Mark the contact who leads CTPAT security as primary cargo security officer."
        )
    officers = [c for c in leads if c.is_company_officer]
    if not officers:
        return FAIL, _("%(name)s leads security but is not marked as a company officer.") % {
            "name": leads[0].name
        }
    return PASS, _("%(name)s, a company officer, leads CTPAT security.") % {
        "name": officers[0].name
    }


@rule("alternate-contact", _("An alternate point of contact"))
def alternate_contact(s: Snapshot) -> tuple[str, str | Promise]:
    alternates = [c for c in s.contacts if c.is_alternate]
    if alternates:
        return PASS, _("%(name)s is the alternate contact.") % {"name": alternates[0].name}
    return INFO, _("Mark an alternate point of contact among your contacts.")


@rule("partner-agreement", _("Partner Agreement accepted by a company officer"))
def partner_agreement(s: Snapshot) -> tuple[str, str | Promise]:
    officer_ids = {c.pk for c in s.contacts if c.is_company_officer}
    valid = [a for a in s.affirmations if a.contact_id in officer_ids]
    if valid:
        return PASS, _("Affirmed by %(name)s on %(date)s.") % {
            "name": valid[0].officer_name,
            "date": date_format(timezone.localdate(valid[0].created_at)),
        }
    return INFO, _(
        "A company officer must affirm the Partner Agreement personally (a consultant cannot)."
    )


@rule("no-cbp-debt", _("No unpaid final debt to CBP"))
def no_cbp_debt(s: Snapshot) -> tuple[str, str | Promise]:
    return _yes(
        s.profile.no_unpaid_cbp_debt,
        _("Declared: no unpaid final debt to CBP."),
        _("An unpaid final CBP debt makes the company ineligible until it is paid."),
        _("Declare in the company profile whether the company has unpaid final CBP debt."),
    )


@rule("export-security-program", _("Documented export security program"))
def export_security_program(s: Snapshot) -> tuple[str, str | Promise]:
    if s.profile.export_security_program:
        return PASS, _("The company has a documented export security program.")
    return INFO, _("Document your export security program and mark it in the company profile.")


@rule("export-compliance", _("Acceptable export-reporting compliance in the last 12 months"))
def export_compliance(s: Snapshot) -> tuple[str, str | Promise]:
    return _yes(
        s.profile.export_compliance_ok,
        _("Declared: acceptable export-reporting compliance."),
        _(
            "CBP requires an acceptable level of export-reporting compliance for the last 12 months."
        ),
        _("Declare your export-reporting compliance in the company profile."),
    )


@rule("asset-based-3pl", _("Handles cargo with its own assets"))
def asset_based(s: Snapshot) -> tuple[str, str | Promise]:
    return _yes(
        s.profile.asset_based,
        _("Declared: the company handles cargo with its own assets."),
        _("Non-asset-based 3PLs are not eligible (outside CBP's pilot)."),
        _("Declare in the company profile whether you handle cargo with your own assets."),
    )


@rule("licensed-or-bonded", _("Licensed or bonded by FMC, TSA, CBP or DOT"))
def licensed_or_bonded(s: Snapshot) -> tuple[str, str | Promise]:
    return _yes(
        s.profile.licensed_or_bonded,
        _("Declared: licensed or bonded by FMC, TSA, CBP or DOT."),
        _("3PLs must be licensed or bonded by FMC, TSA, CBP or DOT."),
        _("Declare your licences or bonds in the company profile."),
    )


@rule("rules-unconfirmed", _("Current eligibility rules confirmed with CBP"))
def rules_unconfirmed(s: Snapshot) -> tuple[str, str | Promise]:
    return INFO, _(
        "Safelane has no confirmed current eligibility rules for this entity type; check CBP's page or ask your Supply Chain Security Specialist."
    )


def evaluate(rule_names: tuple[str, ...], snapshot: Snapshot) -> list[Result]:
    results = []
    for name in rule_names:
        title, check = RULES[name]
        status, reason = check(snapshot)
        results.append(Result(name, title, status, reason))
    return results

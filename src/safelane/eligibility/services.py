"""Writes to the company profile, its addresses, contacts, identifiers and bonds, and the
officer's Partner Agreement affirmation."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.core.errors import DomainError, NotAllowedError
from safelane.core.records import create_record, delete_record, lock, update_record
from safelane.eligibility import selectors
from safelane.eligibility.identifiers import IdentifierError, normalise
from safelane.eligibility.models import (
    Address,
    AgreementAffirmation,
    Bond,
    CompanyProfile,
    Contact,
    Identifier,
)
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


APPLICATION_ROLE = gettext_lazy("Only managers and owners change the application.")


def save_profile(
    *, org: Organisation, actor: User, values: dict[str, Any], expected_version: int | None
) -> CompanyProfile:
    require_role(org, actor, Role.MANAGER, APPLICATION_ROLE)
    with transaction.atomic():
        lock(org)  # two first saves at once make one profile, not two
        existing = CompanyProfile.objects.for_org(org).first()
        if existing is None:
            return create_record(
                org=org, actor=actor, obj=CompanyProfile(organisation=org, **values)
            )
    return update_record(
        org=org, actor=actor, obj=existing, expected_version=expected_version, values=values
    )


def _save(
    model: type[Model],
    *,
    org: Organisation,
    actor: User,
    obj: Any,
    values: dict[str, Any],
    expected_version: int | None,
) -> Any:
    require_role(org, actor, Role.MANAGER, APPLICATION_ROLE)
    if obj is None:
        return create_record(org=org, actor=actor, obj=model(organisation=org, **values))
    return update_record(
        org=org, actor=actor, obj=obj, expected_version=expected_version, values=values
    )


def save_address(**kwargs: Any) -> Address:
    return _save(Address, **kwargs)


def save_bond(**kwargs: Any) -> Bond:
    return _save(Bond, **kwargs)


def save_contact(
    *, org: Organisation, values: dict[str, Any], obj: Contact | None, **kwargs: Any
) -> Contact:
    if values.get("is_primary") and not values.get("is_company_officer"):
        raise DomainError(
            _("CBP requires the primary point of contact to be a company officer."),
            field="is_primary",
        )
    if values.get("is_security_lead") and not values.get("is_company_officer"):
        raise DomainError(
            _("The primary cargo security officer must be a company officer."),
            field="is_security_lead",
        )
    clash = Contact.objects.for_org(org).filter(email__iexact=values["email"])
    if obj is not None:
        clash = clash.exclude(pk=obj.pk)
    if clash.exists():
        raise DomainError(_("Another contact already uses this e-mail address."), field="email")
    user = values.get("user")
    if user is not None and not user.memberships.filter(organisation=org).exists():
        raise DomainError(
            _("Link only accounts that are members of this organisation."), field="user"
        )
    values = {**values, **_officer_naming(org, kwargs["actor"], obj, values)}
    with transaction.atomic():
        if values.get("is_primary"):
            others = Contact.objects.for_org(org).filter(is_primary=True)
            for other in others.exclude(pk=obj.pk) if obj is not None else others:
                update_record(
                    org=org,
                    actor=kwargs["actor"],
                    obj=other,
                    expected_version=None,
                    values={"is_primary": False},
                )
        return _save(Contact, org=org, values=values, obj=obj, **kwargs)


def _officer_naming(
    org: Organisation, actor: User, contact: Contact | None, values: dict[str, Any]
) -> dict[str, Any]:
    """Naming a company officer, or linking an officer to an account, is an owner's act (the
    officer may then affirm the Partner Agreement for the company): refused to anyone else,
    recorded with who and when otherwise. Managers edit officers' other details freely."""
    was_officer = contact is not None and contact.is_company_officer
    officer = bool(values.get("is_company_officer"))
    relinked = (
        officer
        and contact is not None
        and contact.user_id != getattr(values.get("user"), "pk", None)
    )
    unconfirmed = officer and contact is not None and contact.officer_named_by_id is None
    if officer == was_officer and not relinked and not unconfirmed:
        return {}
    membership = require_role(org, actor, Role.VIEWER)
    if not membership.role_enum.allows(Role.OWNER):
        raise NotAllowedError(
            _("Only an owner names a company officer or links one to an account."),
            field="is_company_officer",
        )
    if not officer:
        return {"officer_named_by": None, "officer_named_at": None}
    return {"officer_named_by": actor, "officer_named_at": timezone.now()}


def save_identifier(
    *, org: Organisation, values: dict[str, Any], obj: Identifier | None, **kwargs: Any
) -> Identifier:
    try:
        values = {**values, "value": normalise(values["kind"], values["value"])}
    except IdentifierError as exc:
        raise DomainError(str(exc), field="value") from None
    clash = Identifier.objects.for_org(org).filter(kind=values["kind"], value=values["value"])
    if obj is not None:
        clash = clash.exclude(pk=obj.pk)
    if clash.exists():
        raise DomainError(_("This identifier is already recorded."), field="value")
    return _save(Identifier, org=org, values=values, obj=obj, **kwargs)


def delete(*, org: Organisation, actor: User, obj: Model) -> None:
    require_role(org, actor, Role.MANAGER, APPLICATION_ROLE)
    if (
        isinstance(obj, Contact)
        and AgreementAffirmation.objects.for_org(org).filter(contact=obj).exists()
    ):
        raise DomainError(
            _(
                "This contact affirmed the Partner Agreement; the record must stay. Remove their officer role instead."
            )
        )
    delete_record(org=org, actor=actor, obj=obj)


PARTNER_AGREEMENT_SUMMARY = (
    "I, a company officer of {org}, have read CBP's 'CTPAT-Partner Agreement to Voluntarily "
    "Participate' and accept it for the company myself: the company will keep a supply chain "
    "security profile that meets the Minimum Security Criteria for its entity type, update it "
    "every year, and tell CBP promptly of security incidents and changes. I understand that a "
    "consultant may not accept this agreement for the company."
)


# A reading copy for Spanish readers. The English statement above is the one affirmed and
# fingerprinted; this one is never recorded.
PARTNER_AGREEMENT_READING_COPY_ES = (
    "Yo, directivo de {org}, he leído el «CTPAT-Partner Agreement to Voluntarily Participate» "
    "de CBP y lo acepto personalmente en nombre de la empresa: la empresa mantendrá un perfil "
    "de seguridad de la cadena de suministro que cumpla los Criterios Mínimos de Seguridad de "
    "su tipo de entidad, lo actualizará cada año e informará a CBP sin demora de los incidentes "
    "de seguridad y de los cambios. Entiendo que un consultor no puede aceptar este acuerdo en "
    "nombre de la empresa."
)


def agreement_statement(org: Organisation) -> str:
    return PARTNER_AGREEMENT_SUMMARY.format(org=org.name)


def agreement_reading_copy(org: Organisation, language: str) -> str:
    """The statement in the reader's language, for reading only ("" when it is English)."""
    if language.startswith("es"):
        return PARTNER_AGREEMENT_READING_COPY_ES.format(org=org.name)
    return ""


def affirm_agreement(
    *, org: Organisation, actor: User, ip_address: str | None, user_agent: str
) -> AgreementAffirmation:
    """Record the officer's own affirmation. Only a user linked to an officer contact may."""
    membership = require_role(org, actor, Role.VIEWER)
    contact = selectors.affirming_contact(org, actor)
    if contact is None:
        raise DomainError(
            _(
                "Only a company officer whom an owner has named among the contacts, and linked to their own account, can affirm the Partner Agreement."
            )
        )
    done = selectors.own_affirmation(org, actor, agreement_statement(org))
    if done is not None:
        raise DomainError(
            _("You affirmed this agreement on %(date)s; it stays on record.")
            % {"date": date_format(timezone.localdate(done.created_at))}
        )
    statement = agreement_statement(org)
    return create_record(
        org=org,
        actor=actor,
        obj=AgreementAffirmation(
            organisation=org,
            contact=contact,
            user=actor,
            officer_name=contact.name,
            officer_title=contact.title,
            member_role=membership.role,
            officer_named_by=contact.officer_named_by,
            statement=statement,
            statement_sha256=hashlib.sha256(statement.encode()).hexdigest(),
            ip_address=ip_address,
            user_agent=user_agent[:300],
        ),
    )

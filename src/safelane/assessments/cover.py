"""The company's own data at the front of its security profile (legal name, entity types,
identifiers, addresses, CTPAT contacts) and its officer for the sign-off page. The application
data lives in a higher app (eligibility), which registers how to read it here
(`assessments.services.register_company_facts`), so this app names none of it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


@dataclass(frozen=True)
class FactSection:
    title: str
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Officer:
    """Who signs the profile for the company, and their affirmation of the Partner Agreement
    (None until they have made it)."""

    name: str
    title: str
    affirmed_on: datetime.date | None = None
    record: str = ""  # how the affirmation is kept: by whom, statement fingerprint


@dataclass(frozen=True)
class CompanyFacts:
    sections: list[FactSection] = field(default_factory=list)
    officer: Officer | None = None


Provider = Callable[["Organisation"], CompanyFacts]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def company_facts(org: Organisation) -> CompanyFacts:
    """The registered application data, or nothing (the profile says it is missing)."""
    for provider in _PROVIDERS:
        return provider(org)
    return CompanyFacts()

"""Partners screened against the restricted-party lists, and what is remembered of each hit.

A hit is one list entry matching one partner (under its legal name or another name). Its
decision (cleared, confirmed) stays when the partner is screened again, as long as the list
entry (its fingerprint) and the partner's name that matched are the same; a change to either
reopens it, saying why. Every hit written is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.core.records import create_record, update_record
from safelane.partners.models import (
    HitStatus,
    Partner,
    PartnerName,
    ScreeningHit,
    ScreeningState,
)
from safelane.screening import services as lists

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def candidates(org: Organisation, partners: Sequence[Partner]) -> list[lists.Candidate]:
    """Each partner as the screening engine sees it: its names, its one country if it has one,
    and "entity" (partners are companies)."""
    others: dict[int, list[str]] = {}
    for row in PartnerName.objects.for_org(org).filter(partner__in=[p.pk for p in partners]):
        others.setdefault(row.partner_id, []).append(row.name)
    found = []
    for partner in partners:
        codes = [c.code for c in partner.countries]
        found.append(
            lists.Candidate(
                key=str(partner.pk),
                name=partner.name,
                other_names=tuple(others.get(partner.pk, [])),
                country=codes[0] if len(codes) == 1 else None,
                kind="entity",
            )
        )
    return found


def screen(
    *,
    org: Organisation,
    actor: User | None,
    partners: Sequence[Partner],
    engine: lists.Matcher | None = None,
) -> int:
    """Screen `partners` against the active list snapshots; returns the number of open hits."""
    if not partners:
        return 0
    found = (
        lists.screen(candidates(org, partners))
        if engine is None
        else lists.screen_with(engine, candidates(org, partners))
    )
    by_partner: dict[int, list[lists.Hit]] = {}
    for hit in found:
        by_partner.setdefault(int(hit.key), []).append(hit)
    existing: dict[tuple[int, str, str], ScreeningHit] = {
        (h.partner_id, h.list_name, h.entry_id): h
        for h in ScreeningHit.objects.for_org(org).filter(partner__in=[p.pk for p in partners])
    }
    now = timezone.now()
    flagged = {p for p, _h, _e in existing} | set(by_partner)
    for partner in partners:
        for hit in by_partner.get(partner.pk, []):
            _keep(org, actor, partner, hit, existing.get((partner.pk, hit.list, hit.entry_id)), now)
        if partner.pk in flagged:
            settle(org=org, actor=actor, partner=partner, screened_at=now)
    # Screened, nothing found: a timestamp on the partner, not a change anyone relies on (every
    # hit and every decision on one is in the audit trail).
    clean = [p.pk for p in partners if p.pk not in flagged]
    Partner.objects.for_org(org).filter(pk__in=clean).update(
        screening=ScreeningState.CLEAR, screened_at=now
    )
    for partner in partners:
        if partner.pk in clean:
            partner.screening, partner.screened_at = ScreeningState.CLEAR, now
    return sum(1 for h in found if (int(h.key), h.list, h.entry_id) not in existing)


def _keep(
    org: Organisation,
    actor: User | None,
    partner: Partner,
    hit: lists.Hit,
    stored: ScreeningHit | None,
    now: object,
) -> None:
    values = {
        "entry_pk": hit.entry_pk,
        "fingerprint": hit.fingerprint,
        "screened_name": hit.name[:200],
        "listed_name": hit.listed_name[:300],
        "matched_name": hit.matched_name[:300],
        "score": Decimal(str(hit.score)).quantize(Decimal("0.001")),
        "reasons": list(hit.reasons),
        "last_seen_at": now,
    }
    if stored is None:
        create_record(
            org=org,
            actor=actor,
            obj=ScreeningHit(
                organisation=org,
                partner=partner,
                list_name=hit.list,
                entry_id=hit.entry_id,
                **values,
            ),
        )
        return
    if stored.status != HitStatus.OPEN:
        why = reopen_reason(stored, hit)
        if why:
            values.update(status=HitStatus.OPEN, reopened_because=why)
    update_record(org=org, actor=actor, obj=stored, expected_version=None, values=values)


def reopen_reason(stored: ScreeningHit, hit: lists.Hit) -> str:
    """Why a decided hit must be looked at again, or "" when the decision still holds."""
    if stored.fingerprint != hit.fingerprint:
        return _("The list entry changed since the decision.")
    if stored.screened_name != hit.name[:200]:
        return _("The partner's name changed since the decision.")
    return ""


def settle(
    *, org: Organisation, actor: User | None, partner: Partner, screened_at: object = None
) -> None:
    """The partner's screening state from its hits: confirmed, to review, or clear."""
    statuses = set(
        ScreeningHit.objects.for_org(org).filter(partner=partner).values_list("status", flat=True)
    )
    state = (
        ScreeningState.CONFIRMED
        if HitStatus.CONFIRMED in statuses
        else ScreeningState.REVIEW
        if HitStatus.OPEN in statuses
        else ScreeningState.CLEAR
    )
    values: dict[str, object] = {"screening": state}
    if screened_at is not None:
        values["screened_at"] = screened_at
    update_record(org=org, actor=actor, obj=partner, expected_version=None, values=values)


def screen_all(
    *,
    org: Organisation,
    actor: User | None,
    partners: Iterable[Partner],
    batch: int = 500,
    progress: Callable[[int], None] = lambda screened: None,
) -> int:
    """Screen many partners (an import, a new list version) with one engine, in batches;
    `progress` hears how many are done after each batch."""
    engine = lists.matcher()
    opened, chunk, done = 0, [], 0
    for partner in partners:
        chunk.append(partner)
        if len(chunk) == batch:
            opened += screen(org=org, actor=actor, partners=chunk, engine=engine)
            done += len(chunk)
            progress(done)
            chunk = []
    opened += screen(org=org, actor=actor, partners=chunk, engine=engine)
    progress(done + len(chunk))
    return opened

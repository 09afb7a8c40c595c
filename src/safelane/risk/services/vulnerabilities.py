"""Step 3: vulnerability ratings per point and MSC category, starting at the suggested levels;
moving away from a suggestion needs a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safelane.core.errors import DomainError
from safelane.core.records import create_record, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.risk import selectors
from safelane.risk.models import RiskAssessment, Vulnerability
from safelane.risk.selectors.vulnerabilities import category_label
from safelane.risk.services.documenting import locked
from safelane.risk.services.threats import STALE

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


class RatingsRefusedError(DomainError):
    """The grid was refused for some of its ratings (`cells`, their ids); nothing was saved.
    `stale`: someone else changed them meanwhile, and the page shows their ratings there."""

    def __init__(self, message: str, *, cells: list[int], stale: bool = False) -> None:
        super().__init__(message)
        self.cells = frozenset(cells)
        self.stale = stale


def refresh_vulnerabilities(
    *,
    org: Organisation,
    assessment: RiskAssessment,
    suggestions: dict[tuple[int, int], int],
    actor: User | None = None,
) -> None:
    """Create a rating for every point and MSC category that has none, at the suggested level,
    each in the audit trail."""
    have = set(
        Vulnerability.objects.for_org(org)
        .filter(assessment=assessment)
        .values_list("node_id", "category")
    )
    with transaction.atomic():
        for (node_id, category), level in suggestions.items():
            if (node_id, category) not in have:
                create_record(
                    org=org,
                    actor=actor,
                    obj=Vulnerability(
                        organisation=org,
                        assessment=assessment,
                        node_id=node_id,
                        category=category,
                        level=level,
                        suggested=level,
                    ),
                )


def save_vulnerabilities(
    *,
    org: Organisation,
    actor: User,
    assessment: RiskAssessment,
    changes: dict[int, tuple[int, str, int]],
) -> None:
    """`changes`: vulnerability id -> (level, reason, version seen; 0 if unknown). Moving away
    from the suggestion needs a reason; a row someone else changed meanwhile is refused."""
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        assessment = locked(org, assessment)
        rows = {
            v.pk: v
            for v in Vulnerability.objects.for_org(org)
            .filter(assessment=assessment)
            .select_related("node")
            .select_for_update(of=("self",))
        }
        wanted = {
            pk: (level, reason.strip() if level != rows[pk].suggested else "", seen)
            for pk, (level, reason, seen) in changes.items()
            if pk in rows
        }

        def named(pks: list[int]) -> list[str]:
            names = selectors.category_names()
            return [
                f"{rows[pk].node.name}, {category_label(names, rows[pk].category)}" for pk in pks
            ]

        stale = [
            pk
            for pk, (level, reason, seen) in wanted.items()
            if seen
            and rows[pk].version != seen
            and (rows[pk].level, rows[pk].reason) != (level, reason)
        ]
        if stale:
            raise RatingsRefusedError(
                STALE % {"what": "; ".join(named(stale))}, cells=stale, stale=True
            )
        unexplained = [
            pk
            for pk, (level, reason, _seen) in wanted.items()
            if level != rows[pk].suggested and not reason
        ]
        if unexplained:
            raise RatingsRefusedError(
                "\n".join(
                    _("%(cell)s: give the reason for changing the suggested level.") % {"cell": c}
                    for c in named(unexplained)
                ),
                cells=unexplained,
            )
        for pk, (level, reason, _seen) in wanted.items():
            if (rows[pk].level, rows[pk].reason) != (level, reason):
                update_record(
                    org=org,
                    actor=actor,
                    obj=rows[pk],
                    expected_version=None,
                    values={"level": level, "reason": reason},
                )

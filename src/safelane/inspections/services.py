"""Field inspections' writes: the starter checklists loaded as each organisation's own copy,
and their edits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from safelane.catalog import services as catalog_services
from safelane.core.errors import DomainError
from safelane.core.records import create_record, set_archived, update_record
from safelane.inspections.models import Checklist, ChecklistPoint, Conveyance
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

CHECKLISTS_FILE = Path(__file__).resolve().parent / "data" / "checklists.yaml"
CHECKLIST_FIELDS = (
    "title",
    "title_es",
    "description",
    "description_es",
    "conveyance",
    "supervisor_signoff",
    "criteria",
)
POINT_FIELDS = ("title", "title_es", "look_at", "look_at_es", "photo_required", "criteria")


def shipped_checklists() -> list[dict[str, Any]]:
    """The starter checklists as the data file has them."""
    return list(yaml.safe_load(CHECKLISTS_FILE.read_text(encoding="utf-8"))["checklists"])


def _criteria(org: Organisation, values: dict[str, Any], kept: list[str]) -> dict[str, Any]:
    if "criteria" in values:
        values["criteria"] = catalog_services.check_criteria(
            org=org, idents=values["criteria"], kept=kept
        )
    return values


def load_checklists(*, org: Organisation, actor: User | None) -> list[Checklist]:
    """The starter checklists the organisation does not have yet (by key), as its own to edit."""
    if actor is not None:
        require_role(org, actor, Role.MANAGER, _("Only managers and owners add the checklists."))
    made = []
    with transaction.atomic():
        have = set(Checklist.objects.for_org(org).values_list("key", flat=True))
        for shipped in shipped_checklists():
            if shipped["key"] in have:
                continue
            values = _criteria(org, {k: v for k, v in shipped.items() if k in CHECKLIST_FIELDS}, [])
            checklist = create_record(
                org=org,
                actor=actor,
                obj=Checklist(organisation=org, key=shipped["key"], **values),
            )
            for position, point in enumerate(shipped["points"], start=1):
                create_record(
                    org=org,
                    actor=actor,
                    obj=ChecklistPoint(
                        organisation=org,
                        checklist=checklist,
                        position=position,
                        key=point["key"],
                        section=point.get("section") or "",
                        title=point["title"],
                        title_es=point.get("title_es", ""),
                        look_at=point.get("look_at", ""),
                        look_at_es=point.get("look_at_es", ""),
                        photo_required=bool(point.get("photo")),
                        criteria=catalog_services.check_criteria(
                            org=org, idents=point.get("criteria", [])
                        ),
                    ),
                )
            made.append(checklist)
    return made


def _editable(checklist: Checklist) -> None:
    if checklist.archived_at is not None:
        raise DomainError(_("This checklist is archived: restore it to change it."))


def update_checklist(
    *,
    org: Organisation,
    actor: User,
    checklist: Checklist,
    expected_version: int | None,
    values: dict[str, Any],
) -> Checklist:
    """What a checklist is called, what it inspects and whether a supervisor signs off."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners change checklists."))
    _editable(checklist)
    values = _criteria(
        org, {k: v for k, v in values.items() if k in CHECKLIST_FIELDS}, checklist.criteria
    )
    if "conveyance" in values and values["conveyance"] not in Conveyance.values:
        raise DomainError(
            _("Choose what the checklist inspects from the list."), field="conveyance"
        )
    return update_record(
        org=org, actor=actor, obj=checklist, expected_version=expected_version, values=values
    )


def update_point(
    *,
    org: Organisation,
    actor: User,
    point: ChecklistPoint,
    expected_version: int | None,
    values: dict[str, Any],
) -> ChecklistPoint:
    """A point's wording, its photo rule and the criteria it evidences."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners change checklists."))
    _editable(point.checklist)
    values = _criteria(org, {k: v for k, v in values.items() if k in POINT_FIELDS}, point.criteria)
    if not str(values.get("title", point.title)).strip():
        raise DomainError(_("Say what the point is."), field="title")
    return update_record(
        org=org, actor=actor, obj=point, expected_version=expected_version, values=values
    )


def set_checklist_archived(
    *,
    org: Organisation,
    actor: User,
    checklist: Checklist,
    archived: bool,
    expected_version: int | None,
) -> Checklist:
    """An archived checklist is offered for no new inspection; inspections made with it stay."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners archive checklists."))
    return set_archived(
        org=org,
        actor=actor,
        obj=checklist,
        archived=archived,
        expected_version=expected_version,
        refusal=_("This checklist is archived already.")
        if archived
        else _("This checklist is in use already."),
    )

"""Field inspections' writes: the starter checklists loaded as each organisation's own copy and
their edits, sites, inspections received exactly once, their exceptions and sign-off."""

from __future__ import annotations

import datetime
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.actions import services as action_services
from safelane.catalog import services as catalog_services
from safelane.core.errors import DomainError, NotAllowedError
from safelane.core.links import absolute
from safelane.core.mail import send_templated
from safelane.core.records import create_record, delete_record, lock, set_archived, update_record
from safelane.evidence import services as evidence_services
from safelane.inspections import containers
from safelane.inspections.models import (
    Checklist,
    ChecklistPoint,
    Conveyance,
    Inspection,
    Outcome,
    Photo,
    PointResult,
    Site,
)
from safelane.orgs import selectors as org_selectors
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


# Sites


def save_site(
    *,
    org: Organisation,
    actor: User,
    obj: Site | None,
    values: dict[str, Any],
    expected_version: int | None,
) -> Site:
    """A site and its supervisors, who must be members of the organisation."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners change sites."))
    values = dict(values)
    if "supervisors" in values:
        wanted = list(dict.fromkeys(str(e).strip().lower() for e in values["supervisors"] if e))
        members = {
            e.lower() for e in org_selectors.member_users(org).values_list("email", flat=True)
        }
        strangers = [e for e in wanted if e not in members]
        if strangers:
            raise DomainError(
                _("%(emails)s is not a member of this organisation.")
                % {"emails": ", ".join(strangers)},
                field="supervisors",
            )
        values["supervisors"] = wanted
    if obj is None:
        return create_record(org=org, actor=actor, obj=Site(organisation=org, **values))
    return update_record(
        org=org, actor=actor, obj=obj, expected_version=expected_version, values=values
    )


def delete_site(*, org: Organisation, actor: User, obj: Site) -> None:
    require_role(org, actor, Role.MANAGER, _("Only managers and owners change sites."))
    if Inspection.objects.for_org(org).filter(site=obj).exists():
        raise DomainError(_("Inspections were done at this site: it stays on record."))
    delete_record(org=org, actor=actor, obj=obj)


# Inspections

PHOTO_ENDINGS = (".jpg", ".jpeg", ".png", ".webp")
# A device clock this far from the server's is said on the record.
CLOCK_SKEW = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Received:
    inspection: Inspection
    created: bool  # False: the device sent it before, and this is the record it made


def _conveyance(checklist: Checklist, values: dict[str, Any]) -> dict[str, Any]:
    found = {
        k: " ".join(str(values.get(k) or "").split()) for k in ("tractor", "trailer", "driver")
    }
    container = containers.normalise(str(values.get("container") or ""))
    if container and not containers.is_valid(container):
        raise DomainError(
            _(
                "%(number)s is not a valid container number: four letters, six digits and the "
                "check digit (ISO 6346). Read it again from the door."
            )
            % {"number": container},
            field="container",
        )
    seals = list(
        dict.fromkeys(str(s).strip().upper() for s in values.get("seals") or [] if str(s).strip())
    )
    if any(len(s) > 40 for s in seals):
        raise DomainError(_("A seal number has at most 40 characters."), field="seals")
    kind = checklist.conveyance
    if kind in (Conveyance.CONTAINER, Conveyance.REEFER) and not container:
        raise DomainError(_("Write the container number."), field="container")
    if kind == Conveyance.TRACTOR_TRAILER and not (found["tractor"] or found["trailer"]):
        raise DomainError(_("Write the tractor or the trailer number."), field="tractor")
    if kind == Conveyance.SEAL and not seals:
        raise DomainError(_("Write the seal number."), field="seals")
    return {**found, "container": container, "seals": seals}


def _results(
    org: Organisation,
    points: list[ChecklistPoint],
    results: dict[int, dict[str, Any]],
    photos: dict[int, list[UploadedFile]],
) -> None:
    for point in points:
        given = results.get(point.pk) or {}
        outcome = given.get("outcome")
        label = point.shown_title
        if outcome not in Outcome.values:
            raise DomainError(
                _("%(point)s: choose pass, fail or not applicable.") % {"point": label},
                field=f"point-{point.pk}",
            )
        if outcome == Outcome.FAIL and not str(given.get("note") or "").strip():
            raise DomainError(
                _("%(point)s failed: say what you found in its note.") % {"point": label},
                field=f"point-{point.pk}",
            )
        if point.photo_required and outcome != Outcome.NOT_APPLICABLE and not photos.get(point.pk):
            raise DomainError(
                _("%(point)s needs a photo.") % {"point": label}, field=f"point-{point.pk}"
            )
        for upload in photos.get(point.pk, []):
            if not (upload.name or "").lower().endswith(PHOTO_ENDINGS):
                raise DomainError(
                    _("%(point)s: a photo is a JPEG, PNG or WebP image.") % {"point": label},
                    field=f"point-{point.pk}",
                )


def receive_inspection(
    *,
    org: Organisation,
    actor: User,
    client_id: uuid.UUID,
    checklist: Checklist,
    site: Site,
    values: dict[str, Any],
    results: dict[int, dict[str, Any]],
    photos: dict[int, list[UploadedFile]] | None = None,
) -> Received:
    """Record a finished inspection, exactly once: an inspection its device has sent before
    (the same client id) is answered with the record it made, and nothing is written again.
    A failed point raises an action and tells the site's supervisors."""
    require_role(org, actor, Role.CONTRIBUTOR)
    photos = photos or {}
    existing = Inspection.objects.for_org(org).filter(client_id=client_id).first()
    if existing is not None:
        return Received(existing, created=False)
    if checklist.organisation_id != org.pk or site.organisation_id != org.pk:
        raise DomainError(_("Choose a checklist and a site of this organisation."))
    if checklist.archived_at is not None:
        raise DomainError(_("This checklist is archived: choose another."), field="checklist")
    conveyance = _conveyance(checklist, values)
    points = list(ChecklistPoint.objects.for_org(org).filter(checklist=checklist))
    _results(org, points, results, photos)
    signed_name = " ".join(str(values.get("signed_name") or "").split())
    if not signed_name or not values.get("attested"):
        raise DomainError(
            _("Sign the inspection: write your name and confirm you did it as recorded."),
            field="signed_name",
        )
    failed = [p for p in points if results[p.pk]["outcome"] == Outcome.FAIL]
    with transaction.atomic():
        lock(org)
        existing = Inspection.objects.for_org(org).filter(client_id=client_id).first()
        if existing is not None:
            return Received(existing, created=False)
        inspection = create_record(
            org=org,
            actor=actor,
            obj=Inspection(
                organisation=org,
                client_id=client_id,
                checklist=checklist,
                checklist_title=checklist.title,
                site=site,
                inspector=actor,
                signed_name=signed_name[:150],
                device_time=values.get("device_time"),
                recorded_at=timezone.now(),
                failed=len(failed),
                needs_signoff=checklist.supervisor_signoff,
                **conveyance,
            ),
        )
        for point in points:
            given = results[point.pk]
            result = create_record(
                org=org,
                actor=actor,
                obj=PointResult(
                    organisation=org,
                    inspection=inspection,
                    point=point,
                    position=point.position,
                    section=point.section,
                    title=point.title,
                    criteria=point.criteria,
                    outcome=given["outcome"],
                    note=str(given.get("note") or "").strip(),
                ),
            )
            for n, upload in enumerate(photos.get(point.pk, []), start=1):
                evidence = evidence_services.create_evidence(
                    org=org,
                    actor=actor,
                    values={
                        "title": f"{inspection} · {point.title} ({n})"[:200],
                        "owner": actor,
                        "effective_from": timezone.localdate(),
                    },
                    upload=upload,
                    criteria=point.criteria,
                    subject=inspection,
                )
                create_record(
                    org=org,
                    actor=actor,
                    obj=Photo(organisation=org, result=result, evidence=evidence),
                )
        if failed:
            _raise_exception(org, actor, inspection)
    return Received(inspection, created=True)


def _raise_exception(org: Organisation, actor: User, inspection: Inspection) -> None:
    """An action with the inspection linked, and an e-mail to the site's supervisors."""
    action_services.create_action(
        org=org, actor=actor, values={"origin": inspection, "priority": "high"}, notify=False
    )
    recipients = inspection.site.supervisors or org_selectors.owner_and_manager_emails(org)
    context = {
        "inspection": inspection,
        "org": org,
        "failed": list(
            PointResult.objects.for_org(org).filter(inspection=inspection, outcome=Outcome.FAIL)
        ),
        "url": absolute(reverse("inspections:inspection", args=[org.slug, inspection.pk])),
    }
    transaction.on_commit(
        lambda: send_templated(
            subject_template="inspections/email/exception_subject.txt",
            body_template="inspections/email/exception_body.txt",
            context=context,
            language=org.default_language,
            recipients=recipients,
        )
    )


def ensure_supervisor(org: Organisation, actor: User, inspection: Inspection) -> None:
    """Raises NotAllowedError unless `actor` may co-sign the inspection."""
    supervisors = inspection.site.supervisors
    if supervisors:
        if actor.email.lower() not in supervisors:
            raise NotAllowedError(_("Only the site's supervisors sign off its inspections."))
    else:
        require_role(org, actor, Role.MANAGER, _("Only managers and owners sign off inspections."))
    if actor.pk == inspection.inspector_id:
        raise NotAllowedError(_("The inspector cannot sign off their own inspection."))


def sign_off(
    *, org: Organisation, actor: User, inspection: Inspection, expected_version: int | None
) -> Inspection:
    """A supervisor's co-signature (5.5): one of the site's supervisors, or a manager or owner
    where the site names none, and never the inspector."""
    ensure_supervisor(org, actor, inspection)
    if not inspection.needs_signoff:
        raise DomainError(_("This checklist asks for no supervisor's sign-off."))
    if inspection.signed_off_at is not None:
        raise DomainError(_("This inspection is signed off already."))
    return update_record(
        org=org,
        actor=actor,
        obj=inspection,
        expected_version=expected_version,
        values={"supervisor": actor, "signed_off_at": timezone.now()},
    )


def _demo_photo(name: str) -> UploadedFile:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 130, 140)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def load_demo_inspections(org: Organisation, manager: User, guard: User) -> None:
    """The demo's checklists, the Laredo yard supervised by the manager, and two inspections by
    the guard: a clean container and a tractor and trailer with a failed point."""
    load_checklists(org=org, actor=manager)
    yard = save_site(
        org=org,
        actor=manager,
        obj=None,
        values={"name": "Laredo yard", "supervisors": [manager.email]},
        expected_version=None,
    )
    found = {c.key: c for c in Checklist.objects.for_org(org)}
    demo: list[tuple[str, dict[str, Any], dict[str, str]]] = [
        ("container-7-point", {"container": "CSQU3054383", "seals": ["ACME0012345"]}, {}),
        (
            "tractor-trailer-17-point",
            {"tractor": "T-104", "trailer": "53-8812", "driver": "Luis Pérez"},
            {"fuel-tanks": "Fresh welds on the left fuel tank; held for a second look."},
        ),
    ]
    for key, values, failed in demo:
        points = list(ChecklistPoint.objects.for_org(org).filter(checklist=found[key]))
        receive_inspection(
            org=org,
            actor=guard,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"safelane-demo/{org.pk}/{key}"),
            checklist=found[key],
            site=yard,
            values={**values, "signed_name": guard.full_name, "attested": True},
            results={
                p.pk: {"outcome": "fail", "note": failed[p.key]}
                if p.key in failed
                else {"outcome": "pass", "note": ""}
                for p in points
            },
            photos={p.pk: [_demo_photo(f"{p.key}.jpg")] for p in points if p.photo_required},
        )

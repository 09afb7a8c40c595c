"""Helpers for field inspection tests: the starter checklists loaded into Acme, a site, photos
and a finished inspection as a device sends it."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safelane.inspections import services
from safelane.inspections.models import Checklist, ChecklistPoint, Site


def checklists(cast: Any) -> dict[str, Checklist]:
    services.load_checklists(org=cast.acme, actor=cast.manager)
    return {c.key: c for c in Checklist.objects.for_org(cast.acme)}


def site(cast: Any, name: str = "Laredo yard", supervisors: list[str] | None = None) -> Site:
    return services.save_site(
        org=cast.acme,
        actor=cast.manager,
        obj=None,
        values={"name": name, "supervisors": supervisors or []},
        expected_version=None,
    )


def jpeg(name: str = "door.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def answers(checklist: Checklist, failed: dict[str, str] | None = None) -> dict[int, dict]:
    """Every point passed but those in `failed` (point key: note)."""
    failed = failed or {}
    return {
        p.pk: {"outcome": "fail", "note": failed[p.key]}
        if p.key in failed
        else {"outcome": "pass", "note": ""}
        for p in ChecklistPoint.objects.for_org(checklist.organisation).filter(checklist=checklist)
    }


def photos_for(checklist: Checklist) -> dict[int, list]:
    """A photo for each point that requires one."""
    points = ChecklistPoint.objects.for_org(checklist.organisation).filter(
        checklist=checklist, photo_required=True
    )
    return {p.pk: [jpeg(f"{p.key}.jpg")] for p in points}


def receive(cast: Any, checklist: Checklist, where: Site, **overrides: Any) -> Any:
    kwargs: dict[str, Any] = {
        "org": cast.acme,
        "actor": cast.contributor,
        "client_id": uuid.uuid4(),
        "checklist": checklist,
        "site": where,
        "values": {
            "tractor": "T-104",
            "trailer": "53-8812",
            "container": "CSQU3054383",
            "seals": ["ACME0012345"],
            "driver": "Luis Pérez",
            "signed_name": "Carla Contributor",
            "attested": True,
        },
        "results": answers(checklist),
        "photos": photos_for(checklist),
    }
    kwargs.update(overrides)
    return services.receive_inspection(**kwargs)

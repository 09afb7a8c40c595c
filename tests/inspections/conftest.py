"""Helpers for field inspection tests: the starter checklists loaded into Acme."""

from __future__ import annotations

from typing import Any

from safelane.inspections import services
from safelane.inspections.models import Checklist


def checklists(cast: Any) -> dict[str, Checklist]:
    services.load_checklists(org=cast.acme, actor=cast.manager)
    return {c.key: c for c in Checklist.objects.for_org(cast.acme)}

"""The kinds of record an action can come from and treat: a gap (an answer of a
self-assessment), a risk (a vulnerability rating), later a finding, an incident or a partner.
Each app registers its own in its `AppConfig.ready()` through
`actions.services.register_origin`, so the action plan names them without importing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from safelane.core.kinds import Kind, Registry


def _nothing(origin: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Origin(Kind):
    """A kind of record actions come from."""

    # What a new action for such a record starts with: title, description, source, criteria,
    # priority, kind, verification_required. The person can change it before saving.
    initial: Callable[[Any], dict[str, Any]] = _nothing
    # How the action page says what the action treats, with %(label)s.
    treats: str | Promise = ""
    # Said when the last open action of such a record is done, with %(link)s (a link to its
    # page, named by `label`) or %(url)s (the bare address).
    finished: str | Promise = ""


ORIGINS: Registry[Origin] = Registry()

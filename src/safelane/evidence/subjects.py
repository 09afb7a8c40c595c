"""The kinds of record evidence can be attached to. Each app registers its own (an answer, an
action, later a partner or a finding) in its `AppConfig.ready()` through
`evidence.services.register_subject`; the evidence app then offers the one attach page, the one
link service and the labels for all of them without importing any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from safelane.core.kinds import Kind, Registry


def _no_criterion(subject: Any) -> str:
    return ""


@dataclass(frozen=True)
class Subject(Kind):
    """A kind of record evidence supports."""

    # What one such record is called where records of several kinds are listed: "Action".
    noun: str | Promise = ""
    # The criterion a link to such a record supports (an answer's), or "".
    criterion: Callable[[Any], str] = _no_criterion
    # The owning app's rule, `guard(org=, actor=, subject=)`: raises DomainError when the record
    # cannot take or lose evidence now (an answer of a closed assessment).
    guard: Callable[..., None] | None = None


SUBJECTS: Registry[Subject] = Registry()

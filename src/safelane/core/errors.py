"""Errors that services raise and that pages and the API show to the user as they are."""

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule refused the change; the message is translated and meant for the user."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """Someone else saved the record since the user loaded it; nothing was written."""

    def __init__(self, message: str | Promise, *, current: Any) -> None:
        super().__init__(message)
        self.current = current


class DuplicateError(DomainError):
    """The record clashes with one saved meanwhile (such as a double submit); nothing was written."""


class NotAllowedError(DomainError):
    """The person's role does not allow this, whichever door (page, API, script) they came by."""

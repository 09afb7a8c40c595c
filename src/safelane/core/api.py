"""Serializer pieces every domain's API reuses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers


class VersionField(serializers.IntegerField):
    """The version the client last read; required on updates, checked by the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("The version you read. An update is refused with 409 if it is no longer current."),
        )
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

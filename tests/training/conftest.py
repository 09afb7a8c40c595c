"""People, courses and sessions made as a user makes them."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from safelane.training import services


def person(cast: Any, number: str = "E1", actor: Any = None, **values: Any) -> Any:
    values.setdefault("name", f"Person {number}")
    values.setdefault("role", "Driver")
    values.setdefault("site", "Laredo yard")
    return services.create_person(
        org=cast.acme, actor=actor or cast.contributor, values={"employee_number": number, **values}
    )


def courses(cast: Any) -> dict[str, Any]:
    services.load_courses(org=cast.acme, actor=cast.manager)
    from safelane.training.models import Course

    return {c.key: c for c in Course.objects.for_org(cast.acme)}


def session(cast: Any, course_list: list[Any], people: list[Any], days_ago: int = 10, **values):
    values.setdefault("trainer", "Manuel Ortiz")
    values.setdefault("mode", "classroom")
    return services.create_session(
        org=cast.acme,
        actor=cast.contributor,
        values={"held_on": timezone.localdate() - datetime.timedelta(days=days_ago), **values},
        courses=course_list,
        people=people,
    )

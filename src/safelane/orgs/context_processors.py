from typing import Any

from django.http import HttpRequest

from safelane.orgs import selectors


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The switcher's workspaces and the current one, for the app shell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": getattr(request, "membership", None),
        # Lazy: evaluated once, only by templates that draw the switcher.
        "my_memberships": selectors.memberships_of(user),
    }

"""Each person's language: chosen on their profile (or with the footer switch while signed
in), remembered on every device, used for their pages and the e-mails sent to them. Visitors
keep Django's cookie."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as remember_in_cookie

from safelane.orgs.access import public_view

KNOWN = {code for code, _name in settings.LANGUAGES}


class PersonLanguageMiddleware:
    """After authentication: a signed-in person's own language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen in KNOWN and user is not None and user.is_authenticated:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


@public_view
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's switch: a signed-in person's choice is kept on their profile too."""
    chosen = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and chosen in KNOWN and getattr(user, "language", None) != chosen:
        get_user_model().objects.filter(pk=user.pk).update(language=chosen)
        translation.activate(chosen)
    return remember_in_cookie(request)

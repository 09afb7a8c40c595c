from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from safelane.core.links import rebased


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_ALLOW_SIGNUP)

    # Sign-up and password mails link to the public address, as every other mail does, not to
    # whichever host name the request came by.
    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return rebased(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return rebased(super().get_reset_password_from_key_url(key))

"""`safelane tokens create|list|revoke`: personal access tokens for scripts and CI.

`create` prints the token alone on stdout, so that `TOKEN=$(safelane tokens create ...)` works;
what was made goes to stderr. Tokens are made, stored and revoked as on the API tokens page.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django import forms
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.accounts import tokens
from safelane.accounts.forms import TokenForm
from safelane.accounts.models import ApiToken, User
from safelane.core.audit import audit_source
from safelane.core.models import AuditSource

MAX_DAYS = 3650
EXPIRES_MESSAGE = format_lazy(
    gettext_lazy("--expires is a number of days from 1 to {max_days}."), max_days=MAX_DAYS
)


class CommandTokenForm(TokenForm):
    """The page's form (same name rules, same expiry rule) with any number of days."""

    # A whole number of days where the page offers three choices.
    expires_in = forms.IntegerField(  # type: ignore[assignment]
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        error_messages={
            "invalid": EXPIRES_MESSAGE,
            "min_value": EXPIRES_MESSAGE,
            "max_value": EXPIRES_MESSAGE,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages.update(
            {
                "required": gettext_lazy("Give the token a name with --name, such as 'CI'."),
                "max_length": gettext_lazy(
                    "The name can be at most %(limit_value)d characters (it has %(show_value)d)."
                ),
            }
        )


def when(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = "Create, list and revoke a person's personal access tokens for the API."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create", help="Make a token and print it alone on the last line (shown only once)."
        )
        create.add_argument("email", help="The person the token acts as.")
        # Not required by argparse, so that a missing name is one line like an empty one.
        create.add_argument("--name", help="What the token is for, such as 'CI' (required).")
        create.add_argument(
            "--expires",
            metavar="DAYS",
            help=f"Days until it stops working (1 to {MAX_DAYS}); without it, it never expires.",
        )
        listing = sub.add_parser("list", help="List a person's tokens.")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="Revoke a token, named by its prefix or its name.")
        revoke.add_argument("email")
        revoke.add_argument("token", metavar="PREFIX_OR_NAME")

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_source(AuditSource.CLI):
            getattr(self, f"do_{options['action']}")(options)

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(_("No user has the e-mail address %(email)s.") % {"email": email})
        return user

    def do_create(self, options: dict[str, Any]) -> None:
        user = self._user(options["email"])
        if not user.is_active:
            raise CommandError(
                _("%(email)s is deactivated; a token of theirs would not work.")
                % {"email": user.email}
            )
        form = CommandTokenForm({"name": options["name"], "expires_in": options["expires"]})
        if not form.is_valid():
            raise CommandError(
                " ".join(str(error) for errors in form.errors.values() for error in errors)
            )
        token, raw = tokens.create_token(
            user=user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
        summary = (
            _("Token '%(name)s' for %(email)s, never expires.")
            if token.expires_at is None
            else _("Token '%(name)s' for %(email)s, expires %(date)s.")
        )
        date = timezone.localdate(token.expires_at) if token.expires_at else None
        self.stderr.write(summary % {"name": token.name, "email": user.email, "date": date})
        self.stdout.write(raw)

    def do_list(self, options: dict[str, Any]) -> None:
        user = self._user(options["email"])
        rows = [
            [
                token.name,
                f"{token.prefix}…",
                when(token.created_at),
                when(token.expires_at) if token.expires_at else _("never"),
                when(token.last_used_at) if token.last_used_at else _("never"),
                when(token.revoked_at),
            ]
            for token in ApiToken.objects.filter(user=user)
        ]
        if not rows:
            self.stdout.write(_("%(email)s has no tokens.") % {"email": user.email})
            return
        header = [_("Name"), _("Prefix"), _("Created"), _("Expires"), _("Last used"), _("Revoked")]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )

    def do_revoke(self, options: dict[str, Any]) -> None:
        user = self._user(options["email"])
        key = options["token"].strip().rstrip("…")
        unrevoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        # A prefix names one token; a name may have been given to several.
        matches = list(unrevoked.filter(prefix=key)) or list(unrevoked.filter(name=key))
        if not matches:
            raise CommandError(
                _("%(email)s has no unrevoked token with the prefix or name '%(key)s'.")
                % {"email": user.email, "key": key}
            )
        if len(matches) > 1:
            raise CommandError(
                _(
                    "%(count)d tokens of %(email)s are named '%(key)s'; revoke one by its prefix: %(prefixes)s."
                )
                % {
                    "count": len(matches),
                    "email": user.email,
                    "key": key,
                    "prefixes": ", ".join(token.prefix for token in matches),
                }
            )
        token = matches[0]
        tokens.revoke_token(user=user, token=token)
        self.stdout.write(
            _("Revoked the token '%(name)s' (%(prefix)s…) of %(email)s.")
            % {"name": token.name, "prefix": token.prefix, "email": user.email}
        )

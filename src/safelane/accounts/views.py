"""The signed-in person's own pages: profile and personal access tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safelane.accounts import tokens
from safelane.accounts.forms import ProfileForm, TokenForm
from safelane.accounts.models import ApiToken
from safelane.orgs.access import acting_user, user_view


@user_view()
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponseBase:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@user_view()
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = tokens.create_token(
            user=acting_user(request),
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
        )
        created = {"token": token, "raw": raw}
        form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": ApiToken.objects.filter(user=request.user),  # type: ignore[misc]
    }
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


@user_view(model=ApiToken)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(user=acting_user(request), token=token)
    messages.success(request, _("The token '%(name)s' was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")

"""One door per action: how a button's own URL answers.

A detail page only reads. Each button on it posts to a URL of its own, whose view declares its
access rule, checks its form, calls one service and sends the person back to the page (HTMX
follows the redirect and swaps the part of the page that changed). When the service refuses,
the same page is shown again with the refusal on the form that caused it, and an honest status:
400 for bad input, 403 for a role the service refuses, 409 for a conflict with someone else's
change. Nothing has been written then.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise

from safelane.core.errors import DomainError
from safelane.core.forms import add_refusal, form_errors

Message = str | Promise | Callable[[Any], str | Promise] | None
# page(form, status): the page again, with `form` (None: its buttons as new) and `status`.
Page = Callable[[forms.BaseForm | None, int], HttpResponse]


def perform(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    run: Callable[[dict[str, Any]], Any],
    then: str | Callable[[Any], str],
    page: Page,
    message: Message = None,
) -> HttpResponse:
    """Check `form`, `run` the service with its cleaned data, then redirect to `then` (an
    address, or a function of the service's result) with `message`. On a refusal, `page` shows
    the page again with the refusal where the person will see it."""
    if form.is_valid():
        try:
            result = run(form.cleaned_data)
        except DomainError as error:
            add_refusal(form, error)
        else:
            text = message(result) if callable(message) else message
            if text:
                messages.success(request, str(text))
            return redirect(then(result) if callable(then) else then)
    status = getattr(form, "refusal_status", 400)
    if not form.visible_fields():
        # A bare button (sign off, verify): the refusal is said at the top of the page, and the
        # button is offered again for the record as it now is.
        for text in form_errors(form):
            messages.error(request, text)
        return page(None, status)
    return page(form, status)


def page_fields(page: Any) -> dict[str, Any]:
    """A page's named parts (a dataclass of a selector) as template variables."""
    return {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}

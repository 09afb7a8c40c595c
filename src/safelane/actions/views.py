"""Action plan pages: list, board, calendar, one action, the budget and its exports."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safelane.actions import budget_exports, charts, selectors, services
from safelane.actions.forms import (
    ActionFilterForm,
    ActionForm,
    BenefitForm,
    CostForm,
    NewActionForm,
    NoteForm,
    RateForm,
    StatusForm,
)
from safelane.actions.models import Action, ActionStatus, Benefit, CostLine, LabourRate
from safelane.core.errors import DomainError
from safelane.core.forms import ConfirmForm, form_errors, make_read_only
from safelane.core.inputs import parse_int
from safelane.core.pages import page_fields, perform
from safelane.evidence import selectors as evidence_selectors
from safelane.orgs import selectors as org_selectors
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role
from safelane.orgs.record_views import RecordPages


@org_view()
@require_safe
def action_list(request: OrgRequest) -> HttpResponse:
    members = list(org_selectors.member_users(request.org))
    data = request.GET.copy()
    if request.GET.get("mine") == "1":
        data["owner"] = str(request.user.pk)
    if "status" not in data:
        data["status"] = "open"
    form = ActionFilterForm(data, members=members)
    form.is_valid()
    where = selectors.ActionFilter(
        status=form.cleaned_data.get("status") or None,
        kind=form.cleaned_data.get("kind") or None,
        owner=form.cleaned_data.get("owner"),
        due=form.cleaned_data.get("due") or None,
        text=form.cleaned_data.get("q") or None,
        sort=form.cleaned_data.get("sort") or "due",
    )
    page = Paginator(selectors.actions(request.org, where), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    base = selectors.actions(request.org)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "overdue": base.overdue().count(),
        "soon": base.due_soon().count(),
    }
    template = "actions/list.html#results" if request.htmx else "actions/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@org_view()
@require_http_methods(["GET", "POST"])
def action_create(request: OrgRequest) -> HttpResponse:
    """A new action; `?origin=response:12` (from a gap, a risk, ...) starts it from there."""
    found = selectors.find_origin(request.org, request.GET.get("origin"))
    initial: dict[str, Any] = {"owner": request.user.pk}
    if found is not None:
        initial.update(found[0].initial(found[1]))
    initial["due_date"] = services.default_due_date(initial.get("priority", "medium"))
    initial["criteria"] = ", ".join(c.removeprefix("own:") for c in initial.get("criteria", []))
    members = org_selectors.member_users(request.org)
    form = NewActionForm(request.POST or None, members=members, initial=initial)
    if request.method != "POST":
        return _create_page(request, form, found)
    origin = {"origin": found[1]} if found is not None else {}
    return perform(
        request,
        form=form,
        run=lambda data: services.create_action(
            org=request.org, actor=acting_user(request), values={**form.values(), **origin}
        ),
        then=lambda action: reverse("actions:detail", args=[request.org.slug, action.pk]),
        message=_("The action was added."),
        page=lambda bound, status: _create_page(request, bound or form, found, status),
    )


def _create_page(
    request: OrgRequest, form: forms.BaseForm, found: Any, status: int = 200
) -> HttpResponse:
    kind, origin = found if found is not None else (None, None)
    context = {"form": form, "origin_label": kind.label(origin) if kind else ""}
    return render(request, "actions/form.html", context, status=status)


def _action(request: OrgRequest, pk: int) -> Action:
    """The action, archived or not: an archived one's page still opens (and says so)."""
    return org_object(selectors.action_records(request.org), request.org, pk=pk)


def _action_url(request: OrgRequest, action: Action, part: str = "") -> str:
    return reverse("actions:detail", args=[request.org.slug, action.pk]) + part


def _action_page(
    request: OrgRequest,
    action: Action,
    status: int = 200,
    **forms_shown: forms.BaseForm | None,
) -> HttpResponse:
    """The action's page. Its buttons (save, status, verify, note, cost, evidence) each post
    to a URL of their own and come back here; `forms_shown` are the ones that were refused."""
    role = request.membership.role_enum
    can_edit = role.allows(Role.CONTRIBUTOR) and action.archived_at is None
    members = org_selectors.member_users(request.org)
    form = forms_shown.get("form") or ActionForm(instance=action, members=members)
    if not can_edit:
        make_read_only(form)
    may_verify = (
        services.verification_refusal(org=request.org, actor=acting_user(request), action=action)
        is None
    )
    context = {
        "action": action,
        "form": form,
        "status_form": forms_shown.get("status_form") or StatusForm(record=action),
        "verify_form": ConfirmForm(record=action, auto_id="verify_%s") if may_verify else None,
        "who_verifies": selectors.who_verifies(action),
        "restore_form": ConfirmForm(record=action, auto_id="restore_%s"),
        "can_manage": role.allows(Role.MANAGER),
        "still_to_plan": selectors.still_to_plan(action) if can_edit else [],
        "note_form": forms_shown.get("note_form") or NoteForm(),
        "cost_form": forms_shown.get("cost_form")
        or CostForm(rates=selectors.rates(request.org), initial={"date": timezone.localdate()}),
        **page_fields(selectors.action_page(request.org, action)),
        "attach_url": evidence_selectors.attach_url(request.org, action),
        "evidence_for": f"action:{action.pk}",
        "evidence_criteria": ",".join(action.criteria),
        "statuses": ActionStatus.choices,
        "can_edit": can_edit,
        "currency": request.org.currency,
    }
    return render(request, "actions/detail.html", context, status=status)


@org_view(model=Action)
@require_safe
def action_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _action_page(request, _action(request, pk))


@org_view(model=Action)
@require_POST
def action_save(request: OrgRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    form = ActionForm(
        request.POST, instance=action, members=org_selectors.member_users(request.org)
    )
    return perform(
        request,
        form=form,
        run=lambda data: services.update_action(
            org=request.org,
            actor=acting_user(request),
            action=action,
            expected_version=data["version"],
            values=form.values(),
        ),
        then=_action_url(request, action),
        message=_("Saved."),
        page=lambda bound, status: _action_page(request, action, status, form=bound),
    )


@org_view(model=Action)
@require_POST
def action_status(request: OrgRequest, pk: int) -> HttpResponse:
    """Move an action (from its page or the board), as the person saw it."""
    action = _action(request, pk)
    on_board = request.POST.get("back") == "board"
    board_url = reverse("actions:board", args=[request.org.slug])

    def done(change: services.StatusChange) -> str:
        _status_messages(request, change)
        return board_url if on_board else _action_url(request, action)

    def refused(bound: forms.BaseForm | None, status: int) -> HttpResponse:
        if not on_board:
            return _action_page(request, _action(request, pk), status, status_form=bound)
        for text in form_errors(bound) if bound is not None else []:
            messages.error(
                request, _("%(title)s: %(reason)s") % {"title": action.title, "reason": text}
            )
        # In place with HTMX; without it, back on the board's own address, saying why.
        return _board_page(request, status) if request.htmx else redirect(board_url)  # type: ignore[attr-defined]

    return perform(
        request,
        form=StatusForm(request.POST),
        run=lambda data: services.set_status(
            org=request.org,
            actor=acting_user(request),
            action=action,
            status=data["status"],
            note=data["note"],
            expected_version=data["version"],
        ),
        then=done,
        page=refused,
    )


def _confirmed(request: OrgRequest, pk: int, change: Any, part: str, message: str) -> HttpResponse:
    """A button with no fields of its own (verify, archive, restore): `change` (a service
    taking the action and the version the person saw), then back to the action's page saying
    `message` (with the action's %(title)s, if it names it)."""
    action = _action(request, pk)
    return perform(
        request,
        form=ConfirmForm(request.POST),
        run=lambda data: change(
            org=request.org,
            actor=acting_user(request),
            action=action,
            expected_version=data["version"],
        ),
        then=_action_url(request, action, part),
        message=message % {"title": action.title},
        page=lambda _form, status: _action_page(request, _action(request, pk), status),
    )


@org_view(model=Action)
@require_POST
def action_verify(request: OrgRequest, pk: int) -> HttpResponse:
    return _confirmed(request, pk, services.verify, "#completion", _("Verified."))


@org_view(model=Action)
@require_POST
def action_note(request: OrgRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    return perform(
        request,
        form=NoteForm(request.POST),
        run=lambda data: services.add_note(
            org=request.org, actor=acting_user(request), action=action, text=data["text"]
        ),
        then=_action_url(request, action, "#notes"),
        message=_("The note was added."),
        page=lambda bound, status: _action_page(request, action, status, note_form=bound),
    )


@org_view(model=Action)
@require_POST
def action_cost(request: OrgRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    return perform(
        request,
        form=CostForm(request.POST, rates=selectors.rates(request.org)),
        run=lambda data: services.add_cost(
            org=request.org, actor=acting_user(request), action=action, values=data
        ),
        then=_action_url(request, action, "#costs"),
        message=_("The cost was added."),
        page=lambda bound, status: _action_page(request, action, status, cost_form=bound),
    )


def _status_messages(request: OrgRequest, change: services.StatusChange) -> None:
    messages.success(
        request, _("Status: %(status)s.") % {"status": change.action.get_status_display()}
    )
    following = change.next_occurrence
    if following is not None and following.due_date is not None:
        messages.info(
            request,
            _("The next occurrence is due on %(date)s.")
            % {"date": formats.date_format(following.due_date)},
        )
    follow_up = (
        selectors.origin_done_message(request.org, change.action) if change.origin_done else None
    )
    if follow_up:
        messages.warning(request, follow_up)


@org_view(read=Role.MANAGER, write=Role.MANAGER, model=Action)
@require_http_methods(["GET", "POST"])
def action_archive(request: OrgRequest, pk: int) -> HttpResponse:
    """GET asks first (a page that works without JavaScript); POST archives."""
    if request.method != "POST":
        action = _action(request, pk)
        context = {"action": action, "form": ConfirmForm(record=action)}
        return render(request, "actions/archive.html", context)
    said = _("%(title)s was archived: it is off the plan and kept on record.")
    return _confirmed(request, pk, services.archive, "", said)


@org_view(write=Role.MANAGER, model=Action)
@require_POST
def action_restore(request: OrgRequest, pk: int) -> HttpResponse:
    said = _("%(title)s is back on the plan.")
    return _confirmed(request, pk, services.restore, "", said)


@org_view(model=CostLine)
@require_POST
def cost_delete(request: OrgRequest, pk: int) -> HttpResponse:
    cost = org_object(CostLine, request.org, pk=pk)
    try:
        services.delete_cost(org=request.org, actor=acting_user(request), cost=cost)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The cost was removed."))
    return redirect(reverse("actions:detail", args=[request.org.slug, cost.action_id]) + "#costs")


def _board_page(request: OrgRequest, status: int = 200) -> HttpResponse:
    context = {
        "columns": selectors.board(request.org),
        "statuses": ActionStatus.choices,
        "can_move": request.membership.role_enum.allows(Role.CONTRIBUTOR),
    }
    return render(request, "actions/board.html", context, status=status)


@org_view()
@require_safe
def board(request: OrgRequest) -> HttpResponse:
    return _board_page(request)


@org_view()
@require_safe
def board_column(request: OrgRequest) -> HttpResponse:
    """The next cards of one column (?status=open&page=2): htmx asks for them in place of the
    column's "Show more"; without script the same address is a page of its own."""
    column = request.GET.get("status", ActionStatus.OPEN.value)
    if column not in {s.value for s in selectors.board_statuses()}:
        raise Http404
    page = parse_int(request.GET.get("page", "2"), low=1, high=100_000) or 1
    context = {
        "column": selectors.board_column(request.org, ActionStatus(column), page),
        "statuses": ActionStatus.choices,
        "can_move": request.membership.role_enum.allows(Role.CONTRIBUTOR),
    }
    template = "actions/board.html#cards" if request.htmx else "actions/board_column.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@org_view()
@require_safe
def calendar(request: OrgRequest) -> HttpResponse:
    today = timezone.localdate()
    # Months from 1900 to 2199 can be shown with their neighbours; anything else is this month.
    year = parse_int(request.GET.get("year", str(today.year)), low=1900, high=2199)
    month = parse_int(request.GET.get("month", str(today.month)), low=1, high=12)
    shown = datetime.date(year, month, 1) if year and month else today.replace(day=1)
    previous = (shown - datetime.timedelta(days=1)).replace(day=1)
    following = (shown + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "weeks": selectors.month(request.org, shown.year, shown.month),
        "shown": shown,
        "previous": previous,
        "following": following,
        "today": today,
    }
    return render(request, "actions/calendar.html", context)


def _budget_context(request: OrgRequest) -> dict[str, Any]:
    budget = selectors.budget(request.org)
    return {
        "budget": budget,
        "category_chart": charts.pair_chart(budget.rows()),
        "quarter_chart": charts.pair_chart(budget.by_quarter),
        "benefits": selectors.benefit_summary(request.org),
        "org": request.org,
    }


@org_view()
@require_safe
def budget_page(request: OrgRequest) -> HttpResponse:
    return render(request, "actions/budget.html", _budget_context(request))


@org_view()
@require_safe
def budget_xlsx(request: OrgRequest) -> HttpResponse:
    response = HttpResponse(
        budget_exports.as_xlsx(_budget_context(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{request.org.slug}-ctpat-budget.xlsx"'
    return response


@org_view()
@require_safe
def budget_pdf(request: OrgRequest) -> HttpResponse:
    response = HttpResponse(
        budget_exports.as_pdf(_budget_context(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{request.org.slug}-ctpat-budget.pdf"'
    return response


RATES = RecordPages(
    model=LabourRate,
    form=RateForm,
    name="rate",
    segment="actions/rates",
    title=gettext_lazy("Labour rates"),
    singular=gettext_lazy("rate"),
    description=gettext_lazy(
        "Hourly cost per role, used to turn hours of internal work into money."
    ),
    columns=((gettext_lazy("Role"), "role"), (gettext_lazy("Hourly rate"), "hourly_rate")),
    queryset=lambda org: LabourRate.objects.for_org(org),
    save=services.save_rate,
    delete=services.delete_rate,
    namespace="actions",
    parent_url="actions:budget",
    parent_title=gettext_lazy("Budget"),
)
BENEFITS = RecordPages(
    model=Benefit,
    form=BenefitForm,
    name="benefit",
    segment="actions/benefits",
    title=gettext_lazy("Benefits"),
    singular=gettext_lazy("benefit record"),
    description=gettext_lazy(
        "What certification changes at the border, as you record it: exams, waiting hours, shipments."
    ),
    columns=(
        (gettext_lazy("What"), "get_metric_display"),
        (gettext_lazy("From"), "period_start"),
        (gettext_lazy("To"), "period_end"),
        (gettext_lazy("Before certification"), "before_certification"),
        (gettext_lazy("Value"), "value"),
    ),
    queryset=lambda org: Benefit.objects.for_org(org),
    save=services.save_benefit,
    delete=services.delete_benefit,
    namespace="actions",
    parent_url="actions:budget",
    parent_title=gettext_lazy("Budget"),
    write=Role.CONTRIBUTOR,
)

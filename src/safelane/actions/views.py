"""Action plan pages: list, board, calendar, one action, the budget and its exports."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
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
from safelane.assessments import selectors as assessment_selectors
from safelane.core.errors import DomainError
from safelane.core.forms import PickForm, make_read_only
from safelane.evidence import selectors as evidence_selectors
from safelane.evidence import services as evidence_services
from safelane.orgs.access import OrgRequest, acting_user, org_object, org_view
from safelane.orgs.models import Role
from safelane.orgs.record_views import RecordPages


def _members(request: OrgRequest) -> Any:
    from safelane.accounts.models import User

    return User.objects.filter(memberships__organisation=request.org).order_by("email")


@org_view()
@require_safe
def action_list(request: OrgRequest) -> HttpResponse:
    members = list(_members(request))
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
    answer = None
    if request.GET.get("response", "").isdigit():
        answer = assessment_selectors.response(request.org, int(request.GET["response"]))
    initial: dict[str, Any] = {"owner": request.user.pk}
    if answer is not None:
        initial.update(
            title=_("Close the gap on %(id)s")
            % {"id": answer.criterion_ident.removeprefix("own:")},
            description=answer.requirement,
            source="gap",
            criteria_text=answer.criterion_ident,
            priority="high" if answer.must_should == "must" else "medium",
        )
    form = NewActionForm(request.POST or None, members=_members(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if answer is not None:
            values["response"] = answer
        try:
            action = services.create_action(
                org=request.org, actor=acting_user(request), values=values
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The action was added."))
            return redirect("actions:detail", org_slug=request.org.slug, pk=action.pk)
    context = {"form": form, "answer": answer}
    return render(request, "actions/form.html", context, status=400 if form.errors else 200)


@org_view(model=Action)
@require_http_methods(["GET", "POST"])
def action_detail(request: OrgRequest, pk: int) -> HttpResponse:
    action = org_object(selectors.actions(request.org), request.org, pk=pk)
    actor = acting_user(request)
    post = request.POST
    form = ActionForm(post if "save" in post else None, instance=action, members=_members(request))
    note_form = NoteForm(post if "note" in post else None)
    cost_form = CostForm(
        post if "cost" in post else None,
        rates=selectors.rates(request.org),
        initial={"date": timezone.localdate()},
    )
    library = list(evidence_selectors.library(request.org))
    attach_form = PickForm(
        post if "attach" in post else None,
        name="evidence",
        label=_("Evidence from the library"),
        choices=library,
    )
    can_edit = request.membership.role_enum.allows(Role.CONTRIBUTOR)
    if not can_edit:
        make_read_only(form)
    if request.method == "POST":
        try:
            if "save" in post and form.is_valid():
                services.update_action(
                    org=request.org,
                    actor=actor,
                    action=action,
                    expected_version=form.cleaned_data["version"],
                    values=form.values(),
                )
                messages.success(request, _("Saved."))
                return redirect("actions:detail", org_slug=request.org.slug, pk=action.pk)
            if "status" in post:
                status_form = StatusForm(post)
                if status_form.is_valid():
                    change = services.set_status(
                        org=request.org,
                        actor=actor,
                        action=action,
                        status=status_form.cleaned_data["status"],
                        note=status_form.cleaned_data["note"],
                    )
                    _status_messages(request, change)
                    if request.htmx:  # type: ignore[attr-defined]
                        return redirect("actions:board", org_slug=request.org.slug)
                    return redirect("actions:detail", org_slug=request.org.slug, pk=action.pk)
            if "verify" in post:
                services.verify(org=request.org, actor=actor, action=action)
                messages.success(request, _("Verified."))
                return redirect("actions:detail", org_slug=request.org.slug, pk=action.pk)
            if "note" in post and note_form.is_valid():
                services.add_note(
                    org=request.org, actor=actor, action=action, text=note_form.cleaned_data["text"]
                )
                return redirect("actions:detail", org_slug=request.org.slug, pk=action.pk)
            if "attach" in post and attach_form.is_valid():
                chosen = next(e for e in library if e.pk == attach_form.cleaned_data["evidence"])
                evidence_services.link(org=request.org, actor=actor, evidence=chosen, action=action)
                return redirect("actions:detail", org_slug=request.org.slug, pk=action.pk)
            if "cost" in post and cost_form.is_valid():
                services.add_cost(
                    org=request.org, actor=actor, action=action, values=cost_form.cleaned_data
                )
                messages.success(request, _("The cost was added."))
                return redirect("actions:detail", org_slug=request.org.slug, pk=action.pk)
        except DomainError as error:
            target = form if "save" in post else cost_form if "cost" in post else None
            if target is form:
                form.add_domain_error(error)
            elif target is not None:
                target.add_error(
                    error.field if error.field in target.fields else None, str(error.message)
                )
            else:
                messages.error(request, str(error.message))
    context = {
        "action": action,
        "form": form,
        "note_form": note_form,
        "cost_form": cost_form,
        "notes": action.notes.select_related("author"),
        "costs": CostLine.objects.for_org(request.org).filter(action=action).select_related("rate"),
        "evidence": evidence_selectors.links_with_evidence().filter(
            organisation=request.org, action=action
        ),
        "attach_form": attach_form,
        "statuses": ActionStatus.choices,
        "can_edit": can_edit,
        "currency": request.org.currency,
    }
    bad = form.errors or note_form.errors or cost_form.errors or attach_form.errors
    return render(request, "actions/detail.html", context, status=400 if bad else 200)


def _status_messages(request: OrgRequest, change: services.StatusChange) -> None:
    messages.success(
        request, _("Status: %(status)s.") % {"status": change.action.get_status_display()}
    )
    if change.next_occurrence is not None:
        messages.info(
            request,
            _("The next occurrence is due on %(date)s.")
            % {"date": change.next_occurrence.due_date},
        )
    if change.closes_gap and change.action.response_id:
        url = reverse("assessments:response", args=[request.org.slug, change.action.response_id])
        messages.warning(
            request,
            _("That was the last open action for this criterion: update its answer now (%(url)s).")
            % {"url": url},
        )


@org_view(write=Role.MANAGER, model=Action)
@require_POST
def action_archive(request: OrgRequest, pk: int) -> HttpResponse:
    action = org_object(selectors.actions(request.org), request.org, pk=pk)
    services.archive(org=request.org, actor=acting_user(request), action=action)
    messages.success(request, _("%(title)s was archived.") % {"title": action.title})
    return redirect("actions:list", org_slug=request.org.slug)


@org_view(model=CostLine)
@require_POST
def cost_delete(request: OrgRequest, pk: int) -> HttpResponse:
    cost = org_object(CostLine, request.org, pk=pk)
    services.delete_cost(org=request.org, actor=acting_user(request), cost=cost)
    messages.success(request, _("The cost was removed."))
    return redirect("actions:detail", org_slug=request.org.slug, pk=cost.action_id)


@org_view()
@require_safe
def board(request: OrgRequest) -> HttpResponse:
    return render(
        request,
        "actions/board.html",
        {"columns": selectors.board(request.org), "statuses": ActionStatus.choices},
    )


@org_view()
@require_safe
def calendar(request: OrgRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        shown = datetime.date(
            int(request.GET.get("year", today.year)), int(request.GET.get("month", today.month)), 1
        )
    except ValueError:
        shown = today.replace(day=1)
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

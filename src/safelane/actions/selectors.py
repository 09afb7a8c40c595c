"""Reads of action plans: lists, the board, the calendar and the budget."""

from __future__ import annotations

import calendar as calendar_module
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safelane.actions.models import (
    OPEN_STATUSES,
    Action,
    ActionQuerySet,
    ActionStatus,
    Benefit,
    CostCategory,
    CostKind,
    CostLine,
    LabourRate,
    ProgressNote,
)
from safelane.actions.origins import ORIGINS, Origin
from safelane.evidence import selectors as evidence_selectors
from safelane.evidence import services as evidence_services
from safelane.orgs.dashboard import DONE, IN_PROGRESS, NOT_STARTED, Progress, Tile
from safelane.orgs.search import Result

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

ONE_OFF = (CostCategory.LABOUR, CostCategory.CONSULTING, CostCategory.TECHNOLOGY)


@dataclass(frozen=True)
class ActionFilter:
    status: str | None = None
    kind: str | None = None
    owner: int | None = None
    due: str | None = None  # "overdue" | "soon"
    text: str | None = None
    sort: str = "due"


SORTS = {
    "due": ("due_date", "pk"),
    "priority": ("-priority", "due_date"),
    "title": ("title",),
    "updated": ("-updated_at",),
}


def action_records(org: Organisation) -> ActionQuerySet:
    """Every action of the organisation, archived ones too: their pages stay readable."""
    return Action.objects.for_org(org).select_related("owner", "completed_by", "verified_by")


def actions(org: Organisation, where: ActionFilter | None = None) -> ActionQuerySet:
    """The actions on the plan (not archived), or those `where` asks for ("archived" shows
    the archived ones only)."""
    qs: ActionQuerySet = Action.objects.for_org(org).active().select_related("owner")
    if where is None:
        return qs
    if where.status == "archived":
        qs = Action.objects.for_org(org).filter(archived_at__isnull=False).select_related("owner")
    elif where.status == "open":
        qs = qs.open()
    elif where.status:
        qs = qs.filter(status=where.status)
    if where.kind:
        qs = qs.filter(kind=where.kind)
    if where.owner:
        qs = qs.filter(owner_id=where.owner)
    if where.due == "overdue":
        qs = qs.overdue()
    elif where.due == "soon":
        qs = qs.due_soon()
    if where.text:
        qs = qs.filter(title__icontains=where.text)
    return qs.order_by(*SORTS.get(where.sort, SORTS["due"]))


def for_origin(org: Organisation, origin: Any) -> QuerySet[Action]:
    """The live actions that treat one record (an answer's gap, a risk)."""
    return (
        Action.objects.for_org(org)
        .active()
        .filter(origin_type=ORIGINS.content_type(origin), origin_id=origin.pk)
        .select_related("owner")
    )


def planned_for(org: Organisation, origins: QuerySet[Any]) -> dict[int, Action]:
    """The newest live (not cancelled) action for each record of `origins`, by its id."""
    found: dict[int, Action] = {}
    for action in (
        Action.objects.for_org(org)
        .active()
        .select_related("owner")
        .filter(origin_type=ORIGINS.content_type(origins.model), origin_id__in=origins.values("pk"))
        .exclude(status=ActionStatus.CANCELLED)
        .order_by("-created_at", "-pk")
    ):
        assert action.origin_id is not None
        found.setdefault(action.origin_id, action)
    return found


@dataclass(frozen=True)
class ActionPage:
    """What an action's page shows besides the action itself."""

    notes: list[ProgressNote]
    costs: list[CostLine]
    links: list[Any]
    treats: Treats | None


def action_page(org: Organisation, action: Action) -> ActionPage:
    return ActionPage(
        notes=list(
            ProgressNote.objects.for_org(org).filter(action=action).select_related("author")
        ),
        costs=list(CostLine.objects.for_org(org).filter(action=action).select_related("rate")),
        links=evidence_selectors.links_of(org, action),
        treats=treats(org, action),
    )


@dataclass(frozen=True)
class Treats:
    """What an action treats, as its page names it."""

    text: str
    url: str


def treats(org: Organisation, action: Action) -> Treats | None:
    """The record the action came from, named by its own app; None if it has none (or it was
    removed since)."""
    if action.origin_type_id is None or action.origin_id is None:
        return None
    found = ORIGINS.load(org, [(action.origin_type_id, action.origin_id)])
    record = found.get((action.origin_type_id, action.origin_id))
    kind = ORIGINS.of(record) if record is not None else None
    if kind is None:
        return None
    return Treats(str(kind.treats) % {"label": kind.label(record)}, kind.url(org, record))


def origin_done_message(org: Organisation, action: Action) -> SafeString | None:
    """What to do now that the last open action of the action's origin is done, with a link
    to the origin's page named as its app names it (`%(link)s`; `%(url)s` is the bare address)."""
    if action.origin_type_id is None or action.origin_id is None:
        return None
    record = ORIGINS.load(org, [(action.origin_type_id, action.origin_id)]).get(
        (action.origin_type_id, action.origin_id)
    )
    kind = ORIGINS.of(record) if record is not None else None
    if kind is None or not kind.finished:
        return None
    url = kind.url(org, record)
    link = format_html('<a href="{}">{}</a>', url, kind.label(record))
    return mark_safe(conditional_escape(str(kind.finished)) % {"url": escape(url), "link": link})  # noqa: S308 (both parts escaped above)


def who_verifies(action: Action) -> str:
    """Who may verify the action's finished work, as its page explains it."""
    owner, finisher = action.owner, action.completed_by
    if owner is None and finisher is None:
        return str(_("Who can verify it: any contributor, manager or owner."))
    if owner is None or finisher is None or owner == finisher:
        return _("Who can verify it: any contributor, manager or owner other than %(person)s.") % {
            "person": owner or finisher
        }
    return _(
        "Who can verify it: any contributor, manager or owner other than %(owner)s (its owner) "
        "and %(finisher)s (who marked it done)."
    ) % {"owner": owner, "finisher": finisher}


def still_to_plan(action: Action) -> list[str]:
    """What an open action still lacks to be planned: an owner, a due date, the criteria it
    meets (an action made by a button, such as a risk's "Create action", starts without some)."""
    if not action.is_open:
        return []
    missing = [
        (action.owner_id is None, _("an owner")),
        (action.due_date is None, _("a due date")),
        (not action.criteria and action.origin_id is not None, _("the criteria it meets")),
    ]
    return [str(label) for lacking, label in missing if lacking]


def find_origin(org: Organisation, token: object) -> tuple[Origin, Any] | None:
    """The record a page names as "kind:id" (such as "response:12"), in this organisation."""
    return ORIGINS.find(org, token)


BOARD_PAGE = 8  # cards a column shows at first, and each "Show more" adds


@dataclass(frozen=True)
class Column:
    """One column of the board: a page of its cards and how many it holds in all."""

    value: str
    label: str
    items: list[Action]
    total: int
    page: int = 1

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.total > self.page * BOARD_PAGE else None

    @property
    def left(self) -> int:
        return max(self.total - self.page * BOARD_PAGE, 0)


def board_statuses() -> list[ActionStatus]:
    return [*OPEN_STATUSES, ActionStatus.DONE]


def _on_board(org: Organisation) -> ActionQuerySet:
    """Open actions, and those done in the last 30 days, earliest due first."""
    recent = timezone.now() - datetime.timedelta(days=30)
    return (
        actions(org)
        .filter(status__in=board_statuses())
        .exclude(status=ActionStatus.DONE, completed_at__lt=recent)
    )


BOARD_ORDER = (F("due_date").asc(nulls_last=True), F("priority").desc(), F("pk").asc())


def board(org: Organisation) -> list[Column]:
    """The board's columns, each with its first BOARD_PAGE cards and its total: one count by
    status and one short query per column, however many actions (a ranking window over every
    card took twice as long on SQLite)."""
    on_board = _on_board(org)
    totals = {
        row["status"]: row["n"]
        for row in on_board.order_by().values("status").annotate(n=Count("pk"))
    }
    return [
        Column(
            s.value,
            str(s.label),
            list(on_board.filter(status=s).order_by(*BOARD_ORDER)[:BOARD_PAGE]),
            totals.get(s.value, 0),
        )
        for s in board_statuses()
    ]


def board_column(org: Organisation, status: ActionStatus, page: int) -> Column:
    """One page of one column (its "Show more"), in the board's order."""
    start = (page - 1) * BOARD_PAGE
    rows = _on_board(org).filter(status=status).order_by(*BOARD_ORDER)
    items = list(rows[start : start + BOARD_PAGE])
    return Column(status.value, str(status.label), items, rows.count(), page)


@dataclass(frozen=True)
class Day:
    date: datetime.date
    in_month: bool
    actions: list[Action]


def month(org: Organisation, year: int, month_number: int) -> list[list[Day]]:
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[datetime.date, list[Action]] = defaultdict(list)
    for action in actions(org).filter(due_date__gte=first, due_date__lte=last):
        assert action.due_date is not None
        by_day[action.due_date].append(action)
    return [[Day(d, d.month == month_number, by_day.get(d, [])) for d in week] for week in weeks]


@dataclass
class Budget:
    currency: str
    by_category: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    by_quarter: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)
    committed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    def total(self, kind: str) -> Decimal:
        return sum((row[kind] for row in self.by_category.values()), Decimal(0))

    @property
    def first_year(self) -> Decimal:
        """Getting certified: the one-off estimates plus one year of ongoing compliance."""
        return sum(
            (self.by_category[c]["estimate"] for c in (*ONE_OFF, CostCategory.ONGOING)), Decimal(0)
        )

    @property
    def yearly(self) -> Decimal:
        """Staying certified: ongoing compliance per year."""
        return self.by_category[CostCategory.ONGOING]["estimate"]

    def rows(self) -> list[tuple[str, Decimal, Decimal]]:
        labels = dict(CostCategory.choices)
        return [(str(labels[c]), v["estimate"], v["actual"]) for c, v in self.by_category.items()]


def budget(org: Organisation) -> Budget:
    costs = CostLine.objects.for_org(org).filter(action__archived_at__isnull=True)
    result = Budget(currency=org.currency)
    result.by_category = {
        c.value: {"estimate": Decimal(0), "actual": Decimal(0)} for c in CostCategory
    }
    for row in costs.values("category", "kind").annotate(total=Sum("amount")):
        result.by_category[row["category"]][row["kind"]] = row["total"] or Decimal(0)
    quarters: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(
        lambda: {"estimate": Decimal(0), "actual": Decimal(0)}
    )
    for row in (
        costs.annotate(y=ExtractYear("date"), q=ExtractQuarter("date"))
        .values("y", "q", "kind")
        .annotate(total=Sum("amount"))
    ):
        quarters[(row["y"], row["q"])][row["kind"]] += row["total"] or Decimal(0)
    result.by_quarter = [
        (f"{y} Q{q}", v["estimate"], v["actual"]) for (y, q), v in sorted(quarters.items())
    ]
    committed = costs.filter(kind=CostKind.ESTIMATE, action__status__in=OPEN_STATUSES).aggregate(
        t=Sum("amount")
    )["t"]
    result.committed = committed or Decimal(0)
    result.spent = result.total(CostKind.ACTUAL)
    return result


def rates(org: Organisation) -> QuerySet[LabourRate]:
    return LabourRate.objects.for_org(org)


def benefits(org: Organisation) -> QuerySet[Benefit]:
    return Benefit.objects.for_org(org)


def benefit_summary(org: Organisation) -> list[dict[str, Any]]:
    """Per measure, the average per record before and after certification."""
    out: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: {"before": [], "after": []})
    labels: dict[str, str] = {}
    for b in benefits(org):
        out[b.metric]["before" if b.before_certification else "after"].append(b.value)
        labels[b.metric] = str(b.get_metric_display())
    summary = []
    for metric, values in out.items():
        before = (
            sum(values["before"], Decimal(0)) / len(values["before"]) if values["before"] else None
        )
        after = sum(values["after"], Decimal(0)) / len(values["after"]) if values["after"] else None
        summary.append({"metric": labels[metric], "before": before, "after": after})
    return summary


def dashboard_tile(org: Organisation, user: User) -> Tile:
    open_ = Action.objects.for_org(org).active().open()
    counts = open_.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate())),
        mine=Count("pk", filter=Q(owner=user)),
    )
    return Tile(
        title=_("Action plan"),
        figure=ngettext("%(n)s open action", "%(n)s open actions", counts["total"])
        % {"n": counts["total"]},
        detail=_("%(overdue)s overdue · %(mine)s yours")
        % {"overdue": counts["overdue"], "mine": counts["mine"]},
        url=reverse("actions:list", args=[org.slug]) + ("?mine=1" if counts["mine"] else ""),
        tone="bad" if counts["overdue"] else ("ok" if counts["total"] == 0 else ""),
        link_text=_("My actions") if counts["mine"] else _("All actions"),
    )


def evidence_subject() -> evidence_services.Subject:
    """How the evidence library names an action: evidence shows it done."""
    return evidence_services.Subject(
        name="action",
        model=Action,
        noun=_("Action"),
        label=lambda action: action.title,
        url=lambda org, action: reverse("actions:detail", args=[org.slug, action.pk]),
    )


def search_results(org: Organisation, text: str, limit: int) -> list[Result]:
    """Live actions whose title or description holds `text`."""
    rows = (
        Action.objects.for_org(org)
        .active()
        .filter(Q(title__icontains=text) | Q(description__icontains=text))
        .order_by("due_date", "pk")
        .only("title", "status", "due_date")[:limit]
    )
    return [
        Result(
            title=a.title,
            url=reverse("actions:detail", args=[org.slug, a.pk]),
            detail=str(a.get_status_display()),
        )
        for a in rows
    ]


def road_progress(org: Organisation) -> Progress:
    """The gap-closing step: actions on the plan, and how many are still open."""
    live = Action.objects.for_org(org).active()
    counts = live.aggregate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
    url = reverse("actions:list", args=[org.slug])
    if not counts["total"]:
        return Progress(url=url, state=NOT_STARTED)
    still = counts["open"]
    return Progress(
        url=url,
        state=IN_PROGRESS if still else DONE,
        note=ngettext("%(n)s action open", "%(n)s actions open", still) % {"n": still}
        if still
        else _("Every action on the plan is done."),
    )


def portfolio_columns(organisation: str, today: datetime.date) -> dict[str, Any]:
    """Columns for a list of organisations (the consultant's portfolio), each row's own read
    through `for_org` of the row's organisation (`organisation` names it in the outer query):
    its overdue actions and the next due date of an open action. One query for any number of
    rows."""
    open_ = Action.objects.for_org(OuterRef(organisation)).active().open().order_by()
    return {
        "overdue_actions": Coalesce(
            Subquery(
                open_.filter(due_date__lt=today)
                .values("organisation")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
        "next_action_due": Subquery(
            open_.filter(due_date__gte=today).order_by("due_date").values("due_date")[:1]
        ),
    }

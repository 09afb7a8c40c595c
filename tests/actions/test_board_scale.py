"""The board is as light with 1,000 actions as with 20: each column draws its first cards and a
"Show more" that htmx swaps for the next page, asked at the column's own address."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safelane.actions.models import Action, ActionStatus
from safelane.actions.selectors import BOARD_PAGE
from tests.factories import action


def grow_plan(cast, n: int, status: str = ActionStatus.OPEN) -> None:
    """`n` more actions written straight in (the board is under test, not the service)."""
    today = timezone.localdate()
    Action.objects.bulk_create(
        Action(
            organisation=cast.acme,
            title=f"Bulk action {i:04d}",
            status=status,
            due_date=today + datetime.timedelta(days=i),
        )
        for i in range(n)
    )


def board(cast):
    return reverse("actions:board", args=[cast.acme.slug])


def column(cast, status):
    return reverse("actions:board_column", args=[cast.acme.slug]) + f"?status={status}"


def measure(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, **extra)
    assert page.status_code == 200
    return len(queries.captured_queries), page.content.decode()


def test_the_board_draws_a_page_of_each_column_however_many_actions(cast, as_user):
    action(cast)
    client = as_user(cast.contributor)
    client.get(board(cast))  # caches warm
    few_queries, few = measure(client, board(cast))
    grow_plan(cast, 500)
    grow_plan(cast, 300, ActionStatus.BLOCKED)
    many_queries, many = measure(client, board(cast))
    assert many_queries == few_queries
    # One card per action shown: a page of each full column, not 801 forms.
    assert many.count('class="board-card"') == BOARD_PAGE + BOARD_PAGE
    assert len(many) < len(few) + 2 * BOARD_PAGE * 2000
    assert ">501</span>" in many
    assert ">300</span>" in many
    more = column(cast, "open")
    assert f'href="{more}&amp;page=2"' in many
    assert f'hx-get="{more}&amp;page=2"' in many
    assert 'hx-swap="outerHTML"' in many


def test_show_more_brings_the_next_page_in_place_and_stops_at_the_end(cast, as_user):
    grow_plan(cast, BOARD_PAGE * 2 + 5)
    client = as_user(cast.viewer)
    more = column(cast, "open")
    client.get(f"{more}&page=2", HTTP_HX_REQUEST="true")  # caches warm
    queries, html = measure(client, f"{more}&page=2", HTTP_HX_REQUEST="true")
    assert "<html" not in html
    assert html.count('class="board-card"') == BOARD_PAGE
    assert f"Bulk action {BOARD_PAGE:04d}" in html  # the first card after the board's own
    assert f"{more}&amp;page=3" in html
    assert 'name="status"' not in html  # a viewer has nothing to move
    last_queries, last = measure(client, f"{more}&page=3", HTTP_HX_REQUEST="true")
    assert last.count('class="board-card"') == 5
    assert "page=4" not in last
    assert last_queries == queries


def test_without_script_show_more_is_a_page_of_its_own(cast, as_user):
    grow_plan(cast, BOARD_PAGE + 3, ActionStatus.IN_PROGRESS)
    client = as_user(cast.contributor)
    page = client.get(column(cast, "in-progress") + "&page=2")
    html = page.content.decode()
    assert "<html" in html
    assert "Back to the board" in html
    assert html.count('class="board-card"') == 3
    assert 'name="status"' in html  # each card still moves
    assert client.get(column(cast, "archived")).status_code == 404
    assert client.get(column(cast, "open") + "&page=x").status_code == 200

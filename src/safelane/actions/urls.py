from django.urls import path

from safelane.actions import views
from safelane.orgs import record_views

app_name = "actions"
BASE = "o/<slug:org_slug>/actions/"

urlpatterns = [
    path(BASE, views.action_list, name="list"),
    path(f"{BASE}new/", views.action_create, name="create"),
    path(f"{BASE}board/", views.board, name="board"),
    path(f"{BASE}board/column/", views.board_column, name="board_column"),
    path(f"{BASE}calendar/", views.calendar, name="calendar"),
    path(f"{BASE}budget/", views.budget_page, name="budget"),
    path(f"{BASE}budget.xlsx", views.budget_xlsx, name="budget_xlsx"),
    path(f"{BASE}budget.pdf", views.budget_pdf, name="budget_pdf"),
    path(f"{BASE}<int:pk>/", views.action_detail, name="detail"),
    path(f"{BASE}<int:pk>/edit/", views.action_save, name="save"),
    path(f"{BASE}<int:pk>/status/", views.action_status, name="status"),
    path(f"{BASE}<int:pk>/verify/", views.action_verify, name="verify"),
    path(f"{BASE}<int:pk>/notes/", views.action_note, name="notes"),
    path(f"{BASE}<int:pk>/costs/", views.action_cost, name="costs"),
    path(f"{BASE}<int:pk>/archive/", views.action_archive, name="archive"),
    path(f"{BASE}<int:pk>/restore/", views.action_restore, name="restore"),
    path(f"{BASE}costs/<int:pk>/delete/", views.cost_delete, name="cost_delete"),
    *record_views.urls(views.RATES),
    *record_views.urls(views.BENEFITS),
]

from django.urls import path

from safelane.inspections import views
from safelane.orgs import record_views

app_name = "inspections"
BASE = "o/<slug:org_slug>/inspections/"

urlpatterns = [
    path(BASE, views.inspection_list, name="list"),
    path(f"{BASE}export.<str:fmt>", views.inspection_export, name="export"),
    path(f"{BASE}sw.js", views.worker, name="worker"),
    path(f"{BASE}app.webmanifest", views.manifest, name="manifest"),
    path(f"{BASE}new/", views.inspection_create, name="inspection_create"),
    path(f"{BASE}<int:pk>/", views.inspection_detail, name="inspection"),
    path(f"{BASE}<int:pk>/sign-off/", views.inspection_signoff, name="inspection_signoff"),
    path(f"{BASE}checklists/", views.checklist_list, name="checklists"),
    path(f"{BASE}checklists/starter/", views.checklists_load, name="checklists_load"),
    path(f"{BASE}checklists/<int:pk>/", views.checklist_detail, name="checklist"),
    path(f"{BASE}checklists/<int:pk>/edit/", views.checklist_save, name="checklist_save"),
    path(f"{BASE}checklists/<int:pk>/archive/", views.checklist_archive, name="checklist_archive"),
    path(f"{BASE}points/<int:pk>/", views.point_detail, name="point"),
    path(f"{BASE}points/<int:pk>/edit/", views.point_save, name="point_save"),
    *record_views.urls(views.SITES),
]

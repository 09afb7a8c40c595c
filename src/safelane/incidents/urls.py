from django.urls import path

from safelane.incidents import views

app_name = "incidents"
BASE = "o/<slug:org_slug>/incidents/"

urlpatterns = [
    path(BASE, views.incident_list, name="list"),
    path(f"{BASE}new/", views.incident_create, name="create"),
    path(f"{BASE}<int:pk>/", views.incident_detail, name="detail"),
    path(f"{BASE}<int:pk>/edit/", views.incident_save, name="save"),
    path(f"{BASE}<int:pk>/report/", views.incident_report, name="report"),
    path(f"{BASE}<int:pk>/analysis/", views.incident_analysis, name="analysis"),
]

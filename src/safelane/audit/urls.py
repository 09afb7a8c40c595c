from django.urls import path

from safelane.audit import views

app_name = "audit"

urlpatterns = [
    path("o/<slug:org_slug>/audit/", views.audit_log, name="log"),
    path("o/<slug:org_slug>/audit/export.csv", views.audit_export, name="export"),
    path("o/<slug:org_slug>/audit/<int:pk>/", views.audit_detail, name="detail"),
]

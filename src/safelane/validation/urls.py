from django.urls import path

from safelane.validation import views

app_name = "validation"
BASE = "o/<slug:org_slug>/validation/"

urlpatterns = [
    path(BASE, views.validation_list, name="list"),
    path(f"{BASE}mock/new/", views.mock_create, name="mock_create"),
    path(f"{BASE}cbp/new/", views.cbp_create, name="cbp_create"),
    path(f"{BASE}<int:pk>/", views.validation_detail, name="detail"),
    path(f"{BASE}<int:pk>/edit/", views.validation_save, name="save"),
    path(f"{BASE}<int:pk>/response.docx", views.response_export, name="response_docx"),
    path(f"{BASE}<int:pk>/findings/", views.finding_add, name="finding_add"),
    path(f"{BASE}checklist/<int:pk>/", views.item_check, name="check"),
    path(f"{BASE}findings/<int:pk>/", views.finding_detail, name="finding"),
    path(f"{BASE}findings/<int:pk>/respond/", views.finding_respond, name="respond"),
    path(f"{BASE}findings/<int:pk>/status/", views.finding_status, name="finding_status"),
]

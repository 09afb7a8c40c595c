from django.urls import path

from safelane.transfer import views

app_name = "transfer"

urlpatterns = [
    path("o/<slug:org_slug>/archive/", views.transfer_page, name="page"),
    path("o/<slug:org_slug>/archive/export/", views.transfer_start, name="start"),
    path("o/<slug:org_slug>/archive/<int:pk>/download/", views.transfer_download, name="download"),
]

from django.urls import path

from safelane.jobs import views

app_name = "jobs"

urlpatterns = [
    path("o/<slug:org_slug>/jobs/<int:pk>/", views.job_detail, name="detail"),
    path("o/<slug:org_slug>/jobs/<int:pk>/download/", views.job_download, name="download"),
]

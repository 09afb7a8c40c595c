from django.urls import path

from safelane.evidence import views

app_name = "evidence"

urlpatterns = [
    path("o/<slug:org_slug>/evidence/", views.evidence_list, name="list"),
    path("o/<slug:org_slug>/evidence/new/", views.evidence_create, name="create"),
    path("o/<slug:org_slug>/evidence/<int:pk>/", views.evidence_detail, name="detail"),
    path("o/<slug:org_slug>/evidence/<int:pk>/archive/", views.evidence_archive, name="archive"),
    path(
        "o/<slug:org_slug>/evidence/versions/<int:pk>/download/",
        views.version_download,
        name="download",
    ),
    path("o/<slug:org_slug>/evidence/links/<int:pk>/delete/", views.link_delete, name="unlink"),
]

from django.urls import path

from safelane.evidence import views
from safelane.evidence.subjects import SUBJECTS

app_name = "evidence"
BASE = "o/<slug:org_slug>/evidence/"

urlpatterns = [
    path(BASE, views.evidence_list, name="list"),
    path(f"{BASE}new/", views.evidence_create, name="create"),
    path(f"{BASE}<int:pk>/", views.evidence_detail, name="detail"),
    path(f"{BASE}<int:pk>/edit/", views.evidence_save, name="save"),
    path(f"{BASE}<int:pk>/versions/", views.version_upload, name="upload"),
    path(f"{BASE}<int:pk>/archive/", views.evidence_archive, name="archive"),
    path(f"{BASE}<int:pk>/restore/", views.evidence_restore, name="restore"),
    path(f"{BASE}versions/<int:pk>/download/", views.version_download, name="download"),
    path(f"{BASE}links/<int:pk>/delete/", views.link_delete, name="unlink"),
    path(f"{BASE}links/<int:pk>/confirm/", views.link_confirm, name="confirm_link"),
    # One attach page per kind of record evidence supports (registered by their apps).
    *[
        path(
            f"{BASE}attach/{kind.name}/<int:pk>/",
            views.attach_view(kind),
            name=f"attach_{kind.name}",
        )
        for kind in SUBJECTS
    ],
]

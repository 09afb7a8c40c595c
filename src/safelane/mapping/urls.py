from django.urls import path

from safelane.mapping import views

app_name = "mapping"
BASE = "o/<slug:org_slug>/mapping/"

urlpatterns = [
    path(BASE, views.mapping_list, name="list"),
    path(f"{BASE}upload/", views.mapping_upload, name="upload"),
    path(f"{BASE}library/", views.map_evidence, name="map_evidence"),
    path(f"{BASE}<int:pk>/", views.document_detail, name="document"),
    path(f"{BASE}proposals/<int:pk>/accept/", views.proposal_accept, name="accept"),
    path(f"{BASE}proposals/<int:pk>/reject/", views.proposal_reject, name="reject"),
    path(f"{BASE}proposals/<int:pk>/undo/", views.proposal_reset, name="undo"),
]

from django.urls import path

from safelane.eligibility import views
from safelane.orgs import record_views

app_name = "eligibility"

urlpatterns = [
    path("o/<slug:org_slug>/eligibility/", views.index, name="index"),
    path("o/<slug:org_slug>/application/", views.profile, name="profile"),
    path("o/<slug:org_slug>/application/agreement/", views.agreement, name="agreement"),
    path(
        "o/<slug:org_slug>/application/portal-data.pdf", views.datasheet_pdf, name="datasheet_pdf"
    ),
    path(
        "o/<slug:org_slug>/application/portal-data.xlsx",
        views.datasheet_xlsx,
        name="datasheet_xlsx",
    ),
    *record_views.urls(views.ADDRESSES),
    *record_views.urls(views.CONTACTS),
    *record_views.urls(views.IDENTIFIERS),
    *record_views.urls(views.BONDS),
]

from django.urls import path

from safelane.membership import views

app_name = "membership"
BASE = "o/<slug:org_slug>/membership/"

urlpatterns = [
    path(BASE, views.membership_page, name="page"),
    path(f"{BASE}details/", views.membership_details, name="details"),
    path(f"{BASE}status/", views.membership_status, name="status"),
    path(f"{BASE}annual-review/", views.annual_review, name="annual_review"),
]

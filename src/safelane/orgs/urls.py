from django.urls import path

from safelane.orgs import views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.organisation_list, name="list"),
    path("orgs/new/", views.organisation_create, name="create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("o/<slug:org_slug>/", views.dashboard, name="dashboard"),
    path("o/<slug:org_slug>/search/", views.search, name="search"),
    path("o/<slug:org_slug>/settings/", views.organisation_settings, name="settings"),
    path("o/<slug:org_slug>/members/", views.members, name="members"),
    path("o/<slug:org_slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("o/<slug:org_slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("o/<slug:org_slug>/leave/", views.leave, name="leave"),
    path(
        "o/<slug:org_slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]

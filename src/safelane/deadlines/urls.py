from django.urls import path

from safelane.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("o/<slug:org_slug>/deadlines/", views.deadline_list, name="list"),
    path("me/calendar/", views.feed_page, name="feed"),
    path("me/calendar/create/", views.feed_create, name="feed_create"),
    path("me/calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.ical_feed, name="ical"),
]

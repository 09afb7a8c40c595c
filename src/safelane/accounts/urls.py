from django.urls import path

from safelane.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.token_list, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

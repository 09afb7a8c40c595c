from django.urls import path

from safelane.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/copy/", views.copy_templates, name="copy"),
]

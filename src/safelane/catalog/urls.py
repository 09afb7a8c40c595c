from django.urls import path

from safelane.catalog import views

app_name = "catalog"

urlpatterns = [
    path("o/<slug:org_slug>/catalog/", views.catalog_list, name="list"),
    path("o/<slug:org_slug>/catalog/export.<str:fmt>", views.catalog_export, name="export"),
    path("o/<slug:org_slug>/catalog/own/", views.own_list, name="own"),
    path("o/<slug:org_slug>/catalog/own/new/", views.own_create, name="own_create"),
    path("o/<slug:org_slug>/catalog/own/<int:pk>/", views.own_edit, name="own_edit"),
    path("o/<slug:org_slug>/catalog/own/<int:pk>/archive/", views.own_archive, name="own_archive"),
    path("o/<slug:org_slug>/catalog/<str:ident>/", views.criterion_detail, name="criterion"),
    path("catalog-admin/", views.catalog_admin, name="admin"),
    path("catalog-admin/<int:pk>/", views.catalog_admin_version, name="admin_version"),
    path("catalog-admin/official/", views.official_upload, name="official"),
    path("catalog-admin/official/<int:pk>/", views.official_detail, name="official_detail"),
]

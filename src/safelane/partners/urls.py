from django.urls import path

from safelane.partners import views

app_name = "partners"
BASE = "o/<slug:org_slug>/partners/"

urlpatterns = [
    path(BASE, views.partner_list, name="list"),
    path(f"{BASE}new/", views.partner_create, name="create"),
    path(f"{BASE}import/", views.import_upload, name="import"),
    path(f"{BASE}import/columns/", views.import_columns, name="import_columns"),
    path(f"{BASE}export.<str:fmt>", views.partner_export, name="export"),
    path(f"{BASE}screening/", views.hit_list, name="hits"),
    path(f"{BASE}screening/<int:pk>/", views.hit_detail, name="hit"),
    path(f"{BASE}screening/<int:pk>/decision/", views.hit_decide, name="hit_decide"),
    path(f"{BASE}<int:pk>/", views.partner_detail, name="detail"),
    path(f"{BASE}<int:pk>/edit/", views.partner_save, name="save"),
    path(f"{BASE}<int:pk>/tier/", views.partner_tier, name="tier"),
    path(f"{BASE}<int:pk>/screen/", views.partner_rescreen, name="rescreen"),
    path(f"{BASE}<int:pk>/archive/", views.partner_archive, name="archive"),
    path(f"{BASE}<int:pk>/restore/", views.partner_restore, name="restore"),
    path(f"{BASE}<int:pk>/facilities/", views.facility_add, name="facility_add"),
    path(f"{BASE}<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path(f"{BASE}facilities/<int:pk>/remove/", views.facility_remove, name="facility_remove"),
    path(f"{BASE}contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
]

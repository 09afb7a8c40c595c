from django.urls import path

from safelane.training import views

app_name = "training"
BASE = "o/<slug:org_slug>/training/"

urlpatterns = [
    path(BASE, views.matrix_page, name="matrix"),
    path(f"{BASE}export.<str:fmt>", views.matrix_export, name="export"),
    path(f"{BASE}people/", views.people_list, name="people"),
    path(f"{BASE}people/new/", views.person_create, name="person_create"),
    path(f"{BASE}people/import/", views.import_upload, name="import"),
    path(f"{BASE}people/import/columns/", views.import_columns, name="import_columns"),
    path(f"{BASE}people/<int:pk>/", views.person_detail, name="person"),
    path(f"{BASE}people/<int:pk>/edit/", views.person_save, name="person_save"),
    path(f"{BASE}people/<int:pk>/screening/", views.person_screening, name="person_screening"),
    path(f"{BASE}people/<int:pk>/conduct/", views.person_acknowledge, name="person_acknowledge"),
    path(f"{BASE}personnel-security/", views.security_list, name="security"),
    path(f"{BASE}courses/", views.course_list, name="courses"),
    path(f"{BASE}courses/starter/", views.courses_load, name="courses_load"),
    path(f"{BASE}courses/new/", views.course_create, name="course_create"),
    path(f"{BASE}courses/<int:pk>/", views.course_detail, name="course"),
    path(f"{BASE}courses/<int:pk>/edit/", views.course_save, name="course_save"),
    path(f"{BASE}courses/<int:pk>/archive/", views.course_archive, name="course_archive"),
    path(f"{BASE}sessions/", views.session_list, name="sessions"),
    path(f"{BASE}sessions/new/", views.session_create, name="session_create"),
    path(f"{BASE}sessions/<int:pk>/", views.session_detail, name="session"),
    path(f"{BASE}sessions/<int:pk>/attendance.pdf", views.session_sheet, name="session_sheet"),
    path(f"{BASE}sessions/<int:pk>/edit/", views.session_save, name="session_save"),
    path(f"{BASE}sessions/<int:pk>/attendees/", views.session_attendees, name="session_attendees"),
    path(f"{BASE}sessions/<int:pk>/scores/", views.session_scores, name="session_scores"),
    path(f"{BASE}attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
]

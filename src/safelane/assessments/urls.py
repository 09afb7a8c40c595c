from django.urls import path

from safelane.assessments import views

app_name = "assessments"

EXPORTS = (
    ("pdf", "security-profile.pdf"),
    ("docx", "security-profile.docx"),
    ("xlsx", "gap-register.xlsx"),
    ("oscal", "assessment-results.json"),
)
CYCLE = "o/<slug:org_slug>/assessments/<int:pk>/"
RESPONSE = "o/<slug:org_slug>/assessments/responses/<int:pk>/"

urlpatterns = [
    path("o/<slug:org_slug>/assessments/", views.cycle_list, name="list"),
    path(CYCLE, views.cycle_detail, name="cycle"),
    path(f"{CYCLE}gaps/", views.cycle_gaps, name="gaps"),
    path(f"{CYCLE}portal/", views.cycle_portal, name="portal"),
    path(f"{CYCLE}compare/", views.cycle_compare, name="compare"),
    path(f"{CYCLE}close/", views.cycle_close, name="close"),
    path(f"{CYCLE}package/", views.cycle_package, name="package"),
    *[
        path(f"{CYCLE}{filename}", views.cycle_export, {"fmt": fmt}, name=f"export_{fmt}")
        for fmt, filename in EXPORTS
    ],
    path(f"{RESPONSE}", views.response_detail, name="response"),
    path(f"{RESPONSE}answer/", views.response_save, name="response_save"),
    path(f"{RESPONSE}sign-off/", views.response_sign_off, name="response_sign_off"),
    path(f"{RESPONSE}comments/", views.response_comment, name="response_comment"),
]

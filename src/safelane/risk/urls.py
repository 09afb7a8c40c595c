from django.urls import path

from safelane.orgs.record_views import urls as record_urls
from safelane.risk import views

app_name = "risk"
BASE = "o/<slug:org_slug>/risk/"

urlpatterns = [
    path(BASE, views.assessment_list, name="list"),
    path(f"{BASE}threats/import/", views.threats_import, name="threats_import"),
    *record_urls(views.THREAT_TABLE),
    path(f"{BASE}<int:pk>/", views.assessment_detail, name="detail"),
    path(f"{BASE}<int:pk>/points/", views.point_add, name="point_add"),
    path(f"{BASE}<int:pk>/legs/", views.leg_add, name="leg_add"),
    path(f"{BASE}<int:pk>/threats/", views.threats_save, name="threats"),
    path(f"{BASE}<int:pk>/vulnerabilities/", views.vulnerabilities_save, name="vulnerabilities"),
    path(f"{BASE}<int:pk>/document/", views.finalise, name="finalise"),
    path(f"{BASE}risks/<int:pk>/action/", views.risk_action, name="risk_action"),
    path(f"{BASE}<int:pk>/changes/", views.assessment_compare, name="compare"),
    path(f"{BASE}<int:pk>/report.pdf", views.report_document, {"fmt": "pdf"}, name="report_pdf"),
    path(f"{BASE}<int:pk>/report.docx", views.report_document, {"fmt": "docx"}, name="report_docx"),
    path(f"{BASE}points/<int:pk>/", views.node_edit, name="node_edit"),
    path(f"{BASE}points/<int:pk>/delete/", views.node_delete, name="node_delete"),
    path(f"{BASE}legs/<int:pk>/", views.leg_edit, name="leg_edit"),
    path(f"{BASE}legs/<int:pk>/delete/", views.leg_delete, name="leg_delete"),
]

"""/api/v1/: every endpoint is declared here so the API reads as one list."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from safelane.audit.api import AuditEntryViewSet
from safelane.orgs.api import MemberViewSet, MyOrganisationList, OrganisationDetail

router = SimpleRouter()
router.register(r"orgs/(?P<org_slug>[-\w]+)/members", MemberViewSet, basename="member")
router.register(
    r"orgs/(?P<org_slug>[-\w]+)/audit-entries", AuditEntryViewSet, basename="audit-entry"
)

app_name = "api"

urlpatterns = [
    path("orgs/", MyOrganisationList.as_view(), name="my-organisations"),
    path("orgs/<slug:org_slug>/", OrganisationDetail.as_view(), name="organisation"),
    *router.urls,
]

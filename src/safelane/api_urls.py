"""/api/v1/: every endpoint is declared here so the API reads as one list."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from safelane.actions.api import ActionViewSet
from safelane.assessments.api import CycleViewSet, ResponseViewSet
from safelane.audit.api import AuditEntryViewSet
from safelane.deadlines.api import MyCalendarFeed
from safelane.incidents.api import IncidentViewSet
from safelane.inspections.api import InspectionViewSet
from safelane.membership.api import MembershipDetail
from safelane.orgs.api import MemberViewSet, MyOrganisationList, OrganisationDetail
from safelane.partners.api import HitViewSet, PartnerViewSet
from safelane.portfolio.api import Portfolio
from safelane.questionnaires.api import QuestionnaireViewSet
from safelane.risk.api import RiskAssessmentViewSet
from safelane.training.api import CourseViewSet, MatrixViewSet, PersonViewSet, SessionViewSet
from safelane.validation.api import FindingViewSet

ORG = r"orgs/(?P<org_slug>[-\w]+)"

router = SimpleRouter()
router.register(f"{ORG}/members", MemberViewSet, basename="member")
router.register(f"{ORG}/audit-entries", AuditEntryViewSet, basename="audit-entry")
router.register(f"{ORG}/assessments", CycleViewSet, basename="assessment")
router.register(f"{ORG}/responses", ResponseViewSet, basename="response")
router.register(f"{ORG}/actions", ActionViewSet, basename="action")
router.register(f"{ORG}/risk-assessments", RiskAssessmentViewSet, basename="risk-assessment")
router.register(f"{ORG}/partners", PartnerViewSet, basename="partner")
router.register(f"{ORG}/screening-hits", HitViewSet, basename="screening-hit")
router.register(f"{ORG}/questionnaires", QuestionnaireViewSet, basename="questionnaire")
router.register(f"{ORG}/people", PersonViewSet, basename="person")
router.register(f"{ORG}/courses", CourseViewSet, basename="course")
router.register(f"{ORG}/training-sessions", SessionViewSet, basename="training-session")
router.register(f"{ORG}/training-matrix", MatrixViewSet, basename="training-matrix")
router.register(f"{ORG}/inspections", InspectionViewSet, basename="inspection")
router.register(f"{ORG}/findings", FindingViewSet, basename="finding")
router.register(f"{ORG}/incidents", IncidentViewSet, basename="incident")

app_name = "api"

urlpatterns = [
    path("orgs/", MyOrganisationList.as_view(), name="my-organisations"),
    path("me/calendar-feed/", MyCalendarFeed.as_view(), name="my-calendar-feed"),
    path("portfolio/", Portfolio.as_view(), name="portfolio"),
    path("orgs/<slug:org_slug>/", OrganisationDetail.as_view(), name="organisation"),
    path("orgs/<slug:org_slug>/membership/", MembershipDetail.as_view(), name="membership"),
    *router.urls,
]

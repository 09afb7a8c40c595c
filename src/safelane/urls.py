from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safelane import views as shell_views
from safelane.accounts.language import set_language
from safelane.help import help_index, help_page
from safelane.orgs import views as org_views
from safelane.orgs.access import public_view

urlpatterns = [
    path("", org_views.home, name="home"),
    path("health/", shell_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    # The language switch (a signed-in person's choice is kept on their profile).
    path("i18n/setlang/", set_language, name="set_language"),
    path("help/", help_index, name="help_index"),
    path("help/<str:language>/<str:name>/", help_page, name="help_page"),
    path("", include("safelane.accounts.urls")),
    path("", include("safelane.orgs.urls")),
    path("", include("safelane.audit.urls")),
    path("", include("safelane.catalog.urls")),
    path("", include("safelane.eligibility.urls")),
    path("", include("safelane.assessments.urls")),
    path("", include("safelane.evidence.urls")),
    path("", include("safelane.jobs.urls")),
    path("", include("safelane.actions.urls")),
    path("", include("safelane.partners.urls")),
    path("", include("safelane.questionnaires.urls")),
    path("", include("safelane.risk.urls")),
    path("", include("safelane.training.urls")),
    path("", include("safelane.membership.urls")),
    path("", include("safelane.deadlines.urls")),
    path("", include("safelane.portfolio.urls")),
    path("", include("safelane.transfer.urls")),
    path("", include("safelane.mapping.urls")),
    path("", include("safelane.inspections.urls")),
    path("", include("safelane.validation.urls")),
    path("", include("safelane.incidents.urls")),
    path("api/v1/", include("safelane.api_urls")),
    path("api/schema/", public_view(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves Swagger UI's start-up script as a file of its own (CSP: no
        # inline script); the page template leaves out the package's inline <style>.
        public_view(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api_docs.html"
            )
        ),
        name="api-docs",
    ),
]

handler403 = "safelane.views.error_403"
handler404 = "safelane.views.error_404"
handler500 = "safelane.views.error_500"

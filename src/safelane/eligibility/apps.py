from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """Eligibility per entity type, the company profile the CTPAT Portal asks for, readiness."""

    name = "safelane.eligibility"
    label = "eligibility"

    def ready(self) -> None:
        from safelane.eligibility import selectors
        from safelane.orgs import dashboard

        dashboard.register(10, selectors.dashboard_tile)
        dashboard.register_step("eligibility", selectors.road_progress)

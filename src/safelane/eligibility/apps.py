from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """Eligibility per entity type, the company profile the CTPAT Portal asks for, readiness."""

    name = "safelane.eligibility"
    label = "eligibility"

    def ready(self) -> None:
        from safelane.assessments import services as assessments
        from safelane.eligibility import datasheet, selectors
        from safelane.orgs import dashboard

        assessments.register_company_facts(datasheet.company_facts)
        dashboard.register(10, selectors.dashboard_tile)
        dashboard.register_step("eligibility", selectors.road_progress)

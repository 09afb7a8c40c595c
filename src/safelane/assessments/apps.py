from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Self-assessment cycles: one response per applicable criterion, scores, gaps, the profile."""

    name = "safelane.assessments"
    label = "assessments"

    def ready(self) -> None:
        from safelane.actions import services as actions
        from safelane.assessments import selectors
        from safelane.evidence import services as evidence
        from safelane.orgs import dashboard

        dashboard.register(20, selectors.dashboard_tile)
        evidence.register_subject(selectors.evidence_subject())
        actions.register_origin(selectors.action_origin())

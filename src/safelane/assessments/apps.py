from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Self-assessment cycles: one response per applicable criterion, scores, gaps, the profile."""

    name = "safelane.assessments"
    label = "assessments"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from safelane.actions import services as actions
        from safelane.assessments import selectors
        from safelane.evidence import services as evidence
        from safelane.orgs import dashboard, search

        dashboard.register(20, selectors.dashboard_tile)
        evidence.register_subject(selectors.evidence_subject())
        actions.register_origin(selectors.action_origin())
        search.register(20, search.Source(_("Answers"), selectors.search_results))
        dashboard.register_step("self-assessment", selectors.road_progress)
        dashboard.register_step("profile", selectors.profile_progress)

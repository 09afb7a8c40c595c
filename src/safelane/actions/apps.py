from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Action plans: what closes each gap and risk, who does it, by when, and what it costs."""

    name = "safelane.actions"
    label = "actions"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from safelane.actions import selectors
        from safelane.evidence import services as evidence
        from safelane.orgs import dashboard, search

        dashboard.register(50, selectors.dashboard_tile)
        evidence.register_subject(selectors.evidence_subject())
        search.register(
            50, search.Source(_("Actions"), selectors.search_results, list_view="actions:list")
        )
        dashboard.register_step("gaps", selectors.road_progress)

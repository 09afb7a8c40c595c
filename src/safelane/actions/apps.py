from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Action plans: what closes each gap and risk, who does it, by when, and what it costs."""

    name = "safelane.actions"
    label = "actions"

    def ready(self) -> None:
        from safelane.actions import selectors
        from safelane.evidence import services as evidence
        from safelane.orgs import dashboard

        dashboard.register(50, selectors.dashboard_tile)
        evidence.register_subject(selectors.evidence_subject())

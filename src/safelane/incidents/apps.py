from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Security incidents: the report to CBP, the post-incident analysis (7.37), corrective
    actions, and what they suggest for the next risk assessment's threat ratings."""

    name = "safelane.incidents"
    label = "incidents"

    def ready(self) -> None:
        from safelane.actions import services as actions
        from safelane.incidents import selectors
        from safelane.risk import services as risk

        actions.register_origin(selectors.action_origin())
        risk.register_threat_hints(selectors.threat_hints)

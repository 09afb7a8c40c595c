from django.apps import AppConfig


class RiskConfig(AppConfig):
    """CBP's five-step supply-chain risk assessment: map, threats, vulnerabilities, risks, report."""

    name = "safelane.risk"
    label = "risk"

    def ready(self) -> None:
        from safelane.orgs import dashboard
        from safelane.risk import selectors

        dashboard.register(40, selectors.dashboard_tile)

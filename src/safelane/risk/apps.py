from django.apps import AppConfig


class RiskConfig(AppConfig):
    """CBP's five-step supply-chain risk assessment: map, threats, vulnerabilities, risks, report."""

    name = "safelane.risk"
    label = "risk"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from safelane.actions import services as actions
        from safelane.orgs import dashboard, search
        from safelane.partners import services as partners
        from safelane.risk import selectors

        dashboard.register(40, selectors.dashboard_tile)
        actions.register_origin(selectors.action_origin())
        partners.register_country_levels(selectors.country_levels)
        search.register(40, search.Source(_("Risk assessment points"), selectors.search_results))
        dashboard.register_step("risk", selectors.road_progress)

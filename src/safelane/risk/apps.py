from django.apps import AppConfig


class RiskConfig(AppConfig):
    """CBP's five-step supply-chain risk assessment: map, threats, vulnerabilities, risks, report."""

    name = "safelane.risk"
    label = "risk"

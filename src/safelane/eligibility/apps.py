from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """Eligibility per entity type, the company profile the CTPAT Portal asks for, readiness."""

    name = "safelane.eligibility"
    label = "eligibility"

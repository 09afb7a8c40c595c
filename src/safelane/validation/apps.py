from django.apps import AppConfig


class ValidationConfig(AppConfig):
    """Validations: a mock one drawn from the self-assessment and the risk assessment, CBP's
    own as notified, the checklist, and findings that become actions."""

    name = "safelane.validation"
    label = "validation"

    def ready(self) -> None:
        from safelane.actions import services as actions
        from safelane.evidence import services as evidence
        from safelane.orgs import dashboard
        from safelane.validation import selectors

        actions.register_origin(selectors.action_origin())
        evidence.register_subject(selectors.finding_subject())
        evidence.register_subject(selectors.validation_subject())
        dashboard.register(75, selectors.dashboard_tile)

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Field inspections (MSC 5, 6, 8 and 10): checklist templates, inspections of
    conveyances and containers, seal control, visitor logs, and the offline phone app."""

    name = "safelane.inspections"
    label = "inspections"

    def ready(self) -> None:
        from safelane.actions import services as actions
        from safelane.evidence import services as evidence
        from safelane.inspections import selectors

        evidence.register_subject(selectors.evidence_subject())
        actions.register_origin(selectors.action_origin())

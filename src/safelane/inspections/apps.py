from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Field inspections (MSC 5, 6, 8 and 10): checklist templates, inspections of
    conveyances and containers, seal control, visitor logs, and the offline phone app."""

    name = "safelane.inspections"
    label = "inspections"

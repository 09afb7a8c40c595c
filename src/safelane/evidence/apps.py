from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """The evidence library: documents, photos and records, versioned and linked to criteria."""

    name = "safelane.evidence"
    label = "evidence"

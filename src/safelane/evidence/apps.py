from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """The evidence library: documents, photos and records, versioned and linked to criteria."""

    name = "safelane.evidence"
    label = "evidence"

    def ready(self) -> None:
        from safelane.evidence import selectors
        from safelane.orgs import dashboard

        dashboard.register(30, selectors.dashboard_tile)

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """The evidence library: documents, photos and records, versioned and linked to criteria."""

    name = "safelane.evidence"
    label = "evidence"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from safelane.evidence import selectors
        from safelane.orgs import dashboard, search

        dashboard.register(30, selectors.dashboard_tile)
        search.register(
            30, search.Source(_("Evidence"), selectors.search_results, list_view="evidence:list")
        )

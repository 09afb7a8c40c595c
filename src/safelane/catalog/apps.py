from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_bundled_catalog(sender: Any, **kwargs: Any) -> None:
    """A new database starts with the MSC catalog shipped in catalog/data."""
    from safelane.catalog.loader import ensure_bundled_catalog

    ensure_bundled_catalog(using=kwargs.get("using", "default"))


class CatalogConfig(AppConfig):
    name = "safelane.catalog"
    label = "catalog"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from safelane.catalog import selectors
        from safelane.orgs import search

        post_migrate.connect(load_bundled_catalog, sender=self)
        search.register(
            10,
            search.Source(
                _("Security criteria"), selectors.search_results, list_view="catalog:list"
            ),
        )

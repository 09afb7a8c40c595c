from django.apps import AppConfig


class MappingConfig(AppConfig):
    """Maps a company's existing documents to the criteria: text extraction, sections, the
    offline ranker (ranking/), proposals to accept or reject, and the batch command."""

    name = "safelane.mapping"
    label = "mapping"

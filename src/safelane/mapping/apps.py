from django.apps import AppConfig


class MappingConfig(AppConfig):
    """Maps a company's existing documents to the criteria: text extraction, sections, the
    offline ranker (ranking/), proposals to accept or reject, and the batch command."""

    name = "safelane.mapping"
    label = "mapping"

    def ready(self) -> None:
        from safelane.jobs import services as jobs
        from safelane.mapping import selectors

        jobs.register_destination("document-mapping", selectors.job_destination)

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Long work run by the task worker, with the progress a person watches on a page."""

    name = "safelane.jobs"
    label = "jobs"

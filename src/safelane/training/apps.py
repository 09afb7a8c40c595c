from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Training, awareness and personnel security (MSC categories 11 and 12): the people
    register and its imports, courses, sessions with attendance and scores, the matrix."""

    name = "safelane.training"
    label = "training"

    def ready(self) -> None:
        from safelane.evidence import services as evidence
        from safelane.jobs import services as jobs
        from safelane.orgs import dashboard
        from safelane.training import selectors

        evidence.register_subject(selectors.course_subject())
        evidence.register_subject(selectors.session_subject())
        jobs.register_destination("people-import", selectors.job_destination)
        dashboard.register(45, selectors.dashboard_tile)

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Self-assessment cycles: one response per applicable criterion, scores, gaps, the profile."""

    name = "safelane.assessments"
    label = "assessments"

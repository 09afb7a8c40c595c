from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Action plans: what closes each gap and risk, who does it, by when, and what it costs."""

    name = "safelane.actions"
    label = "actions"

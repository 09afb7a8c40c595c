from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    """One calendar of everything due: the membership clocks, actions and evidence reviews, in
    a list or month view per organisation and an iCalendar feed per person."""

    name = "safelane.deadlines"
    label = "deadlines"

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    """A consultant's portfolio: every organisation they belong to on one page, with its
    membership status, how far its self-assessment is, its overdue actions and its next
    deadline."""

    name = "safelane.portfolio"
    label = "portfolio"

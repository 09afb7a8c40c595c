from django.apps import AppConfig


class MembershipConfig(AppConfig):
    """The CTPAT membership after the application: status, tier, the clocks that follow from
    its dates (decision, validation, annual review, revalidation, suspension, appeal) and the
    officer's annual review affirmations."""

    name = "safelane.membership"
    label = "membership"

    def ready(self) -> None:
        from safelane.membership import selectors
        from safelane.orgs import dashboard

        dashboard.register(5, selectors.dashboard_tile)

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Business partners (MSC category 3): the register, CTPAT and AEO status, risk tiers,
    imports, and screening against the restricted-party lists."""

    name = "safelane.partners"
    label = "partners"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from safelane.actions import services as actions
        from safelane.evidence import services as evidence
        from safelane.jobs import services as jobs
        from safelane.orgs import dashboard, search
        from safelane.partners import selectors, tasks
        from safelane.screening import services as lists

        dashboard.register(35, selectors.dashboard_tile)
        evidence.register_subject(selectors.evidence_subject())
        actions.register_origin(selectors.action_origin())
        lists.on_new_snapshot(tasks.rescreen_after_load)
        for kind in ("partner-import", "rescreen"):
            jobs.register_destination(kind, selectors.job_destination)
        search.register(
            35,
            search.Source(
                _("Business partners"), selectors.search_results, list_view="partners:list"
            ),
        )

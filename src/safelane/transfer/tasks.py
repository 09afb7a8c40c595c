"""The archive of an organisation, built in the background for its settings page."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from safelane.accounts.models import User
from safelane.core.audit import audit_source
from safelane.core.models import AuditSource
from safelane.jobs import services as jobs
from safelane.orgs.models import Organisation


@task()
def build_export(org_id: int, job_id: int, actor_id: int) -> None:
    from safelane.transfer import services

    org = Organisation.objects.get(pk=org_id)
    job = jobs.job_for_task(org, job_id)
    actor = User.objects.get(pk=actor_id)
    try:
        with (
            audit_source(AuditSource.TASK),
            translation.override(actor.speaks(org.default_language)),
        ):
            services.build_export(org=org, actor=actor, job=job)
    except Exception as exc:
        jobs.fail(job, str(getattr(exc, "message", exc)))
        raise

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safelane.jobs import services
from safelane.jobs.models import Job, JobStatus
from safelane.orgs.access import OrgRequest, org_object, org_view


@org_view(model=Job)
@require_safe
def job_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """The job's progress; the page polls this same URL with HTMX until the job finishes."""
    job = org_object(Job, request.org, pk=pk)
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "destination": services.destination(job)})


@org_view(model=Job)
@require_safe
def job_download(request: OrgRequest, pk: int) -> FileResponse:
    job = org_object(Job, request.org, pk=pk)
    if job.status != JobStatus.DONE or not job.result_path:
        raise Http404
    if not default_storage.exists(job.result_path):
        raise Http404
    return FileResponse(
        default_storage.open(job.result_path, "rb"), as_attachment=True, filename=job.result_name
    )

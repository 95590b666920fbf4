"""Background work of drafting: thin wrappers over services."""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(job_id: int) -> str:
    from .services.exports import export_run

    return export_run(job_id=job_id)

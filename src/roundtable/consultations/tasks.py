"""Background work of the consultations app: thin wrappers over services."""

from __future__ import annotations

from django_tasks import task


@task()
def analyse_call(call_id: int) -> str:
    from .services.analysis import analysis_run

    return analysis_run(call_id=call_id)

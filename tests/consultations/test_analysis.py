"""The analysis dashboard: recomputed in the background, throttled, and degrading gracefully."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roundtable.consultations import services
from roundtable.consultations.models import CallAnalysis
from roundtable.core.periodic import run_due_jobs
from tests.consultations.conftest import make_call

pytestmark = pytest.mark.django_db

LETTER = (
    "Protect net neutrality now. Internet providers must not slow down or block any "
    "lawful content, and the Working Group should say so clearly in its report."
)


def analysis_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="analyse_call"))


def test_submissions_queue_at_most_one_run_per_interval(personas, submit, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_ANALYSIS_INTERVAL_SECONDS": 180}
    call = make_call(personas)
    submit(call, person=personas.public)
    submit(call, person=personas.member)
    submit(call, person=personas.observer)
    [task] = analysis_tasks()
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # due at once
    assert services.analysis_run(call_id=call.pk) == "ok"
    submit(call, person=personas.chair)
    queued = [t for t in analysis_tasks() if t.status == "READY"]
    assert len(queued) == 2  # the first (run by hand above, still queued) and the next
    queued = [t for t in queued if t.pk != task.pk]
    assert not DBTaskResult.objects.ready().filter(pk=queued[0].pk).exists()
    state = CallAnalysis.objects.get(call=call)
    # The next run waits for the interval after the last one started.
    assert queued[0].run_after >= state.started_at + dt.timedelta(seconds=179)


def test_the_dashboard_shows_campaigns_themes_quotes_and_shares(personas, submit, run_tasks):
    call = make_call(personas)
    people = [personas.public, personas.member, personas.observer, personas.chair]
    for person in people:
        submit(call, person=person, text=LETTER, stakeholder_group="civil-society")
    submit(
        call,
        person=personas.secretariat,
        text="Spam filtering by providers should be transparent and appealable.",
        stakeholder_group="private-sector",
    )
    run_tasks()
    state = CallAnalysis.objects.get(call=call)
    assert state.computed_at is not None and state.rows == 5
    [campaign] = state.result["campaigns"]
    assert campaign["size"] == 4 and campaign["by_group"] == {"civil-society": 4}
    assert state.result["themes"] and all("members" in t for t in state.result["themes"])
    client = Client()
    client.force_login(personas.secretariat)
    html = client.get(f"/p/wgt/calls/{call.pk}/analysis/").content.decode()
    assert "4 copies" in html
    assert "Protect net neutrality now." in html  # the representative quote
    assert "Civil society" in html and "80%" in html and "20%" in html
    # The moderation queue filtered by the campaign shows only its members.
    queue = client.get(
        f"/p/wgt/calls/{call.pk}/moderation/?campaign={campaign['representative']}"
    ).content.decode()
    assert queue.count('class="submission"') == 4
    theme = state.result["themes"][0]
    queue = client.get(f"/p/wgt/calls/{call.pk}/moderation/?theme={theme['id']}").content.decode()
    assert queue.count('class="submission"') == len(theme["members"])
    api = client.get(f"/api/processes/wgt/calls/{call.pk}/analysis").json()
    assert api["result"]["campaigns"][0]["size"] == 4 and api["last_run_failed"] is False


def test_a_failed_run_keeps_the_last_good_result(personas, submit, run_tasks, settings):
    call = make_call(personas)
    submit(call, person=personas.public, text=LETTER)
    submit(call, person=personas.member, text=LETTER)
    run_tasks()
    good = CallAnalysis.objects.get(call=call)
    assert good.rows == 2
    # The operator's limit is now below the number of submissions: the run fails.
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_ANALYSIS_MAX_SUBMISSIONS": 2}
    submit(call, person=personas.observer, text="A third, different comment about spam.")
    run_tasks()
    state = CallAnalysis.objects.get(call=call)
    assert state.last_run_failed
    assert state.result == good.result and state.computed_at == good.computed_at
    assert "Too many submissions for the analysis: 3, limit 2" in state.error
    client = Client()
    client.force_login(personas.chair)
    html = client.get(f"/p/wgt/calls/{call.pk}/analysis/").content.decode()
    assert "The latest run failed" in html and "Showing the last good result." in html
    assert "2 copies" in html
    api = client.get(f"/api/processes/wgt/calls/{call.pk}/analysis").json()
    assert api["last_run_failed"] is True and api["result"]["campaigns"][0]["size"] == 2
    # Once the limit allows it again, the next run succeeds and clears the notice.
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_ANALYSIS_MAX_SUBMISSIONS": 100}
    services.analysis_request(call=call)
    run_tasks()
    state.refresh_from_db()
    assert not state.last_run_failed and state.rows == 3


def test_a_lost_task_is_requeued_by_the_periodic_job(personas, submit, run_tasks):
    call = make_call(personas)
    submit(call)
    DBTaskResult.objects.all().delete()  # the worker lost it
    CallAnalysis.objects.filter(call=call).update(
        scheduled_for=timezone.now() - dt.timedelta(hours=1)
    )
    run_due_jobs(force=True, only={"consultations.requeue_analyses"})
    run_tasks()
    assert CallAnalysis.objects.get(call=call).computed_at is not None


def test_a_run_with_nothing_new_is_skipped(personas, submit, run_tasks):
    call = make_call(personas)
    submit(call)
    run_tasks()
    assert services.analysis_run(call_id=call.pk) == "skipped"

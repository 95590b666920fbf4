"""The demo loads the agenda, twice without change, and tells the story it should."""

from __future__ import annotations

import pytest

from roundtable.agenda import demo, selectors
from roundtable.agenda.models import (
    Cluster,
    ClusterSuggestion,
    IssueProposal,
    PolicyIssue,
    RankingEntry,
    Rating,
)
from roundtable.processes.demo import load_process

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (PolicyIssue, IssueProposal, Cluster, Rating, RankingEntry, ClusterSuggestion)
    )


def test_demo_is_idempotent_and_balanced_differs_from_raw():
    context = load_process()
    demo.load(context)
    first = counts()
    demo.load(load_process())
    assert counts() == first
    process = context.process
    active = selectors.active_issues(process=process)
    assert 38 <= active.count() <= 45
    assert Cluster.objects.filter(process=process).count() == 4
    assert not active.filter(cluster__isnull=True, status="accepted").exists()
    assert PolicyIssue.objects.filter(status="merged").count() == 3
    assert IssueProposal.objects.exclude(issue_id=models_original()).count() == 3
    for method in ("ratings", "rankings"):
        view = selectors.priority_results(process=process, method=method)
        assert view.top_differs, method
        assert view.raw_rows[0].issue.title == "Oversight of root zone changes"
    assert ClusterSuggestion.objects.get().clusters.count() == 4
    languages = set(active.values_list("language", flat=True))
    assert {"en", "fr", "es", "ar", "ru", "zh-hans"} <= languages


def models_original():
    from django.db.models import F

    return F("original_issue_id")

"""Suggested clusters from issue texts (the analysis engine), accepted in part."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.agenda import services
from roundtable.agenda.models import Cluster, PolicyIssue, SuggestedCluster
from roundtable.audit.models import AuditEntry
from tests.agenda.conftest import propose

pytestmark = pytest.mark.django_db

TEXTS = [
    ("Root zone oversight", "Who authorises changes to the root zone file and the root servers."),
    ("Root server operators", "The root servers and the root zone need accountable operators."),
    ("Spam", "Unsolicited bulk e-mail spam floods mailboxes; spam laws differ."),
    ("Spam across borders", "Cross-border spam e-mail needs cooperation against spam senders."),
    ("Capacity building", "Training and capacity building for developing countries."),
    ("Capacity for policy", "Capacity building so developing countries can take part in policy."),
    ("Renforcement des capacités", "Formation et renforcement des capacités des pays en développement."),
]  # fmt: skip


@pytest.fixture
def texts(personas):
    return [propose(personas, title, description) for title, description in TEXTS]


def clusters_of(suggestion) -> list[set[str]]:
    titles = dict(PolicyIssue.objects.values_list("pk", "title"))
    return [{titles[pk] for pk in item.issue_ids} for item in suggestion.clusters.all()]


def test_suggested_clusters_group_related_issue_texts(personas, texts):
    suggestion = services.suggestion_create(
        actor=personas.secretariat, process=personas.process, clusters=3
    )
    groups = clusters_of(suggestion)
    assert len(groups) == 3

    # Related texts land together (the French one shares no words with the others,
    # so where it goes is the engine's choice), and unrelated ones apart.
    def group_of(title: str) -> set[str]:
        return next(group for group in groups if title in group)

    assert "Root server operators" in group_of("Root zone oversight")
    assert "Spam across borders" in group_of("Spam")
    assert "Capacity for policy" in group_of("Capacity building")
    assert group_of("Spam") != group_of("Root zone oversight") != group_of("Capacity building")
    assert group_of("Spam") != group_of("Capacity building")
    # Every issue is placed exactly once.
    placed = [title for group in groups for title in group]
    assert sorted(placed) == sorted(title for title, _d in TEXTS)
    item = suggestion.clusters.first()
    assert item.terms and item.representative_ids
    assert AuditEntry.objects.filter(action="cluster_suggestion.created").exists()


def test_accept_in_part_with_a_new_name(personas, texts):
    suggestion = services.suggestion_create(
        actor=personas.secretariat, process=personas.process, clusters=3
    )
    spam = next(
        item
        for item in suggestion.clusters.all()
        if {"Spam", "Spam across borders"}
        <= {PolicyIssue.objects.get(pk=pk).title for pk in item.issue_ids}
    )
    keep = [pk for pk in spam.issue_ids if PolicyIssue.objects.get(pk=pk).title == "Spam"]
    cluster = services.suggestion_accept(
        actor=personas.secretariat, suggested=spam, issue_ids=keep, title="Use of the Internet"
    )
    assert cluster.title == "Use of the Internet"
    assert [issue.title for issue in cluster.issues.all()] == ["Spam"]
    assert PolicyIssue.objects.get(title="Spam across borders").cluster is None
    spam.refresh_from_db()
    assert spam.accepted_cluster == cluster and spam.accepted_issue_ids == keep
    entry = AuditEntry.objects.get(action="cluster_suggestion.accepted")
    assert entry.data["left_out"] == [pk for pk in spam.issue_ids if pk not in keep]
    with pytest.raises(ValidationError, match="already accepted"):
        services.suggestion_accept(
            actor=personas.secretariat, suggested=spam, issue_ids=keep, title="Again"
        )


def test_accept_into_an_existing_cluster_and_default_name(personas, texts):
    existing = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Development"
    )
    suggestion = services.suggestion_create(
        actor=personas.secretariat, process=personas.process, clusters=3
    )
    first, second = list(suggestion.clusters.all())[:2]
    services.suggestion_accept(
        actor=personas.secretariat, suggested=first, issue_ids=first.issue_ids, cluster=existing.pk
    )
    assert existing.issues.count() == len(first.issue_ids)
    made = services.suggestion_accept(
        actor=personas.secretariat, suggested=second, issue_ids=second.issue_ids
    )
    assert made.title == second.label and made.title
    assert Cluster.objects.count() == 2


def test_accepting_issues_outside_the_suggestion_or_none_is_refused(personas, texts):
    suggestion = services.suggestion_create(
        actor=personas.secretariat, process=personas.process, clusters=2
    )
    first, second = suggestion.clusters.all()
    with pytest.raises(ValidationError, match="not in the suggested cluster"):
        services.suggestion_accept(
            actor=personas.secretariat,
            suggested=first,
            issue_ids=[*first.issue_ids, second.issue_ids[0]],
            title="Mixed",
        )
    with pytest.raises(ValidationError, match="at least one"):
        services.suggestion_accept(
            actor=personas.secretariat, suggested=first, issue_ids=[], title="Empty"
        )
    assert not Cluster.objects.exists()
    assert SuggestedCluster.objects.filter(accepted_at__isnull=False).count() == 0


def test_only_unclustered_issues_and_limits(personas, texts):
    cluster = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Done"
    )
    services.issues_assign_cluster(
        actor=personas.secretariat,
        process=personas.process,
        issue_ids=[issue.pk for issue in texts[:5]],
        cluster=cluster,
    )
    suggestion = services.suggestion_create(
        actor=personas.secretariat, process=personas.process, only_unclustered=True
    )
    assert suggestion.issue_count == 2
    assert sorted(pk for item in suggestion.clusters.all() for pk in item.issue_ids) == [
        texts[5].pk,
        texts[6].pk,
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.suggestion_create(actor=personas.secretariat, process=personas.process, clusters=1)
    assert "clusters" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        services.suggestion_create(
            actor=personas.secretariat, process=personas.process, clusters=99
        )


def test_too_few_issues(personas):
    propose(personas, "Only one")
    with pytest.raises(ValidationError, match="At least two issues"):
        services.suggestion_create(actor=personas.secretariat, process=personas.process)


@pytest.mark.parametrize("role", ["chair", "member", "observer", "public"])
def test_only_the_secretariat_suggests(personas, texts, role):
    with pytest.raises(PermissionDenied):
        services.suggestion_create(actor=getattr(personas, role), process=personas.process)


def test_merged_issues_are_not_suggested(personas, texts):
    services.issue_merge(actor=personas.secretariat, issue=texts[1], into=texts[0])
    suggestion = services.suggestion_create(actor=personas.secretariat, process=personas.process)
    placed = {pk for item in suggestion.clusters.all() for pk in item.issue_ids}
    assert texts[1].pk not in placed and texts[0].pk in placed
    assert suggestion.issue_count == 6

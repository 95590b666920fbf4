"""Reads about discussions, each applying the policy and attribution it needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from roundtable.agenda.models import Cluster
from roundtable.processes.attribution import Attribution, attribute
from roundtable.processes.models import Membership, Process
from roundtable.processes.selectors import stakeholder_group_sizes_by_process

from . import conf, policy
from .models import Delivery, Message, MessageStatus, Subscription, Thread


def author_memberships(*, process: Process, author_ids: Iterable[int]) -> dict[int, Membership]:
    ids = set(author_ids)
    if not ids:
        return {}
    return {
        membership.person_id: membership
        for membership in Membership.objects.filter(
            process=process, person_id__in=ids
        ).select_related("person", "stakeholder_group", "organisation")
    }


def label_for(
    *,
    process: Process,
    rule: str,
    membership: Membership | None,
    person: Any = None,
    sizes: dict[tuple[int, int], int],
) -> Attribution:
    """``attribute`` with the group size known (no query per author)."""
    if membership is None:
        return attribute(process=process, rule=rule, person=person, peers=0)
    peers = sizes.get((process.pk, membership.stakeholder_group_id), 0)
    return attribute(process=process, rule=rule, membership=membership, peers=peers)


def author_labels(
    *, process: Process, messages: Iterable[Message], rule: str
) -> dict[int, Attribution]:
    """How to name each message's author for one reader (``rule`` from the policy)."""
    messages = list(messages)
    if not messages:
        return {}
    memberships = author_memberships(
        process=process, author_ids=(message.author_id for message in messages)
    )
    sizes = stakeholder_group_sizes_by_process(process_ids=[process.pk])
    return {
        message.pk: label_for(
            process=process,
            rule=rule,
            membership=memberships.get(message.author_id),
            person=message.author,
            sizes=sizes,
        )
        for message in messages
    }


@dataclass
class ThreadRow:
    thread: Thread
    count: int
    last: Any


@dataclass
class ClusterGroup:
    cluster: Cluster | None
    threads: list[ThreadRow] = field(default_factory=list)

    @property
    def message_count(self) -> int:
        return sum(row.count for row in self.threads)


def threads_by_cluster(*, process: Process, person: Any) -> list[ClusterGroup]:
    """Every thread of the process grouped by cluster (process-wide threads first)."""
    published = Q(messages__status=MessageStatus.PUBLISHED)
    threads = (
        Thread.objects.filter(process=process)
        .select_related("cluster", "about_type")
        .annotate(
            published_count=Count("messages", filter=published),
            last_published=Max("messages__published_at", filter=published),
        )
        .order_by("-last_message_at", "-pk")
    )
    groups: dict[int | None, ClusterGroup] = {None: ClusterGroup(None)}
    for cluster in Cluster.objects.filter(process=process).order_by("position", "pk"):
        groups[cluster.pk] = ClusterGroup(cluster)
    for thread in threads:
        # Nothing published yet: only its author (and moderators) know it exists.
        hidden = thread.published_count == 0 and not policy.can_moderate(person, process)
        if hidden and not (getattr(person, "pk", None) and thread.created_by_id == person.pk):
            continue
        groups.setdefault(thread.cluster_id, ClusterGroup(thread.cluster)).threads.append(
            ThreadRow(thread, thread.published_count, thread.last_published)
        )
    return [group for group in groups.values() if group.cluster is not None or group.threads]


def thread_messages(*, thread: Thread, person: Any) -> list[Message]:
    """The thread's messages as ``person`` sees them (pending ones for author and moderators)."""
    messages = (
        Message.objects.filter(thread=thread)
        .select_related("author", "parent")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    moderator = policy.can_moderate(person, thread.process)
    visible = []
    for message in messages:
        message.thread = thread
        if message.status == MessageStatus.PENDING and not (
            moderator or (getattr(person, "pk", None) and message.author_id == person.pk)
        ):
            continue
        visible.append(message)
    return visible


def moderation_queue(*, process: Process) -> QuerySet[Message]:
    return (
        Message.objects.filter(process=process, status=MessageStatus.PENDING)
        .select_related("author", "thread")
        .order_by("created_at", "pk")
    )


def threads_about(*, obj: Any) -> QuerySet[Thread]:
    """Threads about one object (a draft document, say), newest activity first."""
    from django.contrib.contenttypes.models import ContentType

    return Thread.objects.filter(
        about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk
    ).order_by("-last_message_at")


# --- Subscriptions ------------------------------------------------------------


def effective_delivery(
    *,
    thread_id: int,
    cluster_id: int | None,
    thread_subs: dict[int, str],
    cluster_subs: dict[int, str],
    process_sub: str | None,
) -> str:
    """The most specific subscription wins: thread, then cluster, then the process."""
    if thread_id in thread_subs:
        return thread_subs[thread_id]
    if cluster_id is not None and cluster_id in cluster_subs:
        return cluster_subs[cluster_id]
    return process_sub or Delivery.NONE


@dataclass
class PersonSubscriptions:
    thread: dict[int, str] = field(default_factory=dict)
    cluster: dict[int, str] = field(default_factory=dict)
    process: str | None = None

    def delivery_for(self, *, thread_id: int, cluster_id: int | None) -> str:
        return effective_delivery(
            thread_id=thread_id,
            cluster_id=cluster_id,
            thread_subs=self.thread,
            cluster_subs=self.cluster,
            process_sub=self.process,
        )


def subscriptions_by_person(rows: Iterable[dict[str, Any]]) -> dict[int, PersonSubscriptions]:
    """Group ``values("person_id", "cluster_id", "thread_id", "delivery")`` rows by person."""
    result: dict[int, PersonSubscriptions] = defaultdict(PersonSubscriptions)
    for row in rows:
        subs = result[row["person_id"]]
        if row["thread_id"] is not None:
            subs.thread[row["thread_id"]] = row["delivery"]
        elif row["cluster_id"] is not None:
            subs.cluster[row["cluster_id"]] = row["delivery"]
        else:
            subs.process = row["delivery"]
    return result


def subscriptions_of(*, person: Any, process: Process) -> PersonSubscriptions:
    rows = Subscription.objects.filter(person_id=person.pk, process=process).values(
        "person_id", "cluster_id", "thread_id", "delivery"
    )
    return subscriptions_by_person(rows).get(person.pk, PersonSubscriptions())


# --- Search -----------------------------------------------------------------------


@dataclass(frozen=True)
class MessageHit:
    message: Message
    author: Attribution
    snippet: str


def _snippet(text: str, terms: list[str], width: int = 200) -> str:
    plain = " ".join(text.split())
    lowered = plain.lower()
    positions = [lowered.find(term.lower()) for term in terms]
    positions = [position for position in positions if position >= 0]
    start = max(min(positions) - width // 3, 0) if positions else 0
    excerpt = plain[start : start + width]
    return ("…" if start else "") + excerpt + ("…" if start + width < len(plain) else "")


def search_messages(*, process: Process, query: str, person: Any) -> list[MessageHit]:
    """Published messages whose text or thread title has every word of ``query``.

    Author names are never searched: under the Chatham House Rule that would
    tell a reader who wrote what.
    """
    if not policy.can_read_discussions(person, process):
        return []
    terms = [term for term in (query or "").split() if len(term) >= 2][:10]
    if not terms:
        return []
    messages = Message.objects.filter(process=process, status=MessageStatus.PUBLISHED)
    for term in terms:
        messages = messages.filter(Q(body__icontains=term) | Q(thread__title__icontains=term))
    found = list(
        messages.select_related("thread", "author").order_by("-published_at", "-pk")[
            : conf.search_max_results()
        ]
    )
    for message in found:
        message.thread.process = process
    labels = author_labels(
        process=process, messages=found, rule=policy.attribution_rule_for(person, process)
    )
    return [
        MessageHit(
            message=message, author=labels[message.pk], snippet=_snippet(message.body, terms)
        )
        for message in found
    ]


def cluster_message_counts(*, process: Process) -> dict[int, int]:
    rows = (
        Message.objects.filter(
            process=process, status=MessageStatus.PUBLISHED, thread__cluster__isnull=False
        )
        .values("thread__cluster_id")
        .annotate(count=Count("pk"))
    )
    return {row["thread__cluster_id"]: row["count"] for row in rows}


def recent_threads(*, process: Process, limit: int = 5) -> list[Thread]:
    return list(
        Thread.objects.filter(process=process, messages__status=MessageStatus.PUBLISHED)
        .select_related("cluster")
        .distinct()
        .order_by("-last_message_at")[:limit]
    )

"""Daily digests for 10,000 members across 20 clusters, 2,000 messages a day.

Ours (``roundtable.discussions.digests.digests_send``: reads once, renders each
cluster section once per language, time zone and naming rule, writes in
batches) against the named baseline **naive per-member loop**: for each
member, read their subscriptions, read their messages, read the authors'
memberships, render the whole digest, queue it with ``mail_queue``. Both
build the same digests (same recipients, same message counts) from the same
database in the same process; the outbox is emptied between runs.

Usage: ``python -m bench digests [-- --members 10000 --clusters 20 --per-day 2000]``.
Set DATABASE_URL to run against PostgreSQL; the default is a fresh SQLite
file in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

ZONES = [
    "UTC", "Europe/Paris", "Africa/Nairobi", "Asia/Kolkata", "Asia/Shanghai",
    "America/New_York", "America/Sao_Paulo", "Australia/Sydney",
]  # fmt: skip
LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh-hans"]
NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC)


def setup_django() -> None:
    os.environ.setdefault("ROUNDTABLE_VAR_DIR", tempfile.mkdtemp(prefix="bench-digests-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    os.environ.setdefault("ROUNDTABLE_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(members: int, clusters: int, per_day: int, seed: int = 7) -> dict[str, Any]:
    """Fill the database directly (bulk inserts): people, memberships, subscriptions, messages."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from roundtable.agenda.models import Cluster
    from roundtable.discussions.models import DiscussionSettings, Message, Subscription, Thread
    from roundtable.people.defaults import install_defaults
    from roundtable.people.models import Person, Region, StakeholderGroup
    from roundtable.processes.models import Membership, Process, Role

    rng = random.Random(seed)
    install_defaults(StakeholderGroup, Region)
    groups = list(StakeholderGroup.objects.all())
    regions = list(Region.objects.all())
    password = make_password(None)
    with transaction.atomic():
        process = Process.objects.create(
            name="Benchmark Working Group", slug="bench", start_date=dt.date(2026, 1, 1)
        )
        DiscussionSettings.objects.create(
            process=process, archive="members", attribution="chatham_house"
        )
        cluster_rows = Cluster.objects.bulk_create(
            [
                Cluster(process=process, title=f"Cluster {n + 1}", position=n)
                for n in range(clusters)
            ]
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    email=f"m{n}@bench.example",
                    name=f"Member {n}",
                    password=password,
                    preferred_language=LANGUAGES[n % len(LANGUAGES)],
                    time_zone=ZONES[n % len(ZONES)],
                )
                for n in range(members)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    person=person,
                    process=process,
                    role=Role.MEMBER,
                    stakeholder_group=groups[n % len(groups)],
                    region=regions[n % len(regions)],
                    start_date=dt.date(2026, 1, 1),
                )
                for n, person in enumerate(people)
            ],
            batch_size=2000,
        )
        subscriptions = []
        for person in people:
            for cluster in rng.sample(cluster_rows, rng.randint(1, 4)):
                subscriptions.append(
                    Subscription(person=person, process=process, cluster=cluster, delivery="daily")
                )
        Subscription.objects.bulk_create(subscriptions, batch_size=5000)
        threads = Thread.objects.bulk_create(
            [
                Thread(
                    process=process,
                    cluster=cluster,
                    title=f"{cluster.title}, thread {t + 1}",
                    created_by=people[0],
                    root_message_id=f"<t{cluster.pk}.{t}@bench.example>",
                )
                for cluster in cluster_rows
                for t in range(10)
            ]
        )
        authors = people[: min(400, len(people))]
        # Three days at the same rate, so every time zone's local day holds
        # about ``per_day`` messages.
        start = NOW - dt.timedelta(days=3)
        total = per_day * 3
        messages = []
        for n in range(total):
            when = start + dt.timedelta(seconds=n * (3 * 86400 / total))
            thread = rng.choice(threads)
            messages.append(
                Message(
                    thread=thread,
                    process=process,
                    author=rng.choice(authors),
                    body=f"Message {n}: we **should** consider option {rng.randint(1, 9)} "
                    "for the report, with the caveats raised in Geneva. " * 2,
                    status="published",
                    created_at=when,
                    published_at=when,
                    message_id=f"<m{n}@bench.example>",
                    notified_at=when,
                )
            )
        Message.objects.bulk_create(messages, batch_size=2000)
    return {"process": process, "subscriptions": len(subscriptions), "messages": total}


def naive_digests(now: dt.datetime, limit: int | None = None) -> dict[str, int]:
    """The baseline: one member at a time, each with their own queries and a full render."""
    from django.template.loader import render_to_string
    from django.utils import dateformat, timezone, translation

    from roundtable.core.mail import mail_queue
    from roundtable.discussions import mailing
    from roundtable.discussions.digests import SectionLine, _excerpt, due_period, render_section
    from roundtable.discussions.models import DigestLog, Message, Subscription
    from roundtable.people.middleware import resolve_time_zone
    from roundtable.people.models import Person
    from roundtable.processes.attribution import attribute
    from roundtable.processes.models import Membership, Process

    digests = messages_total = 0
    people = Person.objects.filter(discussion_subscriptions__delivery="daily").distinct()
    for person in people.order_by("pk")[:limit]:
        processes = Process.objects.filter(
            pk__in=Subscription.objects.filter(person=person, delivery="daily").values("process_id")
        )
        for process in processes:
            if DigestLog.objects.filter(person=person, process=process, kind="daily").exists():
                continue
            zone = resolve_time_zone(person.time_zone)
            period = due_period(kind="daily", now=now, zone=zone)
            cluster_ids = list(
                Subscription.objects.filter(
                    person=person, process=process, delivery="daily", cluster__isnull=False
                ).values_list("cluster_id", flat=True)
            )
            messages = list(
                Message.objects.filter(
                    process=process,
                    status="published",
                    thread__cluster_id__in=cluster_ids,
                    published_at__gte=period.start,
                    published_at__lt=period.end,
                )
                .select_related("thread__process", "thread__cluster", "author")
                .order_by("thread__cluster__position", "thread_id", "published_at")
            )
            if not messages:
                continue
            role = (
                Membership.objects.filter(person=person, process=process)
                .values_list("role", flat=True)
                .first()
            )
            rule = "attributed" if role else "chatham_house"
            # One query per member for the authors (not one per message).
            memberships = {
                m.person_id: m
                for m in Membership.objects.filter(
                    process=process, person_id__in={message.author_id for message in messages}
                ).select_related("stakeholder_group", "organisation", "person")
            }
            with translation.override(person.preferred_language), timezone.override(zone):
                sections: dict[Any, list[Any]] = {}
                for message in messages:
                    label = attribute(
                        process=process, rule=rule, membership=memberships.get(message.author_id)
                    )
                    sections.setdefault(message.thread.cluster, []).append(
                        {
                            "author": str(label),
                            "when": message.published_at,
                            "excerpt": _excerpt(message.body),
                            "url": mailing.absolute(message.get_absolute_url()),
                            "thread": message.thread,
                        }
                    )
                parts_text, parts_html = [], []
                for cluster, items in sections.items():
                    threads: dict[Any, list[Any]] = {}
                    for item in items:
                        threads.setdefault(item["thread"], []).append(
                            SectionLine(
                                item["author"],
                                dateformat.format(timezone.localtime(item["when"], zone), "H:i"),
                                item["excerpt"],
                                item["url"],
                            )
                        )
                    text, html = render_section(
                        cluster_title=cluster.title,
                        count=len(items),
                        threads=[
                            (thread.title, mailing.absolute(thread.get_absolute_url()), lines)
                            for thread, lines in threads.items()
                        ],
                    )
                    parts_text.append(text)
                    parts_html.append(html)
                unsubscribe = mailing.unsubscribe_url(
                    person_id=person.pk, process_id=process.pk, scope="digest"
                )
                context = {
                    "process": process,
                    "kind": "daily",
                    "day": period.day,
                    "week_end": period.day,
                    "total_line": f"{len(messages)} new messages.",
                    "summary_text": "",
                    "summary_html": "",
                    "sections_text": "\n".join(parts_text),
                    "sections_html": "".join(parts_html),
                    "unsubscribe_url": unsubscribe,
                    "subscriptions_url": "",
                    "archive_url": "",
                    "zone_name": person.time_zone,
                }
                text = render_to_string("discussions/email/digest.txt", context)
                html = render_to_string("discussions/email/digest.html", context)
            mail_queue(
                to=person.email,
                subject=f"[{process.slug}] Daily digest: {len(messages)} messages",
                text=text,
                html=html,
                kind="discussions.digest.daily",
                headers=mailing.list_headers(process=process, unsubscribe=unsubscribe),
            )
            DigestLog.objects.create(
                person=person,
                process=process,
                kind="daily",
                period=period.day,
                window_start=period.start,
                window_end=period.end,
                message_count=len(messages),
            )
            digests += 1
            messages_total += len(messages)
    return {"digests": digests, "messages": messages_total}


def ours(now: dt.datetime) -> dict[str, int]:
    from roundtable.discussions.digests import digests_send

    stats = digests_send(kind="daily", now=now)
    return {
        "digests": stats.digests,
        "messages": stats.messages,
        "sections": stats.rendered_sections,
    }


def reset() -> None:
    from django_tasks_db.models import DBTaskResult

    from roundtable.core.models import OutboundMessage
    from roundtable.discussions.models import DigestLog

    DigestLog.objects.all().delete()
    OutboundMessage.objects.all().delete()
    DBTaskResult.objects.all().delete()


def measure(function: Callable[[dt.datetime], dict[str, int]], *, memory: bool) -> dict[str, Any]:
    from django.db import connection

    reset()
    counts = {"queries": 0, "reads": 0}

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counts["queries"] += 1
        if sql.lstrip().upper().startswith("SELECT"):
            counts["reads"] += 1
        return execute(sql, params, many, context)

    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    cpu = time.process_time()
    with connection.execute_wrapper(count):
        result = function(NOW)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = 0
    if memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {**result, **counts, "seconds": elapsed, "cpu": cpu, "peak_mb": peak / 2**20}


def run_scale(members: int, args: argparse.Namespace, baseline: bool) -> list[tuple[str, dict]]:
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    built = build(members, args.clusters, args.per_day)
    print(
        f"{connection.vendor}: {members:,} members, {args.clusters} clusters, "
        f"{built['subscriptions']:,} cluster subscriptions (daily), "
        f"{built['messages']:,} messages over three days ({args.per_day:,}/day); "
        f"built in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    rows = [(f"ours, {members:,}", measure(ours, memory=False))]
    if baseline:
        rows.append((f"naive loop, {members:,}", measure(naive_digests, memory=False)))
    # Peak memory with tracemalloc, which slows Python down: traced apart from
    # the timed runs. The baseline handles one member at a time, so its peak
    # does not grow with the member count: traced on its first members only.
    rows[0][1]["peak_mb"] = measure(ours, memory=True)["peak_mb"]
    if baseline:
        sample = measure(lambda now: naive_digests(now, limit=args.memory_sample), memory=True)
        rows[1][1]["peak_mb"] = sample["peak_mb"]
        fast, slow = rows[0][1], rows[1][1]
        assert fast["digests"] == slow["digests"], "both must build the same digests"
        assert fast["messages"] == slow["messages"], "both must hold the same messages"
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench digests")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--clusters", type=int, default=20)
    parser.add_argument("--per-day", type=int, default=2_000)
    parser.add_argument(
        "--baseline-members",
        type=int,
        default=1_000,
        help="the naive loop runs side by side with ours at this size (0: skip it)",
    )
    parser.add_argument("--memory-sample", type=int, default=200)
    args = parser.parse_args(argv)
    setup_django()
    rows: list[tuple[str, dict]] = []
    if args.baseline_members:
        rows += run_scale(args.baseline_members, args, baseline=True)
    if args.members != args.baseline_members:
        rows += run_scale(args.members, args, baseline=False)
    header = ("wall s", "CPU s", "peak MB", "queries", "reads", "digests", "messages")
    print(f"{'':26} " + " ".join(f"{name:>9}" for name in header))
    for name, row in rows:
        print(
            f"{name:26} {row['seconds']:9.1f} {row['cpu']:9.1f} {row['peak_mb']:9.0f} "
            f"{row['queries']:9,} {row['reads']:9,} {row['digests']:9,} {row['messages']:9,}"
        )
    if args.baseline_members:
        fast, slow = rows[0][1], rows[1][1]
        print(
            f"ratio naive / ours at {args.baseline_members:,} members: "
            f"wall {slow['seconds'] / fast['seconds']:.1f}x, CPU {slow['cpu'] / fast['cpu']:.1f}x, "
            f"queries {slow['queries'] / fast['queries']:.0f}x, "
            f"peak memory {slow['peak_mb'] / max(fast['peak_mb'], 0.1):.2f}x "
            f"(naive traced on its first {args.memory_sample:,} members)"
        )
        if args.members != args.baseline_members:
            scale = args.members / args.baseline_members
            print(
                f"naive loop at {args.members:,} members, extrapolated (its cost is per member): "
                f"~{slow['seconds'] * scale:,.0f} s wall, ~{slow['queries'] * scale:,.0f} queries"
            )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])

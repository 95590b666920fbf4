"""Daily and weekly digests: one e-mail per person and process, grouped by cluster and thread.

Built for many recipients at once with a fixed number of reads, whatever
the number of members: the subscriptions, the people, their roles, the
digests already sent and the period's messages are each read in one query;
thread sections are rendered once per (language, time zone, naming rule)
and reused; outbox rows, digest records and delivery tasks are written in
batches of ``DISCUSSIONS_DIGEST_BATCH_SIZE`` recipients.

Idempotent: a ``DigestLog`` row per (person, process, kind, period) is
written in the same transaction as the e-mail, under a unique constraint,
so running the job twice (or on two workers) never sends a digest twice.
A digest covers the recipient's local day (or Monday-to-Sunday week) and
goes out at the first run after ``DISCUSSIONS_DIGEST_HOUR`` local time; after
an outage it reaches back to the end of the last digest sent (at most
``DISCUSSIONS_DIGEST_CATCH_UP_DAYS``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roundtable.agenda.models import Cluster
from roundtable.core.mail import mail_queue_many
from roundtable.core.text import markdown_to_plain
from roundtable.people.middleware import resolve_time_zone
from roundtable.people.models import Person
from roundtable.processes.models import AttributionRule, Membership, Process
from roundtable.processes.selectors import stakeholder_group_sizes_by_process

from . import conf, mailing, policy
from .models import DigestKind, DigestLog, DiscussionSettings, Message, MessageStatus, Subscription
from .selectors import PersonSubscriptions, label_for, subscriptions_by_person

logger = logging.getLogger("roundtable.discussions.digests")
UTC = dt.UTC


@dataclass(frozen=True)
class Period:
    day: dt.date  # the local date (Monday for a week)
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC


def due_period(*, kind: str, now: dt.datetime, zone: dt.tzinfo) -> Period:
    """The latest complete local day (or week) whose digest is due at ``now``."""
    local = now.astimezone(zone)
    hour = conf.digest_local_hour()
    if kind == DigestKind.DAILY:
        day = local.date() - dt.timedelta(days=1 if local.hour >= hour else 2)
        length = 1
    else:
        monday = local.date() - dt.timedelta(days=local.weekday())
        passed = local.weekday() > 0 or local.hour >= hour
        day = monday - dt.timedelta(days=7 if passed else 14)
        length = 7

    def midnight(date: dt.date) -> dt.datetime:
        return dt.datetime.combine(date, dt.time(), tzinfo=zone).astimezone(UTC)

    return Period(day=day, start=midnight(day), end=midnight(day + dt.timedelta(days=length)))


@dataclass
class Recipient:
    person_id: int
    email: str
    language: str
    zone_name: str
    zone: dt.tzinfo
    is_staff: bool


@dataclass
class DigestItem:
    """A message as the digest shows it, before the author is named for a reader."""

    pk: int
    thread_id: int
    published_at: dt.datetime
    author_id: int
    excerpt: str
    url: str


@dataclass
class ThreadInfo:
    pk: int
    title: str
    cluster_id: int | None
    url: str
    items: list[DigestItem] = field(default_factory=list)
    times: list[dt.datetime] = field(default_factory=list)

    def in_window(self, start: dt.datetime, end: dt.datetime) -> list[DigestItem]:
        low = bisect.bisect_left(self.times, start)
        high = bisect.bisect_left(self.times, end)
        return self.items[low:high]


@dataclass
class RunStats:
    recipients: int = 0
    digests: int = 0
    messages: int = 0
    skipped_sent: int = 0
    rendered_sections: int = 0


def _excerpt(body: str) -> str:
    plain = " ".join(markdown_to_plain(body).split())
    limit = conf.digest_excerpt_chars()
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


class _ProcessData:
    """Everything about one process a digest run needs, read once."""

    def __init__(self, process: Process, settings_row: DiscussionSettings) -> None:
        self.process = process
        self.settings = settings_row
        self.threads: dict[int, ThreadInfo] = {}
        self.clusters: dict[int, Cluster] = {}
        self.authors: dict[int, Membership] = {}
        self.author_people: dict[int, Person] = {}
        self.roles: dict[int, str] = {}
        self.sections: dict[tuple, tuple[str, str]] = {}
        self.labels: dict[tuple, str] = {}
        self.frames: dict[tuple, Any] = {}
        self.times: dict[tuple, str] = {}
        self.group_sizes: dict[tuple[int, int], int] = {}

    def author_label(self, author_id: int, rule: str, language: str) -> str:
        key = (author_id, rule, language)
        if key not in self.labels:
            label = label_for(
                process=self.process,
                rule=rule,
                membership=self.authors.get(author_id),
                person=self.author_people.get(author_id),
                sizes=self.group_sizes,
            )
            self.labels[key] = str(label)
        return self.labels[key]


def digests_send(*, kind: str, now: dt.datetime | None = None) -> RunStats:
    """Queue every digest of ``kind`` that is due and not yet sent."""
    now = now or timezone.now()
    stats = RunStats()
    digest_people = Subscription.objects.filter(delivery=kind).values("person_id")
    subscription_rows = list(
        Subscription.objects.filter(person_id__in=digest_people).values(
            "person_id", "process_id", "cluster_id", "thread_id", "delivery"
        )
    )
    if not subscription_rows:
        return stats
    by_process: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in subscription_rows:
        by_process[row["process_id"]].append(row)
    subs: dict[int, dict[int, PersonSubscriptions]] = {
        process_id: subscriptions_by_person(rows) for process_id, rows in by_process.items()
    }

    recipients: dict[int, Recipient] = {}
    zones: dict[str, dt.tzinfo] = {}
    for row in Person.objects.filter(pk__in=digest_people, is_active=True).values(
        "pk", "email", "preferred_language", "time_zone", "is_staff"
    ):
        name = row["time_zone"] or "UTC"
        if name not in zones:
            zones[name] = resolve_time_zone(name) or zoneinfo.ZoneInfo("UTC")
        recipients[row["pk"]] = Recipient(
            row["pk"], row["email"], row["preferred_language"] or "en", name, zones[name],
            row["is_staff"],
        )  # fmt: skip
    periods = {name: due_period(kind=kind, now=now, zone=zone) for name, zone in zones.items()}
    if not periods:
        return stats

    already = set(
        DigestLog.objects.filter(
            kind=kind, period__in={period.day for period in periods.values()}
        ).values_list("person_id", "process_id", "period")
    )
    horizon = min(p.start for p in periods.values()) - dt.timedelta(
        days=conf.digest_catch_up_days()
    )
    last_end = {
        (row["person_id"], row["process_id"]): row["last"]
        for row in DigestLog.objects.filter(kind=kind, window_end__gte=horizon)
        .values("person_id", "process_id")
        .annotate(last=Max("window_end"))
    }
    # Read only what some digest needs: from the earliest window start (a catch-up
    # after an outage reaches back to the end of the last digest sent).
    window_low = min([p.start for p in periods.values()] + list(last_end.values()))
    window_high = max(p.end for p in periods.values())

    processes = {process.pk: process for process in Process.objects.filter(pk__in=list(by_process))}
    settings_rows = {
        row.process_id: row for row in DiscussionSettings.objects.filter(process_id__in=processes)
    }
    data: dict[int, _ProcessData] = {}
    for process_id, process in processes.items():
        row = settings_rows.get(process_id) or DiscussionSettings(
            process=process, attribution=process.default_attribution
        )
        data[process_id] = _ProcessData(process, row)

    messages = (
        Message.objects.filter(
            process_id__in=processes,
            status=MessageStatus.PUBLISHED,
            published_at__gte=window_low,
            published_at__lt=window_high,
        )
        .select_related("thread")
        .only(
            "pk",
            "process_id",
            "thread_id",
            "author_id",
            "published_at",
            "body",
            "thread__title",
            "thread__cluster_id",
            "thread__process_id",
        )
        .order_by("published_at", "pk")
    )
    author_ids: set[int] = set()
    for message in messages:
        process_data = data[message.process_id]
        thread = message.thread
        info = process_data.threads.get(thread.pk)
        if info is None:
            info = ThreadInfo(
                thread.pk,
                thread.title,
                thread.cluster_id,
                mailing.absolute(
                    reverse(
                        "discussions:thread",
                        kwargs={"slug": process_data.process.slug, "thread_id": thread.pk},
                    )
                ),
            )
            process_data.threads[thread.pk] = info
        info.items.append(
            DigestItem(
                message.pk,
                thread.pk,
                message.published_at,
                message.author_id,
                _excerpt(message.body),
                f"{info.url}#m{message.pk}",
            )
        )
        info.times.append(message.published_at)
        author_ids.add(message.author_id)

    if not any(process_data.threads for process_data in data.values()):
        return stats
    for cluster in Cluster.objects.filter(process_id__in=processes):
        data[cluster.process_id].clusters[cluster.pk] = cluster
    sizes = stakeholder_group_sizes_by_process(process_ids=processes)
    for process_data in data.values():
        process_data.group_sizes = sizes
    today = timezone.localdate()
    person_ids = set(recipients) | author_ids
    for membership in Membership.objects.filter(
        process_id__in=processes, person_id__in=person_ids
    ).select_related("person", "stakeholder_group", "organisation"):
        process_data = data[membership.process_id]
        if membership.person_id in author_ids:
            process_data.authors[membership.person_id] = membership
        if membership.end_date is None or membership.end_date >= today:
            process_data.roles[membership.person_id] = membership.role
    missing_authors = author_ids - {pid for d in data.values() for pid in d.authors}
    if missing_authors:
        for person in Person.objects.filter(pk__in=missing_authors):
            for process_data in data.values():
                process_data.author_people[person.pk] = person

    batch: list[tuple[dict[str, Any], DigestLog]] = []
    for process_id, people in subs.items():
        process_data = data[process_id]
        if not process_data.threads:
            continue
        for person_id, person_subs in people.items():
            recipient = recipients.get(person_id)
            if recipient is None:
                continue
            stats.recipients += 1
            period = periods[recipient.zone_name]
            if (person_id, process_id, period.day) in already:
                stats.skipped_sent += 1
                continue
            built = _build_one(
                kind=kind,
                recipient=recipient,
                subs=person_subs,
                process_data=process_data,
                period=period,
                previous_end=last_end.get((person_id, process_id)),
                stats=stats,
            )
            if built is None:
                continue
            batch.append(built)
            if len(batch) >= conf.digest_batch_size():
                _write(batch, stats)
                batch = []
    if batch:
        _write(batch, stats)
    return stats


def _write(batch: list[tuple[dict[str, Any], DigestLog]], stats: RunStats) -> None:
    try:
        with transaction.atomic():
            DigestLog.objects.bulk_create([log for _mail, log in batch])
            mail_queue_many([mail for mail, _log in batch], batch_size=len(batch))
    except IntegrityError:
        # Another run sent some of these meanwhile; the next run sends the rest.
        logger.warning("digest batch of %d skipped: some were already sent", len(batch))
        return
    stats.digests += len(batch)


def _build_one(
    *,
    kind: str,
    recipient: Recipient,
    subs: PersonSubscriptions,
    process_data: _ProcessData,
    period: Period,
    previous_end: dt.datetime | None,
    stats: RunStats,
) -> tuple[dict[str, Any], DigestLog] | None:
    process = process_data.process
    role = process_data.roles.get(recipient.person_id)
    if not policy.read_allowed(
        process=process,
        archive=process_data.settings.archive,
        role=role,
        site_admin=recipient.is_staff,
    ):
        return None
    start = period.start
    if previous_end is not None and previous_end < start:
        start = previous_end
    rule = process_data.settings.attribution
    shown_rule = AttributionRule.ATTRIBUTED if policy.names_shown(rule=rule, role=role) else rule

    # Sections per cluster, in the clusters' order; threads by latest activity.
    chosen: dict[int | None, list[tuple[ThreadInfo, list[DigestItem]]]] = defaultdict(list)
    total = 0
    for info in process_data.threads.values():
        if subs.delivery_for(thread_id=info.pk, cluster_id=info.cluster_id) != kind:
            continue
        items = info.in_window(start, period.end)
        if items:
            chosen[info.cluster_id].append((info, items))
            total += len(items)
    if not total:
        return None
    stats.messages += total

    order = sorted(
        chosen,
        key=lambda cid: (
            cid is not None,
            process_data.clusters[cid].position if cid in process_data.clusters else 0,
            cid or 0,
        ),
    )
    text_parts: list[str] = []
    html_parts: list[str] = []
    summary_text: list[str] = []
    summary_html: list[str] = []
    with translation.override(recipient.language), timezone.override(recipient.zone):
        for cluster_id in order:
            threads = sorted(
                chosen[cluster_id], key=lambda pair: -pair[1][-1].published_at.timestamp()
            )
            cluster = process_data.clusters.get(cluster_id) if cluster_id else None
            count = sum(len(items) for _info, items in threads)
            title = cluster.title if cluster else _("General discussion")
            summary_text.append(f"  {title}: {count}\n")
            summary_html.append(f"<li>{escape(title)}: {count}</li>")
            text, html = _section(
                process_data=process_data,
                cluster_title=title,
                count=count,
                threads=threads,
                recipient=recipient,
                rule=shown_rule,
                stats=stats,
                time_format="H:i" if kind == DigestKind.DAILY else "D j, H:i",
            )
            text_parts.append(text)
            html_parts.append(html)
        frame = _frame(process_data=process_data, kind=kind, period=period, recipient=recipient)
        total_line = ngettext("%(count)d new message.", "%(count)d new messages.", total) % {
            "count": total
        }
        if kind == DigestKind.DAILY:
            subject = ngettext(
                "[%(process)s] Daily digest for %(day)s: %(count)d message",
                "[%(process)s] Daily digest for %(day)s: %(count)d messages",
                total,
            )
        else:
            subject = ngettext(
                "[%(process)s] Weekly digest from %(day)s: %(count)d message",
                "[%(process)s] Weekly digest from %(day)s: %(count)d messages",
                total,
            )
        subject = subject % {"process": process.slug, "day": frame.day_label, "count": total}
    unsubscribe = mailing.unsubscribe_url(
        person_id=recipient.person_id, process_id=process.pk, scope="digest"
    )
    values = {
        TOTAL: total_line,
        UNSUBSCRIBE: unsubscribe,
    }
    text = frame.fill_text(
        {**values, SUMMARY: "".join(summary_text), SECTIONS: "\n".join(text_parts)}
    )
    html = frame.fill_html(
        {
            **values,
            SUMMARY: "<ul>" + "".join(summary_html) + "</ul>",
            SECTIONS: "".join(html_parts),
        }
    )
    headers = mailing.list_headers(process=process, unsubscribe=unsubscribe)
    mail = {
        "to": recipient.email,
        "subject": subject,
        "text": text,
        "html": html,
        "kind": f"discussions.digest.{kind}",
        "headers": headers,
    }
    log = DigestLog(
        person_id=recipient.person_id,
        process_id=process.pk,
        kind=kind,
        period=period.day,
        window_start=start,
        window_end=period.end,
        message_count=total,
    )
    return mail, log


# Markers in the rendered frame of a digest, filled per recipient (cheap joins
# instead of a template render per person).
TOTAL = "\ue000total\ue000"
SUMMARY = "\ue000summary\ue000"
SECTIONS = "\ue000sections\ue000"
UNSUBSCRIBE = "\ue000unsubscribe\ue000"
_MARKER = re.compile("(\ue000[a-z]+\ue000)")


@dataclass
class Frame:
    """A digest's text and HTML around the personal parts, split at the markers."""

    text: list[str]
    html: list[str]
    day_label: str

    @staticmethod
    def _fill(chunks: list[str], values: dict[str, str]) -> str:
        return "".join(values.get(chunk, chunk) for chunk in chunks)

    def fill_text(self, values: dict[str, str]) -> str:
        return self._fill(self.text, values)

    def fill_html(self, values: dict[str, str]) -> str:
        return self._fill(self.html, values)


def _frame(*, process_data: _ProcessData, kind: str, period: Period, recipient: Recipient) -> Frame:
    """The digest around its personal parts, rendered once per language, zone and period."""
    key = ("frame", kind, period.day, recipient.language, recipient.zone_name)
    cached = process_data.frames.get(key)
    if cached is not None:
        return cached
    process = process_data.process
    context = {
        "process": process,
        "kind": kind,
        "day": period.day,
        "week_end": period.day + dt.timedelta(days=6),
        "total_line": TOTAL,
        "summary_text": SUMMARY,
        "summary_html": mark_safe(SUMMARY),
        "sections_text": SECTIONS,
        "sections_html": mark_safe(SECTIONS),
        "unsubscribe_url": UNSUBSCRIBE,
        "subscriptions_url": mailing.absolute(
            reverse("discussions:subscriptions", kwargs={"slug": process.slug})
        ),
        "archive_url": mailing.absolute(
            reverse("discussions:index", kwargs={"slug": process.slug})
        ),
        "zone_name": recipient.zone_name,
    }
    frame = Frame(
        text=_MARKER.split(render_to_string("discussions/email/digest.txt", context)),
        html=_MARKER.split(render_to_string("discussions/email/digest.html", context)),
        day_label=date_format(period.day, "DATE_FORMAT"),
    )
    process_data.frames[key] = frame
    return frame


@dataclass(frozen=True)
class SectionLine:
    author: str
    when: str
    excerpt: str
    url: str


def _count_label(count: int) -> str:
    return ngettext("%(count)d message", "%(count)d messages", count) % {"count": count}


def render_section(
    *, cluster_title: str, count: int, threads: list[tuple[str, str, list[SectionLine]]]
) -> tuple[str, str]:
    """One cluster's part of a digest, as plain text and HTML, in the active language.

    Built with string joins rather than a template: a run renders hundreds
    of these with a hundred lines each.
    """
    text = [f"\n== {cluster_title} ({_count_label(count)}) ==\n"]
    html = [
        f'<h2 style="font-size:1.15em;margin:1.2em 0 .3em">{escape(cluster_title)} '
        f'<span style="color:#5b636b;font-weight:normal">({_count_label(count)})</span></h2>'
    ]
    for title, url, lines in threads:
        label = _count_label(len(lines))
        text.append(f"\n* {title} ({label})\n  {url}\n")
        html.append(
            f'<h3 style="font-size:1em;margin:.8em 0 .2em"><a href="{escape(url)}">'
            f"{escape(title)}</a> "
            f'<span style="color:#5b636b;font-weight:normal">({label})</span></h3>'
            '<ul style="margin:0;padding-inline-start:1.2em">'
        )
        for line in lines:
            text.append(f"\n  - {line.author}, {line.when}\n    {line.excerpt}\n    {line.url}\n")
            html.append(
                f'<li style="margin:.3em 0"><strong>{escape(line.author)}</strong>, '
                f'<a href="{escape(line.url)}">{escape(line.when)}</a><br>'
                f'<span dir="auto">{escape(line.excerpt)}</span></li>'
            )
        html.append("</ul>")
    return "".join(text), "".join(html)


def _section(
    *,
    process_data: _ProcessData,
    cluster_title: str,
    count: int,
    threads: list[tuple[ThreadInfo, list[DigestItem]]],
    recipient: Recipient,
    rule: str,
    stats: RunStats,
    time_format: str,
) -> tuple[str, str]:
    """A cluster's part of a digest; the same for every reader with the same key."""
    key = (
        tuple((info.pk, items[0].pk, items[-1].pk, len(items)) for info, items in threads),
        recipient.language,
        recipient.zone_name,
        rule,
    )
    cached = process_data.sections.get(key)
    if cached is not None:
        return cached
    stats.rendered_sections += 1
    # Day names in weekly digests depend on the language; times alone do not.
    language = recipient.language if "D" in time_format else ""
    rows = []
    for info, items in threads:
        lines = []
        for item in items:
            when_key = (item.pk, recipient.zone_name, time_format, language)
            when = process_data.times.get(when_key)
            if when is None:
                when = dateformat.format(
                    timezone.localtime(item.published_at, recipient.zone), time_format
                )
                process_data.times[when_key] = when
            lines.append(
                SectionLine(
                    process_data.author_label(item.author_id, rule, recipient.language),
                    when,
                    item.excerpt,
                    item.url,
                )
            )
        rows.append((info.title, info.url, lines))
    result = render_section(cluster_title=cluster_title, count=count, threads=rows)
    process_data.sections[key] = result
    return result

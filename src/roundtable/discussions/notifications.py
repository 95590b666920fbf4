"""E-mail for single messages: the fan-out to followers, and notices to authors.

Each recipient's copy is rendered in their language and time zone, names the
author as the policy allows that reader, and carries their own reply address
and one-click unsubscribe link.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from roundtable.core.mail import mail_queue, mail_queue_many, mail_render
from roundtable.core.text import render_markdown
from roundtable.people.middleware import resolve_time_zone
from roundtable.people.models import Person
from roundtable.processes.models import Membership, Process
from roundtable.processes.selectors import stakeholder_group_sizes_by_process

from . import mailing, policy
from .models import Delivery, Message, MessageStatus, Subscription, Thread
from .selectors import author_memberships, label_for, subscriptions_by_person
from .tokens import reply_address


def process_roles(*, process: Process, person_ids: set[int]) -> dict[int, str]:
    """Current roles of these people in the process, in one query."""
    today = timezone.localdate()
    roles = {}
    for row in Membership.objects.filter(process=process, person_id__in=person_ids).values(
        "person_id", "role", "end_date"
    ):
        if row["end_date"] is None or row["end_date"] >= today:
            roles[row["person_id"]] = row["role"]
    return roles


def thread_headers(*, message: Message, thread: Thread) -> dict[str, str]:
    headers = {"Message-ID": message.message_id}
    root = thread.root_message_id
    parent = message.parent.message_id if message.parent_id else None
    if message.message_id != root:
        references = [root] + ([parent] if parent and parent != root else [])
        headers["In-Reply-To"] = parent or root
        headers["References"] = " ".join(references)
    return headers


def _language(person: Any) -> str:
    return person.preferred_language or "en"


def render_message_mail(
    *,
    message: Message,
    recipient: Person,
    role: str | None,
    author_membership: Membership | None,
    subscribed_to: str,
    sizes: dict[tuple[int, int], int],
) -> dict[str, Any]:
    """One recipient's copy of a message, ready for ``mail_queue_many``."""
    thread = message.thread
    process = thread.process
    settings_row = policy.discussion_settings(process)
    rule = settings_row.attribution
    shown_rule = "attributed" if policy.names_shown(rule=rule, role=role) else rule
    zone = resolve_time_zone(recipient.time_zone) or timezone.get_default_timezone()
    language = _language(recipient)
    can_reply = role in policy.POSTING_ROLES and not thread.is_locked
    scope, target = subscribed_to.split(":") if ":" in subscribed_to else (subscribed_to, None)
    unsubscribe = mailing.unsubscribe_url(
        person_id=recipient.pk,
        process_id=process.pk,
        scope=scope,
        target_id=int(target) if target else None,
    )
    with translation.override(language), timezone.override(zone):
        author = label_for(
            process=process,
            rule=shown_rule,
            membership=author_membership,
            person=message.author,
            sizes=sizes,
        )
        context = {
            "process": process,
            "thread": thread,
            "message": message,
            "author": author,
            "body_html": render_markdown(message.body),
            "is_reply": message.message_id != thread.root_message_id,
            "thread_url": mailing.absolute(thread.get_absolute_url()),
            "message_url": mailing.absolute(message.get_absolute_url()),
            "subscriptions_url": mailing.absolute(
                reverse("discussions:subscriptions", kwargs={"slug": process.slug})
            ),
            "unsubscribe_url": unsubscribe,
            "scope": scope,
            "reply_marker": mailing.reply_marker() if can_reply else "",
            "attachments": [
                {
                    "name": attachment.filename,
                    "url": mailing.absolute(attachment.get_absolute_url()),
                }
                for attachment in message.attachments.all()
            ],
        }
        subject, text, html = mail_render(
            template="discussions/email/message", context=context, language=language
        )
        from_email = mailing.sender(str(author))
    headers = {
        **thread_headers(message=message, thread=thread),
        **mailing.list_headers(process=process, unsubscribe=unsubscribe),
    }
    return {
        "to": recipient.email,
        "subject": subject,
        "text": text,
        "html": html,
        "kind": "discussions.message",
        "headers": headers,
        "from_email": from_email,
        "reply_to": reply_address(person_id=recipient.pk, thread_id=thread.pk) if can_reply else "",
    }


@transaction.atomic
def message_notify(*, message_id: int) -> int:
    """Queue the message for every follower whose delivery is ``each``; at most once."""
    message = (
        # Lock the message row only: the joined cluster and parent may be null.
        Message.objects.select_for_update(of=("self",))
        .select_related("thread__process", "thread__cluster", "author", "parent")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.notified_at or message.status != MessageStatus.PUBLISHED:
        return 0
    thread = message.thread
    process = thread.process
    rows = Subscription.objects.filter(process=process).values(
        "person_id", "cluster_id", "thread_id", "delivery", "updated_at"
    )
    rows = [
        row
        for row in rows
        if row["thread_id"] == thread.pk
        or (row["cluster_id"] is not None and row["cluster_id"] == thread.cluster_id)
        or (row["thread_id"] is None and row["cluster_id"] is None)
    ]
    since = {
        (row["person_id"], row["thread_id"], row["cluster_id"]): row["updated_at"] for row in rows
    }
    followers = {}
    for person_id, subs in subscriptions_by_person(rows).items():
        if person_id == message.author_id:
            continue
        if subs.delivery_for(thread_id=thread.pk, cluster_id=thread.cluster_id) != Delivery.EACH:
            continue
        if thread.pk in subs.thread:
            scope, key = f"thread:{thread.pk}", (person_id, thread.pk, None)
        elif thread.cluster_id in subs.cluster:
            scope, key = f"cluster:{thread.cluster_id}", (person_id, None, thread.cluster_id)
        else:
            scope, key = "process", (person_id, None, None)
        # Following starts now: a message published before is not sent afterwards.
        if since[key] > message.published_at:
            continue
        followers[person_id] = scope
    roles = process_roles(process=process, person_ids=set(followers))
    archive = policy.discussion_settings(process).archive
    author_membership = author_memberships(process=process, author_ids=[message.author_id]).get(
        message.author_id
    )
    sizes = stakeholder_group_sizes_by_process(process_ids=[process.pk])
    items = []
    for person in Person.objects.filter(pk__in=followers, is_active=True).order_by("pk"):
        role = roles.get(person.pk)
        if not policy.read_allowed(
            process=process, archive=archive, role=role, site_admin=person.is_staff
        ):
            continue
        items.append(
            render_message_mail(
                message=message,
                recipient=person,
                role=role,
                author_membership=author_membership,
                subscribed_to=followers[person.pk],
                sizes=sizes,
            )
        )
    mail_queue_many(items)
    Message.objects.filter(pk=message.pk).update(notified_at=timezone.now())
    return len(items)


def notice_send(*, person: Person, template: str, context: dict[str, Any]) -> None:
    """A short automatic answer to one person (a held or refused e-mail reply)."""
    zone = resolve_time_zone(person.time_zone) or timezone.get_default_timezone()
    with timezone.override(zone):
        subject, text, html = mail_render(
            template=f"discussions/email/{template}",
            context={"person": person, **context},
            language=_language(person),
        )
    mail_queue(
        to=person.email,
        subject=subject,
        text=text,
        html=html,
        kind=f"discussions.{template}",
        headers={"Auto-Submitted": "auto-replied", mailing.LOOP_HEADER: "notice"},
    )

"""Queueing and delivering e-mail through the outbox.

Callers render their message (in the recipient's language) and call
``mail_queue`` inside their transaction. The outbox row and its delivery
task are written in that same transaction (the task queue is the database),
so a message exists exactly when the change that caused it was committed.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundMessage

logger = logging.getLogger("roundtable.mail")

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 60 * 60


def backoff_delay(attempts: int) -> timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, ... capped at six hours."""
    seconds = min(BACKOFF_BASE_SECONDS * (2 ** max(attempts - 1, 0)), BACKOFF_MAX_SECONDS)
    return timedelta(seconds=seconds)


def mail_render(
    *, template: str, context: dict[str, Any], language: str | None
) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in ``language``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        subject = " ".join(subject.split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except Exception:
            html = ""
    return subject, text, html


def mail_queue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    kind: str = "",
    headers: dict[str, str] | None = None,
    reply_to: str = "",
    from_email: str = "",
    attachments: Iterable[tuple[str, str, bytes]] = (),
) -> OutboundMessage:
    """Store one message and queue its delivery, in the caller's transaction."""
    from .tasks import deliver_outbound_message

    headers = dict(headers or {})
    headers.setdefault("Message-ID", make_msgid(domain=_mail_domain()))
    with transaction.atomic():
        message = OutboundMessage.objects.create(
            to=to,
            subject=subject[:300],
            text=text,
            html=html,
            kind=kind,
            headers=headers,
            reply_to=reply_to,
            from_email=from_email,
            attachments=[
                {
                    "filename": filename,
                    "content_type": content_type,
                    "content_b64": base64.b64encode(content).decode("ascii"),
                }
                for filename, content_type, content in attachments
            ],
        )
        deliver_outbound_message.enqueue(message_id=message.pk)
    return message


def mail_queue_many(messages: Iterable[dict[str, Any]], *, batch_size: int = 500) -> int:
    """Store many messages and queue their delivery in a few queries (digests, fan-out).

    Each item takes ``mail_queue``'s keyword arguments (without attachments).
    The guarantees are ``mail_queue``'s: rows and tasks are written in the
    caller's transaction, and each row is delivered by ``outbound_deliver``,
    so it is sent once and retried on its own. One task carries up to
    ``batch_size`` messages, so a run of thousands costs a few dozen queries.
    Returns the number of messages stored.
    """
    from .tasks import deliver_outbound_messages

    domain = _mail_domain()
    now = timezone.now()
    rows = []
    for item in messages:
        headers = dict(item.get("headers") or {})
        headers.setdefault("Message-ID", make_msgid(domain=domain))
        rows.append(
            OutboundMessage(
                to=item["to"],
                subject=item["subject"][:300],
                text=item["text"],
                html=item.get("html", ""),
                kind=item.get("kind", ""),
                headers=headers,
                reply_to=item.get("reply_to", ""),
                from_email=item.get("from_email", ""),
                created_at=now,
                next_attempt_at=now,
            )
        )
    with transaction.atomic():
        for start in range(0, len(rows), batch_size):
            created = OutboundMessage.objects.bulk_create(rows[start : start + batch_size])
            deliver_outbound_messages.enqueue(message_ids=[message.pk for message in created])
    return len(rows)


def _mail_domain() -> str:
    from_address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return from_address.rsplit("@", 1)[-1] or "localhost"


def build_email(message: OutboundMessage, connection: Any = None) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=message.headers,
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content_b64"]),
            attachment["content_type"],
        )
    return email


CLAIM_LEASE = timedelta(minutes=5)


def outbound_deliver(*, message_id: int, max_attempts: int | None = None) -> str:
    """Send one stored message if it is still unsent; schedule a retry on failure.

    Returns what happened: ``sent``, ``skipped`` (already sent, given up, or
    being sent by another worker), ``retry`` or ``failed``.
    """
    from .tasks import deliver_outbound_message

    max_attempts = max_attempts or settings.ROUNDTABLE["MAIL_MAX_ATTEMPTS"]
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            OutboundMessage.objects.filter(
                pk=message_id, sent_at__isnull=True, failed_at__isnull=True
            )
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=now + CLAIM_LEASE)
        )
    if not claimed:
        return "skipped"
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
        build_email(message, connection=connection).send()
    except Exception as error:
        attempts = message.attempts + 1
        error_text = f"{type(error).__name__}: {error}"[:2000]
        with transaction.atomic():
            if attempts >= max_attempts:
                OutboundMessage.objects.filter(pk=message.pk).update(
                    attempts=attempts,
                    last_error=error_text,
                    failed_at=timezone.now(),
                    claimed_until=None,
                )
                logger.error("giving up on e-mail %s to %s: %s", message.pk, message.to, error)
                return "failed"
            next_attempt = timezone.now() + backoff_delay(attempts)
            OutboundMessage.objects.filter(pk=message.pk).update(
                attempts=attempts,
                last_error=error_text,
                next_attempt_at=next_attempt,
                claimed_until=None,
            )
            deliver_outbound_message.using(run_after=next_attempt).enqueue(message_id=message.pk)
        logger.warning("e-mail %s to %s deferred: %s", message.pk, message.to, error)
        return "retry"
    OutboundMessage.objects.filter(pk=message.pk).update(
        attempts=message.attempts + 1, sent_at=timezone.now(), claimed_until=None
    )
    return "sent"


def outbound_flush(*, now: Any = None) -> int:
    """Queue delivery of every unsent message whose next attempt is due.

    Safe to run any number of times: delivery itself refuses to send twice.
    """
    from .tasks import deliver_outbound_message

    now = now or timezone.now()
    due = OutboundMessage.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for message_id in due.iterator():
        deliver_outbound_message.enqueue(message_id=message_id)
        count += 1
    return count

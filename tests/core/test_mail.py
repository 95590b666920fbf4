"""The outbox: queued with the change that caused it, retried with back-off, sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roundtable.core.mail import backoff_delay, mail_queue, outbound_deliver, outbound_flush
from roundtable.core.models import OutboundMessage
from roundtable.core.periodic import run_due_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def make_due_now() -> None:
    """Fast-forward: every deferred retry becomes due."""
    DBTaskResult.objects.filter(run_after__isnull=False).update(run_after=timezone.now())
    OutboundMessage.objects.update(next_attempt_at=timezone.now())


def test_queued_message_is_delivered_once_with_headers(mailbox, run_tasks):
    message = mail_queue(
        to="ada@example.net",
        subject="Hello",
        text="Plain body",
        html="<p>HTML body</p>",
        headers={"Auto-Submitted": "auto-generated"},
    )
    run_tasks()
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    [received] = mailbox.messages
    assert received["Subject"] == "Hello"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Message-ID"] == message.headers["Message-ID"]
    assert mailbox.text(received).strip() == "Plain body"
    assert "HTML body" in mailbox.html(received)
    # Running delivery again (a duplicate task, a flush) sends nothing more.
    assert outbound_deliver(message_id=message.pk) == "skipped"
    outbound_flush()
    run_tasks()
    assert len(mailbox.messages) == 1


def test_rolled_back_change_sends_nothing(mailbox, run_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(to="ada@example.net", subject="Never", text="x")
        raise RuntimeError("the change failed")
    run_tasks()
    assert not OutboundMessage.objects.exists()
    assert mailbox.messages == []


def test_smtp_outage_loses_nothing_and_sends_each_message_once(smtp_server, mailbox, run_tasks):
    smtp_server.stop()
    for number in range(5):
        mail_queue(to=f"person{number}@example.net", subject=f"Message {number}", text="body")
    run_tasks()
    waiting = OutboundMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 5
    assert all(m.attempts == 1 and "Error" in m.last_error for m in waiting)
    assert all(m.next_attempt_at > timezone.now() for m in waiting)
    # Still down at the next attempt: the back-off grows.
    make_due_now()
    run_tasks()
    assert set(OutboundMessage.objects.values_list("attempts", flat=True)) == {2}
    smtp_server.start()
    make_due_now()
    run_tasks()
    assert OutboundMessage.objects.filter(sent_at__isnull=True).count() == 0
    subjects = sorted(str(m["Subject"]) for m in mailbox.messages)
    assert subjects == [f"Message {n}" for n in range(5)]
    # The periodic flush afterwards finds nothing to resend.
    run_due_jobs(force=True)
    run_tasks()
    assert len(mailbox.messages) == 5


def test_gives_up_after_the_configured_attempts(settings, smtp_server, run_tasks):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "MAIL_MAX_ATTEMPTS": 2}
    smtp_server.stop()
    message = mail_queue(to="ada@example.net", subject="Doomed", text="x")
    run_tasks()
    make_due_now()
    run_tasks()
    message.refresh_from_db()
    assert message.failed_at is not None and message.attempts == 2
    smtp_server.start()


def test_flush_requeues_messages_whose_task_was_lost(mailbox, run_tasks):
    message = mail_queue(to="ada@example.net", subject="Lost task", text="x")
    DBTaskResult.objects.all().delete()  # e.g. the queue was pruned
    run_tasks()
    assert mailbox.messages == []
    assert outbound_flush() == 1
    run_tasks()
    message.refresh_from_db()
    assert message.sent_at is not None
    assert len(mailbox.messages) == 1


def test_backoff_is_exponential_and_capped():
    assert backoff_delay(1) == dt.timedelta(seconds=30)
    assert backoff_delay(2) == dt.timedelta(seconds=60)
    assert backoff_delay(5) == dt.timedelta(seconds=480)
    assert backoff_delay(30) == dt.timedelta(hours=6)


def test_attachment_travels(mailbox, run_tasks):
    mail_queue(
        to="ada@example.net",
        subject="Invite",
        text="See attached",
        attachments=[("meeting.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")],
    )
    run_tasks()
    [received] = mailbox.messages
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "meeting.ics"
    assert (
        b"BEGIN:VCALENDAR" in attachment.get_content().encode()
        if isinstance(attachment.get_content(), str)
        else attachment.get_content()
    )


def test_many_messages_are_queued_in_a_few_queries_and_each_sent_once(
    smtp_server, mailbox, run_tasks, django_assert_max_num_queries
):
    from roundtable.core.mail import mail_queue_many

    items = [
        {"to": f"p{n}@example.net", "subject": f"Digest {n}", "text": "x", "kind": "digest"}
        for n in range(12)
    ]
    # 12 messages in batches of 5: 3 inserts and 3 tasks, plus the savepoint.
    with django_assert_max_num_queries(8):
        assert mail_queue_many(items, batch_size=5) == 12
    assert DBTaskResult.objects.count() == 3
    smtp_server.stop()
    run_tasks()
    assert OutboundMessage.objects.filter(sent_at__isnull=True, attempts=1).count() == 12
    smtp_server.start()
    make_due_now()
    run_tasks()
    assert sorted(str(m["Subject"]) for m in mailbox.messages) == sorted(
        f"Digest {n}" for n in range(12)
    )
    assert all(m["Message-ID"] for m in mailbox.messages)


def test_many_messages_keep_bodies_with_quotes_intact_and_insert_them_row_by_row():
    """Bodies go into a plain multi-row VALUES insert, never PostgreSQL's
    UNNEST arrays, whose client-side quoting made digest runs twice as slow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from roundtable.core.mail import mail_queue_many

    html = '<p class="x">«Quoted» "text" with \\ backslash, \'apostrophes\' and 中文</p>' * 50
    items = [
        {"to": f"p{n}@example.net", "subject": f"D{n}", "text": f'"{n}"\\', "html": html}
        for n in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        mail_queue_many(items, batch_size=10)
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    outbox = [sql for sql in inserts if "core_outboundmessage" in sql]
    assert len(outbox) == 1
    assert "UNNEST" not in outbox[0].upper()
    stored = OutboundMessage.objects.order_by("to")
    assert [(m.text, m.html) for m in stored] == [(f'"{n}"\\', html) for n in range(3)]

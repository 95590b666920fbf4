"""Replies by e-mail: smtplib to a running mailgate, and what ends up in the thread."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
import time
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from roundtable.discussions import services
from roundtable.discussions.mailgate import Mailgate
from roundtable.discussions.models import (
    Archive,
    Attachment,
    Message,
    MessageSource,
    MessageStatus,
)
from roundtable.discussions.tokens import reply_address
from tests.conftest import free_port
from tests.core.samples import sample, zip_bomb
from tests.discussions.helpers import cluster, set_rules, start_thread

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def gate():
    server = Mailgate(port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def world(mailbox, run_tasks):
    from tests.factories import make_personas

    personas = make_personas()
    set_rules(personas.process, archive=Archive.MEMBERS)
    personas.infra = cluster(personas.process)
    services.subscription_set(
        actor=personas.member, process=personas.process, delivery="each", cluster=personas.infra
    )
    personas.thread = start_thread(personas, cluster=personas.infra, title="Root zone oversight")
    run_tasks()
    [personas.notification] = mailbox.to("member@example.net")
    mailbox.clear()
    return personas


def reply_to(
    notification, *, body: str, sender: str = "member@example.net", **headers
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Mina Member <{sender}>"
    message["To"] = notification["Reply-To"]
    message["Subject"] = "Re: " + str(notification["Subject"])
    message["Message-ID"] = f"<reply-{time.monotonic_ns()}@mail.example.net>"
    message["In-Reply-To"] = notification["Message-ID"]
    message["References"] = notification["Message-ID"]
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def send(gate, message, *, sender="member@example.net", to=None, lmtp=False):
    client_class = smtplib.LMTP if lmtp else smtplib.SMTP
    with client_class("127.0.0.1", gate.port) as client:
        return client.send_message(message, from_addr=sender, to_addrs=[to or str(message["To"])])


QUOTED_REPLY = """I support option B, with two caveats.

1. Oversight must be shared.
2. Keep it **simple**.

On Tue, 3 Mar 2026 at 10:00, Sam Secretariat via Roundtable <roundtable@localhost> wrote:
> ## Reply above this line to post in the thread ##
>
> Opening remarks.

--
Mina Member
Open Networks Trust
"""


def test_reply_by_email_appears_in_the_thread_without_quotes_or_signature(
    world, gate, mailbox, run_tasks
):
    notification = world.notification
    assert "## Reply above this line to post in the thread ##" in mailbox.text(notification)
    refused = send(gate, reply_to(notification, body=QUOTED_REPLY))
    assert refused == {}
    message = Message.objects.exclude(pk=world.thread.messages.first().pk).get()
    assert message.source == MessageSource.EMAIL and message.author == world.member
    assert message.body == (
        "I support option B, with two caveats.\n\n1. Oversight must be shared.\n2. Keep it **simple**."
    )
    assert message.parent == world.thread.messages.first()
    assert message.status == MessageStatus.PUBLISHED
    # It goes out to the thread's followers like any message, threaded under the first.
    run_tasks()
    [to_secretariat] = mailbox.to("secretariat@example.net")
    assert to_secretariat["In-Reply-To"] == world.thread.root_message_id
    # The same mail delivered twice is posted once.
    mailbox.clear()
    again = reply_to(notification, body="Duplicate")
    again.replace_header("Message-ID", f"<{message.email_message_id.strip('<>')}>")
    send(gate, again)
    assert Message.objects.filter(author=world.member).count() == 1


def test_lmtp_mode_posts_too(world, mailbox):
    server = Mailgate(port=free_port(), lmtp=True)
    server.start()
    try:
        send(server, reply_to(world.notification, body="Over LMTP."), lmtp=True)
    finally:
        server.stop()
    assert Message.objects.filter(body="Over LMTP.", author=world.member).exists()


def test_the_command_runs_the_gateway(world):
    from roundtable.discussions.management.commands.mailgate import Command

    port = free_port()
    stop = threading.Event()
    Command.stop_event = stop
    runner = threading.Thread(target=call_command, args=("mailgate",), kwargs={"port": port})
    runner.start()
    try:
        for _attempt in range(50):
            try:
                smtplib.SMTP("127.0.0.1", port).quit()
                break
            except OSError:
                time.sleep(0.1)
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.send_message(reply_to(world.notification, body="Via the command."))
    finally:
        stop.set()
        runner.join(10)
        Command.stop_event = None
    assert Message.objects.filter(body="Via the command.").exists()


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        (lambda a: a.replace("reply+", "reply+1"), "not valid"),
        (lambda a: a[: a.index("@") - 3] + "abc" + a[a.index("@") :], "not valid"),
        (lambda a: "someone@" + a.split("@")[1], "No such reply address"),
        (lambda a: a.split("@")[0] + "@elsewhere.example", "No such reply address"),
    ],
)
def test_forged_or_unknown_addresses_are_refused_at_rcpt(world, gate, mangle, expected):
    address = mangle(str(world.notification["Reply-To"]))
    with pytest.raises(smtplib.SMTPRecipientsRefused) as error:
        send(gate, reply_to(world.notification, body="Let me in"), to=address)
    code, text = error.value.recipients[address]
    assert code == 550 and expected in text.decode()
    assert Message.objects.count() == 1


def test_expired_token_is_refused_with_a_clear_bounce(world, gate, settings):
    old = reply_address(
        person_id=world.member.pk,
        thread_id=world.thread.pk,
        today=dt.date.today() - dt.timedelta(days=91),
    )
    with pytest.raises(smtplib.SMTPRecipientsRefused) as error:
        send(gate, reply_to(world.notification, body="Late"), to=old)
    code, text = error.value.recipients[old]
    assert code == 550 and b"expired" in text
    # Within the configured age, the same old address still works.
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DISCUSSIONS_REPLY_TOKEN_DAYS": 100}
    send(gate, reply_to(world.notification, body="Late but fine"), to=old)
    assert Message.objects.filter(body="Late but fine").exists()


def test_another_sender_is_refused(world, gate):
    with pytest.raises(smtplib.SMTPDataError) as error:
        send(
            gate,
            reply_to(world.notification, body="Spoof", sender="mallory@example.net"),
            sender="mallory@example.net",
        )
    assert error.value.smtp_code == 550 and b"another sender" in error.value.smtp_error
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"X_Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"X_Roundtable_Loop": "localhost"},
        {"List_Id": "<other.list.example>"},
    ],
)
def test_auto_replies_and_loops_are_dropped_quietly(world, gate, headers, mailbox, run_tasks):
    send(gate, reply_to(world.notification, body="I am out of the office until Monday.", **headers))
    assert Message.objects.count() == 1
    run_tasks()
    assert mailbox.messages == []  # no answer to a machine


def test_bounces_with_a_null_sender_are_dropped(world, gate):
    send(gate, reply_to(world.notification, body="Delivery failed"), sender="")
    assert Message.objects.count() == 1


def test_mail_that_is_not_mime_valid_is_refused(world, gate):
    raw = (
        f"From: member@example.net\r\nTo: {world.notification['Reply-To']}\r\n"
        "Subject: broken\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        "no boundary ever appears here\r\n"
    ).encode()
    with (
        smtplib.SMTP("127.0.0.1", gate.port) as client,
        pytest.raises(smtplib.SMTPDataError) as error,
    ):
        client.sendmail("member@example.net", [str(world.notification["Reply-To"])], raw)
    assert error.value.smtp_code == 554 and b"not valid MIME" in error.value.smtp_error
    assert Message.objects.count() == 1


def test_huge_mail_is_refused_with_the_limit(world, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DISCUSSIONS_MAX_INBOUND_BYTES": 50_000}
    server = Mailgate(port=free_port())
    server.start()
    try:
        big = reply_to(world.notification, body="x" * 80 + "\n" + ("y" * 76 + "\n") * 1000)
        with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as error:
            send(server, big)
    finally:
        server.stop()
    assert error.value.smtp_code == 552 and b"too big" in error.value.smtp_error
    assert Message.objects.count() == 1


def test_html_only_mail_with_script_is_cleaned(world, gate):
    message = reply_to(world.notification, body="")
    message.set_content(
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><p>Plain <b>point</b> &amp; more.</p><script>steal()</script>"
        "<div class='gmail_quote'>On Mon wrote: old text</div></body></html>",
        subtype="html",
    )
    send(gate, message)
    posted = Message.objects.get(author=world.member)
    assert posted.body == "Plain point & more."


def test_reply_to_a_locked_thread_is_refused_with_a_notice(world, gate, mailbox, run_tasks):
    services.thread_lock(actor=world.chair, thread=world.thread, reason="Consensus reached")
    send(gate, reply_to(world.notification, body="But wait"))
    assert Message.objects.count() == 1
    run_tasks()
    [notice] = mailbox.to("member@example.net")
    assert "was not posted" in str(notice["Subject"])
    assert "Consensus reached" in mailbox.text(notice)
    assert "But wait" in mailbox.text(notice)  # their text comes back to them
    assert notice["Auto-Submitted"] == "auto-replied"


def test_attachments_are_checked_like_uploads(world, gate, mailbox, run_tasks):
    good = reply_to(world.notification, body="Paper attached.")
    good.add_attachment(PDF, maintype="application", subtype="octet-stream", filename="paper.exe")
    send(gate, good)
    posted = Message.objects.get(author=world.member)
    [attachment] = posted.attachments.all()
    # The type comes from the content, and so does the extension.
    assert attachment.content_type == "application/pdf" and attachment.filename == "paper.pdf"
    bad = reply_to(world.notification, body="Run this.")
    bad.add_attachment(
        b"MZ\x90\x00\x03" + bytes(200), maintype="application", subtype="pdf", filename="report.pdf"
    )
    send(gate, bad)
    assert not Message.objects.filter(body="Run this.").exists()
    run_tasks()
    [notice] = [m for m in mailbox.to("member@example.net") if "not posted" in str(m["Subject"])]
    assert "“report.pdf”: the name ends in .pdf but the content is not a .pdf file" in (
        mailbox.text(notice)
    )


def test_a_docx_zip_bomb_by_mail_is_refused_with_a_notice(world, gate, mailbox, run_tasks):
    """Mail attachments get the same zip-bomb checks as uploads (issue 8)."""
    bomb = reply_to(world.notification, body="Our comments are attached.")
    bomb.add_attachment(
        zip_bomb("docx"),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="comments.docx",
    )
    send(gate, bomb)
    assert not Message.objects.filter(author=world.member).exists()
    assert not Attachment.objects.exists()
    run_tasks()
    [notice] = [m for m in mailbox.to("member@example.net") if "not posted" in str(m["Subject"])]
    assert "“comments.docx”" in mailbox.text(notice) and "zip bomb" in mailbox.text(notice)
    # The real document by the same way is posted.
    good = reply_to(world.notification, body="Our comments are attached.")
    good.add_attachment(
        sample("docx")[1],
        maintype="application",
        subtype="octet-stream",
        filename="comments.docx",
    )
    send(gate, good)
    [attachment] = Message.objects.get(author=world.member).attachments.all()
    assert attachment.filename == "comments.docx" and attachment.content_type.endswith(".document")


def test_first_post_waits_and_the_author_is_told(world, gate, mailbox, run_tasks):
    set_rules(world.process, archive=Archive.MEMBERS, moderate_first_posts=True)
    send(gate, reply_to(world.notification, body="My first words."))
    posted = Message.objects.get(author=world.member)
    assert posted.status == MessageStatus.PENDING
    run_tasks()
    [notice] = mailbox.to("member@example.net")
    assert "awaits approval" in str(notice["Subject"])


def test_one_reply_address_per_transaction(world, gate):
    other = reply_address(person_id=world.member.pk, thread_id=world.thread.pk)
    with smtplib.SMTP("127.0.0.1", gate.port) as client:
        client.ehlo()
        client.mail("member@example.net")
        assert client.rcpt(str(world.notification["Reply-To"]))[0] == 250
        assert client.rcpt(other)[0] == 452

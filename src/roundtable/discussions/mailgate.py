"""The e-mail gateway: an aiosmtpd SMTP or LMTP server that posts replies in threads.

What happens to a message sent to a reply address:

- the address's token is checked at ``RCPT TO``: unknown, forged or expired
  tokens are refused there (``550``) with a sentence saying why, so the
  sender's own mail server bounces it to them and we never send mail to a
  forged address;
- mail bigger than ``DISCUSSIONS_MAX_INBOUND_BYTES`` is refused (``552``),
  and so is mail that is not valid MIME (``554``);
- automatic mail (auto-replies, bounces, mailing lists, our own mail coming
  back) is accepted and dropped, so no loop can start;
- the ``From`` address must be the one the reply address was issued to,
  else the mail is refused (``550``);
- from there on the sender is known: the text is taken without quotes and
  signature (an HTML-only mail is reduced to its text, scripts removed),
  attachments are checked like uploads, and the reply is posted through
  ``services.message_post``. If it cannot be posted (locked thread, empty
  text, a refused attachment, no longer allowed), nothing changes and the
  person gets a notice in their own language with their text to send again.

One reply address per message: further recipients get ``452`` (try again
later), which SMTP and LMTP clients handle by sending them separately; that
keeps LMTP's one-answer-per-recipient rule with a single answer.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from roundtable.people.models import Person

from . import conf, inbound, mailing, services
from .models import Message, MessageSource, MessageStatus, Thread
from .tokens import TokenError, parse_reply_address

logger = logging.getLogger("roundtable.discussions.mailgate")

TOKEN_REFUSALS = {
    "unknown": "550 5.1.1 No such reply address here. Reply from the discussion's web page.",
    "forged": (
        "550 5.7.1 This reply address is not valid: its signature does not match. "
        "Reply from the discussion's web page."
    ),
    "expired": (
        "550 5.7.1 This reply address has expired. Reply from the discussion's web page, "
        "or to a more recent e-mail from it."
    ),
}


def _size_refusal() -> str:
    return (
        f"552 5.3.4 Message too big: the limit is {conf.max_inbound_bytes() // (1024 * 1024)} MB. "
        "Nothing was posted; put large files online and send a link instead."
    )


class _SizeMessages:
    """aiosmtpd's own over-size replies, made to say what to do."""

    async def push(self, status: str) -> None:  # type: ignore[override]
        if status.startswith("552 Error"):
            status = _size_refusal()
        await super().push(status)  # type: ignore[misc]


class GateSMTP(_SizeMessages, SMTP):
    pass


class GateLMTP(_SizeMessages, LMTP):
    pass


@dataclass(frozen=True)
class Outcome:
    """What the gateway did with one message; ``reply`` is the SMTP answer."""

    reply: str
    action: str  # posted, held, dropped, refused, noticed
    message_id: int | None = None


def _own_addresses() -> tuple[str, ...]:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return tuple(a.lower() for a in (address, settings.SERVER_EMAIL) if a and "@" in a)


def deliver(*, raw: bytes, envelope_from: str, recipient: str) -> Outcome:
    """Handle one message for one reply address (synchronous; the server calls it)."""
    try:
        token = parse_reply_address(recipient)
    except TokenError as error:
        return Outcome(TOKEN_REFUSALS[error.code], "refused")
    person = Person.objects.filter(pk=token.person_id).first()
    thread = Thread.objects.select_related("process").filter(pk=token.thread_id).first()
    if person is None or thread is None or not person.is_active:
        return Outcome(TOKEN_REFUSALS["unknown"], "refused")
    if len(raw) > conf.max_inbound_bytes():
        return Outcome(_size_refusal(), "refused")
    try:
        mail = inbound.parse(raw, reply_markers=mailing.reply_markers())
    except inbound.InvalidMail as error:
        return Outcome(
            f"554 5.6.0 The message is not valid MIME: {error.reason}. Nothing was posted.",
            "refused",
        )
    reason = inbound.automatic_reason(
        mail.message, envelope_from=envelope_from, own_addresses=_own_addresses()
    )
    if reason:
        logger.info("dropped automatic mail for thread %s: %s", thread.pk, reason)
        return Outcome("250 2.0.0 Automatic mail accepted and dropped", "dropped")
    if mail.from_address != person.email.lower():
        return Outcome(
            "550 5.7.1 This reply address was given to another sender. Send from the "
            "address the notification was sent to.",
            "refused",
        )
    if (
        mail.message_id
        and Message.objects.filter(author=person, email_message_id=mail.message_id).exists()
    ):
        return Outcome("250 2.0.0 Already posted (duplicate delivery dropped)", "dropped")
    parent = None
    if mail.in_reply_to:
        parent = Message.objects.filter(thread=thread, message_id__in=mail.in_reply_to).first()
    try:
        if len(mail.attachments) > conf.max_attachments():
            # Checked here too so the notice can name the limit before reading files.
            from .uploads import check_attachments

            check_attachments(mail.attachments)
        message = services.message_post(
            actor=person,
            thread=thread,
            body=mail.text,
            parent=parent,
            source=MessageSource.EMAIL,
            attachments=mail.attachments,
            email_message_id=mail.message_id,
        )
    except (ValidationError, PermissionDenied) as error:
        _refusal_notice(person=person, thread=thread, error=error, text=mail.text)
        return Outcome("250 2.0.0 Received, not posted; the sender was told why", "noticed")
    if message.status == MessageStatus.PENDING:
        from .notifications import notice_send

        notice_send(
            person=person,
            template="reply_held",
            context={
                "thread": thread,
                "process": thread.process,
                "thread_url": mailing.absolute(thread.get_absolute_url()),
            },
        )
        return Outcome("250 2.0.0 Received; waiting for a moderator", "held", message.pk)
    return Outcome(f"250 2.0.0 Posted as message {message.pk}", "posted", message.pk)


def _refusal_notice(*, person: Person, thread: Thread, error: Exception, text: str) -> None:
    from .notifications import notice_send

    with translation.override(person.preferred_language or "en"):
        if isinstance(error, PermissionDenied):
            reason = _("You are not allowed to post in this thread any more.")
        else:
            reason = " ".join(str(message) for message in getattr(error, "messages", [str(error)]))
    notice_send(
        person=person,
        template="reply_refused",
        context={
            "thread": thread,
            "process": thread.process,
            "reason": reason,
            "original_text": text,
            "thread_url": mailing.absolute(thread.get_absolute_url()),
            "limit": filesizeformat(conf.max_attachment_bytes()),
        },
    )


def _deliver_in_thread(raw: bytes, envelope_from: str, recipient: str) -> Outcome:
    close_old_connections()
    try:
        return deliver(raw=raw, envelope_from=envelope_from, recipient=recipient)
    except Exception:
        logger.exception("mailgate failed on a message for %s", recipient)
        return Outcome("451 4.3.0 Temporary failure; please try again later", "error")
    finally:
        close_old_connections()


class Handler:
    """aiosmtpd hooks: the token at RCPT, everything else at DATA."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if envelope.rcpt_tos:
            return "452 4.5.3 One reply address per message; send to the others separately"
        try:
            parse_reply_address(address)
        except TokenError as error:
            return TOKEN_REFUSALS[error.code]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or b""
        outcome = await sync_to_async(_deliver_in_thread, thread_sensitive=False)(
            raw, envelope.mail_from or "", envelope.rcpt_tos[0]
        )
        self.outcomes.append(outcome)
        logger.info("mailgate: %s -> %s", envelope.rcpt_tos[0], outcome.reply)
        return outcome.reply


class GateController(Controller):
    def __init__(self, handler: Handler, *, lmtp: bool, **kwargs: Any) -> None:
        self.lmtp = lmtp
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTP:
        server_class = GateLMTP if self.lmtp else GateSMTP
        return server_class(self.handler, **self.SMTP_kwargs)


class Mailgate:
    """Start and stop the gateway in a background thread (the command and the tests)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 8025, lmtp: bool = False) -> None:
        self.host = host
        self.port = port
        self.lmtp = lmtp
        self.handler = Handler()
        self.controller: GateController | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            if self.controller is not None:
                return
            self.controller = GateController(
                self.handler,
                lmtp=self.lmtp,
                hostname=self.host,
                port=self.port,
                data_size_limit=conf.max_inbound_bytes(),
                server_hostname=conf.reply_domain(),
                ident="Roundtable mailgate",
            )
            self.controller.start()

    def stop(self) -> None:
        with self.lock:
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

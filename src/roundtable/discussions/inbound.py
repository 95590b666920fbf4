"""Reading e-mail replies: MIME checks, automatic mail, the text without quotes and signature.

No Django models here, so the parser can be tested (with hypothesis) on its own.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from email import errors as email_errors
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

# Defects that mean we cannot tell what the message says.
FATAL_DEFECTS = (
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.CloseBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
    email_errors.MissingHeaderBodySeparatorDefect,
    email_errors.FirstHeaderLineIsContinuationDefect,
)


class InvalidMail(Exception):
    """The message is not MIME we can read; ``reason`` is a short English explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class InboundMail:
    from_address: str
    message_id: str
    in_reply_to: list[str]
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    html_only: bool = False
    message: EmailMessage | None = None


def _ids(value: str | None) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def parse(raw: bytes, *, reply_markers: tuple[str, ...] = ()) -> InboundMail:
    """Parse an e-mail; raises ``InvalidMail`` for MIME we cannot trust."""
    if not raw or not raw.strip():
        raise InvalidMail("the message is empty")
    try:
        message = message_from_bytes(raw, policy=policy.default)
        defects = list(message.defects)
        for part in message.walk():
            defects.extend(part.defects)
        from_header = str(message.get("From", ""))
    except Exception as error:  # the parser is lenient; header decoding is not
        raise InvalidMail(f"the message could not be parsed ({type(error).__name__})") from None
    fatal = [defect for defect in defects if isinstance(defect, FATAL_DEFECTS)]
    if fatal:
        raise InvalidMail(f"the MIME structure is broken ({type(fatal[0]).__name__})")
    if not message.keys():
        raise InvalidMail("the message has no headers")
    addresses = [address for _name, address in getaddresses([from_header]) if "@" in address]
    if len(addresses) != 1:
        raise InvalidMail("the message needs exactly one From address")
    text, html_only = _body_text(message)
    attachments = _attachments(message)
    return InboundMail(
        from_address=addresses[0].strip().lower(),
        message_id=(_ids(str(message.get("Message-ID", ""))) or [""])[0],
        in_reply_to=_ids(str(message.get("In-Reply-To", "")))
        + _ids(str(message.get("References", ""))),
        text=strip_reply(text, markers=reply_markers),
        attachments=attachments,
        html_only=html_only,
        message=message,
    )


def _content(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError, ValueError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return content


def _body_text(message: EmailMessage) -> tuple[str, bool]:
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _content(plain), False
    rich = message.get_body(preferencelist=("html",))
    if rich is not None:
        return html_to_text(_content(rich)), True
    return "", False


def _attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    found = []
    for part in message.iter_attachments() if message.is_multipart() else []:
        found.extend(_attachment_parts(part))
    return found


def _attachment_parts(part: EmailMessage) -> list[tuple[str, bytes]]:
    if part.is_multipart():
        # multipart/related holds the HTML body's inline images (signature logos):
        # not attachments the author chose.
        if part.get_content_subtype() == "related":
            return []
        result = []
        for sub in part.iter_parts():
            result.extend(_attachment_parts(sub))
        return result
    disposition = part.get_content_disposition()
    if disposition == "inline" and part.get("Content-ID"):
        return []
    if part.get_content_maintype() == "message":
        return []
    payload = part.get_payload(decode=True)
    if payload is None:
        return []
    name = part.get_filename() or "attachment"
    return [(name, payload)]


# --- Automatic mail --------------------------------------------------------------

_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_DAEMONS = ("mailer-daemon@", "postmaster@", "noreply@", "no-reply@")


def automatic_reason(
    message: EmailMessage, *, envelope_from: str, own_addresses: tuple[str, ...] = ()
) -> str | None:
    """Why this mail was written by a machine (and must be dropped), or None."""
    sender = (envelope_from or "").strip().strip("<>").lower()
    if not sender:
        return "bounce (null sender)"
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Autoresponse", "X-Failed-Recipients"):
        if message.get(header) is not None:
            return header
    if str(message.get("Precedence", "")).strip().lower() in _BULK_PRECEDENCE:
        return "Precedence: " + str(message.get("Precedence")).strip().lower()
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    if message.get("X-Roundtable-Loop") is not None:
        return "loop: our own mail came back"
    if message.get("List-Id") is not None:
        return "mail from a mailing list"
    _name, from_address = parseaddr(str(message.get("From", "")))
    from_address = from_address.lower()
    if from_address in own_addresses or sender in own_addresses:
        return "loop: sent from our own address"
    if from_address.startswith(_DAEMONS) or sender.startswith(_DAEMONS):
        return "mail from a mail daemon"
    return None


# --- HTML to text ---------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Text of an HTML mail body, without scripts, styles and quoted replies."""

    SKIP = {"script", "style", "head", "title", "blockquote", "template", "noscript"}
    BLOCK = {"p", "div", "br", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "ul", "ol"}
    QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote")
    QUOTE_IDS = ("appendonsend", "divrplyfwdmsg", "mail-editor-reference-message-container")
    VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.skipping = 0
        self.stopped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stopped:
            return
        values = dict(attrs)
        classes = (values.get("class") or "").lower()
        element_id = (values.get("id") or "").lower()
        if any(name in element_id for name in self.QUOTE_IDS):
            # Outlook puts the quoted original after this marker, to the end.
            self.stopped = True
            return
        skip = tag in self.SKIP or any(name in classes for name in self.QUOTE_CLASSES)
        if tag in self.BLOCK:
            self.parts.append("\n")
        if tag == "li" and not self.skipping:
            self.parts.append("\n- ")
        if tag in self.VOID:
            return
        self.stack.append((tag, skip))
        if skip:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if self.stopped:
            return
        if tag in self.BLOCK:
            self.parts.append("\n")
        while self.stack:
            open_tag, skip = self.stack.pop()
            if skip:
                self.skipping -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.stopped:
            self.parts.append(data)

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = [" ".join(line.split()) for line in joined.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    extractor = _TextExtractor()
    # Malformed HTML gives what was read before the parser gave up.
    with contextlib.suppress(Exception):
        extractor.feed(markup or "")
        extractor.close()
    # convert_charrefs already turned entities into text.
    return extractor.text()


# --- Quotes and signatures --------------------------------------------------------

_QUOTE_HEADERS = [
    re.compile(r"^on\b.{4,300}\bwrote:?$", re.IGNORECASE),
    re.compile(r"^le\b.{4,300}\ba [ée]crit ?:$", re.IGNORECASE),
    re.compile(r"^el\b.{4,300}\bescribi[óo]:?$", re.IGNORECASE),
    re.compile(r"^am\b.{4,300}\bschrieb.{0,200}:$", re.IGNORECASE),
    re.compile(r"^.{4,300}\bнаписал(?:а|\(а\))?\s?:$", re.IGNORECASE),
    re.compile(r"^.{2,300}写道[:：]$"),
    re.compile(r"^.{0,300}\bكتب\b.{0,300}:$"),
]
_ORIGINAL = re.compile(
    r"^-{2,}\s*(original message|forwarded message|message d'origine|message transf[ée]r[ée]"
    r"|mensaje original|mensaje reenviado|исходное сообщение|пересылаемое сообщение"
    r"|原始邮件|转发的邮件|الرسالة الأصلية)\s*-{2,}$",
    re.IGNORECASE,
)
_OUTLOOK_HEADER = re.compile(r"^(from|de|von|от|发件人|من)\s*[:：]", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
    r"^(sent|date|envoy[ée]|enviado|fecha|gesendet|отправлено|дата|发送时间|日期|التاريخ|أرسل)\s*[:：]",
    re.IGNORECASE,
)
_MOBILE = re.compile(
    r"^(sent from my |sent from mail for windows|get outlook for |envoy[ée] de mon |"
    r"enviado desde mi |отправлено с |从我的|发自我的|أرسلت من )",
    re.IGNORECASE,
)


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _next_content(lines: list[str], index: int) -> str | None:
    for line in lines[index:]:
        if line.strip():
            return line
    return None


def strip_reply(text: str, *, markers: tuple[str, ...] = ()) -> str:
    """The new text of a reply: no quoted lines, quote headers, signature or quoted original."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        bare = line.lstrip("> \t").strip()
        # Everything below our own marker, or below a quoted original, is the old mail.
        if markers and any(marker in bare for marker in markers if marker):
            break
        if _ORIGINAL.match(bare) or (bare.startswith("_" * 10) and set(bare) == {"_"}):
            break
        if _OUTLOOK_HEADER.match(bare) and any(
            _OUTLOOK_NEXT.match(following.strip()) for following in lines[index + 1 : index + 4]
        ):
            break
        if line.rstrip() in ("--", "-- "):
            break
        if not _is_quoted(line):
            joined = " ".join(part.strip() for part in lines[index : index + 2])
            header = None
            for candidate, width in ((bare, 1), (joined, 2)):
                if any(pattern.match(candidate) for pattern in _QUOTE_HEADERS):
                    header = width
                    break
            following = _next_content(lines, index + (header or 1))
            if header and (following is None or _is_quoted(following)):
                index += header
                continue
            kept.append(line.rstrip())
        index += 1
    while kept and not kept[-1].strip():
        kept.pop()
    # A phone's signature line at the very end.
    if kept and _MOBILE.match(kept[-1].strip()):
        kept.pop()
    result = "\n".join(kept).strip("\n")
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result.strip()

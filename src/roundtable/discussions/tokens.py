"""Signed tokens in reply addresses and unsubscribe links (``django.core.signing``).

Reply address: ``reply+<person>.<thread>.<day>.<signature>@<reply domain>``,
numbers in lowercase base 36 and ``day`` the issue date (days since
1970-01-01). The local part stays under the 64 characters RFC 5321 allows
and survives mail systems that lower-case it: the signature is compared
without regard to case, keeping more than 128 bits of strength.

Unsubscribe links carry a ``signing.dumps`` payload (no expiry: a link in an
old e-mail must still work, as RFC 8058 expects).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from . import conf

REPLY_SALT = "roundtable.discussions.reply"
UNSUBSCRIBE_SALT = "roundtable.discussions.unsubscribe"
SIGNATURE_CHARS = 30
EPOCH = dt.date(1970, 1, 1)

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(number: int) -> str:
    if number < 0:
        raise ValueError("negative")
    digits = ""
    while True:
        number, remainder = divmod(number, 36)
        digits = _ALPHABET[remainder] + digits
        if not number:
            return digits


def _signature(value: str) -> str:
    return signing.Signer(salt=REPLY_SALT, algorithm="sha256").signature(value)[:SIGNATURE_CHARS]


class TokenError(Exception):
    """Why a reply address was refused; ``code`` is one of unknown, forged, expired."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ReplyToken:
    person_id: int
    thread_id: int
    issued: dt.date


def reply_address(*, person_id: int, thread_id: int, today: dt.date | None = None) -> str:
    today = today or timezone.now().date()
    value = f"{_b36(person_id)}.{_b36(thread_id)}.{_b36((today - EPOCH).days)}"
    return f"{conf.reply_local_prefix()}+{value}.{_signature(value)}@{conf.reply_domain()}"


_LOCAL = re.compile(r"^(?P<value>[0-9a-z]{1,13}\.[0-9a-z]{1,13}\.[0-9a-z]{1,6})\.(?P<sig>[^.@]+)$")


def parse_reply_address(address: str, *, today: dt.date | None = None) -> ReplyToken:
    """The token in ``address``; raises ``TokenError`` if unknown, forged or expired."""
    local, _at, domain = (address or "").strip().strip("<>").rpartition("@")
    prefix = conf.reply_local_prefix().lower() + "+"
    if domain.lower() != conf.reply_domain().lower() or not local.lower().startswith(prefix):
        raise TokenError("unknown")
    match = _LOCAL.match(local[len(prefix) :].lower())
    if match is None:
        raise TokenError("unknown")
    value = match["value"]
    if not constant_time_compare(match["sig"], _signature(value).lower()):
        raise TokenError("forged")
    person, thread, day = (int(part, 36) for part in value.split("."))
    issued = EPOCH + dt.timedelta(days=day)
    today = today or timezone.now().date()
    if (today - issued).days > conf.reply_token_max_age_days():
        raise TokenError("expired")
    return ReplyToken(person_id=person, thread_id=thread, issued=issued)


# --- Unsubscribe -----------------------------------------------------------


def unsubscribe_token(
    *, person_id: int, process_id: int, scope: str, target_id: int | None = None
) -> str:
    """``scope`` is thread, cluster, process (a subscription) or digest (all digests)."""
    payload: dict[str, Any] = {"p": person_id, "r": process_id, "s": scope}
    if target_id is not None:
        payload["t"] = target_id
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def parse_unsubscribe_token(token: str) -> dict[str, Any]:
    """Raises ``signing.BadSignature`` for anything we did not sign."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(payload, dict) or payload.get("s") not in {
        "thread",
        "cluster",
        "process",
        "digest",
    }:
        raise signing.BadSignature("bad payload")
    return payload

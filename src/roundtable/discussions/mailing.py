"""What every discussion e-mail carries: list headers, threading, addresses, the marker.

Headers (RFC 2369, 2919, 3834, 5322, 8058): ``Message-ID`` (one per message,
the same in every recipient's copy), ``In-Reply-To`` and ``References`` (the
thread's first message and the parent), ``List-Id`` per process,
``List-Unsubscribe`` with a per-recipient one-click link and
``List-Unsubscribe-Post``, ``List-Archive``, ``Auto-Submitted``,
``Precedence: list``, and ``X-Roundtable-Loop`` so the gateway recognises our
own mail coming back.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from roundtable.core.mail import _mail_domain
from roundtable.processes.models import Process

from .tokens import unsubscribe_token

LOOP_HEADER = "X-Roundtable-Loop"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def list_id(process: Process) -> str:
    label = process.name.replace('"', "'").replace("\\", "")
    return f'"{label}" <{process.slug}.discussions.{_mail_domain()}>'


def unsubscribe_url(
    *, person_id: int, process_id: int, scope: str, target_id: int | None = None
) -> str:
    token = unsubscribe_token(
        person_id=person_id, process_id=process_id, scope=scope, target_id=target_id
    )
    before, after = _unsubscribe_around()
    return f"{before}{token}{after}"


@cache
def _unsubscribe_around() -> tuple[str, str]:
    # Reversed once: a digest run builds thousands of these links.
    url = absolute(reverse("discussions:unsubscribe", kwargs={"token": "TOKEN"}))
    before, _token, after = url.partition("TOKEN")
    return before, after


@cache
def archive_url(slug: str) -> str:
    return absolute(reverse("discussions:index", kwargs={"slug": slug}))


def list_headers(*, process: Process, unsubscribe: str) -> dict[str, str]:
    return {
        "List-Id": list_id(process),
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Archive": f"<{archive_url(process.slug)}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "list",
        "X-Auto-Response-Suppress": "All",
        LOOP_HEADER: _mail_domain(),
    }


def sender(label: str) -> str:
    """``"<label> via <site>" <our address>``: the author's name never carries their address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    display = _("%(author)s via %(site)s") % {"author": label, "site": settings.SITE_NAME}
    return formataddr((display, address or "roundtable@localhost"))


def reply_marker() -> str:
    """The line above which a reply is read, in the active language."""
    return _("Reply above this line to post in the thread")


@cache
def reply_markers() -> tuple[str, ...]:
    """The marker in every site language, for the gateway to cut at."""
    markers = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            markers.append(reply_marker())
    return tuple(dict.fromkeys(markers))

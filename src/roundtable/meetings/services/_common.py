"""Helpers shared by the meetings services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.middleware import resolve_time_zone


def locked(session: Any) -> Any:
    """The session as the database has it now, locked until the transaction ends.

    Callers pass objects that may be stale (loaded before another request
    changed them); every decision about a session's state is made on this.
    """
    from ..models import Session

    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("process", "room")
        .get(pk=session.pk)
    )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


def clean_text(value: str | None, *, field: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: [_("This field cannot be empty.")]})
    if len(text) > limit:
        raise ValidationError(
            {
                field: [
                    ngettext(
                        "Keep this under %(limit)d characters (it has %(count)d).",
                        "Keep this under %(limit)d characters (it has %(count)d).",
                        len(text),
                    )
                    % {"limit": limit, "count": len(text)}
                ]
            }
        )
    return text


def mail_person(
    *,
    person: Any,
    template: str,
    context: dict[str, Any],
    kind: str,
    attachments: list[tuple[str, str, bytes]] | None = None,
) -> None:
    """Render in the recipient's language and time zone; queue in the caller's transaction."""
    zone = resolve_time_zone(getattr(person, "time_zone", None)) or timezone.get_default_timezone()
    with timezone.override(zone):
        subject, text, html = mail_render(
            template=template,
            context={"recipient_time_zone": zone.key, **context},
            language=getattr(person, "preferred_language", None) or settings.LANGUAGE_CODE,
        )
    mail_queue(
        to=person.email,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        attachments=attachments or [],
    )

"""Personal calendar links: a secret URL a calendar client can poll without logging in."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.people.tokens import new_secret, secret_hash

from .. import policy
from ..models import CalendarFeed
from ._common import require

CALENDAR_TOKEN_PREFIX = "cal_"  # noqa: S105 - a public prefix, not a secret


@transaction.atomic
def calendar_feed_create(*, person: Person) -> tuple[CalendarFeed, str]:
    """A new personal link; any earlier one stops working. The secret is returned once."""
    require(policy.can_subscribe_calendar(person))
    now = timezone.now()
    CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    secret = new_secret(CALENDAR_TOKEN_PREFIX)
    feed = CalendarFeed.objects.create(person=person, token_hash=secret_hash(secret))
    audit_record(actor=person, action="calendar_link.created", obj=feed)
    return feed, secret


@transaction.atomic
def calendar_feed_revoke(*, person: Person) -> int:
    count = CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_record(actor=person, action="calendar_link.revoked", obj=None)
    return count


def person_for_calendar_token(secret: str) -> Any | None:
    """The active person a calendar link belongs to, or None (unknown, revoked, inactive)."""
    if not secret or not secret.startswith(CALENDAR_TOKEN_PREFIX):
        return None
    feed = (
        CalendarFeed.objects.select_related("person")
        .filter(token_hash=secret_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.person.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 300:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.person


def calendar_feed_active(*, person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).first()
